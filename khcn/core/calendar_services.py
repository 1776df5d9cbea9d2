"""Writes on the working-day calendar's overrides: add, change, remove a day.

An override records a day announced after `holidays.VN` was published: a day
off or a Saturday worked that the government swaps (Bộ luật Lao động 2019 Đ112
k3), or a province's own extra day off. Each one names the document that
announced it, and each change is in the audit trail with its before/after.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from khcn.audit.models import AuditAction
from khcn.audit.services import record, snapshot
from khcn.core.calendar import check_year, law_holiday, law_is_working_day
from khcn.core.errors import ConflictError, DomainError
from khcn.core.models import CalendarOverride
from khcn.core.permissions import require

FIELDS = ["agency", "date", "kind", "name", "legal_document", "note"]
EDITABLE = frozenset({"date", "kind", "name", "legal_document", "note"})


@transaction.atomic
def calendar_override_create(
    *,
    actor,
    agency,
    date: dt.date,
    kind: str,
    name: str,
    legal_document: str,
    note: str = "",
    request=None,
) -> CalendarOverride:
    """Add a day off or a make-up working day for `agency` (None: every agency).

    National days are kept by the ministry's administrators, an agency's own by
    its administrators. One entry per agency and date; a day off on a day that
    is already off, or a working day on a day already worked, is refused as
    pointless.
    """
    override = CalendarOverride(
        agency=agency,
        date=date,
        kind=kind,
        name=(name or "").strip(),
        legal_document=(legal_document or "").strip(),
        note=(note or "").strip(),
        created_by=actor,
    )
    require(actor, "calendar.manage", override)
    _validate(override)
    _save(override)
    record(
        actor=actor,
        action=AuditAction.CALENDAR_OVERRIDE_CREATED,
        obj=override,
        after=snapshot(override, FIELDS),
        request=request,
    )
    return override


@transaction.atomic
def calendar_override_update(
    *, actor, override: CalendarOverride, request=None, **fields
) -> CalendarOverride:
    """Change the date, kind, name, document or note of an override, under the same rules
    as adding one. Its agency never changes: remove it and add it where it belongs."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"calendar_override_update() cannot change {sorted(unknown)}")
    override = (
        CalendarOverride.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=override.pk)
    )
    require(actor, "calendar.manage", override)
    before = snapshot(override, FIELDS)
    for field, value in fields.items():
        setattr(override, field, value.strip() if isinstance(value, str) else value)
    _validate(override)
    after = snapshot(override, FIELDS)
    if after == before:
        return override
    _save(override)
    record(
        actor=actor,
        action=AuditAction.CALENDAR_OVERRIDE_UPDATED,
        obj=override,
        before=before,
        after=after,
        request=request,
    )
    return override


@transaction.atomic
def calendar_override_delete(*, actor, override: CalendarOverride, request=None) -> None:
    """Remove an override: the day follows the national entry or the law again."""
    override = (
        CalendarOverride.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=override.pk)
    )
    require(actor, "calendar.manage", override)
    record(
        actor=actor,
        action=AuditAction.CALENDAR_OVERRIDE_DELETED,
        obj=override,
        before=snapshot(override, FIELDS),
        request=request,
    )
    override.delete()


def _scope_label(override: CalendarOverride) -> str:
    return str(override.agency) if override.agency_id else _("mọi cơ quan")


def _save(override: CalendarOverride) -> None:
    try:
        with transaction.atomic():  # a savepoint: a lost race leaves the transaction usable
            override.save()
    except IntegrityError as exc:
        raise _duplicate(override) from exc


def _duplicate(override: CalendarOverride) -> ConflictError:
    return ConflictError(
        _("Ngày %(date)s đã có trong lịch của %(scope)s; hãy sửa mục đã có thay vì thêm mới.")
        % {"date": f"{override.date:%d/%m/%Y}", "scope": _scope_label(override)},
        code="duplicate",
    )


def _underlying(override: CalendarOverride) -> tuple[bool, str]:
    """Whether the day is worked without this override, and why it is off if not.

    Below an agency's entry come the national entry, then the law; below a
    national entry, only the law.
    """
    day = override.date
    if override.agency_id is not None:
        national = CalendarOverride.objects.filter(agency__isnull=True, date=day).first()
        if national is not None:
            return national.kind == CalendarOverride.Kind.WORKING, national.name
    if law_is_working_day(day):
        return True, ""
    holiday = law_holiday(day)
    if holiday is not None:
        return False, holiday.name
    return False, _("thứ Bảy") if day.weekday() == 5 else _("Chủ nhật")


def _validate(override: CalendarOverride) -> None:
    if override.kind not in CalendarOverride.Kind.values:
        raise DomainError(_("Loại ngày không hợp lệ."), code="kind")
    if not isinstance(override.date, dt.date) or isinstance(override.date, dt.datetime):
        raise DomainError(_("Hãy nhập ngày."), code="date")
    try:
        check_year(override.date.year)
    except ValueError as exc:
        raise DomainError(str(exc), code="date") from exc
    if not override.name:
        raise DomainError(_("Hãy nhập tên ngày (ví dụ: Nghỉ bù Tết)."), code="name")
    if not override.legal_document:
        raise DomainError(
            _("Hãy ghi văn bản công bố ngày này (ví dụ: Thông báo 6150/TB-BNV ngày 14/11/2025)."),
            code="legal_document",
        )
    clash = CalendarOverride.objects.filter(agency_id=override.agency_id, date=override.date)
    if override.pk is not None:
        clash = clash.exclude(pk=override.pk)
    if clash.exists():
        raise _duplicate(override)
    working, reason = _underlying(override)
    date = f"{override.date:%d/%m/%Y}"
    if override.kind == CalendarOverride.Kind.OFF and not working:
        raise DomainError(
            _("Ngày %(date)s đã là ngày nghỉ (%(reason)s); không cần thêm ngày nghỉ.")
            % {"date": date, "reason": reason},
            code="pointless",
        )
    if override.kind == CalendarOverride.Kind.WORKING and working:
        raise DomainError(
            _("Ngày %(date)s vốn đã là ngày làm việc; không cần thêm ngày làm bù.")
            % {"date": date},
            code="pointless",
        )
