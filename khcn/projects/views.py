"""Task pages: thin views that check permission, parse the form, call one service and show
its Vietnamese errors on the form (nothing is saved when a service refuses)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khcn.accounts.models import Agency, Role, User
from khcn.core import clock
from khcn.core.errors import ConflictError, DomainError
from khcn.core.models import Attachment
from khcn.core.permissions import can, get_visible, require, scope
from khcn.projects import forms as f
from khcn.projects import selectors, services
from khcn.projects.models import (
    Application,
    BudgetLine,
    Call,
    ChangeRequest,
    Inspection,
    Kind,
    Product,
    Project,
    ScienceField,
)
from khcn.web.utils import paginate
from khcn.workflow import engine
from khcn.workflow.fields import FieldErrors
from khcn.workflow.selectors import deadline_rows

PER_PAGE = 50
# What a row of the task list shows: the texts of the proposal and the record's data are
# left unread (on 100,000 tasks the page reads and decodes only what it prints).
LIST_COLUMNS = (
    "code",
    "title",
    "kind",
    "year",
    "host_org",
    "budget_state",
    "process__state",
    "process__closed_at",
    "process__next_due",
    "process__ruleset__code",
    "process__ruleset__checksum",
)


def _agency(request):
    """The agency the user works in, or None (an outside user with no role anywhere)."""
    agency = getattr(request, "agency", None)
    return agency if agency else None  # a lazy object wrapping None is falsy


def _visible(request, pk: int) -> Project:
    project = get_visible(
        request.user,
        "project.view",
        Project.objects.select_related(
            "process__ruleset", "process__agency", "agency", "call", "programme", "contract"
        ).defer("process__ruleset__definition"),  # parsed once per version (workflow.loader)
        pk=pk,
    )
    # the record's subject is this task: the engine's guards need not read it again
    project.process.subject = project
    return project


def _attempt(request, form, fn, success: str):
    """Run a service; its refusals become form errors. True when it went through."""
    try:
        fn()
    except FieldErrors as exc:
        for name, message in exc.errors.items():
            form.add_error(name if name in form.fields else None, message)
    except ConflictError as exc:
        form.add_error(None, exc.message)
    except DomainError as exc:
        form.add_error(None, exc.message)
    else:
        messages.success(request, success)
        return True
    return False


def _owned(obj):
    from django.contrib.contenttypes.models import ContentType

    return Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(obj), owner_id=str(obj.pk)
    ).order_by("-created_at")


def _owned_by_both(process, project) -> list:
    """The record's documents, newest first, then the task's, in one query."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    types = ContentType.objects.get_for_models(process, project)
    rows = Attachment.objects.filter(
        Q(owner_type=types[process], owner_id=str(process.pk))
        | Q(owner_type=types[project], owner_id=str(project.pk))
    ).order_by("-created_at")
    first = types[process].pk
    return sorted(rows, key=lambda a: a.owner_type_id != first)  # stable: dates stay in order


def _share_party_roles(user, project) -> None:
    """Read the user's roles on the task's record once for both places that ask: the task
    permissions (`projects.permissions._party_roles`) and the engine (`party_roles`)."""
    from khcn.accounts.models import INTERNAL_ROLES
    from khcn.workflow.models import ProcessParty

    process = project.process
    cache = user.__dict__.setdefault("_project_party_cache", {})
    if process.pk in cache or user.pk in process.__dict__.get("_roles_cache", {}):
        return
    parties = set(
        ProcessParty.objects.filter(process=process, user=user).values_list("role", flat=True)
    )
    cache[process.pk] = parties
    held = user.roles_by_agency().get(process.agency_id, frozenset()) & INTERNAL_ROLES
    process.__dict__.setdefault("_roles_cache", {})[user.pk] = frozenset(held) | frozenset(parties)


def _form_page(request, project, form, title: str, *, note: str = "", multipart=False):
    return render(
        request,
        "projects/form.html",
        {"project": project, "form": form, "title": title, "note": note, "multipart": multipart},
    )


# --- lists and dashboard ----------------------------------------------------------------------------


@login_required
def project_list(request):
    require(request.user, "project.view")
    today = clock.today()
    g = request.GET
    try:
        year = int(g.get("nam") or 0) or None
    except ValueError:
        year = None
    agency = _agency(request)
    own = agency if agency and can(request.user, "call.manage", agency) else None
    qs = selectors.projects_for(
        request.user,
        agency=own,
        state=g.get("buoc", "")[:50],
        kind=g.get("loai", "")[:20],
        field=g.get("linh_vuc", "")[:2],
        year=year,
        q=g.get("q", "").strip()[:100],
        overdue=g.get("qua_han") == "1",
        today=today,
    ).only(*LIST_COLUMNS)
    page = paginate(request, qs, PER_PAGE)
    states = []
    if agency is not None:
        from khcn.workflow.loader import current_version

        rules = current_version(services.ruleset_for(agency)).rules
        states = [(code, s.label) for code, s in rules.states.items()]
    return render(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "today": today,
            "states": states,
            "kinds": Kind.choices,
            "fields": ScienceField.choices,
            "years": range(today.year + 1, today.year - 8, -1),
            "filters": g,
            "can_manage": agency is not None and can(request.user, "call.manage", agency),
        },
    )


@login_required
def dashboard(request):
    agency = _agency(request)
    if agency is None:
        raise Http404
    require(request.user, "portfolio.view", agency)
    today = clock.today()
    try:
        year = int(request.GET.get("nam") or 0) or None
    except ValueError:
        year = None
    data = selectors.portfolio(request.user, agency=agency, year=year, today=today)
    figures_year = year or today.year
    from khcn.workflow.loader import current_version

    rules = current_version(services.ruleset_for(agency)).rules
    return render(
        request,
        "projects/dashboard.html",
        {
            "data": data,
            "year": year,
            "figures_year": figures_year,
            "figures": selectors.year_figures(agency=agency, year=figures_year),
            "state_rows": [
                (rules.state(code).label, n)
                for code, n in sorted(
                    data["by_state"].items(),
                    key=lambda kv: list(rules.states).index(kv[0]) if kv[0] in rules.states else 99,
                )
            ],
            "kind_rows": [(Kind(k).label, n) for k, n in data["by_kind"].items()],
            "field_rows": [(ScienceField(k).label, n) for k, n in data["by_field"].items()],
            "years": range(today.year + 1, today.year - 8, -1),
            "today": today,
        },
    )


# --- proposal ---------------------------------------------------------------------------------------


@login_required
def project_propose(request):
    agencies = Agency.objects.filter(kind=Agency.Kind.DEPARTMENT, is_active=True).order_by("name")
    initial = {"year": clock.today().year + 1}
    current = _agency(request)
    if current is not None and current.kind == Agency.Kind.DEPARTMENT:
        initial["agency"] = current.pk
    if request.user.organisation:
        initial["proposer_org"] = request.user.organisation
    form = f.ProposalForm(request.POST or None, agencies=agencies, initial=initial)
    created = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agency = data.pop("agency")
        if _attempt(
            request,
            form,
            lambda: created.append(
                services.proposal_submit(actor=request.user, agency=agency, request=request, **data)
            ),
            _("Đã gửi đề xuất. Sở sẽ lấy ý kiến hội đồng tư vấn xác định nhiệm vụ."),
        ):
            return redirect("project-detail", pk=created[0].pk)
    return render(request, "projects/propose.html", {"form": form})


# --- the task page ----------------------------------------------------------------------------------


@login_required
def project_detail(request, pk: int):
    project = _visible(request, pk)
    process = project.process
    today = clock.today()
    user = request.user
    _share_party_roles(user, project)
    manage = can(user, "project.manage", project)
    applications = []
    if manage or can(user, "application.view", None):
        applications = [
            a
            for a in project.applications.select_related("applicant")
            if can(user, "application.view", a)
        ]
    from khcn.councils.models import Council

    all_councils = list(Council.objects.filter(project=project).order_by("-decision_date", "-pk"))
    councils = [c for c in all_councils if can(user, "council.view", c)]
    changes = list(project.changes.select_related("requested_by"))
    after = process.state in services.AFTER_LIQUIDATION | {
        "RECOGNISED",
        "ASSETS_HANDED_OVER",
        "SETTLED",
    }
    money = selectors.money_summary(project)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "process": process,
            "options": engine.available_actions(user, process, today=today),
            "deadlines": deadline_rows(process, today=today),
            "events": process.events.select_related("actor").order_by("-seq")[:100],
            "applications": applications,
            "councils": councils,
            "budget_lines": list(project.budget_lines.all()),
            "money": money,
            "reports": project.reports.select_related("submitted_by"),
            "inspections": project.inspections.all(),
            "changes": changes,
            "products": project.products.all(),
            # reports on the application of results are filed from recognition on (the
            # service refuses them earlier) and those steps only move forward
            "application_reports": project.application_reports.all() if after else [],
            "attachments": _owned_by_both(process, project),
            "manage": manage,
            "is_host": can(user, "project.report", project),
            "can_products": can(user, "project.edit_products", project)
            and process.state in services.PRODUCT_STATES,
            "can_apply": can(user, "project.apply", project),
            "running": process.state in services.RUNNING_STATES,
            "payable": process.state in services.PAYABLE_STATES,
            "after": after,
            "council_kinds": _council_kinds(project, all_councils) if manage else [],
            "pending_change": next((c for c in changes if not c.decision), None),
            "today": today,
        },
    )


def _council_kinds(project, councils) -> list[tuple[str, str]]:
    """Kinds of council that may be formed now: the step allows it and none is at work."""
    from khcn.councils.models import CouncilKind
    from khcn.councils.services import FORM_STATES

    working = {c.kind for c in councils if c.state != "closed"}
    return [
        (kind, CouncilKind(kind).label)
        for kind, states in FORM_STATES.items()
        if project.process.state in states and kind not in working
    ]


# --- calls and applications -------------------------------------------------------------------------


@login_required
def call_list(request):
    today = clock.today()
    agency = _agency(request)
    manage = agency is not None and can(request.user, "call.manage", agency)
    if manage:
        calls = Call.objects.filter(agency=agency)
    else:  # outside organisations see the calls open now, everywhere
        calls = Call.objects.filter(open_date__lte=today, close_date__gte=today)
    calls = calls.select_related("agency").prefetch_related(
        Prefetch("projects", queryset=Project.objects.select_related("process").order_by("code"))
    )
    return render(
        request,
        "projects/call_list.html",
        {"calls": paginate(request, calls, 20), "manage": manage, "today": today},
    )


@login_required
def call_create(request):
    agency = _agency(request)
    if agency is None:
        raise Http404
    require(request.user, "call.manage", agency)
    ordered = Project.objects.filter(agency=agency, process__state="ORDERED").order_by("code")
    today = clock.today()
    form = f.CallForm(request.POST or None, ordered=ordered, initial={"year": today.year + 1})
    made = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            request,
            form,
            lambda: made.append(
                services.call_open(
                    actor=request.user,
                    agency=agency,
                    code=d["code"].strip(),
                    title=d["title"].strip(),
                    year=d["year"],
                    open_date=d["open_date"],
                    close_date=d["close_date"],
                    decision_no=d["decision_no"],
                    projects=list(d["projects"]),
                    request=request,
                )
            ),
            _("Đã mở đợt tuyển chọn."),
        ):
            return redirect("call-detail", pk=made[0].pk)
    return render(request, "projects/call_form.html", {"form": form, "ordered": ordered})


@login_required
def call_detail(request, pk: int):
    call = Call.objects.filter(pk=pk).select_related("agency", "programme").first()
    if call is None:
        raise Http404
    today = clock.today()
    manage = can(request.user, "call.manage", call.agency)
    if not manage and not call.is_open(today):
        raise Http404
    projects = call.projects.select_related("process").order_by("code")
    counts = {}
    if manage:
        for a in Application.objects.filter(project__call=call).exclude(status="withdrawn"):
            counts[a.project_id] = counts.get(a.project_id, 0) + 1
    return render(
        request,
        "projects/call_detail.html",
        {
            "call": call,
            "projects": [
                (p, counts.get(p.pk, 0), can(request.user, "project.apply", p)) for p in projects
            ],
            "manage": manage,
            "today": today,
        },
    )


@login_required
def call_decision(request, pk: int):
    """Quyết định phê duyệt danh mục nhiệm vụ of a call, as DOCX (or PDF with ?pdf=1)."""
    from khcn.documents.render import render as render_docx
    from khcn.documents.render import to_pdf
    from khcn.projects.documents import base_context

    call = Call.objects.filter(pk=pk).select_related("agency").first()
    if call is None:
        raise Http404
    require(request.user, "call.manage", call.agency)
    tasks = [
        {
            "code": p.code,
            "title": p.title,
            "kind": p.get_kind_display(),
            "host": p.host_org,
            "leader": p.leader_name,
            "months": p.months or "",
            "budget": p.budget_state,
        }
        for p in call.projects.order_by("code")
    ]
    context = base_context(call.agency, number=call.decision_no, date=call.open_date) | {
        "year": call.year,
        "call_title": call.title,
        "tasks": tasks,
        "total_budget": sum((t["budget"] for t in tasks), 0),
    }
    content = render_docx("task_list_decision", context, agency=call.agency)
    name = f"qd-danh-muc-{call.code}"
    if request.GET.get("pdf"):
        pdf = to_pdf(content)
        if pdf is None:
            raise Http404
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


@login_required
def project_apply(request, pk: int):
    project = Project.objects.filter(pk=pk).select_related("process", "call", "agency").first()
    if project is None or project.process.state != "CALL_OPEN":
        raise Http404
    require(request.user, "project.apply", project)
    form = f.ApplicationForm(
        request.POST or None,
        request.FILES or None,
        initial={"organisation": request.user.organisation, "months": 12},
    )
    grid_errors = {}
    made = []
    if request.method == "POST" and form.is_valid():
        team, cvs = f.team_rows(request.POST, request.FILES)
        d = form.cleaned_data
        try:
            made.append(
                services.application_submit(
                    actor=request.user,
                    project=project,
                    organisation=d["organisation"],
                    leader_name=d["leader_name"],
                    leader_degree=d["leader_degree"],
                    summary=d["summary"],
                    months=d["months"],
                    recent_excellent=d["recent_excellent"],
                    budget_lines=f.budget_rows(request.POST),
                    team=team,
                    description_file=d["description_file"],
                    cv_files=cvs,
                    request=request,
                )
            )
        except FieldErrors as exc:
            for name, message in exc.errors.items():
                if name in form.fields:
                    form.add_error(name, message)
                else:
                    grid_errors[name.split(".")[0]] = message
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Đã nộp hồ sơ lúc %(t)s.")
                % {"t": f"{clock.now().astimezone():%H:%M ngày %d/%m/%Y}"},
            )
            return redirect("application-detail", pk=made[0].pk)
    return render(
        request,
        "projects/apply.html",
        {
            "project": project,
            "form": form,
            "grid_errors": grid_errors,
            "categories": BudgetLine.Category.choices,
            "sources": BudgetLine.Source.choices,
            "post": request.POST,
            "team_range": range(f.TEAM_ROWS),
        },
    )


@login_required
def application_detail(request, pk: int):
    application = get_visible(
        request.user,
        "application.view",
        Application.objects.select_related("project__process", "applicant"),
        pk=pk,
    )
    project = application.project
    manage = can(request.user, "project.manage", project)
    form = f.ReviewForm(request.POST or None) if manage else None
    if request.method == "POST":
        if request.POST.get("withdraw"):
            try:
                services.application_withdraw(
                    actor=request.user, application=application, request=request
                )
                messages.success(request, _("Đã rút hồ sơ."))
            except DomainError as exc:
                messages.error(request, exc.message)
            return redirect("application-detail", pk=pk)
        if form is None:
            raise PermissionDenied
        if form.is_valid() and _attempt(
            request,
            form,
            lambda: services.application_review(
                actor=request.user,
                application=application,
                complete=form.cleaned_data["complete"],
                note=form.cleaned_data["note"],
                request=request,
            ),
            _("Đã ghi kết quả kiểm tra hồ sơ."),
        ):
            return redirect("application-detail", pk=pk)
    return render(
        request,
        "projects/application_detail.html",
        {
            "application": application,
            "project": project,
            "form": form,
            "lines": list(application.budget_lines.all()),
            "team": application.team.select_related("cv"),
            "attachments": _owned(application),
            "can_withdraw": application.applicant_id == request.user.pk
            and project.process.state == "CALL_OPEN"
            and application.status != Application.Status.WITHDRAWN,
        },
    )


# --- staff work on a task -----------------------------------------------------------------------------


@login_required
def contract_create(request, pk: int):
    project = _visible(request, pk)
    require(request.user, "project.manage", project)
    form = f.ContractForm(
        request.POST or None,
        initial={"host_representative": project.leader_name, "signed_date": clock.today()},
    )
    grid_errors = {}
    if request.method == "POST" and form.is_valid():
        rows, grid_errors = f.tranche_rows(request.POST)
        if not grid_errors:
            d = form.cleaned_data
            try:
                services.contract_register(
                    actor=request.user,
                    project=project,
                    number=d["number"],
                    signed_date=d["signed_date"],
                    lump_sum=d["lump_sum"],
                    host_representative=d["host_representative"],
                    tranches=rows,
                    request=request,
                )
            except FieldErrors as exc:
                for name, message in exc.errors.items():
                    if name in form.fields:
                        form.add_error(name, message)
                    else:
                        grid_errors[name] = message
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Đã lập hợp đồng; văn bản hợp đồng đã được tạo."))
                return redirect("project-detail", pk=pk)
    return render(
        request,
        "projects/contract_form.html",
        {
            "project": project,
            "form": form,
            "grid_errors": grid_errors,
            "rows": range(f.TRANCHE_ROWS),
            "post": request.POST,
        },
    )


@login_required
def disbursement_create(request, pk: int):
    project = _visible(request, pk)
    require(request.user, "project.manage", project)
    if not hasattr(project, "contract"):
        raise Http404
    form = f.DisbursementForm(
        request.POST or None,
        tranches=project.contract.tranches.all(),
        initial={"paid_on": clock.today()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            request,
            form,
            lambda: services.disbursement_record(
                actor=request.user,
                tranche=d["tranche"],
                kind=d["kind"],
                amount=d["amount"],
                paid_on=d["paid_on"],
                reference=d["reference"],
                request=request,
            ),
            _("Đã ghi cấp kinh phí."),
        ):
            return redirect(reverse("project-detail", args=[pk]) + "#kinh-phi")
    return _form_page(
        request,
        project,
        form,
        _("Cấp kinh phí"),
        note=_(
            "Kinh phí cấp theo tiến độ hợp đồng: đợt sau chỉ cấp khi đợt trước đã cấp đủ, không trước "
            "thời gian dự kiến của đợt."
        ),
    )


@login_required
def inspection_create(request, pk: int):
    project = _visible(request, pk)
    require(request.user, "project.manage", project)
    form = f.InspectionForm(request.POST or None, initial={"noticed_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            request,
            form,
            lambda: services.inspection_schedule(
                actor=request.user, project=project, request=request, **d
            ),
            _("Đã lên lịch kiểm tra và thông báo cho tổ chức chủ trì."),
        ):
            return redirect(reverse("project-detail", args=[pk]) + "#kiem-tra")
    return _form_page(
        request,
        project,
        form,
        _("Lên lịch kiểm tra"),
        note=_("Thông báo cho tổ chức chủ trì trước ít nhất 5 ngày làm việc (TT 04/2015)."),
    )


@login_required
def inspection_result(request, pk: int):
    inspection = Inspection.objects.filter(pk=pk).select_related("project").first()
    if inspection is None:
        raise Http404
    project = _visible(request, inspection.project_id)
    require(request.user, "project.manage", project)
    form = f.InspectionResultForm(
        request.POST or None, initial={"done_on": inspection.scheduled_on}
    )
    if request.method == "POST" and form.is_valid():
        if _attempt(
            request,
            form,
            lambda: services.inspection_record(
                actor=request.user, inspection=inspection, request=request, **form.cleaned_data
            ),
            _("Đã ghi kết quả kiểm tra."),
        ):
            return redirect(reverse("project-detail", args=[project.pk]) + "#kiem-tra")
    return _form_page(
        request,
        project,
        form,
        _("Kết quả kiểm tra ngày %(d)s") % {"d": f"{inspection.scheduled_on:%d/%m/%Y}"},
    )


@login_required
def budget_edit(request, pk: int):
    project = _visible(request, pk)
    require(request.user, "project.manage", project)
    errors = {}
    if request.method == "POST":
        try:
            services.budget_set(
                actor=request.user,
                project=project,
                lines=f.budget_rows(request.POST),
                request=request,
            )
        except FieldErrors as exc:
            errors = {k.split(".")[0]: v for k, v in exc.errors.items()}
        except DomainError as exc:
            errors = {"__all__": exc.message}
        else:
            messages.success(request, _("Đã cập nhật dự toán."))
            return redirect(reverse("project-detail", args=[pk]) + "#du-toan")
    values = {
        f"budget-{ln.category}-{ln.source}": f"{ln.amount:,.0f}".replace(",", ".")
        for ln in project.budget_lines.all()
    }
    return render(
        request,
        "projects/budget_form.html",
        {
            "project": project,
            "errors": errors,
            "categories": BudgetLine.Category.choices,
            "sources": BudgetLine.Source.choices,
            "values": request.POST if request.method == "POST" else values,
        },
    )


@login_required
def direct_host(request, pk: int):
    project = _visible(request, pk)
    require(request.user, "project.manage", project)
    hosts = (
        User.objects.filter(is_active=True, memberships__role=Role.HOST)
        .distinct()
        .order_by("full_name")
    )
    form = f.DirectHostForm(request.POST or None, hosts=hosts)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            request,
            form,
            lambda: services.direct_assign_host(
                actor=request.user, project=project, request=request, **d
            ),
            _("Đã giao tổ chức chủ trì."),
        ):
            return redirect("project-detail", pk=pk)
    return _form_page(request, project, form, _("Giao trực tiếp tổ chức chủ trì"))


# --- host work on a task ------------------------------------------------------------------------------


@login_required
def report_create(request, pk: int):
    project = _visible(request, pk)
    require(request.user, "project.report", project)
    form = f.ProgressReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _attempt(
            request,
            form,
            lambda: services.progress_report_submit(
                actor=request.user, project=project, request=request, **form.cleaned_data
            ),
            _("Đã nộp báo cáo định kỳ."),
        ):
            return redirect(reverse("project-detail", args=[pk]) + "#bao-cao")
    return _form_page(request, project, form, _("Báo cáo định kỳ"))


@login_required
def change_create(request, pk: int):
    project = _visible(request, pk)
    require(request.user, "project.report", project)
    form = f.ChangeRequestForm(request.POST or None, lines=project.budget_lines.all())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        moves = []
        if d["move_from"] or d["move_to"] or d["move_amount"]:
            moves = [{"from": d["move_from"], "to": d["move_to"], "amount": d["move_amount"]}]
        if _attempt(
            request,
            form,
            lambda: services.change_request_submit(
                actor=request.user,
                project=project,
                kind=d["kind"],
                reason=d["reason"],
                content=d["content"],
                new_end_date=d["new_end_date"],
                moves=moves,
                request=request,
            ),
            _("Đã gửi đề nghị. Nội dung chỉ được thực hiện sau khi có văn bản chấp thuận."),
        ):
            return redirect(reverse("project-detail", args=[pk]) + "#dieu-chinh")
    return _form_page(
        request,
        project,
        form,
        _("Đề nghị điều chỉnh, gia hạn"),
        note=_(
            "Gia hạn chỉ một lần, đề nghị chậm nhất 1 tháng trước ngày kết thúc (TT 04/2015 Đ12). "
            "Điều chỉnh nội dung phải có văn bản chấp thuận trước khi thực hiện (QĐ 05/2021/QĐ-UBND)."
        ),
    )


@login_required
def change_decide(request, pk: int):
    change = ChangeRequest.objects.filter(pk=pk).select_related("project").first()
    if change is None:
        raise Http404
    project = _visible(request, change.project_id)
    form = f.ChangeDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            request,
            form,
            lambda: services.change_request_decide(
                actor=request.user,
                change=change,
                approve=d["approve"],
                decision_no=d["decision_no"],
                remark=d["remark"],
                request=request,
            ),
            _("Đã ghi quyết định."),
        ):
            return redirect(reverse("project-detail", args=[project.pk]) + "#dieu-chinh")
    note = f"{change.get_kind_display()}: {change.reason}"
    if change.content:
        note += f" — {change.content}"
    if change.new_end_date:
        note += " — " + _("đến ngày %(d)s") % {"d": f"{change.new_end_date:%d/%m/%Y}"}
    for move in change.moves:
        note += " — " + _("chuyển %(a)s đồng từ %(f)s sang %(t)s") % {
            "a": f"{move['amount']:,}".replace(",", "."),
            "f": BudgetLine.Category(move["from"].split("/")[0]).label,
            "t": BudgetLine.Category(move["to"].split("/")[0]).label,
        }
    return _form_page(request, project, form, _("Quyết định về đề nghị điều chỉnh"), note=note)


@login_required
def product_create(request, pk: int):
    project = _visible(request, pk)
    require(request.user, "project.edit_products", project)
    form = f.ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _attempt(
            request,
            form,
            lambda: services.product_add(
                actor=request.user, project=project, request=request, **form.cleaned_data
            ),
            _("Đã thêm sản phẩm."),
        ):
            return redirect(reverse("project-detail", args=[pk]) + "#san-pham")
    return _form_page(request, project, form, _("Thêm sản phẩm của nhiệm vụ"))


@login_required
@require_POST
def product_delete(request, pk: int):
    product = Product.objects.filter(pk=pk).select_related("project").first()
    if product is None:
        raise Http404
    project = _visible(request, product.project_id)
    try:
        services.product_remove(actor=request.user, product=product, request=request)
        messages.success(request, _("Đã bỏ sản phẩm «%(n)s».") % {"n": product.name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("project-detail", args=[project.pk]) + "#san-pham")


@login_required
def application_report_create(request, pk: int):
    project = _visible(request, pk)
    require(request.user, "project.report", project)
    form = f.ApplicationReportForm(request.POST or None, initial={"reported_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        if _attempt(
            request,
            form,
            lambda: services.application_report_submit(
                actor=request.user, project=project, request=request, **form.cleaned_data
            ),
            _("Đã gửi báo cáo ứng dụng kết quả."),
        ):
            return redirect(reverse("project-detail", args=[pk]) + "#ung-dung")
    return _form_page(request, project, form, _("Báo cáo ứng dụng kết quả"))


@login_required
def my_projects(request):
    """An outside user's proposals, applications and hosted tasks."""
    today = clock.today()
    visible = scope(request.user, "project.view", Project.objects.all())
    return render(
        request,
        "projects/mine.html",
        {
            "projects": visible.filter(process__parties__user=request.user)
            .select_related("process")
            .distinct()
            .order_by("-year", "code"),
            "applications": Application.objects.filter(applicant=request.user).select_related(
                "project__process"
            ),
            "today": today,
        },
    )
