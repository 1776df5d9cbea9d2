"""Agency details are edited by that agency's administrators only; every change is audited."""

import pytest
from django.core.exceptions import PermissionDenied

from khcn.accounts import services
from khcn.accounts.models import Agency, Role
from khcn.audit.models import AuditAction, AuditEvent
from khcn.core.errors import ConflictError
from tests.factories import AgencyFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def agency_form(agency, **overrides):
    data = {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "parent": "",
        "province": "Hải Phòng",
        "address": "Số 4 Lê Lai, phường Gia Viên, Hải Phòng",
        "phone": "0225 3842 755",
        "email": "sokhcn@haiphong.gov.vn",
        "website": "https://dost.haiphong.gov.vn",
        "is_active": "on",
    }
    return {**data, **overrides}


def test_admin_edits_own_agency(client_of, admin_a, agency_a):
    client = client_of(admin_a)
    assert client.get(f"/quan-tri/co-quan/{agency_a.pk}/").status_code == 200

    response = client.post(f"/quan-tri/co-quan/{agency_a.pk}/", agency_form(agency_a))

    assert response.status_code == 302
    agency_a.refresh_from_db()
    assert agency_a.address == "Số 4 Lê Lai, phường Gia Viên, Hải Phòng"
    event = AuditEvent.objects.get(action=AuditAction.AGENCY_UPDATED)
    assert (event.actor, event.agency) == (admin_a, agency_a)
    assert (event.before["phone"], event.after["phone"]) == ("", "0225 3842 755")


def test_saving_without_changes_writes_no_event(client_of, admin_a, agency_a):
    client = client_of(admin_a)
    client.post(f"/quan-tri/co-quan/{agency_a.pk}/", agency_form(agency_a))

    client.post(f"/quan-tri/co-quan/{agency_a.pk}/", agency_form(agency_a))

    assert AuditEvent.objects.filter(action=AuditAction.AGENCY_UPDATED).count() == 1


def test_admin_of_another_agency_gets_404(client_of, admin_b, agency_a):
    client = client_of(admin_b)

    assert client.get(f"/quan-tri/co-quan/{agency_a.pk}/").status_code == 404
    response = client.post(
        f"/quan-tri/co-quan/{agency_a.pk}/", agency_form(agency_a, name="Bị sửa")
    )
    assert response.status_code == 404
    agency_a.refresh_from_db()
    assert agency_a.name == "Sở Khoa học và Công nghệ Hải Phòng"


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEADER])
def test_own_staff_and_leaders_see_but_cannot_edit(client_of, agency_a, role):
    client = client_of(user_with_role(role, agency_a))

    assert client.get("/quan-tri/co-quan/").status_code == 200
    response = client.post(
        f"/quan-tri/co-quan/{agency_a.pk}/", agency_form(agency_a, name="Bị sửa")
    )
    assert response.status_code == 403
    agency_a.refresh_from_db()
    assert agency_a.name == "Sở Khoa học và Công nghệ Hải Phòng"


def test_agency_list_shows_own_agencies_only(client_of, staff_a, agency_a, agency_b):
    agencies = client_of(staff_a).get("/quan-tri/co-quan/").context["agencies"]

    assert list(agencies) == [agency_a]


def test_only_ministry_admins_create_agencies(admin_a):
    ministry = AgencyFactory(code="bo", kind=Agency.Kind.MINISTRY, name="Bộ Khoa học và Công nghệ")
    ministry_admin = user_with_role(Role.ADMIN, ministry)

    with pytest.raises(PermissionDenied):
        services.agency_create(actor=admin_a, code="dn", name="Sở KH&CN Đà Nẵng")
    created = services.agency_create(
        actor=ministry_admin, code="dn", name="Sở KH&CN Đà Nẵng", parent=ministry
    )
    assert created.parent == ministry
    with pytest.raises(ConflictError):
        services.agency_create(actor=UserFactory(is_superuser=True), code="dn", name="Trùng mã")
    assert AuditEvent.objects.filter(action=AuditAction.AGENCY_CREATED).count() == 1
