import pytest

from khcn.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def test_own_notifications_and_mark_read(client, bearer, staff_a, leader_a):
    mine = Notification.objects.create(recipient=staff_a, kind=Kind.SECURITY, title="Của tôi")
    Notification.objects.create(
        recipient=staff_a, kind=Kind.SECURITY, title="Chỉ thư", in_app=False
    )
    Notification.objects.create(recipient=leader_a, kind=Kind.SECURITY, title="Của người khác")
    headers = bearer(staff_a)

    body = client.get("/api/v1/notifications", **headers).json()
    assert (body["count"], [n["id"] for n in body["items"]]) == (1, [mine.pk])

    marked = client.post(
        "/api/v1/notifications/read", {"ids": [mine.pk]}, content_type="application/json", **headers
    )
    assert marked.json() == {"marked": 1}
    assert client.get("/api/v1/notifications", {"unread": True}, **headers).json()["count"] == 0
