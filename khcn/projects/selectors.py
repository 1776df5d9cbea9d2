"""Reads for task pages, the API and the dashboard."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from khcn.core.calendar import shift_months
from khcn.core.permissions import scope
from khcn.projects.models import (
    ApplicationReport,
    Contract,
    Disbursement,
    Ineligibility,
    Project,
    identity_key,
)
from khcn.workflow.models import Deadline

# A leader "runs" a task from approval until the acceptance dossier is filed.
ACTIVE_STATES = (
    "APPROVED",
    "CONTRACTED",
    "IN_PROGRESS",
    "CHANGE_PENDING",
    "EXTENSION_PENDING",
    "SUSPENDED",
    "INTERNAL_ACCEPTANCE",
)


def projects_for(
    user,
    *,
    agency=None,
    state: str = "",
    kind: str = "",
    year: int | None = None,
    q: str = "",
    overdue: bool = False,
    field: str = "",
    include_closed: bool = True,
    today: dt.date,
) -> QuerySet[Project]:
    """Tasks the user may see, nearest running deadline first (then newest).

    With `agency` given to one of its own people, the list is that agency's tasks: a plain
    filter the (agency, year) index serves, instead of the visibility rule's OR of parties
    and council seats, which PostgreSQL can only answer by scanning every task."""
    from khcn.accounts.models import INTERNAL_ROLES

    if agency is not None and user.roles_by_agency().get(agency.pk, frozenset()) & INTERNAL_ROLES:
        qs = Project.objects.filter(agency=agency)
    else:
        qs = scope(user, "project.view", Project.objects.all())
        if agency is not None:
            qs = qs.filter(agency=agency)
    if state:
        qs = qs.filter(process__state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if field:
        qs = qs.filter(field=field)
    if year:
        qs = qs.filter(year=year)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(code__icontains=q) | Q(host_org__icontains=q))
    if overdue:
        qs = qs.filter(process__next_due__lt=today, process__closed_at__isnull=True)
    if not include_closed:
        qs = qs.filter(process__closed_at__isnull=True)
    # The rule set's definition (a 28 KB JSON document) would be decoded again for each row;
    # its parsed form is cached per version (`workflow.loader.parsed`), so it is left unread.
    return (
        qs.select_related("process", "process__ruleset")
        .defer(
            "process__ruleset__definition",
            "process__data",
            "problem",
            "objectives",
            "expected_products",
            "application_place",
        )
        .order_by(F("process__next_due").asc(nulls_last=True), "-year", "-id")
    )


def eligibility_problems(
    *, agency, organisation: str, leader_name: str, level: str, today: dt.date
) -> list[str]:
    """Why an organisation or leader may not apply, from the system's own history
    (TT 20/2023 Đ4): a bar after a failed task, a refund still owed, results not registered
    or handed over, no report on the application of results, an earlier acceptance dossier
    filed more than N days late, the leader already running a task at the same level.
    Values come from the agency's task rule set (`[rules.eligibility]`)."""
    from khcn.projects.services import ruleset_for
    from khcn.workflow.loader import current_version

    rules = current_version(ruleset_for(agency)).rules.rules.get("eligibility", {})
    org, person = identity_key(organisation), identity_key(leader_name)
    problems: list[str] = []
    barred = Ineligibility.objects.filter(agency=agency, until__gte=today).filter(
        Q(subject="org", key=org) | Q(subject="person", key=person)
    )
    for bar in barred:
        problems.append(
            _("%(n)s không được tham gia đến hết ngày %(d)s (%(r)s).")
            % {"n": bar.name, "d": f"{bar.until:%d/%m/%Y}", "r": bar.reason}
        )
    mine = Project.objects.filter(agency=agency).filter(Q(host_key=org) | Q(leader_key=person))
    for p in mine.filter(process__state__in=("REFUND_SET", "TERMINATED")):
        problems.append(_("Chưa hoàn trả kinh phí của nhiệm vụ %(c)s.") % {"c": p.code})
    late = Deadline.objects.filter(
        process__project__in=mine.filter(host_key=org), status=Deadline.Status.MISSED
    )
    for p in mine.filter(
        host_key=org,
        process__state__in=("PASSED", "DOSSIER_FINALISED"),
        process__deadlines__in=late.filter(key="dossier_finalisation"),
    ).distinct():
        problems.append(_("Chưa đăng ký kết quả của nhiệm vụ %(c)s đúng hạn.") % {"c": p.code})
    for p in mine.filter(
        host_key=org,
        process__state="RECOGNISED",
        process__deadlines__in=late,
    ).distinct():
        problems.append(_("Chưa bàn giao tài sản, kết quả của nhiệm vụ %(c)s.") % {"c": p.code})
    months = rules.get("application_report_months")
    if months:
        since = shift_months(today, -int(months))
        reported = ApplicationReport.objects.values("project_id")
        for p in (
            mine.filter(
                host_key=org,
                process__state__in=("LIQUIDATED", "APPLICATION_MONITORING", "CLOSED"),
                process__state_entered_at__date__lt=since,
            )
            .exclude(rating="KHONG_DAT")
            .exclude(pk__in=reported)
        ):
            problems.append(_("Chưa báo cáo ứng dụng kết quả của nhiệm vụ %(c)s.") % {"c": p.code})
    days = rules.get("late_dossier_days")
    if days:
        for d in late.filter(key="acceptance_dossier").select_related("process__project"):
            finished = d.closed_on or today
            if (finished - d.due).days > int(days):
                problems.append(
                    _("Nhiệm vụ %(c)s nộp hồ sơ nghiệm thu chậm quá %(n)d ngày.")
                    % {"c": d.process.project.code, "n": int(days)}
                )
    if rules.get("one_active_task_per_leader") and person:
        for p in Project.objects.filter(
            agency=agency, leader_key=person, level=level, process__state__in=ACTIVE_STATES
        ):
            problems.append(
                _("%(n)s đang chủ nhiệm nhiệm vụ %(c)s cùng cấp.") % {"n": leader_name, "c": p.code}
            )
    return problems


def money_summary(project: Project) -> dict:
    """Contract value, tranches with what was paid under each, totals that reconcile: two
    queries (the tranches, the payments summed here), three when the task was not read with
    `select_related("contract")`."""
    try:
        contract = project.contract
    except Contract.DoesNotExist:
        contract = None
    if contract is None:
        return {"contract": None, "tranches": [], "disbursed": Decimal(0), "remaining": Decimal(0)}
    tranches = list(contract.tranches.all())
    payments = list(
        Disbursement.objects.filter(tranche__contract=contract).select_related("tranche")
    )
    paid: dict[int, Decimal] = {}
    for payment in payments:
        paid[payment.tranche_id] = paid.get(payment.tranche_id, Decimal(0)) + payment.amount
    rows = [
        {
            "tranche": t,
            "paid": paid.get(t.pk, Decimal(0)),
            "left": t.amount - paid.get(t.pk, Decimal(0)),
        }
        for t in tranches
    ]
    disbursed = sum(paid.values(), Decimal(0))
    return {
        "contract": contract,
        "tranches": rows,
        "disbursed": disbursed,
        "remaining": contract.value - disbursed,
        "payments": payments,
    }


def portfolio(user, *, agency, year: int | None, today: dt.date) -> dict:
    """The leader's dashboard: counts by state, kind, year and field; money committed
    (contracts) against disbursed; overdue tasks."""
    qs = scope(user, "project.view", Project.objects.filter(agency=agency))
    if year:
        qs = qs.filter(year=year)
    by_state = dict(qs.values_list("process__state").annotate(n=Count("id")))
    by_kind = dict(qs.values_list("kind").annotate(n=Count("id")))
    by_field = dict(qs.values_list("field").annotate(n=Count("id")))
    by_year = dict(
        scope(user, "project.view", Project.objects.filter(agency=agency))
        .values_list("year")
        .annotate(n=Count("id"))
        .order_by("-year")
    )
    committed = Contract.objects.filter(project__in=qs).aggregate(s=Sum("value"))["s"] or 0
    disbursed = (
        Disbursement.objects.filter(tranche__contract__project__in=qs).aggregate(s=Sum("amount"))[
            "s"
        ]
        or 0
    )
    overdue = (
        qs.filter(process__next_due__lt=today, process__closed_at__isnull=True)
        .select_related("process")
        .order_by("process__next_due")
    )
    return {
        "total": sum(by_state.values()),
        "by_state": by_state,
        "by_kind": by_kind,
        "by_field": by_field,
        "by_year": by_year,
        "committed": Decimal(committed),
        "disbursed": Decimal(disbursed),
        "overdue_count": overdue.count(),
        "overdue": list(overdue[:20]),
    }


# Which step counts for each figure of the annual report (seed 004: "47 approved, 30
# deployed, 19 accepted").
YEAR_FIGURES = {
    "approved": ("approve",),
    "deployed": ("start",),
    "accepted": ("rate_pass",),
}


def year_figures(*, agency, year: int) -> dict[str, int]:
    """Tasks approved, deployed (work started) and accepted during a calendar year, counted
    from the workflow history."""
    from khcn.workflow.models import ProcessEvent

    rows = dict(
        ProcessEvent.objects.filter(
            process__agency=agency,
            process__project__isnull=False,
            at__year=year,
            action__in=[a for actions in YEAR_FIGURES.values() for a in actions],
        )
        .values_list("action")
        .annotate(n=Count("process_id", distinct=True))
    )
    return {key: sum(rows.get(a, 0) for a in actions) for key, actions in YEAR_FIGURES.items()}
