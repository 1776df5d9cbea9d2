"""Administrative procedures: the receipt with the promised return date, the apology letter
with a new date (mẫu 01 and 04 of TT 01/2018/TT-VPCP, in the layout of NĐ 30/2020) and the
certificate a procedure issues."""

from khcn.documents.build_templates import layout as L
from khcn.documents.build_templates.parts import BOLD, ENDING


def _line(doc, label: str, value: str) -> None:
    L.body(doc, [(f"{label}: ", {}), (value, {})], first_line=0, left=5, after=3)


def dossier_receipt(doc) -> None:
    L.header(doc, number="Mã hồ sơ: {{ dossier.code }}")
    L.title(doc, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    L.body(
        doc,
        "Bộ phận Một cửa của Sở Khoa học và Công nghệ {{ agency.place }} đã tiếp nhận hồ sơ của:",
        first_line=0,
    )
    _line(doc, "Tổ chức, cá nhân", "{{ dossier.applicant_name }}")
    _line(doc, "Địa chỉ", "{{ dossier.address }}")
    _line(doc, "Số điện thoại", "{{ dossier.phone }}; thư điện tử: {{ dossier.email }}")
    _line(doc, "Nội dung yêu cầu giải quyết", "{{ dossier.procedure }}")
    _line(doc, "Hình thức nộp", "{{ dossier.channel }}")
    L.body(doc, "Thành phần hồ sơ nộp gồm:", first_line=0, before=6)
    tbl = L.table(doc, [12, 123, 30], grid=True)
    L.row(tbl, ["TT", "Tên giấy tờ", "Số tệp/bản"], header=True)
    L.loop_rows(
        tbl,
        "for d in dossier.documents",
        ["{{ loop.index }}", "{{ d.name }}", "{{ d.count }}"],
        aligns=[L.CENTER, None, L.CENTER],
    )
    L.par(doc, "", after=6)
    _line(doc, "Thời gian giải quyết hồ sơ theo quy định", "{{ dossier.limit }}")
    _line(doc, "Thời gian nhận hồ sơ", "{{ dossier.received_at }}")
    L.body(
        doc,
        [
            ("Thời gian trả kết quả giải quyết hồ sơ: ", BOLD),
            ("{{ dossier.promised_date|ngay }}", BOLD),
        ],
        first_line=0,
        left=5,
        after=3,
    )
    L.body(
        doc,
        "Tra cứu tình trạng hồ sơ bằng mã hồ sơ {{ dossier.code }} tại {{ dossier.lookup_url }}."
        " Thời gian tổ chức, cá nhân bổ sung hồ sơ theo yêu cầu không tính vào thời hạn giải "
        "quyết" + ENDING,
        italic=True,
        before=6,
    )
    L.two_signatures(
        doc,
        ("NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", "{{ dossier.representative }}"),
        ("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", "{{ dossier.receiver }}"),
    )


def apology_letter(doc) -> None:
    L.header(doc, number=L.number("PXL"))
    L.title(doc, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ")
    L.body(doc, "Kính gửi: {{ dossier.applicant_name }}.", first_line=0, align=L.CENTER)
    L.body(
        doc,
        "{{ dossier.received_on|ngay|capitalize }}, Sở Khoa học và Công nghệ {{ agency.place }} tiếp nhận hồ sơ "
        "mã số {{ dossier.code }} đề nghị giải quyết thủ tục «{{ dossier.procedure }}». Thời "
        "hạn trả kết quả giải quyết hồ sơ là {{ apology.old_date|ngay }}.",
    )
    L.body(
        doc,
        "Tuy nhiên, đến nay Sở Khoa học và Công nghệ {{ agency.place }} chưa trả kết quả giải quyết hồ sơ "
        "của Quý tổ chức, cá nhân đúng hạn. Lý do: {{ apology.reason }}",
    )
    L.body(
        doc,
        "Sự chậm trễ này đã gây phiền hà cho Quý tổ chức, cá nhân. Sở Khoa học và Công nghệ "
        "xin lỗi và hẹn lại thời gian trả kết quả vào {{ apology.new_date|ngay }}.",
    )
    L.body(doc, "Xin trân trọng cảm ơn" + ENDING)
    L.recipients_and_signature(
        doc, ["Như trên;", "Bộ phận Một cửa;", "Lưu: VT, hồ sơ {{ dossier.code }}."]
    )


def certificate(doc) -> None:
    L.header(doc, number="Số: {{ certificate.number }}")
    L.title(doc, "{{ certificate.type_label }}")
    L.par(
        doc,
        "{%p if certificate.version > 1 %}",
        align=L.LEFT,
        after=0,
        line=1.0,
    )
    L.par(
        doc,
        "({{ certificate.change_label }} lần {{ certificate.version - 1 }}, "
        "{{ certificate.issued_on|ngay }})",
        align=L.CENTER,
        italic=True,
        after=6,
    )
    L.tag(doc, "{%p endif %}")
    L.body(doc, "Căn cứ {{ law }};", italic=True)
    L.body(doc, "Căn cứ {{ certificate.legal_basis }};", italic=True)
    L.par(doc, "GIÁM ĐỐC {{ agency.name }}", align=L.CENTER, size=14, bold=True, before=6, after=6)
    L.par(doc, "CHỨNG NHẬN:", align=L.CENTER, size=14, bold=True, after=6)
    _line(doc, "Tên tổ chức", "{{ certificate.holder_name }}")
    _line(doc, "Mã số thuế (mã số doanh nghiệp)", "{{ certificate.holder_tax_code }}")
    _line(doc, "Địa chỉ", "{{ certificate.holder_address }}")
    _line(doc, "Người đại diện theo pháp luật", "{{ certificate.representative }}")
    L.body(doc, "Nội dung được chứng nhận:", first_line=0, left=5, after=3)
    tbl = L.table(doc, [12, 153], grid=True)
    L.row(tbl, ["TT", "Sản phẩm, nội dung"], header=True)
    L.loop_rows(
        tbl,
        "for p in certificate.products",
        ["{{ loop.index }}", "{{ p }}"],
        aligns=[L.CENTER, None],
    )
    L.par(doc, "", after=6)
    L.tag(doc, "{%p if certificate.valid_until %}")
    _line(doc, "Giấy chứng nhận có hiệu lực đến", "{{ certificate.valid_until|ngay }}")
    L.tag(doc, "{%p endif %}")
    L.recipients_and_signature(doc, ["Tổ chức được cấp;", "Lưu: VT, hồ sơ."])
