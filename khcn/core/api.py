import datetime as dt

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from khcn.accounts.models import Agency
from khcn.core import files, services
from khcn.core.models import Attachment, AttachmentVersion
from khcn.core.permissions import get_visible, require, scope

router = Router(tags=["Tài liệu"])


class VersionOut(Schema):
    number: int
    original_name: str
    size: int
    content_type: str
    sha256: str
    uploaded_at: dt.datetime
    note: str


class AttachmentOut(Schema):
    id: int
    agency_id: int
    title: str
    category: str
    description: str
    current_version: int
    created_at: dt.datetime
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(obj: Attachment):
        return list(obj.versions.all())


@router.get("", response=list[AttachmentOut], summary="Thư viện tài liệu của các cơ quan được xem")
@paginate(LimitOffsetPagination)
def attachment_list(request, agency_id: int | None = None, category: str = ""):
    qs = scope(request.user, "attachment.view", Attachment.objects.filter(owner_type__isnull=True))
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    if category:
        qs = qs.filter(category=category)
    return qs.prefetch_related("versions")


@router.post("", response={201: AttachmentOut}, summary="Tải lên tài liệu mới")
def attachment_create(
    request,
    agency_id: Form[int],
    title: Form[str] = "",
    category: Form[Attachment.Category] = Attachment.Category.OTHER,
    description: Form[str] = "",
    file: File[UploadedFile] = None,
):
    agency = get_visible(request.user, "agency.view", Agency.objects.all(), pk=agency_id)
    if file is None:
        raise files.FileRejected(_("Hãy gửi kèm một tệp (trường “file”)."))
    attachment = services.attachment_create(
        actor=request.user,
        agency=agency,
        title=title[:255],
        category=category,
        description=description,
        upload=file,
        request=request,
    )
    return Status(201, attachment)


@router.get("/{attachment_id}", response=AttachmentOut)
def attachment_get(request, attachment_id: int):
    return get_visible(request.user, "attachment.view", Attachment.objects.all(), pk=attachment_id)


@router.post(
    "/{attachment_id}/versions", response={201: VersionOut}, summary="Thay thế bằng phiên bản mới"
)
def attachment_replace(
    request, attachment_id: int, note: Form[str] = "", file: File[UploadedFile] = None
):
    attachment = get_visible(
        request.user, "attachment.view", Attachment.objects.all(), pk=attachment_id
    )
    require(request.user, "attachment.replace", attachment)
    if file is None:
        raise files.FileRejected(_("Hãy gửi kèm một tệp (trường “file”)."))
    version = services.attachment_replace(
        actor=request.user, attachment=attachment, upload=file, note=note[:255], request=request
    )
    return Status(201, version)


@router.get("/{attachment_id}/versions/{number}/download", response={200: None}, summary="Tải tệp")
def attachment_download(request, attachment_id: int, number: int):
    attachment = get_visible(
        request.user, "attachment.view", Attachment.objects.all(), pk=attachment_id
    )
    version = get_object_or_404(AttachmentVersion, attachment=attachment, number=number)
    path = files.blob_path(version.sha256)
    if not path.exists():
        raise Http404
    services.attachment_downloaded(actor=request.user, version=version, request=request)
    return FileResponse(
        open(path, "rb"),
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
