"""Real browser: a leader takes a workflow step from "Việc của tôi", wrong input first."""

import pytest

from tests.browser.conftest import skip_without_chromium

pytestmark = [pytest.mark.browser, skip_without_chromium]


@pytest.mark.django_db(transaction=True)
def test_leader_orders_a_proposal_from_my_work(live_server, browser_page):
    import datetime as dt

    from khcn.accounts.models import Agency, User
    from khcn.core import clock
    from khcn.core.demo import load_demo
    from tests.projects.steps import council_work, propose, run_council

    load_demo(skip=("science_and_technology_tasks",))  # the people; the task is made here
    hp = Agency.objects.get(code="hp")
    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    experts = [users[f"chuyengia{n}"] for n in range(1, 10)]
    day = clock.today() - dt.timedelta(days=60)
    proposal = propose(
        users["doanhnghiep"], hp, day=day, title="Nghiên cứu sản xuất giống cá song chấm nâu"
    )
    council = run_council(users["canbo"], proposal, "identification", experts, day=day, ballot=None)
    council_work(  # 8 of 9 say "Đạt yêu cầu": recommended, waiting for the leader
        users["canbo"], council, experts, day=day, ballot=lambda i, m: [(None, {"verdict": i < 8})]
    )
    page = browser_page
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "lanhdao")
    page.fill("#id_password", "khcn-demo")
    with page.expect_navigation():
        page.click("main button[type=submit]")

    item = page.locator(".work-item", has_text="giống cá song chấm nâu")
    assert "Quá hạn" in item.inner_text()  # the 30-day identification limit has passed
    with page.expect_navigation():
        item.click()
    with page.expect_navigation():
        page.click("text=Phê duyệt đặt hàng")

    page.fill("#id_decision_no", "")
    page.fill("#id_decision_date", "30/02/2026")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    form = page.locator("main").inner_text()
    assert "Nhập ngày theo dạng dd/mm/yyyy." in form
    assert "Trường này là bắt buộc." in form or "Cần nhập" in form

    page.fill("#id_decision_no", "21/QĐ-SKHCN")
    page.fill("#id_decision_date", "20/11/2026")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    main = page.locator("main").inner_text()
    assert "Đã thực hiện «Phê duyệt đặt hàng»." in main
    assert "Được đặt hàng" in page.locator(".page-header").inner_text()
    assert "Phê duyệt đặt hàng" in page.locator(".timeline").inner_text()

    with page.expect_navigation():  # the task's page links to its workflow record
        page.click("text=Sơ đồ, người tham gia, miễn thời hạn")
    page.click("text=Sơ đồ quy trình")
    page.wait_for_selector("pre.mermaid svg", timeout=10000)  # Mermaid drew the diagram offline
