"""Real browser: Debian's Chromium driven by Playwright, against the live server."""

import pytest

from tests.browser.conftest import skip_without_chromium

pytestmark = [pytest.mark.browser, skip_without_chromium]


@pytest.mark.django_db(transaction=True)
def test_staff_logs_in_and_sees_home(live_server, browser_page):
    from khcn.core.demo import load_demo

    load_demo(skip=("science_and_technology_tasks",))  # people and calendar only
    page = browser_page
    page.goto(f"{live_server.url}/")
    assert "/dang-nhap/" in page.url  # anonymous users are sent to the login page
    page.fill("#id_username", "canbo")
    page.fill("#id_password", "khcn-demo")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.rstrip("/") == live_server.url
    assert page.locator("h1").inner_text() == "Việc của tôi"
    assert "Trần Thị Thu Hà" in page.locator("nav").inner_text()
    # staff see the document library but not the audit trail or user management
    nav = page.locator("nav").inner_text()
    assert "Tài liệu" in nav and "Nhật ký" not in nav and "Người dùng" not in nav
    # the replaced report is waiting for its author
    assert "có phiên bản mới" in page.locator("main").inner_text()


@pytest.mark.django_db(transaction=True)
def test_wrong_password_shows_vietnamese_error(live_server, browser_page):
    from khcn.core.demo import load_demo

    load_demo(skip=("science_and_technology_tasks",))  # people and calendar only
    page = browser_page
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "canbo")
    page.fill("#id_password", "sai-mat-khau")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.locator("main").inner_text()
