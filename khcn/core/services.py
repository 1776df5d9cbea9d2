"""Writes on attachments: upload, replace (new version), download record."""

from django.db import transaction
from django.db.models import F

from khcn.audit.models import AuditAction
from khcn.audit.services import record
from khcn.core import files
from khcn.core.models import Attachment, AttachmentVersion
from khcn.core.permissions import require


@transaction.atomic
def attachment_create(
    *,
    actor,
    agency,
    title: str,
    upload,
    category: str = Attachment.Category.OTHER,
    description: str = "",
    owner=None,
    request=None,
) -> Attachment:
    """Store the file and create version 1. Nothing is created if the file is refused."""
    probe = (
        Attachment(agency=agency, owner=owner) if owner is not None else Attachment(agency=agency)
    )
    require(actor, "attachment.upload", probe)
    stored = files.store_upload(upload)
    attachment = Attachment.objects.create(
        agency=agency,
        title=title.strip() or stored.original_name,
        category=category,
        description=description,
        owner=owner,
        created_by=actor,
        current_version=1,
    )
    version = _add_version(attachment, stored, actor=actor, number=1)
    record(
        actor=actor,
        action=AuditAction.ATTACHMENT_UPLOADED,
        obj=attachment,
        request=request,
        after=_describe(attachment, version),
    )
    return attachment


@transaction.atomic
def attachment_replace(
    *, actor, attachment: Attachment, upload, note: str = "", request=None
) -> AttachmentVersion:
    """Add a new version; earlier versions stay available. The creator is told."""
    from khcn.notifications.models import Kind
    from khcn.notifications.services import notify, site_language

    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    require(actor, "attachment.replace", attachment)
    stored = files.store_upload(upload)
    before = _describe(attachment, attachment.latest)
    Attachment.objects.filter(pk=attachment.pk).update(current_version=F("current_version") + 1)
    attachment.refresh_from_db()
    version = _add_version(
        attachment, stored, actor=actor, number=attachment.current_version, note=note
    )
    record(
        actor=actor,
        action=AuditAction.ATTACHMENT_VERSION_ADDED,
        obj=attachment,
        request=request,
        before=before,
        after=_describe(attachment, version),
    )
    if attachment.created_by_id and attachment.created_by_id != actor.pk:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        with site_language():
            notify(
                recipients=[attachment.created_by],
                kind=Kind.DOCUMENT_CHANGED,
                agency=attachment.agency,
                title=_("Tài liệu “%(title)s” có phiên bản mới") % {"title": attachment.title},
                body=_("%(user)s đã tải lên phiên bản %(n)s.")
                % {"user": actor, "n": version.number},
                url=reverse("attachment-detail", args=[attachment.pk]),
            )
    return version


def attachment_downloaded(*, actor, version: AttachmentVersion, request=None) -> None:
    """Downloads of library documents are recorded: who read which version, when."""
    record(
        actor=actor,
        action=AuditAction.ATTACHMENT_DOWNLOADED,
        obj=version.attachment,
        request=request,
        after={"version": version.number, "sha256": version.sha256},
    )


def _add_version(
    attachment, stored: files.StoredFile, *, actor, number: int, note: str = ""
) -> AttachmentVersion:
    return AttachmentVersion.objects.create(
        attachment=attachment,
        number=number,
        sha256=stored.sha256,
        size=stored.size,
        content_type=stored.content_type,
        extension=stored.extension,
        original_name=stored.original_name,
        note=note,
        uploaded_by=actor,
    )


def _describe(attachment: Attachment, version: AttachmentVersion | None) -> dict:
    data = {"title": attachment.title, "category": attachment.category}
    if version is not None:
        data.update(
            version=version.number,
            file=version.original_name,
            sha256=version.sha256,
            size=version.size,
        )
    return data
