"""Adding, changing and removing calendar overrides: who may, which days make sense, the audit trail.

Rules: an agency's days are kept by its administrators, national days by the
ministry's; one entry per agency and date; a day off on a day already off (or a
working day on a day already worked) is pointless; another agency's entry is a 404.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404

from khcn.accounts.models import Agency, Role
from khcn.audit.models import AuditAction, AuditEvent
from khcn.audit.services import verify
from khcn.core.calendar import calendar_for
from khcn.core.calendar_services import (
    calendar_override_create,
    calendar_override_delete,
    calendar_override_update,
)
from khcn.core.errors import ConflictError, DomainError
from khcn.core.models import CalendarOverride
from khcn.core.permissions import can, scope
from tests.factories import AgencyFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

D = dt.date
OFF, WORKING = CalendarOverride.Kind.OFF, CalendarOverride.Kind.WORKING
DOCUMENT = "Thông báo 86/TB-UBND ngày 20/4/2026 của UBND thành phố Hải Phòng"
LIBERATION_DAY = D(2026, 5, 13)  # a Wednesday


@pytest.fixture
def ministry(db):
    return AgencyFactory(code="bo-test", name="Bộ Khoa học và Công nghệ", kind=Agency.Kind.MINISTRY)


@pytest.fixture
def ministry_admin(ministry):
    return user_with_role(Role.ADMIN, ministry, username="quantri.bo")


def add(actor, agency, day=LIBERATION_DAY, kind=OFF, **fields) -> CalendarOverride:
    data = {"name": "Ngày Giải phóng Hải Phòng", "legal_document": DOCUMENT, **fields}
    return calendar_override_create(actor=actor, agency=agency, date=day, kind=kind, **data)


def events(action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


# --- create -----------------------------------------------------------------------------------------


def test_admin_adds_a_day_off_for_the_agency(admin_a, agency_a):
    override = add(admin_a, agency_a, note="  Nghỉ kỷ niệm  ")

    saved = CalendarOverride.objects.get()
    assert saved == override
    assert (saved.agency, saved.date, saved.kind, saved.created_by) == (
        agency_a,
        D(2026, 5, 13),
        OFF,
        admin_a,
    )
    assert saved.note == "Nghỉ kỷ niệm"
    assert not calendar_for(agency_a).is_working_day(D(2026, 5, 13))
    [event] = events(AuditAction.CALENDAR_OVERRIDE_CREATED)
    assert (event.actor, event.agency, event.object_id) == (admin_a, agency_a, str(saved.pk))
    assert event.before is None
    assert event.after == {
        "agency": agency_a.pk,
        "date": "2026-05-13",
        "kind": "off",
        "name": "Ngày Giải phóng Hải Phòng",
        "legal_document": DOCUMENT,
        "note": "Nghỉ kỷ niệm",
    }


def test_a_make_up_saturday(admin_a, agency_a):
    add(admin_a, agency_a, D(2026, 5, 16), WORKING, name="Làm bù cho ngày 13/5")

    assert calendar_for(agency_a).is_working_day(D(2026, 5, 16))


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEADER])
def test_staff_and_leaders_may_not_add(role, agency_a):
    user = user_with_role(role, agency_a)

    with pytest.raises(PermissionDenied):
        add(user, agency_a)
    assert not CalendarOverride.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("role", [Role.HOST, Role.EXPERT, Role.ENTERPRISE, Role.PUBLIC])
def test_outside_roles_do_not_even_see_the_agency_calendar(role, agency_a):
    with pytest.raises(Http404):
        add(user_with_role(role, agency_a), agency_a)


def test_admin_of_another_agency_gets_404(admin_b, agency_a):
    with pytest.raises(Http404):
        add(admin_b, agency_a)
    assert not CalendarOverride.objects.exists()


def test_national_days_are_for_the_ministry(admin_a, ministry_admin, agency_a, agency_b):
    with pytest.raises(PermissionDenied):
        add(admin_a, None, D(2026, 1, 2), name="Nghỉ bù Tết Dương lịch")

    override = add(ministry_admin, None, D(2026, 1, 2), name="Nghỉ bù Tết Dương lịch")

    assert override.agency is None
    assert not calendar_for(agency_a).is_working_day(D(2026, 1, 2))
    assert not calendar_for(agency_b).is_working_day(D(2026, 1, 2))
    [event] = events(AuditAction.CALENDAR_OVERRIDE_CREATED)
    assert event.agency is None and event.after["agency"] is None


def test_operator_may_add_national_days(db):
    operator = UserFactory(is_superuser=True)

    assert add(operator, None, D(2026, 1, 2)).agency is None


def test_ministry_admin_does_not_manage_a_department(ministry_admin, agency_a):
    with pytest.raises(Http404):
        add(ministry_admin, agency_a)


def test_duplicate_date_for_the_same_agency(admin_a, agency_a):
    add(admin_a, agency_a)

    with pytest.raises(ConflictError) as caught:
        add(admin_a, agency_a, name="Lần hai")

    assert caught.value.message == (
        "Ngày 13/05/2026 đã có trong lịch của Sở KH&CN HP; hãy sửa mục đã có thay vì thêm mới."
    )
    assert caught.value.status == 409
    assert CalendarOverride.objects.count() == 1
    assert len(events(AuditAction.CALENDAR_OVERRIDE_CREATED)) == 1


def test_same_date_in_two_agencies_and_nationally(
    admin_a, admin_b, agency_a, agency_b, ministry_admin
):
    add(admin_a, agency_a, D(2026, 1, 2), name="Nghỉ")
    add(admin_b, agency_b, D(2026, 1, 2), name="Nghỉ")
    add(ministry_admin, None, D(2026, 1, 2), name="Nghỉ bù Tết Dương lịch")

    assert CalendarOverride.objects.filter(date=D(2026, 1, 2)).count() == 3


def test_the_database_refuses_a_second_national_entry_too(db):
    def national():
        CalendarOverride.objects.create(
            agency=None, date=D(2026, 1, 2), kind=OFF, name="Nghỉ", legal_document="TB"
        )

    national()
    with pytest.raises(IntegrityError), transaction.atomic():
        national()


@pytest.mark.parametrize(
    ("day", "kind", "message"),
    [
        (
            D(2026, 2, 17),
            OFF,
            "Ngày 17/02/2026 đã là ngày nghỉ (Tết Nguyên Đán); không cần thêm ngày nghỉ.",
        ),
        (
            D(2026, 5, 17),
            OFF,
            "Ngày 17/05/2026 đã là ngày nghỉ (Chủ nhật); không cần thêm ngày nghỉ.",
        ),
        (
            D(2026, 5, 16),
            OFF,
            "Ngày 16/05/2026 đã là ngày nghỉ (thứ Bảy); không cần thêm ngày nghỉ.",
        ),
        (
            D(2026, 5, 13),
            WORKING,
            "Ngày 13/05/2026 vốn đã là ngày làm việc; không cần thêm ngày làm bù.",
        ),
        (
            D(2026, 8, 22),
            WORKING,
            "Ngày 22/08/2026 vốn đã là ngày làm việc; không cần thêm ngày làm bù.",
        ),
    ],
)
def test_pointless_days_are_refused(admin_a, agency_a, day, kind, message):
    with pytest.raises(DomainError) as caught:
        add(admin_a, agency_a, day, kind)

    assert caught.value.message == message
    assert caught.value.code == "pointless"
    assert not CalendarOverride.objects.exists()
    assert not AuditEvent.objects.exists()


def test_cancelling_a_make_up_saturday_or_working_on_a_holiday_is_allowed(admin_a, agency_a):
    add(admin_a, agency_a, D(2026, 8, 22), OFF, name="Không làm bù")
    add(admin_a, agency_a, D(2026, 11, 24), WORKING, name="Làm việc ngày Văn hóa")

    cal = calendar_for(agency_a)
    assert not cal.is_working_day(D(2026, 8, 22)) and cal.is_working_day(D(2026, 11, 24))


def test_pointless_is_judged_against_the_national_entry(admin_a, agency_a, ministry_admin):
    add(ministry_admin, None, D(2026, 1, 2), OFF, name="Nghỉ bù Tết Dương lịch")

    with pytest.raises(DomainError, match="đã là ngày nghỉ \\(Nghỉ bù Tết Dương lịch\\)"):
        add(admin_a, agency_a, D(2026, 1, 2), OFF)
    # working that day is a real difference for the agency
    add(admin_a, agency_a, D(2026, 1, 2), WORKING, name="Trực")
    assert calendar_for(agency_a).is_working_day(D(2026, 1, 2))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "   "}, "Hãy nhập tên ngày (ví dụ: Nghỉ bù Tết)."),
        (
            {"legal_document": ""},
            "Hãy ghi văn bản công bố ngày này (ví dụ: Thông báo 6150/TB-BNV ngày 14/11/2025).",
        ),
        ({"kind": "holiday"}, "Loại ngày không hợp lệ."),
        ({"day": D(1989, 5, 15)}, "Năm 1989 nằm ngoài khoảng 1990–2100."),
    ],
)
def test_incomplete_entries_are_refused(admin_a, agency_a, fields, message):
    with pytest.raises(DomainError) as caught:
        add(admin_a, agency_a, **fields)

    assert caught.value.message == message
    assert not CalendarOverride.objects.exists()


# --- update -----------------------------------------------------------------------------------------


def test_update_records_before_and_after(admin_a, agency_a):
    override = add(admin_a, agency_a)

    changed = calendar_override_update(
        actor=admin_a, override=override, date=D(2026, 5, 14), name="Nghỉ lễ hội Hoa Phượng Đỏ"
    )

    assert (changed.date, changed.name) == (D(2026, 5, 14), "Nghỉ lễ hội Hoa Phượng Đỏ")
    cal = calendar_for(agency_a)
    assert cal.is_working_day(D(2026, 5, 13)) and not cal.is_working_day(D(2026, 5, 14))
    [event] = events(AuditAction.CALENDAR_OVERRIDE_UPDATED)
    assert event.actor == admin_a and event.agency == agency_a
    assert event.before["date"] == "2026-05-13" and event.after["date"] == "2026-05-14"
    assert [c[0] for c in event.changes()] == ["date", "name"]


def test_update_without_a_change_records_nothing(admin_a, agency_a):
    override = add(admin_a, agency_a)

    calendar_override_update(actor=admin_a, override=override, name="Ngày Giải phóng Hải Phòng ")

    assert events(AuditAction.CALENDAR_OVERRIDE_UPDATED) == []


def test_update_into_a_duplicate_or_a_pointless_day_changes_nothing(admin_a, agency_a):
    first = add(admin_a, agency_a)
    second = add(admin_a, agency_a, D(2026, 5, 14), name="Ngày thứ hai")

    with pytest.raises(ConflictError):
        calendar_override_update(actor=admin_a, override=second, date=D(2026, 5, 13))
    with pytest.raises(DomainError, match="không cần thêm ngày làm bù"):
        calendar_override_update(actor=admin_a, override=first, kind=WORKING)

    assert list(CalendarOverride.objects.values_list("date", "kind")) == [
        (D(2026, 5, 13), OFF),
        (D(2026, 5, 14), OFF),
    ]
    assert events(AuditAction.CALENDAR_OVERRIDE_UPDATED) == []


def test_update_of_the_same_day_is_not_a_duplicate_of_itself(admin_a, agency_a):
    override = add(admin_a, agency_a)

    calendar_override_update(actor=admin_a, override=override, legal_document="Quyết định 12/QĐ")

    assert CalendarOverride.objects.get().legal_document == "Quyết định 12/QĐ"


def test_update_cannot_move_an_entry_to_another_agency(admin_a, agency_a, agency_b):
    override = add(admin_a, agency_a)

    with pytest.raises(TypeError):
        calendar_override_update(actor=admin_a, override=override, agency=agency_b)


def test_other_agency_admin_gets_404_on_update_and_delete(admin_a, admin_b, agency_a):
    override = add(admin_a, agency_a)

    with pytest.raises(Http404):
        calendar_override_update(actor=admin_b, override=override, name="Sửa trộm")
    with pytest.raises(Http404):
        calendar_override_delete(actor=admin_b, override=override)

    assert CalendarOverride.objects.get().name == "Ngày Giải phóng Hải Phòng"


def test_staff_sees_but_may_not_change(admin_a, staff_a, agency_a):
    override = add(admin_a, agency_a)

    with pytest.raises(PermissionDenied):
        calendar_override_update(actor=staff_a, override=override, name="Sửa")
    with pytest.raises(PermissionDenied):
        calendar_override_delete(actor=staff_a, override=override)


def test_department_admin_may_not_touch_a_national_entry(admin_a, ministry_admin):
    override = add(ministry_admin, None, D(2026, 1, 2))

    with pytest.raises(PermissionDenied):
        calendar_override_update(actor=admin_a, override=override, name="Sửa")
    with pytest.raises(PermissionDenied):
        calendar_override_delete(actor=admin_a, override=override)
    calendar_override_update(actor=ministry_admin, override=override, name="Nghỉ bù 2/1")
    assert CalendarOverride.objects.get().name == "Nghỉ bù 2/1"


# --- delete -----------------------------------------------------------------------------------------


def test_delete_records_what_was_removed(admin_a, agency_a):
    override = add(admin_a, agency_a)
    pk = override.pk

    calendar_override_delete(actor=admin_a, override=override)

    assert not CalendarOverride.objects.exists()
    assert calendar_for(agency_a).is_working_day(D(2026, 5, 13))
    [event] = events(AuditAction.CALENDAR_OVERRIDE_DELETED)
    assert (event.object_id, event.agency, event.after) == (str(pk), agency_a, None)
    assert event.before["name"] == "Ngày Giải phóng Hải Phòng"
    assert verify().ok


# --- the permission table -----------------------------------------------------------------------------

ROLES = [Role.STAFF, Role.LEADER, Role.ADMIN, Role.HOST, Role.EXPERT, Role.ENTERPRISE, Role.PUBLIC]
# columns follow ROLES: staff, leader, admin, host, expert, enterprise, public
MATRIX = {
    ("calendar.view", "own"):      (1, 1, 1, 0, 0, 0, 0),
    ("calendar.view", "national"): (1, 1, 1, 0, 0, 0, 0),
    ("calendar.view", "other"):    (0, 0, 0, 0, 0, 0, 0),
    ("calendar.manage", "own"):    (0, 0, 1, 0, 0, 0, 0),
    ("calendar.manage", "national"): (0, 0, 0, 0, 0, 0, 0),
    ("calendar.manage", "other"):  (0, 0, 0, 0, 0, 0, 0),
}  # fmt: skip


@pytest.mark.parametrize(
    ("role", "action", "where", "expected"),
    [
        (role, action, where, bool(allowed))
        for (action, where), row in MATRIX.items()
        for role, allowed in zip(ROLES, row, strict=True)
    ],
)
def test_permission_matrix(role, action, where, expected, agency_a, agency_b):
    user = user_with_role(role, agency_a)
    owner = {"own": agency_a, "national": None, "other": agency_b}[where]

    decision = can(user, action, CalendarOverride(agency=owner, date=D(2026, 5, 13)))

    assert decision.allowed is expected
    if not expected:
        assert decision.reason


def test_ministry_admin_manages_national_entries(ministry_admin):
    assert can(ministry_admin, "calendar.manage", CalendarOverride(agency=None))


def test_lists_show_own_and_national_entries(admin_a, staff_a, agency_a, agency_b, ministry_admin):
    own = CalendarOverride.objects.create(
        agency=agency_a, date=D(2026, 5, 13), kind=OFF, name="A", legal_document="TB"
    )
    national = CalendarOverride.objects.create(
        agency=None, date=D(2026, 1, 2), kind=OFF, name="Chung", legal_document="TB"
    )
    CalendarOverride.objects.create(
        agency=agency_b, date=D(2026, 5, 13), kind=OFF, name="B", legal_document="TB"
    )

    assert set(scope(staff_a, "calendar.view", CalendarOverride.objects.all())) == {own, national}
    assert set(scope(admin_a, "calendar.manage", CalendarOverride.objects.all())) == {own}
    assert set(scope(ministry_admin, "calendar.manage", CalendarOverride.objects.all())) == {
        national
    }
