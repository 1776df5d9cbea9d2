from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khcn.workflow.definition import RuleSetInvalid
from khcn.workflow.diagram import mermaid
from khcn.workflow.loader import check_file, ruleset_load_all
from khcn.workflow.models import RuleSetVersion


class Command(BaseCommand):
    help = (
        "Bộ quy tắc quy trình: check TỆP (kiểm tra), diagram MÃ (sơ đồ Mermaid), "
        "load (nạp các tệp vào cơ sở dữ liệu), list (liệt kê)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command", required=True)
        check = sub.add_parser("check", help="Kiểm tra một tệp quy tắc (TOML).")
        check.add_argument("file")
        diagram = sub.add_parser("diagram", help="In sơ đồ trạng thái (Mermaid).")
        diagram.add_argument("code")
        diagram.add_argument("--version", type=int, dest="number")
        sub.add_parser("load", help="Nạp các tệp quy tắc đã thay đổi thành phiên bản mới.")
        sub.add_parser("list", help="Liệt kê các bộ quy tắc và phiên bản.")

    def handle(self, *args, command, **options):
        return getattr(self, f"_{command}")(**options)

    def _check(self, file, **options):
        path = Path(file)
        try:
            rules = check_file(path)
        except RuleSetInvalid as exc:
            for error in exc.errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(f"{len(exc.errors)} lỗi trong {path.name}.") from exc
        self.stdout.write(
            f"{path.name}: hợp lệ — {rules.code}: {len(rules.states)} trạng thái, "
            f"{len(rules.transitions)} bước, {len(rules.deadlines)} thời hạn."
        )

    def _diagram(self, code, number=None, **options):
        versions = RuleSetVersion.objects.filter(code=code)
        if not versions.exists():
            ruleset_load_all()
        version = (
            versions.filter(version=number).first()
            if number
            else versions.filter(is_current=True).first()
        )
        if version is None:
            raise CommandError(
                f"Không có bộ quy tắc «{code}»" + (f" phiên bản {number}." if number else ".")
            )
        self.stdout.write(mermaid(version.rules), ending="")

    def _load(self, **options):
        try:
            created = ruleset_load_all()
        except RuleSetInvalid as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError("Có tệp quy tắc không hợp lệ; các tệp hợp lệ đã được nạp.") from exc
        for version in created:
            self.stdout.write(f"Đã nạp {version.code} phiên bản {version.version}.")
        if not created:
            self.stdout.write("Không có thay đổi.")

    def _list(self, **options):
        for v in RuleSetVersion.objects.order_by("code", "version"):
            mark = "*" if v.is_current else " "
            self.stdout.write(
                f"{mark} {v.code:<16} v{v.version:<3} {v.loaded_at:%d/%m/%Y %H:%M}  {v.title}"
            )
