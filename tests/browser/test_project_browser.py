"""Real browser: a host applies to an open call, an expert scores the application, and an
acceptance council rates the task; the other people's parts go through the services."""

import datetime as dt

import pytest

from tests.browser.conftest import skip_without_chromium
from tests.factories import PASSWORD, pdf_bytes

pytestmark = [pytest.mark.browser, skip_without_chromium]


def login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def submit(page, selector: str = "main form button[type=submit]") -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.django_db(transaction=True)
def test_apply_score_and_accept_in_the_browser(
    live_server,
    browser_page,
    tmp_path,
    rulesets,
    agency_a,
    staff_a,
    leader_a,
    host,
    experts,
    proposer,
):
    from khcn.core import clock
    from khcn.councils.models import Council
    from khcn.councils.services import (
        attendance_record,
        ballot_submit,
        conflict_declare,
        council_close,
        council_open,
    )
    from khcn.projects import services
    from khcn.projects.models import Application
    from tests.projects.steps import SCORES_HIGH, act, identify, propose, run_council

    base, page = live_server.url, browser_page
    today = clock.today()
    project = propose(proposer, agency_a, day=today - dt.timedelta(days=60))
    identify(staff_a, leader_a, project, experts)
    services.call_open(
        actor=staff_a,
        agency=agency_a,
        code="DOT-2027-01",
        title="Đợt tuyển chọn nhiệm vụ KH&CN năm 2027",
        year=2027,
        open_date=today - dt.timedelta(days=5),
        close_date=today + dt.timedelta(days=30),
        projects=[project],
        today=today,
    )

    # -- the host applies, a wrong amount first
    thuyet_minh = tmp_path / "thuyet-minh.pdf"
    thuyet_minh.write_bytes(pdf_bytes("Thuyet minh nhiem vu"))
    login(page, base, host.username)
    page.goto(f"{base}/nhiem-vu/dot/")
    submit(page, "text=Đợt tuyển chọn nhiệm vụ KH&CN năm 2027")
    submit(page, "main a:has-text('Nộp hồ sơ')")
    page.fill("#id_organisation", "Trường Đại học Hải Phòng")
    page.fill("#id_leader_name", "TS. Lê Minh Tuấn")
    page.fill("#id_summary", "Công nghệ ép bán khô kết hợp phụ gia xi măng – tro bay.")
    page.fill("input[name=budget-labour-state]", "400.000.000")
    page.fill("input[name=budget-materials-state]", "ba trăm triệu")
    page.fill("input[name=budget-equipment-state]", "150.000.000")
    page.fill("input[name=team-0-name]", "TS. Lê Minh Tuấn")
    page.set_input_files("#id_description_file", str(thuyet_minh))
    submit(page)
    assert "phải là số tiền" in page.locator("main").inner_text()
    page.fill("input[name=budget-materials-state]", "300.000.000")
    page.set_input_files("#id_description_file", str(thuyet_minh))
    submit(page)
    assert "Đã nộp hồ sơ lúc" in page.locator("main").inner_text()
    application = Application.objects.get()
    assert application.budget_lines.count() == 3

    # -- staff open the dossiers and a selection council (services); an expert scores online
    act(staff_a, project, "open_dossiers", today, opened_date=today)
    services.application_review(actor=staff_a, application=application, complete=True)
    council = run_council(staff_a, project, "selection", experts, day=today, ballot=None, size=7)
    council_open(actor=staff_a, council=council)
    first = council.members.order_by("pk").first()
    login(page, base, first.expert.username)
    page.goto(f"{base}/hoi-dong/{council.pk}/")
    page.check("input[name=has_conflict][value='0']")
    submit(page, "#viec-cua-toi button[type=submit]")
    submit(page, "#viec-cua-toi a.btn-primary")
    for code, value in SCORES_HIGH.items():
        page.fill(f"input[name=score_{code}]", str(value))
    page.fill("input[name=score_prior]", "30")  # more than the criterion's 12
    assert page.locator("#score-total").inner_text() == "104"
    submit(page)
    assert "Điểm từ 0 đến 12" in page.locator("main").inner_text()
    page.fill("input[name=score_prior]", "10.5")
    submit(page)
    assert "Đã chấm lúc" in page.locator("main").inner_text()
    members = list(council.members.order_by("pk"))
    for member in members[1:]:
        conflict_declare(actor=member.expert, member=member, has_conflict=False)
        ballot_submit(
            actor=member.expert,
            council=council,
            payload={"scores": SCORES_HIGH},
            application=application,
        )
    attendance_record(actor=staff_a, council=council, present={m.pk: True for m in members})
    council_close(actor=staff_a, council=council)
    act(staff_a, project, "score", today)
    project.refresh_from_db()
    assert project.host_org == "Trường Đại học Hải Phòng"

    # -- the task runs (services), then the acceptance council rates it online
    act(staff_a, project, "request_revision", today)
    act(
        staff_a,
        project,
        "appraise_budget",
        today,
        appraisal_date=today,
        appraised_budget=850_000_000,
    )
    act(
        leader_a,
        project,
        "approve",
        today,
        decision_no="45/QĐ-UBND",
        start_date=today - dt.timedelta(days=40),
        end_date=today + dt.timedelta(days=30),
        budget=850_000_000,
    )
    services.contract_register(
        actor=staff_a,
        project=project,
        number="15/HĐ-KHCN",
        signed_date=today,
        tranches=[{"milestone": "Tạm ứng", "planned_date": today, "amount": "850.000.000"}],
        today=today,
    )
    act(host, project, "start", today)
    services.product_add(actor=host, project=project, name="Quy trình sản xuất gạch không nung")
    services.product_add(actor=host, project=project, name="Gạch mẫu đạt TCVN 6477:2016")
    act(host, project, "internal_acceptance", today, internal_acceptance_date=today)
    from khcn.core.services import attachment_create
    from tests.factories import upload

    attachment_create(
        actor=host,
        agency=agency_a,
        title="Báo cáo tổng hợp",
        upload=upload("bc.pdf", pdf_bytes()),
        category="report",
        owner=project.process,
    )
    act(host, project, "submit_acceptance_dossier", today)
    act(staff_a, project, "accept_dossier", today)
    acceptance = run_council(staff_a, project, "acceptance", experts, day=today, ballot=None)
    act(
        leader_a,
        project,
        "form_council",
        today,
        council_decision_no="88/QĐ-SKHCN",
        council_decision_date=today,
    )
    council_open(actor=staff_a, council=acceptance)

    rater = acceptance.members.order_by("pk").first()
    login(page, base, rater.expert.username)
    page.goto(f"{base}/hoi-dong/{acceptance.pk}/")
    page.check("input[name=has_conflict][value='0']")
    submit(page, "#viec-cua-toi button[type=submit]")
    submit(page, "#viec-cua-toi a.btn-primary")
    for select in page.locator("main form select").all():
        select.select_option("DAT")
    submit(page)
    assert "Bạn đã nộp phiếu" in page.locator("main").inner_text()
    seats = list(acceptance.members.order_by("pk"))
    products = {
        str(p.pk): {"quantity": "DAT", "volume": "DAT", "quality": "DAT"}
        for p in project.products.all()
    }
    for member in seats[1:]:
        conflict_declare(actor=member.expert, member=member, has_conflict=False)
        ballot_submit(
            actor=member.expert, council=acceptance, payload={"products": products, "report": "DAT"}
        )

    # -- staff take the roll call and close the council in the browser
    login(page, base, staff_a.username)
    page.goto(f"{base}/hoi-dong/{acceptance.pk}/")
    for box in page.locator("form[action$='/diem-danh/'] input[type=checkbox]").all():
        box.check()
    submit(page, "form[action$='/diem-danh/'] button[type=submit]")
    page.once("dialog", lambda dialog: dialog.accept())
    submit(page, "form[action$='/ket-luan/'] button[type=submit]")
    acceptance.refresh_from_db()
    assert acceptance.state == Council.State.CLOSED and acceptance.outcome == "DAT"
    assert "Đạt" in page.locator("main").inner_text()

    page.goto(f"{base}/nhiem-vu/{project.pk}/")
    submit(page, "text=Ghi kết quả nghiệm thu: đạt")
    submit(page)
    assert "Nghiệm thu đạt" in page.locator(".page-header").inner_text()
    project.refresh_from_db()
    assert project.process.state == "PASSED" and project.rating == "DAT"
