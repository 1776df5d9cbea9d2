"""Pages anyone may open without logging in: the catalogue of procedures, the public status
lookup by dossier code and the register of valid certificates."""

from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from khcn.core import files as core_files
from khcn.core.permissions import can
from khcn.core.text import fold
from khcn.procedures import page_selectors, selectors, throttle
from khcn.procedures.forms import LookupForm
from khcn.procedures.models import Certificate, CertificateType, Procedure, RequiredDocument
from khcn.web.utils import paginate


def catalogue(request):
    """Danh mục thủ tục hành chính: search by name or code, filter by field and level."""
    g = request.GET
    q = fold(g.get("q", "").strip()[:100])
    field = g.get("linh_vuc", "")[:200]
    level = g.get("cap", "")[:10]
    procedures = list(selectors.procedures_public())
    fields = sorted({p.field for p in procedures})
    shown = [
        p
        for p in procedures
        if (not q or q in fold(f"{p.code} {p.name} {p.short_name}"))
        and (not field or p.field == field)
        and (not level or p.level == level)
    ]
    return render(
        request,
        "procedures/catalogue.html",
        {
            "procedures": shown,
            "total": len(procedures),
            "fields": fields,
            "levels": Procedure.Level.choices,
            "filters": g,
        },
    )


def _procedure(request, code: str) -> Procedure:
    procedure = (
        Procedure.objects.filter(code=code)
        .prefetch_related(
            Prefetch(
                "documents", queryset=RequiredDocument.objects.select_related("form_attachment")
            )
        )
        .first()
    )
    if procedure is None:
        raise Http404
    # the catalogue is public; an inactive procedure is shown to the department only
    if not procedure.active and not can(request.user, "procedure.view", procedure):
        raise Http404
    return procedure


def procedure_detail(request, code: str):
    """Everything a user needs before filing: legal basis, documents and forms, fee, time limit,
    steps, responsible unit, result."""
    procedure = _procedure(request, code)
    rules = procedure.rules
    file_ok, file_reason = (False, "")
    if request.user.is_authenticated:
        decision = can(request.user, "dossier.file", procedure)
        file_ok, file_reason = bool(decision), decision.reason
    return render(
        request,
        "procedures/procedure_detail.html",
        {
            "procedure": procedure,
            "documents": list(procedure.documents.all()),
            "time_limit": procedure.time_limit(),
            "validity_check": rules.deadline("validity_check"),
            "legal_lines": [line for line in procedure.legal_basis.splitlines() if line.strip()],
            "step_lines": [line for line in procedure.steps.splitlines() if line.strip()],
            "can_file": file_ok,
            "file_reason": file_reason,
        },
    )


def procedure_form(request, code: str, key: str):
    """The blank form of one required document: the uploaded form, else the generated DOCX."""
    procedure = _procedure(request, code)
    requirement = next((d for d in procedure.documents.all() if d.key == key), None)
    if requirement is None:
        raise Http404
    if requirement.form_attachment_id:
        version = requirement.form_attachment.latest()
        if version is None:
            raise Http404
        path = core_files.blob_path(version.sha256)
        if not path.exists():
            raise Http404
        response = FileResponse(
            open(path, "rb"),
            as_attachment=True,
            filename=version.original_name,
            content_type=version.content_type,
        )
    elif requirement.form_code:
        from khcn.procedures.documents import form_docx

        filename, content = form_docx(requirement)
        response = HttpResponse(content, content_type=core_files.ALLOWED_TYPES["docx"])
        response["Content-Disposition"] = page_selectors.attachment_header(filename)
    else:
        raise Http404
    response["X-Content-Type-Options"] = "nosniff"
    return response


def lookup(request):
    """Tra cứu hồ sơ: status, current step, received and promised dates of a dossier by its
    code; nothing personal. Unknown and malformed codes get the same answer; a client asking
    too often is told to wait (`[rules.dossier] lookup_per_minute`)."""
    form = LookupForm(request.GET or None)
    result, message, status = None, "", 200
    if request.GET and form.is_valid():
        if not throttle.lookup_allowed(request):
            message, status = (
                _("Bạn tra cứu quá nhiều lần trong một phút. Vui lòng đợi một phút rồi thử lại."),
                429,
            )
        else:
            result = selectors.dossier_lookup(form.cleaned_data["code"])
            if result is None:
                message = _(
                    "Không tìm thấy hồ sơ có mã này. Kiểm tra lại mã in trên giấy tiếp nhận "
                    "(dạng HP-2026-000123)."
                )
    elif request.GET:
        message = _("Nhập mã hồ sơ in trên giấy tiếp nhận (dạng HP-2026-000123).")
    return render(
        request,
        "procedures/lookup.html",
        {"form": form, "result": result, "message": message},
        status=status,
    )


def certificate_register(request):
    """Sổ công khai các giấy chứng nhận doanh nghiệp KH&CN còn hiệu lực (and the other types on
    request): holder, tax code, number, date, products, validity."""
    g = request.GET
    type_ = g.get("loai", CertificateType.ST_ENTERPRISE)
    if type_ not in CertificateType.values:
        type_ = CertificateType.ST_ENTERPRISE
    qs = selectors.certificates_public(type=type_, valid=True, q=g.get("q", "").strip()[:100])
    return render(
        request,
        "procedures/certificate_register.html",
        {
            "page": paginate(request, qs, 25),
            "types": CertificateType.choices,
            "type": type_,
            "type_label": CertificateType(type_).label,
            "filters": g,
        },
    )


def certificate_detail(request, pk: int):
    """One certificate. The public sees valid certificates; the department's staff see every
    version, with the chain of amendments, re-issues and the revocation."""
    certificate = (
        Certificate.objects.filter(pk=pk).select_related("agency", "dossier", "document").first()
    )
    if certificate is None:
        raise Http404
    staff = request.user.is_authenticated and can(request.user, "certificate.manage", certificate)
    if not staff and certificate.status != Certificate.Status.VALID:
        raise Http404
    chain = selectors.certificate_history(certificate) if staff else []
    return render(
        request,
        "procedures/certificate_detail.html",
        {"certificate": certificate, "chain": chain, "staff": staff},
    )
