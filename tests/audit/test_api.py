"""GET /api/v1/audit/events: the same filters as the page, paginated {"items", "count"}."""

import pytest

from khcn.audit.models import AuditAction

pytestmark = pytest.mark.django_db


def get(client, **params):
    response = client.get("/api/v1/audit/events", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_shape_and_scope(leader, events):
    body = get(leader)

    assert set(body) == {"items", "count"}
    assert body["count"] == 5
    assert [e["seq"] for e in body["items"]] == [5, 4, 3, 2, 1]
    granted = body["items"][2]
    assert granted["action"] == AuditAction.ROLE_GRANTED
    assert granted["action_label"] == "Giao vai trò"
    assert granted["actor"] == "quantri.a"
    assert granted["after"] == {"role": "staff"}
    assert len(granted["hash"]) == 64


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "Thu Hà"}, [4, 2]),
        ({"action": AuditAction.LOGOUT.value}, [4]),
        ({"object_type": "accounts.user"}, [5, 4, 3, 2, 1]),
        ({"date_from": "2025-03-01", "date_to": "2025-03-31"}, [4, 3]),
        ({"date_to": "2025-02-28"}, [2, 1]),
    ],
)
def test_filters(leader, events, params, expected):
    body = get(leader, **params)

    assert [e["seq"] for e in body["items"]] == expected
    assert body["count"] == len(expected)


def test_pagination(leader, events):
    first = get(leader, limit=3, offset=0)
    rest = get(leader, limit=3, offset=3)

    assert [e["seq"] for e in first["items"]] == [5, 4, 3]
    assert [e["seq"] for e in rest["items"]] == [2, 1]
    assert first["count"] == rest["count"] == 5


def test_unknown_action_code_is_422(leader, events):
    response = leader.get("/api/v1/audit/events", {"action": 9999})

    assert response.status_code == 422
    assert response.json()["detail"] == "Dữ liệu không hợp lệ."


def test_single_event_and_other_agency_404(leader, events):
    assert leader.get("/api/v1/audit/events/3").json()["seq"] == 3
    response = leader.get("/api/v1/audit/events/6")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def test_staff_is_forbidden(client_of, staff_a, events):
    response = client_of(staff_a).get("/api/v1/audit/events")

    assert response.status_code == 403
    assert response.json()["detail"] == "Chỉ lãnh đạo và quản trị viên được xem nhật ký."
