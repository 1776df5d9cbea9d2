"""The permission layer: who may do what with which agency's objects.

Rule: an action is allowed when the user holds one of its roles in the object's
agency; an object the user may not even see answers 404, never 403.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from khcn.accounts.models import Agency, Role, User
from khcn.audit.models import AuditAction, AuditEvent
from khcn.audit.services import record
from khcn.core.models import Attachment
from khcn.core.permissions import can, get_visible, registered_actions, require, scope
from khcn.notifications.models import Kind, Notification
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

ROLES = [
    Role.STAFF,
    Role.LEADER,
    Role.ADMIN,
    Role.HOST,
    Role.EXPERT,
    Role.ENTERPRISE,
    Role.PUBLIC,
]

# Who may act on an object of their own agency; the columns follow ROLES:
# staff, leader, admin, host, expert, enterprise, public.
MATRIX = {
    "agency.view":         (1, 1, 1, 0, 0, 0, 0),
    "agency.manage":       (0, 0, 1, 0, 0, 0, 0),
    "user.manage":         (0, 0, 1, 0, 0, 0, 0),
    "membership.manage":   (0, 0, 1, 0, 0, 0, 0),
    "audit.view":          (0, 1, 1, 0, 0, 0, 0),
    "attachment.view":     (1, 1, 1, 0, 0, 0, 0),
    "attachment.upload":   (1, 1, 1, 0, 0, 0, 0),
    "attachment.replace":  (1, 1, 1, 0, 0, 0, 0),
    "notification.view":   (1, 1, 1, 1, 1, 1, 1),
}  # fmt: skip
ACTIONS = list(MATRIX)
TABLE = [
    (role, action, bool(allowed))
    for action, row in MATRIX.items()
    for role, allowed in zip(ROLES, row, strict=True)
]


def _works_in(user: User, agency: Agency) -> bool:
    return agency.pk in user.roles_by_agency()


def _notification(agency: Agency, viewer: User) -> Notification:
    # A notification belongs to its recipient: in the viewer's own agency it is one addressed
    # to the viewer; elsewhere it is addressed to someone working there.
    recipient = viewer if _works_in(viewer, agency) else user_with_role(Role.STAFF, agency)
    return Notification.objects.create(
        recipient=recipient, agency=agency, kind=Kind.SECURITY, title="Cảnh báo"
    )


# action -> builds "an object of `agency`" as seen by `viewer`
OBJECTS = {
    "agency.view": lambda agency, viewer: agency,
    "agency.manage": lambda agency, viewer: agency,
    "membership.manage": lambda agency, viewer: agency,
    "user.manage": lambda agency, viewer: user_with_role(Role.STAFF, agency),
    "audit.view": lambda agency, viewer: record(
        actor=None, action=AuditAction.LOGIN_FAILED, agency=agency
    ),
    "attachment.view": lambda agency, viewer: Attachment.objects.create(
        agency=agency, title="Thông tư 20/2023"
    ),
    "attachment.upload": lambda agency, viewer: Attachment(agency=agency),
    "attachment.replace": lambda agency, viewer: Attachment.objects.create(
        agency=agency, title="Biểu mẫu"
    ),
    "notification.view": _notification,
}


def test_matrix_covers_every_action_of_the_platform_apps():
    apps = {"agency", "user", "membership", "audit", "attachment", "notification"}
    platform = {a for a in registered_actions() if a.split(".")[0] in apps}
    # agency.create (ministry admins) and user.view (self or admin) have their own tests
    assert platform - {"agency.create", "user.view"} == set(MATRIX)


@pytest.mark.parametrize(("role", "action", "expected"), TABLE)
def test_role_on_own_agency_object(role, action, expected, agency_a):
    user = user_with_role(role, agency_a)
    obj = OBJECTS[action](agency_a, user)

    decision = can(user, action, obj)

    assert decision.allowed is expected
    if not expected:
        assert decision.reason  # a reason to show the user


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_role_on_other_agency_object_is_denied(role, action, agency_a, agency_b):
    user = user_with_role(role, agency_a)
    obj = OBJECTS[action](agency_b, user)

    assert not can(user, action, obj)


@pytest.mark.parametrize("action", ACTIONS)
def test_admin_elsewhere_does_not_help_in_an_agency_where_one_is_staff(action, agency_a, agency_b):
    user = user_with_role(Role.ADMIN, agency_b)
    user.memberships.create(agency=agency_a, role=Role.STAFF)
    user.forget_roles()
    obj = OBJECTS[action](agency_a, user)

    expected = bool(MATRIX[action][ROLES.index(Role.STAFF)])
    if action == "user.manage":
        # the target works only in A, where this user is staff
        expected = False
    assert can(user, action, obj).allowed is expected


@pytest.mark.parametrize("action", ACTIONS)
def test_superuser_may_do_everything(action, agency_b):
    operator = UserFactory(is_superuser=True)
    obj = OBJECTS[action](agency_b, operator)

    assert can(operator, action, obj)


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_is_denied(action, agency_a, admin_a):
    obj = OBJECTS[action](agency_a, admin_a)

    decision = can(AnonymousUser(), action, obj)

    assert not decision
    assert decision.reason == "Bạn cần đăng nhập."


def test_none_user_is_denied(agency_a):
    assert not can(None, "agency.view", agency_a)


def test_deactivated_user_is_denied(agency_a):
    admin = user_with_role(Role.ADMIN, agency_a, is_active=False)

    decision = can(admin, "agency.manage", agency_a)

    assert not decision
    assert decision.reason == "Tài khoản đã bị khóa."


def test_unknown_action_fails_loudly(staff_a):
    with pytest.raises(LookupError):
        can(staff_a, "agency.destroy")


def test_unknown_action_fails_loudly_even_for_superuser(db):
    with pytest.raises(LookupError):
        can(UserFactory(is_superuser=True), "attachment.delete")


@pytest.mark.parametrize(
    ("role", "expected"), [(Role.ADMIN, True), (Role.STAFF, False), (Role.HOST, False)]
)
def test_question_anywhere_uses_roles_in_any_agency(role, expected, agency_a):
    """With no object, `can` asks "may the user do this somewhere" (menus, create buttons)."""
    user = user_with_role(role, agency_a)

    assert can(user, "user.manage").allowed is expected
    assert can(user, "membership.manage").allowed is expected


def test_user_may_view_themselves_but_not_manage_themselves(staff_a):
    assert can(staff_a, "user.view", staff_a)
    assert not can(staff_a, "user.manage", staff_a)


def test_notification_of_a_colleague_is_not_visible(staff_a, admin_a, agency_a):
    note = Notification.objects.create(
        recipient=staff_a, agency=agency_a, kind=Kind.SECURITY, title="Riêng tư"
    )

    assert can(staff_a, "notification.view", note)
    assert not can(admin_a, "notification.view", note)


# --- get_visible / require: out of sight is 404, visible but forbidden is 403 ----------------------


@pytest.mark.parametrize(
    ("action", "queryset", "lookup"),
    [
        ("attachment.view", Attachment.objects.all(), "pk"),
        ("agency.view", Agency.objects.all(), "pk"),
        ("audit.view", AuditEvent.objects.all(), "seq"),
        ("user.manage", User.objects.all(), "pk"),
    ],
)
def test_get_visible_hides_other_agency_object_as_404(action, queryset, lookup, agency_a, agency_b):
    outsider = user_with_role(Role.ADMIN, agency_b)
    obj = OBJECTS[action](agency_a, outsider)

    with pytest.raises(Http404):
        get_visible(outsider, action, queryset, **{lookup: getattr(obj, lookup)})


def test_get_visible_returns_own_object(staff_a, agency_a):
    doc = Attachment.objects.create(agency=agency_a, title="Quy chế")

    assert get_visible(staff_a, "attachment.view", Attachment.objects.all(), pk=doc.pk) == doc


def test_get_visible_missing_or_malformed_key_is_404(staff_a):
    with pytest.raises(Http404):
        get_visible(staff_a, "attachment.view", Attachment.objects.all(), pk=987654)
    with pytest.raises(Http404):
        get_visible(staff_a, "attachment.view", Attachment.objects.all(), pk="không-phải-số")


def test_require_visible_but_not_allowed_is_403(staff_a, agency_a):
    with pytest.raises(PermissionDenied):
        require(staff_a, "agency.manage", agency_a)


def test_require_not_visible_is_404(staff_b, agency_a):
    with pytest.raises(Http404):
        require(staff_b, "agency.manage", agency_a)


def test_scope_narrows_lists_to_own_agency(staff_a, agency_a, agency_b):
    mine = Attachment.objects.create(agency=agency_a, title="Của Sở A")
    Attachment.objects.create(agency=agency_b, title="Của Sở B")

    assert list(scope(staff_a, "attachment.view", Attachment.objects.all())) == [mine]
    assert not scope(AnonymousUser(), "attachment.view", Attachment.objects.all()).exists()


# --- the same rules over HTTP ----------------------------------------------------------------------


def test_other_agency_document_page_is_404(client_of, staff_b, agency_a):
    doc = Attachment.objects.create(agency=agency_a, title="Tài liệu của Sở A")

    response = client_of(staff_b).get(f"/tai-lieu/{doc.pk}/")

    assert response.status_code == 404
    assert "Không tìm thấy trang hoặc dữ liệu" in response.content.decode()


def test_other_agency_audit_event_page_is_404(client_of, staff_b, agency_a):
    event = record(actor=None, action=AuditAction.LOGIN_FAILED, agency=agency_a)

    response = client_of(staff_b).get(f"/nhat-ky/{event.seq}/")

    assert response.status_code == 404


def test_other_agency_audit_event_page_is_404_even_for_a_leader_elsewhere(
    client_of, agency_a, agency_b
):
    leader_b = user_with_role(Role.LEADER, agency_b)
    event = record(actor=None, action=AuditAction.LOGIN_FAILED, agency=agency_a)

    assert client_of(leader_b).get(f"/nhat-ky/{event.seq}/").status_code == 404


def test_other_agency_user_page_is_404(client_of, staff_b, admin_b, staff_a):
    assert client_of(staff_b).get(f"/quan-tri/nguoi-dung/{staff_a.pk}/").status_code == 404
    assert client_of(admin_b).get(f"/quan-tri/nguoi-dung/{staff_a.pk}/").status_code == 404


def test_staff_without_audit_role_gets_403_on_audit_list(client_of, staff_a):
    response = client_of(staff_a).get("/nhat-ky/")

    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này" in response.content.decode()


def test_own_agency_pages_open(client_of, leader_a, agency_a):
    doc = Attachment.objects.create(agency=agency_a, title="Tài liệu của Sở A")
    event = record(actor=None, action=AuditAction.LOGIN_FAILED, agency=agency_a)
    client = client_of(leader_a)

    assert client.get(f"/tai-lieu/{doc.pk}/").status_code == 200
    assert client.get(f"/nhat-ky/{event.seq}/").status_code == 200
    assert client.get("/nhat-ky/").status_code == 200


def test_anonymous_is_sent_to_login(client, agency_a):
    doc = Attachment.objects.create(agency=agency_a, title="Tài liệu")

    response = client.get(f"/tai-lieu/{doc.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")
