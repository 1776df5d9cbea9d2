"""Real browser: an anonymous visitor searches the register without diacritics and opens a
public organisation's page; a restricted organisation never shows up."""

import pytest

from tests.browser.conftest import skip_without_chromium

pytestmark = [pytest.mark.browser, skip_without_chromium]


@pytest.mark.django_db(transaction=True)
def test_anonymous_search_without_diacritics_opens_the_organisation(
    live_server, browser_page, agency_a, staff_a
):
    from khcn.registry import services

    org = services.organisation_create(
        actor=staff_a,
        agency=agency_a,
        name="Trường Đại học Hải Phòng",
        abbreviation="DHP",
        kind="university",
        tax_code="0200167782",
        province_code=31,
        description="Đào tạo và nghiên cứu khoa học đa ngành tại Hải Phòng.",
    )
    services.organisation_create(
        actor=staff_a,
        agency=agency_a,
        name="Trường Đại học Hải Phòng – Phân hiệu kín",
        kind="university",
        access="restricted",
    )
    base, page = live_server.url, browser_page

    page.goto(f"{base}/csdl/")
    assert page.title() == "Cơ sở dữ liệu khoa học và công nghệ · KHCN"
    page.fill("#register-q", "truong dai hoc hai phong")
    with page.expect_navigation():
        page.press("#register-q", "Enter")
    assert "/tim-kiem/?q=truong+dai+hoc+hai+phong" in page.url
    results = page.locator(".search-results a")
    assert results.count() == 1  # the restricted one is not there
    assert "Trường Đại học Hải Phòng" in results.first.inner_text()

    with page.expect_navigation():
        results.first.click()
    assert page.url == f"{base}/csdl/to-chuc/{org.pk}/"
    assert page.locator("h1").inner_text().startswith("Trường Đại học Hải Phòng")
    assert page.locator('meta[property="og:title"]').get_attribute("content") == (
        "Trường Đại học Hải Phòng"
    )
    assert "0200167782" in page.locator("main").inner_text()
