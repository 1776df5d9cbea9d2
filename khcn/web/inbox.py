""" "Việc của tôi": what is waiting for the user, gathered from every module.

A module registers a provider `fn(user, agency) -> list[WorkItem]`; the home
page and `GET /api/v1/me/work` show the union, most urgent first. The
workflow engine registers the items whose current step belongs to the user.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class WorkItem:
    title: str
    url: str
    kind: str
    due: dt.date | None = None
    detail: str = ""
    overdue: bool = False


_PROVIDERS: list[Callable] = []


def provider(fn: Callable) -> Callable:
    _PROVIDERS.append(fn)
    return fn


def work_items(user, agency) -> list[WorkItem]:
    items: list[WorkItem] = []
    for fn in _PROVIDERS:
        items.extend(fn(user, agency))
    return sorted(items, key=lambda i: (i.due is None, i.due or dt.date.max, i.title))


@provider
def locked_accounts(user, agency) -> list[WorkItem]:
    """Administrators: accounts locked by failed logins, to unlock or investigate."""
    from khcn.accounts.models import Role, User
    from khcn.core import clock

    if agency is None or not (user.is_superuser or user.has_role(Role.ADMIN, agency)):
        return []
    locked = User.objects.filter(
        memberships__agency=agency, locked_until__gt=clock.now()
    ).distinct()
    return [
        WorkItem(
            title=_("Mở khóa tài khoản %(u)s") % {"u": u.get_full_name()},
            url=reverse("user-detail", args=[u.pk]),
            kind=_("Tài khoản"),
            detail=_("Bị khóa do đăng nhập sai nhiều lần"),
        )
        for u in locked[:20]
    ]


@provider
def unread_documents(user, agency) -> list[WorkItem]:
    """Documents of the user's that someone replaced with a new version, not yet seen."""
    from khcn.notifications.models import Kind, Notification

    notes = Notification.objects.filter(
        recipient=user, kind=Kind.DOCUMENT_CHANGED, in_app=True, read_at__isnull=True
    )[:20]
    return [WorkItem(title=n.title, url=n.url, kind=_("Tài liệu"), detail=n.body) for n in notes]
