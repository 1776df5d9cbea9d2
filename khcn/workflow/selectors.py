"""Reads for the workflow pages and API: record lists with their nearest deadline."""

import datetime as dt

from django.db.models import F, Q, QuerySet

from khcn.core.calendar import calendar_for
from khcn.core.permissions import scope
from khcn.workflow.models import Deadline, Process


def processes_for(
    user,
    *,
    agency=None,
    ruleset: str = "",
    state: str = "",
    due: str = "",
    q: str = "",
    include_closed: bool = False,
    today: dt.date,
) -> QuerySet[Process]:
    """Records the user may see, nearest active deadline first.

    `due`: "qua_han" (an active deadline has passed), "sap_den_han" (one falls
    within 7 days), or "" for all.
    """
    qs = scope(user, "workflow.view", Process.objects.all())
    if agency is not None:
        qs = qs.filter(agency=agency)
    if not include_closed:
        qs = qs.filter(closed_at__isnull=True)
    if ruleset:
        qs = qs.filter(ruleset__code=ruleset)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(reference__icontains=q))
    if due == "qua_han":
        qs = qs.filter(next_due__lt=today)
    elif due == "sap_den_han":
        qs = qs.filter(next_due__gte=today, next_due__lte=today + dt.timedelta(days=7))
    return qs.select_related("ruleset", "agency").order_by(
        F("next_due").asc(nulls_last=True), "-state_entered_at", "-id"
    )


def deadline_rows(process: Process, *, today: dt.date) -> list[dict]:
    """Every deadline of the record with the working days left (negative: days overdue)."""
    cal = calendar_for(process.agency_id)
    rules = process.rules
    rows = []
    for d in process.deadlines.order_by(F("closed_on").desc(nulls_first=True), "due", "id"):
        rule = rules.deadline(d.key)
        active = d.closed_on is None and d.status in (Deadline.Status.OPEN, Deadline.Status.MISSED)
        remaining = cal.count_working_days(today, d.due) if active else 0
        rows.append(
            {
                "deadline": d,
                "rule": rule,
                "active": active,
                "overdue": active and d.due < today,
                "remaining": remaining,
                "overdue_days": max(-remaining, 0),
            }
        )
    return rows
