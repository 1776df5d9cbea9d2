"""`khcn workdays`: deadline arithmetic on the working-day calendar, from the shell.

khcn workdays add 2026-02-13 10         -> 2026-03-06
khcn workdays add 15/05/2026 -30        -> 2026-03-31
khcn workdays add 2026-02-10 7 --unit calendar
khcn workdays count 2026-02-13 2026-03-06 [--agency hp]
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from khcn.accounts.models import Agency
from khcn.core.calendar import MAX_DAYS, WorkCalendar, calendar_for, parse_date


def _date(value: str):
    try:
        return parse_date(value)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc


def _days(value: str) -> int:
    try:
        days = int(str(value).strip())
    except ValueError as exc:
        raise CommandError(
            _("“%(value)s” không phải là số ngày (số nguyên, có thể âm).") % {"value": value}
        ) from exc
    if not -MAX_DAYS <= days <= MAX_DAYS:
        raise CommandError(_("Số ngày phải trong khoảng -%(max)s đến %(max)s.") % {"max": MAX_DAYS})
    return days


class Command(BaseCommand):
    help = (
        "Cộng/trừ ngày làm việc và đếm ngày làm việc theo lịch nghỉ "
        "(Bộ luật Lao động 2019 Đ112; Bộ luật Dân sự 2015 Đ147–148)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{add,count}")

        add = actions.add_parser(
            "add",
            help="Ngày làm việc thứ N sau ngày đã cho (N âm: trước); không tính chính ngày đó.",
        )
        add.add_argument("date", help="yyyy-mm-dd hoặc dd/mm/yyyy")
        add.add_argument("days", help="số ngày N, có thể âm")
        add.add_argument(
            "--unit",
            choices=["working", "calendar"],
            default="working",
            help="working: ngày làm việc (mặc định); calendar: ngày lịch, "
            "rơi vào ngày nghỉ thì chuyển sang ngày làm việc kế tiếp.",
        )
        add.add_argument("--agency", default="", help="mã cơ quan (mặc định: lịch chung)")

        count = actions.add_parser(
            "count", help="Số ngày làm việc từ sau ngày A đến hết ngày B: (A, B]."
        )
        count.add_argument("start", help="yyyy-mm-dd hoặc dd/mm/yyyy")
        count.add_argument("end", help="yyyy-mm-dd hoặc dd/mm/yyyy")
        count.add_argument("--agency", default="", help="mã cơ quan (mặc định: lịch chung)")

    def handle(self, *args, **options):
        # Input first: a typing mistake is reported without touching the database.
        if options["action"] == "add":
            start = _date(options["date"])
            days = _days(options["days"])
            cal = self._calendar(options["agency"])
            if options["unit"] == "calendar":
                result = cal.add_calendar_days(start, days)
            else:
                result = cal.add_working_days(start, days)
            self.stdout.write(result.isoformat())
        else:
            start, end = _date(options["start"]), _date(options["end"])
            cal = self._calendar(options["agency"])
            self.stdout.write(str(cal.count_working_days(start, end)))

    def _calendar(self, code: str) -> WorkCalendar:
        if not code:
            return calendar_for(None)
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise CommandError(_("Không có cơ quan mã “%(code)s”.") % {"code": code})
        return calendar_for(agency)
