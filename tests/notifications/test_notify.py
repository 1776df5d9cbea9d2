"""notify(): in-app rows now, e-mail later by the worker, each user's preferences respected."""

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from khcn.accounts.models import Role
from khcn.notifications.models import Kind, Notification, Preference
from khcn.notifications.services import notifications_mark_read, notify, preferences_for
from khcn.notifications.tasks import send_notification_email
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def send(users, **kwargs):
    return notify(
        recipients=users,
        kind=kwargs.pop("kind", Kind.DOCUMENT_CHANGED),
        title="Tài liệu “Quy chế” có phiên bản mới",
        body="Phạm Văn Hưng đã tải lên phiên bản 2.",
        url="/tai-lieu/1/",
        **kwargs,
    )


def test_creates_in_app_rows_and_queues_email_on_commit(
    staff_a, leader_a, agency_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        created = send([staff_a, leader_a], agency=agency_a)

    rows = Notification.objects.order_by("recipient__username")
    assert [n.recipient for n in rows] == [staff_a, leader_a]
    assert all(n.in_app and n.want_email and n.emailed_at is None for n in rows)
    assert {n.agency for n in rows} == {agency_a}
    assert len(created) == 2
    assert len(callbacks) == 1  # one queued job sends the batch
    assert not DBTaskResult.objects.exists()  # nothing queued before the commit
    assert mail.outbox == []


def test_inactive_users_and_duplicates_are_skipped(staff_a, agency_a):
    gone = user_with_role(Role.STAFF, agency_a, is_active=False)

    send([staff_a, staff_a, gone, None])

    assert list(Notification.objects.values_list("recipient", flat=True)) == [staff_a.pk]


@pytest.mark.parametrize(
    ("in_app", "email", "row", "shown", "mailed"),
    [
        (True, True, True, True, True),
        (False, True, True, False, True),
        (True, False, True, True, False),
        (False, False, False, False, False),
    ],
)
def test_preferences_are_respected(staff_a, in_app, email, row, shown, mailed):
    Preference.objects.create(user=staff_a, kind=Kind.DOCUMENT_CHANGED, in_app=in_app, email=email)

    send([staff_a])

    note = Notification.objects.filter(recipient=staff_a).first()
    assert (note is not None) is row
    if note:
        assert note.in_app is shown
        assert note.want_email is mailed


def test_preference_is_per_kind(staff_a):
    Preference.objects.create(user=staff_a, kind=Kind.DOCUMENT_CHANGED, in_app=False, email=False)

    send([staff_a], kind=Kind.SECURITY)

    assert Notification.objects.get(recipient=staff_a).kind == Kind.SECURITY


def test_no_email_without_an_address(agency_a):
    user = UserFactory(email="")

    send([user])

    assert Notification.objects.get(recipient=user).want_email is False


def test_preferences_default_to_both_channels(staff_a):
    prefs = preferences_for(staff_a)

    assert set(prefs) == set(Kind.values)
    assert all(p.in_app and p.email for p in prefs.values())


def test_mark_read(staff_a, leader_a):
    send([staff_a, leader_a])
    send([staff_a])
    first, second = Notification.objects.filter(recipient=staff_a).order_by("id")

    assert notifications_mark_read(user=staff_a, ids=[first.pk]) == 1
    assert notifications_mark_read(user=leader_a, ids=[second.pk]) == 0  # not theirs
    assert notifications_mark_read(user=staff_a) == 1
    assert not Notification.objects.filter(recipient=staff_a, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=leader_a, read_at__isnull=True).count() == 1


# --- e-mail through the real queue -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_email_is_sent_only_by_the_worker_and_only_once(run_worker, staff_a, settings):
    settings.KHCN_SITE_URL = "https://khcn.haiphong.gov.vn"
    send([staff_a])
    note = Notification.objects.get()
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1

    run_worker()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff_a.email]
    assert message.subject == "Tài liệu “Quy chế” có phiên bản mới"
    assert "Phạm Văn Hưng đã tải lên phiên bản 2." in message.body
    assert "https://khcn.haiphong.gov.vn/tai-lieu/1/" in message.body
    note.refresh_from_db()
    assert note.emailed_at is not None

    # the same task run again (a retry, a second worker) sends nothing more
    send_notification_email.enqueue(note.pk)
    run_worker()
    assert send_notification_email.call(note.pk) is False
    assert len(mail.outbox) == 1
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db(transaction=True)
def test_worker_sends_nothing_for_email_off(run_worker, staff_a):
    Preference.objects.create(user=staff_a, kind=Kind.DOCUMENT_CHANGED, in_app=True, email=False)

    send([staff_a])
    run_worker()

    assert Notification.objects.count() == 1
    assert not DBTaskResult.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_rolled_back_notification_queues_nothing(run_worker, staff_a):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        send([staff_a])
        raise RuntimeError("hủy")

    run_worker()
    assert not Notification.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert mail.outbox == []


def test_failed_send_releases_the_claim(staff_a, settings):
    send([staff_a])
    note = Notification.objects.get()
    # the real SMTP backend, with nothing listening on the port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    with pytest.raises(OSError):
        send_notification_email.call(note.pk)

    note.refresh_from_db()
    assert note.emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_notification_email.call(note.pk) is True
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_notifications_are_written_in_the_site_language(admin_a, agency_a):
    from django.utils import translation

    from khcn.accounts.services import membership_grant

    target = UserFactory()
    with translation.override("en"):  # the administrator works in English
        membership_grant(actor=admin_a, user=target, agency=agency_a, role=Role.EXPERT)
    note = Notification.objects.get(recipient=target)
    assert note.title.startswith("Bạn được giao vai trò Chuyên gia hội đồng")
