"""Every write on S&T tasks: proposals, calls, applications, contracts, money, reports,
inspections, changes, products and application reports.

State changes go through the workflow engine (`perform`); these services keep the
records around the task and store on the workflow record the facts its guards read
(`contract_id`, `disbursed_total`, …). Each runs in one transaction and writes an
audit event.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from khcn.accounts.models import INTERNAL_ROLES
from khcn.audit.models import AuditAction
from khcn.audit.services import record
from khcn.core import clock
from khcn.core.calendar import calendar_for
from khcn.core.errors import DomainError
from khcn.core.permissions import require
from khcn.core.services import attachment_create
from khcn.projects.models import (
    Application,
    ApplicationReport,
    BudgetLine,
    Call,
    ChangeRequest,
    Contract,
    Disbursement,
    Inspection,
    Product,
    ProgressReport,
    Project,
    Tranche,
)
from khcn.workflow.engine import party_add, perform, process_data_record, process_start
from khcn.workflow.fields import FieldErrors
from khcn.workflow.models import ProcessParty

# Host-side work happens while the task runs (contract signed → acceptance dossier filed).
RUNNING_STATES = frozenset(
    {"CONTRACTED", "IN_PROGRESS", "CHANGE_PENDING", "EXTENSION_PENDING", "INTERNAL_ACCEPTANCE"}
)
PAYABLE_STATES = RUNNING_STATES | {
    "DOSSIER_SUBMITTED",
    "DOSSIER_FIXING",
    "DOSSIER_VALID",
    "COUNCIL_FORMED",
    "PASSED",
    "DOSSIER_FINALISED",
    "RESULT_REGISTERED",
    "RECOGNISED",
    "ASSETS_HANDED_OVER",
}
PRODUCT_STATES = frozenset({"APPROVED"}) | RUNNING_STATES
AFTER_LIQUIDATION = frozenset({"LIQUIDATED", "APPLICATION_MONITORING", "CLOSED"})


def money(value, *, field: str, label: str, allow_zero: bool = True) -> Decimal:
    """A VND amount from user input ("1.250.000", 1250000): whole đồng, not negative."""
    if isinstance(value, str):
        value = value.replace(".", "").replace(" ", "").replace("₫", "").replace("đ", "")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise FieldErrors({field: _("%(l)s phải là số tiền (đồng).") % {"l": label}}) from None
    if amount != amount.to_integral_value() or amount < 0 or (not allow_zero and amount == 0):
        raise FieldErrors(
            {field: _("%(l)s phải là số đồng nguyên, lớn hơn 0.") % {"l": label}}
            if not allow_zero
            else {field: _("%(l)s phải là số đồng nguyên, không âm.") % {"l": label}}
        )
    if amount >= Decimal(10) ** 15:
        raise FieldErrors({field: _("%(l)s quá lớn.") % {"l": label}})
    return amount


def ruleset_for(agency) -> str:
    return getattr(settings, "KHCN_PROJECT_RULESETS", {}).get(agency.code, "vn-2013")


def _next_code(agency, year: int) -> str:
    prefix = f"{agency.code.upper()}.{year}."
    last = (
        Project.objects.filter(agency=agency, code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    seq = int(last.rsplit(".", 1)[1]) + 1 if last and last.rsplit(".", 1)[1].isdigit() else 1
    return f"{prefix}{seq:03d}"


def _require_state(project: Project, states, message: str) -> None:
    if project.process.state not in states:
        raise DomainError(message % {"s": project.process.state_label}, status=409)


# --- proposals -----------------------------------------------------------------------------------


@transaction.atomic
def proposal_submit(
    *,
    actor,
    agency,
    title: str,
    problem: str,
    objectives: str,
    expected_products: str,
    application_place: str,
    proposer_org: str,
    year: int,
    kind: str = "de_tai",
    level: str = "tinh",
    field: str = "2",
    programme=None,
    ruleset: str = "",
    code: str = "",
    today: dt.date | None = None,
    request=None,
) -> Project:
    """A proposal (đề xuất đặt hàng) from anyone registered: it starts a task in PROPOSED,
    waiting for the identification council (TT 06/2023 Đ11)."""
    require(actor, "proposal.create", agency)
    errors = {}
    for name, value in (
        ("title", title),
        ("problem", problem),
        ("objectives", objectives),
        ("expected_products", expected_products),
        ("application_place", application_place),
        ("proposer_org", proposer_org),
    ):
        if not (value or "").strip():
            errors[name] = _("Trường này không được để trống.")
    this_year = (today or clock.today()).year
    if not (this_year - 1 <= int(year) <= this_year + 3):
        errors["year"] = _("Năm kế hoạch phải từ %(a)d đến %(b)d.") % {
            "a": this_year - 1,
            "b": this_year + 3,
        }
    if errors:
        raise FieldErrors(errors)
    process = process_start(
        actor=actor,
        agency=agency,
        ruleset=ruleset or ruleset_for(agency),
        title=title.strip()[:500],
        today=today,
    )
    project = Project.objects.create(
        agency=agency,
        process=process,
        code=code or _next_code(agency, int(year)),
        title=title.strip(),
        kind=kind,
        level=level,
        field=field,
        year=int(year),
        programme=programme,
        problem=problem.strip(),
        objectives=objectives.strip(),
        expected_products=expected_products.strip(),
        application_place=application_place.strip(),
        proposer=actor,
        proposer_org=proposer_org.strip(),
    )
    process.subject_type = ContentType.objects.get_for_model(Project)
    process.subject_id = str(project.pk)
    process.reference = project.code
    process.save(update_fields=["subject_type", "subject_id", "reference"])
    if not actor.roles_by_agency().get(agency.pk, frozenset()) & INTERNAL_ROLES:
        # an outside proposer follows the record (and is told of the decision)
        ProcessParty.objects.get_or_create(process=process, user=actor, role="proposer")
    record(
        actor=actor,
        action=AuditAction.PROJECT_PROPOSED,
        obj=project,
        agency=agency,
        after={"code": project.code, "title": project.title, "proposer_org": proposer_org},
        request=request,
    )
    return project


# --- calls ---------------------------------------------------------------------------------------


@transaction.atomic
def call_open(
    *,
    actor,
    agency,
    code: str,
    title: str,
    year: int,
    open_date: dt.date,
    close_date: dt.date,
    projects: list[Project],
    programme=None,
    decision_no: str = "",
    today: dt.date | None = None,
    request=None,
) -> Call:
    """Open a call for selection with its task list; each ordered task moves to CALL_OPEN.
    The notice runs at least 30 days (TT 20/2023 Đ3): the rule set's guard refuses less."""
    require(actor, "call.manage", agency)
    if not projects:
        raise FieldErrors({"projects": _("Chọn ít nhất một nhiệm vụ đã được đặt hàng.")})
    if Call.objects.filter(agency=agency, code=code).exists():
        raise FieldErrors({"code": _("Mã đợt «%(c)s» đã có.") % {"c": code}})
    if close_date <= open_date:
        raise FieldErrors({"close_date": _("Hạn nhận hồ sơ phải sau ngày đăng thông báo.")})
    call = Call.objects.create(
        agency=agency,
        code=code,
        title=title,
        year=year,
        programme=programme,
        open_date=open_date,
        close_date=close_date,
        decision_no=decision_no,
        created_by=actor,
    )
    for project in projects:
        if project.agency_id != agency.pk:
            raise DomainError(_("Nhiệm vụ không thuộc Sở này."), status=404)
        if project.process.state != "ORDERED":
            raise DomainError(
                _("Nhiệm vụ %(c)s chưa được đặt hàng hoặc đã giao (đang ở bước «%(s)s»).")
                % {"c": project.code, "s": project.process.state_label},
                status=409,
            )
        perform(
            user=actor,
            process=project.process,
            action="open_call",
            data={
                "call_open_date": open_date.isoformat(),
                "call_close_date": close_date.isoformat(),
            },
            today=today,
            request=request,
        )
        project.call = call
        project.save(update_fields=["call"])
    record(
        actor=actor,
        action=AuditAction.CALL_OPENED,
        obj=call,
        agency=agency,
        after={"code": code, "projects": [p.code for p in projects]},
        request=request,
    )
    return call


# --- applications --------------------------------------------------------------------------------


def _budget_lines(lines) -> list[tuple[str, str, Decimal]]:
    """[(category, source, amount)] from input rows, validated; zero rows dropped."""
    out, seen, errors = [], set(), {}
    categories, sources = set(BudgetLine.Category.values), set(BudgetLine.Source.values)
    for i, row in enumerate(lines or []):
        category, source = row.get("category"), row.get("source")
        if category not in categories or source not in sources:
            errors[f"budget_lines.{i}"] = _("Khoản chi hoặc nguồn kinh phí không hợp lệ.")
            continue
        try:
            amount = money(row.get("amount"), field=f"budget_lines.{i}", label=_("Số tiền"))
        except FieldErrors as exc:
            errors.update(exc.errors)
            continue
        if (category, source) in seen:
            errors[f"budget_lines.{i}"] = _("Khoản chi này đã có ở dòng trên.")
            continue
        seen.add((category, source))
        if amount:
            out.append((category, source, amount))
    if errors:
        raise FieldErrors(errors)
    if not any(source == "state" for _c, source, _a in out):
        raise FieldErrors({"budget_lines": _("Dự toán phải có kinh phí ngân sách nhà nước.")})
    return out


@transaction.atomic
def application_submit(
    *,
    actor,
    project: Project,
    organisation: str,
    leader_name: str,
    summary: str,
    months: int,
    budget_lines: list[dict],
    team: list[dict],
    description_file,
    leader_degree: str = "",
    recent_excellent: bool = False,
    cv_files: dict | None = None,
    today: dt.date | None = None,
    request=None,
) -> Application:
    """A host organisation applies to an open call: description (thuyết minh), budget lines,
    team and CVs. The system stamps the time of receipt; eligibility is checked from the
    system's own history (TT 20/2023 Đ4) and an ineligible applicant is refused."""
    from khcn.projects.selectors import eligibility_problems

    require(actor, "project.apply", project)
    today = today or clock.today()
    _require_state(project, {"CALL_OPEN"}, _("Nhiệm vụ đang ở bước «%(s)s», không nhận hồ sơ."))
    call = project.call
    if call and not call.is_open(today):
        raise DomainError(
            _("Đợt tuyển chọn nhận hồ sơ từ %(a)s đến hết %(b)s.")
            % {"a": f"{call.open_date:%d/%m/%Y}", "b": f"{call.close_date:%d/%m/%Y}"}
        )
    errors = {}
    for name, value in (
        ("organisation", organisation),
        ("leader_name", leader_name),
        ("summary", summary),
    ):
        if not (value or "").strip():
            errors[name] = _("Trường này không được để trống.")
    try:
        months = int(months)
        if not 1 <= months <= 60:
            raise ValueError
    except (TypeError, ValueError):
        errors["months"] = _("Thời gian thực hiện phải từ 1 đến 60 tháng.")
    members = [m for m in (team or []) if (m.get("name") or "").strip()]
    if not members:
        errors["team"] = _("Cần ít nhất một thành viên thực hiện (kể cả chủ nhiệm).")
    if description_file is None:
        errors["description_file"] = _("Cần tải lên thuyết minh nhiệm vụ.")
    if errors:
        raise FieldErrors(errors)
    lines = _budget_lines(budget_lines)
    problems = eligibility_problems(
        agency=project.agency,
        organisation=organisation,
        leader_name=leader_name,
        level=project.level,
        today=today,
    )
    if problems:
        raise DomainError(
            _("Không đủ điều kiện đăng ký (TT 20/2023 Đ4): %(p)s") % {"p": " ".join(problems)},
            code="ineligible",
        )
    application = Application(
        project=project,
        applicant=actor,
        organisation=organisation.strip(),
        leader_name=leader_name.strip(),
        leader_degree=leader_degree.strip(),
        summary=summary.strip(),
        months=months,
        recent_excellent=bool(recent_excellent),
        submitted_at=clock.now(),
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise DomainError(
            _("«%(o)s» đã nộp hồ sơ cho nhiệm vụ này.") % {"o": organisation}, status=409
        ) from None
    BudgetLine.objects.bulk_create(
        BudgetLine(application=application, category=c, source=s, amount=a) for c, s, a in lines
    )
    if not ProcessParty.objects.filter(process=project.process, user=actor).exists():
        ProcessParty.objects.create(process=project.process, user=actor, role="applicant")
    attachment_create(
        actor=actor,
        agency=project.agency,
        title=_("Thuyết minh nhiệm vụ – %(o)s") % {"o": application.organisation},
        upload=description_file,
        category="report",
        owner=application,
    )
    cv_files = cv_files or {}
    for i, member in enumerate(members):
        cv = None
        if cv_files.get(i) is not None:
            cv = attachment_create(
                actor=actor,
                agency=project.agency,
                title=_("Lý lịch khoa học – %(n)s") % {"n": member["name"].strip()},
                upload=cv_files[i],
                owner=application,
            )
        application.team.create(
            name=member["name"].strip(),
            degree=(member.get("degree") or "").strip(),
            role=(member.get("role") or _("Thành viên")).strip(),
            organisation=(member.get("organisation") or "").strip(),
            cv=cv,
        )
    record(
        actor=actor,
        action=AuditAction.APPLICATION_SUBMITTED,
        obj=application,
        agency=project.agency,
        after={
            "project": project.code,
            "organisation": application.organisation,
            "submitted_at": application.submitted_at.isoformat(),
            "budget": {f"{c}/{s}": int(a) for c, s, a in lines},
        },
        request=request,
    )
    return application


@transaction.atomic
def application_review(
    *, actor, application: Application, complete: bool, note: str = "", request=None
) -> Application:
    """Staff check an application's completeness before the council (TT 20/2023 Đ7)."""
    require(actor, "project.manage", application.project)
    if application.status not in (
        Application.Status.SUBMITTED,
        Application.Status.COMPLETE,
        Application.Status.INCOMPLETE,
    ):
        raise DomainError(_("Hồ sơ này đã được xử lý xong."), status=409)
    if not complete and not note.strip():
        raise FieldErrors({"note": _("Ghi rõ hồ sơ thiếu gì.")})
    before = application.status
    application.status = Application.Status.COMPLETE if complete else Application.Status.INCOMPLETE
    application.status_note = note.strip()
    application.save(update_fields=["status", "status_note"])
    record(
        actor=actor,
        action=AuditAction.APPLICATION_REVIEWED,
        obj=application,
        agency=application.project.agency,
        before={"status": before},
        after={"status": application.status, "note": application.status_note},
        request=request,
    )
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application, request=None) -> Application:
    """The applicant withdraws before the dossiers are opened."""
    if application.applicant_id != actor.pk:
        raise DomainError(_("Chỉ tổ chức đã nộp hồ sơ mới rút được hồ sơ."), status=403)
    _require_state(
        application.project, {"CALL_OPEN"}, _("Nhiệm vụ đang ở bước «%(s)s», không rút được hồ sơ.")
    )
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status"])
    record(
        actor=actor,
        action=AuditAction.APPLICATION_WITHDRAWN,
        obj=application,
        agency=application.project.agency,
        request=request,
    )
    return application


def winner_apply(*, project: Project, application_id) -> None:
    """The winning application becomes the task's host: organisation, leader, budget lines
    and host party (called by the rule set's `apply_winner` effect, inside `perform`)."""
    application = (
        Application.objects.filter(project=project, pk=application_id).select_related().first()
    )
    if application is None:
        raise DomainError(_("Không tìm thấy hồ sơ trúng tuyển."))
    project.host_org = application.organisation
    project.leader_name = application.leader_name
    lines = list(application.budget_lines.all())
    project.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(project=project, category=ln.category, source=ln.source, amount=ln.amount)
        for ln in lines
    )
    project.budget_state = sum((ln.amount for ln in lines if ln.source == "state"), Decimal(0))
    project.budget_other = sum((ln.amount for ln in lines if ln.source == "other"), Decimal(0))
    project.save(update_fields=["host_org", "leader_name", "budget_state", "budget_other"])
    Application.objects.filter(project=project).exclude(pk=application.pk).exclude(
        status=Application.Status.WITHDRAWN
    ).update(status=Application.Status.NOT_SELECTED)
    Application.objects.filter(pk=application.pk).update(status=Application.Status.SELECTED)
    if not ProcessParty.objects.filter(
        process=project.process, user=application.applicant, role="host"
    ).exists():
        ProcessParty.objects.create(
            process=project.process, user=application.applicant, role="host"
        )
    record(
        actor=None,
        action=AuditAction.WINNER_APPLIED,
        obj=project,
        agency=project.agency,
        after={
            "application": application.pk,
            "host_org": project.host_org,
            "leader": project.leader_name,
            "budget_state": int(project.budget_state),
        },
    )


@transaction.atomic
def direct_assign_host(
    *, actor, project: Project, host_user, host_org: str, leader_name: str, request=None
) -> Project:
    """For a directly assigned task (TT 20/2023 Đ17): name the host and its account."""
    require(actor, "project.manage", project)
    _require_state(
        project, {"DIRECT_ASSIGNMENT"}, _("Nhiệm vụ đang ở bước «%(s)s», không giao trực tiếp.")
    )
    if not host_org.strip() or not leader_name.strip():
        raise FieldErrors({"host_org": _("Cần tên tổ chức chủ trì và chủ nhiệm.")})
    project.host_org, project.leader_name = host_org.strip(), leader_name.strip()
    project.save(update_fields=["host_org", "leader_name"])
    party_add(actor=actor, process=project.process, user=host_user, role="host", request=request)
    return project


@transaction.atomic
def budget_set(*, actor, project: Project, lines: list[dict], request=None) -> Project:
    """Set the task's budget lines (direct assignment, or after budget appraisal, TT 20/2023 Đ15)."""
    require(actor, "project.manage", project)
    _require_state(
        project,
        {"DIRECT_ASSIGNMENT", "WINNER_REVISING", "BUDGET_APPRAISED"},
        _("Nhiệm vụ đang ở bước «%(s)s», không sửa dự toán được."),
    )
    clean = _budget_lines(lines)
    before = {f"{ln.category}/{ln.source}": int(ln.amount) for ln in project.budget_lines.all()}
    project.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(project=project, category=c, source=s, amount=a) for c, s, a in clean
    )
    project.budget_state = sum((a for _c, s, a in clean if s == "state"), Decimal(0))
    project.budget_other = sum((a for _c, s, a in clean if s == "other"), Decimal(0))
    project.save(update_fields=["budget_state", "budget_other"])
    record(
        actor=actor,
        action=AuditAction.PROJECT_UPDATED,
        obj=project,
        agency=project.agency,
        before={"budget": before},
        after={"budget": {f"{c}/{s}": int(a) for c, s, a in clean}},
        request=request,
    )
    return project


# --- contract and money --------------------------------------------------------------------------


@transaction.atomic
def contract_register(
    *,
    actor,
    project: Project,
    number: str,
    signed_date: dt.date,
    tranches: list[dict],
    lump_sum: str = Contract.LumpSum.PARTIAL,
    host_representative: str = "",
    today: dt.date | None = None,
    request=None,
) -> Contract:
    """Register the signed contract (NĐ 08/2014 Đ22) and its disbursement schedule; the
    tranches add up exactly to the approved state budget. Signing moves the task on and
    generates the contract with its budget annex."""
    require(actor, "project.manage", project)
    _require_state(project, {"APPROVED"}, _("Nhiệm vụ đang ở bước «%(s)s», chưa ký hợp đồng được."))
    errors = {}
    if not number.strip():
        errors["number"] = _("Cần số hợp đồng.")
    rows = []
    for i, t in enumerate(tranches or []):
        if not (t.get("milestone") or "").strip() and not t.get("amount"):
            continue
        try:
            amount = money(
                t.get("amount"), field=f"tranches.{i}", label=_("Số tiền"), allow_zero=False
            )
        except FieldErrors as exc:
            errors.update(exc.errors)
            continue
        planned = t.get("planned_date")
        if not isinstance(planned, dt.date):
            errors[f"tranches.{i}"] = _("Đợt %(n)d cần thời gian dự kiến.") % {"n": i + 1}
            continue
        if not (t.get("milestone") or "").strip():
            errors[f"tranches.{i}"] = _("Đợt %(n)d cần điều kiện cấp.") % {"n": i + 1}
            continue
        rows.append((t["milestone"].strip(), planned, amount))
    if not rows and not errors:
        errors["tranches"] = _("Cần ít nhất một đợt cấp kinh phí.")
    if errors:
        raise FieldErrors(errors)
    total = sum((a for _m, _p, a in rows), Decimal(0))
    if total != project.budget_state:
        raise FieldErrors(
            {
                "tranches": _(
                    "Tổng các đợt cấp (%(t)s đồng) phải bằng kinh phí ngân sách được duyệt "
                    "(%(b)s đồng)."
                )
                % {
                    "t": f"{total:,.0f}".replace(",", "."),
                    "b": f"{project.budget_state:,.0f}".replace(",", "."),
                }
            }
        )
    if [p for _m, p, _a in rows] != sorted(p for _m, p, _a in rows):
        raise FieldErrors({"tranches": _("Các đợt cấp phải theo thứ tự thời gian.")})
    contract = Contract.objects.create(
        project=project,
        number=number.strip(),
        signed_date=signed_date,
        value=total,
        lump_sum=lump_sum,
        host_representative=host_representative.strip(),
        created_by=actor,
    )
    Tranche.objects.bulk_create(
        Tranche(contract=contract, seq=i, milestone=m, planned_date=p, amount=a)
        for i, (m, p, a) in enumerate(rows, start=1)
    )
    process_data_record(
        process=project.process, values={"contract_id": contract.pk, "disbursed_total": 0}
    )
    record(
        actor=actor,
        action=AuditAction.CONTRACT_REGISTERED,
        obj=contract,
        agency=project.agency,
        after={
            "number": contract.number,
            "value": int(total),
            "tranches": [[m, p.isoformat(), int(a)] for m, p, a in rows],
        },
        request=request,
    )
    perform(
        user=actor,
        process=project.process,
        action="sign_contract",
        data={"contract_no": contract.number, "signed_date": signed_date.isoformat()},
        today=today,
        request=request,
    )
    return contract


def disbursed_by_tranche(contract: Contract) -> dict[int, Decimal]:
    rows = (
        Disbursement.objects.filter(tranche__contract=contract)
        .values("tranche_id")
        .annotate(total=Sum("amount"))
    )
    return {r["tranche_id"]: r["total"] for r in rows}


@transaction.atomic
def disbursement_record(
    *,
    actor,
    tranche: Tranche,
    kind: str,
    amount,
    paid_on: dt.date,
    reference: str = "",
    request=None,
) -> Disbursement:
    """Record money paid under a tranche. Disbursements follow the contract schedule
    (QĐ 05/2021 HN; `[rules.money]`): never more than the tranche, a tranche only once the
    earlier ones are paid in full, not before its planned date."""
    contract = (
        Contract.objects.select_for_update()
        .select_related("project__process")
        .get(pk=tranche.contract_id)
    )
    project = contract.project
    require(actor, "project.manage", project)
    _require_state(project, PAYABLE_STATES, _("Nhiệm vụ đang ở bước «%(s)s», không cấp kinh phí."))
    if kind not in Disbursement.Kind.values:
        raise FieldErrors({"kind": _("Chọn tạm ứng hoặc thanh toán.")})
    amount = money(amount, field="amount", label=_("Số tiền"), allow_zero=False)
    rules = project.process.rules.rules.get("money", {})
    paid = disbursed_by_tranche(contract)
    remaining = tranche.amount - paid.get(tranche.pk, Decimal(0))
    if amount > remaining:
        raise FieldErrors(
            {
                "amount": _("Đợt %(n)d chỉ còn %(r)s đồng chưa cấp.")
                % {"n": tranche.seq, "r": f"{remaining:,.0f}".replace(",", ".")}
            }
        )
    if rules.get("tranches_in_order"):
        for earlier in contract.tranches.filter(seq__lt=tranche.seq):
            if paid.get(earlier.pk, Decimal(0)) < earlier.amount:
                raise DomainError(
                    _(
                        "Đợt %(e)d chưa cấp đủ; kinh phí cấp theo tiến độ hợp đồng (đợt %(e)d trước đợt %(n)d)."
                    )
                    % {"e": earlier.seq, "n": tranche.seq}
                )
    if rules.get("not_before_planned") and paid_on < tranche.planned_date:
        raise FieldErrors(
            {
                "paid_on": _("Đợt %(n)d dự kiến cấp từ %(d)s theo hợp đồng.")
                % {"n": tranche.seq, "d": f"{tranche.planned_date:%d/%m/%Y}"}
            }
        )
    if paid_on < contract.signed_date:
        raise FieldErrors({"paid_on": _("Ngày chi không thể trước ngày ký hợp đồng.")})
    disbursement = Disbursement.objects.create(
        tranche=tranche,
        kind=kind,
        amount=amount,
        paid_on=paid_on,
        reference=reference.strip(),
        created_by=actor,
    )
    total = sum(paid.values(), Decimal(0)) + amount
    process_data_record(process=project.process, values={"disbursed_total": int(total)})
    record(
        actor=actor,
        action=AuditAction.DISBURSEMENT_RECORDED,
        obj=disbursement,
        agency=project.agency,
        after={
            "project": project.code,
            "tranche": tranche.seq,
            "kind": kind,
            "amount": int(amount),
            "paid_on": paid_on.isoformat(),
            "disbursed_total": int(total),
        },
        request=request,
    )
    return disbursement


# --- while the task runs ---------------------------------------------------------------------------


@transaction.atomic
def progress_report_submit(
    *, actor, project: Project, period: str, progress: int, content: str, spent, request=None
) -> ProgressReport:
    """The host's periodic progress report (TT 04/2015 Đ8)."""
    require(actor, "project.report", project)
    _require_state(
        project, RUNNING_STATES, _("Nhiệm vụ đang ở bước «%(s)s», không nhận báo cáo định kỳ.")
    )
    errors = {}
    if not period.strip():
        errors["period"] = _("Ghi kỳ báo cáo (ví dụ: 6 tháng đầu năm 2026).")
    if not content.strip():
        errors["content"] = _("Trường này không được để trống.")
    try:
        progress = int(progress)
        if not 0 <= progress <= 100:
            raise ValueError
    except (TypeError, ValueError):
        errors["progress"] = _("Khối lượng hoàn thành từ 0 đến 100 %.")
    if errors:
        raise FieldErrors(errors)
    spent = money(spent, field="spent", label=_("Kinh phí đã sử dụng"))
    report = ProgressReport.objects.create(
        project=project,
        period=period.strip(),
        progress=progress,
        content=content.strip(),
        spent=spent,
        submitted_by=actor,
        submitted_at=clock.now(),
    )
    record(
        actor=actor,
        action=AuditAction.PROGRESS_REPORTED,
        obj=report,
        agency=project.agency,
        after={"project": project.code, "period": report.period, "progress": progress},
        request=request,
    )
    return report


@transaction.atomic
def inspection_schedule(
    *,
    actor,
    project: Project,
    scheduled_on: dt.date,
    inspectors: str,
    noticed_on: dt.date | None = None,
    request=None,
) -> Inspection:
    """Schedule an inspection; the host is told at least N working days ahead
    (`[rules.inspection] notice_working_days`, TT 04/2015)."""
    require(actor, "project.manage", project)
    _require_state(project, RUNNING_STATES, _("Nhiệm vụ đang ở bước «%(s)s», không kiểm tra được."))
    noticed_on = noticed_on or clock.today()
    notice = int(project.process.rules.rules.get("inspection", {}).get("notice_working_days", 0))
    if not inspectors.strip():
        raise FieldErrors({"inspectors": _("Ghi thành phần đoàn kiểm tra.")})
    cal = calendar_for(project.agency)
    if notice and cal.count_working_days(noticed_on, scheduled_on) < notice:
        earliest = cal.add_working_days(noticed_on, notice)
        raise FieldErrors(
            {
                "scheduled_on": _(
                    "Phải thông báo trước ít nhất %(n)d ngày làm việc: sớm nhất ngày %(d)s."
                )
                % {"n": notice, "d": f"{earliest:%d/%m/%Y}"}
            }
        )
    inspection = Inspection.objects.create(
        project=project,
        scheduled_on=scheduled_on,
        noticed_on=noticed_on,
        inspectors=inspectors.strip(),
        created_by=actor,
    )
    record(
        actor=actor,
        action=AuditAction.INSPECTION_SCHEDULED,
        obj=inspection,
        agency=project.agency,
        after={"project": project.code, "scheduled_on": scheduled_on.isoformat()},
        request=request,
    )
    from khcn.notifications.models import Kind
    from khcn.notifications.services import notify
    from khcn.workflow.engine import recipients

    notify(
        recipients=recipients(project.process, ["host"]),
        kind=Kind.PROJECT,
        title=_("Lịch kiểm tra nhiệm vụ %(c)s") % {"c": project.code},
        body=_("Đoàn kiểm tra làm việc ngày %(d)s.") % {"d": f"{scheduled_on:%d/%m/%Y}"},
        url=f"/nhiem-vu/{project.pk}/",
        agency=project.agency,
    )
    return inspection


@transaction.atomic
def inspection_record(
    *, actor, inspection: Inspection, done_on: dt.date, findings: str, conclusion: str, request=None
) -> Inspection:
    """Record what the inspection found."""
    require(actor, "project.manage", inspection.project)
    if inspection.done_on:
        raise DomainError(_("Kết quả kiểm tra này đã được ghi."), status=409)
    errors = {}
    if conclusion not in Inspection.Conclusion.values:
        errors["conclusion"] = _("Chọn kết luận.")
    if not findings.strip():
        errors["findings"] = _("Trường này không được để trống.")
    if done_on < inspection.noticed_on:
        errors["done_on"] = _("Ngày kiểm tra không thể trước ngày thông báo.")
    if errors:
        raise FieldErrors(errors)
    inspection.done_on, inspection.findings, inspection.conclusion = (
        done_on,
        findings.strip(),
        conclusion,
    )
    inspection.save(update_fields=["done_on", "findings", "conclusion"])
    record(
        actor=actor,
        action=AuditAction.INSPECTION_RECORDED,
        obj=inspection,
        agency=inspection.project.agency,
        after={"done_on": done_on.isoformat(), "conclusion": conclusion},
        request=request,
    )
    return inspection


def _moves(project: Project, moves) -> list[dict]:
    """Budget reallocation rows {from, to, amount} between lines of the same source; the
    total never changes."""
    lines = {f"{ln.category}/{ln.source}": ln for ln in project.budget_lines.all()}
    out, errors = [], {}
    for i, move in enumerate(moves or []):
        src, dst = move.get("from"), move.get("to")
        if src not in lines or not dst or dst.split("/")[0] not in BudgetLine.Category.values:
            errors[f"moves.{i}"] = _("Khoản chi không có trong dự toán.")
            continue
        if src.split("/")[1] != dst.split("/")[-1] or src == dst:
            errors[f"moves.{i}"] = _("Chỉ điều chuyển giữa các khoản chi cùng nguồn kinh phí.")
            continue
        amount = money(move.get("amount"), field=f"moves.{i}", label=_("Số tiền"), allow_zero=False)
        if amount > lines[src].amount:
            errors[f"moves.{i}"] = _("Khoản «%(k)s» chỉ có %(a)s đồng.") % {
                "k": lines[src].get_category_display(),
                "a": f"{lines[src].amount:,.0f}".replace(",", "."),
            }
            continue
        out.append({"from": src, "to": dst, "amount": int(amount)})
    if errors:
        raise FieldErrors(errors)
    if not out:
        raise FieldErrors({"moves": _("Ghi ít nhất một khoản điều chuyển.")})
    return out


@transaction.atomic
def change_request_submit(
    *,
    actor,
    project: Project,
    kind: str,
    reason: str,
    content: str = "",
    new_end_date: dt.date | None = None,
    moves: list | None = None,
    today: dt.date | None = None,
    request=None,
) -> ChangeRequest:
    """The host asks to change content, team or budget, or to extend (once, TT 04/2015 Đ12).
    Nothing changes until the leader approves in writing (QĐ 05/2021 HN)."""
    require(actor, "project.report", project)
    if kind not in ChangeRequest.Kind.values:
        raise FieldErrors({"kind": _("Chọn loại đề nghị.")})
    if not reason.strip():
        raise FieldErrors({"reason": _("Ghi lý do đề nghị.")})
    clean_moves = []
    if kind == ChangeRequest.Kind.BUDGET:
        clean_moves = _moves(project, moves)
    elif kind == ChangeRequest.Kind.EXTENSION:
        if new_end_date is None:
            raise FieldErrors({"new_end_date": _("Cần ngày kết thúc đề nghị.")})
    elif not content.strip():
        raise FieldErrors({"content": _("Ghi nội dung đề nghị điều chỉnh.")})
    change = ChangeRequest.objects.create(
        project=project,
        kind=kind,
        reason=reason.strip(),
        content=content.strip(),
        new_end_date=new_end_date,
        moves=clean_moves,
        requested_by=actor,
        requested_at=clock.now(),
    )
    if kind == ChangeRequest.Kind.EXTENSION:
        perform(
            user=actor,
            process=project.process,
            action="request_extension",
            data={"new_end_date": new_end_date.isoformat()},
            remark=reason,
            today=today,
            request=request,
        )
    else:
        perform(
            user=actor,
            process=project.process,
            action="request_change",
            data={"change_kind": "team" if kind == "team" else kind},
            remark=reason,
            today=today,
            request=request,
        )
    record(
        actor=actor,
        action=AuditAction.CHANGE_REQUESTED,
        obj=change,
        agency=project.agency,
        after={"kind": kind, "moves": clean_moves, "new_end_date": str(new_end_date or "")},
        request=request,
    )
    return change


@transaction.atomic
def change_request_decide(
    *,
    actor,
    change: ChangeRequest,
    approve: bool,
    decision_no: str = "",
    remark: str = "",
    today: dt.date | None = None,
    request=None,
) -> ChangeRequest:
    """The leader approves in writing (the change then takes effect: budget lines move, the
    end date moves) or refuses with a reason (TT 04/2015 Đ12, Đ20)."""
    project = change.project
    if change.decision:
        raise DomainError(_("Đề nghị này đã có quyết định."), status=409)
    extension = change.kind == ChangeRequest.Kind.EXTENSION
    action = {
        (True, True): "approve_extension",
        (True, False): "reject_extension",
        (False, True): "approve_change",
        (False, False): "reject_change",
    }[(extension, approve)]
    data = {}
    if approve and not extension:
        data = {"change_decision_no": decision_no}
    perform(
        user=actor,
        process=project.process,
        action=action,
        data=data,
        remark=remark,
        today=today,
        request=request,
    )
    if approve and change.kind == ChangeRequest.Kind.BUDGET:
        lines = {
            f"{ln.category}/{ln.source}": ln for ln in project.budget_lines.select_for_update()
        }
        for move in change.moves:
            src = lines[move["from"]]
            if src.amount < move["amount"]:
                raise DomainError(_("Dự toán đã thay đổi từ khi đề nghị; không điều chuyển được."))
            src.amount -= move["amount"]
            src.save(update_fields=["amount"])
            category, source = move["to"].split("/")
            dst = lines.get(move["to"])
            if dst is None:
                dst = lines[move["to"]] = BudgetLine.objects.create(
                    project=project, category=category, source=source, amount=0
                )
            dst.amount += move["amount"]
            dst.save(update_fields=["amount"])
    change.decision = (
        ChangeRequest.Decision.APPROVED if approve else ChangeRequest.Decision.REJECTED
    )
    change.decision_no = decision_no.strip()
    change.decided_at = clock.now()
    change.save(update_fields=["decision", "decision_no", "decided_at"])
    record(
        actor=actor,
        action=AuditAction.CHANGE_DECIDED,
        obj=change,
        agency=project.agency,
        after={"decision": change.decision, "decision_no": change.decision_no},
        request=request,
    )
    return change


# --- products and results ---------------------------------------------------------------------------


@transaction.atomic
def product_add(
    *,
    actor,
    project: Project,
    name: str,
    unit: str = "",
    quantity: int = 1,
    requirement: str = "",
    request=None,
) -> Product:
    """Add an expected product from the approved description; products are rated one by one
    at acceptance (TT 11/2014 Đ12)."""
    require(actor, "project.edit_products", project)
    _require_state(
        project, PRODUCT_STATES, _("Nhiệm vụ đang ở bước «%(s)s», không sửa sản phẩm được.")
    )
    if not name.strip():
        raise FieldErrors({"name": _("Cần tên sản phẩm.")})
    try:
        quantity = int(quantity)
        if quantity < 1:
            raise ValueError
    except (TypeError, ValueError):
        raise FieldErrors({"quantity": _("Số lượng phải là số nguyên dương.")}) from None
    product = Product.objects.create(
        project=project,
        name=name.strip(),
        unit=unit.strip(),
        quantity=quantity,
        requirement=requirement.strip(),
    )
    record(
        actor=actor,
        action=AuditAction.PRODUCT_CHANGED,
        obj=project,
        agency=project.agency,
        after={"added": product.name, "quantity": quantity},
        request=request,
    )
    return product


@transaction.atomic
def product_remove(*, actor, product: Product, request=None) -> None:
    project = product.project
    require(actor, "project.edit_products", project)
    _require_state(
        project, PRODUCT_STATES, _("Nhiệm vụ đang ở bước «%(s)s», không sửa sản phẩm được.")
    )
    name = product.name
    product.delete()
    record(
        actor=actor,
        action=AuditAction.PRODUCT_CHANGED,
        obj=project,
        agency=project.agency,
        after={"removed": name},
        request=request,
    )


@transaction.atomic
def application_report_submit(
    *,
    actor,
    project: Project,
    place: str,
    description: str,
    reported_on: dt.date,
    confirmed_by: str = "",
    request=None,
) -> ApplicationReport:
    """The host reports where the results are applied (NĐ 08/2014 Đ38); a task with no such
    report makes its host ineligible after `[rules.eligibility] application_report_months`."""
    require(actor, "project.report", project)
    _require_state(
        project,
        AFTER_LIQUIDATION | {"RECOGNISED", "ASSETS_HANDED_OVER", "SETTLED"},
        _("Nhiệm vụ đang ở bước «%(s)s», chưa báo cáo ứng dụng được."),
    )
    errors = {}
    if not place.strip():
        errors["place"] = _("Ghi địa chỉ ứng dụng.")
    if not description.strip():
        errors["description"] = _("Ghi kết quả ứng dụng.")
    if errors:
        raise FieldErrors(errors)
    report = ApplicationReport.objects.create(
        project=project,
        place=place.strip(),
        confirmed_by=confirmed_by.strip(),
        description=description.strip(),
        reported_on=reported_on,
        submitted_by=actor,
    )
    record(
        actor=actor,
        action=AuditAction.APPLICATION_REPORTED,
        obj=report,
        agency=project.agency,
        after={"project": project.code, "place": report.place},
        request=request,
    )
    return report


def next_seq(qs, field: str = "seq") -> int:
    return (qs.aggregate(m=Max(field))["m"] or 0) + 1
