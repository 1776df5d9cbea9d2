"""Who may apply (TT 20/2023 Đ4), read from the system's own history; the periods and limits
come from `[rules.eligibility]` of the agency's rule set."""

import datetime as dt

import pytest

from khcn.projects.models import ApplicationReport, Ineligibility, Project
from khcn.projects.selectors import eligibility_problems
from khcn.workflow.models import Deadline, Process
from tests.projects.steps import D, propose

pytestmark = pytest.mark.django_db

ORG, LEADER = "Trường Đại học Hải Phòng", "TS. Lê Minh Tuấn"
TODAY = D(2026, 11, 20)


@pytest.fixture
def earlier(rulesets, proposer, agency_a):
    """An earlier task of the same host and leader, placed in a state by the test (set-up)."""

    def make(state: str, *, entered: dt.date = dt.date(2025, 1, 10), level: str = "tinh"):
        project = propose(proposer, agency_a, title=f"Nhiệm vụ trước đây ({state})")
        Project.objects.filter(pk=project.pk).update(
            host_org=ORG,
            host_key="truong dai hoc hai phong",
            leader_name=LEADER,
            leader_key="ts. le minh tuan",
            level=level,
        )
        Process.objects.filter(pk=project.process_id).update(
            state=state,
            state_entered_at=dt.datetime(
                entered.year, entered.month, entered.day, 9, tzinfo=dt.UTC
            ),
        )
        project.refresh_from_db()
        return project

    return make


def problems(agency, **kw):
    args = {"organisation": ORG, "leader_name": LEADER, "level": "tinh", "today": TODAY} | kw
    return eligibility_problems(agency=agency, **args)


def missed(project: Project, key: str, *, due: dt.date, closed: dt.date | None = None) -> None:
    Deadline.objects.create(
        process=project.process,
        agency=project.agency,
        key=key,
        label=key,
        due=due,
        status=Deadline.Status.MISSED,
        responsible="host",
        opened_on=due - dt.timedelta(days=30),
        missed_on=due + dt.timedelta(days=1),
        closed_on=closed,
    )


def test_a_clean_history_is_eligible(agency_a, rulesets):
    assert problems(agency_a) == []


def test_a_bar_applies_to_the_organisation_or_the_leader_until_its_end(agency_a, rulesets):
    Ineligibility.objects.create(
        agency=agency_a,
        subject="person",
        name=LEADER,
        reason="Nhiệm vụ X không đạt",
        since=D(2024, 1, 1),
        until=D(2026, 12, 31),
    )
    assert any("đến hết ngày 31/12/2026" in p for p in problems(agency_a))
    assert problems(agency_a, today=D(2027, 1, 1)) == []
    # matched without diacritics or case: the same person typed differently
    assert problems(agency_a, leader_name="ts. le minh tuan")
    assert problems(agency_a, leader_name="TS. Lê Minh Tuấn ", organisation="Viện khác")
    assert problems(agency_a, leader_name="TS. Nguyễn Văn An") == []


def test_a_refund_still_owed(agency_a, earlier):
    task = earlier("REFUND_SET")
    assert problems(agency_a) == [f"Chưa hoàn trả kinh phí của nhiệm vụ {task.code}."]


def test_results_not_registered_in_time(agency_a, earlier):
    task = earlier("PASSED")
    assert problems(agency_a) == []
    missed(task, "dossier_finalisation", due=D(2026, 6, 1))
    assert problems(agency_a) == [f"Chưa đăng ký kết quả của nhiệm vụ {task.code} đúng hạn."]


def test_no_application_report_twelve_months_after_liquidation(agency_a, earlier):
    task = earlier("LIQUIDATED", entered=D(2025, 11, 1))
    assert problems(agency_a) == [f"Chưa báo cáo ứng dụng kết quả của nhiệm vụ {task.code}."]
    assert problems(agency_a, today=D(2026, 10, 31)) == []  # not yet 12 months
    ApplicationReport.objects.create(
        project=task, place="Cảng Đình Vũ", description="Đang áp dụng", reported_on=D(2026, 5, 1)
    )
    assert problems(agency_a) == []


def test_an_acceptance_dossier_more_than_thirty_days_late(agency_a, earlier):
    task = earlier("CLOSED", entered=D(2026, 10, 1))
    ApplicationReport.objects.create(
        project=task, place="x", description="x", reported_on=D(2026, 5, 1)
    )
    missed(task, "acceptance_dossier", due=D(2025, 3, 1), closed=D(2025, 3, 31))  # exactly 30 days
    assert problems(agency_a) == []
    Deadline.objects.filter(process=task.process).update(closed_on=D(2025, 4, 1))  # 31 days
    assert problems(agency_a) == [f"Nhiệm vụ {task.code} nộp hồ sơ nghiệm thu chậm quá 30 ngày."]


def test_the_leader_already_runs_a_task_at_the_same_level(agency_a, earlier):
    task = earlier("IN_PROGRESS")
    assert problems(agency_a) == [f"{LEADER} đang chủ nhiệm nhiệm vụ {task.code} cùng cấp."]
    assert problems(agency_a, level="co_so") == []
    assert problems(agency_a, leader_name="TS. Nguyễn Văn An") == []
