"""The figures of the annual report: received, resolved on time / late, in progress on time /
overdue, returned for supplements, refused, the on-time rate; by procedure and unit; XLSX."""

import io

import pytest
from openpyxl import load_workbook

from khcn.procedures import selectors, services
from khcn.procedures.selectors import statistics_xlsx
from tests.procedures.helpers import CITIZEN, D, act, approved, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(procedure_catalogue, agency_a, staff_a, leader_a, enterprise, citizen):
    """2026 in a small department: one dossier carried over from 2025, five received."""
    from khcn.core import clock

    carried = submit(enterprise, agency_a, on=D(2025, 12, 29))  # due 13/1/2026
    with clock.travel(D(2026, 1, 6)):
        approved(staff_a, leader_a, carried)
        services.certificate_issue(actor=staff_a, dossier=carried)  # on time
    late = submit(enterprise, agency_a, on=D(2026, 3, 2))  # due 16/3
    late = act(staff_a, late, "accept", D(2026, 3, 3))
    late = act(
        staff_a,
        late,
        "propose",
        D(2026, 3, 17),
        data={"recommendation": "refuse", "appraisal": "x"},
    )
    act(leader_a, late, "refuse", D(2026, 3, 18), remark="Không đủ điều kiện")  # late refusal
    waiting = submit(enterprise, agency_a, on=D(2026, 5, 4))
    act(staff_a, waiting, "request_supplement", D(2026, 5, 5), data={"items": "Đơn"})
    overdue = submit(enterprise, agency_a, on=D(2026, 6, 1))  # due 15/6, still open
    act(staff_a, overdue, "accept", D(2026, 6, 2))
    submit(citizen, agency_a, "KHCN-SK-01", on=D(2026, 6, 10), applicant=dict(CITIZEN))
    withdrawn = submit(enterprise, agency_a, on=D(2026, 6, 11))
    act(enterprise, withdrawn, "withdraw", D(2026, 6, 12))


def test_by_procedure_and_unit(year, agency_a, leader_a):
    stats = selectors.dossier_statistics(
        user=leader_a,
        agency=agency_a,
        date_from=D(2026, 1, 1),
        date_to=D(2026, 12, 31),
        today=D(2026, 7, 1),
    )
    rows = {r.key: r.as_dict() for r in stats.rows}
    enterprise = rows["KHCN-DNKHCN-01"]
    assert enterprise["received"] == 4 and enterprise["carried_over"] == 1
    assert (enterprise["resolved_on_time"], enterprise["resolved_late"]) == (1, 1)
    assert enterprise["refused"] == 1 and enterprise["withdrawn"] == 1
    # the one waiting for the applicant is on time whatever its old due date
    assert (enterprise["in_progress_on_time"], enterprise["in_progress_overdue"]) == (1, 1)
    assert enterprise["supplement_requested"] == 1
    assert enterprise["on_time_rate"] == 50.0
    initiative = rows["KHCN-SK-01"]
    assert (initiative["received"], initiative["in_progress_on_time"]) == (1, 1)
    assert initiative["on_time_rate"] is None
    units = {u.key: u for u in stats.units}
    assert units["Phòng Quản lý công nghệ và Thị trường công nghệ"].received == 4
    assert units["Phòng Quản lý khoa học"].procedures == ["KHCN-SK-01"]
    assert stats.total.received == 5 and stats.total.resolved == 2

    first_quarter = selectors.dossier_statistics(
        user=leader_a,
        agency=agency_a,
        date_from=D(2026, 1, 1),
        date_to=D(2026, 3, 31),
        today=D(2026, 7, 1),
    )
    assert (first_quarter.total.received, first_quarter.total.carried_over) == (1, 1)
    only = selectors.dossier_statistics(
        user=leader_a,
        agency=agency_a,
        date_from=D(2026, 1, 1),
        date_to=D(2026, 12, 31),
        unit="Phòng Quản lý khoa học",
    )
    assert [r.key for r in only.rows] == ["KHCN-SK-01"]


def test_a_constant_number_of_queries(year, agency_a, leader_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        selectors.dossier_statistics(
            user=leader_a, agency=agency_a, date_from=D(2026, 1, 1), date_to=D(2026, 12, 31)
        )


def test_the_workbook(year, agency_a, leader_a):
    stats = selectors.dossier_statistics(
        user=leader_a,
        agency=agency_a,
        date_from=D(2026, 1, 1),
        date_to=D(2026, 12, 31),
        today=D(2026, 7, 1),
    )
    book = load_workbook(io.BytesIO(statistics_xlsx(stats, agency=agency_a)))
    assert book.sheetnames == ["Theo thủ tục", "Theo đơn vị"]
    sheet = book["Theo thủ tục"]
    assert "từ 01/01/2026 đến 31/12/2026" in sheet["A1"].value
    assert sheet["D3"].value == "Giải quyết đúng hạn"
    rows = {r[0].value: [c.value for c in r] for r in sheet.iter_rows(min_row=4)}
    assert rows["Tổng cộng"][1] == 5
    assert rows["Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ"][-1] == 50.0
