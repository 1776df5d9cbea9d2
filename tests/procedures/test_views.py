"""The procedure pages: public catalogue, lookup and certificate register without login; online
filing with its review step; the staff list, dossier page, steps and statistics."""

import datetime as dt
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from khcn.core import clock
from khcn.procedures import services
from khcn.procedures.models import Certificate, Dossier
from tests.factories import pdf_bytes, upload
from tests.procedures.helpers import APPLICANT, FORMS, TAX_CODE, act, pdf, submit

pytestmark = pytest.mark.django_db

CODE = "KHCN-DNKHCN-01"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the lookup's rate limit counts in the cache


def filing_post(**overrides) -> dict:
    data = {
        "kind": "organisation",
        "name": APPLICANT["name"],
        "tax_code": TAX_CODE,
        "representative": APPLICANT["representative"],
        "address": APPLICANT["address"],
        "phone": APPLICANT["phone"],
        "email": APPLICANT["email"],
        **{f"f_{k}": v for k, v in FORMS[CODE].items()},
    }
    data.update(overrides)
    return data


def documents(**overrides) -> dict:
    files = {
        "file_don": upload("don-de-nghi.pdf", pdf_bytes("Don")),
        "file_ket_qua_khcn": upload("xac-nhan-ket-qua.pdf", pdf_bytes("Ket qua")),
        "file_phuong_an": upload("phuong-an.pdf", pdf_bytes("Phuong an")),
    }
    files.update(overrides)
    return {k: v for k, v in files.items() if v is not None}


# --- public pages ----------------------------------------------------------------------------------


def test_catalogue_and_procedure_page_are_public(client, procedure_catalogue):
    page = client.get(reverse("procedure-catalogue"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ" in html
    assert "Giấy chứng nhận sáng kiến" in html or "sáng kiến" in html
    # search without diacritics, by field
    found = client.get(reverse("procedure-catalogue"), {"q": "sang kien"}).content.decode()
    assert "sáng kiến" in found and "doanh nghiệp khoa học và công nghệ</a>" not in found

    detail = client.get(reverse("procedure-detail", args=[CODE])).content.decode()
    for text in (
        "Nghị định số 13/2019/NĐ-CP",  # legal basis
        "10 ngày làm việc",  # the rule set's resolution limit
        "Bắt buộc",
        "Không thu phí",
        "Phòng Quản lý công nghệ và Thị trường công nghệ",
        "Nộp hồ sơ trực tuyến",
        "Tải mẫu",
    ):
        assert text in detail, text
    assert "/dang-nhap/?next=/thu-tuc/KHCN-DNKHCN-01/nop/" in detail
    assert client.get(reverse("procedure-detail", args=["KHONG-CO"])).status_code == 404


def test_form_template_downloads_as_docx(client, procedure_catalogue):
    response = client.get(reverse("procedure-form", args=[CODE, "don"]))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response.content[:2] == b"PK"
    assert client.get(reverse("procedure-form", args=[CODE, "phuong_an"])).status_code == 404


def test_lookup_answers_alike_for_unknown_and_malformed_codes_and_hides_the_applicant(
    client, procedure_catalogue, agency_a, enterprise
):
    dossier = submit(enterprise, agency_a)
    url = reverse("dossier-lookup")
    found = client.get(url, {"code": dossier.code.lower()})
    html = found.content.decode()
    assert found.status_code == 200
    assert dossier.code in html and "Cấp Giấy chứng nhận doanh nghiệp" in html
    assert dossier.promised_date.strftime("%d/%m/%Y") in html
    for private in (APPLICANT["name"], TAX_CODE, APPLICANT["address"], APPLICANT["email"]):
        assert private not in html

    def message(code):
        text = client.get(url, {"code": code}).content.decode()
        return re.search(r'id="lookup-message">(.*?)</div>', text, re.S).group(1)

    unknown, malformed = message("HP-TEST-2026-999999"), message("<script>x")
    assert unknown == malformed and "Không tìm thấy hồ sơ" in unknown


def test_lookup_is_rate_limited(client, procedure_catalogue):
    from khcn.procedures import throttle

    for _ in range(throttle.per_minute()):
        assert client.get(reverse("dossier-lookup"), {"code": "HP-2026-000001"}).status_code == 200
    refused = client.get(reverse("dossier-lookup"), {"code": "HP-2026-000001"})
    assert refused.status_code == 429
    assert "quá nhiều lần" in refused.content.decode()


def test_certificate_register_lists_only_valid_certificates(
    client, client_of, procedure_catalogue, agency_a, staff_a
):
    def cert(number, status, version=1, previous=None, holder="Công ty A"):
        return Certificate.objects.create(
            agency=agency_a,
            type="dn_khcn",
            number=number,
            version=version,
            previous=previous,
            change="issue" if version == 1 else "amend",
            issued_on=dt.date(2022, 3, 1),
            holder_name=holder,
            holder_tax_code=TAX_CODE,
            content="Chế phẩm vi sinh",
            status=status,
        )

    old = cert("01/2022/DNKHCN", "superseded", holder="Công ty Tên Cũ")
    new = cert("01/2022/DNKHCN", "valid", version=2, previous=old, holder="Công ty Tên Mới")
    revoked = cert("02/2022/DNKHCN", "revoked", holder="Công ty Đã Thu Hồi")
    html = client.get(reverse("certificate-register")).content.decode()
    assert "Công ty Tên Mới" in html
    assert "Công ty Tên Cũ" not in html and "Công ty Đã Thu Hồi" not in html
    assert (
        "Công ty Tên Mới"
        in client.get(reverse("certificate-register"), {"q": TAX_CODE}).content.decode()
    )
    assert client.get(reverse("certificate-detail", args=[new.pk])).status_code == 200
    assert client.get(reverse("certificate-detail", args=[revoked.pk])).status_code == 404
    staff = client_of(staff_a).get(reverse("certificate-detail", args=[old.pk]))
    assert staff.status_code == 200
    assert "Lần 2" in staff.content.decode()  # the version chain


# --- filing ------------------------------------------------------------------------------------------


def test_filing_with_review_keeps_the_uploads_and_gives_the_code(
    client_of, procedure_catalogue, agency_a, enterprise
):
    c = client_of(enterprise)
    url = reverse("dossier-file", args=[CODE])
    assert c.get(url).status_code == 200
    response = c.post(url, {**filing_post(), **documents()})
    assert response.status_code == 302 and response.url == reverse("dossier-review", args=[CODE])
    assert not Dossier.objects.exists()  # nothing filed before the review
    review = c.get(response.url).content.decode()
    for name in (
        "don-de-nghi.pdf",
        "xac-nhan-ket-qua.pdf",
        "phuong-an.pdf",
        "15/03/2018",
        TAX_CODE,
    ):
        assert name in review
    # back to the form: the files are still there, and are kept when nothing new is chosen
    again = c.get(url).content.decode()
    assert "don-de-nghi.pdf" in again
    assert c.post(url, filing_post()).status_code == 302
    with clock.travel(dt.date(2026, 4, 24)):
        done = c.post(reverse("dossier-review", args=[CODE]))
    dossier = Dossier.objects.get()
    assert done.url == reverse("dossier-submitted", args=[dossier.pk])
    assert dossier.documents.count() == 3 and dossier.applicant == enterprise
    page = c.get(done.url).content.decode()
    assert dossier.code in page and "13/05/2026" in page and "Tải giấy tiếp nhận" in page
    mine = c.get(reverse("dossier-mine")).content.decode()
    assert dossier.code in mine


@pytest.mark.parametrize(
    ("post", "files", "message"),
    [
        ({"tax_code": "0200167783"}, {}, "Mã số thuế"),
        ({"f_founded_on": "31/02/2020"}, {}, "không phải ngày hợp lệ"),
        (
            {"f_st_products": ""},
            {},
            "Cần nhập «Sản phẩm hình thành từ kết quả khoa học và công nghệ»",
        ),
        ({}, {"file_ket_qua_khcn": None}, "Thiếu thành phần hồ sơ bắt buộc"),
        ({}, {"file_don": upload("don.pdf", b"day khong phai PDF")}, "Nội dung tệp không đúng"),
        ({}, {"file_ket_qua_khcn": upload("ket-qua.docx", pdf_bytes())}, "chỉ nhận tệp .pdf"),
    ],
    ids=["tax-code", "date", "required", "missing-document", "fake-pdf", "wrong-type"],
)
def test_bad_filing_shows_vietnamese_errors_and_saves_nothing(
    client_of, procedure_catalogue, agency_a, enterprise, post, files, message
):
    c = client_of(enterprise)
    response = c.post(
        reverse("dossier-file", args=[CODE]), {**filing_post(**post), **documents(**files)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html, html[html.find("alert-danger") : html.find("alert-danger") + 600]
    assert "Chưa có gì được nộp" in html
    assert not Dossier.objects.exists()
    # the review page cannot be reached with the bad draft, nor submit it
    review = reverse("dossier-review", args=[CODE])
    assert c.get(review).url == reverse("dossier-file", args=[CODE])
    assert c.post(review).status_code == 302 and not Dossier.objects.exists()


def test_only_applicants_file(client, client_of, procedure_catalogue, staff_a):
    url = reverse("dossier-file", args=[CODE])
    assert client.get(url).url.startswith(reverse("login"))
    response = client_of(staff_a).get(url)
    assert response.status_code == 302 and response.url == reverse("procedure-detail", args=[CODE])


# --- the department ------------------------------------------------------------------------------------


def test_staff_list_sorted_by_due_date_with_constant_queries(
    client_of, procedure_catalogue, agency_a, staff_a, enterprise, other_enterprise
):
    url = reverse("dossier-list")
    first = submit(enterprise, agency_a, on=dt.date(2026, 11, 2))
    c = client_of(staff_a)
    with clock.travel(dt.date(2026, 11, 17)):
        with CaptureQueriesContext(connection) as one:
            assert c.get(url).status_code == 200
        for day in (3, 4, 5, 6):
            submit(enterprise, agency_a, on=dt.date(2026, 11, day))
        with CaptureQueriesContext(connection) as five:
            page = c.get(url)
        overdue = c.get(url, {"han": "overdue"}).content.decode()
    assert len(five) == len(one)
    html = page.content.decode()
    # 10 working days: filed 2/11 → due 16/11, overdue on 17/11; filed 6/11 → due 20/11
    assert html.index(first.code) < html.index("HP-TEST-2026-000005")
    assert "quá hạn 1 ngày làm việc" in html and "còn 3 ngày làm việc" in html
    assert first.code in overdue and "HP-TEST-2026-000005" not in overdue
    assert client_of(enterprise).get(url).status_code == 404
    other = client_of(other_enterprise)
    assert other.get(reverse("dossier-detail", args=[first.pk])).status_code == 404
    assert Client().get(url).status_code == 302  # anonymous: to the login page


def test_staff_steps_and_applicant_supplement(
    client_of, procedure_catalogue, agency_a, staff_a, enterprise
):
    dossier = submit(enterprise, agency_a)
    staff = client_of(staff_a)
    page = staff.get(reverse("dossier-detail", args=[dossier.pk])).content.decode()
    step_url = reverse("dossier-step", args=[dossier.pk, "request_supplement"])
    assert step_url in page  # the engine offers the step, the page shows it
    assert APPLICANT["address"] in page and "Lịch sử xử lý" in page
    empty = staff.post(step_url, {"expected_state": "RECEIVED", "items": ""})
    assert empty.status_code == 200 and Dossier.objects.get().state == "RECEIVED"
    staff.post(step_url, {"expected_state": "RECEIVED", "items": "Bản sao văn bằng bảo hộ"})
    assert Dossier.objects.get().state == "SUPPLEMENT_REQUESTED"

    applicant = client_of(enterprise)
    mine = applicant.get(reverse("dossier-detail", args=[dossier.pk])).content.decode()
    assert reverse("dossier-supplement", args=[dossier.pk]) in mine
    url = reverse("dossier-supplement", args=[dossier.pk])
    assert "Bản sao văn bằng bảo hộ" in applicant.get(url).content.decode()
    nothing = applicant.post(url, {"remark": "Gửi bổ sung"})
    assert "Cần gửi kèm ít nhất một tệp" in nothing.content.decode()
    done = applicant.post(url, {"remark": "Gửi bổ sung", "file_ket_qua_khcn": pdf("van-bang.pdf")})
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == "RECEIVED" and dossier.documents.filter(round=1).count() == 1


def test_counter_registration(client_of, procedure_catalogue, agency_a, staff_a, enterprise):
    c = client_of(staff_a)
    url = reverse("dossier-counter")
    assert "KHCN-DNKHCN-01" in c.get(url).content.decode()
    bad = c.post(f"{url}?thu_tuc={CODE}", {**filing_post(tax_code="12"), **documents()})
    assert bad.status_code == 200 and not Dossier.objects.exists()
    ok = c.post(f"{url}?thu_tuc={CODE}", {**filing_post(), **documents()})
    dossier = Dossier.objects.get()
    assert ok.url == reverse("dossier-submitted", args=[dossier.pk])
    assert dossier.channel == "counter" and dossier.received_by == staff_a
    assert client_of(enterprise).get(url).status_code == 404


def test_statistics_page_and_xlsx_show_the_same_figures(
    client_of, procedure_catalogue, agency_a, staff_a, leader_a, enterprise
):
    done = submit(enterprise, agency_a, on=dt.date(2026, 3, 2))
    act(staff_a, done, "accept", dt.date(2026, 3, 3))
    submit(enterprise, agency_a, on=dt.date(2026, 3, 4))
    c = client_of(staff_a)
    page = c.get(reverse("dossier-statistics"), {"nam": "2026", "quy": "1"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "quý 1/2026" in html and "01/01/2026" in html and "31/03/2026" in html
    row = re.search(r"<tfoot[^>]*>(.*?)</tfoot>", html, re.S).group(1)
    page_total = [
        re.sub(r"<.*?>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    xlsx = c.get(reverse("dossier-statistics-xlsx"), {"nam": "2026", "quy": "1"})
    assert xlsx["Content-Type"].endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sheet["A3"].font.bold
    rows = list(sheet.iter_rows(values_only=True))
    total = next(r for r in rows if r and r[0] == "Tổng cộng")
    assert [str(v) if v is not None else "—" for v in total[1:-1]] == page_total[1:-1]
    assert total[1] == 2  # two received in the quarter
    outsider = client_of(enterprise)
    assert outsider.get(reverse("dossier-statistics")).status_code == 404
    assert outsider.get(reverse("dossier-statistics-xlsx")).status_code == 404


def test_leader_refuses_with_reasons(
    client_of, procedure_catalogue, agency_a, staff_a, leader_a, enterprise
):
    dossier = submit(enterprise, agency_a)
    act(staff_a, dossier, "accept", clock.today())
    services.dossier_appraise(
        actor=staff_a, dossier=Dossier.objects.get(), recommendation="refuse", appraisal="Chưa đạt."
    )
    leader = client_of(leader_a)
    page = leader.get(reverse("dossier-detail", args=[dossier.pk])).content.decode()
    refuse = reverse("dossier-step", args=[dossier.pk, "refuse"])
    assert refuse in page and reverse("dossier-step", args=[dossier.pk, "approve"]) in page
    no_reason = leader.post(refuse, {"expected_state": "AWAITING_DECISION", "remark": ""})
    assert no_reason.status_code == 200 and Dossier.objects.get().state == "AWAITING_DECISION"
    leader.post(refuse, {"expected_state": "AWAITING_DECISION", "remark": "Chưa có kết quả KH&CN."})
    assert Dossier.objects.get().state == "REFUSED"
    # a finished step cannot be taken again: back to the dossier with the reason
    again = leader.get(refuse)
    assert again.status_code == 302 and again.url == reverse("dossier-detail", args=[dossier.pk])


def test_certificate_issue_and_apology_pages(
    client, client_of, procedure_catalogue, agency_a, staff_a, leader_a, enterprise
):
    # filed Monday 2/11/2026, due 16/11 (10 working days); approved late, on 17/11
    dossier = submit(enterprise, agency_a, on=dt.date(2026, 11, 2))
    act(staff_a, dossier, "accept", dt.date(2026, 11, 3))
    with clock.travel(dt.date(2026, 11, 13)):
        services.dossier_appraise(
            actor=staff_a, dossier=Dossier.objects.get(), recommendation="approve", appraisal="Đạt."
        )
    with clock.travel(dt.date(2026, 11, 17)):
        services.dossier_decide(actor=leader_a, dossier=Dossier.objects.get(), approve=True)
        staff = client_of(staff_a)
        page = staff.get(reverse("dossier-detail", args=[dossier.pk])).content.decode()
        assert reverse("dossier-certificate", args=[dossier.pk]) in page
        assert reverse("dossier-apology", args=[dossier.pk]) in page  # late: the letter is due
        assert "quá hạn 1 ngày làm việc" in page
        url = reverse("dossier-apology", args=[dossier.pk])
        bad = staff.post(url, {"new_date": "14/11/2026", "reason": "Chờ ý kiến chuyên gia."})
        assert "Ngày hẹn mới phải sau hôm nay" in bad.content.decode()
        staff.post(url, {"new_date": "20/11/2026", "reason": "Chờ ý kiến chuyên gia."})
        dossier.refresh_from_db()
        assert dossier.promised_date == dt.date(2026, 11, 20) and dossier.apologies.count() == 1
        issue = reverse("dossier-certificate", args=[dossier.pk])
        assert "Chế phẩm vi sinh CH-Bio 01" in staff.get(issue).content.decode()
        assert staff.post(issue, {"content": "", "remark": ""}).status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.content.startswith("Chế phẩm vi sinh CH-Bio 01")
    assert Dossier.objects.get().state == "RESULT_ISSUED"
    # the applicant cannot reach the department's pages of their own dossier
    assert client_of(enterprise).get(issue).status_code in (403, 404)
    register = Client().get(reverse("certificate-register")).content.decode()
    assert APPLICANT["name"] in register and certificate.number in register
