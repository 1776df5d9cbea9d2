import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy việc nền: bộ xếp lịch hằng ngày (tiến trình con) và db_worker của django-tasks."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Chạy hết hàng đợi rồi thoát.")
        parser.add_argument("--no-scheduler", action="store_true")

    def handle(self, *args, batch, no_scheduler, **options):
        scheduler = None
        if batch:
            call_command("scheduler", once=True)
        elif not no_scheduler:
            scheduler = subprocess.Popen([sys.executable, "-m", "khcn", "scheduler"])
        try:
            call_command("db_worker", batch=batch, no_startup_delay=True)
        finally:
            if scheduler is not None:
                scheduler.terminate()
                scheduler.wait(timeout=10)
