"""The working-day calendar: which days are worked, and deadline arithmetic on them.

Days off (Bộ luật Lao động 2019 Đ112): 1/1, Tết Nguyên đán (5 days), Giỗ Tổ Hùng
Vương (10/3 lunar), 30/4, 1/5, 2/9 and a day next to it, with the days the
government swaps each year; `holidays.VN` holds them, including the Saturdays
worked in exchange (`weekend_workdays`). Saturdays and Sundays are off for state
agencies (the 40-hour week, Quyết định 188/1999/QĐ-TTg). Future years in
`holidays.VN` hold only the rule-based dates, so an override table
(`CalendarOverride`) adds the days announced later.

Which rule decides a day, strongest first: an override for the agency, a
national override (no agency), `holidays.VN` (a holiday or a make-up Saturday),
the weekend.

Counting periods (Bộ luật Dân sự 2015): a period in days starts the day after
the event, so that day itself is never counted (Đ147); when the last day of a
period is a day off, the period ends on the next working day (Đ148).

A `WorkCalendar` reads its overrides with one query when it is built and then
answers from memory: build one per agency and reuse it in loops.
"""

import calendar as _stdlib_calendar
import datetime as dt
import functools
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import holidays
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

# Years the forms, the API and the command accept, and the longest period they compute.
MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_DAYS = 3650

LAW = "law"
OVERRIDE = "override"


@dataclass(frozen=True)
class DayOff:
    """A named day: a day off, or a weekend day worked. `source` is "law" or "override"."""

    date: dt.date
    name: str
    source: str
    legal_document: str = ""


@dataclass(frozen=True)
class _Law:
    """One year of `holidays.VN`: {date: Vietnamese name} and the weekend days worked."""

    holidays: dict[dt.date, str]
    workdays: frozenset[dt.date]


@functools.lru_cache(maxsize=512)
def _law_year(year: int) -> _Law:
    vn = holidays.VN(years=year, language="vi")
    return _Law(
        holidays={d: name for d, name in vn.items() if d.year == year},
        workdays=frozenset(d for d in vn.weekend_workdays if d.year == year),
    )


@functools.lru_cache(maxsize=512)
def _law_names(year: int, language: str) -> dict[dt.date, str]:
    return dict(holidays.VN(years=year, language=language).items())


def _ui_language() -> str:
    return "en_US" if (translation.get_language() or "vi").startswith("en") else "vi"


def law_is_working_day(d: dt.date) -> bool:
    """The law's answer alone: `holidays.VN` and the weekend, no override."""
    law = _law_year(d.year)
    if d in law.holidays:
        return False
    if d in law.workdays:
        return True
    return d.weekday() < 5


def _law_document() -> str:
    return _("Bộ luật Lao động 2019, Điều 112")


def law_holiday(d: dt.date) -> DayOff | None:
    """The law's holiday on `d` (named in the interface language), if any."""
    names = _law_year(d.year).holidays
    if d not in names:
        return None
    language = _ui_language()
    name = names[d] if language == "vi" else _law_names(d.year, language).get(d, names[d])
    return DayOff(d, name, LAW, _law_document())


def _law_make_up(d: dt.date) -> DayOff:
    """A make-up Saturday, named after the day off it pays for ("Ngày nghỉ (thay cho ngày …)")."""
    vn = holidays.VN(years=d.year, language="vi")
    label = vn.substituted_label % d.strftime(vn.substituted_date_format)
    for year in (d.year, d.year - 1, d.year + 1):
        for day, name in _law_year(year).holidays.items():
            if name == label:
                name = _("Làm bù cho ngày nghỉ %(date)s") % {"date": f"{day:%d/%m/%Y}"}
                return DayOff(d, name, LAW, _law_document())
    return DayOff(d, _("Ngày làm bù"), LAW, _law_document())


@dataclass(frozen=True)
class _Override:
    working: bool
    name: str
    legal_document: str


def _check_date(d) -> None:
    # A datetime is a date too, but would silently miss every lookup keyed by date.
    if isinstance(d, dt.datetime) or not isinstance(d, dt.date):
        raise TypeError(f"a datetime.date is needed, not {type(d).__name__}")


class WorkCalendar:
    """Working days of one agency (or of the whole country when `agency_id` is None)."""

    def __init__(self, agency_id: int | None = None) -> None:
        from khcn.core.models import CalendarOverride

        self.agency_id = agency_id
        rows = CalendarOverride.objects.filter(
            Q(agency__isnull=True) | Q(agency_id=agency_id)
            if agency_id is not None
            else Q(agency__isnull=True)
        ).values_list("agency_id", "date", "kind", "name", "legal_document")
        national: dict[dt.date, _Override] = {}
        own: dict[dt.date, _Override] = {}
        for owner, day, kind, name, document in rows:
            entry = _Override(kind == CalendarOverride.Kind.WORKING, name, document)
            (national if owner is None else own)[day] = entry
        self._overrides = {**national, **own}  # the agency's own entry wins
        self._memo: dict[dt.date, bool] = {}
        self._by_year: dict[int, list[int]] = {}

    def __repr__(self) -> str:
        return f"<WorkCalendar agency={self.agency_id} overrides={len(self._overrides)}>"

    # --- single days ----------------------------------------------------------------------------

    def is_working_day(self, d: dt.date) -> bool:
        try:
            return self._memo[d]
        except KeyError:
            pass
        _check_date(d)
        entry = self._overrides.get(d)
        working = entry.working if entry is not None else law_is_working_day(d)
        self._memo[d] = working
        return working

    def describe(self, d: dt.date) -> DayOff | None:
        """What makes `d` special: its override, its holiday or make-up day, else None."""
        _check_date(d)
        entry = self._overrides.get(d)
        if entry is not None:
            return DayOff(d, entry.name, OVERRIDE, entry.legal_document)
        holiday = law_holiday(d)
        if holiday is not None:
            return holiday
        if d in _law_year(d.year).workdays:
            return _law_make_up(d)
        return None

    # --- arithmetic -----------------------------------------------------------------------------

    def _working(self, year: int) -> list[int]:
        """The ordinals of the year's working days, ascending (built once per year)."""
        try:
            return self._by_year[year]
        except KeyError:
            pass
        first = dt.date(year, 1, 1).toordinal()
        last = dt.date(year, 12, 31).toordinal()
        days = [o for o in range(first, last + 1) if self.is_working_day(dt.date.fromordinal(o))]
        self._by_year[year] = days
        return days

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day after `d` (n > 0) or before it (n < 0); `d` for n == 0.

        `d` itself is never counted, working day or not (BLDS 2015 Đ147): 10 working
        days after Friday 13/2/2026 (Tết 16–20/2) is 6/3/2026.
        """
        _check_date(d)
        if n == 0:
            return d
        year, ordinal = d.year, d.toordinal()
        days = self._working(year)
        if n > 0:
            i = bisect_right(days, ordinal)  # the first working day after d
            while i + n > len(days):
                n -= len(days) - i
                year += 1
                days, i = self._working(year), 0
            return dt.date.fromordinal(days[i + n - 1])
        k = -n
        i = bisect_left(days, ordinal)  # the number of working days before d this year
        while k > i:
            k -= i
            year -= 1
            days = self._working(year)
            i = len(days)
        return dt.date.fromordinal(days[i - k])

    def _next_open(self, d: dt.date, forward: bool) -> dt.date:
        if self.is_working_day(d):
            return d
        return self.add_working_days(d, 1 if forward else -1)

    def add_calendar_days(self, d: dt.date, n: int) -> dt.date:
        """`d` + n days; a day off moves to the next working day (BLDS 2015 Đ148).

        Counting backwards (n < 0) a day off moves to the previous working day: an
        earlier limit is the safe one.
        """
        _check_date(d)
        return self._next_open(d + dt.timedelta(days=n), forward=n >= 0)

    def add_months(self, d: dt.date, n: int) -> dt.date:
        """`d` + n months (see `shift_months`), then moved off a day off like
        `add_calendar_days` (BLDS 2015 Đ147–148)."""
        _check_date(d)
        return self._next_open(shift_months(d, n), forward=n >= 0)

    def count_working_days(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b]: `a` not counted, `b` counted; -count(b, a) when b < a.

        So counts add up: count(a, b) + count(b, c) == count(a, c).
        """
        _check_date(a)
        _check_date(b)
        if b < a:
            return -self.count_working_days(b, a)
        total = 0
        for year in range(a.year, b.year + 1):
            days = self._working(year)
            total += bisect_right(days, b.toordinal()) - bisect_right(days, a.toordinal())
        return total

    # --- lists ----------------------------------------------------------------------------------

    def _year_days(self, year: int):
        day = dt.date(year, 1, 1)
        while day.year == year:
            yield day
            day += dt.timedelta(days=1)

    def days_off(self, year: int) -> list[DayOff]:
        """The year's days off other than ordinary weekends, by date.

        A holiday falling on a Saturday or Sunday is not listed (nothing changes that
        day; its observed day is); an override day off on a weekend (a make-up Saturday
        cancelled) is.
        """
        found = []
        for day in self._year_days(year):
            if self.is_working_day(day):
                continue
            entry = self._overrides.get(day)
            if entry is not None:
                found.append(DayOff(day, entry.name, OVERRIDE, entry.legal_document))
            elif day.weekday() < 5:
                found.append(law_holiday(day) or DayOff(day, "", LAW, _law_document()))
        return found

    def make_up_days(self, year: int) -> list[DayOff]:
        """The year's Saturdays and Sundays that are working days, by date."""
        return [
            self.describe(day)
            for day in self._year_days(year)
            if day.weekday() >= 5 and self.is_working_day(day)
        ]


def shift_months(d: dt.date, n: int) -> dt.date:
    """The same day `n` months later (or earlier), clamped to the month's end (31/1 + 1
    month = 28/2 or 29/2); days off are not considered."""
    year, month = divmod(d.year * 12 + d.month - 1 + n, 12)
    day = min(d.day, _stdlib_calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


def calendar_for(agency=None) -> WorkCalendar:
    """The calendar of `agency` (an Agency or its id); the national one for None."""
    if agency is None:
        return WorkCalendar(None)
    return WorkCalendar(int(getattr(agency, "pk", agency)))


def parse_date(value: str) -> dt.date:
    """A date typed as yyyy-mm-dd or dd/mm/yyyy, between MIN_YEAR and MAX_YEAR.

    Raises ValueError with a message for the user.
    """
    text = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        check_year(day.year)
        return day
    raise ValueError(
        _("“%(value)s” không phải là ngày hợp lệ (dạng dd/mm/yyyy hoặc yyyy-mm-dd).")
        % {"value": text}
    )


def check_year(year: int) -> int:
    """`year` itself, or ValueError when it lies outside MIN_YEAR–MAX_YEAR."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(
            _("Năm %(year)s nằm ngoài khoảng %(min)s–%(max)s.")
            % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return year
