"""Filing a dossier in tests: the applicant, the form and the files each procedure needs."""

import datetime as dt

from khcn.core import clock
from khcn.procedures import services
from khcn.procedures.models import Procedure
from tests.factories import pdf_bytes, upload

D = dt.date
TAX_CODE = "0200167782"  # Nhựa Thiếu niên Tiền Phong: a published, valid code
OTHER_TAX_CODE = "0100100008"
ISSUE_DAY = dt.date(2026, 6, 1)

APPLICANT = {
    "kind": "organisation",
    "name": "Công ty Cổ phần Công nghệ Sinh học Cát Hải",
    "tax_code": TAX_CODE,
    "representative": "Đỗ Minh Khôi",
    "address": "Số 12 Lê Hồng Phong, phường Gia Viên, thành phố Hải Phòng",
    "phone": "0225 3841 234",
    "email": "lienhe@cathaibio.vn",
}
CITIZEN = {
    "kind": "individual",
    "name": "Nguyễn Thị Hồng",
    "citizen_id": "031190001234",
    "address": "Số 5 Trần Phú, phường Ngô Quyền, thành phố Hải Phòng",
}

FORMS = {
    "KHCN-DNKHCN-01": {
        "business_reg_no": "0200167782",
        "founded_on": "15/03/2018",
        "st_results": "Quy trình sản xuất chế phẩm vi sinh xử lý nước nuôi tôm (GCN 12/2024)",
        "st_products": "Chế phẩm vi sinh CH-Bio 01\nPhân bón hữu cơ vi sinh từ phụ phẩm thủy sản",
        "st_revenue_share": "45",
    },
    "KHCN-DNKHCN-02": {
        "certificate_number": "01/2026/DNKHCN",
        "changes": "Bổ sung sản phẩm mới",
        "st_products": "Chế phẩm vi sinh CH-Bio 01\nChế phẩm CH-Bio 02",
    },
    "KHCN-DNKHCN-03": {"certificate_number": "01/2026/DNKHCN", "reason": "Bản gốc bị hư hỏng"},
    "KHCN-DNKHCN-04": {"certificate_number": "01/2026/DNKHCN", "reason": "Giải thể doanh nghiệp"},
    "KHCN-CGCN-01": {
        "contract_no": "05/2026/HĐCGCN",
        "contract_date": "02/03/2026",
        "transferor": "Viện Nghiên cứu Hải sản",
        "transferee": "Công ty Cổ phần Công nghệ Sinh học Cát Hải",
        "technology": "Công nghệ ương giống tôm thẻ chân trắng",
        "contract_value": "1.200.000.000",
    },
    "KHCN-SK-01": {
        "initiative_title": "Cải tiến quy trình tiếp nhận hồ sơ",
        "authors": "Nguyễn Thị Hồng",
        "applied_since": "01/02/2026",
        "benefits": "Giảm thời gian tiếp nhận",
    },
}


def procedure(code: str = "KHCN-DNKHCN-01") -> Procedure:
    return Procedure.objects.get(code=code)


def pdf(name: str = "tai-lieu.pdf"):
    return upload(name, pdf_bytes())


def all_files(proc: Procedure, *, mandatory_only: bool = True) -> dict:
    return {
        r.key: [pdf(f"{r.key}.pdf")]
        for r in proc.documents.all()
        if r.mandatory or not mandatory_only
    }


def submit(user, agency, code: str = "KHCN-DNKHCN-01", *, on: dt.date | None = None, **kw):
    """File a complete dossier online as `user` (on the day `on`, 09:00)."""
    proc = procedure(code)
    args = {
        "applicant": dict(APPLICANT),
        "form_data": dict(FORMS.get(code, {})),
        "files": all_files(proc),
    } | kw

    def go():
        return services.dossier_submit(actor=user, procedure=proc, agency=agency, **args)

    if on is None:
        return go()
    with clock.travel(on):
        return go()


def act(user, dossier, action: str, on: dt.date, **kw):
    with clock.travel(on):
        return services.dossier_act(actor=user, dossier=dossier, action=action, **kw)


def approved(staff, leader, dossier, *, on: dt.date | None = None):
    """Take a received dossier through validity, appraisal and the leader's approval."""
    day = on or clock.today()
    with clock.travel(day):
        dossier = services.dossier_accept(actor=staff, dossier=dossier)
        dossier = services.dossier_appraise(
            actor=staff, dossier=dossier, recommendation="approve", appraisal="Đủ điều kiện."
        )
        return services.dossier_decide(actor=leader, dossier=dossier, approve=True)


def issued(staff, leader, user, agency, code: str = "KHCN-DNKHCN-01", *, on=ISSUE_DAY, **kw):
    """A dossier of `code` filed by `user` on `on`, approved and its result issued the same day:
    (dossier, certificate)."""
    with clock.travel(on):
        dossier = approved(staff, leader, submit(user, agency, code, **kw))
        certificate = services.certificate_issue(actor=staff, dossier=dossier)
    dossier.refresh_from_db()
    return dossier, certificate
