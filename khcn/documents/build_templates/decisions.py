"""Quyết định: approving the task list, forming a council, recognising a result."""

from khcn.documents.build_templates import layout as L
from khcn.documents.build_templates.parts import (
    AGENCY_DECISION,
    ENDING,
    LAW,
    TASK_LINE,
    article,
    decision_start,
    members_table,
    money_table_total,
)


def task_list_decision(doc) -> None:
    decision_start(
        doc,
        "Về việc phê duyệt danh mục nhiệm vụ khoa học và công nghệ cấp thành phố năm {{ year }}",
        [
            LAW,
            AGENCY_DECISION,
            "Căn cứ kết quả làm việc của các Hội đồng tư vấn xác định nhiệm vụ khoa học và công nghệ;",
        ],
    )
    article(
        doc,
        1,
        "Phê duyệt danh mục {{ tasks|length }} nhiệm vụ khoa học và công nghệ cấp thành phố "
        "({{ call_title }}) để tuyển chọn, giao trực tiếp tổ chức, cá nhân chủ trì thực hiện, "
        "với tổng kinh phí dự kiến từ ngân sách nhà nước là {{ total_budget|vnd }} đồng "
        "(Bằng chữ: {{ total_budget|words }}), chi tiết tại Phụ lục kèm theo Quyết định này.",
    )
    article(
        doc,
        2,
        "Giao Phòng Quản lý khoa học chủ trì, phối hợp với các đơn vị liên quan thông báo "
        "danh mục, tổ chức tuyển chọn, giao trực tiếp và trình phê duyệt tổ chức, cá nhân chủ "
        "trì thực hiện các nhiệm vụ theo quy định.",
    )
    article(
        doc,
        3,
        "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, Trưởng phòng Quản lý "
        "khoa học, Trưởng phòng Kế hoạch - Tài chính, Thủ trưởng các cơ quan, đơn vị và cá nhân "
        "có liên quan chịu trách nhiệm thi hành Quyết định này" + ENDING,
    )
    L.recipients_and_signature(
        doc, ["Như Điều 3;", "UBND thành phố (để báo cáo);", "Lưu: VT, QLKH."]
    )
    L.landscape_section(doc)
    width = L.LANDSCAPE_TEXT_W
    L.par(doc, "Phụ lục", align=L.CENTER, size=14, bold=True, after=0)
    L.par(
        doc,
        "DANH MỤC NHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ CẤP THÀNH PHỐ NĂM {{ year }}",
        align=L.CENTER,
        size=14,
        bold=True,
        after=0,
    )
    L.par(
        doc,
        "(Kèm theo Quyết định số {{ doc.number or '…' }}/QĐ-{{ agency.short }} "
        "{{ doc.date|ngay }} của Giám đốc Sở Khoa học và Công nghệ)",
        align=L.CENTER,
        italic=True,
        after=0,
    )
    L.rule(doc, length=40, box=width, after=12)
    tbl = L.table(doc, [10, 38, 68, 26, 38, 28, 16, 28], grid=True)
    L.row(
        tbl,
        [
            "TT",
            "Mã số",
            "Tên nhiệm vụ",
            "Loại nhiệm vụ",
            "Tổ chức chủ trì",
            "Chủ nhiệm",
            "Thời gian (tháng)",
            "Kinh phí NSNN (đồng)",
        ],
        header=True,
        size=11,
    )
    L.loop_rows(
        tbl,
        "for t in tasks",
        [
            "{{ loop.index }}",
            "{{ t.code }}",
            "{{ t.title }}",
            "{{ t.kind }}",
            "{{ t.host }}",
            "{{ t.leader }}",
            "{{ t.months }}",
            "{{ t.budget|vnd }}",
        ],
        size=11,
        aligns=[L.CENTER, None, None, None, None, None, L.CENTER, L.RIGHT],
    )
    money_table_total(tbl, "Tổng cộng", "{{ total_budget|vnd }}", 7, size=11)
    L.par(doc, "(Bằng chữ: {{ total_budget|words }})", italic=True, before=6)


def council_decision(doc) -> None:
    decision_start(
        doc,
        "Về việc thành lập Hội đồng tư vấn {{ council.kind_label }} nhiệm vụ khoa học và "
        "công nghệ cấp thành phố",
        [LAW, AGENCY_DECISION],
    )
    article(
        doc,
        1,
        "Thành lập Hội đồng tư vấn {{ council.kind_label }} "
        + TASK_LINE
        + "{% if project.host %}, tổ chức chủ trì: {{ project.host }}{% endif %}"
        "{% if project.leader %}, chủ nhiệm: {{ project.leader }}{% endif %}, "
        "gồm {{ members|length }} thành viên có tên sau:",
    )
    members_table(doc, with_presence=False)
    article(
        doc,
        2,
        "Hội đồng có trách nhiệm tư vấn cho Giám đốc Sở Khoa học và Công nghệ theo quy định "
        "hiện hành. Hội đồng tự giải thể sau khi hoàn thành nhiệm vụ.",
    )
    article(
        doc,
        3,
        "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, Trưởng phòng Quản lý "
        "khoa học, các ông (bà) có tên tại Điều 1 và các tổ chức, cá nhân có liên quan chịu "
        "trách nhiệm thi hành Quyết định này" + ENDING,
    )
    L.recipients_and_signature(doc, ["Như Điều 3;", "Lưu: VT, QLKH."])


def recognition_decision(doc) -> None:
    decision_start(
        doc,
        "Về việc công nhận kết quả thực hiện nhiệm vụ khoa học và công nghệ cấp thành phố",
        [
            LAW,
            AGENCY_DECISION,
            "Căn cứ Biên bản họp Hội đồng tư vấn đánh giá, nghiệm thu kết quả thực hiện nhiệm "
            "vụ khoa học và công nghệ cấp thành phố;",
        ],
    )
    article(doc, 1, "Công nhận kết quả thực hiện nhiệm vụ khoa học và công nghệ cấp thành phố:")
    for label, value in [
        ("Tên nhiệm vụ", "{{ project.title }}"),
        ("Mã số", "{{ project.code }}"),
        ("Tổ chức chủ trì", "{{ project.host }}"),
        ("Chủ nhiệm nhiệm vụ", "{{ project.leader }}"),
        ("Thời gian thực hiện", "từ {{ project.start_date|ngay }} đến {{ project.end_date|ngay }}"),
        (
            "Kinh phí từ ngân sách nhà nước",
            "{{ project.budget|vnd }} đồng (Bằng chữ: {{ project.budget|words }})",
        ),
        ("Kết quả đánh giá", "{{ rating_label }}"),
        (
            "Giấy chứng nhận đăng ký kết quả thực hiện nhiệm vụ",
            "số {{ registration_no or '…' }}",
        ),
    ]:
        L.body(doc, [(f"- {label}: ", {}), (value, {})], first_line=0, left=10, after=3)
    article(
        doc,
        2,
        "Tổ chức chủ trì và chủ nhiệm nhiệm vụ có trách nhiệm quản lý, ứng dụng, chuyển giao và "
        "công bố kết quả thực hiện nhiệm vụ theo quy định.",
    )
    article(
        doc,
        3,
        "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, Trưởng phòng Quản lý "
        "khoa học, Thủ trưởng {{ project.host }} và chủ nhiệm nhiệm vụ chịu trách nhiệm thi hành "
        "Quyết định này" + ENDING,
    )
    L.recipients_and_signature(doc, ["Như Điều 3;", "Lưu: VT, QLKH."])
