"""Every write on councils: forming, opening, conflict declarations, ballots, attendance and
closing with the result. Thresholds and sizes come from the task's rule set
(`[rules.quorum]`, `[rules.identification]`, `[rules.selection]`, `[rules.acceptance]`),
copied onto the council when it is formed so later rule changes do not move a running
council's goalposts.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khcn.accounts.models import Role
from khcn.audit.models import AuditAction
from khcn.audit.services import record
from khcn.core import clock
from khcn.core.errors import DomainError
from khcn.core.permissions import require
from khcn.councils import scoring
from khcn.councils.models import Ballot, Council, CouncilKind, CouncilMember, MemberRole
from khcn.notifications.models import Kind
from khcn.notifications.services import notify
from khcn.projects.models import Application, Project, identity_key
from khcn.workflow.engine import process_data_record, recipients
from khcn.workflow.fields import FieldErrors

# The task state in which each kind of council may be formed (TT 06/2023, TT 20/2023,
# TT 11/2014 Đ9) and, for acceptance, the state in which it may start work.
FORM_STATES = {
    CouncilKind.IDENTIFICATION: {"PROPOSED"},
    CouncilKind.SELECTION: {"DOSSIERS_OPENED"},
    CouncilKind.ACCEPTANCE: {"DOSSIER_VALID"},
}
OPEN_STATES = {
    CouncilKind.IDENTIFICATION: {"PROPOSED"},
    CouncilKind.SELECTION: {"DOSSIERS_OPENED"},
    CouncilKind.ACCEPTANCE: {"COUNCIL_FORMED"},
}
ROLE_COUNTS = {MemberRole.CHAIR: (1, 1), MemberRole.REVIEWER: (2, 2), MemberRole.SECRETARY: (1, 1)}


def council_url(council: Council) -> str:
    return f"/hoi-dong/{council.pk}/"


def _set_state(council: Council, target: str) -> None:
    """The one place a council's state moves, along `Council.ALLOWED`."""
    if target not in Council.ALLOWED[council.state]:
        raise DomainError(
            _("Hội đồng đang «%(s)s», không chuyển được.") % {"s": council.get_state_display()},
            status=409,
        )
    council.state = target
    now = clock.now()
    if target == Council.State.OPEN:
        council.opened_at = now
    elif target == Council.State.CLOSED:
        council.closed_at = now


def _check_composition(kind: str, rules: dict, seats: list[tuple]) -> None:
    """Size and roles (NĐ 08/2014 Đ32): one chair, two reviewers, one secretary, at most one
    vice-chair; the number of members within the rule set's range for this kind."""
    low, high = rules[kind]["members_min"], rules[kind]["members_max"]
    if not low <= len(seats) <= high:
        raise FieldErrors(
            {
                "members": _("Hội đồng cần từ %(a)d đến %(b)d thành viên (đang có %(n)d).")
                % {"a": low, "b": high, "n": len(seats)}
            }
        )
    roles = [role for _u, role, *_rest in seats]
    for role, (at_least, at_most) in ROLE_COUNTS.items():
        n = roles.count(role)
        if not at_least <= n <= at_most:
            raise FieldErrors(
                {
                    "members": _("Hội đồng cần %(k)d %(r)s (đang có %(n)d).")
                    % {"k": at_least, "r": MemberRole(role).label.lower(), "n": n}
                }
            )
    if roles.count(MemberRole.VICE_CHAIR) > 1:
        raise FieldErrors({"members": _("Hội đồng có nhiều nhất một phó chủ tịch.")})


def _conflicts(project: Project, user) -> str:
    """Why an expert may not sit on this task's council: the applicant or host organisation's
    own people, or a party to the task (NĐ 08/2014 Đ33)."""
    orgs = {project.host_key, identity_key(project.proposer_org)}
    orgs |= {a.organisation_key for a in project.applications.exclude(status="withdrawn")}
    orgs.discard("")
    mine = identity_key(user.organisation)
    if mine and mine in orgs:
        return _("%(n)s công tác tại %(o)s, là tổ chức có hồ sơ của nhiệm vụ.") % {
            "n": user.full_name,
            "o": user.organisation,
        }
    if identity_key(user.full_name) in {project.leader_key} | {
        identity_key(a.leader_name) for a in project.applications.all()
    }:
        return _("%(n)s là chủ nhiệm nhiệm vụ.") % {"n": user.full_name}
    if project.process.parties.filter(user=user).exists():
        return _("%(n)s tham gia hồ sơ nhiệm vụ.") % {"n": user.full_name}
    return ""


def _expert_ok(project: Project, user) -> None:
    if not user.has_role(Role.EXPERT, project.agency):
        raise FieldErrors(
            {
                "members": _("%(n)s không có trong danh sách chuyên gia của Sở.")
                % {"n": user.full_name}
            }
        )
    reason = _conflicts(project, user)
    if reason:
        raise FieldErrors({"members": reason})


@transaction.atomic
def council_form(
    *,
    actor,
    project: Project,
    kind: str,
    decision_no: str,
    decision_date: dt.date,
    meeting_date: dt.date,
    members: list[tuple],
    meeting_place: str = "",
    request=None,
) -> Council:
    """Form a council from the expert pool, with roles; size, roles and conflicts are checked
    (NĐ 08/2014 Đ32–33). `members`: [(user, role, degree)]."""
    require(actor, "project.manage", project)
    if kind not in CouncilKind.values:
        raise FieldErrors({"kind": _("Chọn loại hội đồng.")})
    if project.process.state not in FORM_STATES[kind]:
        raise DomainError(
            _("Nhiệm vụ đang ở bước «%(s)s», chưa lập %(k)s được.")
            % {"s": project.process.state_label, "k": CouncilKind(kind).label.lower()},
            status=409,
        )
    if Council.objects.filter(project=project, kind=kind).exclude(state="closed").exists():
        raise DomainError(_("Nhiệm vụ đã có hội đồng loại này đang làm việc."), status=409)
    errors = {}
    if not decision_no.strip():
        errors["decision_no"] = _("Cần số quyết định thành lập.")
    if meeting_date < decision_date:
        errors["meeting_date"] = _("Ngày họp không thể trước ngày quyết định.")
    if errors:
        raise FieldErrors(errors)
    rules = project.process.rules.rules
    _check_composition(kind, rules, members)
    seen = set()
    for user, _role, *_rest in members:
        if user.pk in seen:
            raise FieldErrors({"members": _("%(n)s có tên hai lần.") % {"n": user.full_name}})
        seen.add(user.pk)
        _expert_ok(project, user)
    council = Council.objects.create(
        agency=project.agency,
        project=project,
        kind=kind,
        decision_no=decision_no.strip(),
        decision_date=decision_date,
        meeting_date=meeting_date,
        meeting_place=meeting_place.strip(),
        rules={k: rules[k] for k in ("quorum", kind) if k in rules},
        created_by=actor,
    )
    for user, role, *rest in members:
        CouncilMember.objects.create(
            council=council,
            expert=user,
            role=role,
            degree=(rest[0] if rest else "") or "",
            organisation=user.organisation,
        )
    if kind == CouncilKind.ACCEPTANCE:
        process_data_record(process=project.process, values={"acceptance_council": council.pk})
    record(
        actor=actor,
        action=AuditAction.COUNCIL_FORMED,
        obj=council,
        agency=project.agency,
        after={
            "kind": kind,
            "project": project.code,
            "decision_no": council.decision_no,
            "members": [[u.username, r] for u, r, *_x in members],
        },
        request=request,
    )
    return council


@transaction.atomic
def council_member_replace(
    *, actor, member: CouncilMember, expert, degree: str = "", request=None
) -> CouncilMember:
    """Put another expert in the seat of a member who declared a conflict (or before the
    council opens)."""
    council = Council.objects.select_for_update().get(pk=member.council_id)
    require(actor, "project.manage", council.project)
    if council.state == Council.State.CLOSED:
        raise DomainError(_("Hội đồng đã kết luận."), status=409)
    if member.removed_at is None and council.state != Council.State.FORMING:
        raise DomainError(_("Chỉ thay thành viên đã khai báo xung đột lợi ích."), status=409)
    if council.members.filter(expert=expert, removed_at__isnull=True).exists():
        raise FieldErrors({"expert": _("Chuyên gia này đã có trong hội đồng.")})
    _expert_ok(council.project, expert)
    if member.removed_at is None:
        member.removed_at = clock.now()
        member.save(update_fields=["removed_at"])
    seat = CouncilMember.objects.create(
        council=council,
        expert=expert,
        role=member.role,
        degree=degree,
        organisation=expert.organisation,
    )
    record(
        actor=actor,
        action=AuditAction.COUNCIL_MEMBER_CHANGED,
        obj=council,
        agency=council.agency,
        before={"member": member.expert.username},
        after={"member": expert.username, "role": member.role},
        request=request,
    )
    if council.state == Council.State.OPEN:
        notify(
            recipients=[expert],
            kind=Kind.COUNCIL,
            title=_("Mời tham gia %(k)s") % {"k": council.get_kind_display().lower()},
            body=_("Nhiệm vụ %(c)s. Hãy khai báo xung đột lợi ích trước khi đọc hồ sơ.")
            % {"c": council.project.code},
            url=council_url(council),
            agency=council.agency,
        )
    return seat


@transaction.atomic
def council_open(*, actor, council: Council, request=None) -> Council:
    """The council starts work: members are asked to declare conflicts, then read and score.
    Generates the decision forming the council."""
    council = Council.objects.select_for_update().get(pk=council.pk)
    project = council.project
    require(actor, "project.manage", project)
    if project.process.state not in OPEN_STATES[council.kind]:
        raise DomainError(
            _("Nhiệm vụ đang ở bước «%(s)s»; hội đồng chưa làm việc được.")
            % {"s": project.process.state_label},
            status=409,
        )
    seats = [(m.expert, m.role) for m in council.members.filter(removed_at__isnull=True)]
    _check_composition(council.kind, {council.kind: council.rules[council.kind]}, seats)
    _set_state(council, Council.State.OPEN)
    council.save(update_fields=["state", "opened_at"])
    from khcn.councils.documents import council_document

    council_document(council=council, code="council_decision", actor=actor)
    record(
        actor=actor,
        action=AuditAction.COUNCIL_OPENED,
        obj=council,
        agency=council.agency,
        after={"state": council.state},
        request=request,
    )
    notify(
        recipients=[u for u, _r in seats],
        kind=Kind.COUNCIL,
        title=_("Mời tham gia %(k)s") % {"k": council.get_kind_display().lower()},
        body=_("Nhiệm vụ %(c)s, họp ngày %(d)s. Hãy khai báo xung đột lợi ích trước khi đọc hồ sơ.")
        % {"c": project.code, "d": f"{council.meeting_date:%d/%m/%Y}"},
        url=council_url(council),
        agency=council.agency,
    )
    return council


@transaction.atomic
def conflict_declare(
    *, actor, member: CouncilMember, has_conflict: bool, note: str = "", request=None
) -> CouncilMember:
    """A member declares, before the dossier opens to them, whether they have a conflict of
    interest; a declared conflict removes them from the council (NĐ 08/2014 Đ33)."""
    member = CouncilMember.objects.select_for_update().select_related("council").get(pk=member.pk)
    if member.expert_id != actor.pk or member.removed_at is not None:
        raise DomainError(_("Không tìm thấy."), status=404)
    council = member.council
    if council.state != Council.State.OPEN:
        raise DomainError(_("Hội đồng chưa mở hoặc đã kết luận."), status=409)
    if member.conflict != CouncilMember.Conflict.PENDING:
        raise DomainError(_("Bạn đã khai báo rồi."), status=409)
    if has_conflict and not note.strip():
        raise FieldErrors({"note": _("Ghi rõ nội dung xung đột lợi ích.")})
    member.conflict = (
        CouncilMember.Conflict.DECLARED if has_conflict else CouncilMember.Conflict.NONE
    )
    member.conflict_note = note.strip()
    member.declared_at = clock.now()
    if has_conflict:
        member.removed_at = member.declared_at
    member.save(update_fields=["conflict", "conflict_note", "declared_at", "removed_at"])
    record(
        actor=actor,
        action=AuditAction.CONFLICT_DECLARED,
        obj=council,
        agency=council.agency,
        after={"member": actor.username, "conflict": member.conflict, "note": member.conflict_note},
        request=request,
    )
    if has_conflict:
        notify(
            recipients=recipients(council.project.process, ["staff"]),
            kind=Kind.COUNCIL,
            title=_("Thành viên hội đồng khai báo xung đột lợi ích"),
            body=_("%(n)s rút khỏi hội đồng nhiệm vụ %(c)s; cần chọn người thay.")
            % {"n": actor.full_name, "c": council.project.code},
            url=council_url(council),
            agency=council.agency,
        )
    return member


def _decimal(value, *, field: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise FieldErrors({field: _("Điểm phải là số.")}) from None
    if not number.is_finite():  # "NaN" would break the comparisons below
        raise FieldErrors({field: _("Điểm phải là số.")})
    return number


def clean_ballot(council: Council, payload: dict, application: Application | None) -> dict:
    """The ballot in its stored form, or FieldErrors naming what is wrong."""
    kind = council.kind
    rules = council.rules.get(kind, {})
    if kind == CouncilKind.IDENTIFICATION:
        verdict = payload.get("verdict")
        if verdict in ("true", "1", "dat", True):
            return {"verdict": True}
        if verdict in ("false", "0", "khong_dat", False):
            return {"verdict": False}
        raise FieldErrors({"verdict": _("Chọn «Đạt yêu cầu» hoặc «Không đạt yêu cầu».")})
    if kind == CouncilKind.SELECTION:
        if application is None or application.project_id != council.project_id:
            raise FieldErrors({"application": _("Chọn hồ sơ đăng ký được chấm.")})
        if application.status in ("withdrawn", "incomplete"):
            raise FieldErrors({"application": _("Hồ sơ này không được đưa ra chấm.")})
        scores, errors = {}, {}
        raw = payload.get("scores") or {}
        if not isinstance(raw, dict):
            raw = {}
        for criterion in rules["criteria"]:
            code = criterion["code"]
            if raw.get(code) in (None, ""):
                errors[f"scores.{code}"] = _("Chưa chấm tiêu chí này.")
                continue
            value = _decimal(raw[code], field=f"scores.{code}")
            if not 0 <= value <= criterion["max"] or value * 2 != int(value * 2):
                errors[f"scores.{code}"] = _("Điểm từ 0 đến %(m)d, bước 0,5.") % {
                    "m": criterion["max"]
                }
                continue
            scores[code] = str(value)
        if errors:
            raise FieldErrors(errors)
        return {"scores": scores}
    # acceptance: every product on every aspect, and the summary report
    ratings = {"XUAT_SAC", "DAT", "KHONG_DAT"}
    raw = payload.get("products") or {}
    if not isinstance(raw, dict):
        raw = {}
    products, errors = {}, {}
    for product in council.project.products.all():
        given = raw.get(str(product.pk)) or {}
        if not isinstance(given, dict):
            given = {}
        row = {}
        for aspect in rules["aspects"]:
            if not isinstance(given.get(aspect), str) or given[aspect] not in ratings:
                errors[f"products.{product.pk}.{aspect}"] = _("Chưa đánh giá «%(p)s».") % {
                    "p": product.name
                }
            else:
                row[aspect] = given[aspect]
        products[str(product.pk)] = row
    if not isinstance(payload.get("report"), str) or payload["report"] not in ratings:
        errors["report"] = _("Chưa đánh giá báo cáo tổng hợp.")
    if not products:
        errors["products"] = _("Nhiệm vụ chưa có danh sách sản phẩm để đánh giá.")
    if errors:
        raise FieldErrors(errors)
    verdict = scoring.member_verdict(products, payload["report"], rules)
    return {"products": products, "report": payload["report"], "verdict": verdict}


@transaction.atomic
def ballot_submit(
    *,
    actor,
    council: Council,
    payload: dict,
    application: Application | None = None,
    comment: str = "",
    request=None,
) -> Ballot:
    """A cleared member fills in the ballot or score sheet; it can be corrected until the
    council closes."""
    council = Council.objects.select_for_update().get(pk=council.pk)
    member = council.members.filter(expert=actor, removed_at__isnull=True).first()
    if member is None:
        raise DomainError(_("Không tìm thấy."), status=404)
    if council.state != Council.State.OPEN:
        raise DomainError(_("Hội đồng chưa mở hoặc đã kết luận."), status=409)
    if member.conflict != CouncilMember.Conflict.NONE:
        raise DomainError(
            _("Hãy khai báo không có xung đột lợi ích trước khi đánh giá."), status=403
        )
    clean = clean_ballot(council, payload or {}, application)
    ballot, created = Ballot.objects.update_or_create(
        council=council,
        member=member,
        application=application if council.kind == CouncilKind.SELECTION else None,
        defaults={
            "payload": clean,
            "comment": (comment or "").strip(),
            "submitted_at": clock.now(),
        },
    )
    record(
        actor=actor,
        action=AuditAction.BALLOT_SUBMITTED,
        obj=council,
        agency=council.agency,
        after={
            "member": actor.username,
            "application": getattr(application, "pk", None),
            "ballot": clean,
            "corrected": not created,
        },
        request=request,
    )
    return ballot


@transaction.atomic
def attendance_record(
    *,
    actor,
    council: Council,
    present: dict[int, bool],
    authorised: int | None = None,
    request=None,
) -> Council:
    """The secretary's roll call at the meeting; a vice-chair may be authorised to chair."""
    council = Council.objects.select_for_update().get(pk=council.pk)
    require(actor, "project.manage", council.project)
    if council.state != Council.State.OPEN:
        raise DomainError(_("Hội đồng chưa mở hoặc đã kết luận."), status=409)
    for member in council.members.filter(removed_at__isnull=True):
        member.present = bool(present.get(member.pk, False))
        member.authorised = member.role == MemberRole.VICE_CHAIR and authorised == member.pk
        member.save(update_fields=["present", "authorised"])
    record(
        actor=actor,
        action=AuditAction.ATTENDANCE_RECORDED,
        obj=council,
        agency=council.agency,
        after={"present": sorted(k for k, v in present.items() if v), "authorised": authorised},
        request=request,
    )
    return council


def _presences(members) -> list:
    return [
        scoring.Presence(
            member_id=m.pk, role=m.role, present=bool(m.present), authorised=m.authorised
        )
        for m in members
    ]


def tally(council: Council) -> dict:
    """The council's result from the ballots of members present, per its kind's rules:
    identification (TT 06/2023 Đ12), selection (TT 20/2023 Đ10), acceptance (TT 11/2014 Đ13).
    Raises DomainError when quorum or ballots are missing."""
    members = list(council.members.filter(removed_at__isnull=True).select_related("expert"))
    q = scoring.quorum(_presences(members), council.rules["quorum"])
    if not q.ok:
        raise DomainError(_("Hội đồng chưa đủ điều kiện họp: %(r)s") % {"r": " ".join(q.reasons)})
    present = [m for m in members if m.present]
    rules = council.rules[council.kind]
    ballots = list(council.ballots.filter(member__in=present).select_related("member"))
    if council.kind == CouncilKind.SELECTION:
        apps = list(
            council.project.applications.exclude(status__in=("withdrawn", "incomplete")).order_by(
                "pk"
            )
        )
        missing = {
            m.expert.full_name
            for m in present
            for a in apps
            if not any(b.member_id == m.pk and b.application_id == a.pk for b in ballots)
        }
    else:
        missing = {
            m.expert.full_name for m in present if not any(b.member_id == m.pk for b in ballots)
        }
    if missing:
        raise DomainError(
            _("Còn thành viên có mặt chưa nộp phiếu: %(n)s.") % {"n": ", ".join(sorted(missing))}
        )
    base = {"members_present": len(present), "members_total": len(members)}
    if council.kind == CouncilKind.IDENTIFICATION:
        r = scoring.identification_result([b.payload["verdict"] for b in ballots], rules)
        return base | {
            "outcome": "RECOMMENDED" if r.recommended else "NOT_RECOMMENDED",
            "mean": None,
            "valid_ballots": r.valid_ballots,
            "excluded_ballots": 0,
            "votes": {"yes": r.yes, "no": r.no},
        }
    if council.kind == CouncilKind.SELECTION:
        candidates = [
            scoring.Candidate(
                id=a.pk,
                sheets=[
                    scoring.Sheet(
                        member_id=b.member_id,
                        scores={k: Decimal(v) for k, v in b.payload["scores"].items()},
                    )
                    for b in ballots
                    if b.application_id == a.pk
                ],
                state_budget=sum(
                    (ln.amount for ln in a.budget_lines.all() if ln.source == "state"), Decimal(0)
                ),
                is_proposer=a.is_proposer,
                recent_excellent=a.recent_excellent,
            )
            for a in apps
        ]
        r = scoring.selection_result(candidates, len(present), rules)
        names = {a.pk: a.organisation for a in apps}
        ranking = [
            {
                "application": c.id,
                "organisation": names[c.id],
                "rank": c.rank,
                "mean": str(scoring.display_score(c.mean)),
                "adjusted_mean": str(scoring.display_score(c.adjusted_mean)),
                "valid_ballots": list(c.valid_ballots),
                "excluded_ballots": list(c.excluded_ballots),
                "eligible": c.eligible,
                "reasons": list(c.reasons),
                "criterion_means": {
                    k: str(scoring.display_score(v)) for k, v in c.criterion_means.items()
                },
            }
            for c in r.ranking
        ]
        top = next((c for c in ranking if c["application"] == r.winner_id), None)
        return base | {
            "outcome": "WINNER" if r.winner_id else "NO_WINNER",
            "winner": r.winner_id,
            "mean": top["adjusted_mean"] if top else None,
            "valid_ballots": len(top["valid_ballots"]) if top else 0,
            "excluded_ballots": len(top["excluded_ballots"]) if top else 0,
            "votes": {},
            "ranking": ranking,
        }
    verdicts = [b.payload["verdict"] for b in ballots]
    r = scoring.acceptance_result(verdicts, len(present), rules)
    return base | {
        "outcome": r.outcome,
        "mean": None,
        "valid_ballots": len(verdicts),
        "excluded_ballots": 0,
        "votes": dict(r.votes),
    }


@transaction.atomic
def council_close(*, actor, council: Council, request=None) -> Council:
    """Close the council with its result once quorum holds (NĐ 08/2014 Đ33) and every member
    present has voted; the conclusion is stored on the task's record, where the rule set's
    next step reads it, and the minutes are generated."""
    council = Council.objects.select_for_update().get(pk=council.pk)
    project = council.project
    require(actor, "project.manage", project)
    if council.state != Council.State.OPEN:
        raise DomainError(_("Hội đồng chưa mở hoặc đã kết luận."), status=409)
    result = tally(council)
    council.result = result
    council.outcome = result["outcome"]
    _set_state(council, Council.State.CLOSED)
    council.save(update_fields=["result", "outcome", "state", "closed_at"])
    values = {
        CouncilKind.IDENTIFICATION: {"identification_outcome": result["outcome"]},
        CouncilKind.SELECTION: {
            "selection_outcome": result["outcome"],
            "selection_winner": result.get("winner"),
        },
        CouncilKind.ACCEPTANCE: {"rating": result["outcome"]},
    }[council.kind]
    process_data_record(process=project.process, values=values)
    from khcn.councils.documents import council_document

    council_document(
        council=council,
        code="acceptance_minutes" if council.kind == CouncilKind.ACCEPTANCE else "council_minutes",
        actor=actor,
    )
    record(
        actor=actor,
        action=AuditAction.COUNCIL_CLOSED,
        obj=council,
        agency=council.agency,
        after={"outcome": council.outcome, "result": result},
        request=request,
    )
    people = [m.expert for m in council.members.filter(removed_at__isnull=True)]
    notify(
        recipients=people + recipients(project.process, ["staff", "leader"]),
        kind=Kind.COUNCIL,
        title=_("%(k)s đã kết luận") % {"k": council.get_kind_display()},
        body=_("Nhiệm vụ %(c)s: %(o)s.") % {"c": project.code, "o": outcome_label(council.outcome)},
        url=council_url(council),
        agency=council.agency,
    )
    return council


OUTCOME_LABELS = {
    "RECOMMENDED": gettext_lazy("Đề nghị đặt hàng"),
    "NOT_RECOMMENDED": gettext_lazy("Không đề nghị đặt hàng"),
    "WINNER": gettext_lazy("Có hồ sơ trúng tuyển"),
    "NO_WINNER": gettext_lazy("Không có hồ sơ trúng tuyển"),
    "XUAT_SAC": gettext_lazy("Xuất sắc"),
    "DAT": gettext_lazy("Đạt"),
    "KHONG_DAT": gettext_lazy("Không đạt"),
}


def outcome_label(outcome: str) -> str:
    return str(OUTCOME_LABELS.get(outcome, outcome))
