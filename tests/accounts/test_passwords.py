"""Changing a password, and resetting a forgotten one by e-mail."""

import re

import pytest
from django.core import mail

from khcn.audit.models import AuditAction, AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Hai-Phong-cang-bien-2025"


def can_log_in(client, username, password) -> bool:
    client.logout()
    client.post("/dang-nhap/", {"username": username, "password": password})
    return bool(client.session.get("_auth_user_id"))


def test_change_password(client_of, staff_a, agency_a):
    client = client_of(staff_a)

    response = client.post(
        "/mat-khau/doi/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGED)
    assert (event.actor, event.agency) == (staff_a, agency_a)
    assert "Đã đổi mật khẩu." in client.get("/").content.decode()
    assert can_log_in(client, "canbo.a", NEW_PASSWORD)
    assert not can_log_in(client, "canbo.a", PASSWORD)


def test_change_password_needs_the_old_one(client_of, staff_a):
    response = client_of(staff_a).post(
        "/mat-khau/doi/",
        {"old_password": "sai", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()
    staff_a.refresh_from_db()
    assert staff_a.check_password(PASSWORD)


def test_reset_by_email(client, staff_a):
    staff_a.failed_logins = 3
    staff_a.save()

    response = client.post("/mat-khau/quen/", {"email": staff_a.email})

    assert response.status_code == 302
    assert response["Location"] == "/mat-khau/quen/da-gui/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff_a.email]
    assert message.subject == "Đặt lại mật khẩu KHCN"
    assert "Kính gửi Trần Thị Thu Hà," in message.body
    link = re.search(r"http://testserver(/mat-khau/dat-lai/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert done.status_code == 302
    assert done["Location"] == "/mat-khau/dat-lai/xong/"
    staff_a.refresh_from_db()
    assert staff_a.check_password(NEW_PASSWORD)
    assert staff_a.failed_logins == 0
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET)
    assert event.actor == staff_a
    assert can_log_in(client, "canbo.a", NEW_PASSWORD)


def test_reset_link_works_once(client, staff_a):
    client.post("/mat-khau/quen/", {"email": staff_a.email})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert again.context["validlink"] is False
    assert again.context["form"] is None


def test_reset_for_unknown_email_sends_nothing_but_looks_the_same(client, db):
    response = client.post("/mat-khau/quen/", {"email": "khongai@khcn.test"})

    assert response.status_code == 302
    assert response["Location"] == "/mat-khau/quen/da-gui/"
    assert mail.outbox == []
