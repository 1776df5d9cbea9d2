"""Real browser: an enterprise files a S&T enterprise certificate dossier through the online
form with its uploads, reviews it, gets the dossier code, and the public lookup (no login)
finds it."""

import pytest

from tests.browser.conftest import skip_without_chromium
from tests.factories import PASSWORD, pdf_bytes
from tests.procedures.helpers import APPLICANT, FORMS, TAX_CODE

pytestmark = [pytest.mark.browser, skip_without_chromium]


@pytest.mark.django_db(transaction=True)
def test_enterprise_files_online_and_the_public_lookup_finds_it(
    live_server, browser_page, tmp_path, procedure_catalogue, agency_a, enterprise
):
    from khcn.procedures.models import Dossier

    base, page = live_server.url, browser_page
    files = {}
    for key in ("don", "ket_qua_khcn", "phuong_an"):
        files[key] = tmp_path / f"{key}.pdf"
        files[key].write_bytes(pdf_bytes(key))

    # the catalogue page, then the login it asks for
    page.goto(f"{base}/thu-tuc/KHCN-DNKHCN-01/")
    with page.expect_navigation():
        page.click("main a:has-text('Nộp hồ sơ trực tuyến')")
    page.fill("#id_username", enterprise.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.endswith("/thu-tuc/KHCN-DNKHCN-01/nop/")

    # a wrong tax code first: a Vietnamese message, the files chosen are kept
    page.fill("#id_name", APPLICANT["name"])
    page.fill("#id_tax_code", "0200167783")
    page.fill("#id_address", APPLICANT["address"])
    form = FORMS["KHCN-DNKHCN-01"]
    page.fill("#id_f_business_reg_no", form["business_reg_no"])
    page.fill("#id_f_founded_on", form["founded_on"])
    page.fill("#id_f_st_results", form["st_results"])
    page.fill("#id_f_st_products", form["st_products"])
    for key, path in files.items():
        page.set_input_files(f"#file_{key}", str(path))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "sai chữ số kiểm tra" in page.inner_text("main")
    assert "don.pdf" in page.inner_text("main")  # kept on the server, not chosen again
    assert not Dossier.objects.exists()

    page.fill("#id_tax_code", TAX_CODE)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    review = page.inner_text("main")
    assert "Xem lại hồ sơ trước khi nộp" in review
    assert "ket_qua_khcn.pdf" in review and TAX_CODE in review
    with page.expect_navigation():
        page.click("main button:has-text('Nộp hồ sơ')")
    code = page.inner_text("#dossier-code").strip()
    dossier = Dossier.objects.get()
    assert code == dossier.code and dossier.documents.count() == 3

    # anyone can look the dossier up by its code, without the applicant's details
    page.context.clear_cookies()
    page.goto(f"{base}/tra-cuu/")
    page.fill("#id_code", code)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    result = page.inner_text("#lookup-result")
    assert code in result and "Cấp Giấy chứng nhận doanh nghiệp" in result
    assert dossier.promised_date.strftime("%d/%m/%Y") in result
    assert APPLICANT["name"] not in page.content() and TAX_CODE not in page.content()
