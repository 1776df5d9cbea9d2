"""/api/v1 agencies and users: JSON errors 403/404/409/422, lists as {"items", "count"}."""

import datetime as dt

import pytest

from khcn.accounts.models import Membership, Role, User
from khcn.accounts.services import account_lock
from khcn.audit.models import AuditAction, AuditEvent
from khcn.core import clock
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def post_json(client, url, data, headers):
    return client.post(url, data, content_type="application/json", **headers)


def new_user(agency, **overrides):
    return {"username": "le.thi.mai", "full_name": "Lê Thị Mai", "email": "mai@haiphong.gov.vn",
            "agency_id": agency.pk, "role": "staff", **overrides}  # fmt: skip


def test_agency_list_shape(client, bearer, staff_a, agency_b):
    response = client.get("/api/v1/agencies", **bearer(staff_a))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "count"}
    assert body["count"] == 1
    assert [a["code"] for a in body["items"]] == ["hp-test"]


def test_other_agency_is_404_own_is_200(client, bearer, staff_a, agency_a, agency_b):
    headers = bearer(staff_a)

    assert client.get(f"/api/v1/agencies/{agency_a.pk}", **headers).status_code == 200
    response = client.get(f"/api/v1/agencies/{agency_b.pk}", **headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def test_patch_agency_visible_but_not_allowed_is_403(client, bearer, staff_a, agency_a, agency_b):
    headers = bearer(staff_a)

    own = client.patch(
        f"/api/v1/agencies/{agency_a.pk}",
        {"phone": "1"},
        content_type="application/json",
        **headers,
    )
    other = client.patch(
        f"/api/v1/agencies/{agency_b.pk}",
        {"phone": "1"},
        content_type="application/json",
        **headers,
    )

    assert own.status_code == 403
    assert own.json() == {"detail": "Chỉ quản trị viên của cơ quan được sửa thông tin cơ quan."}
    assert other.status_code == 404


def test_admin_patches_own_agency(client, bearer, admin_a, agency_a):
    response = client.patch(
        f"/api/v1/agencies/{agency_a.pk}",
        {"phone": "0225 3842 755", "email": "sokhcn@haiphong.gov.vn"},
        content_type="application/json",
        **bearer(admin_a),
    )

    assert response.status_code == 200
    assert response.json()["phone"] == "0225 3842 755"
    assert AuditEvent.objects.filter(action=AuditAction.AGENCY_UPDATED, actor=admin_a).exists()


def test_patch_with_invalid_email_is_422(client, bearer, admin_a, agency_a):
    response = client.patch(
        f"/api/v1/agencies/{agency_a.pk}", {"email": "khong-phai-email"},
        content_type="application/json", **bearer(admin_a),
    )  # fmt: skip

    assert response.status_code == 422
    assert response.json()["detail"] == "Dữ liệu không hợp lệ."


def test_admin_creates_a_user(client, bearer, admin_a, agency_a):
    response = post_json(client, "/api/v1/users", new_user(agency_a), bearer(admin_a))

    assert response.status_code == 201
    body = response.json()
    assert (body["username"], body["full_name"], body["locked"]) == (
        "le.thi.mai",
        "Lê Thị Mai",
        False,
    )
    assert [(r["agency_code"], r["role"]) for r in body["roles"]] == [("hp-test", "staff")]
    assert User.objects.filter(username="le.thi.mai").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "tên có dấu"}, "username"),
        ({"username": "a"}, "username"),
        ({"email": "khong-phai-email"}, "email"),
        ({"role": "giam-doc"}, "role"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_invalid_body_is_422_with_field_errors(client, bearer, admin_a, agency_a, overrides, field):
    response = post_json(client, "/api/v1/users", new_user(agency_a, **overrides), bearer(admin_a))

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Dữ liệu không hợp lệ."
    assert [e["field"].split(".")[-1] for e in body["errors"]] == [field]
    assert body["errors"][0]["message"]
    assert not User.objects.filter(full_name="Lê Thị Mai").exists()


def test_malformed_json_is_an_error_not_a_crash(client, bearer, admin_a):
    response = client.post("/api/v1/users", "{không phải json", content_type="application/json",
                           **bearer(admin_a))  # fmt: skip

    assert response.status_code in (400, 422)
    assert "detail" in response.json()


def test_duplicate_username_is_409(client, bearer, admin_a, agency_a, staff_a):
    response = post_json(
        client, "/api/v1/users", new_user(agency_a, username="CANBO.A"), bearer(admin_a)
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "Tên đăng nhập “CANBO.A” đã có người dùng."}


def test_staff_creating_a_user_is_403(client, bearer, staff_a, agency_a):
    response = post_json(client, "/api/v1/users", new_user(agency_a), bearer(staff_a))

    assert response.status_code == 403
    assert response.json() == {"detail": "Chỉ quản trị viên của cơ quan được phân quyền."}


def test_admin_creating_a_user_in_another_agency_is_404(client, bearer, admin_a, agency_b):
    response = post_json(client, "/api/v1/users", new_user(agency_b), bearer(admin_a))

    assert response.status_code == 404
    assert not User.objects.filter(username="le.thi.mai").exists()


def test_user_list_is_paginated_and_scoped(client, bearer, admin_a, agency_a, staff_b):
    for n in range(4):
        user_with_role(Role.EXPERT, agency_a, full_name=f"Chuyên gia {n}")

    headers = bearer(admin_a)
    first = client.get("/api/v1/users", {"limit": 3}, **headers).json()
    rest = client.get("/api/v1/users", {"limit": 3, "offset": 3}, **headers).json()

    assert first["count"] == rest["count"] == 5
    assert len(first["items"]) == 3 and len(rest["items"]) == 2
    names = {u["username"] for u in first["items"] + rest["items"]}
    assert "canbo.b" not in names and "quantri.a" in names


def test_user_list_for_staff_is_403(client, bearer, staff_a):
    assert client.get("/api/v1/users", **bearer(staff_a)).status_code == 403


def test_user_get_self_own_agency_and_other(client, bearer, staff_a, admin_a, staff_b):
    assert client.get(f"/api/v1/users/{staff_a.pk}", **bearer(staff_a)).status_code == 200
    assert client.get(f"/api/v1/users/{admin_a.pk}", **bearer(staff_a)).status_code == 404
    assert client.get(f"/api/v1/users/{staff_a.pk}", **bearer(admin_a)).status_code == 200
    assert client.get(f"/api/v1/users/{staff_b.pk}", **bearer(admin_a)).status_code == 404


def test_grant_and_revoke_roles(client, bearer, admin_a, staff_a, agency_a):
    headers = bearer(admin_a)

    granted = post_json(client, f"/api/v1/users/{staff_a.pk}/roles",
                        {"agency_id": agency_a.pk, "role": "leader"}, headers)  # fmt: skip
    again = post_json(client, f"/api/v1/users/{staff_a.pk}/roles",
                      {"agency_id": agency_a.pk, "role": "leader"}, headers)  # fmt: skip

    assert granted.status_code == 201
    assert granted.json()["role_label"] == "Lãnh đạo"
    assert again.status_code == 409
    response = client.delete(f"/api/v1/roles/{granted.json()['id']}", **headers)
    assert response.status_code == 204
    assert list(Membership.objects.filter(user=staff_a).values_list("role", flat=True)) == ["staff"]


def test_revoking_another_agencys_role_is_404(client, bearer, admin_b, staff_a):
    membership = staff_a.memberships.get()

    response = client.delete(f"/api/v1/roles/{membership.pk}", **bearer(admin_b))

    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_my_work_lists_locked_accounts_for_admins(client, bearer, admin_a, staff_a):
    account_lock(user=staff_a, until=clock.now() + dt.timedelta(minutes=15))

    items = client.get("/api/v1/me/work", **bearer(admin_a)).json()

    assert [i["title"] for i in items] == ["Mở khóa tài khoản Trần Thị Thu Hà"]
    assert items[0]["url"] == f"/quan-tri/nguoi-dung/{staff_a.pk}/"
