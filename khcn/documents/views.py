"""The template pages of an agency: list, download, preview, replace, reset.

Every page works on the agency the user is working in (`request.agency`) and needs
`documents.manage_templates` there.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from khcn.core.errors import DomainError
from khcn.core.permissions import require
from khcn.documents import render as rendering
from khcn.documents import selectors, services
from khcn.documents.catalogue import DOCUMENTS, DocumentSpec
from khcn.documents.forms import TemplateUploadForm

PDF_CONTENT_TYPE = "application/pdf"


def _agency(request):
    agency = request.agency if request.agency else None
    if agency is None:
        raise Http404(_("Bạn chưa thuộc cơ quan nào."))
    require(request.user, "documents.manage_templates", agency)
    return agency


def _spec(code: str) -> DocumentSpec:
    try:
        return DOCUMENTS[code]
    except KeyError as exc:
        raise Http404(_("Không có mẫu văn bản này.")) from exc


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def template_list(request):
    """The seven documents, whether the agency uses its own template, and what to do."""
    agency = _agency(request)
    return render(
        request,
        "documents/template_list.html",
        {
            "agency": agency,
            "rows": selectors.template_rows(agency=agency),
            "pdf": rendering.pdf_available(),
        },
    )


@login_required
def template_download(request, code: str):
    """The template in force: the agency's own, else the default (to edit in Word)."""
    spec = _spec(code)
    agency = _agency(request)
    override = selectors.override_for(agency=agency, code=code)
    try:
        content = rendering.template_bytes(code, agency)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("document-template-list")
    version = override.attachment.latest if override else None
    filename = version.original_name if version else f"mau-{spec.code}.docx"
    return _file(content, filename, rendering.DOCX_CONTENT_TYPE)


@login_required
def template_preview(request, code: str, as_pdf: bool = False):
    """The template filled with the sample data, as .docx or (with LibreOffice) PDF."""
    spec = _spec(code)
    agency = _agency(request)
    if as_pdf and not rendering.pdf_available():
        raise Http404(_("Máy chủ chưa cài LibreOffice nên không tạo được PDF."))
    try:
        content = rendering.render(code, spec.sample(), agency=agency)
        if as_pdf:
            content = rendering.to_pdf(content)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("document-template-list")
    stem = f"xem-thu-{code}"
    if as_pdf:
        return _file(content, f"{stem}.pdf", PDF_CONTENT_TYPE)
    return _file(content, f"{stem}.docx", rendering.DOCX_CONTENT_TYPE)


@login_required
def template_upload(request, code: str):
    """Replace the agency's template; the upload is tried with the sample data first."""
    spec = _spec(code)
    agency = _agency(request)
    posted = request.method == "POST"
    form = TemplateUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            services.template_replace(
                actor=request.user,
                agency=agency,
                code=code,
                upload=form.cleaned_data["file"],
                request=request,
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(
                request,
                _("Đã thay mẫu “%(title)s”. Văn bản mới sẽ dùng mẫu này.") % {"title": spec.title},
            )
            return redirect("document-template-list")
    return render(
        request,
        "documents/template_upload.html",
        {
            "spec": spec,
            "form": form,
            "override": selectors.override_for(agency=agency, code=code),
            "keys": spec.required_keys,
        },
    )


@login_required
def template_reset(request, code: str):
    """GET asks for confirmation; POST goes back to the default template."""
    spec = _spec(code)
    agency = _agency(request)
    override = selectors.override_for(agency=agency, code=code)
    if request.method == "POST":
        if services.template_reset(actor=request.user, agency=agency, code=code, request=request):
            messages.success(
                request, _("Đã khôi phục mẫu gốc “%(title)s”.") % {"title": spec.title}
            )
        else:
            messages.info(request, _("“%(title)s” đang dùng mẫu gốc.") % {"title": spec.title})
        return redirect("document-template-list")
    return render(request, "documents/template_reset.html", {"spec": spec, "override": override})
