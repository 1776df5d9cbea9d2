"""The year calendar for staff, and the administrators' pages for days off and make-up days."""

import calendar as _stdlib_calendar
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khcn.accounts.models import Agency, Role
from khcn.core import calendar_services as services
from khcn.core import clock
from khcn.core.calendar import LAW, MAX_YEAR, MIN_YEAR, WorkCalendar, calendar_for
from khcn.core.calendar_forms import NATIONAL, OverrideForm
from khcn.core.calendar_permissions import administers_ministry
from khcn.core.errors import DomainError
from khcn.core.models import CalendarOverride
from khcn.core.permissions import can, get_visible, require, scope

WEEKDAY_SHORT = [
    gettext_lazy("T2"),
    gettext_lazy("T3"),
    gettext_lazy("T4"),
    gettext_lazy("T5"),
    gettext_lazy("T6"),
    gettext_lazy("T7"),
    gettext_lazy("CN"),
]
WEEKDAY_LONG = [
    gettext_lazy("Thứ Hai"),
    gettext_lazy("Thứ Ba"),
    gettext_lazy("Thứ Tư"),
    gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"),
    gettext_lazy("Thứ Bảy"),
    gettext_lazy("Chủ nhật"),
]
# Which form field a service error belongs to (DomainError.code).
ERROR_FIELDS = {
    "duplicate": "date",
    "pointless": "date",
    "date": "date",
    "kind": "kind",
    "name": "name",
    "legal_document": "legal_document",
}


def _year(request) -> int:
    """?nam=2026; the current year when absent or out of range (with a notice)."""
    today = clock.today()
    raw = request.GET.get("nam", "").strip()
    if not raw:
        return today.year
    if raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return int(raw)
    messages.warning(
        request,
        _("Năm “%(raw)s” không hợp lệ (chỉ từ %(min)s đến %(max)s); đang hiển thị năm %(year)s.")
        % {"raw": raw[:20], "min": MIN_YEAR, "max": MAX_YEAR, "year": today.year},
    )
    return today.year


def _cell(cal: WorkCalendar, day: dt.date, today: dt.date) -> dict:
    working = cal.is_working_day(day)
    weekend = day.weekday() >= 5
    named = cal.describe(day)
    if working and weekend:
        css, label = "cal-makeup", _("Ngày làm bù")
    elif not working and (named is not None or not weekend):
        css, label = "cal-off", _("Ngày nghỉ")
    elif weekend:
        css, label = "cal-weekend", ""
    else:
        css, label = "", ""
    if named is not None and named.source != LAW:
        css += " cal-override"
    if day == today:
        css += " cal-today"
    title = f"{WEEKDAY_LONG[day.weekday()]}, {day:%d/%m/%Y}"
    if named is not None:
        title += f" – {named.name}"
    elif label:
        title += f" – {label}"
    return {"day": day.day, "css": css.strip(), "title": title}


def year_grid(cal: WorkCalendar, year: int, today: dt.date) -> list[dict]:
    """Twelve month grids, Monday first; days of the neighbouring months are blank cells."""
    months = []
    weeks_of = _stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar
    for month in range(1, 13):
        weeks = [
            [_cell(cal, day, today) if day.month == month else None for day in week]
            for week in weeks_of(year, month)
        ]
        while len(weeks) < 6:  # every grid six rows high, so the months line up
            weeks.append([None] * 7)
        months.append({"number": month, "name": _("Tháng %(n)s") % {"n": month}, "weeks": weeks})
    return months


@login_required
def calendar_year(request):
    """The working-day calendar of the user's agency for one year (BLLĐ 2019 Đ112)."""
    require(request.user, "calendar.view")
    year = _year(request)
    today = clock.today()
    agency = request.agency if request.agency else None
    cal = calendar_for(agency.pk if agency else None)
    days_off, make_up = cal.days_off(year), cal.make_up_days(year)
    rows = sorted(
        [(entry, False) for entry in days_off] + [(entry, True) for entry in make_up],
        key=lambda row: row[0].date,
    )
    last_year_end = dt.date(year - 1, 12, 31)
    return render(
        request,
        "core/calendar_year.html",
        {
            "year": year,
            "previous": year - 1 if year > MIN_YEAR else None,
            "next": year + 1 if year < MAX_YEAR else None,
            "this_year": today.year,
            "agency": agency,
            "months": year_grid(cal, year, today),
            "weekdays": WEEKDAY_SHORT,
            "rows": [
                {
                    "entry": entry,
                    "weekday": WEEKDAY_LONG[entry.date.weekday()],
                    "make_up": make_up_day,
                }
                for entry, make_up_day in rows
            ],
            "working_days": cal.count_working_days(last_year_end, dt.date(year, 12, 31)),
            "days_off_count": len(days_off),
            "make_up_count": len(make_up),
            "can_manage": can(request.user, "calendar.manage"),
        },
    )


# --- administrators: overrides ------------------------------------------------------------------


def _managed_agencies(user):
    if user.is_superuser:
        return Agency.objects.all()
    return Agency.objects.filter(pk__in=user.agency_ids_with({Role.ADMIN}))


def _may_manage_national(user) -> bool:
    return user.is_superuser or administers_ministry(user)


def _service_error(form, exc: DomainError) -> None:
    field = ERROR_FIELDS.get(exc.code)
    form.add_error(field if field in form.fields else None, exc.message)


def _list_url(day: dt.date) -> str:
    return f"{reverse('calendar-override-list')}?nam={day.year}"


@login_required
def calendar_override_list(request):
    """The year's overrides the administrator can see; theirs can be edited."""
    require(request.user, "calendar.manage")
    year = _year(request)
    visible = scope(
        request.user,
        "calendar.view",
        CalendarOverride.objects.filter(date__year=year).select_related("agency", "created_by"),
    )
    managed = set(
        scope(request.user, "calendar.manage", visible.order_by()).values_list("pk", flat=True)
    )
    return render(
        request,
        "core/calendar_override_list.html",
        {
            "year": year,
            "previous": year - 1 if year > MIN_YEAR else None,
            "next": year + 1 if year < MAX_YEAR else None,
            "overrides": [(o, o.pk in managed, WEEKDAY_LONG[o.date.weekday()]) for o in visible],
        },
    )


@login_required
def calendar_override_create(request):
    require(request.user, "calendar.manage")
    national = _may_manage_national(request.user)
    agencies = _managed_agencies(request.user)
    current = request.agency.pk if request.agency else None
    form = OverrideForm(
        request.POST or None,
        agencies=agencies,
        national=national,
        initial={"scope": str(current) if current else "", "kind": CalendarOverride.Kind.OFF},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["scope"] == NATIONAL:
            agency = None
        else:
            agency = agencies.get(pk=data["scope"])
        try:
            override = services.calendar_override_create(
                actor=request.user,
                agency=agency,
                date=data["date"],
                kind=data["kind"],
                name=data["name"],
                legal_document=data["legal_document"],
                note=data["note"],
                request=request,
            )
        except DomainError as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("Đã thêm %(o)s.") % {"o": override})
            return redirect(_list_url(override.date))
    return render(request, "core/calendar_override_form.html", {"form": form, "override": None})


def _get_override(request, pk: int) -> CalendarOverride:
    return get_visible(
        request.user, "calendar.manage", CalendarOverride.objects.select_related("agency"), pk=pk
    )


@login_required
def calendar_override_edit(request, pk: int):
    override = _get_override(request, pk)
    form = OverrideForm(
        request.POST or None,
        initial={
            "date": override.date,
            "kind": override.kind,
            "name": override.name,
            "legal_document": override.legal_document,
            "note": override.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            override = services.calendar_override_update(
                actor=request.user, override=override, request=request, **form.cleaned_data
            )
        except DomainError as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("Đã lưu %(o)s.") % {"o": override})
            return redirect(_list_url(override.date))
    return render(request, "core/calendar_override_form.html", {"form": form, "override": override})


@login_required
def calendar_override_delete(request, pk: int):
    """GET asks for confirmation; POST removes the day."""
    override = _get_override(request, pk)
    if request.method == "POST":
        services.calendar_override_delete(actor=request.user, override=override, request=request)
        messages.success(request, _("Đã xóa %(o)s.") % {"o": override})
        return redirect(_list_url(override.date))
    return render(request, "core/calendar_override_confirm_delete.html", {"override": override})
