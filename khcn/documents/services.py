"""Writes on document templates: an agency replaces a default template, or goes back to it."""

import filetype
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from khcn.audit.models import AuditAction
from khcn.audit.services import record
from khcn.core import clock, files
from khcn.core.errors import ConflictError, DomainError
from khcn.core.models import Attachment
from khcn.core.permissions import require
from khcn.core.services import attachment_create, attachment_replace
from khcn.documents.catalogue import DOCUMENTS, DocumentSpec
from khcn.documents.models import TemplateOverride
from khcn.documents.render import DOCX_CONTENT_TYPE, check_template


def _spec(code: str) -> DocumentSpec:
    try:
        return DOCUMENTS[code]
    except KeyError as exc:
        raise DomainError(_("Không có mẫu văn bản “%(code)s”.") % {"code": code}) from exc


def _read_docx(upload) -> tuple[str, bytes]:
    """Name and bytes of an uploaded .docx, with the checks of the file store (name, size,
    type from the bytes) made *before* anything is stored: a template is tried out first."""
    name = files.clean_name(getattr(upload, "name", ""))
    if not name.lower().endswith(".docx"):
        raise files.FileRejected(_("Mẫu văn bản phải là tệp Word .docx."))
    limit = settings.KHCN_MAX_UPLOAD_BYTES
    too_big = files.FileRejected(
        _("Tệp quá lớn: tối đa %(limit)s.") % {"limit": f"{limit / (1024 * 1024):.0f} MB"}
    )
    if (getattr(upload, "size", None) or 0) > limit:
        raise too_big
    chunks = upload.chunks() if hasattr(upload, "chunks") else [upload.read()]
    content = b"".join(chunks)
    if len(content) > limit:
        raise too_big
    if not content:
        raise files.FileRejected(_("Tệp rỗng."))
    kind = filetype.guess(content)
    if kind is None or kind.extension != "docx":
        raise files.FileRejected(
            _("Nội dung tệp không đúng với đuôi .%(ext)s (tệp có thể bị đổi tên hoặc hỏng).")
            % {"ext": "docx"}
        )
    return name, content


def _describe(override: TemplateOverride | None) -> dict | None:
    if override is None:
        return None
    version = override.attachment.latest
    return {
        "code": override.code,
        "attachment": override.attachment_id,
        "version": version.number if version else None,
        "file": version.original_name if version else "",
        "sha256": version.sha256 if version else "",
    }


def template_replace(*, actor, agency, code: str, upload, request=None) -> TemplateOverride:
    """Use the uploaded .docx as the agency's template for document `code`.

    The upload is first rendered with the document's sample context, strictly; a
    template that does not render (bad tags, a misspelt name) is refused with the
    reason and nothing is stored: no file, no attachment, no row, no audit event.
    A second replacement adds a version to the same attachment, so earlier
    templates stay available.
    """
    spec = _spec(code)
    require(actor, "documents.manage_templates", agency)
    name, content = _read_docx(upload)
    check_template(code, content)
    try:
        return _store(
            actor=actor, agency=agency, spec=spec, name=name, content=content, request=request
        )
    except IntegrityError as exc:  # two first uploads at the same moment: one wins
        raise ConflictError(
            _("Mẫu này vừa được người khác thay. Hãy tải lại trang và thử lại.")
        ) from exc


@transaction.atomic
def _store(*, actor, agency, spec: DocumentSpec, name: str, content: bytes, request):
    stored = SimpleUploadedFile(name, content, content_type=DOCX_CONTENT_TYPE)
    override = (
        TemplateOverride.objects.select_for_update()
        .filter(agency=agency, code=spec.code)
        .select_related("attachment")
        .first()
    )
    before = _describe(override)
    now = clock.now()
    if override is None:
        attachment = attachment_create(
            actor=actor,
            agency=agency,
            title=_("Mẫu văn bản: %(title)s") % {"title": spec.title},
            upload=stored,
            category=Attachment.Category.FORM,
            description=_("Mẫu riêng của cơ quan, dùng thay mẫu gốc của hệ thống."),
            request=request,
        )
        override = TemplateOverride.objects.create(
            agency=agency, code=spec.code, attachment=attachment, updated_by=actor, updated_at=now
        )
        # The file belongs to the template (not to the agency's library), so it is read and
        # replaced under the template's permission.
        _set_owner(attachment, override)
    else:
        attachment_replace(
            actor=actor,
            attachment=override.attachment,
            upload=stored,
            note=_("Thay mẫu văn bản"),
            request=request,
        )
        override.updated_by, override.updated_at = actor, now
        override.save(update_fields=["updated_by", "updated_at"])
        override.attachment.refresh_from_db()
    record(
        actor=actor,
        action=AuditAction.TEMPLATE_REPLACED,
        obj=override,
        agency=agency,
        request=request,
        before=before,
        after=_describe(override),
    )
    return override


def _set_owner(attachment: Attachment, owner) -> None:
    attachment.owner = owner
    attachment.save(update_fields=["owner_type", "owner_id"])


@transaction.atomic
def template_reset(*, actor, agency, code: str, request=None) -> bool:
    """Go back to the packaged default template for `code`. Returns False (and records
    nothing) when the agency already uses the default.

    The agency's file is kept, as an attachment of the agency, for the record.
    """
    spec = _spec(code)
    require(actor, "documents.manage_templates", agency)
    override = (
        TemplateOverride.objects.select_for_update()
        .filter(agency=agency, code=spec.code)
        .select_related("attachment")
        .first()
    )
    if override is None:
        return False
    before = _describe(override)
    record(
        actor=actor,
        action=AuditAction.TEMPLATE_RESET,
        obj=override,
        agency=agency,
        request=request,
        before=before,
    )
    attachment = override.attachment
    override.delete()
    _set_owner(attachment, agency)
    return True
