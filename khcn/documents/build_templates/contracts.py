"""The task contract with its budget annex, and the record of its liquidation."""

from khcn.documents.build_templates import layout as L
from khcn.documents.build_templates.parts import (
    BOLD,
    ENDING,
    LAW,
    TASK_LINE,
    article,
    money_table_total,
    party,
)


def contract(doc) -> None:
    L.header(doc, number="Số: {{ contract.number or '…' }}")
    L.title(doc, "HỢP ĐỒNG", "Thực hiện nhiệm vụ khoa học và công nghệ cấp thành phố")
    for text in [
        "Căn cứ Bộ luật Dân sự ngày 24 tháng 11 năm 2015;",
        LAW,
        "Căn cứ Quyết định số …/QĐ-{{ agency.short }} ngày … của Giám đốc Sở Khoa học và Công "
        "nghệ phê duyệt tổ chức, cá nhân chủ trì và kinh phí thực hiện nhiệm vụ;",
    ]:
        L.body(doc, text, italic=True)
    L.body(doc, "Hôm nay, {{ contract.signed_date|ngay }}, tại {{ agency.place }}, chúng tôi gồm:")
    party(doc, "BÊN ĐẶT HÀNG (Bên A)", "party_a")
    party(doc, "BÊN NHẬN ĐẶT HÀNG (Bên B)", "party_b")
    L.body(doc, "Hai bên thỏa thuận ký kết hợp đồng với các điều khoản sau:")
    article(
        doc,
        1,
        "Bên A đặt hàng và Bên B nhận thực hiện " + TASK_LINE + ", chủ nhiệm: "
        "{{ project.leader }}, theo thuyết minh nhiệm vụ đã được phê duyệt. Thuyết minh là bộ "
        "phận không tách rời của Hợp đồng.",
    )
    article(
        doc,
        2,
        "Thời gian thực hiện: từ {{ contract.start_date|ngay }} đến {{ contract.end_date|ngay }}.",
    )
    article(
        doc,
        3,
        "Tổng kinh phí thực hiện nhiệm vụ là {{ contract.value|vnd }} đồng (Bằng chữ: "
        "{{ contract.value|words }}), trong đó kinh phí từ ngân sách nhà nước "
        "{{ total_state|vnd }} đồng, kinh phí từ nguồn khác {{ total_other|vnd }} đồng; "
        "dự toán chi tiết tại Phụ lục kèm theo. Phương thức khoán chi: "
        "{% if contract.lump_sum is string %}{{ contract.lump_sum|lower }}"
        "{% elif contract.lump_sum %}khoán chi đến sản phẩm cuối cùng"
        "{% else %}khoán chi từng phần{% endif %}. "
        "Kinh phí từ ngân sách nhà nước được cấp theo tiến độ sau:",
    )
    tbl = L.table(doc, [14, 81, 40, 30], grid=True)
    L.row(
        tbl, ["Đợt", "Điều kiện cấp kinh phí", "Thời gian dự kiến", "Số tiền (đồng)"], header=True
    )
    L.loop_rows(
        tbl,
        "for t in tranches",
        ["{{ t.seq }}", "{{ t.milestone }}", "{{ t.planned_date|ngay }}", "{{ t.amount|vnd }}"],
        aligns=[L.CENTER, None, L.CENTER, L.RIGHT],
    )
    money_table_total(tbl, "Cộng", "{{ tranches|sum(attribute='amount')|vnd }}", 3)
    L.par(doc, "", after=6)
    article(
        doc,
        4,
        "Bên A có trách nhiệm cấp kinh phí theo tiến độ tại Điều 3; kiểm tra, đánh giá định kỳ "
        "và tổ chức đánh giá, nghiệm thu kết quả thực hiện nhiệm vụ theo quy định.",
    )
    article(
        doc,
        5,
        "Bên B có trách nhiệm tổ chức thực hiện nhiệm vụ theo thuyết minh đã được phê duyệt; sử "
        "dụng kinh phí đúng mục đích, đúng chế độ và quyết toán theo quy định; báo cáo định kỳ "
        "và nộp sản phẩm, hồ sơ đánh giá, nghiệm thu đúng thời hạn.",
    )
    article(
        doc,
        6,
        "Hợp đồng có hiệu lực kể từ ngày ký, được lập thành 08 bản có giá trị pháp lý như nhau, "
        "mỗi bên giữ 04 bản" + ENDING,
    )
    L.two_signatures(
        doc,
        ("ĐẠI DIỆN BÊN A", "{{ party_a.title }}", "{{ party_a.representative }}"),
        ("ĐẠI DIỆN BÊN B", "{{ party_b.title }}", "{{ party_b.representative }}"),
    )
    L.page_break(doc)
    L.par(doc, "Phụ lục", align=L.CENTER, size=14, bold=True, after=0)
    L.par(doc, "DỰ TOÁN KINH PHÍ THỰC HIỆN NHIỆM VỤ", align=L.CENTER, size=14, bold=True, after=0)
    L.par(
        doc,
        "(Kèm theo Hợp đồng số {{ contract.number or '…' }} {{ contract.signed_date|ngay }})",
        align=L.CENTER,
        italic=True,
        after=0,
    )
    L.rule(doc, length=40, box=L.TEXT_W, after=12)
    L.body(doc, [("Nhiệm vụ: ", BOLD), ("“{{ project.title }}”, mã số {{ project.code }}.", {})])
    tbl = L.table(doc, [12, 83, 40, 30], grid=True)
    L.row(tbl, ["TT", "Nội dung chi", "Nguồn kinh phí", "Số tiền (đồng)"], header=True)
    L.loop_rows(
        tbl,
        "for b in budget_lines",
        ["{{ loop.index }}", "{{ b.category }}", "{{ b.source_label }}", "{{ b.amount|vnd }}"],
        aligns=[L.CENTER, None, None, L.RIGHT],
    )
    money_table_total(tbl, "Tổng cộng", "{{ total|vnd }}", 3)
    money_table_total(tbl, "Trong đó: kinh phí từ ngân sách nhà nước", "{{ total_state|vnd }}", 3)
    money_table_total(tbl, "Kinh phí từ nguồn khác", "{{ total_other|vnd }}", 3)
    L.par(doc, "(Bằng chữ: {{ total|words }})", italic=True, before=6)


def liquidation_record(doc) -> None:
    L.header(doc, number=L.number("BB"))
    L.title(doc, "BIÊN BẢN", "Thanh lý hợp đồng thực hiện nhiệm vụ khoa học và công nghệ")
    for text in [
        "Căn cứ Hợp đồng số {{ contract.number }} {{ contract.signed_date|ngay }} giữa "
        "{{ party_a.name }} và {{ party_b.name }};",
        "Căn cứ Quyết định công nhận kết quả thực hiện nhiệm vụ khoa học và công nghệ;",
    ]:
        L.body(doc, text, italic=True)
    L.body(doc, "Hôm nay, {{ doc.date|ngay }}, tại {{ agency.place }}, chúng tôi gồm:")
    party(doc, "BÊN ĐẶT HÀNG (Bên A)", "party_a")
    party(doc, "BÊN NHẬN ĐẶT HÀNG (Bên B)", "party_b")
    L.body(doc, "Hai bên thống nhất thanh lý Hợp đồng với các nội dung sau:")
    article(
        doc,
        1,
        "Bên B đã hoàn thành " + TASK_LINE + "; kết quả đánh giá, nghiệm thu: {{ rating_label }}.",
    )
    article(doc, 2, "Kinh phí thực hiện Hợp đồng:")
    tbl = L.table(doc, [12, 108, 45], grid=True)
    L.row(tbl, ["TT", "Nội dung", "Số tiền (đồng)"], header=True)
    for index, (label, key) in enumerate(
        [
            ("Tổng kinh phí theo Hợp đồng", "contract.value"),
            ("Kinh phí ngân sách nhà nước đã cấp", "disbursed"),
            ("Kinh phí đã được quyết toán", "settled"),
            ("Kinh phí Bên B phải nộp trả", "refund"),
        ],
        start=1,
    ):
        L.row(tbl, [str(index), label, f"{{{{ {key}|vnd }}}}"], aligns=[L.CENTER, None, L.RIGHT])
    L.par(doc, "", after=6)
    L.tag(doc, "{%p if refund %}")
    L.body(
        doc,
        "Bên B có trách nhiệm nộp trả {{ refund|vnd }} đồng (Bằng chữ: {{ refund|words }}) "
        "vào tài khoản của Bên A trong thời hạn 15 ngày kể từ ngày ký Biên bản này.",
    )
    L.tag(doc, "{%p else %}")
    L.body(doc, "Bên B không phải nộp trả kinh phí.")
    L.tag(doc, "{%p endif %}")
    article(
        doc,
        3,
        "Hai bên thống nhất thanh lý Hợp đồng số {{ contract.number }}. Biên bản được lập "
        "thành 06 bản có giá trị pháp lý như nhau, mỗi bên giữ 03 bản" + ENDING,
    )
    L.two_signatures(
        doc,
        ("ĐẠI DIỆN BÊN A", "{{ party_a.title }}", "{{ party_a.representative }}"),
        ("ĐẠI DIỆN BÊN B", "{{ party_b.title }}", "{{ party_b.representative }}"),
    )
