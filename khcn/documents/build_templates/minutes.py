"""Biên bản of council meetings: any council with its tally, and the acceptance council."""

from khcn.documents.build_templates import layout as L
from khcn.documents.build_templates.parts import (
    BOLD,
    minutes_end,
    minutes_start,
)


def council_minutes(doc) -> None:
    minutes_start(
        doc,
        "Họp Hội đồng tư vấn {{ council.kind_label }} nhiệm vụ khoa học và công nghệ cấp thành phố",
    )
    L.par(doc, "II. KẾT QUẢ BỎ PHIẾU", bold=True, before=6)
    L.tag(doc, "{%p if council.kind == 'identification' and identification %}")
    L.body(
        doc,
        "Số phiếu hợp lệ: {{ identification.valid }}; số phiếu đề nghị thực hiện: "
        "{{ identification.yes }}; số phiếu không đề nghị thực hiện: {{ identification.no }}.",
    )
    L.tag(doc, "{%p endif %}")
    L.tag(doc, "{%p if council.kind == 'selection' and selection %}")
    L.body(doc, "Kết quả chấm điểm hồ sơ đăng ký tuyển chọn (thang điểm 100):")
    tbl = L.table(doc, [14, 55, 20, 26, 16, 16, 18], grid=True)
    L.row(
        tbl,
        [
            "Xếp hạng",
            "Tổ chức, cá nhân đăng ký",
            "Điểm trung bình",
            "Điểm trung bình sau loại phiếu chênh lệch",
            "Số phiếu hợp lệ",
            "Số phiếu bị loại",
            "Đủ điều kiện",
        ],
        header=True,
        size=11,
    )
    L.loop_rows(
        tbl,
        "for s in selection",
        [
            "{{ s.rank }}",
            "{{ s.applicant }}",
            "{{ s.mean|diem }}",
            "{{ s.adjusted_mean|diem }}",
            "{{ s.valid }}",
            "{{ s.excluded }}",
            "{{ 'Có' if s.eligible else 'Không' }}",
        ],
        size=11,
        aligns=[L.CENTER, None, L.CENTER, L.CENTER, L.CENTER, L.CENTER, L.CENTER],
    )
    L.par(doc, "", after=6)
    L.tag(doc, "{%p endif %}")
    L.tag(doc, "{%p if council.kind == 'acceptance' and acceptance %}")
    L.body(
        doc,
        "Số phiếu đánh giá mức “Xuất sắc”: {{ acceptance.xuat_sac }}; mức “Đạt”: "
        "{{ acceptance.dat }}; mức “Không đạt”: {{ acceptance.khong_dat }}.",
    )
    L.tag(doc, "{%p endif %}")
    L.par(doc, "III. KẾT LUẬN CỦA HỘI ĐỒNG", bold=True, before=6)
    L.body(doc, [("Kết quả: ", BOLD), ("{{ council.outcome_label }}.", {})])
    L.body(doc, "{{ council.conclusion }}")
    minutes_end(doc)


def acceptance_minutes(doc) -> None:
    minutes_start(
        doc,
        "Họp Hội đồng tư vấn đánh giá, nghiệm thu kết quả thực hiện nhiệm vụ khoa học và "
        "công nghệ cấp thành phố",
    )
    L.par(doc, "II. ĐÁNH GIÁ SẢN PHẨM", bold=True, before=6)
    tbl = L.table(doc, [10, 80, 25, 25, 25], grid=True)
    L.row(tbl, ["TT", "Sản phẩm", "Số lượng", "Khối lượng", "Chất lượng"], header=True)
    L.loop_rows(
        tbl,
        "for p in products",
        [
            "{{ loop.index }}",
            "{{ p.name }}",
            "{{ p.quantity }}",
            "{{ p.volume }}",
            "{{ p.quality }}",
        ],
        aligns=[L.CENTER, None, L.CENTER, L.CENTER, L.CENTER],
    )
    L.par(doc, "", after=6)
    L.par(doc, "III. KẾT QUẢ BỎ PHIẾU ĐÁNH GIÁ", bold=True, before=6)
    L.body(
        doc,
        "Số phiếu đánh giá mức “Xuất sắc”: {{ votes.xuat_sac }}; mức “Đạt”: {{ votes.dat }}; "
        "mức “Không đạt”: {{ votes.khong_dat }}.",
    )
    L.par(doc, "IV. KẾT LUẬN CỦA HỘI ĐỒNG", bold=True, before=6)
    L.body(doc, [("Hội đồng đánh giá nhiệm vụ ở mức: ", {}), ("{{ outcome_label }}.", BOLD)])
    L.body(doc, "{{ conclusion }}")
    minutes_end(doc)
