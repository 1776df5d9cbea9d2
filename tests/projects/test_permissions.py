"""Who may do what on a task, as a matrix: the agency's people, the task's parties, council
members before and after declaring, another agency's staff and strangers."""

import pytest

from khcn.core.permissions import can
from khcn.councils.services import conflict_declare, council_open
from tests.factories import UserFactory
from tests.projects.steps import apply, identify, open_call, propose, run_council

pytestmark = pytest.mark.django_db

ACTIONS = (
    "project.view",
    "project.manage",
    "project.report",
    "project.attach",
    "application.view",
    "workflow.view",
    "workflow.attach",
    "council.view",
    "council.manage",
)

# who → the actions allowed (everything else refused)
MATRIX = {
    "staff": {a for a in ACTIONS if a != "project.report"},
    "leader": {a for a in ACTIONS if a != "project.report"},
    "applicant": {"project.view", "application.view", "workflow.view", "workflow.attach"},
    "proposer": {"project.view", "workflow.view", "workflow.attach"},
    "cleared expert": {"project.view", "application.view", "workflow.view", "council.view"},
    "undeclared expert": {"council.view"},
    "other agency": set(),
    "stranger": set(),
}


@pytest.fixture
def world(rulesets, agency_a, staff_a, leader_a, staff_b, host, proposer, experts):
    project = propose(proposer, agency_a)
    identify(staff_a, leader_a, project, experts)
    open_call(staff_a, project)
    project.refresh_from_db()
    application = apply(host, project, "Trường Đại học Hải Phòng", "TS. Lê Minh Tuấn")
    from tests.projects.steps import D, act

    act(staff_a, project, "open_dossiers", D(2026, 3, 2), opened_date=D(2026, 3, 2))
    # experts 4–10: the last two sat on no earlier council of this task
    council = run_council(
        staff_a, project, "selection", experts[4:], day=D(2026, 3, 3), ballot=None, size=7
    )
    council_open(actor=staff_a, council=council)
    seats = list(council.members.order_by("pk"))
    conflict_declare(actor=seats[0].expert, member=seats[0], has_conflict=False)
    people = {
        "staff": staff_a,
        "leader": leader_a,
        "applicant": host,
        "proposer": proposer,
        "cleared expert": seats[0].expert,
        "undeclared expert": seats[-1].expert,
        "other agency": staff_b,
        "stranger": UserFactory(username="khach"),
    }
    return project, application, council, people


def target(action, project, application, council):
    return {
        "application": application,
        "workflow": project.process,
        "council": council,
    }.get(action.split(".")[0], project)


@pytest.mark.parametrize("who", list(MATRIX))
def test_permission_matrix(world, who):
    project, application, council, people = world
    user = people[who]
    allowed = {a for a in ACTIONS if can(user, a, target(a, project, application, council))}
    assert allowed == MATRIX[who]
