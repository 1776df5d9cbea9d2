"""Attachments: upload, replace with a new version, download through the permission check."""

import hashlib
import os
import time

import pytest
from django.http import Http404

from khcn.accounts.models import Role
from khcn.audit.models import AuditAction, AuditEvent
from khcn.audit.services import verify
from khcn.core.demo import NamedBytes
from khcn.core.files import FileRejected, blob_path, store_upload
from khcn.core.jobs import remove_orphan_files
from khcn.core.models import Attachment, AttachmentVersion
from khcn.core.services import attachment_create, attachment_replace
from khcn.notifications.models import Kind, Notification
from tests.factories import ELF_BYTES, pdf_bytes, png_bytes, upload, user_with_role

pytestmark = pytest.mark.django_db

V1 = pdf_bytes("Thong tu 20/2023 ban goc")
V2 = pdf_bytes("Thong tu 20/2023 ban sua doi")


@pytest.fixture
def document(staff_a, agency_a):
    return attachment_create(
        actor=staff_a,
        agency=agency_a,
        title="Thông tư 20/2023/TT-BKHCN",
        category=Attachment.Category.LEGAL,
        upload=upload("tt-20-2023.pdf", V1),
    )


def assert_nothing_stored(media_files):
    assert media_files() == []
    assert not Attachment.objects.exists()
    assert not AttachmentVersion.objects.exists()
    assert not AuditEvent.objects.exists()


# --- services -------------------------------------------------------------------------------------


def test_create_stores_version_one_and_audits(document, staff_a, agency_a):
    version = document.latest
    assert document.current_version == 1
    assert (version.number, version.original_name) == (1, "tt-20-2023.pdf")
    assert version.sha256 == hashlib.sha256(V1).hexdigest()
    assert blob_path(version.sha256).read_bytes() == V1
    event = AuditEvent.objects.get()
    assert event.action == AuditAction.ATTACHMENT_UPLOADED
    assert (event.actor, event.agency) == (staff_a, agency_a)
    assert event.after["sha256"] == version.sha256
    assert verify().ok


def test_blank_title_takes_the_file_name(staff_a, agency_a):
    doc = attachment_create(
        actor=staff_a, agency=agency_a, title="  ", upload=upload("so-do.png", png_bytes())
    )

    assert doc.title == "so-do.png"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("chuong-trinh.pdf", ELF_BYTES),
        ("anh.pdf", png_bytes()),
        ("van-ban.docx", "văn bản thuần".encode()),
        ("rong.pdf", b""),
        ("../../etc/passwd.pdf", V1),
        ("a/b.pdf", V1),
        ("..\\x.pdf", V1),
        ("ten\x07chuong.pdf", V1),
    ],
)
def test_refused_file_creates_nothing(name, content, staff_a, agency_a, media_files):
    # NamedBytes keeps the name exactly as sent, as an API client or a script would
    with pytest.raises(FileRejected):
        attachment_create(
            actor=staff_a, agency=agency_a, title="Tài liệu", upload=NamedBytes(content, name)
        )

    assert_nothing_stored(media_files)


def test_too_large_file_creates_nothing(settings, staff_a, agency_a, media_files):
    settings.KHCN_MAX_UPLOAD_BYTES = 100

    with pytest.raises(FileRejected, match="Tệp quá lớn"):
        attachment_create(actor=staff_a, agency=agency_a, title="Lớn", upload=upload("lon.pdf", V1))

    assert_nothing_stored(media_files)


def test_outsider_may_not_upload_and_nothing_is_stored(agency_a, media_files):
    host = user_with_role(Role.HOST, agency_a)

    with pytest.raises(Http404):  # the library is out of a host's sight altogether
        attachment_create(actor=host, agency=agency_a, title="X", upload=upload("x.pdf", V1))

    assert_nothing_stored(media_files)


def test_replace_keeps_old_versions_and_tells_the_creator(document, leader_a, staff_a):
    version = attachment_replace(
        actor=leader_a, attachment=document, upload=upload("tt-20-2023-sua.pdf", V2), note="Sửa đổi"
    )

    document.refresh_from_db()
    assert document.current_version == 2
    assert version.number == 2
    assert [v.number for v in document.versions.all()] == [2, 1]
    assert blob_path(document.versions.get(number=1).sha256).read_bytes() == V1
    assert blob_path(version.sha256).read_bytes() == V2
    event = AuditEvent.objects.get(action=AuditAction.ATTACHMENT_VERSION_ADDED)
    assert (event.before["version"], event.after["version"]) == (1, 2)
    note = Notification.objects.get(recipient=staff_a)
    assert note.kind == Kind.DOCUMENT_CHANGED
    assert note.title == "Tài liệu “Thông tư 20/2023/TT-BKHCN” có phiên bản mới"
    assert note.url == f"/tai-lieu/{document.pk}/"


def test_replace_by_the_creator_notifies_nobody(document, staff_a):
    attachment_replace(actor=staff_a, attachment=document, upload=upload("v2.pdf", V2))

    assert not Notification.objects.exists()


def test_refused_replacement_changes_nothing(document, leader_a, media_files):
    before_files, before_events = media_files(), AuditEvent.objects.count()

    with pytest.raises(FileRejected):
        attachment_replace(actor=leader_a, attachment=document, upload=upload("v2.pdf", ELF_BYTES))

    document.refresh_from_db()
    assert document.current_version == 1
    assert document.versions.count() == 1
    assert media_files() == before_files
    assert AuditEvent.objects.count() == before_events


def test_same_bytes_in_two_documents_are_stored_once(document, staff_a, agency_a, media_files):
    attachment_create(
        actor=staff_a, agency=agency_a, title="Bản sao", upload=upload("ban-sao.pdf", V1)
    )

    assert media_files() == [blob_path(hashlib.sha256(V1).hexdigest())]


# --- download view -----------------------------------------------------------------------------------


def download(client, doc, number):
    return client.get(f"/tai-lieu/{doc.pk}/v/{number}/tai-ve/")


def test_every_version_downloads_its_own_bytes(client_of, document, leader_a, staff_a):
    attachment_replace(actor=leader_a, attachment=document, upload=upload("tt-20-2023-sua.pdf", V2))
    client = client_of(staff_a)

    first, second = download(client, document, 1), download(client, document, 2)

    assert first.status_code == second.status_code == 200
    assert b"".join(first.streaming_content) == V1
    assert b"".join(second.streaming_content) == V2
    assert first["Content-Type"] == "application/pdf"
    assert 'filename="tt-20-2023.pdf"' in first["Content-Disposition"]
    assert first["Content-Disposition"].startswith("attachment")
    assert first["X-Content-Type-Options"] == "nosniff"
    downloads = AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_DOWNLOADED)
    assert sorted(e.after["version"] for e in downloads) == [1, 2]


def test_download_of_other_agency_document_is_404(client_of, document, staff_b):
    response = download(client_of(staff_b), document, 1)

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_DOWNLOADED).exists()


def test_download_needs_login(client, document):
    response = download(client, document, 1)

    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


def test_download_of_missing_version_or_blob_is_404(client_of, document, staff_a):
    client = client_of(staff_a)
    assert download(client, document, 7).status_code == 404

    blob_path(document.latest.sha256).unlink()
    assert download(client, document, 1).status_code == 404


def test_outside_roles_of_the_same_agency_cannot_download(client_of, document, agency_a):
    expert = user_with_role(Role.EXPERT, agency_a)

    assert download(client_of(expert), document, 1).status_code == 404


# --- the library page form ------------------------------------------------------------------------


def test_upload_through_the_form(client_of, staff_a, agency_a):
    response = client_of(staff_a).post(
        "/tai-lieu/",
        {
            "title": "Sơ đồ tổ chức",
            "category": "other",
            "description": "",
            "file": upload("so-do.png", png_bytes()),
        },
    )

    doc = Attachment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tai-lieu/{doc.pk}/"
    assert (doc.title, doc.agency, doc.created_by) == ("Sơ đồ tổ chức", agency_a, staff_a)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("chuong-trinh.pdf", ELF_BYTES, "Nội dung tệp không đúng với đuôi .pdf"),
        ("ghi-chu.docx", b"plain text", "Nội dung tệp không đúng với đuôi .docx"),
        ("virus.exe", ELF_BYTES, "Loại tệp không được chấp nhận"),
    ],
)
def test_form_shows_the_vietnamese_error_and_stores_nothing(
    client_of, staff_a, name, content, message, media_files
):
    client = client_of(staff_a)
    logins = AuditEvent.objects.count()

    response = client.post(
        "/tai-lieu/", {"title": "T", "category": "other", "file": upload(name, content)}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert message in response.context["form"].errors["file"][0]
    assert media_files() == []
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.count() == logins  # only the login


def test_form_without_file_asks_for_one(client_of, staff_a):
    response = client_of(staff_a).post("/tai-lieu/", {"title": "T", "category": "other"})

    assert "Hãy chọn một tệp." in response.content.decode()
    assert not Attachment.objects.exists()


def test_replace_through_the_detail_page(client_of, document, leader_a):
    response = client_of(leader_a).post(
        f"/tai-lieu/{document.pk}/", {"note": "Bản sửa", "file": upload("v2.pdf", V2)}
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.current_version == 2
    assert document.latest.note == "Bản sửa"


def test_library_lists_only_the_current_agency(client_of, document, staff_b, agency_b):
    other = attachment_create(
        actor=staff_b, agency=agency_b, title="Của Hà Nội", upload=upload("hn.pdf", V2)
    )

    page = client_of(staff_b).get("/tai-lieu/").context["page"]

    assert list(page.object_list) == [other]


# --- the daily clean-up job -------------------------------------------------------------------------


def age(path, days: float = 2) -> None:
    past = time.time() - days * 86400
    os.utime(path, (past, past))


def test_remove_orphan_files_keeps_referenced_blobs(document, settings, media_files):
    referenced = blob_path(document.latest.sha256)
    orphan = blob_path(store_upload(upload("mo-coi.png", png_bytes())).sha256)
    fresh_orphan = blob_path(store_upload(upload("moi.png", png_bytes(2, 2))).sha256)
    stale_tmp = settings.MEDIA_ROOT / "tmp" / "tmpabc123"
    stale_tmp.write_bytes(b"partial upload")
    for path in (referenced, orphan, stale_tmp):
        age(path)

    removed = remove_orphan_files.call()

    assert removed == 2
    assert media_files() == sorted([referenced, fresh_orphan])
    assert remove_orphan_files.call() == 0  # a second run does no harm


def test_remove_orphan_files_leaves_foreign_files_alone(settings, db):
    stray = settings.MEDIA_ROOT / "ghi-chu.txt"
    stray.parent.mkdir(parents=True)
    stray.write_text("không phải blob")
    age(stray)

    assert remove_orphan_files.call() == 0
    assert stray.exists()
