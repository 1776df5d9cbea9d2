"""The daily deadline sweep: limits that passed become missed; the responsible people get
one digest a day; leaders hear of missed limits only where the rule escalates; a missed
limit's automatic consequence runs once; running the sweep again sends nothing twice."""

import datetime as dt

import pytest

from khcn.accounts.models import Role
from khcn.audit.models import AuditAction, AuditEvent
from khcn.notifications.models import Kind, Notification
from khcn.workflow.engine import perform
from khcn.workflow.jobs import deadline_sweep
from khcn.workflow.models import Deadline, ProcessEvent
from tests.factories import UserFactory, user_with_role

D = dt.date


@pytest.fixture
def leader_a2(agency_a):
    return user_with_role(Role.LEADER, agency_a, username="phogiamdoc.a", full_name="Lê Văn Tâm")


def notes(user, kind=None):
    qs = Notification.objects.filter(recipient=user)
    return list(qs.filter(kind=kind) if kind else qs)


def proposal(make_process, title: str, started: dt.date, **kwargs):
    """A proposal: the leaders must conclude within 30 days (TT 06/2023), reminded 5 NV ahead."""
    return make_process("vn-2013", title=title, today=started, **kwargs)


def test_an_open_deadline_past_its_date_becomes_missed(make_process, agency_b, staff_a):
    ours = proposal(make_process, "Đề xuất A", D(2026, 1, 5))  # due 4/2/2026
    theirs = proposal(make_process, "Đề xuất B", D(2026, 1, 5), agency=agency_b)

    on_the_day = deadline_sweep(today=D(2026, 2, 4))
    assert on_the_day.missed == 0
    assert Deadline.objects.filter(status=Deadline.Status.OPEN).count() == 2

    next_day = deadline_sweep(today=D(2026, 2, 5))

    assert next_day.missed == 2
    for process in (ours, theirs):
        row = Deadline.objects.get(process=process)
        assert (row.status, row.missed_on, row.closed_on) == (
            Deadline.Status.MISSED,
            D(2026, 2, 5),
            None,
        )
    events = AuditEvent.objects.filter(action=AuditAction.DEADLINE_MISSED)
    assert sorted(e.agency_id for e in events) == sorted([ours.agency_id, theirs.agency_id])
    assert all(e.after["count"] == 1 for e in events)


def test_reminders_come_n_working_days_ahead_as_one_digest_per_user(
    make_process, leader_a, leader_a2, staff_a, host_a
):
    # Due Wednesday 4/2/2026; remind_before = 5 working days → from Wednesday 28/1/2026.
    first = proposal(make_process, "Đề xuất ứng dụng IoT trong nuôi tôm", D(2026, 1, 5))
    second = proposal(make_process, "Đề xuất bản đồ số vùng trồng vải", D(2026, 1, 5))
    assert {r.remind_on for r in Deadline.objects.all()} == {D(2026, 1, 28)}

    assert deadline_sweep(today=D(2026, 1, 27)).reminded == 0
    assert Notification.objects.count() == 0

    result = deadline_sweep(today=D(2026, 1, 28))

    assert result.reminded == 2
    for leader in (leader_a, leader_a2):
        (digest,) = notes(leader)
        assert digest.kind == Kind.DEADLINE_REMINDER
        assert digest.title == "2 việc sắp đến hạn"
        assert first.title in digest.body and second.title in digest.body
        assert "04/02/2026" in digest.body
    assert notes(staff_a) == [] and notes(host_a) == []


def test_a_host_deadline_reminds_the_host_of_that_record_only(make_process, host_a, staff_a):
    other_host = UserFactory(username="chutri.b", full_name="Ngô Thị Hạnh")

    def revising(title, host):
        process = make_process("vn-2013", state="DIRECT_ASSIGNMENT", title=title, host=host)
        # TT 20/2023 Đ11: the description revised within 20 days: 2/3 + 20 = Sunday 22/3
        # → Monday 23/3/2026; reminded 3 working days ahead, from 18/3/2026.
        return perform(
            user=staff_a, process=process, action="request_revision", today=D(2026, 3, 2)
        )

    mine = [revising("Nhiệm vụ 1", host_a), revising("Nhiệm vụ 2", host_a)]
    theirs = revising("Nhiệm vụ 3", other_host)
    Notification.objects.all().delete()  # the step's own notices

    deadline_sweep(today=D(2026, 3, 18))

    (digest,) = notes(host_a)
    assert digest.kind == Kind.DEADLINE_REMINDER
    assert all(p.title in digest.body for p in mine)
    assert theirs.title not in digest.body
    (their_digest,) = notes(other_host)
    assert theirs.title in their_digest.body and mine[0].title not in their_digest.body
    assert notes(staff_a) == []


def test_missed_limits_reach_the_leaders_only_where_the_rule_escalates(
    make_process, staff_a, host_a, leader_a, leader_a2, agency_b
):
    leader_b = user_with_role(Role.LEADER, agency_b, username="lanhdao.b")
    # Not escalated: opening the dossiers, 7 NV after the call closes (2/4 → 13/4/2026).
    calling = make_process("vn-2013", state="ORDERED", title="Nhiệm vụ đang tuyển chọn")
    perform(
        user=staff_a,
        process=calling,
        action="open_call",
        data={"call_open_date": "02/03/2026", "call_close_date": "02/04/2026"},
        today=D(2026, 3, 2),
    )
    # Escalated: submitting for approval within 30 days (TT 20/2023 Đ15: 2/3 → 1/4/2026);
    # also the host's revision within 15 days (not escalated).
    appraised = make_process("vn-2013", state="WINNER_REVISING", title="Nhiệm vụ chờ phê duyệt")
    perform(
        user=staff_a,
        process=appraised,
        action="appraise_budget",
        data={"appraisal_date": "02/03/2026", "appraised_budget": "900.000.000"},
        today=D(2026, 3, 2),
    )
    Notification.objects.all().delete()

    result = deadline_sweep(today=D(2026, 5, 4))

    assert result.missed == 3
    assert result.escalated == 1
    (staff_digest,) = notes(staff_a)
    assert staff_digest.kind == Kind.DEADLINE_MISSED
    assert staff_digest.title == "2 việc của bạn đã quá hạn"
    assert calling.title in staff_digest.body and appraised.title in staff_digest.body
    (host_digest,) = notes(host_a)
    assert host_digest.title == "1 việc của bạn đã quá hạn"
    assert "Hoàn thiện hồ sơ sau thẩm định kinh phí" in host_digest.body
    for leader in (leader_a, leader_a2):
        (escalation,) = notes(leader)
        assert escalation.title == "1 hồ sơ quá hạn cần lãnh đạo chỉ đạo"
        assert appraised.title in escalation.body
        assert calling.title not in escalation.body
    assert notes(leader_b) == []


def test_the_automatic_consequence_of_a_missed_limit_runs_once(make_process, host_a):
    # Hà Nội: end 15/5/2026, so the dossier is "6 months late" after 15/12/2026.
    process = make_process(
        "hn-05-2021",
        state="CONTRACTED",
        data={"start_date": "2025-06-01", "end_date": "2026-05-15"},
    )
    perform(user=host_a, process=process, action="start", today=D(2026, 1, 5))
    assert deadline_sweep(today=D(2026, 12, 15)).automatic == 0

    result = deadline_sweep(today=D(2026, 12, 16))

    assert result.automatic == 1
    assert result.automatic_refused == []
    process.refresh_from_db()
    assert process.state == "FAILED"
    auto = process.events.get(action="auto_fail")
    assert (auto.actor, auto.from_state) == (None, "IN_PROGRESS")
    assert not Deadline.objects.filter(process=process, closed_on__isnull=True).exists()
    assert deadline_sweep(today=D(2026, 12, 16)).automatic == 0
    assert deadline_sweep(today=D(2026, 12, 17)).automatic == 0
    assert process.events.filter(action="auto_fail").count() == 1


@pytest.fixture
def busy_day(make_process, host_a, leader_a, staff_a):
    """On 16/12/2026: one limit to remind, one missed (not escalated), two missed Hà Nội limits
    (escalated) of which one fails the task automatically."""
    proposal(make_process, "Đề xuất cũ", D(2026, 1, 5))  # due 4/2/2026, missed
    # Started 20/11/2026: due Sunday 20/12 → Monday 21/12/2026; reminded from 14/12/2026.
    proposal(make_process, "Đề xuất mới", D(2026, 11, 20))
    late = make_process(
        "hn-05-2021",
        state="CONTRACTED",
        data={"start_date": "2025-06-01", "end_date": "2026-05-15"},
    )
    perform(user=host_a, process=late, action="start", today=D(2026, 1, 5))
    return D(2026, 12, 16)


def traces():
    """Everything a sweep may leave behind."""
    return (
        Notification.objects.count(),
        AuditEvent.objects.count(),
        ProcessEvent.objects.count(),
        sorted(
            Deadline.objects.values_list(
                "pk", "status", "reminded_at", "escalated_at", "auto_done_at", "closed_on"
            )
        ),
    )


def test_running_the_sweep_twice_on_a_day_does_nothing_the_second_time(busy_day):
    first = deadline_sweep(today=busy_day)
    assert (first.missed, first.reminded, first.escalated, first.automatic) == (3, 1, 2, 1)
    after_first = traces()

    again = deadline_sweep(today=busy_day)

    assert (again.missed, again.reminded, again.escalated, again.automatic) == (0, 0, 0, 0)
    assert traces() == after_first


def test_the_next_day_sends_nothing_new_for_the_same_deadlines(busy_day):
    deadline_sweep(today=busy_day)
    after_first = traces()

    next_day = deadline_sweep(today=busy_day + dt.timedelta(days=1))

    assert (next_day.missed, next_day.reminded, next_day.escalated, next_day.automatic) == (
        0,
        0,
        0,
        0,
    )
    assert traces() == after_first
