"""S&T tasks API, a stable contract for other systems and the national platform.

`GET /projects` lists tasks (filters `state`, `kind`, `year`, `q`, `overdue`), nearest
deadline first; `GET /projects/{id}` gives one with its deadlines; `GET
/projects/{id}/actions` the steps the caller may take now; `POST
/projects/{id}/actions/{action}` takes one (the workflow engine's `perform`): 404 out of
reach, 403 wrong role, 409 moved on, 422 badly filled fields, 400 a rule not met.
"""

import datetime as dt
from decimal import Decimal

from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from khcn.accounts.models import Agency
from khcn.core import clock
from khcn.core.permissions import get_visible, require
from khcn.projects import selectors, services
from khcn.projects.models import Kind, Level, Project, ScienceField
from khcn.workflow import engine
from khcn.workflow.api import ActionOut, PerformIn
from khcn.workflow.selectors import deadline_rows

router = Router(tags=["Nhiệm vụ KH&CN"])


class ProjectOut(Schema):
    id: int
    code: str
    title: str
    kind: str
    level: str
    field: str
    year: int
    state: str
    state_label: str
    host: str
    leader: str
    budget_total: Decimal
    next_due: dt.date | None = None

    @staticmethod
    def resolve_state(obj) -> str:
        return obj["state"] if isinstance(obj, dict) else obj.process.state

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj["state_label"] if isinstance(obj, dict) else obj.process.state_label

    @staticmethod
    def resolve_host(obj) -> str:
        return obj["host"] if isinstance(obj, dict) else obj.host_org

    @staticmethod
    def resolve_leader(obj) -> str:
        return obj["leader"] if isinstance(obj, dict) else obj.leader_name

    @staticmethod
    def resolve_next_due(obj):
        return obj["next_due"] if isinstance(obj, dict) else obj.process.next_due


class DeadlineOut(Schema):
    key: str
    label: str
    due_date: dt.date
    status: str
    working_days_left: int | None


class BudgetLineOut(Schema):
    category: str
    source: str
    amount: Decimal


class ProjectDetailOut(ProjectOut):
    start_date: dt.date | None
    end_date: dt.date | None
    budget_state: Decimal
    budget_other: Decimal
    rating: str
    rule_set: str
    call: str | None
    problem: str
    objectives: str
    expected_products: str
    application_place: str
    proposer_org: str
    budget_lines: list[BudgetLineOut]
    deadlines: list[DeadlineOut]


class ProposalIn(Schema):
    agency: int
    title: str
    problem: str
    objectives: str
    expected_products: str
    application_place: str
    proposer_org: str
    year: int
    kind: Kind = Kind.TOPIC
    level: Level = Level.PROVINCIAL
    field: ScienceField = ScienceField.ENGINEERING


def _detail(project: Project) -> dict:
    today = clock.today()
    process = project.process
    return {
        **{
            name: getattr(project, name)
            for name in ("id", "code", "title", "kind", "level", "field", "year")
        },
        "state": process.state,
        "state_label": process.state_label,
        "host": project.host_org,
        "leader": project.leader_name,
        "budget_total": project.budget_total,
        "budget_state": project.budget_state,
        "budget_other": project.budget_other,
        "next_due": process.next_due,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "rating": project.rating,
        "rule_set": f"{process.ruleset.code}@{process.ruleset.version}",
        "call": project.call.code if project.call_id else None,
        "problem": project.problem,
        "objectives": project.objectives,
        "expected_products": project.expected_products,
        "application_place": project.application_place,
        "proposer_org": project.proposer_org,
        "budget_lines": list(project.budget_lines.all()),
        "deadlines": [
            {
                "key": row["deadline"].key,
                "label": row["deadline"].label,
                "due_date": row["deadline"].due,
                "status": row["deadline"].status,
                "working_days_left": row["remaining"] if row["active"] else None,
            }
            for row in deadline_rows(process, today=today)
        ],
    }


def _visible(request, pk: int) -> Project:
    return get_visible(
        request.user,
        "project.view",
        Project.objects.select_related("process__ruleset", "call"),
        pk=pk,
    )


@router.get("/projects", response=list[ProjectOut], summary="Nhiệm vụ KH&CN, hạn gần nhất trước")
@paginate(LimitOffsetPagination)
def project_list(
    request,
    state: str = "",
    kind: str = "",
    year: int | None = None,
    q: str = "",
    overdue: bool = False,
    field: str = "",
):
    require(request.user, "project.view")
    return selectors.projects_for(
        request.user,
        state=state[:50],
        kind=kind[:20],
        year=year,
        q=q[:100],
        overdue=overdue,
        field=field[:2],
        today=clock.today(),
    )


@router.post("/projects", response={201: ProjectDetailOut}, summary="Gửi đề xuất đặt hàng nhiệm vụ")
def project_propose(request, payload: ProposalIn):
    agency = get_visible(
        request.user,
        "proposal.create",
        Agency.objects.filter(kind=Agency.Kind.DEPARTMENT),
        pk=payload.agency,
    )
    project = services.proposal_submit(
        actor=request.user,
        agency=agency,
        **payload.dict(exclude={"agency"}),
        request=request,
    )
    return Status(201, _detail(project))


@router.get("/projects/{pk}", response=ProjectDetailOut, summary="Một nhiệm vụ với các thời hạn")
def project_detail(request, pk: int):
    return _detail(_visible(request, pk))


@router.get(
    "/projects/{pk}/actions", response=list[ActionOut], summary="Các bước người gọi có thể làm"
)
def project_actions(request, pk: int):
    from khcn.workflow.api import process_actions

    project = _visible(request, pk)
    return process_actions(request, project.process_id)


@router.post(
    "/projects/{pk}/actions/{action}",
    response=ProjectDetailOut,
    summary="Thực hiện một bước (409 nếu nhiệm vụ đã được người khác xử lý)",
)
def project_perform(request, pk: int, action: str, payload: PerformIn):
    project = _visible(request, pk)
    engine.perform(
        user=request.user,
        process=project.process,
        action=action,
        data=payload.data,
        remark=payload.remark,
        expected_state=payload.expected_state or None,
        request=request,
    )
    return _detail(_visible(request, pk))


class DashboardOut(Schema):
    total: int
    by_state: dict[str, int]
    by_kind: dict[str, int]
    by_field: dict[str, int]
    by_year: dict[int, int]
    committed: Decimal
    disbursed: Decimal
    overdue_count: int
    figures: dict[str, int]


@router.get("/projects-dashboard", response=DashboardOut, summary="Tổng hợp nhiệm vụ của Sở")
def project_dashboard(request, year: int | None = None):
    from khcn.accounts.middleware import current_agency

    agency = current_agency(request)
    if not agency:
        raise Http404
    require(request.user, "portfolio.view", agency)
    data = selectors.portfolio(request.user, agency=agency, year=year, today=clock.today())
    data["figures"] = selectors.year_figures(agency=agency, year=year or clock.today().year)
    return data
