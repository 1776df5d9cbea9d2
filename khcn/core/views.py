from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from khcn.core import files, services
from khcn.core.errors import DomainError
from khcn.core.forms import AttachmentForm, ReplaceForm
from khcn.core.models import Attachment, AttachmentVersion
from khcn.core.permissions import can, get_visible, require, scope
from khcn.web.utils import paginate


@login_required
def attachment_list(request):
    """The agency's document library: legal texts, forms, reports."""
    require(request.user, "attachment.view")
    agency = request.agency
    qs = scope(request.user, "attachment.view", Attachment.objects.filter(owner_type__isnull=True))
    if agency:
        qs = qs.filter(agency=agency)
    q = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("category", "")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if category in Attachment.Category.values:
        qs = qs.filter(category=category)
    qs = qs.select_related("created_by").prefetch_related("versions")
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not agency:
            raise Http404
        if form.is_valid():
            try:
                attachment = services.attachment_create(
                    actor=request.user,
                    agency=agency,
                    title=form.cleaned_data["title"],
                    category=form.cleaned_data["category"],
                    description=form.cleaned_data["description"],
                    upload=form.cleaned_data["file"],
                    request=request,
                )
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, _("Đã tải lên “%(t)s”.") % {"t": attachment.title})
                return redirect("attachment-detail", pk=attachment.pk)
    return render(
        request,
        "core/attachment_list.html",
        {
            "page": paginate(request, qs),
            "form": form,
            "q": q,
            "category": category,
            "categories": Attachment.Category.choices,
            "can_upload": agency is not None
            and can(request.user, "attachment.upload", Attachment(agency=agency)),
            "max_mb": settings.KHCN_MAX_UPLOAD_BYTES // (1024 * 1024),
            "allowed": ", ".join(sorted(files.ALLOWED_TYPES)),
        },
    )


@login_required
def attachment_detail(request, pk: int):
    attachment = get_visible(
        request.user,
        "attachment.view",
        Attachment.objects.select_related("agency", "created_by"),
        pk=pk,
    )
    form = ReplaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(request.user, "attachment.replace", attachment)
        if form.is_valid():
            try:
                version = services.attachment_replace(
                    actor=request.user,
                    attachment=attachment,
                    upload=form.cleaned_data["file"],
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, _("Đã lưu phiên bản %(n)s.") % {"n": version.number})
                return redirect("attachment-detail", pk=pk)
    return render(
        request,
        "core/attachment_detail.html",
        {
            "attachment": attachment,
            "form": form,
            "versions": attachment.versions.select_related("uploaded_by"),
            "can_replace": can(request.user, "attachment.replace", attachment),
        },
    )


@login_required
def attachment_download(request, pk: int, number: int):
    """Files are served only here, after the permission check, never by the web server."""
    attachment = get_visible(request.user, "attachment.view", Attachment.objects.all(), pk=pk)
    version = get_object_or_404(AttachmentVersion, attachment=attachment, number=number)
    path = files.blob_path(version.sha256)
    if not path.exists():
        raise Http404(_("Tệp không còn trên máy chủ."))
    services.attachment_downloaded(actor=request.user, version=version, request=request)
    response = FileResponse(
        open(path, "rb"),
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
