"""An agency replaces a default template, or goes back to it: checked, versioned, audited."""

import pytest
from django.core.exceptions import PermissionDenied

from khcn.accounts.models import Role
from khcn.audit.models import AuditAction, AuditEvent
from khcn.audit.services import verify
from khcn.core.errors import DomainError
from khcn.core.files import FileRejected, blob_path
from khcn.core.models import Attachment, AttachmentVersion
from khcn.documents.catalogue import DOCUMENTS
from khcn.documents.models import TemplateOverride
from khcn.documents.render import default_template, render
from khcn.documents.services import template_replace, template_reset
from tests.documents.conftest import docx_text, edited_template
from tests.factories import pdf_bytes, upload, user_with_role

pytestmark = pytest.mark.django_db

CODE = "recognition_decision"
MARK = "Mẫu riêng của Sở KH&CN Hải Phòng – bản 2026"
SAMPLE = DOCUMENTS[CODE].sample_context


def our_template(mark: str = MARK):
    return upload("qd-cong-nhan.docx", edited_template(CODE, mark))


def rendered_text(agency) -> str:
    return docx_text(render(CODE, SAMPLE, agency=agency))


def assert_nothing_stored(media_files):
    assert media_files() == []
    assert not Attachment.objects.exists()
    assert not AttachmentVersion.objects.exists()
    assert not TemplateOverride.objects.exists()
    assert not AuditEvent.objects.exists()


def test_replacing_changes_the_output(staff_a, agency_a):
    assert MARK not in rendered_text(agency_a)

    override = template_replace(actor=staff_a, agency=agency_a, code=CODE, upload=our_template())

    assert MARK in rendered_text(agency_a)
    assert (override.agency, override.code, override.updated_by) == (agency_a, CODE, staff_a)
    attachment = override.attachment
    assert attachment.current_version == 1
    assert attachment.owner == override
    assert attachment.category == Attachment.Category.FORM
    assert blob_path(attachment.latest.sha256).exists()


def test_the_override_is_audited(staff_a, agency_a):
    override = template_replace(actor=staff_a, agency=agency_a, code=CODE, upload=our_template())

    event = AuditEvent.objects.get(action=AuditAction.TEMPLATE_REPLACED)
    assert (event.actor, event.agency) == (staff_a, agency_a)
    assert event.object_id == str(override.pk)
    assert event.before is None
    assert event.after["code"] == CODE
    assert event.after["sha256"] == override.attachment.latest.sha256
    assert AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_UPLOADED).count() == 1
    assert verify().ok


def test_replacing_again_adds_a_version(staff_a, admin_a, agency_a):
    first = template_replace(actor=staff_a, agency=agency_a, code=CODE, upload=our_template())
    second = template_replace(
        actor=admin_a, agency=agency_a, code=CODE, upload=our_template("Bản sửa lần hai")
    )

    assert second.pk == first.pk
    assert second.attachment_id == first.attachment_id
    assert second.attachment.current_version == 2
    assert second.updated_by == admin_a
    text = rendered_text(agency_a)
    assert "Bản sửa lần hai" in text and MARK not in text
    event = AuditEvent.objects.filter(action=AuditAction.TEMPLATE_REPLACED).order_by("seq").last()
    assert (event.before["version"], event.after["version"]) == (1, 2)


def test_the_override_is_the_agencys_own(staff_a, agency_a, agency_b):
    template_replace(actor=staff_a, agency=agency_a, code=CODE, upload=our_template())

    assert MARK not in rendered_text(agency_b)
    assert MARK not in docx_text(
        render("contract", DOCUMENTS["contract"].sample_context, agency=agency_a)
    )


@pytest.mark.parametrize(
    ("paragraph", "problem"),
    [
        ("Giá trị: {{ foo(", "lỗi cú pháp"),
        ("{{ project.titel }}", "titel"),
        ("{%p if project.host %}", "lỗi cú pháp"),
    ],
)
def test_a_broken_template_is_refused_and_nothing_is_stored(
    staff_a, agency_a, media_files, paragraph, problem
):
    broken = upload("hong.docx", edited_template(CODE, paragraph))

    with pytest.raises(DomainError) as caught:
        template_replace(actor=staff_a, agency=agency_a, code=CODE, upload=broken)

    assert "Quyết định công nhận kết quả thực hiện nhiệm vụ" in caught.value.message
    assert problem in caught.value.message
    assert_nothing_stored(media_files)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("mau.docx", "văn bản thuần, không phải Word".encode()),
        ("mau.docx", pdf_bytes("Mau")),
        ("mau.pdf", pdf_bytes("Mau")),
        ("mau.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 600),
        ("mau.docx", b""),
        ("../mau.docx", b"PK"),
    ],
)
def test_a_file_that_is_not_a_docx_is_refused(staff_a, agency_a, media_files, name, content):
    with pytest.raises(FileRejected):
        template_replace(actor=staff_a, agency=agency_a, code=CODE, upload=upload(name, content))

    assert_nothing_stored(media_files)


def test_a_file_over_the_limit_is_refused(staff_a, agency_a, media_files, settings):
    settings.KHCN_MAX_UPLOAD_BYTES = 1000

    with pytest.raises(FileRejected, match="quá lớn"):
        template_replace(actor=staff_a, agency=agency_a, code=CODE, upload=our_template())

    assert_nothing_stored(media_files)


def test_unknown_document(staff_a, agency_a):
    with pytest.raises(DomainError):
        template_replace(actor=staff_a, agency=agency_a, code="cong_van", upload=our_template())


def test_reset_restores_the_default(staff_a, admin_a, agency_a):
    override = template_replace(actor=staff_a, agency=agency_a, code=CODE, upload=our_template())
    attachment = override.attachment

    assert template_reset(actor=admin_a, agency=agency_a, code=CODE) is True

    assert not TemplateOverride.objects.exists()
    assert MARK not in rendered_text(agency_a)
    assert render(CODE, SAMPLE, agency=agency_a) != b""
    event = AuditEvent.objects.get(action=AuditAction.TEMPLATE_RESET)
    assert (event.actor, event.agency, event.object_id) == (admin_a, agency_a, str(override.pk))
    assert event.before["sha256"] == attachment.latest.sha256
    # the agency's file is kept for the record, now filed under the agency
    attachment.refresh_from_db()
    assert attachment.owner == agency_a
    assert verify().ok


def test_reset_of_a_default_does_nothing(staff_a, agency_a):
    assert template_reset(actor=staff_a, agency=agency_a, code=CODE) is False
    assert not AuditEvent.objects.exists()


def test_after_a_reset_a_new_template_starts_again(staff_a, agency_a):
    template_replace(actor=staff_a, agency=agency_a, code=CODE, upload=our_template())
    template_reset(actor=staff_a, agency=agency_a, code=CODE)

    again = template_replace(actor=staff_a, agency=agency_a, code=CODE, upload=our_template("Mới"))

    assert again.attachment.current_version == 1
    assert "Mới" in rendered_text(agency_a)
    assert Attachment.objects.count() == 2


def test_a_lost_template_file_is_reported(staff_a, agency_a):
    override = template_replace(actor=staff_a, agency=agency_a, code=CODE, upload=our_template())
    blob_path(override.attachment.latest.sha256).unlink()

    with pytest.raises(DomainError, match="không còn trên máy chủ"):
        render(CODE, SAMPLE, agency=agency_a)


def test_the_default_is_packaged_unchanged():
    assert default_template(CODE).startswith(b"PK")


@pytest.mark.parametrize(
    "role", [Role.LEADER, Role.HOST, Role.EXPERT, Role.ENTERPRISE, Role.PUBLIC]
)
def test_only_staff_and_administrators_replace_templates(agency_a, media_files, role):
    user = user_with_role(role, agency_a)

    with pytest.raises(PermissionDenied):
        template_replace(actor=user, agency=agency_a, code=CODE, upload=our_template())
    with pytest.raises(PermissionDenied):
        template_reset(actor=user, agency=agency_a, code=CODE)

    assert_nothing_stored(media_files)


def test_staff_of_another_agency_cannot_replace(staff_b, agency_a, media_files):
    with pytest.raises(PermissionDenied):
        template_replace(actor=staff_b, agency=agency_a, code=CODE, upload=our_template())

    assert_nothing_stored(media_files)
