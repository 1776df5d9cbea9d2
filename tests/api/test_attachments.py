"""/api/v1/attachments: upload (multipart), versions, download; refused files store nothing."""

import hashlib

import pytest

from khcn.audit.models import AuditEvent
from khcn.core.models import Attachment, AttachmentVersion
from khcn.core.services import attachment_create
from tests.factories import ELF_BYTES, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db

PDF = pdf_bytes("Quyet dinh phe duyet")


@pytest.fixture
def document(staff_a, agency_a):
    return attachment_create(actor=staff_a, agency=agency_a, title="Quyết định phê duyệt",
                             upload=upload("quyet-dinh.pdf", PDF))  # fmt: skip


def test_upload_is_201(client, bearer, staff_a, agency_a):
    response = client.post(
        "/api/v1/attachments",
        {
            "agency_id": agency_a.pk,
            "title": "Sơ đồ",
            "category": "form",
            "file": upload("so-do.png", png_bytes()),
        },
        **bearer(staff_a),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["category"], body["current_version"]) == ("Sơ đồ", "form", 1)
    version = body["versions"][0]
    assert version["sha256"] == hashlib.sha256(png_bytes()).hexdigest()
    assert (version["original_name"], version["content_type"]) == ("so-do.png", "image/png")
    assert Attachment.objects.get().created_by == staff_a


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "chuong-trinh.pdf",
            ELF_BYTES,
            "Nội dung tệp không đúng với đuôi .pdf (tệp có thể bị đổi tên hoặc hỏng).",
        ),
        (
            "anh.pdf",
            png_bytes(),
            "Nội dung tệp không đúng với đuôi .pdf (tệp có thể bị đổi tên hoặc hỏng).",
        ),
        ("rong.pdf", b"", "Tệp rỗng."),
    ],
)
def test_refused_upload_is_422_and_stores_nothing(
    client, bearer, staff_a, agency_a, media_files, name, content, message
):
    headers = bearer(staff_a)
    events = AuditEvent.objects.count()

    response = client.post(
        "/api/v1/attachments", {"agency_id": agency_a.pk, "file": upload(name, content)}, **headers
    )

    assert response.status_code == 422
    assert response.json() == {"detail": message}
    assert media_files() == []
    assert not Attachment.objects.exists() and not AttachmentVersion.objects.exists()
    assert AuditEvent.objects.count() == events


def test_upload_without_a_file_is_422(client, bearer, staff_a, agency_a):
    response = client.post("/api/v1/attachments", {"agency_id": agency_a.pk}, **bearer(staff_a))

    assert response.status_code == 422
    assert response.json() == {"detail": "Hãy gửi kèm một tệp (trường “file”)."}


def test_upload_into_another_agency_is_404(client, bearer, staff_b, agency_a, media_files):
    response = client.post(
        "/api/v1/attachments",
        {"agency_id": agency_a.pk, "file": upload("x.pdf", PDF)},
        **bearer(staff_b),
    )

    assert response.status_code == 404
    assert media_files() == []


def test_list_is_scoped_and_shaped(client, bearer, document, staff_b, agency_b):
    attachment_create(
        actor=staff_b, agency=agency_b, title="Của Hà Nội", upload=upload("hn.pdf", pdf_bytes("HN"))
    )

    body = client.get("/api/v1/attachments", **bearer(staff_b)).json()

    assert set(body) == {"items", "count"}
    assert [a["title"] for a in body["items"]] == ["Của Hà Nội"]
    assert body["count"] == 1


def test_other_agency_attachment_is_404(client, bearer, document, staff_b):
    headers = bearer(staff_b)

    for url in [
        f"/api/v1/attachments/{document.pk}",
        f"/api/v1/attachments/{document.pk}/versions/1/download",
    ]:
        response = client.get(url, **headers)
        assert response.status_code == 404
        assert response.json() == {"detail": "Không tìm thấy."}


def test_new_version_and_download(client, bearer, document, leader_a):
    headers = bearer(leader_a)
    new = pdf_bytes("Quyet dinh sua doi")

    response = client.post(
        f"/api/v1/attachments/{document.pk}/versions",
        {"note": "Sửa đổi", "file": upload("qd-sua.pdf", new)},
        **headers,
    )

    assert response.status_code == 201
    assert response.json()["number"] == 2
    old = client.get(f"/api/v1/attachments/{document.pk}/versions/1/download", **headers)
    assert b"".join(old.streaming_content) == PDF
    latest = client.get(f"/api/v1/attachments/{document.pk}/versions/2/download", **headers)
    assert b"".join(latest.streaming_content) == new


def test_refused_new_version_is_422(client, bearer, document, leader_a):
    response = client.post(
        f"/api/v1/attachments/{document.pk}/versions",
        {"file": upload("qd.pdf", ELF_BYTES)},
        **bearer(leader_a),
    )

    assert response.status_code == 422
    document.refresh_from_db()
    assert document.current_version == 1
