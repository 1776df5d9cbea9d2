"""Council pages: the list, forming a council, the council page (members, roll call, closing,
result), an expert's conflict declaration and ballot.

Every write calls one service of `khcn.councils.services`; a council out of the user's
reach is a 404 (`get_visible`), a step the user may not take a 403.
"""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khcn.audit.models import AuditAction, AuditEvent
from khcn.core.errors import DomainError
from khcn.core.models import Attachment
from khcn.core.permissions import can, get_visible, require, scope
from khcn.councils import scoring, services
from khcn.councils.documents import product_rows
from khcn.councils.forms import (
    AttendanceForm,
    BallotForm,
    ConflictForm,
    CouncilForm,
    ReplaceForm,
    agency_experts,
    aspect_label,
)
from khcn.councils.models import Ballot, Council, CouncilKind, CouncilMember, MemberRole
from khcn.projects.models import Application, Project, Rating
from khcn.web.utils import paginate
from khcn.workflow.fields import FieldErrors

ROLE_ORDER = {role: i for i, role in enumerate(MemberRole.values)}
GOOD_OUTCOMES = {"RECOMMENDED", "WINNER", "XUAT_SAC", "DAT"}
NOT_SCORED = ("withdrawn", "incomplete")


# --- reads ----------------------------------------------------------------------------------------


def _visible(request, pk: int) -> Council:
    return get_visible(
        request.user,
        "council.view",
        Council.objects.select_related("project__process", "agency"),
        pk=pk,
    )


def _seat(user, council: Council) -> CouncilMember | None:
    return (
        council.members.filter(expert=user, removed_at__isnull=True)
        .select_related("expert")
        .first()
    )


def _scored_applications(council: Council) -> list[Application]:
    """The dossiers a selection council scores (every valid one of the task)."""
    if council.kind != CouncilKind.SELECTION:
        return []
    return list(council.project.applications.exclude(status__in=NOT_SCORED).order_by("pk"))


def _owned(obj) -> list[Attachment]:
    return list(
        Attachment.objects.filter(
            owner_type=ContentType.objects.get_for_model(obj), owner_id=str(obj.pk)
        ).order_by("created_at", "pk")
    )


def _replacements(council: Council) -> dict[str, str]:
    """username of a member who left -> full name of the expert put in the seat (from the
    audit trail, where `council_member_replace` records each change)."""
    events = AuditEvent.objects.filter(
        action=AuditAction.COUNCIL_MEMBER_CHANGED,
        object_type=Council._meta.label_lower,
        object_id=str(council.pk),
    )
    pairs = {e.before.get("member"): e.after.get("member") for e in events if e.before and e.after}
    names = dict(
        council.members.filter(expert__username__in=pairs.values()).values_list(
            "expert__username", "expert__full_name"
        )
    )
    return {old: names.get(new, new) for old, new in pairs.items()}


def seat_status(council: Council, seat: CouncilMember, done: int, needed: int) -> dict:
    """What a council waits for from one member: declare, vote, or nothing."""
    if council.state == Council.State.FORMING:
        return {"code": "wait", "label": _("Chờ mở phiên đánh giá"), "css": "secondary"}
    if council.state == Council.State.CLOSED:
        return {"code": "done", "label": _("Đã kết luận"), "css": "success"}
    if seat.conflict == CouncilMember.Conflict.PENDING:
        return {"code": "declare", "label": _("Cần khai báo xung đột lợi ích"), "css": "warning"}
    if done < needed:
        label = _("Cần chấm điểm / bỏ phiếu")
        if needed > 1:
            label = _("Cần chấm điểm (%(d)d/%(n)d hồ sơ)") % {"d": done, "n": needed}
        return {"code": "vote", "label": label, "css": "primary"}
    return {"code": "voted", "label": _("Đã nộp phiếu"), "css": "success"}


def _score_text(value) -> str:
    return "" if value in (None, "") else str(value).replace(".", ",")


def _result(council: Council) -> dict | None:
    """The stored result as the page shows it."""
    if council.state != Council.State.CLOSED:
        return None
    r = council.result or {}
    result = {
        "outcome": council.outcome,
        "label": services.outcome_label(council.outcome),
        "good": council.outcome in GOOD_OUTCOMES,
        "present": r.get("members_present", 0),
        "total": r.get("members_total", 0),
        "valid": r.get("valid_ballots", 0),
        "excluded": r.get("excluded_ballots", 0),
        "votes": r.get("votes", {}),
    }
    if council.kind == CouncilKind.SELECTION:
        result["ranking"] = [
            row
            | {
                "mean_text": _score_text(row["mean"]),
                "adjusted_text": _score_text(row["adjusted_mean"]),
                "valid_count": len(row["valid_ballots"]),
                "excluded_count": len(row["excluded_ballots"]),
                "winner": row["application"] == r.get("winner"),
                "bonus": row["adjusted_mean"] != row["mean"],
            }
            for row in r.get("ranking", [])
        ]
    elif council.kind == CouncilKind.ACCEPTANCE:
        votes = r.get("votes", {})
        result["rating_votes"] = [
            {"code": code, "label": label, "n": votes.get(code, 0)}
            for code, label in Rating.choices
        ]
        aspects = council.rules.get("acceptance", {}).get("aspects", [])
        result["aspects"] = [aspect_label(a) for a in aspects]
        result["products"] = [
            {"name": row["name"], "cells": [row.get(a, "") for a in aspects]}
            for row in product_rows(council)
        ]
    return result


def _dossier(user, council: Council, apps: list[Application]) -> dict:
    """What a cleared member reads: the task, its products, the dossiers it scores and the
    task's documents the member may open."""
    project = council.project
    documents = [
        a for a in _owned(project) + _owned(project.process) if can(user, "attachment.view", a)
    ]
    return {
        "project": project,
        "applications": [
            {
                "application": a,
                "attachments": [d for d in _owned(a) if can(user, "attachment.view", d)],
            }
            for a in apps
        ],
        "documents": documents,
        "products": list(project.products.all()),
    }


def _members(council: Council) -> list[CouncilMember]:
    return sorted(
        council.members.select_related("expert"),
        key=lambda m: (m.removed_at is not None, ROLE_ORDER[m.role], m.pk),
    )


def _quorum(council: Council, active: list[CouncilMember]):
    if not any(m.present is not None for m in active):
        return None
    presences = [
        scoring.Presence(
            member_id=m.pk, role=m.role, present=bool(m.present), authorised=m.authorised
        )
        for m in active
    ]
    return scoring.quorum(presences, council.rules["quorum"])


def _replaceable(council: Council, rows: list[dict]) -> list[CouncilMember]:
    """Seats staff may give to another expert: before opening, any; once open, those whose
    member declared a conflict and has no replacement yet."""
    if council.state == Council.State.FORMING:
        return [r["member"] for r in rows if r["member"].removed_at is None]
    return [
        r["member"]
        for r in rows
        if r["member"].conflict == CouncilMember.Conflict.DECLARED and not r["replaced_by"]
    ]


def _replace_form(council: Council, seats: list[CouncilMember], data) -> ReplaceForm:
    taken = set(council.members.filter(removed_at__isnull=True).values_list("expert", flat=True))
    experts = [u for u in agency_experts(council.agency) if u.pk not in taken]
    return ReplaceForm(data, seats=seats, experts=experts)


def _detail_context(request, council: Council, **bound) -> dict:
    """Everything the council page shows, for whoever is looking; `bound` holds forms
    re-displayed with their errors (`conflict_form`, `attendance_form`, `replace_form`,
    `close_error`)."""
    user = request.user
    manage = bool(can(user, "council.manage", council))
    seat = _seat(user, council)
    members = _members(council)
    active = [m for m in members if m.removed_at is None]
    apps = _scored_applications(council)
    needed = len(apps) if council.kind == CouncilKind.SELECTION else 1
    counts = dict(
        council.ballots.values("member").annotate(n=Count("pk")).values_list("member", "n")
    )
    last = dict(
        council.ballots.values("member")
        .annotate(at=Max("submitted_at"))
        .values_list("member", "at")
    )
    replaced = _replacements(council) if manage else {}
    rows = []
    for m in members:
        rows.append(
            {
                "member": m,
                "ballots": counts.get(m.pk, 0),
                "voted_at": last.get(m.pk),
                "complete": counts.get(m.pk, 0) >= needed,
                "replaced_by": replaced.get(m.expert.username),
            }
        )
    open_ = council.state == Council.State.OPEN
    context = {
        "council": council,
        "project": council.project,
        "manage": manage,
        "seat": seat,
        "rows": rows,
        "active_count": len(active),
        "needed": needed,
        "documents": [a for a in _owned(council) if can(user, "attachment.view", a)],
        "result": _result(council),
        "close_error": bound.get("close_error", ""),
    }
    if manage and council.state != Council.State.CLOSED:
        vacant = _replaceable(council, rows)
        for r in rows:
            r["vacant"] = r["member"].conflict == CouncilMember.Conflict.DECLARED and (
                r["member"] in vacant
            )
        if vacant:
            context["replace_form"] = bound.get("replace_form") or _replace_form(
                council, vacant, None
            )
        context["vacancies"] = [r["member"] for r in rows if r.get("vacant")]
        context["open_ready"] = council.project.process.state in services.OPEN_STATES[council.kind]
    if manage and open_:
        context["attendance_form"] = bound.get("attendance_form") or AttendanceForm(members=active)
        context["quorum"] = _quorum(council, active)
        context["voted_count"] = sum(1 for r in rows if r["member"] in active and r["complete"])
    if seat is not None:
        context["my_status"] = seat_status(council, seat, counts.get(seat.pk, 0), needed)
        if open_ and seat.conflict == CouncilMember.Conflict.PENDING:
            context["conflict_form"] = bound.get("conflict_form") or ConflictForm()
        if seat.cleared:
            context["dossier"] = _dossier(user, council, apps)
            mine = {b.application_id: b for b in Ballot.objects.filter(member=seat).order_by("pk")}
            if council.kind == CouncilKind.SELECTION:
                context["my_sheets"] = [{"application": a, "ballot": mine.get(a.pk)} for a in apps]
            else:
                context["my_ballot"] = mine.get(None)
    elif manage and council.state != Council.State.FORMING:
        context["dossier"] = _dossier(user, council, apps)
    return context


# --- pages ----------------------------------------------------------------------------------------


@login_required
def council_list(request):
    """Staff see their agency's councils; an expert, the councils they sit on and what each
    waits for from them."""
    user = request.user
    require(user, "council.view")
    kind = request.GET.get("loai", "")
    state = request.GET.get("trang_thai", "")
    agency = request.agency if request.agency else None
    page = None
    if agency is not None and can(user, "council.manage", Council(agency_id=agency.pk)):
        qs = scope(user, "council.view", Council.objects.filter(agency=agency))
        if kind in CouncilKind.values:
            qs = qs.filter(kind=kind)
        if state in Council.State.values:
            qs = qs.filter(state=state)
        qs = (
            qs.select_related("project")
            .annotate(n_members=Count("members", filter=Q(members__removed_at__isnull=True)))
            .order_by("-meeting_date", "-pk")
        )
        page = paginate(request, qs)
        for c in page:
            c.outcome_label = services.outcome_label(c.outcome) if c.outcome else ""
            c.outcome_good = c.outcome in GOOD_OUTCOMES
        if request.htmx:
            return render(request, "councils/partials/council_rows.html", {"page": page})
    seats = []
    for seat in (
        CouncilMember.objects.filter(expert=user, removed_at__isnull=True)
        .select_related("council__project")
        .annotate(n_ballots=Count("ballots"))
        .order_by("-council__meeting_date", "-pk")
    ):
        council = seat.council
        needed = len(_scored_applications(council)) if council.kind == CouncilKind.SELECTION else 1
        seats.append(
            {
                "seat": seat,
                "council": council,
                "status": seat_status(council, seat, seat.n_ballots, needed),
            }
        )
    return render(
        request,
        "councils/council_list.html",
        {
            "page": page,
            "seats": seats,
            "kind": kind,
            "state": state,
            "kinds": CouncilKind.choices,
            "states": Council.State.choices,
        },
    )


@login_required
def council_create(request, project_pk: int):
    """Form a council for a task: the decision, the meeting and the members chosen from the
    agency's expert pool (NĐ 08/2014 Đ32)."""
    project = get_visible(
        request.user,
        "project.view",
        Project.objects.select_related("process", "agency"),
        pk=project_pk,
    )
    require(request.user, "project.manage", project)
    kind = request.GET.get("loai", "")
    form = CouncilForm(
        request.POST or None,
        experts=agency_experts(project.agency),
        initial={"kind": kind if kind in CouncilKind.values else ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            council = services.council_form(
                actor=request.user,
                project=project,
                kind=data["kind"],
                decision_no=data["decision_no"],
                decision_date=data["decision_date"],
                meeting_date=data["meeting_date"],
                meeting_place=data["meeting_place"],
                members=form.members(),
                request=request,
            )
        except FieldErrors as exc:
            form.apply_errors(exc.errors)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Đã lập %(k)s với %(n)d thành viên.")
                % {"k": council.get_kind_display().lower(), "n": len(form.members())},
            )
            return redirect("council-detail", pk=council.pk)
    chosen = form["kind"].value() or ""
    return render(
        request,
        "councils/council_create.html",
        {
            "project": project,
            "form": form,
            "kind_label": CouncilKind(chosen).label if chosen in CouncilKind.values else "",
            "wrong_state": chosen in CouncilKind.values
            and project.process.state not in services.FORM_STATES[chosen],
            "rules": project.process.rules.rules.get(chosen, {}) if chosen else {},
            "councils": project.councils.order_by("-pk"),
        },
    )


@login_required
def council_detail(request, pk: int):
    council = _visible(request, pk)
    return render(request, "councils/council_detail.html", _detail_context(request, council))


@login_required
@require_POST
def council_open(request, pk: int):
    council = _visible(request, pk)
    require(request.user, "council.manage", council)
    try:
        services.council_open(actor=request.user, council=council, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Hội đồng đã mở phiên đánh giá; các thành viên được mời khai báo xung đột lợi ích."),
        )
    return redirect("council-detail", pk=council.pk)


@login_required
@require_POST
def member_replace(request, pk: int):
    council = _visible(request, pk)
    require(request.user, "council.manage", council)
    replaced = _replacements(council)
    rows = [
        {"member": m, "replaced_by": replaced.get(m.expert.username)} for m in _members(council)
    ]
    seats = _replaceable(council, rows)
    form = _replace_form(council, seats, request.POST)
    if form.is_valid():
        member = next(m for m in seats if m.pk == form.cleaned_data["member"])
        try:
            seat = services.council_member_replace(
                actor=request.user,
                member=member,
                expert=form.cleaned_data["expert"],
                degree=form.cleaned_data["degree"],
                request=request,
            )
        except FieldErrors as exc:
            for message in exc.errors.values():
                form.add_error("expert", message)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("council-detail", pk=council.pk)
        else:
            messages.success(
                request,
                _("%(new)s thay %(old)s (%(r)s).")
                % {
                    "new": seat.expert.full_name,
                    "old": member.expert.full_name,
                    "r": seat.get_role_display().lower(),
                },
            )
            return redirect("council-detail", pk=council.pk)
    context = _detail_context(request, council, replace_form=form)
    return render(request, "councils/council_detail.html", context)


@login_required
@require_POST
def attendance(request, pk: int):
    """The roll call at the meeting (who is present, which vice-chair presides)."""
    council = _visible(request, pk)
    require(request.user, "council.manage", council)
    active = list(council.members.filter(removed_at__isnull=True).select_related("expert"))
    form = AttendanceForm(request.POST, members=active)
    if form.is_valid():
        present = form.present()
        try:
            services.attendance_record(
                actor=request.user,
                council=council,
                present=present,
                authorised=form.cleaned_data["authorised"],
                request=request,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Đã ghi điểm danh: %(p)d/%(n)d thành viên có mặt.")
                % {"p": sum(present.values()), "n": len(active)},
            )
        return redirect("council-detail", pk=council.pk)
    context = _detail_context(request, council, attendance_form=form)
    return render(request, "councils/council_detail.html", context)


@login_required
@require_POST
def council_close(request, pk: int):
    """Conclude: quorum and every present member's ballot are checked by the service; what is
    missing is shown on the page."""
    council = _visible(request, pk)
    require(request.user, "council.manage", council)
    try:
        council = services.council_close(actor=request.user, council=council, request=request)
    except DomainError as exc:
        council.refresh_from_db()
        context = _detail_context(request, council, close_error=exc.message)
        return render(request, "councils/council_detail.html", context)
    messages.success(
        request,
        _("Hội đồng đã kết luận: %(o)s.") % {"o": services.outcome_label(council.outcome)},
    )
    return redirect("council-detail", pk=council.pk)


@login_required
@require_POST
def conflict_declare(request, pk: int):
    council = _visible(request, pk)
    seat = _seat(request.user, council)
    if seat is None:
        raise PermissionDenied(_("Bạn không phải thành viên hội đồng này."))
    form = ConflictForm(request.POST)
    if form.is_valid():
        has_conflict = form.cleaned_data["has_conflict"]
        try:
            services.conflict_declare(
                actor=request.user,
                member=seat,
                has_conflict=has_conflict,
                note=form.cleaned_data["note"],
                request=request,
            )
        except FieldErrors as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("council-detail", pk=council.pk)
        else:
            if has_conflict:
                messages.info(
                    request,
                    _(
                        "Bạn đã khai báo có xung đột lợi ích và rút khỏi hội đồng. "
                        "Sở sẽ mời chuyên gia khác thay."
                    ),
                )
                return redirect("home")
            messages.success(request, _("Đã ghi khai báo. Hồ sơ đã mở để bạn đọc và đánh giá."))
            return redirect("council-detail", pk=council.pk)
    context = _detail_context(request, council, conflict_form=form)
    return render(request, "councils/council_detail.html", context)


@login_required
def ballot(request, pk: int):
    """A member's ballot or score sheet (`?ho_so=` the application, for selection); it can be
    corrected until the council closes."""
    council = _visible(request, pk)
    seat = _seat(request.user, council)
    if seat is None:
        raise PermissionDenied(_("Bạn không phải thành viên hội đồng này."))
    if council.state != Council.State.OPEN:
        messages.warning(
            request,
            _("Hội đồng chưa mở phiên đánh giá.")
            if council.state == Council.State.FORMING
            else _("Hội đồng đã kết luận; phiếu không sửa được nữa."),
        )
        return redirect("council-detail", pk=council.pk)
    if seat.conflict != CouncilMember.Conflict.NONE:
        messages.warning(request, _("Hãy khai báo xung đột lợi ích trước khi đọc hồ sơ và chấm."))
        return redirect("council-detail", pk=council.pk)
    apps = _scored_applications(council)
    mine = {b.application_id: b for b in Ballot.objects.filter(member=seat)}
    application = None
    if council.kind == CouncilKind.SELECTION:
        if not apps:
            messages.warning(request, _("Nhiệm vụ chưa có hồ sơ đăng ký hợp lệ để chấm."))
            return redirect("council-detail", pk=council.pk)
        wanted = request.GET.get("ho_so", "")
        application = next((a for a in apps if str(a.pk) == wanted), None)
        if application is None:
            first = next((a for a in apps if a.pk not in mine), apps[0])
            return redirect(f"{request.path}?ho_so={first.pk}")
    existing = mine.get(application.pk if application else None)
    products = (
        list(council.project.products.all()) if council.kind == CouncilKind.ACCEPTANCE else []
    )
    form = BallotForm(
        request.POST or None,
        council=council,
        products=products,
        initial=BallotForm.initial_from(council, existing),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_submit(
                actor=request.user,
                council=council,
                payload=form.payload(),
                application=application,
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except FieldErrors as exc:
            form.apply_errors(exc.errors)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if application is not None:
                messages.success(
                    request,
                    _("Đã lưu phiếu chấm hồ sơ «%(o)s».") % {"o": application.organisation},
                )
                mine[application.pk] = True
                following = next((a for a in apps if a.pk not in mine), None)
                if following is not None:
                    return redirect(f"{request.path}?ho_so={following.pk}")
            else:
                messages.success(
                    request, _("Đã lưu phiếu. Bạn có thể sửa đến khi hội đồng kết luận.")
                )
            return redirect("council-detail", pk=council.pk)
    total = None
    if council.kind == CouncilKind.SELECTION:
        total = _sheet_total(form)
    return render(
        request,
        "councils/ballot.html",
        {
            "council": council,
            "project": council.project,
            "form": form,
            "application": application,
            "sheets": [{"application": a, "done": a.pk in mine} for a in apps],
            "existing": existing,
            "total": total,
            "max_total": sum(c["max"] for c in form.criteria),
        },
    )


def _sheet_total(form: BallotForm) -> str:
    """The total of the scores typed (or stored), shown before any script runs."""
    total = Decimal(0)
    for row in form.score_rows():
        value = row["field"].value()
        try:
            total += Decimal(str(value).replace(",", ".")) if value not in (None, "") else 0
        except InvalidOperation:
            continue
    return _score_text(total.quantize(Decimal(1)) if total == total.to_integral() else total)
