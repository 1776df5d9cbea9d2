"""The staff pages: rule sets with their diagram, the record list, the record page, the step
form (wrong input changes nothing), conflicts, waiving a deadline, attaching, migrating."""

import datetime as dt

import pytest

from khcn.audit.models import AuditAction, AuditEvent
from khcn.workflow.engine import perform
from khcn.workflow.models import Deadline, Process, RuleSetVersion
from tests.factories import pdf_bytes, upload
from tests.workflow.conftest import TASK_DATA

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(make_process):
    """A proposal the identification council recommended (what khcn.councils stores)."""
    return make_process(
        "vn-2013",
        today=dt.date.today() - dt.timedelta(days=40),
        data={**TASK_DATA, "identification_outcome": "RECOMMENDED"},
    )


def test_ruleset_pages_show_tables_and_diagram(client_of, staff_a, rulesets):
    client = client_of(staff_a)
    listing = client.get("/quy-trinh/").content.decode()
    assert "hn-05-2021" in listing and "Kế thừa vn-2013" in listing

    page = client.get("/quy-trinh/hn-05-2021/").content.decode()
    assert "QĐ 05/2021/QĐ-UBND" in page
    assert 'class="mermaid"' in page and "stateDiagram-v2" in page
    assert "30 ngày làm việc" in page and "trước" in page  # acceptance dossier, Hà Nội rule
    assert "vendor/mermaid/mermaid.min.js" in page


def test_unknown_ruleset_is_404(client_of, staff_a, rulesets):
    assert client_of(staff_a).get("/quy-trinh/khong-co/").status_code == 404


def test_record_page_lists_steps_deadlines_and_history(client_of, leader_a, proposal):
    page = client_of(leader_a).get(f"/ho-so-xu-ly/{proposal.pk}/").content.decode()
    assert "Phê duyệt đặt hàng" in page and "Không đặt hàng" in page
    assert "Kết luận xác định nhiệm vụ" in page
    assert "Quá hạn" in page  # started 40 days ago, the 30-day limit has passed
    assert "Bắt đầu" in page


def test_step_form_rejects_bad_input_and_changes_nothing(client_of, leader_a, proposal):
    url = f"/ho-so-xu-ly/{proposal.pk}/buoc/order/"
    response = client_of(leader_a).post(
        url, {"expected_state": "PROPOSED", "decision_no": "", "decision_date": "32/01/2026"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nhập ngày theo dạng dd/mm/yyyy." in page
    assert Process.objects.get(pk=proposal.pk).state == "PROPOSED"
    assert proposal.events.count() == 1


def test_step_form_performs_the_step(client_of, leader_a, proposal):
    response = client_of(leader_a).post(
        f"/ho-so-xu-ly/{proposal.pk}/buoc/order/",
        {"expected_state": "PROPOSED", "decision_no": "15/QĐ-SKHCN", "decision_date": "10/01/2026"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "ORDERED"
    assert proposal.data["decision_date"] == "2026-01-10"
    assert AuditEvent.objects.filter(action=AuditAction.PROCESS_TRANSITION).count() == 1


def test_stale_form_explains_the_conflict(client_of, leader_a, proposal):
    perform(user=leader_a, process=proposal, action="reject_proposal", remark="Trùng nội dung")
    response = client_of(leader_a).post(
        f"/ho-so-xu-ly/{proposal.pk}/buoc/order/",
        {"expected_state": "PROPOSED", "decision_no": "1", "decision_date": "10/01/2026"},
        follow=True,
    )
    assert "Không đặt hàng" in response.content.decode()
    assert Process.objects.get(pk=proposal.pk).state == "REJECTED"


def test_staff_cannot_open_a_leaders_step(client_of, staff_a, proposal):
    assert client_of(staff_a).get(f"/ho-so-xu-ly/{proposal.pk}/buoc/order/").status_code == 403


def test_leader_waives_a_deadline_with_a_reason(client_of, leader_a, proposal):
    deadline = proposal.deadlines.get()
    client = client_of(leader_a)
    empty = client.post(f"/ho-so-xu-ly/{proposal.pk}/thoi-han/{deadline.pk}/mien/", {"reason": ""})
    assert empty.status_code == 302
    assert Deadline.objects.get(pk=deadline.pk).status == Deadline.Status.OPEN

    client.post(
        f"/ho-so-xu-ly/{proposal.pk}/thoi-han/{deadline.pk}/mien/",
        {"reason": "Hội đồng hoãn họp theo chỉ đạo của UBND thành phố"},
    )
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.WAIVED
    assert AuditEvent.objects.filter(action=AuditAction.DEADLINE_WAIVED).count() == 1


def test_staff_cannot_waive(client_of, staff_a, proposal):
    deadline = proposal.deadlines.get()
    response = client_of(staff_a).post(
        f"/ho-so-xu-ly/{proposal.pk}/thoi-han/{deadline.pk}/mien/", {"reason": "x"}
    )
    assert response.status_code == 403
    assert Deadline.objects.get(pk=deadline.pk).status == Deadline.Status.OPEN


def test_host_attaches_a_report_to_the_record(client_of, host_a, proposal):
    response = client_of(host_a).post(
        f"/ho-so-xu-ly/{proposal.pk}/tai-lieu/",
        {
            "title": "Báo cáo tổng hợp",
            "category": "report",
            "file": upload("bao-cao.pdf", pdf_bytes("Bao cao")),
        },
    )
    assert response.status_code == 302
    page = client_of(host_a).get(f"/ho-so-xu-ly/{proposal.pk}/").content.decode()
    assert "Báo cáo tổng hợp" in page


def test_list_filters_overdue_records(client_of, staff_a, make_process, proposal):
    fresh = make_process("hn-05-2021", title="Bảo tồn làng gốm Bát Tràng", today=dt.date.today())
    client = client_of(staff_a)
    overdue = client.get("/ho-so-xu-ly/?han=qua_han").content.decode()
    assert proposal.title in overdue and fresh.title not in overdue
    everything = client.get("/ho-so-xu-ly/").content.decode()
    assert everything.index(proposal.title) < everything.index(fresh.title)


def test_migrating_to_a_new_version_is_explicit_and_audited(client_of, staff_a, proposal):
    old = proposal.ruleset
    definition = {**old.definition, "title": old.definition["title"] + " (sửa đổi)"}
    old.is_current = False
    old.save()
    new = RuleSetVersion.objects.create(
        code=old.code, version=2, title=definition["title"], definition=definition,
        checksum="v2", is_current=True,
    )  # fmt: skip
    assert Process.objects.get(pk=proposal.pk).ruleset == old  # pinned until migrated

    client = client_of(staff_a)
    page = client.get(f"/ho-so-xu-ly/{proposal.pk}/").content.decode()
    assert "Chuyển sang v2" in page
    client.post(f"/ho-so-xu-ly/{proposal.pk}/chuyen-quy-tac/", {"remark": "Áp dụng quy định mới"})
    proposal.refresh_from_db()
    assert proposal.ruleset == new
    assert proposal.events.last().action == "_migrate"
    assert AuditEvent.objects.filter(action=AuditAction.PROCESS_MIGRATED).count() == 1
