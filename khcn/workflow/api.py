"""Workflow API: rule sets, records, their deadlines and history, and taking a step.

`POST /processes/{id}/actions/{action}` is the engine's `perform`: 404 for a
record out of reach, 403 for a step the user's role may not take, 409 if the
record moved on (send `expected_state` to be told), 422 for badly filled
fields (`errors` per field), 400 when a condition of the step fails.
"""

import datetime as dt

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from khcn.core import clock
from khcn.core.permissions import get_visible, require
from khcn.workflow import engine, selectors
from khcn.workflow.diagram import mermaid
from khcn.workflow.models import Process, RuleSetVersion

router = Router(tags=["Quy trình"])


class RuleSetOut(Schema):
    code: str
    version: int
    title: str
    is_current: bool
    loaded_at: dt.datetime


class RuleSetDetailOut(RuleSetOut):
    definition: dict


class DiagramOut(Schema):
    code: str
    version: int
    mermaid: str


class DeadlineOut(Schema):
    key: str
    label: str
    due: dt.date
    status: str
    responsible: str
    active: bool
    working_days_left: int | None


class EventOut(Schema):
    seq: int
    action: str
    label: str
    from_state: str
    to_state: str
    actor: str | None
    at: dt.datetime
    remark: str
    data: dict


class FieldOut(Schema):
    name: str
    label: str
    type: str
    required: bool
    choices: list[list[str]]


class ActionOut(Schema):
    action: str
    label: str
    target: str
    allowed: bool
    reason: str
    fields: list[FieldOut]


class ProcessOut(Schema):
    id: int
    title: str
    reference: str
    agency_id: int
    ruleset: str
    ruleset_version: int
    state: str
    state_label: str
    state_entered_at: dt.datetime
    closed: bool
    next_due: dt.date | None = None

    @staticmethod
    def resolve_ruleset(obj) -> str:
        return obj.ruleset.code if isinstance(obj, Process) else obj["ruleset"]

    @staticmethod
    def resolve_ruleset_version(obj) -> int:
        return obj.ruleset.version if isinstance(obj, Process) else obj["ruleset_version"]

    @staticmethod
    def resolve_closed(obj) -> bool:
        return obj.is_closed if isinstance(obj, Process) else obj["closed"]


class ProcessDetailOut(ProcessOut):
    data: dict
    deadlines: list[DeadlineOut]
    history: list[EventOut]


class PerformIn(Schema):
    data: dict = {}
    remark: str = ""
    expected_state: str | None = None


def _process_out(p: Process) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "reference": p.reference,
        "agency_id": p.agency_id,
        "ruleset": p.ruleset.code,
        "ruleset_version": p.ruleset.version,
        "state": p.state,
        "state_label": p.state_label,
        "state_entered_at": p.state_entered_at,
        "closed": p.is_closed,
        "next_due": getattr(p, "next_due", None),
    }


def _detail(p: Process) -> dict:
    today = clock.today()
    rows = selectors.deadline_rows(p, today=today)
    return {
        **_process_out(p),
        "data": p.data,
        "deadlines": [
            {
                "key": r["deadline"].key,
                "label": r["deadline"].label,
                "due": r["deadline"].due,
                "status": r["deadline"].status,
                "responsible": r["deadline"].responsible,
                "active": r["active"],
                "working_days_left": r["remaining"] if r["active"] else None,
            }
            for r in rows
        ],
        "history": [
            {
                "seq": e.seq,
                "action": e.action,
                "label": e.label,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "actor": e.actor.username if e.actor else None,
                "at": e.at,
                "remark": e.remark,
                "data": e.data,
            }
            for e in p.events.select_related("actor").order_by("seq")
        ],
    }


def _version(code: str, version: int | None) -> RuleSetVersion:
    qs = RuleSetVersion.objects.filter(code=code)
    found = qs.filter(version=version).first() if version else qs.filter(is_current=True).first()
    if found is None:
        raise Http404
    return found


@router.get("/rulesets", response=list[RuleSetOut], summary="Các bộ quy tắc (phiên bản hiện hành)")
def ruleset_list(request, all_versions: bool = False):
    require(request.user, "ruleset.view")
    qs = RuleSetVersion.objects.order_by("code", "-version")
    return qs if all_versions else qs.filter(is_current=True)


@router.get("/rulesets/{code}", response=RuleSetDetailOut, summary="Nội dung một bộ quy tắc")
def ruleset_detail(request, code: str, version: int | None = None):
    require(request.user, "ruleset.view")
    return _version(code, version)


@router.get("/rulesets/{code}/diagram", response=DiagramOut, summary="Sơ đồ trạng thái (Mermaid)")
def ruleset_diagram(request, code: str, version: int | None = None):
    require(request.user, "ruleset.view")
    found = _version(code, version)
    return {"code": found.code, "version": found.version, "mermaid": mermaid(found.rules)}


@router.get(
    "/processes", response=list[ProcessOut], summary="Hồ sơ theo quy trình, hạn gần nhất trước"
)
@paginate(LimitOffsetPagination)
def process_list(
    request, ruleset: str = "", state: str = "", due: str = "", q: str = "", closed: bool = False
):
    require(request.user, "workflow.view")
    return selectors.processes_for(
        request.user,
        ruleset=ruleset[:50],
        state=state[:50],
        due=due[:20],
        q=q[:100],
        include_closed=closed,
        today=clock.today(),
    )


def _visible(request, pk: int) -> Process:
    return get_visible(
        request.user, "workflow.view", Process.objects.select_related("ruleset"), pk=pk
    )


@router.get(
    "/processes/{pk}", response=ProcessDetailOut, summary="Một hồ sơ: dữ liệu, thời hạn, lịch sử"
)
def process_detail(request, pk: int):
    return _detail(_visible(request, pk))


@router.get(
    "/processes/{pk}/actions", response=list[ActionOut], summary="Các bước người dùng có thể làm"
)
def process_actions(request, pk: int):
    process = _visible(request, pk)
    return [
        {
            "action": o.action,
            "label": o.label,
            "target": o.transition.target,
            "allowed": o.allowed,
            "reason": o.reason,
            "fields": [
                {
                    "name": f.name,
                    "label": f.label,
                    "type": f.type,
                    "required": f.required,
                    "choices": [list(c) for c in f.choices],
                }
                for f in o.fields
            ],
        }
        for o in engine.available_actions(request.user, process)
    ]


@router.post(
    "/processes/{pk}/actions/{action}",
    response=ProcessDetailOut,
    summary="Thực hiện một bước (409 nếu hồ sơ đã được người khác xử lý)",
)
def process_perform(request, pk: int, action: str, payload: PerformIn):
    process = _visible(request, pk)
    done = engine.perform(
        user=request.user,
        process=process,
        action=action,
        data=payload.data,
        remark=payload.remark,
        expected_state=payload.expected_state,
        request=request,
    )
    return _detail(done)
