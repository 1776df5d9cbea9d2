"""The notification pages: list, mark read (htmx badge), preferences."""

import pytest

from khcn.audit.models import AuditAction, AuditEvent
from khcn.notifications.models import Kind, Notification, Preference

pytestmark = pytest.mark.django_db


def note(user, title="Bạn được giao vai trò Lãnh đạo", **fields):
    return Notification.objects.create(
        recipient=user, kind=Kind.ROLE_CHANGED, title=title, **fields
    )


def test_list_shows_own_in_app_notifications(client_of, staff_a, leader_a):
    mine = note(staff_a, "Tài liệu có phiên bản mới")
    note(staff_a, "Chỉ gửi thư", in_app=False)
    note(leader_a, "Của người khác")

    response = client_of(staff_a).get("/thong-bao/")

    assert list(response.context["page"].object_list) == [mine]
    assert "Tài liệu có phiên bản mới" in response.content.decode()


def test_mark_one_read_with_htmx_returns_the_badge(client_of, staff_a):
    first, second = note(staff_a), note(staff_a)
    client = client_of(staff_a)

    response = client.post("/thong-bao/da-doc/", {"id": first.pk}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["notifications/partials/badge.html"]
    html = response.content.decode()
    assert ">1<" in html
    assert "thông báo chưa đọc" in html
    assert "<html" not in html
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_mark_all_read_with_htmx_empties_the_badge(client_of, staff_a):
    note(staff_a), note(staff_a)

    response = client_of(staff_a).post("/thong-bao/da-doc/", HTTP_HX_REQUEST="true")

    assert response.content.decode().strip() == ""
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_mark_read_without_htmx_redirects(client_of, staff_a):
    note(staff_a)

    response = client_of(staff_a).post("/thong-bao/da-doc/")

    assert response.status_code == 302
    assert response["Location"] == "/thong-bao/"


def test_cannot_mark_someone_elses_notification(client_of, staff_a, leader_a):
    theirs = note(leader_a)

    client_of(staff_a).post("/thong-bao/da-doc/", {"id": theirs.pk}, HTTP_HX_REQUEST="true")

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_needs_post(client_of, staff_a):
    assert client_of(staff_a).get("/thong-bao/da-doc/").status_code == 405


def test_preferences_page_saves_and_audits(client_of, staff_a):
    client = client_of(staff_a)
    page = client.get("/thong-bao/cai-dat/").content.decode()
    assert "Cài đặt thông báo" in page
    assert "Tài liệu có phiên bản mới" in page

    # untick e-mail for documents and everything for security; keep the rest
    ticked = {f"{k}-{channel}": "on" for k in Kind.values for channel in ("in_app", "email")}
    del ticked["document_changed-email"], ticked["security-in_app"], ticked["security-email"]
    response = client.post("/thong-bao/cai-dat/", ticked, follow=True)

    assert "Đã lưu cài đặt thông báo." in response.content.decode()
    saved = {p.kind: (p.in_app, p.email) for p in Preference.objects.filter(user=staff_a)}
    assert saved[Kind.DOCUMENT_CHANGED] == (True, False)
    assert saved[Kind.SECURITY] == (False, False)
    assert saved[Kind.ROLE_CHANGED] == (True, True)
    event = AuditEvent.objects.get(action=AuditAction.NOTIFICATION_PREFS_CHANGED)
    assert event.actor == staff_a
    assert event.before["document_changed"] == [True, True]
    assert event.after["document_changed"] == [True, False]

    client.post("/thong-bao/cai-dat/", ticked)  # the same choices again: no new event
    assert AuditEvent.objects.filter(action=AuditAction.NOTIFICATION_PREFS_CHANGED).count() == 1


def test_badge_in_the_layout_counts_unread(client_of, staff_a):
    note(staff_a), note(staff_a), note(staff_a, read_at="2025-01-01T00:00Z")

    response = client_of(staff_a).get("/")

    assert response.context["unread_count"] == 2
