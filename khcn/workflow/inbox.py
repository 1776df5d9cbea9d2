"""The workflow's part of "Việc của tôi": records whose next step is the user's."""

import datetime as dt

from django.db.models import F, Q
from django.utils.translation import gettext as _

from khcn.accounts.models import INTERNAL_ROLES
from khcn.core import clock
from khcn.web.inbox import WorkItem, provider
from khcn.workflow.models import Process, ProcessParty, RuleSetVersion

LIMIT = 50


def _states_for(version: RuleSetVersion, roles: frozenset[str]) -> list[str]:
    rules = version.rules
    return [code for code in rules.states if rules.roles_acting_in(code) & roles]


def waiting_for(user, agency) -> "QuerySet[Process]":  # noqa: F821
    """Open records in a state where one of the user's roles has a step to take.

    The department's people see their agency's records (by their roles in it);
    outside users see the records they are parties to, by their role on each.
    """
    versions = list(RuleSetVersion.objects.all())  # a handful; old ones may still have records
    condition = Q(pk__in=[])
    internal = frozenset()
    if agency is not None:
        internal = user.roles_by_agency().get(agency.pk, frozenset()) & INTERNAL_ROLES
    if internal:
        for version in versions:
            states = _states_for(version, internal)
            if states:
                condition |= Q(agency_id=agency.pk, ruleset_id=version.pk, state__in=states)
    party_roles = set(ProcessParty.objects.filter(user=user).values_list("role", flat=True))
    for role in party_roles:
        mine = ProcessParty.objects.filter(user=user, role=role).values("process_id")
        for version in versions:
            states = _states_for(version, frozenset({role}))
            if states:
                condition |= Q(pk__in=mine, ruleset_id=version.pk, state__in=states)
    return (
        Process.objects.filter(condition, closed_at__isnull=True)
        .select_related("ruleset")
        .order_by(F("next_due").asc(nulls_last=True), "state_entered_at")
    )


@provider
def workflow_items(user, agency) -> list[WorkItem]:
    from khcn.workflow.engine import process_url

    today = clock.today()
    items = []
    for process in waiting_for(user, agency)[:LIMIT]:
        due: dt.date | None = process.next_due
        items.append(
            WorkItem(
                title=process.title,
                url=process_url(process),
                kind=process.rules.short_title,
                due=due,
                detail=_("Đang ở bước: %(s)s") % {"s": process.state_label},
                overdue=due is not None and due < today,
            )
        )
    return items
