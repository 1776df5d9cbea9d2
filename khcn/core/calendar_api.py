"""/api/v1/calendar: deadline arithmetic on working days, the year's days off.

The calendar is public information (the law and published notices), so these
routes need no login.
"""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError, ValidationError

from khcn.accounts.models import Agency
from khcn.core.calendar import (
    MAX_DAYS,
    DayOff,
    WorkCalendar,
    calendar_for,
    check_year,
    parse_date,
)

router = Router(tags=["Lịch làm việc"], auth=None)


class DateOut(Schema):
    date: dt.date


class CountOut(Schema):
    working_days: int


class DayOut(Schema):
    date: dt.date
    name: str
    source: str
    legal_document: str


class DaysOffOut(Schema):
    year: int
    days_off: list[DayOut]
    make_up_days: list[DayOut]


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ["query", field], "msg": message}])


def _date(field: str, value: str) -> dt.date:
    try:
        return parse_date(value)
    except ValueError as exc:
        raise _invalid(field, str(exc)) from exc


def _calendar(code: str) -> WorkCalendar:
    if not code:
        return calendar_for(None)
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise HttpError(404, _("Không có cơ quan mã “%(code)s”.") % {"code": code[:40]})
    return calendar_for(agency)


def _day(entry: DayOff) -> dict:
    return {
        "date": entry.date,
        "name": entry.name,
        "source": entry.source,
        "legal_document": entry.legal_document,
    }


@router.get(
    "/add",
    response=DateOut,
    summary="Cộng/trừ ngày làm việc hoặc ngày lịch",
    description=(
        "Ngày làm việc (unit=working): ngày thứ N sau `date` (N âm: trước), không tính chính "
        "`date` (BLDS 2015 Đ147). Ngày lịch (unit=calendar): `date` + N ngày; rơi vào ngày "
        "nghỉ thì chuyển sang ngày làm việc kế tiếp (BLDS 2015 Đ148), khi N âm thì ngày làm "
        "việc liền trước."
    ),
)
def calendar_add(
    request,
    date: str = Query(..., description="yyyy-mm-dd (hoặc dd/mm/yyyy)"),
    days: int = Query(..., description=f"-{MAX_DAYS} … {MAX_DAYS}"),
    unit: str = Query("working", description="working | calendar"),
    agency: str = Query("", description="Mã cơ quan; để trống: lịch chung"),
):
    start = _date("date", date)
    if not -MAX_DAYS <= days <= MAX_DAYS:
        raise _invalid(
            "days", _("Số ngày phải trong khoảng -%(max)s đến %(max)s.") % {"max": MAX_DAYS}
        )
    if unit not in ("working", "calendar"):
        raise _invalid("unit", _("Đơn vị phải là “working” (ngày làm việc) hoặc “calendar”."))
    cal = _calendar(agency)
    if unit == "working":
        return {"date": cal.add_working_days(start, days)}
    return {"date": cal.add_calendar_days(start, days)}


@router.get(
    "/count",
    response=CountOut,
    summary="Số ngày làm việc từ sau `start` đến hết `end`",
    description="Đếm các ngày làm việc trong (start, end]; âm khi end trước start.",
)
def calendar_count(
    request,
    start: str = Query(..., description="yyyy-mm-dd (hoặc dd/mm/yyyy)"),
    end: str = Query(..., description="yyyy-mm-dd (hoặc dd/mm/yyyy)"),
    agency: str = Query("", description="Mã cơ quan; để trống: lịch chung"),
):
    a, b = _date("start", start), _date("end", end)
    return {"working_days": _calendar(agency).count_working_days(a, b)}


@router.get(
    "/days-off",
    response=DaysOffOut,
    summary="Ngày nghỉ và ngày làm bù của một năm",
    description=(
        "Ngày nghỉ ngoài thứ Bảy, Chủ nhật (lễ, Tết, nghỉ bù, ngày nghỉ theo thông báo bổ "
        "sung) và các thứ Bảy, Chủ nhật phải làm bù. source: law (Bộ luật Lao động 2019 "
        "Đ112) hoặc override (thông báo bổ sung)."
    ),
)
def calendar_days_off(
    request,
    year: int = Query(..., description="1990 … 2100"),
    agency: str = Query("", description="Mã cơ quan; để trống: lịch chung"),
):
    try:
        check_year(year)
    except ValueError as exc:
        raise _invalid("year", str(exc)) from exc
    cal = _calendar(agency)
    return {
        "year": year,
        "days_off": [_day(d) for d in cal.days_off(year)],
        "make_up_days": [_day(d) for d in cal.make_up_days(year)],
    }
