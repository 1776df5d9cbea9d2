from django.core.management.base import BaseCommand, CommandError

from khcn.core.demo import DEMO_PASSWORD, demo_logins, load_demo
from khcn.core.errors import DomainError


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (Sở KH&CN Hải Phòng, Hà Nội). Từ chối nếu cơ sở dữ liệu đã có dữ liệu thật."

    def handle(self, *args, **options):
        try:
            loaded = load_demo()
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            "Đã nạp dữ liệu mẫu." if loaded else "Dữ liệu mẫu đã có sẵn; không thay đổi gì."
        )
        rows = [("Tên đăng nhập", "Họ và tên", "Vai trò", "Cơ quan"), *demo_logins()]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        self.stdout.write(line)
        for n, row in enumerate(rows):
            self.stdout.write(
                "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
            )
            if n == 0:
                self.stdout.write(line)
        self.stdout.write(line)
        self.stdout.write(f"Mật khẩu của mọi tài khoản mẫu: {DEMO_PASSWORD}")
