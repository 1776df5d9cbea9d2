"""The legal clock of a dossier: working days across Tết and the April–May holidays, the
first day not counted and a deadline on a day off moved to the next working day (Bộ luật
Dân sự 2015 Đ147–148), the clock stopped while the applicant supplements the dossier, the
longer limit with experts, lateness and the staff list's due filters."""

import pytest

from khcn.core import clock
from khcn.procedures import selectors, services
from khcn.workflow.engine import deadline_waive
from khcn.workflow.models import Deadline
from tests.procedures.helpers import CITIZEN, D, act, pdf, submit

pytestmark = pytest.mark.django_db


def deadline(dossier, key="resolution") -> Deadline:
    return Deadline.objects.filter(process=dossier.process, key=key).latest("pk")


@pytest.mark.parametrize(
    ("code", "validity", "due"),
    [
        # NĐ 13/2019: 3 and 10 working days; Tết 2026 (14–22/2) is not counted
        ("KHCN-DNKHCN-01", D(2026, 2, 25), D(2026, 3, 6)),
        # NĐ 08/2014 Đ9: defects within 5, the certificate within 15 working days
        ("KHCN-DKHD-01", D(2026, 2, 27), D(2026, 3, 13)),
    ],
)
def test_working_days_skip_tet(procedure_catalogue, agency_a, enterprise, code, validity, due):
    from tests.procedures.helpers import FORMS

    form = FORMS.get(code) or {
        "org_kind": "ngoai_cong_lap",
        "founding_decision": "Quyết định số 12/QĐ-HĐQT ngày 05/01/2026",
        "activity_fields": "Nghiên cứu, chuyển giao công nghệ sinh học",
        "director": "TS. Đỗ Minh Khôi",
    }
    dossier = submit(enterprise, agency_a, code, on=D(2026, 2, 13), form_data=form)
    assert deadline(dossier, "validity_check").due == validity
    assert dossier.due_date == due


def test_calendar_days_ending_on_a_holiday_move_to_the_next_working_day(
    procedure_catalogue, agency_a, citizen
):
    # NĐ 13/2012 (initiatives), in calendar days: 2/3 + 60 days = 1/5 (a day off) → 4/5
    dossier = submit(citizen, agency_a, "KHCN-SK-01", on=D(2026, 3, 2), applicant=dict(CITIZEN))
    assert dossier.due_date == D(2026, 5, 4)
    assert deadline(dossier, "validity_check").due == D(2026, 3, 12)


def test_the_clock_stops_while_the_applicant_supplements(
    procedure_catalogue, agency_a, staff_a, enterprise
):
    dossier = submit(enterprise, agency_a, on=D(2026, 2, 10))
    assert dossier.due_date == D(2026, 3, 3)
    with clock.travel(D(2026, 2, 12)):
        dossier = services.dossier_request_supplement(actor=staff_a, dossier=dossier, items="Đơn")
    # waiting across Tết and after the old due date: not overdue, no days counted down
    assert selectors.remaining_working_days(dossier, today=D(2026, 3, 5)) is None
    overdue = selectors.dossiers_for_staff(
        user=staff_a, agency=agency_a, due="overdue", today=D(2026, 3, 5)
    )
    assert dossier not in overdue
    with clock.travel(D(2026, 2, 25)):
        dossier = services.dossier_supplement(
            actor=enterprise, dossier=dossier, files={"don": [pdf("don.pdf")]}
        )
    # stopped 4 working days (13/2, 23, 24, 25/2): 3/3 + 4 = 9/3
    assert deadline(dossier).paused_days == 4
    assert dossier.due_date == dossier.promised_date == D(2026, 3, 9)
    assert selectors.remaining_working_days(dossier, today=D(2026, 3, 2)) == 5
    assert selectors.remaining_working_days(dossier, today=D(2026, 3, 11)) == -2


def test_experts_lengthen_the_limit_only_where_the_rules_say(
    procedure_catalogue, agency_a, staff_a, enterprise
):
    form = {
        "org_kind": "ngoai_cong_lap",
        "founding_decision": "Quyết định số 12/QĐ-HĐQT",
        "activity_fields": "Nghiên cứu",
        "director": "TS. Đỗ Minh Khôi",
    }
    registration = submit(enterprise, agency_a, "KHCN-DKHD-01", on=D(2026, 3, 2), form_data=form)
    enterprise_cert = submit(enterprise, agency_a, on=D(2026, 3, 2))
    for dossier in (registration, enterprise_cert):
        dossier = act(staff_a, dossier, "accept", D(2026, 3, 3))
        act(staff_a, dossier, "consult_experts", D(2026, 3, 4))
    registration.refresh_from_db()
    enterprise_cert.refresh_from_db()
    assert registration.due_date == D(2026, 3, 23)  # 15 working days, no expert rule
    assert enterprise_cert.due_date == D(2026, 3, 23)  # 10 → 15 working days (NĐ 13/2019)


def test_late_and_waived(procedure_catalogue, agency_a, staff_a, leader_a, enterprise):
    dossier = submit(enterprise, agency_a, on=D(2026, 3, 2))  # due 16/3
    dossier = act(staff_a, dossier, "accept", D(2026, 3, 3))
    soon = selectors.dossiers_for_staff(
        user=staff_a, agency=agency_a, due="soon", today=D(2026, 3, 12)
    )
    assert list(soon) == [dossier]
    overdue = selectors.dossiers_for_staff(
        user=staff_a, agency=agency_a, due="overdue", today=D(2026, 3, 17)
    )
    assert list(overdue) == [dossier]
    # the leader decides after the due date: the dossier was resolved late
    dossier = act(
        staff_a,
        dossier,
        "propose",
        D(2026, 3, 16),
        data={"recommendation": "refuse", "appraisal": "Không đạt"},
    )
    assert dossier.late is False
    late = act(leader_a, dossier, "refuse", D(2026, 3, 18), remark="Không đủ điều kiện.")
    assert deadline(late).status == Deadline.Status.MISSED
    assert late.late is True and late.finished_on == D(2026, 3, 18)


def test_a_waived_limit_is_not_late(procedure_catalogue, agency_a, staff_a, leader_a, enterprise):
    dossier = submit(enterprise, agency_a, on=D(2026, 3, 2))  # due 16/3
    dossier = act(staff_a, dossier, "accept", D(2026, 3, 3))
    with clock.travel(D(2026, 3, 13)):
        deadline_waive(actor=leader_a, deadline=deadline(dossier), reason="Chờ ý kiến Bộ KH&CN.")
    dossier = act(
        staff_a,
        dossier,
        "propose",
        D(2026, 3, 19),
        data={"recommendation": "refuse", "appraisal": "Không đạt"},
    )
    dossier = act(leader_a, dossier, "refuse", D(2026, 3, 20), remark="Không đủ điều kiện.")
    assert deadline(dossier).status == Deadline.Status.WAIVED
    assert dossier.late is False


def test_late_dossiers_ask_staff_for_an_apology_letter(
    procedure_catalogue, agency_a, staff_a, enterprise
):
    from khcn.procedures.inbox import apologies_to_write

    dossier = submit(enterprise, agency_a, on=D(2026, 3, 2))  # due 16/3
    paused = submit(enterprise, agency_a, on=D(2026, 3, 2))
    act(staff_a, paused, "request_supplement", D(2026, 3, 3), data={"items": "Đơn"})
    with clock.travel(D(2026, 3, 17)):
        items = apologies_to_write(staff_a, agency_a)
        assert [i.title for i in items] == [f"Lập phiếu xin lỗi, hẹn lại ngày trả: {dossier.code}"]
        assert apologies_to_write(enterprise, agency_a) == []
        services.apology_letter_issue(
            actor=staff_a, dossier=dossier, new_date=D(2026, 3, 20), reason="Chờ ý kiến chuyên gia."
        )
        assert apologies_to_write(staff_a, agency_a) == []
    dossier.refresh_from_db()
    assert dossier.promised_date == D(2026, 3, 20)
