""" "Việc của tôi": the records whose next step belongs to the user, soonest deadline first,
overdue ones marked; a department's people see their agency's records by their role, an
outside user only the records they are a party to."""

import datetime as dt

import pytest

from khcn.web.inbox import work_items
from khcn.workflow.engine import perform
from khcn.workflow.inbox import LIMIT, waiting_for, workflow_items
from khcn.workflow.selectors import processes_for
from tests.factories import UserFactory

D = dt.date


@pytest.fixture
def records(make_process, agency_b, leader_a):
    """Agency A's records in states where different roles act, and one of agency B."""
    other_host = UserFactory(username="chutri.khac", full_name="Trịnh Văn Phúc")
    made = {
        # leader: order / reject (and a 30-day limit, due 4/2/2026)
        "proposed": make_process(title="Đề xuất chờ lãnh đạo", today=D(2026, 1, 5)),
        # leader: assign directly; staff: open the call
        "ordered": make_process(state="ORDERED", title="Nhiệm vụ được đặt hàng"),
        # staff only: record the council's scores
        "opened": make_process(state="DOSSIERS_OPENED", title="Hồ sơ tuyển chọn đã mở"),
        # host only: start the work
        "contracted": make_process(state="CONTRACTED", title="Hợp đồng chờ triển khai"),
        "contracted_elsewhere": make_process(
            state="CONTRACTED", title="Hợp đồng của đơn vị khác", host=other_host
        ),
        "other_agency": make_process(title="Đề xuất của Sở khác", agency=agency_b),
        "rejected": make_process(title="Đề xuất đã từ chối"),
    }
    perform(
        user=leader_a,
        process=made["rejected"],
        action="reject_proposal",
        remark="Không phù hợp định hướng.",
        today=D(2026, 1, 6),
    )
    return made


def titles(qs) -> set[str]:
    return {p.title for p in qs}


def test_a_leader_sees_the_records_waiting_for_a_leader_in_their_agency(
    records, leader_a, agency_a
):
    assert titles(waiting_for(leader_a, agency_a)) == {
        "Đề xuất chờ lãnh đạo",
        "Nhiệm vụ được đặt hàng",
    }


def test_staff_see_the_records_waiting_for_staff(records, staff_a, agency_a):
    assert titles(waiting_for(staff_a, agency_a)) == {
        "Nhiệm vụ được đặt hàng",
        "Hồ sơ tuyển chọn đã mở",
    }


def test_a_host_sees_only_their_own_records_in_a_host_state(records, host_a):
    # host_a is the host of every record above but "Hợp đồng của đơn vị khác".
    assert titles(waiting_for(host_a, None)) == {"Hợp đồng chờ triển khai"}


def test_another_agency_sees_none_of_these(records, staff_b, agency_b):
    assert titles(waiting_for(staff_b, agency_b)) == set()


def test_the_soonest_deadline_comes_first_and_overdue_ones_are_marked(
    make_process, leader_a, agency_a, freeze
):
    # Proposals concluded within 30 days: due 4/2, 19/2 (Tết → 23/2) and 6/3/2026.
    make_process(title="Đề xuất tháng giêng", today=D(2026, 1, 5))
    make_process(title="Đề xuất giữa tháng", today=D(2026, 1, 20))
    make_process(title="Đề xuất tháng hai", today=D(2026, 2, 4))
    make_process(state="ORDERED", title="Đặt hàng không có hạn")
    freeze(D(2026, 2, 10))

    items = work_items(leader_a, agency_a)

    assert [(i.title, i.due, i.overdue) for i in items] == [
        ("Đề xuất tháng giêng", D(2026, 2, 4), True),
        ("Đề xuất giữa tháng", D(2026, 2, 23), False),
        ("Đề xuất tháng hai", D(2026, 3, 6), False),
        ("Đặt hàng không có hạn", None, False),
    ]
    assert {i.kind for i in items} == {"Nhiệm vụ KH&CN"}
    assert items[0].detail == "Đang ở bước: Đề xuất đặt hàng"


def test_a_long_list_keeps_the_overdue_record(make_process, leader_a, agency_a, freeze):
    # More records without a deadline than the list shows: the overdue one must not be cut.
    for n in range(LIMIT + 1):
        make_process(state="ORDERED", title=f"Đặt hàng số {n:02d}")
    make_process(title="Đề xuất quá hạn", today=D(2026, 1, 5))
    freeze(D(2026, 2, 10))

    items = workflow_items(leader_a, agency_a)

    assert len(items) == LIMIT
    assert items[0].title == "Đề xuất quá hạn"
    assert items[0].overdue


def test_the_record_list_puts_the_soonest_deadline_first_and_undated_records_last(
    make_process, staff_a
):
    make_process(state="ORDERED", title="Không có hạn")
    make_process(title="Hạn 6/3", today=D(2026, 2, 4))
    make_process(title="Hạn 4/2", today=D(2026, 1, 5))

    listed = processes_for(staff_a, today=D(2026, 2, 10))

    assert [p.title for p in listed] == ["Hạn 4/2", "Hạn 6/3", "Không có hạn"]


def test_the_home_page_shows_the_work_waiting_for_the_user(records, client_of, leader_a, freeze):
    freeze(D(2026, 2, 10))

    page = client_of(leader_a).get("/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Đề xuất chờ lãnh đạo" in html
    assert "Nhiệm vụ được đặt hàng" in html
    assert "Hồ sơ tuyển chọn đã mở" not in html
    assert "Đề xuất của Sở khác" not in html
    assert "Quá hạn" in html and "04/02/2026" in html
    assert f'href="/ho-so-xu-ly/{records["proposed"].pk}/"' in html
