from django.core.management.base import BaseCommand, CommandError

from khcn.accounts.models import User
from khcn.accounts.services import token_create


class Command(BaseCommand):
    help = "Quản lý mã truy cập API. `khcn token create --user TEN` in ra một mã mới."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        create = sub.add_parser("create", help="Tạo mã truy cập mới cho một người dùng.")
        create.add_argument("--user", required=True)
        create.add_argument("--name", default="Dòng lệnh")

    def handle(self, *args, sub, user, name, **options):
        target = User.objects.filter(username=user).first()
        if target is None:
            raise CommandError(f"Không có người dùng “{user}”.")
        if not target.is_active:
            raise CommandError(f"Người dùng “{user}” đã bị vô hiệu hóa.")
        _token, key = token_create(actor=target, user=target, name=name)
        self.stdout.write(key)
