"""The department's pages: the dossier list sorted by due date, the dossier page with the steps
the rule set offers the user, counter registration, certificates, apology letters and the
statistics with their XLSX export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from khcn.core import clock
from khcn.core.calendar import calendar_for
from khcn.core.errors import ConflictError, DomainError
from khcn.core.permissions import can, get_visible, require
from khcn.procedures import catalogue, page_selectors, selectors, services
from khcn.procedures.forms import (
    ApologyForm,
    CertificateIssueForm,
    CounterForm,
    form_data_rows,
    parse_period,
)
from khcn.procedures.models import Dossier, Procedure
from khcn.procedures.views.filing import document_rows
from khcn.web.utils import paginate
from khcn.workflow import engine
from khcn.workflow.fields import FieldErrors
from khcn.workflow.forms import StepForm
from khcn.workflow.selectors import deadline_rows

PER_PAGE = 50
# steps with their own page (they make a document or a certificate), not the generic step form
OWN_PAGES = {"issue_result": "dossier-certificate", "supplement": "dossier-supplement"}


def _agency(request):
    agency = getattr(request, "agency", None)
    return agency if agency else None


def _dossier(request, pk: int) -> Dossier:
    dossier = get_visible(
        request.user,
        "dossier.view",
        Dossier.objects.select_related(
            "procedure", "agency", "process__ruleset", "process__agency", "receipt", "received_by"
        ),
        pk=pk,
    )
    dossier.process.subject = dossier
    return dossier


def _int(value, default=None, *, lo=None, hi=None):
    try:
        n = int(value)
    except (TypeError, ValueError):
        return default
    if (lo is not None and n < lo) or (hi is not None and n > hi):
        return default
    return n


@login_required
def dossier_list(request):
    """Hồ sơ TTHC: the agency's dossiers, nearest due date first, with the working days left."""
    agency = _agency(request)
    if (
        agency is None
        or not can(request.user, "dossier.process", agency)
        and not can(request.user, "dossier.statistics", agency)
    ):
        raise Http404
    today = clock.today()
    g = request.GET
    procedures = list(
        Procedure.objects.filter(active=True).only(
            "pk", "code", "name", "short_name", "ruleset_code"
        )
    )
    procedure = next((p for p in procedures if str(p.pk) == g.get("thu_tuc")), None)
    date_from = date_to = None
    try:
        if g.get("tu") or g.get("den"):
            date_from, date_to, _label = parse_period(g)
    except ValueError as exc:
        messages.error(request, str(exc))
    due = g.get("han") if g.get("han") in ("overdue", "soon") else None
    state_filter = g.get("buoc") or "open"  # the desk's working list: no result yet
    qs = selectors.dossiers_for_staff(
        user=request.user,
        agency=agency,
        procedure=procedure,
        state="" if state_filter == "all" else state_filter[:30],
        due=due or "",
        date_from=date_from,
        date_to=date_to,
        q=g.get("q", "").strip()[:100],
        today=today,
    )
    within = _int(g.get("trong"), lo=1, hi=30)
    if within is not None:
        limit = calendar_for(agency.pk).add_working_days(today, within)
        qs = qs.filter(finished_on__isnull=True, due_date__gte=today, due_date__lte=limit)
    if g.get("kenh") in Dossier.Channel.values:
        qs = qs.filter(channel=g["kenh"])
    qs = qs.select_related("procedure", "process__ruleset").defer(
        "process__ruleset__definition", "form_data", "process__data"
    )
    page = paginate(request, qs, PER_PAGE)
    page.object_list = page_selectors.with_remaining(page.object_list, today=today)
    states = []
    if procedures:
        rules = (procedure or procedures[0]).rules
        states = [(code, s.label) for code, s in rules.states.items()]
    return render(
        request,
        "procedures/dossier_list.html",
        {
            "page": page,
            "today": today,
            "procedures": procedures,
            "states": states,
            "channels": Dossier.Channel.choices,
            "state_filter": state_filter,
            "within_choices": (1, 3, 5, 10),
            "filters": g,
            "can_register": can(request.user, "dossier.process", agency),
            "can_statistics": can(request.user, "dossier.statistics", agency),
        },
    )


@login_required
def dossier_detail(request, pk: int):
    """One dossier: applicant, form, documents, deadlines with working days left, the steps the
    rule set offers this user now, the history and the documents issued."""
    dossier = _dossier(request, pk)
    process = dossier.process
    user = request.user
    today = clock.today()
    staff = services.is_internal(user, dossier.agency_id)
    options = [
        {
            "option": o,
            "url": _step_url(dossier, o.action),
            # the result's guard asks for the certificate that its own page makes first
            "allowed": o.allowed or o.action == "issue_result",
        }
        for o in engine.available_actions(user, process, today=today)
    ]
    documents = list(
        dossier.documents.select_related("requirement", "attachment", "added_by").order_by(
            "round", "requirement__position", "pk"
        )
    )
    apologies = list(dossier.apologies.select_related("attachment", "issued_by"))
    certificates = list(dossier.certificates.select_related("document").order_by("version"))
    [dossier] = page_selectors.with_remaining([dossier], today=today)
    can_apology = (
        staff
        and can(user, "dossier.process", dossier)
        and dossier.is_open
        and (dossier.late or dossier.due_level in ("late", "soon"))
    )
    return render(
        request,
        "procedures/dossier_detail.html",
        {
            "dossier": dossier,
            "process": process,
            "staff": staff,
            "options": options,
            "deadlines": deadline_rows(process, today=today) if staff else [],
            "events": process.events.select_related("actor").order_by("-seq")[:100],
            "documents": documents,
            "apologies": apologies,
            "certificates": certificates,
            "form_rows": form_data_rows(
                catalogue.field_specs(dossier.procedure), dossier.form_data
            ),
            "can_apology": can_apology,
            "today": today,
        },
    )


def _step_url(dossier, action: str) -> str:
    from django.urls import reverse

    if action in OWN_PAGES:
        return reverse(OWN_PAGES[action], args=[dossier.pk])
    return reverse("dossier-step", args=[dossier.pk, action])


@login_required
def dossier_step(request, pk: int, action: str):
    """One step of the rule set (accept, request supplements, appraise, approve, refuse, return…)
    with the fields and remark the rule set declares, through `services.dossier_act`."""
    dossier = _dossier(request, pk)
    process = dossier.process
    if action in OWN_PAGES:
        return redirect(OWN_PAGES[action], pk=pk)
    option = next(
        (o for o in engine.available_actions(request.user, process) if o.action == action), None
    )
    if option is None:
        transition = process.rules.transition(action)
        if transition is None:
            raise Http404
        if process.state not in transition.sources or process.is_closed:
            messages.error(
                request,
                _("Hồ sơ đang ở bước «%(s)s», không thể «%(a)s».")
                % {"s": process.state_label, "a": transition.label},
            )
            return redirect("dossier-detail", pk=pk)
        raise PermissionDenied(_("Bạn không được thực hiện bước này."))
    if not option.allowed:
        messages.error(request, option.reason)
        return redirect("dossier-detail", pk=pk)
    form = StepForm(
        request.POST or None,
        transition=option.transition,
        initial={"expected_state": process.state},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_act(
                actor=request.user,
                dossier=dossier,
                action=action,
                data=form.step_data(),
                remark=form.cleaned_data.get("remark", ""),
                expected_state=form.cleaned_data["expected_state"],
                request=request,
            )
        except FieldErrors as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect("dossier-detail", pk=pk)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã thực hiện «%(a)s».") % {"a": option.transition.label})
            return redirect("dossier-detail", pk=pk)
    return render(
        request,
        "procedures/step.html",
        {
            "dossier": dossier,
            "option": option,
            "form": form,
            "target_label": process.rules.state(option.transition.target).label,
            "documents": list(dossier.procedure.documents.all())
            if action == "request_supplement"
            else [],
        },
    )


@login_required
def dossier_certificate(request, pk: int):
    """Issue the result of an approved dossier: a certificate, a new version, or a revocation."""
    dossier = _dossier(request, pk)
    require(request.user, "dossier.process", dossier)
    if dossier.state != "APPROVED":
        messages.error(request, _("Chỉ ban hành kết quả cho hồ sơ đã được phê duyệt."))
        return redirect("dossier-detail", pk=pk)
    initial = {"content": (dossier.form_data or {}).get("st_products", "")}
    form = CertificateIssueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_issue(
                actor=request.user,
                dossier=dossier,
                content=form.cleaned_data["content"],
                remark=form.cleaned_data["remark"],
                request=request,
            )
        except FieldErrors as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã ban hành kết quả giải quyết."))
            return redirect("dossier-detail", pk=pk)
    return render(
        request,
        "procedures/certificate_issue.html",
        {
            "dossier": dossier,
            "form": form,
            "action_label": dossier.procedure.get_result_action_display(),
        },
    )


@login_required
def dossier_apology(request, pk: int):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả for a dossier past or near its due date."""
    dossier = _dossier(request, pk)
    require(request.user, "dossier.process", dossier)
    cal = calendar_for(dossier.agency_id)
    base = max(clock.today(), dossier.promised_date or clock.today())
    form = ApologyForm(request.POST or None, initial={"new_date": cal.add_working_days(base, 5)})
    if request.method == "POST" and form.is_valid():
        try:
            services.apology_letter_issue(
                actor=request.user,
                dossier=dossier,
                new_date=form.cleaned_data["new_date"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except FieldErrors as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lập phiếu xin lỗi và hẹn lại ngày trả kết quả."))
            return redirect("dossier-detail", pk=pk)
    return render(request, "procedures/apology.html", {"dossier": dossier, "form": form})


@login_required
def dossier_counter(request):
    """Tiếp nhận hồ sơ giấy tại Bộ phận một cửa: choose the procedure, then the same form as
    online, with the scanned documents."""
    agency = _agency(request)
    if agency is None or not can(request.user, "dossier.process", agency):
        raise Http404
    procedures = list(Procedure.objects.filter(active=True))
    procedure = next((p for p in procedures if p.code == request.GET.get("thu_tuc")), None)
    if procedure is None:
        return render(request, "procedures/counter_pick.html", {"procedures": procedures})
    form = CounterForm(request.POST or None, procedure=procedure, agencies=[agency])
    file_errors: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        files = {
            d.key: request.FILES.getlist(f"file_{d.key}")
            for d in procedure.documents.all()
            if request.FILES.getlist(f"file_{d.key}")
        }
        try:
            dossier = services.dossier_register_counter(
                actor=request.user,
                procedure=procedure,
                agency=agency,
                applicant=form.applicant(),
                form_data=form.cleaned_data["form_data"],
                files=files,
                request=request,
            )
        except FieldErrors as exc:
            for name, message in exc.errors.items():
                if name.startswith("files."):
                    file_errors.setdefault(name.removeprefix("files."), []).append(message)
                elif name.startswith("applicant."):
                    key = name.removeprefix("applicant.")
                    form.add_error(key if key in form.fields else None, message)
                else:
                    key = f"f_{name}"
                    form.add_error(key if key in form.fields else None, message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Đã tiếp nhận hồ sơ %(c)s; in giấy tiếp nhận để trao cho người nộp.")
                % {"c": dossier.code},
            )
            return redirect("dossier-submitted", pk=dossier.pk)
    return render(
        request,
        "procedures/counter.html",
        {
            "procedure": procedure,
            "form": form,
            "documents": document_rows(procedure, {}, file_errors),
            "time_limit": procedure.time_limit(),
        },
    )


def _statistics(request):
    agency = _agency(request)
    if agency is None or not can(request.user, "dossier.statistics", agency):
        raise Http404
    g = request.GET
    error = ""
    try:
        date_from, date_to, label = parse_period(g)
    except ValueError as exc:
        error = str(exc)
        date_from, date_to, label = parse_period({})
    procedures = list(Procedure.objects.filter(active=True))
    procedure = next((p for p in procedures if str(p.pk) == g.get("thu_tuc")), None)
    units = sorted({p.responsible_unit for p in procedures})
    unit = g.get("don_vi", "") if g.get("don_vi", "") in units else ""
    stats = selectors.dossier_statistics(
        user=request.user,
        agency=agency,
        date_from=date_from,
        date_to=date_to,
        procedure=procedure,
        unit=unit,
        today=clock.today(),
    )
    return agency, {
        "stats": stats,
        "columns": selectors.STAT_COLUMNS,
        "units": units,
        "unit": unit,
        "label": label,
        "date_from": date_from,
        "date_to": date_to,
        "procedure": procedure,
        "procedures": procedures,
        "error": error,
    }


@login_required
def dossier_statistics(request):
    """Tình hình giải quyết hồ sơ TTHC by procedure (or unit) for a year, quarter, month or any
    period: received, resolved on time / late, in progress, supplements, refused, on-time rate."""
    agency, context = _statistics(request)
    today = clock.today()
    context.update(
        {
            "filters": request.GET,
            "years": range(today.year, today.year - 8, -1),
            "quarters": range(1, 5),
            "months": range(1, 13),
            "export_query": request.GET.urlencode(),
            "agency": agency,
        }
    )
    return render(request, "procedures/statistics.html", context)


@login_required
def dossier_statistics_xlsx(request):
    """The statistics table as an Excel workbook (the same figures as the page)."""
    agency, context = _statistics(request)
    content = selectors.statistics_xlsx(context["stats"], agency=agency)
    stamp = f"{context['date_from']:%Y%m%d}-{context['date_to']:%Y%m%d}"
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = page_selectors.attachment_header(
        f"thong-ke-ho-so-tthc-{stamp}.xlsx"
    )
    return response
