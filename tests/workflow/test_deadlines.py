"""Deadline rows: computed from the rule set's anchor, offset, unit, direction and cap on the
one working-day calendar; moved when their anchor moves; closed as met or missed when the
record leaves their states; paused and resumed; waived by a leader with a reason."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from khcn.audit.models import AuditAction, AuditEvent
from khcn.core.errors import ConflictError, DomainError
from khcn.workflow.engine import deadline_waive, perform, process_start
from khcn.workflow.fields import FieldErrors
from khcn.workflow.jobs import deadline_sweep
from khcn.workflow.loader import ruleset_load_all
from khcn.workflow.models import Deadline
from khcn.workflow.selectors import deadline_rows, processes_for

D = dt.date
TASK_START, TASK_END, STARTED_ON = D(2025, 6, 1), D(2026, 5, 15), D(2026, 1, 5)


@pytest.fixture
def in_progress(make_process, host_a):
    """`in_progress(code, start, end, today)`: a contracted task its host has just started."""

    def make(code="vn-2013", *, start=TASK_START, end=TASK_END, today=STARTED_ON):
        data = {"start_date": start.isoformat(), "end_date": end.isoformat()}
        process = make_process(code, state="CONTRACTED", data=data, today=today)
        return perform(user=host_a, process=process, action="start", today=today)

    return make


def active(process, key: str) -> Deadline:
    return Deadline.objects.get(process=process, key=key, closed_on__isnull=True)


# --- computing the due date -----------------------------------------------------------------


def test_hanoi_acceptance_dossier_is_due_30_working_days_before_the_end(in_progress):
    # QĐ 05/2021/QĐ-UBND; DOMAIN §9's checked example: 30 NV before 15/5/2026 is 31/3/2026
    # (30/4, 1/5 and the Hùng Kings' day observed on 27/4 are not counted).
    process = in_progress("hn-05-2021", end=D(2026, 5, 15))

    row = active(process, "acceptance_dossier")

    assert row.due == D(2026, 3, 31)
    assert row.responsible == "host"
    assert row.remind_on == D(2026, 3, 17)  # remind_before = 10 working days
    assert row.status == Deadline.Status.OPEN


def test_national_acceptance_dossier_is_due_30_days_after_the_end_moved_off_a_day_off(
    in_progress,
):
    # TT 11/2014 Đ7: 15/5/2026 + 30 days = Sunday 14/6/2026 → Monday 15/6/2026 (BLDS Đ148).
    process = in_progress("vn-2013", end=D(2026, 5, 15))

    assert active(process, "acceptance_dossier").due == D(2026, 6, 15)
    # TT 11/2014 Đ13: six months after that limit the task is rated Không đạt.
    assert active(process, "acceptance_dossier_late").due == D(2026, 12, 15)


@pytest.mark.parametrize(
    ("recognised", "due"),
    [
        # 20/11/2026 + 60 days = 19/1/2027, past the budget year: capped at Thursday 31/12/2026,
        # the last working day of 2026.
        (D(2026, 11, 20), D(2026, 12, 31)),
        # 2/3/2026 + 60 days = Friday 1/5/2026 (Labour Day), then the weekend: Monday 4/5/2026.
        (D(2026, 3, 2), D(2026, 5, 4)),
    ],
)
def test_hanoi_liquidation_is_due_60_days_after_recognition_within_the_year(
    make_process, leader_a, recognised, due
):
    process = make_process("hn-05-2021", state="RESULT_REGISTERED")

    perform(
        user=leader_a,
        process=process,
        action="recognise",
        data={"recognition_no": "88/QĐ-SKHCN", "recognition_date": f"{recognised:%d/%m/%Y}"},
        today=recognised,
    )

    assert active(process, "liquidation").due == due


def test_an_approved_extension_moves_the_acceptance_deadlines(in_progress, host_a, leader_a):
    process = in_progress("vn-2013", end=D(2026, 5, 15), today=D(2026, 1, 5))
    first = active(process, "acceptance_dossier")

    perform(
        user=host_a,
        process=process,
        action="request_extension",
        data={"new_end_date": "14/08/2026"},
        remark="Cần thêm một vụ thử nghiệm.",
        today=D(2026, 3, 2),
    )
    assert active(process, "acceptance_dossier").due == D(2026, 6, 15)  # not approved yet
    perform(user=leader_a, process=process, action="approve_extension", today=D(2026, 3, 9))

    process.refresh_from_db()
    assert process.data["end_date"] == "2026-08-14"
    # 14/8/2026 + 30 days = Sunday 13/9/2026 → Monday 14/9/2026; the same row, moved.
    moved = active(process, "acceptance_dossier")
    assert (moved.pk, moved.due) == (first.pk, D(2026, 9, 14))
    # …and the limit anchored on it: 14/9/2026 + 6 months = Sunday 14/3/2027 → Monday 15/3/2027.
    assert active(process, "acceptance_dossier_late").due == D(2027, 3, 15)


# --- opening and closing rows with the state ------------------------------------------------


@pytest.mark.parametrize(
    ("decided", "status"),
    [
        (D(2026, 2, 4), Deadline.Status.MET),  # the last day counts as in time
        (D(2026, 2, 5), Deadline.Status.MISSED),
    ],
)
def test_leaving_the_state_closes_the_deadline_as_met_or_missed(
    make_process, leader_a, decided, status
):
    # TT 06/2023: identification concluded within 30 days of 5/1/2026, i.e. by 4/2/2026.
    process = make_process("vn-2013", today=D(2026, 1, 5))
    assert active(process, "identification_conclusion").due == D(2026, 2, 4)

    perform(
        user=leader_a,
        process=process,
        action="reject_proposal",
        remark="Trùng với nhiệm vụ đã thực hiện.",
        today=decided,
    )

    row = Deadline.objects.get(process=process, key="identification_conclusion")
    assert (row.status, row.closed_on) == (status, decided)
    assert row.missed_on == (decided if status == Deadline.Status.MISSED else None)


def test_entering_a_state_again_opens_a_new_row(make_process, host_a, leader_a):
    process = make_process("vn-2013", state="IN_PROGRESS")
    change = {"change_kind": "team"}

    perform(
        user=host_a,
        process=process,
        action="request_change",
        data=change,
        remark="Đổi thư ký khoa học.",
        today=D(2026, 3, 2),
    )
    perform(
        user=leader_a,
        process=process,
        action="approve_change",
        data={"change_decision_no": "20/SKHCN-QLKH"},
        today=D(2026, 3, 10),
    )
    perform(
        user=host_a,
        process=process,
        action="request_change",
        data=change,
        remark="Đổi chủ nhiệm nhiệm vụ.",
        today=D(2026, 4, 6),
    )

    rows = list(Deadline.objects.filter(process=process, key="change_answer").order_by("id"))
    assert [(r.opened_on, r.due, r.status, r.closed_on) for r in rows] == [
        (D(2026, 3, 2), D(2026, 4, 1), Deadline.Status.MET, D(2026, 3, 10)),
        # 6/4/2026 + 30 days = 6/5/2026
        (D(2026, 4, 6), D(2026, 5, 6), Deadline.Status.OPEN, None),
    ]


PAUSING = """
code = "thu-tuc-thu"
title = "Thủ tục hành chính thử nghiệm"
subject = "dossier"
initial = "RECEIVED"

[states.RECEIVED]
label = "Đã tiếp nhận"

[states.SUPPLEMENT]
label = "Chờ bổ sung hồ sơ"

[states.REVIEWING]
label = "Đang thẩm định"

[states.DONE]
label = "Đã trả kết quả"
terminal = true

[[transitions]]
action = "request_supplement"
label = "Yêu cầu bổ sung"
from = "RECEIVED"
to = "SUPPLEMENT"
roles = ["staff"]

[[transitions]]
action = "supplement"
label = "Bổ sung hồ sơ"
from = "SUPPLEMENT"
to = "RECEIVED"
roles = ["staff"]

[[transitions]]
action = "review"
label = "Chuyển thẩm định"
from = "RECEIVED"
to = "REVIEWING"
roles = ["staff"]

[[transitions]]
action = "decide"
label = "Trả kết quả"
from = "REVIEWING"
to = "DONE"
roles = ["leader"]

[[deadlines]]
key = "decision"
label = "Trả kết quả"
states = ["RECEIVED", "REVIEWING"]
paused_in = ["SUPPLEMENT"]
anchor = "{anchor}"
offset = 10
unit = "working"
responsible = "staff"
"""


@pytest.mark.parametrize("anchor", ["entered", "field:received_date"])
def test_a_paused_clock_stops_and_resumes_extending_the_due_date(
    rule_dir, agency_a, staff_a, anchor
):
    (rule_dir / "thu-tuc-thu.toml").write_text(PAUSING.format(anchor=anchor), encoding="utf-8")
    ruleset_load_all()
    # Received Monday 2/3/2026: 10 working days → Monday 16/3/2026.
    dossier = process_start(
        actor=staff_a,
        agency=agency_a,
        ruleset="thu-tuc-thu",
        title="Hồ sơ đề nghị chứng nhận doanh nghiệp KH&CN",
        data={"received_date": "2026-03-02"},
        today=D(2026, 3, 2),
    )
    assert active(dossier, "decision").due == D(2026, 3, 16)

    perform(user=staff_a, process=dossier, action="request_supplement", today=D(2026, 3, 4))
    row = active(dossier, "decision")
    assert (row.paused_since, row.due) == (D(2026, 3, 4), D(2026, 3, 16))
    # The original date passes while the applicant supplements: nothing is missed.
    assert deadline_sweep(today=D(2026, 3, 20)).missed == 0

    perform(user=staff_a, process=dossier, action="supplement", today=D(2026, 3, 25))

    # Paused for the 15 working days 5/3–25/3: 16/3 + 15 working days = Monday 6/4/2026
    # (2 days used before the pause, 8 left after 25/3).
    row = active(dossier, "decision")
    assert row.paused_since is None
    assert row.due == D(2026, 4, 6)
    assert row.status == Deadline.Status.OPEN

    # A later step still under the same limit keeps the time given back.
    perform(user=staff_a, process=dossier, action="review", today=D(2026, 3, 26))
    assert active(dossier, "decision").due == D(2026, 4, 6)
    assert deadline_sweep(today=D(2026, 4, 6)).missed == 0


# --- waiving ---------------------------------------------------------------------------------


@pytest.fixture
def overdue(make_process, freeze):
    """A proposal whose identification limit (4/2/2026) has passed; today is 10/2/2026."""
    process = make_process("vn-2013", today=D(2026, 1, 5))
    freeze(D(2026, 2, 10))
    return process


def test_a_leader_waives_a_deadline_with_a_reason_and_it_no_longer_counts_as_overdue(
    overdue, leader_a, staff_a
):
    row = active(overdue, "identification_conclusion")
    today = D(2026, 2, 10)
    assert [p.pk for p in processes_for(staff_a, due="qua_han", today=today)] == [overdue.pk]

    deadline_waive(actor=leader_a, deadline=row, reason="Chờ ý kiến của UBND tỉnh.")

    row.refresh_from_db()
    assert row.status == Deadline.Status.WAIVED
    assert (row.waived_by, row.note) == (leader_a, "Chờ ý kiến của UBND tỉnh.")
    event = AuditEvent.objects.get(action=AuditAction.DEADLINE_WAIVED)
    assert event.actor == leader_a
    assert event.object_id == str(overdue.pk)
    assert event.after["reason"] == "Chờ ý kiến của UBND tỉnh."
    assert list(processes_for(staff_a, due="qua_han", today=today)) == []
    assert not any(r["overdue"] for r in deadline_rows(overdue, today=today))
    assert deadline_sweep(today=today).missed == 0


@pytest.mark.parametrize("reason", ["", "   "])
def test_waiving_needs_a_reason(overdue, leader_a, reason):
    row = active(overdue, "identification_conclusion")

    with pytest.raises(FieldErrors) as refused:
        deadline_waive(actor=leader_a, deadline=row, reason=reason)

    assert refused.value.errors == {"reason": "Cần ghi lý do miễn thời hạn."}
    row.refresh_from_db()
    assert row.status == Deadline.Status.OPEN


@pytest.mark.parametrize(
    ("who", "refusal"),
    [("staff_a", PermissionDenied), ("admin_a", PermissionDenied), ("staff_b", Http404)],
)
def test_only_a_leader_of_the_agency_waives(overdue, request, who, refusal):
    row = active(overdue, "identification_conclusion")

    with pytest.raises(refusal):
        deadline_waive(actor=request.getfixturevalue(who), deadline=row, reason="Lý do.")

    row.refresh_from_db()
    assert row.status == Deadline.Status.OPEN
    assert not AuditEvent.objects.filter(action=AuditAction.DEADLINE_WAIVED).exists()


def test_a_waiver_holds_while_the_record_stays_under_the_rule(
    in_progress, host_a, leader_a, freeze
):
    # Hà Nội: the acceptance dossier was due 31/3/2026; on 2/4/2026 the leader lifts that
    # limit. The host then asks for a change (CHANGE_PENDING is still under the same rule):
    # the limit must stay lifted, not come back as a fresh, already missed row.
    process = in_progress("hn-05-2021", end=D(2026, 5, 15), today=D(2026, 1, 5))
    freeze(D(2026, 4, 2))
    deadline_waive(
        actor=leader_a,
        deadline=active(process, "acceptance_dossier"),
        reason="Chờ kết quả kiểm định mẫu của Viện.",
    )

    perform(
        user=host_a,
        process=process,
        action="request_change",
        data={"change_kind": "content"},
        remark="Điều chỉnh sản phẩm dạng II.",
        today=D(2026, 4, 2),
    )

    rows = Deadline.objects.filter(process=process, key="acceptance_dossier")
    assert [r.status for r in rows] == [Deadline.Status.WAIVED]
    assert deadline_sweep(today=D(2026, 4, 3)).missed == 0


def test_a_missed_deadline_moved_into_the_future_is_open_again(in_progress, host_a, leader_a):
    # Hà Nội: end 15/5/2026 → dossier due 31/3/2026, missed by 1/4/2026. An extension to
    # 14/8/2026 (asked 2/4, at least a month before the end) moves it to 30 NV before 14/8:
    # 10 in August (3–13/8), 20 in July (6–31/7), and Friday 3/7/2026.
    process = in_progress("hn-05-2021", end=D(2026, 5, 15), today=D(2026, 1, 5))
    deadline_sweep(today=D(2026, 4, 1))
    assert active(process, "acceptance_dossier").status == Deadline.Status.MISSED

    request_extension(process, host_a, D(2026, 8, 14), today=D(2026, 4, 2))
    perform(user=leader_a, process=process, action="approve_extension", today=D(2026, 4, 3))

    row = active(process, "acceptance_dossier")
    assert row.due == D(2026, 7, 3)
    assert (row.status, row.missed_on, row.escalated_at) == (Deadline.Status.OPEN, None, None)


def test_a_closed_deadline_cannot_be_waived(overdue, leader_a):
    row = active(overdue, "identification_conclusion")
    deadline_waive(actor=leader_a, deadline=row, reason="Chờ ý kiến của UBND tỉnh.")

    with pytest.raises(ConflictError):
        deadline_waive(actor=leader_a, deadline=row, reason="Lần nữa.")


# --- extension rules (TT 04/2015 Đ12) ------------------------------------------------------------


def request_extension(process, host, new_end: dt.date, today: dt.date):
    return perform(
        user=host,
        process=process,
        action="request_extension",
        data={"new_end_date": f"{new_end:%d/%m/%Y}"},
        remark="Cần thêm thời gian thử nghiệm.",
        today=today,
    )


def test_a_task_is_extended_once_only(in_progress, host_a, leader_a):
    process = in_progress(end=D(2026, 5, 15))
    request_extension(process, host_a, D(2026, 8, 14), today=D(2026, 3, 2))
    perform(user=leader_a, process=process, action="approve_extension", today=D(2026, 3, 9))

    with pytest.raises(DomainError, match="chỉ được gia hạn một lần"):
        request_extension(process, host_a, D(2026, 10, 14), today=D(2026, 4, 1))

    process.refresh_from_db()
    assert process.state == "IN_PROGRESS"


def test_a_refused_extension_may_be_requested_again(in_progress, host_a, leader_a):
    process = in_progress(end=D(2026, 5, 15))
    request_extension(process, host_a, D(2026, 8, 14), today=D(2026, 3, 2))
    perform(
        user=leader_a,
        process=process,
        action="reject_extension",
        remark="Chưa đủ căn cứ.",
        today=D(2026, 3, 9),
    )

    request_extension(process, host_a, D(2026, 8, 14), today=D(2026, 3, 16))

    process.refresh_from_db()
    assert process.state == "EXTENSION_PENDING"


@pytest.mark.parametrize(
    ("today", "allowed"),
    [(D(2026, 4, 15), True), (D(2026, 4, 16), False)],  # end 15/5/2026: one month before
)
def test_an_extension_is_requested_at_least_one_month_before_the_end(
    in_progress, host_a, today, allowed
):
    process = in_progress(end=D(2026, 5, 15))

    if allowed:
        request_extension(process, host_a, D(2026, 8, 14), today=today)
    else:
        with pytest.raises(DomainError, match="chậm nhất 1 tháng trước ngày kết thúc"):
            request_extension(process, host_a, D(2026, 8, 14), today=today)

    process.refresh_from_db()
    assert process.state == ("EXTENSION_PENDING" if allowed else "IN_PROGRESS")


@pytest.mark.parametrize(
    ("start", "new_end", "allowed"),
    [
        # 1/6/2025 – 15/5/2026: under 24 months, at most 6 months more (15/11/2026).
        (D(2025, 6, 1), D(2026, 11, 15), True),
        (D(2025, 6, 1), D(2026, 11, 16), False),
        # 1/1/2024 – 15/5/2026: over 24 months, at most 12 months more (15/5/2027).
        (D(2024, 1, 1), D(2027, 5, 15), True),
        (D(2024, 1, 1), D(2027, 5, 16), False),
    ],
    ids=["short-6-months", "short-over-6", "long-12-months", "long-over-12"],
)
def test_an_extension_is_limited_by_the_length_of_the_task(
    in_progress, host_a, start, new_end, allowed
):
    process = in_progress(start=start, end=D(2026, 5, 15))

    if allowed:
        request_extension(process, host_a, new_end, today=D(2026, 3, 2))
    else:
        with pytest.raises(DomainError, match="Chỉ được gia hạn tối đa"):
            request_extension(process, host_a, new_end, today=D(2026, 3, 2))

    process.refresh_from_db()
    assert process.state == ("EXTENSION_PENDING" if allowed else "IN_PROGRESS")
