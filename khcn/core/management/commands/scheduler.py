from django.core.management.base import BaseCommand

from khcn.core.jobs import run_scheduler, scheduler_tick


class Command(BaseCommand):
    help = "Xếp lịch các việc chạy hằng ngày (sau giờ KHCN_DAILY_JOBS_HOUR) vào hàng đợi."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Kiểm tra một lần rồi thoát.")
        parser.add_argument("--interval", type=float, default=60.0)

    def handle(self, *args, once, interval, **options):
        if once:
            for name in scheduler_tick():
                self.stdout.write(f"đã xếp lịch: {name}")
            return
        run_scheduler(interval=interval)
