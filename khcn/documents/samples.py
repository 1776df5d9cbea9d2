"""Sample data for each document: a realistic task of the Hải Phòng department.

Every sample follows its document's context contract (see `catalogue.py`): the
template editor's preview, the check of an uploaded template and the tests all
render these. The people and the numbers are invented.
"""

import datetime as dt
from decimal import Decimal

AGENCY = {
    "parent_name": "UBND THÀNH PHỐ HẢI PHÒNG",
    "name": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "short": "SKHCN",
    "place": "Hải Phòng",
}
DIRECTOR = {"title": "GIÁM ĐỐC", "name": "Nguyễn Văn Minh"}

PROJECT = {
    "code": "ĐT.KHCN.2026.03",
    "title": (
        "Nghiên cứu công nghệ xử lý bã thạch cao phospho (phosphogypsum) làm vật liệu xây dựng"
    ),
    "host": "Trường Đại học Hải Phòng",
    "leader": "TS. Phạm Thị Thu Hằng",
    "start_date": dt.date(2026, 5, 1),
    "end_date": dt.date(2028, 4, 30),
    "budget": Decimal("850000000"),
}

MEMBERS = [
    {
        "name": "Trần Đức Long",
        "degree": "PGS.TS.",
        "organisation": "Trường Đại học Xây dựng Hà Nội",
        "role_label": "Chủ tịch Hội đồng",
        "present": True,
    },
    {
        "name": "Nguyễn Thị Hồng Nhung",
        "degree": "TS.",
        "organisation": "Viện Vật liệu xây dựng",
        "role_label": "Phó Chủ tịch Hội đồng",
        "present": True,
    },
    {
        "name": "Lê Văn Quang",
        "degree": "TS.",
        "organisation": "Trường Đại học Hàng hải Việt Nam",
        "role_label": "Ủy viên phản biện",
        "present": True,
    },
    {
        "name": "Hoàng Minh Tuấn",
        "degree": "PGS.TS.",
        "organisation": "Trường Đại học Mỏ - Địa chất",
        "role_label": "Ủy viên phản biện",
        "present": True,
    },
    {
        "name": "Đặng Thị Thanh Mai",
        "degree": "ThS.",
        "organisation": "Sở Xây dựng thành phố Hải Phòng",
        "role_label": "Ủy viên",
        "present": True,
    },
    {
        "name": "Bùi Quang Huy",
        "degree": "KS.",
        "organisation": "Hội Xây dựng thành phố Hải Phòng",
        "role_label": "Ủy viên",
        "present": False,
    },
    {
        "name": "Vũ Thị Lan Anh",
        "degree": "ThS.",
        "organisation": "Sở Khoa học và Công nghệ thành phố Hải Phòng",
        "role_label": "Ủy viên, Thư ký khoa học",
        "present": True,
    },
]
CHAIR = {"title": "CHỦ TỊCH HỘI ĐỒNG", "name": "PGS.TS. Trần Đức Long"}
SECRETARY = "ThS. Vũ Thị Lan Anh"

PARTY_A = {
    "name": "Sở Khoa học và Công nghệ thành phố Hải Phòng",
    "representative": "Nguyễn Văn Minh",
    "title": "Giám đốc",
    "address": "Số 18 Hoàng Diệu, phường Hồng Bàng, thành phố Hải Phòng",
}
PARTY_B = {
    "name": "Trường Đại học Hải Phòng",
    "representative": "Lê Thanh Bình",
    "title": "Hiệu trưởng",
    "address": "Số 171 Phan Đăng Lưu, phường Kiến An, thành phố Hải Phòng",
}
CONTRACT = {
    "number": "15/2026/HĐ-SKHCN",
    "signed_date": dt.date(2026, 4, 20),
    "value": Decimal("1000000000"),
    "start_date": dt.date(2026, 5, 1),
    "end_date": dt.date(2028, 4, 30),
    "lump_sum": True,
}


def _common(number: str, date: dt.date, signer: dict | None = None) -> dict:
    return {
        "agency": dict(AGENCY),
        "doc": {"number": number, "date": date},
        "signer": dict(signer or DIRECTOR),
        "law": "Luật Khoa học và Công nghệ số 29/2013/QH13",
    }


def task_list_decision() -> dict:
    tasks = [
        {
            "code": PROJECT["code"],
            "title": PROJECT["title"],
            "kind": "Đề tài",
            "host": PROJECT["host"],
            "leader": PROJECT["leader"],
            "months": 24,
            "budget": Decimal("850000000"),
        },
        {
            "code": "ĐT.KHCN.2026.04",
            "title": (
                "Ứng dụng Internet vạn vật (IoT) giám sát chất lượng nước vùng nuôi trồng "
                "thủy sản ven biển Hải Phòng"
            ),
            "kind": "Đề tài",
            "host": "Trường Đại học Hàng hải Việt Nam",
            "leader": "PGS.TS. Lê Quốc Tuấn",
            "months": 18,
            "budget": Decimal("620000000"),
        },
        {
            "code": "DA.KHCN.2026.01",
            "title": (
                "Hoàn thiện quy trình sản xuất giống hàu Thái Bình Dương (Crassostrea gigas) "
                "tam bội quy mô hàng hóa"
            ),
            "kind": "Dự án sản xuất thử nghiệm",
            "host": "Viện Nghiên cứu Hải sản",
            "leader": "ThS. Đỗ Văn Khánh",
            "months": 24,
            "budget": Decimal("1250000000"),
        },
    ]
    return {
        **_common("125", dt.date(2026, 3, 5)),
        "year": 2026,
        "call_title": "Đặt hàng nhiệm vụ khoa học và công nghệ cấp thành phố năm 2026",
        "tasks": tasks,
        "total_budget": sum((t["budget"] for t in tasks), Decimal(0)),
    }


def council_decision() -> dict:
    return {
        **_common("302", dt.date(2028, 5, 8)),
        "council": {
            "kind": "acceptance",
            "kind_label": "đánh giá, nghiệm thu kết quả thực hiện",
        },
        "project": dict(PROJECT),
        "members": [dict(m) for m in MEMBERS],
    }


def council_minutes() -> dict:
    members = [dict(m) for m in MEMBERS]
    return {
        **_common("", dt.date(2026, 2, 26), CHAIR),
        "council": {
            "kind": "selection",
            "kind_label": "tuyển chọn tổ chức, cá nhân chủ trì thực hiện",
            "meeting_date": dt.date(2026, 2, 26),
            "present": sum(1 for m in members if m["present"]),
            "total": len(members),
            "secretary": SECRETARY,
            "outcome_label": "Đề nghị Trường Đại học Hải Phòng chủ trì thực hiện nhiệm vụ",
            "conclusion": (
                "Hồ sơ của Trường Đại học Hải Phòng có điểm trung bình cao nhất và đạt yêu cầu. "
                "Đề nghị tổ chức chủ trì hoàn thiện thuyết minh theo ý kiến của các thành viên "
                "hội đồng, làm rõ phương án xử lý tạp chất flo và phốt phát trong bã thạch cao "
                "trước khi phối trộn."
            ),
        },
        "project": {**PROJECT, "host": "", "leader": ""},
        "members": members,
        "identification": None,
        "selection": [
            {
                "rank": 1,
                "applicant": "Trường Đại học Hải Phòng (chủ nhiệm: TS. Phạm Thị Thu Hằng)",
                "mean": Decimal("86.40"),
                "adjusted_mean": Decimal("87.25"),
                "valid": 6,
                "excluded": 0,
                "eligible": True,
            },
            {
                "rank": 2,
                "applicant": "Công ty TNHH Vật liệu xanh Hải An (chủ nhiệm: KS. Ngô Văn Hải)",
                "mean": Decimal("74.10"),
                "adjusted_mean": Decimal("75.00"),
                "valid": 6,
                "excluded": 1,
                "eligible": True,
            },
            {
                "rank": 3,
                "applicant": (
                    "Trung tâm Nghiên cứu và Chuyển giao công nghệ Duyên Hải "
                    "(chủ nhiệm: ThS. Phan Thị Yến)"
                ),
                "mean": Decimal("62.30"),
                "adjusted_mean": Decimal("61.80"),
                "valid": 6,
                "excluded": 1,
                "eligible": False,
            },
        ],
        "acceptance": None,
    }


def contract() -> dict:
    budget_lines = [
        {"category": "Thuê khoán chuyên môn", "source_label": "Ngân sách nhà nước", "amount": 512},
        {
            "category": "Nguyên vật liệu, năng lượng",
            "source_label": "Ngân sách nhà nước",
            "amount": 186,
        },
        {"category": "Thiết bị, máy móc", "source_label": "Nguồn khác", "amount": 120},
        {"category": "Hội thảo, công tác phí", "source_label": "Ngân sách nhà nước", "amount": 62},
        {
            "category": "Thử nghiệm mẫu vật liệu tại phòng thí nghiệm chuyên ngành xây dựng",
            "source_label": "Nguồn khác",
            "amount": 30,
        },
        {
            "category": "Chi khác (quản lý chung, kiểm tra, đánh giá, nghiệm thu)",
            "source_label": "Ngân sách nhà nước",
            "amount": 90,
        },
    ]
    for line in budget_lines:
        line["amount"] = Decimal(line["amount"]) * 1_000_000
    total_state = sum(
        (b["amount"] for b in budget_lines if b["source_label"] == "Ngân sách nhà nước"),
        Decimal(0),
    )
    total = sum((b["amount"] for b in budget_lines), Decimal(0))
    return {
        **_common(CONTRACT["number"], CONTRACT["signed_date"]),
        "contract": dict(CONTRACT),
        "project": dict(PROJECT),
        "party_a": dict(PARTY_A),
        "party_b": dict(PARTY_B),
        "tranches": [
            {
                "seq": 1,
                "milestone": "Sau khi hợp đồng được ký kết",
                "planned_date": dt.date(2026, 5, 15),
                "amount": Decimal("340000000"),
            },
            {
                "seq": 2,
                "milestone": "Sau khi báo cáo giữa kỳ được kiểm tra, đánh giá đạt yêu cầu",
                "planned_date": dt.date(2027, 5, 15),
                "amount": Decimal("340000000"),
            },
            {
                "seq": 3,
                "milestone": "Sau khi nhiệm vụ được đánh giá, nghiệm thu đạt yêu cầu",
                "planned_date": dt.date(2028, 6, 30),
                "amount": Decimal("170000000"),
            },
        ],
        "budget_lines": budget_lines,
        "total_state": total_state,
        "total_other": total - total_state,
        "total": total,
    }


def acceptance_minutes() -> dict:
    members = [{**m, "present": True} for m in MEMBERS]
    return {
        **_common("", dt.date(2028, 5, 20), CHAIR),
        "council": {
            "kind": "acceptance",
            "kind_label": "đánh giá, nghiệm thu kết quả thực hiện",
            "meeting_date": dt.date(2028, 5, 20),
            "present": len(members),
            "total": len(members),
            "secretary": SECRETARY,
        },
        "project": dict(PROJECT),
        "members": members,
        "products": [
            {
                "name": (
                    "Quy trình công nghệ xử lý bã thạch cao phospho làm phụ gia xi măng "
                    "và gạch không nung"
                ),
                "quantity": "Đạt",
                "volume": "Đạt",
                "quality": "Xuất sắc",
            },
            {
                "name": "Gạch bê tông không nung từ bã thạch cao phospho (5.000 viên)",
                "quantity": "Đạt",
                "volume": "Đạt",
                "quality": "Đạt",
            },
            {
                "name": "Báo cáo tổng hợp kết quả thực hiện nhiệm vụ",
                "quantity": "Đạt",
                "volume": "Đạt",
                "quality": "Đạt",
            },
            {
                "name": "02 bài báo đăng trên tạp chí khoa học chuyên ngành trong nước",
                "quantity": "Đạt",
                "volume": "Đạt",
                "quality": "Đạt",
            },
        ],
        "votes": {"xuat_sac": 2, "dat": 5, "khong_dat": 0},
        "outcome_label": "Đạt",
        "conclusion": (
            "Nhiệm vụ hoàn thành đầy đủ các sản phẩm theo hợp đồng; gạch không nung đạt "
            "TCVN 6477:2016. Đề nghị chủ nhiệm bổ sung số liệu quan trắc phóng xạ tự nhiên "
            "của sản phẩm vào báo cáo tổng hợp trước khi nộp lưu."
        ),
    }


def recognition_decision() -> dict:
    return {
        **_common("418", dt.date(2028, 6, 10)),
        "project": dict(PROJECT),
        "rating_label": "Đạt",
        "registration_no": "27/2028/GCN-SKHCN",
    }


def liquidation_record() -> dict:
    return {
        **_common("", dt.date(2028, 7, 15)),
        "contract": dict(CONTRACT),
        "project": dict(PROJECT),
        "party_a": dict(PARTY_A),
        "party_b": dict(PARTY_B),
        "disbursed": Decimal("850000000"),
        "settled": Decimal("842350000"),
        "refund": Decimal("7650000"),
        "rating_label": "Đạt",
    }
