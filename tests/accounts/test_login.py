"""Login through the page: audited, and locked after repeated failures (accounts/backends.py)."""

import datetime as dt

import pytest
from django.conf import settings

from khcn.accounts.models import Role, User
from khcn.audit.models import AuditAction, AuditEvent
from khcn.audit.services import verify
from khcn.core import clock
from khcn.notifications.models import Kind, Notification
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db

LOCKED_MESSAGE = "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần."
WRONG_MESSAGE = "Tên đăng nhập hoặc mật khẩu không đúng."


def login(client, username, password):
    return client.post("/dang-nhap/", {"username": username, "password": password})


def logged_in_as(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def fail(client, user, times):
    for _ in range(times):
        response = login(client, user.username, "sai-mat-khau")
        assert response.status_code == 200
    return response


def test_login_and_logout_are_audited(client, staff_a, agency_a):
    response = login(client, "canbo.a", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_as(client) == staff_a.pk
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.agency) == (
        AuditAction.LOGIN_SUCCEEDED,
        staff_a,
        agency_a,
    )
    assert event.ip == "127.0.0.1"

    client.post("/dang-xuat/")

    assert logged_in_as(client) is None
    assert AuditEvent.objects.latest("seq").action == AuditAction.LOGOUT
    assert verify().ok


def test_username_is_case_insensitive(client, staff_a):
    login(client, "CanBo.A", PASSWORD)

    assert logged_in_as(client) == staff_a.pk


def test_wrong_password_is_refused_and_audited(client, staff_a):
    response = login(client, "canbo.a", "sai-mat-khau")

    assert WRONG_MESSAGE in response.content.decode()
    assert logged_in_as(client) is None
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.object_id) == (
        AuditAction.LOGIN_FAILED,
        None,
        str(staff_a.pk),
    )
    assert event.after == {"failed_logins": 1}


def test_unknown_user_gets_the_same_answer(client, db):
    response = login(client, "khong-ton-tai", "sai-mat-khau")

    assert WRONG_MESSAGE in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_lockout_after_max_failures(client, staff_a, admin_a, admin_b, agency_a):
    max_failures = settings.KHCN_LOGIN_MAX_FAILURES
    fail(client, staff_a, max_failures - 1)
    staff_a.refresh_from_db()
    assert staff_a.locked_until is None
    assert staff_a.failed_logins == max_failures - 1

    response = fail(client, staff_a, 1)

    staff_a.refresh_from_db()
    assert staff_a.locked_until > clock.now() + dt.timedelta(
        minutes=settings.KHCN_LOGIN_LOCK_MINUTES - 1
    )
    assert LOCKED_MESSAGE in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == max_failures
    locked = AuditEvent.objects.get(action=AuditAction.ACCOUNT_LOCKED)
    assert (locked.actor, locked.agency, locked.object_id) == (None, agency_a, str(staff_a.pk))
    # the agency's administrators are told, other agencies' are not
    alert = Notification.objects.get(kind=Kind.ACCOUNT_LOCKED)
    assert alert.recipient == admin_a
    assert alert.title == "Tài khoản canbo.a bị khóa do đăng nhập sai nhiều lần"
    assert alert.url == f"/quan-tri/nguoi-dung/{staff_a.pk}/"


def test_locked_account_cannot_log_in_even_with_the_right_password(client, staff_a):
    fail(client, staff_a, settings.KHCN_LOGIN_MAX_FAILURES)

    response = login(client, "canbo.a", PASSWORD)

    assert response.status_code == 200
    assert LOCKED_MESSAGE in response.content.decode()
    assert logged_in_as(client) is None
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN_SUCCEEDED).exists()


def test_the_limit_comes_from_the_setting(client, settings, staff_a):
    settings.KHCN_LOGIN_MAX_FAILURES = 2

    fail(client, staff_a, 2)

    staff_a.refresh_from_db()
    assert staff_a.locked_until is not None


def test_lock_expires_by_itself(client, monkeypatch, staff_a):
    fail(client, staff_a, settings.KHCN_LOGIN_MAX_FAILURES)
    staff_a.refresh_from_db()
    later = staff_a.locked_until + dt.timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)

    login(client, "canbo.a", PASSWORD)

    assert logged_in_as(client) == staff_a.pk
    staff_a.refresh_from_db()
    assert (staff_a.failed_logins, staff_a.locked_until) == (0, None)


def test_a_success_resets_the_failure_count(client, staff_a):
    fail(client, staff_a, settings.KHCN_LOGIN_MAX_FAILURES - 1)
    login(client, "canbo.a", PASSWORD)
    client.post("/dang-xuat/")

    fail(client, staff_a, settings.KHCN_LOGIN_MAX_FAILURES - 1)

    staff_a.refresh_from_db()
    assert staff_a.locked_until is None


def test_administrator_unlocks_and_it_is_audited(client, client_of, staff_a, admin_a):
    fail(client, staff_a, settings.KHCN_LOGIN_MAX_FAILURES)
    admin = client_of(admin_a)
    detail = admin.get(f"/quan-tri/nguoi-dung/{staff_a.pk}/").content.decode()
    assert "Mở khóa tài khoản" in detail
    home = admin.get("/").content.decode()
    assert "Mở khóa tài khoản Trần Thị Thu Hà" in home  # "Việc của tôi"

    response = admin.post(f"/quan-tri/nguoi-dung/{staff_a.pk}/mo-khoa/")

    assert response.status_code == 302
    staff_a.refresh_from_db()
    assert (staff_a.locked_until, staff_a.failed_logins) == (None, 0)
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_UNLOCKED)
    assert event.actor == admin_a
    assert event.before["failed_logins"] == settings.KHCN_LOGIN_MAX_FAILURES
    admin.post("/dang-xuat/")
    login(client, "canbo.a", PASSWORD)
    assert logged_in_as(client) == staff_a.pk


def test_unlock_is_for_administrators_of_the_agency_only(
    client, client_of, staff_a, admin_b, agency_a
):
    fail(client, staff_a, settings.KHCN_LOGIN_MAX_FAILURES)
    colleague = user_with_role(Role.LEADER, agency_a)

    assert (
        client_of(colleague).post(f"/quan-tri/nguoi-dung/{staff_a.pk}/mo-khoa/").status_code == 404
    )
    assert client_of(admin_b).post(f"/quan-tri/nguoi-dung/{staff_a.pk}/mo-khoa/").status_code == 404
    assert User.objects.get(pk=staff_a.pk).locked_until is not None
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOUNT_UNLOCKED).exists()


def test_deactivated_user_cannot_log_in(client, agency_a):
    user_with_role(Role.STAFF, agency_a, username="nghiviec", is_active=False)

    login(client, "nghiviec", PASSWORD)

    assert logged_in_as(client) is None


def test_login_page_is_vietnamese(client, db):
    html = client.get("/dang-nhap/").content.decode()

    assert "Đăng nhập KHCN" in html
    assert "Quên mật khẩu?" in html


def test_right_password_of_a_deactivated_account_is_not_a_failed_attempt(client, agency_a):
    user = user_with_role(Role.STAFF, agency_a, username="nghihuu")
    User.objects.filter(pk=user.pk).update(is_active=False)
    for _ in range(settings.KHCN_LOGIN_MAX_FAILURES + 1):
        login(client, "nghihuu", PASSWORD)
    user.refresh_from_db()
    assert user.failed_logins == 0 and user.locked_until is None
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOUNT_LOCKED).exists()
