"""The parts the seven default templates share: legal bases, articles, council members,
parties of a contract, the opening and the closing of minutes."""

from khcn.documents.build_templates import layout as L

BOLD = {"bold": True}
LAW = "Căn cứ {{ law }};"  # the task's rule set names its law (2013 or 2025 regime)
AGENCY_DECISION = (
    "Căn cứ Quyết định số …/QĐ-UBND ngày … của Ủy ban nhân dân thành phố quy định chức năng, "
    "nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Khoa học và Công nghệ;"
)
PROPOSAL = "Theo đề nghị của Trưởng phòng Quản lý khoa học."
TASK_LINE = "nhiệm vụ “{{ project.title }}”, mã số {{ project.code }}"
ENDING = "./."


def decision_start(doc, subject: str, bases: list[str]) -> None:
    L.header(doc, number=L.number("QĐ"))
    L.title(doc, "QUYẾT ĐỊNH", subject)
    L.par(doc, "GIÁM ĐỐC {{ agency.name }}", align=L.CENTER, size=14, bold=True, after=12)
    for text in [*bases, PROPOSAL]:
        L.body(doc, text, italic=True)
    L.par(doc, "QUYẾT ĐỊNH:", align=L.CENTER, size=14, bold=True, before=6, after=12)


def article(doc, n: int, text) -> None:
    parts = [(f"Điều {n}. ", BOLD)]
    parts += [(text, {})] if isinstance(text, str) else text
    L.body(doc, parts)


def members_table(doc, *, with_presence: bool) -> None:
    if with_presence:
        widths = [10, 45, 52, 38, 20]
        heads = ["TT", "Họ và tên", "Đơn vị công tác", "Chức danh trong hội đồng", "Có mặt"]
        cells = [
            "{{ loop.index }}",
            "{{ m.degree }} {{ m.name }}",
            "{{ m.organisation }}",
            "{{ m.role_label }}",
            "{{ 'Có mặt' if m.present else 'Vắng' }}",
        ]
        aligns = [L.CENTER, None, None, None, L.CENTER]
    else:
        widths = [10, 45, 22, 50, 38]
        heads = [
            "TT",
            "Họ và tên",
            "Học hàm, học vị",
            "Đơn vị công tác",
            "Chức danh trong hội đồng",
        ]
        cells = [
            "{{ loop.index }}",
            "{{ m.name }}",
            "{{ m.degree }}",
            "{{ m.organisation }}",
            "{{ m.role_label }}",
        ]
        aligns = [L.CENTER, None, L.CENTER, None, None]
    tbl = L.table(doc, widths, grid=True)
    L.row(tbl, heads, header=True)
    L.loop_rows(tbl, "for m in members", cells, aligns=aligns)
    L.par(doc, "", after=6)


def party(doc, label: str, key: str) -> None:
    L.body(doc, [(f"{label}: ", BOLD), (f"{{{{ {key}.name }}}}", BOLD)], first_line=0, after=2)
    L.body(
        doc,
        f"- Đại diện: Ông/Bà {{{{ {key}.representative }}}}, chức vụ: {{{{ {key}.title }}}}",
        first_line=0,
        left=5,
        after=2,
    )
    L.body(doc, f"- Địa chỉ: {{{{ {key}.address }}}}", first_line=0, left=5)


def money_table_total(tbl, label: str, amount: str, span: int, *, size: float = 12) -> None:
    cells = [label] + [""] * (span - 1) + [amount]
    aligns = [L.LEFT] + [None] * (span - 1) + [L.RIGHT]
    L.row(tbl, cells, bold=True, size=size, aligns=aligns)
    L.merge_row(tbl, 0, span - 1)


def minutes_start(doc, subject: str) -> None:
    L.header(doc, number=L.number("BB"))
    L.title(doc, "BIÊN BẢN", subject)
    L.par(doc, "I. THÔNG TIN CHUNG", bold=True, before=6)
    L.body(
        doc,
        [
            ("1. Nhiệm vụ: ", BOLD),
            (
                "“{{ project.title }}”, mã số {{ project.code }}"
                "{% if project.host %}; tổ chức chủ trì: {{ project.host }}{% endif %}"
                "{% if project.leader %}; chủ nhiệm: {{ project.leader }}{% endif %}.",
                {},
            ),
        ],
    )
    L.body(
        doc,
        [
            ("2. Thời gian, địa điểm họp: ", BOLD),
            ("{{ council.meeting_date|ngay }}, tại {{ agency.place }}.", {}),
        ],
    )
    L.body(
        doc,
        [
            ("3. Thành viên hội đồng: ", BOLD),
            (
                "có mặt {{ council.present }}/{{ council.total }} thành viên"
                "{% if council.present < council.total %}, vắng mặt "
                "{{ council.total - council.present }} thành viên{% endif %}:",
                {},
            ),
        ],
    )
    members_table(doc, with_presence=True)


def minutes_end(doc) -> None:
    L.body(doc, "Biên bản được lập xong và thông qua tại cuộc họp" + ENDING, before=6)
    L.two_signatures(
        doc,
        ("THƯ KÝ HỘI ĐỒNG", "", "{{ council.secretary }}"),
        ("{{ signer.title }}", "", "{{ signer.name }}"),
    )
