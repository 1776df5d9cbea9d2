"""Effects and rule checks the task rule sets (vn-2013, hn-05-2021) name.

Each effect acts on the workflow record's subject when it is a `Project`; a bare
workflow record (no subject) is left alone, so the engine's own tests still run
every step of the shipped files.
"""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from khcn.core.calendar import shift_months
from khcn.core.errors import DomainError
from khcn.core.money import format_vnd
from khcn.workflow.guards import as_date
from khcn.workflow.registry import Context, effect, rule_check


def _project(ctx: Context):
    from khcn.projects.models import Project

    return ctx.subject if isinstance(ctx.subject, Project) else None


@effect("project_sync")
def project_sync(ctx: Context) -> None:
    """Copy what a step decided onto the task: dates and budget at approval, the new end date of
    an extension, the acceptance rating."""
    project = _project(ctx)
    if project is None:
        return
    changed = []
    for name, attr in (("start_date", "start_date"), ("end_date", "end_date")):
        value = as_date(ctx.value(name))
        if value and getattr(project, attr) != value:
            setattr(project, attr, value)
            changed.append(attr)
    budget = ctx.process.data.get("budget") if ctx.action == "approve" else None
    lines = list(project.budget_lines.filter(source="state")) if budget is not None else []
    if lines and sum(ln.amount for ln in lines) != Decimal(str(budget)):
        # totals reconcile: the approved budget is the sum of the state-budget lines
        raise DomainError(
            _(
                "Kinh phí phê duyệt (%(b)s đồng) phải bằng tổng dự toán ngân sách (%(t)s đồng); "
                "hãy sửa dự toán trước."
            )
            % {
                "b": format_vnd(Decimal(str(budget))).replace(" ₫", ""),
                "t": format_vnd(sum(ln.amount for ln in lines)).replace(" ₫", ""),
            },
            code="guard",
        )
    if budget is not None and project.budget_state != Decimal(str(budget)):
        project.budget_state = Decimal(str(budget))
        changed.append("budget_state")
    rating = ctx.process.data.get("rating")
    if rating and project.rating != rating:
        project.rating = rating
        changed.append("rating")
    if changed:
        project.save(update_fields=changed)


@effect("apply_winner")
def apply_winner(ctx: Context) -> None:
    """The selection council's winner becomes the host: organisation, leader, budget lines, and
    the applicant's account as the record's host party (TT 20/2023 Đ10–11)."""
    from khcn.projects.services import winner_apply

    project = _project(ctx)
    if project is not None:
        winner_apply(project=project, application_id=ctx.process.data.get("selection_winner"))


@effect("bar_after_failure")
def bar_after_failure(ctx: Context) -> None:
    """A task rated Không đạt bars its host organisation and its leader from new tasks for the
    periods in `[rules.eligibility]` (TT 11/2014 Đ16; TT 20/2023 Đ4)."""
    from khcn.projects.models import Ineligibility

    project = _project(ctx)
    if project is None:
        return
    rules = ctx.process.rules.rules.get("eligibility", {})
    today = ctx.today or dt.date.today()
    reason = _("Nhiệm vụ %(c)s bị đánh giá «Không đạt».") % {"c": project.code}
    for subject, name, years in (
        (Ineligibility.Subject.ORGANISATION, project.host_org, rules.get("failed_org_years", 0)),
        (Ineligibility.Subject.PERSON, project.leader_name, rules.get("failed_leader_years", 0)),
    ):
        if name and years:
            Ineligibility.objects.create(
                agency=project.agency,
                subject=subject,
                name=name,
                project=project,
                reason=reason,
                since=today,
                until=shift_months(today, 12 * int(years)),
            )


ELIGIBILITY_KEYS = {
    "failed_org_years": int,
    "failed_leader_years": int,
    "late_dossier_days": int,
    "application_report_months": int,
    "one_active_task_per_leader": bool,
}
MONEY_KEYS = {"tranches_in_order": bool, "not_before_planned": bool}
INSPECTION_KEYS = {"notice_working_days": int}


@rule_check
def check_project_rules(rules: dict) -> list[str]:
    """`[rules.eligibility]` and `[rules.money]` hold the keys the task services read."""
    errors = []
    for section, keys in (
        ("eligibility", ELIGIBILITY_KEYS),
        ("money", MONEY_KEYS),
        ("inspection", INSPECTION_KEYS),
    ):
        table = rules.get(section)
        if table is None:
            continue
        if not isinstance(table, dict):
            errors.append(_("[rules.%(s)s] phải là một bảng.") % {"s": section})
            continue
        for key, kind in keys.items():
            value = table.get(key)
            if value is None:
                errors.append(_("[rules.%(s)s] thiếu khóa «%(k)s».") % {"s": section, "k": key})
            elif type(value) is not kind or (kind is int and value < 0):
                errors.append(
                    _("[rules.%(s)s] «%(k)s» có giá trị không hợp lệ.") % {"s": section, "k": key}
                )
    return errors
