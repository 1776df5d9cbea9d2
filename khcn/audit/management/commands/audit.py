from django.core.management.base import BaseCommand, CommandError

from khcn.audit.services import verify

PROBLEMS = {
    "tampered": "nội dung bị sửa",
    "broken-link": "liên kết băm với sự kiện trước bị đứt",
    "missing": "thiếu sự kiện (bị xóa)",
}


class Command(BaseCommand):
    help = "`khcn audit verify`: kiểm tra chuỗi băm của nhật ký; thoát với mã khác 0 nếu có sự kiện bị sửa hoặc mất."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        sub.add_parser("verify", help="Kiểm tra toàn bộ chuỗi nhật ký.")

    def handle(self, *args, sub, **options):
        result = verify()
        if result.ok:
            self.stdout.write(f"Nhật ký toàn vẹn: {result.checked} sự kiện đã kiểm tra.")
            return
        raise CommandError(
            f"Nhật ký KHÔNG toàn vẹn: sự kiện số {result.first_bad_seq} – {PROBLEMS[result.problem]} "
            f"({result.checked} sự kiện trước đó hợp lệ)."
        )
