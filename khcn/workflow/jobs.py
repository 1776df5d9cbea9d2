"""The daily deadline sweep: mark missed limits, remind, escalate, run automatic steps.

Every step selects only rows it has not handled yet (status, `reminded_at`,
`escalated_at`, `auto_done_at`), so running the sweep twice on one day, or
after a crash half-way, sends nothing twice.
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from khcn.accounts.models import INTERNAL_ROLES, Membership, Role, User
from khcn.audit.models import AuditAction
from khcn.audit.services import record
from khcn.core import clock
from khcn.core.errors import DomainError
from khcn.core.jobs import daily
from khcn.workflow.models import Deadline, ProcessParty, RuleSetVersion

log = logging.getLogger(__name__)
BATCH = 2000


@dataclass
class SweepResult:
    missed: int = 0
    reminded: int = 0
    escalated: int = 0
    automatic: int = 0
    automatic_refused: list[str] = field(default_factory=list)


def _rules_by_version(version_ids) -> dict:
    return {v.pk: v.rules for v in RuleSetVersion.objects.filter(pk__in=set(version_ids))}


def _chunks(items: list, size: int = BATCH):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _people(rows: list[dict], role_key: str = "responsible") -> dict[int, list[dict]]:
    """{user_id: [rows]}: who holds each row's role, for the agency's roles or the record's parties."""
    internal = defaultdict(set)  # role -> agencies
    outside = defaultdict(set)  # role -> processes
    for row in rows:
        role = row[role_key]
        (internal if role in INTERNAL_ROLES else outside)[role].add(
            row["agency_id"] if role in INTERNAL_ROLES else row["process_id"]
        )
    holders: dict[tuple, set[int]] = defaultdict(set)
    for role, agencies in internal.items():
        for uid, aid in Membership.objects.filter(
            role=role, agency_id__in=agencies, user__is_active=True
        ).values_list("user_id", "agency_id"):
            holders[(role, "a", aid)].add(uid)
    for role, processes in outside.items():
        for chunk in _chunks(sorted(processes)):
            for uid, pid in ProcessParty.objects.filter(
                role=role, process_id__in=chunk, user__is_active=True
            ).values_list("user_id", "process_id"):
                holders[(role, "p", pid)].add(uid)
    by_user: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        role = row[role_key]
        key = (
            (role, "a", row["agency_id"])
            if role in INTERNAL_ROLES
            else (role, "p", row["process_id"])
        )
        for uid in holders.get(key, ()):
            by_user[uid].append(row)
    return by_user


def _digest(by_user: dict[int, list[dict]], *, kind, title_one, title_many, url) -> None:
    from khcn.notifications.services import notify

    users = User.objects.in_bulk(list(by_user))
    for uid, rows in by_user.items():
        user = users.get(uid)
        if user is None:
            continue
        rows = sorted(rows, key=lambda r: r["due"])
        lines = [
            f"• {r['process__title'][:150]} — {r['label']} ({r['due']:%d/%m/%Y})" for r in rows[:15]
        ]
        if len(rows) > 15:
            lines.append(_("… và %(n)d việc khác.") % {"n": len(rows) - 15})
        title = ngettext(title_one, title_many, len(rows)) % {"n": len(rows)}
        notify(
            recipients=[user],
            kind=kind,
            title=title,
            body="\n".join(lines),
            url=url,
            agency=rows[0]["agency_id"],
        )


FIELDS = (
    "pk",
    "key",
    "label",
    "due",
    "agency_id",
    "process_id",
    "process__title",
    "process__ruleset_id",
    "responsible",
)


def deadline_sweep(*, today: dt.date | None = None) -> SweepResult:
    """One day's pass over the active deadlines of every agency (the daily job)."""
    from khcn.notifications.models import Kind
    from khcn.workflow.engine import perform

    today = today or clock.today()
    now = clock.now()
    result = SweepResult()
    url = reverse("process-list") + "?han=qua_han"

    # 1. Limits that passed yesterday or earlier become missed; one audit event per agency.
    with transaction.atomic():
        newly = list(
            Deadline.objects.filter(
                closed_on__isnull=True,
                status=Deadline.Status.OPEN,
                paused_since__isnull=True,
                due__lt=today,
            ).values_list("pk", "agency_id")
        )
        per_agency = defaultdict(list)
        for pk, agency_id in newly:
            per_agency[agency_id].append(pk)
        for chunk in _chunks([pk for pk, _a in newly]):
            Deadline.objects.filter(pk__in=chunk, status=Deadline.Status.OPEN).update(
                status=Deadline.Status.MISSED, missed_on=today
            )
        for agency_id, pks in per_agency.items():
            record(
                actor=None,
                action=AuditAction.DEADLINE_MISSED,
                agency=agency_id,
                after={"date": today, "count": len(pks), "deadlines": pks[:500]},
            )
        result.missed = len(newly)

    # 2. Missed and not yet reported: the responsible people and, where the rule says, the leaders.
    with transaction.atomic():
        rows = list(
            Deadline.objects.select_for_update(skip_locked=True)
            .filter(
                closed_on__isnull=True, status=Deadline.Status.MISSED, escalated_at__isnull=True
            )
            .values(*FIELDS)
        )
        if rows:
            rules = _rules_by_version(r["process__ruleset_id"] for r in rows)
            _digest(
                _people(rows),
                kind=Kind.DEADLINE_MISSED,
                title_one="%(n)d việc của bạn đã quá hạn",
                title_many="%(n)d việc của bạn đã quá hạn",
                url=url,
            )
            to_leaders = []
            for row in rows:
                rule = rules[row["process__ruleset_id"]].deadline(row["key"])
                # A leader already told as the responsible person is not told twice.
                if rule is not None and rule.escalate and row["responsible"] != Role.LEADER:
                    to_leaders.append({**row, "leader": Role.LEADER})
            _digest(
                _people(to_leaders, "leader"),
                kind=Kind.DEADLINE_MISSED,
                title_one="%(n)d hồ sơ quá hạn cần lãnh đạo chỉ đạo",
                title_many="%(n)d hồ sơ quá hạn cần lãnh đạo chỉ đạo",
                url=url,
            )
            result.escalated = len(to_leaders)
            for chunk in _chunks([r["pk"] for r in rows]):
                Deadline.objects.filter(pk__in=chunk).update(escalated_at=now)

    # 3. Reminders some working days ahead (the rule's `remind_before`).
    with transaction.atomic():
        rows = list(
            Deadline.objects.select_for_update(skip_locked=True)
            .filter(
                closed_on__isnull=True,
                status=Deadline.Status.OPEN,
                paused_since__isnull=True,
                reminded_at__isnull=True,
                remind_on__lte=today,
                due__gte=today,
            )
            .values(*FIELDS)
        )
        if rows:
            _digest(
                _people(rows),
                kind=Kind.DEADLINE_REMINDER,
                title_one="%(n)d việc sắp đến hạn",
                title_many="%(n)d việc sắp đến hạn",
                url=reverse("home"),
            )
            for chunk in _chunks([r["pk"] for r in rows]):
                Deadline.objects.filter(pk__in=chunk).update(reminded_at=now)
        result.reminded = len(rows)

    # 4. Automatic consequences (e.g. TT 11/2014 Đ13: a dossier 6 months late is rated Không đạt).
    pending = list(
        Deadline.objects.filter(
            closed_on__isnull=True, status=Deadline.Status.MISSED, auto_done_at__isnull=True
        ).values("pk", "key", "process_id", "process__ruleset_id")
    )
    rules = _rules_by_version(r["process__ruleset_id"] for r in pending)
    nothing_to_do = []
    for row in pending:
        rule = rules[row["process__ruleset_id"]].deadline(row["key"])
        action = rule.on_missed if rule is not None else ""
        if not action:
            nothing_to_do.append(row["pk"])
            continue
        note = ""
        try:
            with transaction.atomic():
                perform(
                    user=None, process=row["process_id"], action=action, today=today, system=True
                )
            result.automatic += 1
        except DomainError as exc:
            note = exc.message
            result.automatic_refused.append(f"{row['process_id']}: {note}")
            log.warning(
                "automatic step %s on process %s refused: %s", action, row["process_id"], note
            )
        Deadline.objects.filter(pk=row["pk"]).update(auto_done_at=now, note=note)
    for chunk in _chunks(nothing_to_do):
        Deadline.objects.filter(pk__in=chunk).update(auto_done_at=now)
    return result


@daily
def sweep_deadlines() -> dict:
    result = deadline_sweep()
    return {
        "missed": result.missed,
        "reminded": result.reminded,
        "escalated": result.escalated,
        "automatic": result.automatic,
    }
