from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from khcn.core import clock
from khcn.notifications.models import Notification


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """Send a batch (one `notify()` call, e.g. a day's digests): one queued job, not one per
    e-mail. Each row is claimed on its own, so a failure leaves the others sent and the
    failed ones ready for a retry of the batch. Returns how many were sent."""
    sent, failed = 0, None
    for pk in notification_ids:
        try:
            sent += bool(send_notification_email.call(pk))
        except Exception as exc:  # keep going; report the first failure after the batch
            failed = failed or exc
    if failed is not None:
        raise failed
    return sent


@task()
def send_notification_email(notification_id: int) -> bool:
    """Send one notification by e-mail. Running it twice sends one e-mail.

    The row is claimed by setting `emailed_at` in a conditional UPDATE; a
    failed send releases the claim so that a retry can send it.
    """
    claimed = Notification.objects.filter(
        pk=notification_id, want_email=True, emailed_at__isnull=True
    ).update(emailed_at=clock.now())
    if not claimed:
        return False
    note = Notification.objects.select_related("recipient").get(pk=notification_id)
    body = note.body
    if note.url:
        body = f"{body}\n\n{settings.KHCN_SITE_URL.rstrip('/')}{note.url}"
    try:
        send_mail(note.title, body, None, [note.recipient.email])
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True
