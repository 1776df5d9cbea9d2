"""Real browser: the year calendar fits the screen; an administrator adds a day, wrong date first."""

import pytest

from tests.browser.conftest import skip_without_chromium

pytestmark = [pytest.mark.browser, skip_without_chromium]


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", "khcn-demo")
    with page.expect_navigation():
        page.click("main button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_staff_reads_the_year_calendar(live_server, browser_page):
    from khcn.core.demo import load_demo

    load_demo(skip=("science_and_technology_tasks",))  # people and calendar only
    page = browser_page
    login(page, live_server.url, "canbo")
    with page.expect_navigation():
        page.click("nav >> text=Lịch làm việc")
    page.goto(f"{live_server.url}/lich-lam-viec/?nam=2026")

    assert page.locator("h1").inner_text() == "Lịch làm việc năm 2026"
    assert page.locator("table.cal-month").count() == 12
    tet = page.locator('td[title="Thứ Ba, 17/02/2026 – Tết Nguyên Đán"]')
    assert tet.get_attribute("class") == "cal-off"
    assert page.locator("td.cal-makeup").count() == 1
    # every month grid has six rows of equal height, so the cards line up
    heights = page.eval_on_selector_all(
        "table.cal-month", "ts => ts.map(t => Math.round(t.getBoundingClientRect().height))"
    )
    assert len(set(heights)) == 1
    # nothing sticks out sideways: the page is exactly as wide as the window, here and on a phone
    assert page.evaluate("document.documentElement.scrollWidth") == 1366
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") == 390


@pytest.mark.django_db(transaction=True)
def test_admin_adds_a_day_off(live_server, browser_page):
    from khcn.core.demo import load_demo
    from khcn.core.models import CalendarOverride

    load_demo(skip=("science_and_technology_tasks",))  # people and calendar only
    before = CalendarOverride.objects.count()
    page = browser_page
    login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/lich-lam-viec/?nam=2026")
    with page.expect_navigation():
        page.click("text=Quản lý ngày nghỉ, làm bù")
    with page.expect_navigation():
        page.click("text=Thêm ngày")

    page.fill("#id_date", "30/02/2026")
    page.fill("#id_name", "Nghỉ lễ hội Hoa Phượng Đỏ")
    page.fill("#id_legal_document", "Thông báo 90/TB-UBND ngày 2/5/2026")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Ngày phải có dạng dd/mm/yyyy, ví dụ 02/01/2026." in page.locator("main").inner_text()

    page.fill("#id_date", "08/06/2026")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Đã thêm 08/06/2026 – Nghỉ lễ hội Hoa Phượng Đỏ." in page.locator("main").inner_text()
    assert CalendarOverride.objects.count() == before + 1

    page.goto(f"{live_server.url}/lich-lam-viec/?nam=2026")
    day = page.locator('td[title="Thứ Hai, 08/06/2026 – Nghỉ lễ hội Hoa Phượng Đỏ"]')
    assert day.get_attribute("class") == "cal-off cal-override"
