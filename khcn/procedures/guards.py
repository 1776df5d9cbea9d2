"""What the dossier rule sets (`tthc-*.toml`) name: guards, effects, the `[rules.dossier]`
check, and the hook that copies a dossier's step, due date and outcome onto `Dossier`
after every workflow step (so lists and statistics never join the workflow tables).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils.translation import gettext as _

from khcn.core import clock
from khcn.workflow.models import Deadline
from khcn.workflow.registry import Context, after_step, effect, guard, rule_check

RESOLUTION = "resolution"  # the deadline key every tthc-* rule set uses for the time limit
# the steps that settle a dossier, and the outcome each records
FINISHING = {"issue_result": "approved", "refuse": "refused", "withdraw": "withdrawn"}
RETURN_ACTIONS = frozenset({"return", "return_refusal"})

DOSSIER_RULE_KEYS = {
    "due_soon_days": int,
    "expert_days": int,
    "apology_required": bool,
    "certificate_valid_years": int,
    "lookup_per_minute": int,
}


def dossier_rules(rules) -> dict:
    """`[rules.dossier]` of a parsed rule set."""
    return rules.rules.get("dossier", {})


def _dossier(ctx: Context):
    from khcn.procedures.models import Dossier

    return ctx.subject if isinstance(ctx.subject, Dossier) else None


@effect("dossier_expert_limit")
def dossier_expert_limit(ctx: Context) -> None:
    """Consulting experts or a council lengthens the time limit to `[rules.dossier] expert_days`
    working days from receipt (NĐ 13/2019: 15 instead of 10); 0 keeps the normal limit."""
    days = dossier_rules(ctx.process.rules).get("expert_days", 0)
    if days:
        ctx.process.data["resolution_days"] = days


@guard("dossier_apology_if_late")
def dossier_apology_if_late(ctx: Context) -> str | None:
    """A dossier resolved after its due date is returned only with a written apology and a new
    date (phiếu xin lỗi và hẹn lại ngày trả kết quả, NĐ 61/2018 Đ19; mẫu TT 01/2018/TT-VPCP)."""
    dossier = _dossier(ctx)
    if dossier is None or not dossier_rules(ctx.process.rules).get("apology_required", True):
        return None
    dossier.refresh_from_db(fields=["late", "due_date"])
    overdue = dossier.late or (dossier.due_date is not None and dossier.due_date < ctx.today)
    if overdue and not dossier.apologies.exists():
        return _("Hồ sơ trễ hạn: cần lập phiếu xin lỗi và hẹn lại ngày trả kết quả trước khi trả.")
    return None


@rule_check
def check_dossier_rules(rules: dict) -> list[str]:
    """`[rules.dossier]`, when present, holds the keys khcn.procedures reads."""
    table = rules.get("dossier")
    if table is None:
        return []
    if not isinstance(table, dict):
        return [_("[rules.dossier] phải là một bảng.")]
    errors = []
    for key, kind in DOSSIER_RULE_KEYS.items():
        value = table.get(key)
        if value is None:
            errors.append(_("[rules.dossier] thiếu khóa «%(k)s».") % {"k": key})
        elif type(value) is not kind or (kind is int and value < 0):
            errors.append(_("[rules.dossier] «%(k)s» có giá trị không hợp lệ.") % {"k": key})
    return errors


def _dossier_type_id() -> int:
    from khcn.procedures.models import Dossier

    return ContentType.objects.get_for_model(Dossier).pk


@after_step
def dossier_sync(process, action: str) -> None:
    """Copy the step, the time limit's due date and the outcome onto the dossier.

    `finished_on` is the day the result (or the refusal) was issued; the dossier was late
    when its time-limit row closed as missed (`khcn.workflow.deadlines`). Waiving the limit
    clears the lateness.
    """
    if not process.subject_id or process.subject_type_id != _dossier_type_id():
        return
    from khcn.procedures.models import ApologyLetter, Dossier

    today = clock.today()
    row = (
        Deadline.objects.filter(process_id=process.pk, key=RESOLUTION)
        .order_by("-pk")
        .values("due", "status")
        .first()
    )
    values: dict = {"state": process.state}
    if row is not None:
        values["due_date"] = row["due"]
        apology = (
            ApologyLetter.objects.filter(dossier_id=process.subject_id)
            .order_by("-number")
            .values_list("new_date", flat=True)
            .first()
        )
        values["promised_date"] = max(row["due"], apology) if apology else row["due"]
        values["late"] = row["status"] == Deadline.Status.MISSED
    if action == "request_supplement":
        values["supplement_count"] = F("supplement_count") + 1
    outcome = FINISHING.get(action)
    if outcome:
        values["finished_on"] = today
        values["outcome"] = outcome
    if action in RETURN_ACTIONS:
        values["returned_on"] = today
    Dossier.objects.filter(pk=process.subject_id).update(**values)
