"""Task pages as each person sees them: what they can open, what they can do, and what a
wrong entry says (nothing is saved)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from khcn.audit.models import AuditAction, AuditEvent
from khcn.core import clock
from khcn.projects.models import Application, Contract, Project
from tests.factories import UserFactory, pdf_bytes, png_bytes, user_with_role
from tests.projects.steps import D, apply, approve, identify, open_call, propose, select

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(rulesets, proposer, agency_a):
    return propose(proposer, agency_a)


@pytest.fixture
def open_task(proposed, staff_a, leader_a, experts):
    identify(staff_a, leader_a, proposed, experts)
    open_call(staff_a, proposed, day=D(2026, 1, 20))
    proposed.refresh_from_db()
    return proposed


@pytest.fixture
def approved(open_task, staff_a, leader_a, host, experts):
    application = apply(host, open_task, "Trường Đại học Hải Phòng", "TS. Lê Minh Tuấn")
    select(staff_a, open_task, experts, [application])
    approve(staff_a, leader_a, open_task)
    open_task.refresh_from_db()
    return open_task


def test_anyone_registered_sends_a_proposal_and_errors_keep_nothing(client_of, rulesets, agency_a):
    citizen = user_with_role(
        "public", agency_a, username="nguoidan", organisation="UBND quận Lê Chân"
    )
    client = client_of(citizen)
    page = client.get("/nhiem-vu/de-xuat/")
    assert page.status_code == 200 and "UBND quận Lê Chân" in page.content.decode()
    bad = client.post(
        "/nhiem-vu/de-xuat/",
        {
            "agency": agency_a.pk,
            "title": "",
            "kind": "de_tai",
            "level": "tinh",
            "field": "4",
            "year": 2027,
            "proposer_org": "UBND quận Lê Chân",
            "problem": "",
            "objectives": "x",
            "expected_products": "x",
            "application_place": "x",
        },
    )
    assert bad.status_code == 200 and "Trường này là bắt buộc" in bad.content.decode()
    assert not Project.objects.exists()
    good = client.post(
        "/nhiem-vu/de-xuat/",
        {
            "agency": agency_a.pk,
            "title": "Ứng dụng IoT giám sát chất lượng nước nuôi tôm",
            "kind": "de_tai",
            "level": "tinh",
            "field": "4",
            "year": 2027,
            "proposer_org": "UBND quận Lê Chân",
            "problem": "Tôm chết hàng loạt",
            "objectives": "Cảnh báo sớm",
            "expected_products": "Hệ thống cảm biến",
            "application_place": "Vùng nuôi Tiên Lãng",
        },
    )
    project = Project.objects.get()
    assert good.status_code == 302 and good.url == f"/nhiem-vu/{project.pk}/"
    detail = client.get(good.url).content.decode()
    assert "Ứng dụng IoT giám sát chất lượng nước nuôi tôm" in detail
    assert "Đề xuất mới" in detail or project.process.state_label in detail
    assert AuditEvent.objects.filter(action=AuditAction.PROJECT_PROPOSED).count() == 1


def test_a_task_is_visible_to_its_agency_and_parties_only(
    client_of, proposed, staff_a, staff_b, proposer
):
    url = f"/nhiem-vu/{proposed.pk}/"
    assert client_of(staff_a).get(url).status_code == 200
    assert client_of(proposer).get(url).status_code == 200
    assert client_of(staff_b).get(url).status_code == 404
    assert client_of(UserFactory(username="la")).get(url).status_code == 404
    assert client_of(staff_b).get("/nhiem-vu/").content.decode().count(proposed.code) == 0
    listing = client_of(staff_a).get("/nhiem-vu/?buoc=PROPOSED&nam=2026").content.decode()
    assert proposed.code in listing
    assert proposed.code not in client_of(staff_a).get("/nhiem-vu/?buoc=ORDERED").content.decode()


def test_the_leader_orders_only_after_the_identification_council(
    client_of, proposed, leader_a, staff_a, experts
):
    page = client_of(leader_a).get(f"/nhiem-vu/{proposed.pk}/").content.decode()
    assert "Hội đồng xác định nhiệm vụ chưa kết luận đề nghị đặt hàng." in page
    assert (
        "Lập hội đồng tư vấn xác định nhiệm vụ"
        in client_of(staff_a).get(f"/nhiem-vu/{proposed.pk}/").content.decode()
    )
    identify(staff_a, leader_a, proposed, experts)
    assert proposed.process.state == "ORDERED"


def test_a_host_applies_through_the_form(client_of, open_task, host):
    client = client_of(host)
    with clock.travel(D(2026, 2, 3)):
        assert open_task.code in client.get("/nhiem-vu/dot/").content.decode()
        form = client.get(f"/nhiem-vu/{open_task.pk}/dang-ky/")
        assert form.status_code == 200
        fields = {
            "organisation": "Trường Đại học Hải Phòng",
            "leader_name": "TS. Lê Minh Tuấn",
            "months": "12",
            "summary": "Công nghệ ép bán khô.",
            "budget-labour-state": "400.000.000",
            "budget-materials-state": "abc",
            "team-0-name": "TS. Lê Minh Tuấn",
            "team-0-role": "Chủ nhiệm",
        }
        bad = client.post(
            f"/nhiem-vu/{open_task.pk}/dang-ky/",
            {**fields, "description_file": SimpleUploadedFile("tm.pdf", pdf_bytes())},
        )
        assert bad.status_code == 200 and "phải là số tiền" in bad.content.decode()
        fake = client.post(
            f"/nhiem-vu/{open_task.pk}/dang-ky/",
            {
                **fields,
                "budget-materials-state": "300.000.000",
                "description_file": SimpleUploadedFile("tm.pdf", png_bytes()),
            },
        )
        assert fake.status_code == 200
        assert not Application.objects.exists()
        good = client.post(
            f"/nhiem-vu/{open_task.pk}/dang-ky/",
            {
                **fields,
                "budget-materials-state": "300.000.000",
                "description_file": SimpleUploadedFile("tm.pdf", pdf_bytes()),
            },
        )
    application = Application.objects.get()
    assert good.status_code == 302 and good.url == f"/nhiem-vu/ho-so/{application.pk}/"
    assert application.budget_lines.count() == 2
    page = client.get(good.url).content.decode()
    assert "Trường Đại học Hải Phòng" in page and "Rút hồ sơ" in page


def test_staff_cannot_apply_to_their_own_call(client_of, open_task, staff_a):
    assert client_of(staff_a).get(f"/nhiem-vu/{open_task.pk}/dang-ky/").status_code == 403


def test_contract_form_refuses_tranches_that_do_not_add_up(client_of, approved, staff_a):
    client = client_of(staff_a)
    url = f"/nhiem-vu/{approved.pk}/hop-dong/"
    assert "Lập hợp đồng" in client.get(f"/nhiem-vu/{approved.pk}/").content.decode()
    base = {
        "number": "15/2026/HĐ-KHCN",
        "signed_date": "28/03/2026",
        "lump_sum": "partial",
        "host_representative": "TS. Lê Minh Tuấn",
    }
    bad = client.post(
        url,
        {
            **base,
            "tranche-0-milestone": "Tạm ứng",
            "tranche-0-planned": "05/04/2026",
            "tranche-0-amount": "800.000.000",
        },
    )
    assert bad.status_code == 200 and "phải bằng kinh phí ngân sách" in bad.content.decode()
    assert not Contract.objects.exists()
    good = client.post(
        url,
        {
            **base,
            "tranche-0-milestone": "Tạm ứng",
            "tranche-0-planned": "05/04/2026",
            "tranche-0-amount": "500.000.000",
            "tranche-1-milestone": "Sau nghiệm thu",
            "tranche-1-planned": "01/03/2027",
            "tranche-1-amount": "350.000.000",
        },
    )
    assert good.status_code == 302
    approved.refresh_from_db()
    assert approved.process.state == "CONTRACTED"
    page = client.get(f"/nhiem-vu/{approved.pk}/").content.decode()
    assert "15/2026/HĐ-KHCN" in page and "Hợp đồng thực hiện nhiệm vụ" in page


def test_dashboard_counts_and_money(client_of, approved, leader_a, staff_b, host):
    page = client_of(leader_a).get("/nhiem-vu/tong-hop/?nam=2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tổng hợp nhiệm vụ KH&CN" in text and "nhiệm vụ được phê duyệt" in text
    assert page.context["figures"] == {"approved": 1, "deployed": 0, "accepted": 0}
    assert page.context["data"]["total"] == 1
    assert page.context["data"]["by_state"] == {"APPROVED": 1}
    assert client_of(host).get("/nhiem-vu/tong-hop/").status_code in (403, 404)


def test_call_decision_is_a_docx_with_the_task(client_of, open_task, staff_a, host):
    call = open_task.call
    response = client_of(staff_a).get(f"/nhiem-vu/dot/{call.pk}/quyet-dinh/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"
    assert client_of(host).get(f"/nhiem-vu/dot/{call.pk}/quyet-dinh/").status_code in (403, 404)
