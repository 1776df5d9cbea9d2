"""Every transition of every shipped rule set, read from the rule files themselves.

For each step: a user holding one of its roles performs it with values typed as a user
would (dd/mm/yyyy, "1.250.000.000") and the record moves on, with a history entry and an
audit event; every other role is refused (403, or 404 for people who cannot see the
record); every guard refuses, with a Vietnamese reason, the input that breaks it.
"""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404

from khcn.accounts.models import INTERNAL_ROLES, Role
from khcn.audit.models import AuditAction, AuditEvent
from khcn.core.errors import ConflictError, DomainError
from khcn.core.models import Attachment
from khcn.core.services import attachment_create
from khcn.workflow.definition import Transition
from khcn.workflow.engine import perform
from khcn.workflow.fields import FieldErrors, parse_date
from khcn.workflow.guards import as_date, shift_months
from khcn.workflow.loader import BUILTIN_DIR, check_file
from khcn.workflow.models import Process, ProcessEvent, ProcessParty
from tests.factories import UserFactory, pdf_bytes, upload, user_with_role

TODAY = dt.date(2026, 6, 1)  # the task (conftest.TASK_DATA) runs 1/2/2026 – 30/6/2027
SHIPPED = ("vn-2013", "hn-05-2021")
RULES = {code: check_file(BUILTIN_DIR / f"{code}.toml") for code in SHIPPED}
STEPS = [(code, t) for code in SHIPPED for t in RULES[code].transitions]

# What each guard says when it refuses (unless the rule file gives its own message).
GUARD_REASONS = {
    "data_in": "phải là một trong",
    "attachments_present": "Cần đính kèm ít nhất",
    "not_done_before": "chỉ được thực hiện một lần",
    "at_least_before": "Phải thực hiện chậm nhất",
    "date_after": "phải sau",
    "extension_within_limit": "Chỉ được gia hạn tối đa",
    "data_present": "",  # always names its own message
    "at_most": "không được vượt quá",
}


def test_every_guard_of_the_shipped_rules_is_exercised_below():
    used = {call.name for _code, t in STEPS for call in t.guards}
    assert used <= set(GUARD_REASONS)


# --- input that satisfies, or breaks, a step's guards -----------------------------------------


def typed(field, day: dt.date):
    """A value as a user types it in the step's form."""
    if field.type == "date":
        return f"{day:%d/%m/%Y}"
    if field.type == "money":
        return "1.250.000.000"
    if field.type == "integer":
        return "12"
    if field.type == "choice":
        return field.choices[0][0]
    if field.type == "boolean":
        return True
    return f"{field.label} số 15/QĐ-SKHCN"


def stored_date(process: Process, data: dict, name: str) -> dt.date:
    """A date from this step's input if typed there, else from the record."""
    return parse_date(data[name]) if name in data else as_date(process.data.get(name))


def valid_input(step: Transition, process: Process) -> dict:
    """Field values chosen so that every guard of the step holds."""
    data = {f.name: typed(f, TODAY) for f in step.fields}
    for call in step.guards:
        p = call.params
        if call.name == "data_in" and p["field"] in data:
            data[p["field"]] = p["values"][0]
        elif call.name == "date_after":
            later = stored_date(process, data, p["other"]) + dt.timedelta(
                days=max(p.get("min_days", 1), 400)
            )
            data[p["field"]] = f"{later:%d/%m/%Y}"
        elif call.name == "extension_within_limit":
            new_end = shift_months(stored_date(process, data, p.get("end", "end_date")), 3)
            data[p.get("new_end", "new_end_date")] = f"{new_end:%d/%m/%Y}"
    return data


def attach_report(process: Process, host) -> None:
    attachment_create(
        actor=host,
        agency=process.agency,
        title="Báo cáo tổng hợp kết quả",
        upload=upload("bao-cao.pdf", pdf_bytes()),
        category="report",
        owner=process,
    )


def breaking(call, step: Transition, process: Process, data: dict):
    """(data, today, set_up) that break only this guard: the rest still hold."""
    p, data, today = call.params, dict(data), TODAY
    set_up = None
    if call.name == "data_in" and p["field"] in {f.name for f in step.fields}:
        field = next(f for f in step.fields if f.name == p["field"])
        data[p["field"]] = next(c for c, _label in field.choices if c not in p["values"])
    elif call.name == "data_in":

        def set_up():  # another module stored a different conclusion on the record
            Process.objects.filter(pk=process.pk).update(data={**process.data, p["field"]: "KHAC"})
            return lambda: Process.objects.filter(pk=process.pk).update(data=process.data)
    elif call.name == "date_after":
        too_soon = stored_date(process, data, p["other"]) + dt.timedelta(
            days=p.get("min_days", 1) - 1
        )
        data[p["field"]] = f"{too_soon:%d/%m/%Y}"
    elif call.name == "at_least_before":
        limit = stored_date(process, data, p["field"])
        latest = shift_months(limit, -p.get("months", 0)) - dt.timedelta(days=p.get("days", 0))
        today = latest + dt.timedelta(days=1)
    elif call.name == "extension_within_limit":
        end = stored_date(process, data, p.get("end", "end_date"))
        data[p.get("new_end", "new_end_date")] = f"{shift_months(end, 13):%d/%m/%Y}"
    elif call.name == "not_done_before":

        def set_up():  # the history already holds that step
            ProcessEvent.objects.create(
                process=process,
                seq=900,
                action=p["action"],
                label="Đã thực hiện trước đây",
                to_state=process.state,
                ruleset=process.ruleset,
                at=process.state_entered_at,
            )
            return lambda: ProcessEvent.objects.filter(process=process, seq=900).delete()

    elif call.name in ("attachments_present", "data_present", "at_most"):
        pass  # nothing attached, nothing stored yet: no contract, no council, nothing disbursed
    return data, today, set_up


def satisfy_stored_guards(step: Transition, process: Process, host, *, but=None) -> None:
    """Guards about the record rather than the input: give the record what they need
    (all of them, or all but the guard `but` under test)."""
    for call in step.guards:
        if call is but:
            continue
        if call.name == "attachments_present" and not process_attachments(process):
            for _n in range(call.params.get("min", 1)):
                attach_report(process, host)
        if call.name == "data_in" and call.params["field"] not in {f.name for f in step.fields}:
            process.data[call.params["field"]] = call.params["values"][0]
            Process.objects.filter(pk=process.pk).update(data=process.data)
        if call.name == "data_present":  # what the contract or council module would store
            process.data[call.params["field"]] = 1
            Process.objects.filter(pk=process.pk).update(data=process.data)
        if call.name == "at_most":  # the money disbursed so far
            process.data[call.params["limit"]] = 10**13
            Process.objects.filter(pk=process.pk).update(data=process.data)


def process_attachments(process: Process) -> int:
    return Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(Process), owner_id=str(process.pk)
    ).count()


# --- the people around a record ------------------------------------------------------------------


@pytest.fixture
def people(agency_a, agency_b, staff_a, leader_a, admin_a, staff_b, host_a, outsider):
    """Who is who: the agency's staff roles, outside parties by role, and strangers."""
    expert = UserFactory(username="chuyengia", full_name="Hoàng Văn Bình")
    return {
        Role.STAFF: staff_a,
        Role.LEADER: leader_a,
        Role.ADMIN: admin_a,
        Role.HOST: host_a,
        Role.EXPERT: expert,
        "outsider": outsider,
        "other agency": staff_b,
    }


def refused_people(step: Transition, people: dict) -> list[tuple[str, object, type]]:
    """Everyone whose role may not take the step, with the refusal they should get."""
    refused = [
        (role, people[role], PermissionDenied)
        for role in sorted(INTERNAL_ROLES)
        if step.system or role not in step.roles
    ]
    party = Role.HOST if (step.system or Role.HOST not in step.roles) else Role.EXPERT
    refused.append((party, people[party], PermissionDenied))
    refused.append(("outsider", people["outsider"], Http404))
    refused.append(("other agency", people["other agency"], Http404))
    return refused


def snapshot(process: Process):
    """State, revision and history length first, then the record's data."""
    process.refresh_from_db()
    return (process.state, process.revision, process.events.count(), dict(process.data))


@pytest.mark.parametrize(("code", "step"), STEPS, ids=[f"{c}:{t.action}" for c, t in STEPS])
def test_transition(code, step, make_process, people, host_a):
    process = make_process(code, state=step.sources[0])
    ProcessParty.objects.create(process=process, user=people[Role.EXPERT], role=Role.EXPERT)
    data = valid_input(step, process)
    remark = "Đồng ý theo đề nghị của phòng chuyên môn." if step.remark == "required" else ""
    actor = None if step.system else people[sorted(step.roles)[0]]
    before = snapshot(process)

    # (c) each guard refuses the input that breaks it, with a reason in Vietnamese
    for call in step.guards:
        bad, today, set_up = breaking(call, step, process, data)
        undo = set_up() if set_up else None
        satisfy_stored_guards(step, process, host_a, but=call)
        with pytest.raises(DomainError) as refused:
            perform(
                user=actor,
                process=process.pk,
                action=step.action,
                data=bad,
                remark=remark,
                today=today,
            )
        assert type(refused.value) is DomainError, call.name
        assert refused.value.code == "guard"
        assert call.params.get("message", GUARD_REASONS[call.name]) in refused.value.message
        if undo:
            undo()
        assert snapshot(process)[:3] == before[:3], call.name
    satisfy_stored_guards(step, process, host_a)
    before = snapshot(process)

    # (b) any other role is refused and nothing changes
    for who, user, refusal in refused_people(step, people):
        with pytest.raises(refusal):
            perform(
                user=user,
                process=process.pk,
                action=step.action,
                data=data,
                remark=remark,
                today=TODAY,
            )
        assert snapshot(process) == before, who

    # (a) an allowed role (for a system step: the engine itself) performs it
    if step.system:
        perform(user=None, process=process.pk, action=step.action, today=TODAY, system=True)
    else:
        perform(
            user=actor,
            process=process.pk,
            action=step.action,
            data=data,
            remark=remark,
            today=TODAY,
        )
    process.refresh_from_db()
    assert process.state == step.target
    assert process.is_closed == RULES[code].state(step.target).terminal
    event = process.events.get(seq=process.revision)
    assert event.action == step.action
    assert (event.from_state, event.to_state, event.actor) == (step.sources[0], step.target, actor)
    assert event.remark == remark
    assert set(event.data) == {f.name for f in step.fields}
    audit = AuditEvent.objects.get(action=AuditAction.PROCESS_TRANSITION, object_id=str(process.pk))
    assert audit.actor == actor
    assert audit.after["state"] == step.target
    assert audit.after["action"] == step.action


# --- refusals that do not depend on the step -------------------------------------------------


def test_a_step_not_available_from_the_current_state_is_a_conflict(make_process, leader_a):
    process = make_process(state="IN_PROGRESS")

    with pytest.raises(ConflictError, match="không thể «Phê duyệt đặt hàng»"):
        perform(user=leader_a, process=process, action="order", data={}, today=TODAY)

    process.refresh_from_db()
    assert process.state == "IN_PROGRESS"


def test_a_record_moved_on_since_the_user_saw_it_is_a_conflict(make_process, leader_a):
    process = make_process()  # PROPOSED
    data = {"decision_no": "12/QĐ-SKHCN", "decision_date": "05/01/2026"}

    with pytest.raises(ConflictError, match="tải lại trang"):
        perform(
            user=leader_a,
            process=process,
            action="order",
            data=data,
            expected_state="ORDERED",
            today=TODAY,
        )

    process.refresh_from_db()
    assert process.state == "PROPOSED"
    assert process.events.count() == 1


def test_an_unknown_action_is_refused(make_process, leader_a):
    process = make_process()

    with pytest.raises(DomainError, match="Không có thao tác «fly»"):
        perform(user=leader_a, process=process, action="fly", today=TODAY)


def test_badly_filled_fields_are_all_reported_and_nothing_changes(make_process, leader_a):
    process = make_process(state="BUDGET_APPRAISED")
    audits = AuditEvent.objects.count()
    before = snapshot(process)

    with pytest.raises(FieldErrors) as refused:
        perform(
            user=leader_a,
            process=process,
            action="approve",
            data={
                "decision_no": "",
                "start_date": "31/02/2026",
                "end_date": "2027-12-31",
                "budget": "abc",
                "signed_by": "Phạm Văn Hưng",
            },
            today=TODAY,
        )

    assert refused.value.status == 422
    assert refused.value.errors == {
        "decision_no": "Cần nhập «Số quyết định phê duyệt».",
        "start_date": "«Ngày bắt đầu» không phải ngày hợp lệ (dd/mm/yyyy).",
        "budget": "«Kinh phí ngân sách (đồng)» phải là số nguyên.",
        "signed_by": "Trường «signed_by» không thuộc bước này.",
    }
    assert snapshot(process) == before
    assert AuditEvent.objects.count() == audits


def test_a_choice_outside_the_list_is_refused(make_process, host_a):
    process = make_process(state="IN_PROGRESS")

    with pytest.raises(FieldErrors) as refused:
        perform(
            user=host_a,
            process=process,
            action="request_change",
            data={"change_kind": "location"},
            remark="Đổi địa điểm thử nghiệm.",
            today=TODAY,
        )

    assert refused.value.errors == {
        "change_kind": "«Nội dung điều chỉnh» không nằm trong các lựa chọn."
    }
    process.refresh_from_db()
    assert process.state == "IN_PROGRESS"


@pytest.mark.parametrize("remark", ["", "   "])
def test_a_step_that_requires_a_remark_is_refused_without_one(make_process, leader_a, remark):
    process = make_process()

    with pytest.raises(FieldErrors) as refused:
        perform(
            user=leader_a, process=process, action="reject_proposal", remark=remark, today=TODAY
        )

    assert refused.value.errors == {"remark": "Cần ghi ý kiến hoặc lý do."}
    process.refresh_from_db()
    assert process.state == "PROPOSED"


def test_money_is_stored_as_a_number_and_dates_as_iso(make_process, leader_a):
    process = make_process(state="BUDGET_APPRAISED")

    perform(
        user=leader_a,
        process=process,
        action="approve",
        data={
            "decision_no": "15/QĐ-SKHCN",
            "start_date": "01/02/2026",
            "end_date": "2027-12-31",
            "budget": "1.250.000.000 ₫",
        },
        today=TODAY,
    )

    process.refresh_from_db()
    assert process.data["budget"] == 1_250_000_000
    assert process.data["start_date"] == "2026-02-01"
    assert process.data["end_date"] == "2027-12-31"


def test_a_system_step_is_refused_to_a_leader_and_allowed_to_the_engine(make_process, leader_a):
    process = make_process(state="IN_PROGRESS")

    with pytest.raises(PermissionDenied, match="do hệ thống tự thực hiện"):
        perform(user=leader_a, process=process, action="auto_fail", today=TODAY)
    perform(user=None, process=process, action="auto_fail", today=TODAY, system=True)

    process.refresh_from_db()
    assert process.state == "FAILED"
    assert process.events.get(action="auto_fail").actor is None


def test_an_agency_role_held_elsewhere_gives_no_right_here(make_process, agency_b):
    leader_b = user_with_role(Role.LEADER, agency_b, username="lanhdao.b")
    process = make_process()

    with pytest.raises(Http404):
        perform(
            user=leader_b,
            process=process,
            action="reject_proposal",
            remark="Không phù hợp.",
            today=TODAY,
        )
