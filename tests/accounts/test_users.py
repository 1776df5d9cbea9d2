"""Administrators manage the users and roles of their own agency, through the UI and services."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from khcn.accounts import services
from khcn.accounts.models import Membership, Role, User
from khcn.audit.models import AuditAction, AuditEvent
from khcn.audit.services import verify
from khcn.core.errors import ConflictError, DomainError
from khcn.notifications.models import Kind, Notification
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def new_user_form(agency, **overrides):
    data = {
        "username": "nguyen.van.an",
        "full_name": "Nguyễn Văn An",
        "email": "an@khcn.test",
        "phone": "0912 345 678",
        "organisation": "Phòng Quản lý khoa học",
        "position": "Chuyên viên",
        "agency": agency.pk,
        "role": Role.STAFF,
        "password": "",
    }
    return {**data, **overrides}


# --- creating users through the page ------------------------------------------------------------


def test_admin_creates_a_user(client_of, admin_a, agency_a):
    client = client_of(admin_a)
    assert client.get("/quan-tri/nguoi-dung/moi/").status_code == 200

    response = client.post("/quan-tri/nguoi-dung/moi/", new_user_form(agency_a))

    user = User.objects.get(username="nguyen.van.an")
    assert response.status_code == 302
    assert response["Location"] == f"/quan-tri/nguoi-dung/{user.pk}/"
    assert user.full_name == "Nguyễn Văn An"
    assert not user.has_usable_password()  # sets one through "Quên mật khẩu"
    assert list(user.memberships.values_list("agency", "role")) == [(agency_a.pk, Role.STAFF)]
    actions = list(
        AuditEvent.objects.filter(actor=admin_a).order_by("seq").values_list("action", flat=True)
    )
    assert actions[-2:] == [AuditAction.USER_CREATED, AuditAction.ROLE_GRANTED]
    welcome = Notification.objects.get(recipient=user)
    assert welcome.kind == Kind.ROLE_CHANGED
    assert welcome.title == "Bạn được giao vai trò Chuyên viên tại Sở KH&CN HP"
    assert verify().ok


def test_admin_may_set_an_initial_password(client_of, admin_a, agency_a):
    client_of(admin_a).post(
        "/quan-tri/nguoi-dung/moi/", new_user_form(agency_a, password="Mat-khau-ban-dau-1")
    )

    assert User.objects.get(username="nguyen.van.an").check_password("Mat-khau-ban-dau-1")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"username": "Nguyễn An"}, "username", "Chỉ dùng chữ không dấu, số và các ký tự . _ -"),
        ({"username": "QUANTRI.A"}, "username", "Tên đăng nhập này đã có người dùng."),
        ({"full_name": ""}, "full_name", None),
        ({"role": "sep"}, "role", None),
    ],
)
def test_invalid_form_creates_nothing(client_of, admin_a, agency_a, overrides, field, message):
    response = client_of(admin_a).post(
        "/quan-tri/nguoi-dung/moi/", new_user_form(agency_a, **overrides)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert message in errors[field]
    assert User.objects.count() == 1  # the administrator


def test_admin_cannot_create_a_user_in_another_agency(client_of, admin_a, agency_b):
    response = client_of(admin_a).post("/quan-tri/nguoi-dung/moi/", new_user_form(agency_b))

    assert response.status_code == 200
    assert "agency" in response.context["form"].errors
    assert not User.objects.filter(username="nguyen.van.an").exists()


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEADER, Role.HOST, Role.EXPERT])
def test_non_admin_cannot_create_users(client_of, agency_a, role):
    client = client_of(user_with_role(role, agency_a))

    assert client.get("/quan-tri/nguoi-dung/moi/").status_code == 403
    assert client.post("/quan-tri/nguoi-dung/moi/", new_user_form(agency_a)).status_code == 403
    assert client.get("/quan-tri/nguoi-dung/").status_code == 403
    assert not User.objects.filter(username="nguyen.van.an").exists()


def test_user_list_shows_only_own_agency(client_of, admin_a, staff_a, staff_b):
    page = client_of(admin_a).get("/quan-tri/nguoi-dung/").context["page"]

    assert set(page.object_list) == {admin_a, staff_a}


# --- roles ------------------------------------------------------------------------------------------


def test_admin_grants_and_revokes_a_role(client_of, admin_a, staff_a, agency_a):
    client = client_of(admin_a)

    response = client.post(
        f"/quan-tri/nguoi-dung/{staff_a.pk}/vai-tro/",
        {"grant-agency": agency_a.pk, "grant-role": Role.LEADER},
    )

    assert response.status_code == 302
    granted = Membership.objects.get(user=staff_a, role=Role.LEADER)
    assert granted.granted_by == admin_a
    assert AuditEvent.objects.filter(
        action=AuditAction.ROLE_GRANTED, object_id=str(staff_a.pk)
    ).exists()

    response = client.post(f"/quan-tri/vai-tro/{granted.pk}/thu-hoi/")

    assert response.status_code == 302
    assert list(staff_a.memberships.values_list("role", flat=True)) == [Role.STAFF]
    revoked = AuditEvent.objects.get(action=AuditAction.ROLE_REVOKED)
    assert (revoked.actor, revoked.before) == (
        admin_a,
        {"agency": agency_a.code, "role": Role.LEADER},
    )
    titles = list(Notification.objects.filter(recipient=staff_a).values_list("title", flat=True))
    assert "Vai trò Lãnh đạo của bạn tại Sở KH&CN HP đã được thu hồi" in titles


def test_granting_a_role_twice_is_refused_politely(client_of, admin_a, staff_a, agency_a):
    response = client_of(admin_a).post(
        f"/quan-tri/nguoi-dung/{staff_a.pk}/vai-tro/",
        {"grant-agency": agency_a.pk, "grant-role": Role.STAFF},
        follow=True,
    )

    assert "Người dùng đã có vai trò này tại cơ quan." in response.content.decode()
    assert staff_a.memberships.count() == 1


def test_non_admin_cannot_grant_or_revoke(client_of, staff_a, leader_a, agency_a):
    membership = staff_a.memberships.get()
    client = client_of(leader_a)

    grant = client.post(
        f"/quan-tri/nguoi-dung/{staff_a.pk}/vai-tro/",
        {"grant-agency": agency_a.pk, "grant-role": Role.ADMIN},
    )
    revoke = client.post(f"/quan-tri/vai-tro/{membership.pk}/thu-hoi/")

    assert grant.status_code == 404
    assert revoke.status_code == 404
    assert list(staff_a.memberships.values_list("role", flat=True)) == [Role.STAFF]


def test_admin_of_another_agency_cannot_touch_roles(client_of, staff_a, admin_b):
    membership = staff_a.memberships.get()

    assert client_of(admin_b).post(f"/quan-tri/vai-tro/{membership.pk}/thu-hoi/").status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_admin_cannot_revoke_own_admin_role(client_of, admin_a):
    membership = admin_a.memberships.get()

    response = client_of(admin_a).post(f"/quan-tri/vai-tro/{membership.pk}/thu-hoi/", follow=True)

    assert "Bạn không thể tự thu hồi quyền quản trị của mình." in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_admin_edits_and_deactivates_a_user(client_of, admin_a, staff_a):
    response = client_of(admin_a).post(
        f"/quan-tri/nguoi-dung/{staff_a.pk}/",
        {"edit-full_name": "Trần Thị Thu Hà", "edit-email": "ha@khcn.test"},  # is_active unticked
    )

    assert response.status_code == 302
    staff_a.refresh_from_db()
    assert (staff_a.email, staff_a.is_active) == ("ha@khcn.test", False)
    event = AuditEvent.objects.get(action=AuditAction.USER_DEACTIVATED)
    assert event.before["is_active"] is True and event.after["is_active"] is False


# --- services -------------------------------------------------------------------------------------


def test_duplicate_username_is_a_conflict(admin_a, agency_a, staff_a):
    with pytest.raises(ConflictError) as excinfo:
        services.user_create(
            actor=admin_a,
            agency=agency_a,
            role=Role.STAFF,
            username="CANBO.A",
            full_name="Người trùng tên",
        )

    assert excinfo.value.status == 409
    assert excinfo.value.message == "Tên đăng nhập “CANBO.A” đã có người dùng."
    assert User.objects.filter(username__iexact="canbo.a").count() == 1


def test_unknown_role_is_refused(admin_a, staff_a, agency_a):
    with pytest.raises(DomainError, match="Vai trò không hợp lệ."):
        services.membership_grant(actor=admin_a, user=staff_a, agency=agency_a, role="sep")


def test_services_check_permission_themselves(staff_a, agency_a, agency_b, admin_b):
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=staff_a, agency=agency_a, role=Role.STAFF, username="x", full_name="X"
        )
    with pytest.raises(PermissionDenied):
        services.membership_grant(actor=admin_b, user=staff_a, agency=agency_a, role=Role.ADMIN)
    assert not AuditEvent.objects.exists()


def test_admin_cannot_deactivate_themselves(admin_a):
    with pytest.raises(DomainError, match="Bạn không thể tự vô hiệu hóa tài khoản của mình."):
        services.user_update(actor=admin_a, user=admin_a, is_active=False)

    admin_a.refresh_from_db()
    assert admin_a.is_active
    assert not AuditEvent.objects.exists()


def test_unlock_service_needs_an_administrator(staff_a, leader_a):
    with pytest.raises(Http404):
        services.account_unlock(actor=leader_a, user=staff_a)
