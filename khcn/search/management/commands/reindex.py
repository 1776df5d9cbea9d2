from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from khcn.search.registry import TYPES
from khcn.search.services import reindex


class Command(BaseCommand):
    help = "Dựng lại chỉ mục tìm kiếm (mọi loại, hoặc một loại với --type)."

    def add_arguments(self, parser):
        parser.add_argument("--type", dest="key", help="chỉ dựng lại loại này (vd. task)")

    def handle(self, *args, key=None, **options):
        if key and key not in TYPES:
            raise CommandError(
                _("Không có loại “%(k)s”. Các loại: %(all)s.")
                % {"k": key, "all": ", ".join(sorted(TYPES)) or "—"}
            )
        done = reindex(key=key)
        for k, n in done.items():
            self.stdout.write(f"{k}: {n}")
        self.stdout.write(
            self.style.SUCCESS(_("Đã lập chỉ mục %(n)d bản ghi.") % {"n": sum(done.values())})
        )
