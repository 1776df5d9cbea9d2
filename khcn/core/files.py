"""Content-addressed file store outside the web root, with checks on the bytes.

A file is accepted only when its size is under the limit, its type detected
from its first bytes is on the allowed list, its extension agrees with that
type, and its name is a plain file name. A rejected file leaves nothing
behind: the bytes are streamed to a temporary file under MEDIA_ROOT/tmp and
moved to `MEDIA_ROOT/ab/cd/<sha256>` only once every check has passed.
"""

import hashlib
import io
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

from khcn.core.errors import DomainError

# extension -> MIME type, as detected from the bytes (filetype)
ALLOWED_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "zip": "application/zip",
}
EXTENSION_ALIASES = {"jpeg": "jpg"}
_FORBIDDEN_NAME_CHARS = set('/\\:*?"<>|')


class FileRejected(DomainError):
    status = 422


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    content_type: str
    extension: str
    original_name: str


def clean_name(name: str) -> str:
    """A plain file name, or FileRejected. Path-like names are refused, not repaired."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name or name in {".", ".."} or name.startswith("."):
        raise FileRejected(_("Tên tệp không hợp lệ."))
    if any(ch in _FORBIDDEN_NAME_CHARS for ch in name) or ".." in name:
        raise FileRejected(
            _('Tên tệp không được chứa đường dẫn hoặc ký tự đặc biệt (/ \\ : * ? " < > |).')
        )
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise FileRejected(_("Tên tệp chứa ký tự điều khiển."))
    if len(name) > 200:
        raise FileRejected(_("Tên tệp quá dài (tối đa 200 ký tự)."))
    return name


def blob_path(sha256: str) -> Path:
    return Path(settings.MEDIA_ROOT) / sha256[:2] / sha256[2:4] / sha256


def _human_size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def store_upload(upload, *, max_bytes: int | None = None) -> StoredFile:
    """Check and store an uploaded file (Django UploadedFile or any object with
    `.name` and `.chunks()`/`.read()`). Returns what was stored or raises FileRejected."""
    max_bytes = max_bytes or settings.KHCN_MAX_UPLOAD_BYTES
    name = clean_name(getattr(upload, "name", ""))
    ext = EXTENSION_ALIASES.get(
        Path(name).suffix.lower().lstrip("."), Path(name).suffix.lower().lstrip(".")
    )
    if ext not in ALLOWED_TYPES:
        allowed = ", ".join(sorted(ALLOWED_TYPES))
        raise FileRejected(
            _("Loại tệp không được chấp nhận. Chỉ nhận: %(types)s.") % {"types": allowed}
        )
    declared = getattr(upload, "size", None)
    if declared is not None and declared > max_bytes:
        raise FileRejected(_("Tệp quá lớn: tối đa %(limit)s.") % {"limit": _human_size(max_bytes)})

    tmp_dir = Path(settings.MEDIA_ROOT) / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    digest, size, head = hashlib.sha256(), 0, b""
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            chunks = (
                upload.chunks()
                if hasattr(upload, "chunks")
                else iter(lambda: upload.read(65536), b"")
            )
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise FileRejected(
                        _("Tệp quá lớn: tối đa %(limit)s.") % {"limit": _human_size(max_bytes)}
                    )
                if len(head) < 8192:
                    head += chunk[: 8192 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise FileRejected(_("Tệp rỗng."))
        kind = filetype.guess(_read_for_detection(tmp_name, head))
        detected = kind.extension if kind else None
        if detected != ext:
            raise FileRejected(
                _("Nội dung tệp không đúng với đuôi .%(ext)s (tệp có thể bị đổi tên hoặc hỏng).")
                % {"ext": ext}
            )
        sha = digest.hexdigest()
        final = blob_path(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            os.unlink(tmp_name)
        else:
            os.chmod(tmp_name, 0o640)
            os.replace(tmp_name, final)
        return StoredFile(sha, size, ALLOWED_TYPES[ext], ext, name)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise


def _read_for_detection(path: str, head: bytes) -> bytes:
    """Office files are ZIPs whose type shows only in later entries: give filetype the whole
    file when it is a ZIP (bounded by the upload limit), else the first 8 KiB."""
    if head.startswith(b"PK"):
        with open(path, "rb") as fh:
            return fh.read()
    return head


class NamedBytes(io.BytesIO):
    """Bytes made by the system (a generated document) passed where an upload is expected."""

    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name = name
        self.size = len(data)
