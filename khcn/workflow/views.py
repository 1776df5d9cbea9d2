"""Staff pages for rule sets, and the workflow page of every record (history, deadlines, steps)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khcn.core import clock
from khcn.core.errors import ConflictError, DomainError
from khcn.core.forms import AttachmentForm
from khcn.core.models import Attachment
from khcn.core.permissions import can, get_visible, require
from khcn.core.services import attachment_create
from khcn.web.utils import paginate
from khcn.workflow import engine, selectors
from khcn.workflow.diagram import mermaid
from khcn.workflow.fields import FieldErrors
from khcn.workflow.forms import StepForm, WaiveForm
from khcn.workflow.loader import current_version
from khcn.workflow.models import Deadline, Process, RuleSetVersion


@login_required
def ruleset_list(request):
    require(request.user, "ruleset.view")
    versions = RuleSetVersion.objects.filter(is_current=True).order_by("code")
    counts = dict(
        RuleSetVersion.objects.values("code").annotate(n=Count("id")).values_list("code", "n")
    )
    rows = [{"version": v, "rules": v.rules, "count": counts.get(v.code, 1)} for v in versions]
    return render(request, "workflow/ruleset_list.html", {"rows": rows})


@login_required
def ruleset_detail(request, code: str):
    require(request.user, "ruleset.view")
    versions = list(RuleSetVersion.objects.filter(code=code).order_by("-version"))
    if not versions:
        raise Http404
    wanted = request.GET.get("v", "")
    version = next((v for v in versions if str(v.version) == wanted), None) or next(
        (v for v in versions if v.is_current), versions[0]
    )
    rules = version.rules
    return render(
        request,
        "workflow/ruleset_detail.html",
        {
            "version": version,
            "versions": versions,
            "rules": rules,
            "diagram": mermaid(rules),
            "running": version.processes.filter(closed_at__isnull=True).count(),
        },
    )


@login_required
def process_list(request):
    require(request.user, "workflow.view")
    today = clock.today()
    filters = {
        "ruleset": request.GET.get("quy_tac", "")[:50],
        "state": request.GET.get("trang_thai", "")[:50],
        "due": request.GET.get("han", "")[:20],
        "q": request.GET.get("q", "").strip()[:100],
    }
    internal = request.agency is not None and can(request.user, "workflow.manage", None)
    qs = selectors.processes_for(
        request.user,
        agency=request.agency if internal else None,
        include_closed=request.GET.get("ket_thuc") == "1",
        today=today,
        **filters,
    )
    page = paginate(request, qs)
    rulesets = RuleSetVersion.objects.filter(is_current=True).order_by("code")
    states = []
    if filters["ruleset"]:
        chosen = next((v for v in rulesets if v.code == filters["ruleset"]), None)
        states = list(chosen.rules.states.values()) if chosen else []
    template = (
        "workflow/partials/process_rows.html" if request.htmx else "workflow/process_list.html"
    )
    return render(
        request,
        template,
        {"page": page, "today": today, "rulesets": rulesets, "states": states, **filters},
    )


def _visible_process(request, pk: int) -> Process:
    return get_visible(
        request.user, "workflow.view", Process.objects.select_related("ruleset", "agency"), pk=pk
    )


@login_required
def process_detail(request, pk: int):
    process = _visible_process(request, pk)
    today = clock.today()
    options = engine.available_actions(request.user, process, today=today)
    newer = None
    if not process.ruleset.is_current and can(request.user, "workflow.migrate", process):
        newer = current_version(process.ruleset.code)
    attachments = Attachment.objects.filter(
        owner_type__model="process", owner_type__app_label="workflow", owner_id=str(process.pk)
    ).order_by("-created_at")
    return render(
        request,
        "workflow/process_detail.html",
        {
            "process": process,
            "rules": process.rules,
            "options": options,
            "events": process.events.select_related("actor").order_by("-seq"),
            "deadlines": selectors.deadline_rows(process, today=today),
            "parties": process.parties.select_related("user"),
            "newer": newer,
            "can_waive": can(request.user, "workflow.waive", process),
            "can_attach": can(request.user, "workflow.attach", process),
            "attachments": attachments,
            "attach_form": AttachmentForm(initial={"category": Attachment.Category.REPORT}),
            "waive_form": WaiveForm(),
            "diagram": mermaid(process.rules, current=process.state),
        },
    )


@login_required
def process_perform(request, pk: int, action: str):
    process = _visible_process(request, pk)
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
            return redirect(engine.process_url(process))
        raise PermissionDenied(_("Bạn không được thực hiện bước này."))
    form = StepForm(
        request.POST or None,
        transition=option.transition,
        initial={"expected_state": process.state},
    )
    if request.method == "POST" and form.is_valid():
        try:
            engine.perform(
                user=request.user,
                process=process,
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
            return redirect(engine.process_url(process))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã thực hiện «%(a)s».") % {"a": option.transition.label})
            return redirect(engine.process_url(process))
    return render(
        request,
        "workflow/process_perform.html",
        {
            "process": process,
            "option": option,
            "form": form,
            "target_label": process.rules.state(option.transition.target).label,
            "back_url": engine.process_url(process),
        },
    )


@login_required
@require_POST
def process_attach(request, pk: int):
    process = _visible_process(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_create(
                actor=request.user,
                agency=process.agency,
                title=form.cleaned_data["title"],
                category=form.cleaned_data["category"],
                description=form.cleaned_data["description"],
                upload=form.cleaned_data["file"],
                owner=process,
                request=request,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã đính kèm tài liệu."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(engine.process_url(process))


@login_required
@require_POST
def process_migrate(request, pk: int):
    process = _visible_process(request, pk)
    try:
        engine.process_migrate(
            actor=request.user,
            process=process,
            remark=request.POST.get("remark", "")[:2000],
            request=request,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Hồ sơ đã chuyển sang phiên bản quy tắc mới."))
    return redirect(engine.process_url(process))


@login_required
@require_POST
def deadline_waive(request, pk: int, deadline_pk: int):
    process = _visible_process(request, pk)
    deadline = process.deadlines.filter(pk=deadline_pk).first()
    if deadline is None:
        raise Http404
    form = WaiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần ghi lý do miễn thời hạn."))
        return redirect(engine.process_url(process))
    try:
        engine.deadline_waive(
            actor=request.user,
            deadline=deadline,
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã miễn thời hạn «%(d)s».") % {"d": deadline.label})
    return redirect(engine.process_url(process))


__all__ = ["Deadline"]
