"""Real browser: an anonymous visitor types without diacritics and the results follow."""

import pytest

from tests.browser.conftest import skip_without_chromium
from tests.search.conftest import agencies, note_type, notes  # noqa: F401

pytestmark = [pytest.mark.browser, skip_without_chromium]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("notes")
def test_visitor_searches_as_they_type(live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/tim-kiem/")
    assert page.title() == "Tìm kiếm cơ sở dữ liệu khoa học và công nghệ · KHCN"

    page.locator("#search-q").press_sequentially("cong nghe sinh hoc", delay=20)
    first = page.locator("#search-results ol li").first
    first.locator("mark").first.wait_for()
    assert first.locator("h2").inner_text() == "Công nghệ sinh học trong nông nghiệp"
    assert first.locator("h2 mark").all_inner_texts() == ["Công nghệ sinh học"]
    assert page.locator("#search-results ol li").count() == 5
    assert "q=cong%20nghe%20sinh%20hoc" in page.url  # the address follows, so it can be shared
    assert page.evaluate("document.documentElement.scrollWidth") == 1366

    page.locator("#search-q").fill("xyzzy")
    page.locator("#search-q").press("Enter")
    page.get_by_text("Không tìm thấy kết quả cho “xyzzy”.").wait_for()
