"""notify(): the one way to tell users something, in the app and by e-mail."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import translation

from khcn.audit.models import AuditAction
from khcn.audit.services import record
from khcn.core import clock
from khcn.notifications.models import Kind, Notification, Preference


def site_language():
    """Notifications are written in the site's language, not in the language of whoever
    triggered them (an English-speaking administrator's action still tells staff in Vietnamese)."""
    return translation.override(settings.LANGUAGE_CODE)


def preferences_for(user) -> dict[str, Preference]:
    """Every kind with the user's choice, defaulting to both channels on."""
    saved = {p.kind: p for p in Preference.objects.filter(user=user)}
    return {k: saved.get(k) or Preference(user=user, kind=k) for k in Kind.values}


def notify(
    *, recipients: Iterable, kind: Kind, title: str, body: str = "", url: str = "", agency=None
) -> list[Notification]:
    """Create the notifications now; send the e-mails after the transaction commits.

    A user who switched a kind off in the app still gets the e-mail if asked,
    and the other way round; a user with an empty address gets no e-mail.
    """
    from khcn.notifications.tasks import send_notification_emails

    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    prefs = {p.user_id: p for p in Preference.objects.filter(user_id__in=users, kind=kind)}
    created = []
    for user in users.values():
        pref = prefs.get(user.pk) or Preference(in_app=True, email=True)
        if not (pref.in_app or pref.email):
            continue
        created.append(
            Notification(
                recipient=user,
                agency_id=getattr(agency, "pk", agency),
                kind=kind,
                title=title[:255],
                body=body,
                url=url,
                in_app=pref.in_app,
                want_email=pref.email and bool(user.email),
            )
        )
    Notification.objects.bulk_create(created)
    to_send = [note.pk for note in created if note.want_email]
    if to_send:
        transaction.on_commit(lambda: send_notification_emails.enqueue(to_send))
    return created


@transaction.atomic
def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when `ids` is None)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=clock.now())


@transaction.atomic
def preferences_update(*, user, choices: dict[str, tuple[bool, bool]], request=None) -> None:
    """Save {kind: (in_app, email)} for the user, audited."""
    before = {k: (p.in_app, p.email) for k, p in preferences_for(user).items()}
    for kind, (in_app, email) in choices.items():
        if kind not in Kind.values:
            continue
        Preference.objects.update_or_create(
            user=user, kind=kind, defaults={"in_app": in_app, "email": email}
        )
    after = {k: (p.in_app, p.email) for k, p in preferences_for(user).items()}
    if before != after:
        record(
            actor=user,
            action=AuditAction.NOTIFICATION_PREFS_CHANGED,
            obj=user,
            before=before,
            after=after,
            request=request,
            agency=None,
        )
