"""Every document renders from its sample with the figures in place; errors in a template
are Vietnamese DomainErrors; PDF through LibreOffice."""

import io
import shutil
import subprocess
from decimal import Decimal

import docx
import pytest

from khcn.core.errors import DomainError
from khcn.documents import render as rendering
from khcn.documents.catalogue import DOCUMENTS
from khcn.documents.render import (
    check_template,
    default_template,
    pdf_available,
    render,
    render_template,
    to_pdf,
)
from tests.documents.conftest import docx_text, edited_template

HEADER = [
    "UBND THÀNH PHỐ HẢI PHÒNG",
    "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
]
TASK = "Nghiên cứu công nghệ xử lý bã thạch cao phospho (phosphogypsum) làm vật liệu xây dựng"

EXPECTED = {
    "task_list_decision": [
        "Số: 125/QĐ-SKHCN",
        "Hải Phòng, ngày 05 tháng 3 năm 2026",
        "QUYẾT ĐỊNH",
        "danh mục nhiệm vụ khoa học và công nghệ cấp thành phố năm 2026",
        "Phê duyệt danh mục 3 nhiệm vụ",
        "2.720.000.000 đồng (Bằng chữ: Hai tỷ bảy trăm hai mươi triệu đồng)",
        "ĐT.KHCN.2026.03",
        TASK,
        "Trường Đại học Hải Phòng",
        "TS. Phạm Thị Thu Hằng",
        "850.000.000",
        "620.000.000",
        "1.250.000.000",
        "Dự án sản xuất thử nghiệm",
        "(Bằng chữ: Hai tỷ bảy trăm hai mươi triệu đồng)",
        "Nơi nhận:",
        "GIÁM ĐỐC",
        "Nguyễn Văn Minh",
    ],
    "council_decision": [
        "Số: 302/QĐ-SKHCN",
        "Hải Phòng, ngày 08 tháng 5 năm 2028",
        "Về việc thành lập Hội đồng tư vấn đánh giá, nghiệm thu kết quả thực hiện nhiệm vụ",
        f"nhiệm vụ “{TASK}”, mã số ĐT.KHCN.2026.03",
        "tổ chức chủ trì: Trường Đại học Hải Phòng, chủ nhiệm: TS. Phạm Thị Thu Hằng",
        "gồm 7 thành viên",
        "Trần Đức Long",
        "PGS.TS.",
        "Trường Đại học Xây dựng Hà Nội",
        "Chủ tịch Hội đồng",
        "Ủy viên, Thư ký khoa học",
        "Nguyễn Văn Minh",
    ],
    "council_minutes": [
        "Số: …/BB-SKHCN",
        "Hải Phòng, ngày 26 tháng 02 năm 2026",
        "BIÊN BẢN",
        "Họp Hội đồng tư vấn tuyển chọn tổ chức, cá nhân chủ trì thực hiện nhiệm vụ",
        "ngày 26 tháng 02 năm 2026, tại Hải Phòng",
        "có mặt 6/7 thành viên, vắng mặt 1 thành viên",
        "Vắng",
        "Trường Đại học Hải Phòng (chủ nhiệm: TS. Phạm Thị Thu Hằng)",
        "86,40",
        "87,25",
        "61,80",
        "Không",
        "Đề nghị Trường Đại học Hải Phòng chủ trì thực hiện nhiệm vụ",
        "THƯ KÝ HỘI ĐỒNG",
        "ThS. Vũ Thị Lan Anh",
        "CHỦ TỊCH HỘI ĐỒNG",
        "PGS.TS. Trần Đức Long",
    ],
    "contract": [
        "Số: 15/2026/HĐ-SKHCN",
        "Hải Phòng, ngày 20 tháng 4 năm 2026",
        "HỢP ĐỒNG",
        "Hôm nay, ngày 20 tháng 4 năm 2026, tại Hải Phòng",
        "BÊN ĐẶT HÀNG (Bên A): Sở Khoa học và Công nghệ thành phố Hải Phòng",
        "Đại diện: Ông/Bà Lê Thanh Bình, chức vụ: Hiệu trưởng",
        "Số 171 Phan Đăng Lưu, phường Kiến An, thành phố Hải Phòng",
        "từ ngày 01 tháng 5 năm 2026 đến ngày 30 tháng 4 năm 2028",
        "1.000.000.000 đồng (Bằng chữ: Một tỷ đồng)",
        "ngân sách nhà nước 850.000.000 đồng, kinh phí từ nguồn khác 150.000.000 đồng",
        "khoán chi đến sản phẩm cuối cùng",
        "Sau khi hợp đồng được ký kết",
        "ngày 15 tháng 5 năm 2026",
        "340.000.000",
        "170.000.000",
        "DỰ TOÁN KINH PHÍ THỰC HIỆN NHIỆM VỤ",
        "Thuê khoán chuyên môn",
        "512.000.000",
        "Nguồn khác",
        "(Bằng chữ: Một tỷ đồng)",
        "ĐẠI DIỆN BÊN A",
        "ĐẠI DIỆN BÊN B",
    ],
    "acceptance_minutes": [
        "Hải Phòng, ngày 20 tháng 5 năm 2028",
        "đánh giá, nghiệm thu kết quả thực hiện nhiệm vụ",
        "có mặt 7/7 thành viên:",
        "Gạch bê tông không nung từ bã thạch cao phospho (5.000 viên)",
        "Xuất sắc",
        "Số phiếu đánh giá mức “Xuất sắc”: 2; mức “Đạt”: 5; mức “Không đạt”: 0.",
        "Hội đồng đánh giá nhiệm vụ ở mức: Đạt.",
        "TCVN 6477:2016",
        "PGS.TS. Trần Đức Long",
    ],
    "recognition_decision": [
        "Số: 418/QĐ-SKHCN",
        "Hải Phòng, ngày 10 tháng 6 năm 2028",
        "Về việc công nhận kết quả thực hiện nhiệm vụ",
        f"Tên nhiệm vụ: {TASK}",
        "Tổ chức chủ trì: Trường Đại học Hải Phòng",
        "Thời gian thực hiện: từ ngày 01 tháng 5 năm 2026 đến ngày 30 tháng 4 năm 2028",
        "850.000.000 đồng (Bằng chữ: Tám trăm năm mươi triệu đồng)",
        "Kết quả đánh giá: Đạt",
        "số 27/2028/GCN-SKHCN",
    ],
    "liquidation_record": [
        "Hải Phòng, ngày 15 tháng 7 năm 2028",
        "Thanh lý hợp đồng thực hiện nhiệm vụ khoa học và công nghệ",
        "Căn cứ Hợp đồng số 15/2026/HĐ-SKHCN ngày 20 tháng 4 năm 2026",
        "1.000.000.000",
        "850.000.000",
        "842.350.000",
        "7.650.000 đồng (Bằng chữ: Bảy triệu sáu trăm năm mươi nghìn đồng)",
        "kết quả đánh giá, nghiệm thu: Đạt",
        "Lê Thanh Bình",
    ],
    "dossier_receipt": [
        "Mã hồ sơ: HP-2026-000123",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Công ty Cổ phần Công nghệ Sinh học Cát Hải",
        "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
        "10 ngày làm việc",
        "14:20 ngày 27/04/2026",
        "Thời gian trả kết quả giải quyết hồ sơ: ngày 13 tháng 5 năm 2026",
        "Văn bản xác nhận, công nhận kết quả KH&CN",
        "Trần Thị Thu Hà",
    ],
    "apology_letter": [
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Kính gửi: Công ty Cổ phần Công nghệ Sinh học Cát Hải.",
        "Ngày 27 tháng 4 năm 2026, Sở Khoa học và Công nghệ Hải Phòng tiếp nhận hồ sơ mã số "
        "HP-2026-000123",
        "Thời hạn trả kết quả giải quyết hồ sơ là ngày 13 tháng 5 năm 2026",
        "Lý do: Hồ sơ cần lấy thêm ý kiến của Hội đồng tư vấn",
        "hẹn lại thời gian trả kết quả vào ngày 20 tháng 5 năm 2026",
        "Nguyễn Văn Minh",
    ],
    "certificate": [
        "Số: 07/2026/DNKHCN",
        "GIẤY CHỨNG NHẬN DOANH NGHIỆP KHOA HỌC VÀ CÔNG NGHỆ",
        "Căn cứ Nghị định số 13/2019/NĐ-CP ngày 01/02/2019 của Chính phủ;",
        "Tên tổ chức: Công ty Cổ phần Công nghệ Sinh học Cát Hải",
        "Mã số thuế (mã số doanh nghiệp): 0200167782",
        "Chế phẩm vi sinh xử lý nước nuôi tôm CH-Bio 01",
        "Giấy chứng nhận có hiệu lực đến: ngày 11 tháng 5 năm 2031",
        "GIÁM ĐỐC",
    ],
}


def test_every_document_has_expectations():
    assert set(EXPECTED) == set(DOCUMENTS)


@pytest.mark.parametrize("code", list(DOCUMENTS))
def test_sample_renders_with_its_figures(code):
    text = docx_text(render(code, DOCUMENTS[code].sample()))

    for expected in HEADER + EXPECTED[code]:
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text and "}}" not in text


@pytest.mark.parametrize("code", list(DOCUMENTS))
def test_default_template_passes_the_strict_check(code):
    assert docx_text(check_template(code, default_template(code)))


@pytest.mark.parametrize("code", list(DOCUMENTS))
def test_page_and_fonts_follow_decree_30(code):
    document = docx.Document(io.BytesIO(render(code, DOCUMENTS[code].sample())))
    first = document.sections[0]

    def mm(*lengths):  # Word stores twentieths of a point
        return tuple(round(length.mm, 1) for length in lengths)

    assert mm(first.page_width, first.page_height) == (210, 297)
    assert mm(first.top_margin, first.bottom_margin) == (20, 20)
    assert mm(first.left_margin, first.right_margin) == (30, 15)
    assert document.styles["Normal"].font.name == "Times New Roman"
    header = document.tables[0]
    assert len(header.columns) == 2
    assert header.cell(0, 0).paragraphs[1].runs[0].bold  # the agency's name
    assert header.cell(0, 1).paragraphs[0].runs[0].bold  # the national title
    date_run = header.cell(1, 1).paragraphs[0].runs[0]
    assert date_run.italic and "ngày" in date_run.text


def test_the_budget_annex_of_the_contract_starts_a_new_page():
    content = render("contract", DOCUMENTS["contract"].sample())
    body = docx.Document(io.BytesIO(content)).element.body.xml

    assert body.index('w:type="page"') < body.index("DỰ TOÁN KINH PHÍ")


@pytest.mark.parametrize(
    ("kind", "tally", "expected", "absent"),
    [
        (
            "identification",
            {"identification": {"yes": 5, "no": 2, "valid": 7}},
            "Số phiếu hợp lệ: 7; số phiếu đề nghị thực hiện: 5; số phiếu không đề nghị thực hiện: 2.",
            "Xếp hạng",
        ),
        (
            "acceptance",
            {"acceptance": {"xuat_sac": 1, "dat": 5, "khong_dat": 1}},
            "Số phiếu đánh giá mức “Xuất sắc”: 1; mức “Đạt”: 5; mức “Không đạt”: 1.",
            "Xếp hạng",
        ),
        ("selection", {}, "Xếp hạng", "Số phiếu hợp lệ:"),
    ],
)
def test_council_minutes_show_the_tally_of_the_council_kind(kind, tally, expected, absent):
    context = DOCUMENTS["council_minutes"].sample()
    context["council"]["kind"] = kind
    if kind != "selection":
        context["selection"] = None
    context.update(tally)

    text = docx_text(render("council_minutes", context))

    assert expected in text
    assert absent not in text


@pytest.mark.parametrize(
    ("lump_sum", "expected"),
    [
        (True, "khoán chi đến sản phẩm cuối cùng"),
        (False, "khoán chi từng phần"),
        ("Khoán chi từng phần", "khoán chi từng phần"),  # a choice label, as the projects app has
    ],
)
def test_contract_lump_sum(lump_sum, expected):
    context = DOCUMENTS["contract"].sample()
    context["contract"]["lump_sum"] = lump_sum

    assert f"Phương thức khoán chi: {expected}." in docx_text(render("contract", context))


def test_nothing_to_refund():
    context = DOCUMENTS["liquidation_record"].sample()
    context["refund"] = Decimal(0)

    text = docx_text(render("liquidation_record", context))

    assert "Bên B không phải nộp trả kinh phí." in text
    assert "có trách nhiệm nộp trả" not in text


def test_an_empty_number_leaves_dots_to_fill():
    context = DOCUMENTS["recognition_decision"].sample()
    context["doc"]["number"] = ""

    assert "Số: …/QĐ-SKHCN" in docx_text(render("recognition_decision", context))


def test_text_is_escaped_for_word():
    context = DOCUMENTS["recognition_decision"].sample()
    context["project"]["host"] = "Viện KH&CN <Hải Phòng> “mới”"

    text = docx_text(render("recognition_decision", context))

    assert "Tổ chức chủ trì: Viện KH&CN <Hải Phòng> “mới”" in text


def test_a_value_the_record_lacks_prints_as_nothing():
    """A real document is never blocked by an empty field; the strict check is for uploads."""
    context = DOCUMENTS["recognition_decision"].sample()
    del context["project"]["leader"]
    context["project"]["budget"] = None

    text = docx_text(render("recognition_decision", context))

    assert "Chủ nhiệm nhiệm vụ: \n" in text + "\n"
    assert "Kinh phí từ ngân sách nhà nước:  đồng" in text


def test_a_missing_key_of_the_contract_is_named():
    context = DOCUMENTS["contract"].sample()
    del context["tranches"]

    with pytest.raises(DomainError, match="tranches") as caught:
        render("contract", context)

    assert "Hợp đồng thực hiện nhiệm vụ khoa học và công nghệ" in caught.value.message


def test_unknown_document():
    with pytest.raises(LookupError):
        render("cong_van", {})


# --- errors in a template -------------------------------------------------------------------------


def test_a_syntax_error_names_the_template_and_the_paragraph():
    broken = edited_template("contract", "Giá trị: {{ foo(")

    with pytest.raises(DomainError) as caught:
        render_template(broken, DOCUMENTS["contract"].sample(), title="Hợp đồng")

    error = caught.value
    assert error.code == "syntax"
    assert error.message.startswith("Mẫu “Hợp đồng” có lỗi: lỗi cú pháp")
    assert "Giá trị: {{ foo(" in error.message


def test_an_undefined_name_used_as_an_object_is_an_error_even_when_lenient():
    template = edited_template("recognition_decision", "{{ projet.title }}")

    with pytest.raises(DomainError) as caught:
        render_template(template, DOCUMENTS["recognition_decision"].sample(), title="QĐ")

    assert caught.value.code == "undefined"
    assert "projet" in caught.value.message


def test_the_strict_check_refuses_a_misspelt_attribute():
    template = edited_template("recognition_decision", "{{ project.titel }}")

    render_template(template, DOCUMENTS["recognition_decision"].sample(), title="QĐ")
    with pytest.raises(DomainError) as caught:
        check_template("recognition_decision", template)

    assert caught.value.code == "undefined"
    assert "titel" in caught.value.message


def test_a_filter_on_the_wrong_value_is_an_error():
    template = edited_template("recognition_decision", "{{ project.title|words }}")

    with pytest.raises(DomainError) as caught:
        check_template("recognition_decision", template)

    assert caught.value.code == "render"
    assert "Quyết định công nhận kết quả thực hiện nhiệm vụ" in caught.value.message


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04broken"])
def test_not_a_word_file(content):
    with pytest.raises(DomainError) as caught:
        render_template(content, {}, title="Hợp đồng")

    assert caught.value.code == "not_docx"


# --- file names -----------------------------------------------------------------------------------


def test_file_names_are_plain_ascii():
    spec = DOCUMENTS["contract"]

    assert spec.filename(spec.sample()) == "Hop-dong-DT.KHCN.2026.03.docx"
    assert DOCUMENTS["task_list_decision"].filename({"year": 2026}, "pdf") == (
        "QD-phe-duyet-danh-muc-nhiem-vu-2026.pdf"
    )
    assert spec.filename({}) == "contract.docx"


# --- PDF ------------------------------------------------------------------------------------------

needs_libreoffice = pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed")


@needs_libreoffice
def test_contract_as_pdf():
    pdf = to_pdf(render("contract", DOCUMENTS["contract"].sample()))

    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "1.000.000.000 đồng (Bằng chữ: Một tỷ đồng)" in " ".join(text.split())
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_without_libreoffice_there_is_no_pdf(monkeypatch):
    monkeypatch.setattr(rendering.shutil, "which", lambda name: None)

    assert not pdf_available()
    assert to_pdf(b"anything") is None


def _fake_soffice(tmp_path, script: str):
    path = tmp_path / "soffice"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)
    return str(path)


def test_a_failed_conversion_is_a_domain_error(monkeypatch, tmp_path):
    fake = _fake_soffice(tmp_path, "echo 'cannot convert' >&2\nexit 1\n")
    monkeypatch.setattr(rendering, "soffice_path", lambda: fake)

    with pytest.raises(DomainError) as caught:
        to_pdf(b"PK")

    assert caught.value.code == "pdf_failed"


def test_a_conversion_that_hangs_is_stopped(monkeypatch, tmp_path):
    fake = _fake_soffice(tmp_path, "sleep 30\n")
    monkeypatch.setattr(rendering, "soffice_path", lambda: fake)

    with pytest.raises(DomainError) as caught:
        to_pdf(b"PK", timeout=0.5)

    assert caught.value.code == "pdf_timeout"


@pytest.mark.parametrize("code", list(DOCUMENTS))
def test_committed_templates_match_the_build_script(code):
    """`python -m khcn.documents.build_templates` regenerates the packaged defaults."""
    from khcn.documents.build_templates import build

    def body_xml(content: bytes) -> str:
        return docx.Document(io.BytesIO(content)).element.body.xml

    assert body_xml(build(code)) == body_xml(default_template(code))


def test_filters_accept_what_records_hold():
    env = rendering.jinja_env()

    def fill(source, **context):
        return env.from_string(source).render(**context)

    assert fill("{{ d|ngay }}", d="2026-02-03") == "ngày 03 tháng 02 năm 2026"
    assert fill("{{ d|ngay }}", d=None) == "ngày … tháng … năm …"
    assert fill("{{ x|vnd }}|{{ x|words }}", x=None) == "|"
    assert fill("{{ missing|vnd }}") == ""
    assert fill("{{ s|diem }}", s=87.25) == "87,25"
    assert fill("{{ s|diem }}", s=Decimal("61.8")) == "61,80"
    with pytest.raises(Exception, match="missing"):
        rendering.jinja_env(strict=True).from_string("{{ missing|vnd }}").render()
