"""Real browser: a leader takes a workflow step from "Việc của tôi", wrong input first."""

import pytest

from tests.browser.conftest import skip_without_chromium

pytestmark = [pytest.mark.browser, skip_without_chromium]


@pytest.mark.django_db(transaction=True)
def test_leader_orders_a_proposal_from_my_work(live_server, browser_page):
    from khcn.core.demo import load_demo

    load_demo()
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

    page.click("text=Sơ đồ quy trình")
    page.wait_for_selector("pre.mermaid svg", timeout=10000)  # Mermaid drew the diagram offline
