import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy máy chủ WSGI cho môi trường thật (gunicorn), phục vụ cả tệp tĩnh qua WhiteNoise."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("KHCN_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("KHCN_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("KHCN_THREADS", "4")))
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args, bind, workers, threads, no_collectstatic, **options):
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        self._load_rulesets()
        self.stdout.write(f"KHCN: http://{bind}/  (Ctrl+C để dừng)")
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "khcn.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            "-" if settings.DEBUG else "/dev/null",
        ]
        os.execv(sys.executable, argv)

    def _load_rulesets(self) -> None:
        """Rule files changed since the last start become new versions (running records keep theirs)."""
        from khcn.workflow.definition import RuleSetInvalid
        from khcn.workflow.loader import ruleset_load_all

        try:
            for version in ruleset_load_all():
                self.stdout.write(f"Đã nạp bộ quy tắc {version.code} phiên bản {version.version}.")
        except RuleSetInvalid as exc:
            for error in exc.errors:
                self.stderr.write(f"Bộ quy tắc không hợp lệ, chưa nạp: {error}")
