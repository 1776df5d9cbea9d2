"""Who is calling: a bearer token, or the browser session; anything else is 401 in JSON."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from khcn.accounts.models import ApiToken
from khcn.accounts.services import token_create, token_revoke
from khcn.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def me(client, key=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.get("/api/v1/me", **headers)


def test_me_with_a_service_token(client, staff_a, agency_a):
    token, key = token_create(actor=staff_a, user=staff_a, name="Phần mềm kế toán")

    response = me(client, key)

    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["full_name"]) == ("canbo.a", "Trần Thị Thu Hà")
    assert body["is_superuser"] is False
    assert [a["code"] for a in body["agencies"]] == ["hp-test"]
    assert body["agencies"][0]["name"] == "Sở Khoa học và Công nghệ Hải Phòng"
    assert [(r["agency_code"], r["role"], r["role_label"]) for r in body["roles"]] == [
        ("hp-test", "staff", "Chuyên viên")
    ]
    assert key.startswith("khcn_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == ApiToken.hash_key(key) and key not in (
        stored.key_hash,
        stored.key_prefix,
    )
    assert stored.last_used_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_CREATED).exists()


def test_me_with_a_token_from_the_command(client, leader_a):
    out = io.StringIO()
    call_command("token", "create", "--user", "lanhdao.a", stdout=out)
    key = out.getvalue().strip()

    response = me(client, key)

    assert response.status_code == 200
    assert response.json()["username"] == "lanhdao.a"
    assert [r["role"] for r in response.json()["roles"]] == ["leader"]


def test_token_command_refuses_unknown_or_inactive_users(staff_a):
    with pytest.raises(CommandError, match="Không có người dùng “khong-co”."):
        call_command("token", "create", "--user", "khong-co")
    staff_a.is_active = False
    staff_a.save()
    with pytest.raises(CommandError, match="đã bị vô hiệu hóa"):
        call_command("token", "create", "--user", "canbo.a")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer khcn_khong-phai-ma-that"},
        {"HTTP_AUTHORIZATION": "Bearer "},
        {"HTTP_AUTHORIZATION": "Basic Y2FuYm86bWF0a2hhdQ=="},
        {"HTTP_AUTHORIZATION": "khcn_thieu-tu-bearer"},
    ],
)
def test_missing_or_invalid_token_is_401(client, db, headers):
    response = client.get("/api/v1/me", **headers)

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "detail": "Cần đăng nhập hoặc mã truy cập hợp lệ (Authorization: Bearer …)."
    }
    assert response["WWW-Authenticate"] == "Bearer"


def test_revoked_token_is_401(client, staff_a):
    token, key = token_create(actor=staff_a, user=staff_a, name="Cũ")
    assert me(client, key).status_code == 200

    token_revoke(actor=staff_a, token=token)

    assert me(client, key).status_code == 401
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKED).count() == 1


def test_token_of_a_deactivated_user_is_401(client, staff_a):
    _token, key = token_create(actor=staff_a, user=staff_a, name="API")
    staff_a.is_active = False
    staff_a.save()

    assert me(client, key).status_code == 401


def test_token_is_revoked_from_the_profile_page(client_of, staff_a):
    token, key = token_create(actor=staff_a, user=staff_a, name="API")
    client = client_of(staff_a)

    client.post(f"/tai-khoan/token/{token.pk}/thu-hoi/")

    client.logout()
    assert me(client, key).status_code == 401


def test_profile_page_shows_a_new_key_once(client_of, staff_a):
    client = client_of(staff_a)

    response = client.post("/tai-khoan/", {"name": "Kết nối phần mềm kế toán"})

    key = response.context["new_key"]
    assert key and key in response.content.decode()
    assert key not in client.get("/tai-khoan/").content.decode()
    client.logout()
    assert me(client, key).json()["username"] == "canbo.a"


def test_session_works_for_reading(client_of, staff_a):
    response = client_of(staff_a).get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["username"] == "canbo.a"


def test_session_writes_need_the_csrf_token(staff_a):
    from khcn.notifications.models import Kind, Notification

    Notification.objects.create(recipient=staff_a, kind=Kind.SECURITY, title="Cảnh báo")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_a)

    response = client.post("/api/v1/notifications/read", {}, content_type="application/json")

    assert response.status_code == 403
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_bearer_writes_need_no_csrf_token(staff_a, bearer):
    from khcn.notifications.models import Kind, Notification

    Notification.objects.create(recipient=staff_a, kind=Kind.SECURITY, title="Cảnh báo")
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/api/v1/notifications/read", {}, content_type="application/json", **bearer(staff_a)
    )

    assert response.status_code == 200
    assert response.json() == {"marked": 1}


def test_openapi_schema_loads(client, db):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "KHCN API"
    for path in ["/api/v1/me", "/api/v1/users", "/api/v1/attachments", "/api/v1/audit/events"]:
        assert path in schema["paths"]
