"""The documents of a dossier: the receipt with the promised return date, the apology letter,
the certificate (templates in `khcn/documents/templates_docx/`, contexts described in
`khcn.documents.catalogue`), and the application forms a user downloads before filing.

Each `*_document` returns (title, file name, DOCX bytes); the services file them on the
dossier as attachments.
"""

import io

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from khcn.core import clock
from khcn.documents.catalogue import DOCUMENTS
from khcn.documents.render import render


def _base(agency, *, number: str = "", date=None) -> dict:
    from khcn.projects.documents import agency_context, signer_context

    return {
        "agency": agency_context(agency),
        "doc": {"number": number, "date": date or clock.today()},
        "signer": signer_context(agency),
        "law": "Luật Khoa học và Công nghệ số 29/2013/QH13",
    }


def limit_label(procedure, rules=None) -> str:
    """ "10 ngày làm việc" from the procedure's rule set (its `resolution` deadline), or from
    `rules` (the version a dossier runs under)."""
    rule = rules.deadline("resolution") if rules is not None else procedure.time_limit()
    if rule is None:
        return ""
    unit = _("ngày làm việc") if rule.unit == "working" else _("ngày")
    return _("%(n)d %(u)s") % {"n": rule.offset, "u": unit}


def lookup_url() -> str:
    try:
        path = reverse("dossier-lookup")
    except NoReverseMatch:
        path = "/tra-cuu/"
    return settings.KHCN_SITE_URL.rstrip("/") + path


def dossier_context(dossier) -> dict:
    counts: dict[str, int] = {}
    for item in dossier.documents.select_related("requirement", "attachment"):
        name = item.requirement.name if item.requirement_id else item.attachment.title
        counts[name] = counts.get(name, 0) + 1
    received = timezone.localtime(dossier.received_at)
    receiver = dossier.received_by
    return {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "applicant_name": dossier.applicant_name,
        "tax_code": dossier.tax_code,
        "representative": dossier.representative or dossier.applicant_name,
        "address": dossier.address,
        "phone": dossier.phone,
        "email": dossier.email,
        "channel": dossier.get_channel_display(),
        "received_at": _("%(t)s ngày %(d)s")
        % {"t": f"{received:%H:%M}", "d": f"{received:%d/%m/%Y}"},
        "received_on": dossier.received_on,
        "promised_date": dossier.promised_date,
        "limit": limit_label(dossier.procedure, dossier.process.rules),
        "documents": [{"name": n, "count": c} for n, c in counts.items()],
        "receiver": receiver.full_name
        if receiver
        else _("Hệ thống thông tin giải quyết thủ tục hành chính"),
        "lookup_url": lookup_url(),
    }


def _rendered(code: str, context: dict, agency) -> tuple[str, str, bytes]:
    spec = DOCUMENTS[code]
    return str(spec.title), spec.filename(context), render(code, context, agency=agency)


def receipt_document(dossier) -> tuple[str, str, bytes]:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (TT 01/2018/TT-VPCP mẫu 01)."""
    context = _base(dossier.agency, date=dossier.received_on) | {
        "dossier": dossier_context(dossier)
    }
    return _rendered("dossier_receipt", context, dossier.agency)


def apology_document(letter) -> tuple[str, str, bytes]:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (TT 01/2018/TT-VPCP mẫu 04)."""
    dossier = letter.dossier
    context = _base(dossier.agency, date=timezone.localdate(letter.issued_at)) | {
        "dossier": dossier_context(dossier),
        "apology": {
            "number": letter.number,
            "reason": letter.reason,
            "old_date": letter.old_date,
            "new_date": letter.new_date,
        },
    }
    return _rendered("apology_letter", context, dossier.agency)


def certificate_context(certificate) -> dict:
    procedure = certificate.dossier.procedure if certificate.dossier_id else None
    basis = (procedure.legal_basis.splitlines()[-1] if procedure else "").rstrip(";.")
    return {
        "type_label": certificate.get_type_display().upper(),
        "number": certificate.number,
        "version": certificate.version,
        "change_label": certificate.get_change_display(),
        "issued_on": certificate.issued_on,
        "holder_name": certificate.holder_name,
        "holder_tax_code": certificate.holder_tax_code,
        "holder_address": certificate.holder_address,
        "representative": certificate.representative,
        "products": [
            line.strip(" -•") for line in certificate.content.splitlines() if line.strip()
        ],
        "valid_until": certificate.valid_until,
        "legal_basis": basis,
    }


def certificate_document(certificate) -> tuple[str, str, bytes]:
    """The certificate itself, numbered, with the products or content it certifies."""
    context = _base(certificate.agency, number=certificate.number, date=certificate.issued_on) | {
        "certificate": certificate_context(certificate)
    }
    return _rendered("certificate", context, certificate.agency)


def form_docx(requirement) -> tuple[str, bytes]:
    """The application form of a procedure (đơn đề nghị) to download, print or fill in Word:
    the national motto, the addressee and one line per field of the procedure's form."""
    from docx.shared import Pt

    from khcn.documents.build_templates import layout as L
    from khcn.procedures.catalogue import field_specs

    procedure = requirement.procedure
    doc = L.new_document(requirement.name)
    L.par(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align=L.CENTER, size=12, bold=True, after=0)
    L.par(doc, "Độc lập - Tự do - Hạnh phúc", align=L.CENTER, size=13, bold=True, after=0)
    L.rule(doc, length=57, box=L.TEXT_W, after=12)
    L.par(doc, requirement.name.upper(), align=L.CENTER, size=14, bold=True, after=12)
    L.par(doc, _("Kính gửi: Sở Khoa học và Công nghệ"), align=L.CENTER, after=12)
    for label in (
        _("Tên tổ chức, cá nhân"),
        _("Mã số thuế / Số căn cước công dân"),
        _("Người đại diện"),
        _("Địa chỉ"),
        _("Điện thoại, thư điện tử"),
    ):
        L.body(doc, f"{label}: " + "." * 60, first_line=0, after=4)
    L.body(
        doc,
        _("Đề nghị Sở giải quyết thủ tục: %(p)s, với các nội dung sau:") % {"p": procedure.name},
        first_line=0,
        before=6,
    )
    for spec in field_specs(procedure):
        mark = " (*)" if spec.required else ""
        L.body(doc, f"- {spec.label}{mark}: " + "." * 40, first_line=0, left=5, after=4)
        if spec.help:
            L.body(doc, spec.help, first_line=0, left=10, italic=True, size=11, after=4)
    L.body(
        doc,
        _(
            "Tổ chức, cá nhân cam đoan các thông tin trên là đúng sự thật và chịu trách nhiệm trước "
            "pháp luật."
        ),
        before=6,
    )
    paragraph = L.par(
        doc, _("NGƯỜI ĐẠI DIỆN (ký, ghi rõ họ tên, đóng dấu)"), align=L.RIGHT, bold=True, before=12
    )
    paragraph.runs[0].font.size = Pt(12)
    out = io.BytesIO()
    doc.save(out)
    return f"{procedure.code}-{requirement.key}.docx", out.getvalue()
