"""The file store: only plain names, allowed types whose bytes match the extension, under
the size limit; stored once by SHA-256; a refused file leaves nothing behind."""

import hashlib
import io
import zipfile

import pytest
from django.test import override_settings

from khcn.core.demo import NamedBytes
from khcn.core.files import FileRejected, blob_path, clean_name, store_upload
from tests.factories import ELF_BYTES, pdf_bytes, png_bytes, upload


def docx_bytes() -> bytes:
    """A minimal Office Open XML word document (what filetype recognises as docx)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("bao-cao.pdf", pdf_bytes("Bao cao tong ket"), "pdf", "application/pdf"),
        ("Báo cáo tổng kết.PDF", pdf_bytes(), "pdf", "application/pdf"),
        ("so-do.png", png_bytes(), "png", "image/png"),
        (
            "thuyet-minh.docx",
            docx_bytes(),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_accepted_file_is_stored_by_sha256(name, content, extension, content_type, media_files):
    stored = store_upload(upload(name, content))

    sha = hashlib.sha256(content).hexdigest()
    assert stored.sha256 == sha
    assert stored.size == len(content)
    assert stored.extension == extension
    assert stored.content_type == content_type
    assert stored.original_name == name
    path = blob_path(sha)
    assert path.parts[-3:] == (sha[:2], sha[2:4], sha)
    assert path.read_bytes() == content
    assert media_files() == [path]  # no temporary file left


def test_same_content_is_stored_once(media_files):
    content = pdf_bytes("Mot noi dung")

    first = store_upload(upload("a.pdf", content))
    second = store_upload(upload("b.pdf", content))

    assert first.sha256 == second.sha256
    assert second.original_name == "b.pdf"
    assert media_files() == [blob_path(first.sha256)]


def test_reads_objects_without_chunks(media_files):
    stored = store_upload(NamedBytes(png_bytes(), "anh.png"))

    assert blob_path(stored.sha256).read_bytes() == png_bytes()


REJECTIONS = [
    # (name, content, message)
    ("chuong-trinh.pdf", ELF_BYTES, "Nội dung tệp không đúng với đuôi .pdf"),
    ("anh-doi-ten.pdf", png_bytes(), "Nội dung tệp không đúng với đuôi .pdf"),
    ("ghi-chu.docx", "Chỉ là văn bản thuần".encode(), "Nội dung tệp không đúng với đuôi .docx"),
    ("bang-tinh.xlsx", docx_bytes(), "Nội dung tệp không đúng với đuôi .xlsx"),
    ("tai-lieu.pdf", b"", "Tệp rỗng."),
    ("setup.exe", ELF_BYTES, "Loại tệp không được chấp nhận"),
    ("khong-duoi", pdf_bytes(), "Loại tệp không được chấp nhận"),
    ("trang.html", b"<html></html>", "Loại tệp không được chấp nhận"),
    ("..\\x.pdf", pdf_bytes(), "Tên tệp không hợp lệ."),
    ("thu-muc\\x.pdf", pdf_bytes(), "Tên tệp không được chứa đường dẫn"),
    ("C:tai-lieu.pdf", pdf_bytes(), "Tên tệp không được chứa đường dẫn"),
    ("ten\x00rong.pdf", pdf_bytes(), "Tên tệp chứa ký tự điều khiển."),
    ("xuong\ndong.pdf", pdf_bytes(), "Tên tệp chứa ký tự điều khiển."),
    ("an\u202egnp.pdf", pdf_bytes(), "Tên tệp chứa ký tự điều khiển."),  # right-to-left override
    (".htaccess.pdf", pdf_bytes(), "Tên tệp không hợp lệ."),
    ("a" * 201 + ".pdf", pdf_bytes(), "Tên tệp quá dài"),
]


@pytest.mark.parametrize(("name", "content", "message"), REJECTIONS)
def test_rejected_upload_stores_nothing(name, content, message, media_files):
    with pytest.raises(FileRejected) as excinfo:
        store_upload(upload(name, content))

    assert message in excinfo.value.message
    assert excinfo.value.status == 422
    assert media_files() == []


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", "a/b.pdf", "/etc/passwd.pdf", "..\\..\\windows\\x.pdf", "..", "."],
)
def test_path_like_names_are_refused_not_repaired(name, media_files):
    # NamedBytes keeps the name as given (an API client or a script); Django's own upload
    # handling would already cut it to its last component.
    with pytest.raises(FileRejected) as excinfo:
        store_upload(NamedBytes(pdf_bytes(), name))

    assert excinfo.value.message.startswith("Tên tệp")
    assert media_files() == []


@override_settings(KHCN_MAX_UPLOAD_BYTES=1024)
def test_too_large_by_declared_size(media_files):
    content = pdf_bytes("x" * 2000)
    assert len(content) > 1024

    with pytest.raises(FileRejected, match="Tệp quá lớn: tối đa"):
        store_upload(upload("lon.pdf", content))

    assert media_files() == []


@override_settings(KHCN_MAX_UPLOAD_BYTES=1024)
def test_too_large_while_streaming_removes_the_partial_file(media_files):
    """A client may not declare a size; the limit still holds and the partial copy goes."""

    class Undeclared(io.BytesIO):
        name = "lon.pdf"

        def chunks(self):
            while chunk := self.read(256):
                yield chunk

    with pytest.raises(FileRejected, match="Tệp quá lớn"):
        store_upload(Undeclared(pdf_bytes("x" * 2000)))

    assert media_files() == []


def test_file_exactly_at_the_limit_is_accepted(settings):
    content = pdf_bytes()
    settings.KHCN_MAX_UPLOAD_BYTES = len(content)

    assert store_upload(upload("vua-du.pdf", content)).size == len(content)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("  Quyết định.pdf ", "Quyết định.pdf"), ("Quye\u0302\u0301t.pdf", "Quyết.pdf")],
)
def test_clean_name_trims_and_normalises_to_nfc(raw, clean):
    assert clean_name(raw) == clean
