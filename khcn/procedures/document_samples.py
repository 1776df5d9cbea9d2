"""Sample contexts of the procedure documents (receipt, apology letter, certificate): the
template preview, the check of an uploaded template and the tests render these. The
enterprise and the people are invented."""

import datetime as dt

AGENCY = {
    "parent_name": "UBND THÀNH PHỐ HẢI PHÒNG",
    "name": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "short": "SKHCN",
    "place": "Hải Phòng",
}
DIRECTOR = {"title": "GIÁM ĐỐC", "name": "Nguyễn Văn Minh"}
LAW = "Luật Khoa học và Công nghệ số 29/2013/QH13"

DOSSIER = {
    "code": "HP-2026-000123",
    "procedure": "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
    "applicant_name": "Công ty Cổ phần Công nghệ Sinh học Cát Hải",
    "tax_code": "0200167782",
    "representative": "Đỗ Minh Khôi",
    "address": "Số 12 Lê Hồng Phong, phường Gia Viên, thành phố Hải Phòng",
    "phone": "0225 3841 234",
    "email": "lienhe@cathaibio.vn",
    "channel": "Trực tuyến",
    "received_at": "14:20 ngày 27/04/2026",
    "received_on": dt.date(2026, 4, 27),
    "promised_date": dt.date(2026, 5, 13),
    "limit": "10 ngày làm việc",
    "documents": [
        {"name": "Đơn đề nghị cấp Giấy chứng nhận doanh nghiệp KH&CN", "count": 1},
        {"name": "Văn bản xác nhận, công nhận kết quả KH&CN", "count": 2},
        {"name": "Phương án sản xuất, kinh doanh sản phẩm hình thành từ kết quả KH&CN", "count": 1},
    ],
    "receiver": "Trần Thị Thu Hà",
    "lookup_url": "https://dichvucong.example.vn/tra-cuu/",
}


def _common(number: str, date: dt.date) -> dict:
    return {
        "agency": dict(AGENCY),
        "doc": {"number": number, "date": date},
        "signer": dict(DIRECTOR),
        "law": LAW,
    }


def dossier_receipt() -> dict:
    return {**_common("", dt.date(2026, 4, 27)), "dossier": dict(DOSSIER)}


def apology_letter() -> dict:
    return {
        **_common("", dt.date(2026, 5, 13)),
        "dossier": dict(DOSSIER),
        "apology": {
            "number": 1,
            "reason": "Hồ sơ cần lấy thêm ý kiến của Hội đồng tư vấn về kết quả KH&CN.",
            "old_date": dt.date(2026, 5, 13),
            "new_date": dt.date(2026, 5, 20),
        },
    }


def certificate() -> dict:
    return {
        **_common("07/2026/DNKHCN", dt.date(2026, 5, 12)),
        "certificate": {
            "type_label": "GIẤY CHỨNG NHẬN DOANH NGHIỆP KHOA HỌC VÀ CÔNG NGHỆ",
            "number": "07/2026/DNKHCN",
            "version": 1,
            "change_label": "Cấp mới",
            "issued_on": dt.date(2026, 5, 12),
            "holder_name": "Công ty Cổ phần Công nghệ Sinh học Cát Hải",
            "holder_tax_code": "0200167782",
            "holder_address": "Số 12 Lê Hồng Phong, phường Gia Viên, thành phố Hải Phòng",
            "representative": "Đỗ Minh Khôi",
            "products": [
                "Chế phẩm vi sinh xử lý nước nuôi tôm CH-Bio 01",
                "Phân bón hữu cơ vi sinh từ phụ phẩm thủy sản",
            ],
            "valid_until": dt.date(2031, 5, 11),
            "legal_basis": "Nghị định số 13/2019/NĐ-CP ngày 01/02/2019 của Chính phủ",
        },
    }
