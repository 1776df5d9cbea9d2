"""Councils API: a council with its members and scoring criteria, a member's conflict
declaration and ballot, and the result once the council has concluded.

A council out of the caller's reach answers 404; a step the caller may not take 403
(not a member, conflict not yet declared); 409 when the council's state does not allow
it (not open, already concluded, result asked before the conclusion); 422 for a badly
filled ballot, with `errors` naming each field (`scores.<criterion>`,
`products.<product id>.<aspect>`, `report`, `verdict`, `application`).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from khcn.core.errors import DomainError
from khcn.core.permissions import can, get_visible
from khcn.councils import services
from khcn.councils.forms import aspect_label
from khcn.councils.models import Council, CouncilKind, CouncilMember
from khcn.workflow.fields import FieldErrors

router = Router(tags=["Hội đồng"])


class ProjectRef(Schema):
    id: int
    code: str
    title: str


class MemberOut(Schema):
    id: int
    name: str
    role: str = Field(description="chair | vice_chair | reviewer | secretary | member")
    conflict: str = Field(description="pending | none | declared")
    present: bool | None = Field(description="null until the roll call")


class CriterionOut(Schema):
    code: str
    label: str
    max: int | None = Field(
        description="Selection: the criterion's maximum score (scores step 0.5). "
        "Identification: one criterion `verdict`, max 1 (true = Đạt yêu cầu). "
        "Acceptance: one entry per aspect (quantity, volume, quality), max null — each is "
        "rated XUAT_SAC | DAT | KHONG_DAT for every product."
    )


class ProductRef(Schema):
    id: int
    name: str


class ApplicationRef(Schema):
    id: int
    organisation: str


class CouncilOut(Schema):
    id: int
    kind: str = Field(description="identification | selection | acceptance")
    state: str = Field(description="forming | open | closed")
    project: ProjectRef
    meeting_date: dt.date
    members: list[MemberOut] = Field(
        description="Sitting members (a member who declared a conflict has left and is not listed)."
    )
    criteria: list[CriterionOut]
    products: list[ProductRef] = Field(
        description="Acceptance: the products to rate (keys of `payload.products`)."
    )
    applications: list[ApplicationRef] = Field(
        description="Selection: the applications to score, shown to staff and to members "
        "who declared no conflict."
    )


class BallotIn(Schema):
    application: int | None = Field(None, description="Selection: the application scored.")
    payload: dict = Field(
        description='Identification `{"verdict": true}`; selection `{"scores": {"prior": 10, '
        '...}}`; acceptance `{"products": {"<product id>": {"quantity": "DAT", "volume": '
        '"DAT", "quality": "XUAT_SAC"}}, "report": "DAT"}`.'
    )
    comment: str = ""


class BallotOut(Schema):
    id: int
    council: int
    member: int
    application: int | None
    payload: dict
    comment: str
    submitted_at: dt.datetime


class ConflictIn(Schema):
    has_conflict: bool
    note: str = Field("", description="Required when has_conflict is true.")


class RankingOut(Schema):
    application: int
    organisation: str
    rank: int
    mean: str
    adjusted_mean: str
    valid_ballots: list[int]
    excluded_ballots: list[int]
    eligible: bool
    reasons: list[str]


class ResultOut(Schema):
    outcome: str = Field(
        description="RECOMMENDED | NOT_RECOMMENDED (identification); WINNER | NO_WINNER "
        "(selection); XUAT_SAC | DAT | KHONG_DAT (acceptance)"
    )
    outcome_label: str
    mean: str | None = Field(description="Selection: the winner's adjusted mean; else null.")
    valid_ballots: int
    excluded_ballots: int
    votes: dict[str, int] = Field(
        description='Identification {"yes", "no"}; acceptance {"XUAT_SAC", "DAT", '
        '"KHONG_DAT"}; selection {}.'
    )
    members_present: int
    members_total: int
    ranking: list[RankingOut] | None = Field(
        None, description="Selection only (absent for the other kinds)."
    )


def _visible(request, pk: int) -> Council:
    return get_visible(
        request.user, "council.view", Council.objects.select_related("project"), pk=pk
    )


def _seat(user, council: Council) -> CouncilMember:
    seat = council.members.filter(expert=user, removed_at__isnull=True).first()
    if seat is None:
        raise PermissionDenied(_("Bạn không phải thành viên hội đồng này."))
    return seat


def _member_out(m: CouncilMember) -> dict:
    return {
        "id": m.pk,
        "name": m.expert.full_name,
        "role": m.role,
        "conflict": m.conflict,
        "present": m.present,
    }


def _criteria(council: Council) -> list[dict]:
    rules = council.rules.get(council.kind, {})
    if council.kind == CouncilKind.SELECTION:
        return [
            {"code": c["code"], "label": c["label"], "max": c["max"]} for c in rules["criteria"]
        ]
    if council.kind == CouncilKind.IDENTIFICATION:
        return [{"code": "verdict", "label": _("Đạt yêu cầu"), "max": 1}]
    return [{"code": a, "label": aspect_label(a), "max": None} for a in rules.get("aspects", [])]


def _council_out(user, council: Council) -> dict:
    members = council.members.filter(removed_at__isnull=True).select_related("expert")
    seat = next((m for m in members if m.expert_id == user.pk), None)
    reader = can(user, "council.manage", council) or (seat is not None and seat.cleared)
    applications = []
    if council.kind == CouncilKind.SELECTION and reader:
        applications = [
            {"id": a.pk, "organisation": a.organisation}
            for a in council.project.applications.exclude(
                status__in=("withdrawn", "incomplete")
            ).order_by("pk")
        ]
    products = []
    if council.kind == CouncilKind.ACCEPTANCE:
        products = [{"id": p.pk, "name": p.name} for p in council.project.products.all()]
    return {
        "id": council.pk,
        "kind": council.kind,
        "state": council.state,
        "project": {
            "id": council.project.pk,
            "code": council.project.code,
            "title": council.project.title,
        },
        "meeting_date": council.meeting_date,
        "members": [_member_out(m) for m in members],
        "criteria": _criteria(council),
        "products": products,
        "applications": applications,
    }


@router.get("/{pk}", response=CouncilOut, summary="Một hội đồng: thành viên và tiêu chí đánh giá")
def council_get(request, pk: int):
    return _council_out(request.user, _visible(request, pk))


@router.post(
    "/{pk}/conflict",
    response=MemberOut,
    summary="Thành viên khai báo xung đột lợi ích (có xung đột thì rút khỏi hội đồng)",
)
def conflict_declare(request, pk: int, payload: ConflictIn):
    council = _visible(request, pk)
    member = services.conflict_declare(
        actor=request.user,
        member=_seat(request.user, council),
        has_conflict=payload.has_conflict,
        note=payload.note,
        request=request,
    )
    return _member_out(member)


@router.post(
    "/{pk}/ballots",
    response={201: BallotOut},
    summary="Thành viên nộp hoặc sửa phiếu (sửa được đến khi hội đồng kết luận)",
)
def ballot_submit(request, pk: int, payload: BallotIn):
    council = _visible(request, pk)
    _seat(request.user, council)
    application = None
    if payload.application is not None:
        application = council.project.applications.filter(pk=payload.application).first()
        if application is None:
            raise FieldErrors({"application": _("Hồ sơ này không thuộc nhiệm vụ của hội đồng.")})
    ballot = services.ballot_submit(
        actor=request.user,
        council=council,
        payload=payload.payload,
        application=application,
        comment=payload.comment,
        request=request,
    )
    return Status(
        201,
        {
            "id": ballot.pk,
            "council": council.pk,
            "member": ballot.member_id,
            "application": ballot.application_id,
            "payload": ballot.payload,
            "comment": ballot.comment,
            "submitted_at": ballot.submitted_at,
        },
    )


@router.get(
    "/{pk}/result",
    response=ResultOut,
    exclude_unset=True,
    summary="Kết quả của hội đồng (409 khi chưa kết luận)",
)
def council_result(request, pk: int):
    council = _visible(request, pk)
    if council.state != Council.State.CLOSED:
        raise DomainError(_("Hội đồng chưa kết luận."), status=409)
    r = council.result
    out = {
        "outcome": council.outcome,
        "outcome_label": services.outcome_label(council.outcome),
        "mean": r.get("mean"),
        "valid_ballots": r.get("valid_ballots", 0),
        "excluded_ballots": r.get("excluded_ballots", 0),
        "votes": r.get("votes", {}),
        "members_present": r.get("members_present", 0),
        "members_total": r.get("members_total", 0),
    }
    if council.kind == CouncilKind.SELECTION:
        out["ranking"] = [
            {k: row[k] for k in RankingOut.model_fields} for row in r.get("ranking", [])
        ]
    return out
