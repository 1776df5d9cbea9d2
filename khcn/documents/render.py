"""Render a document from its template, and convert it to PDF with LibreOffice.

A template is a .docx with docxtpl tags. The agency's own template is used when
it has replaced the default (`TemplateOverride`), else the packaged default in
`templates_docx/`.

Two strictness levels. A real document is rendered leniently: a value the record
does not have yet prints as nothing, so that a workflow step that files a document
is never blocked by an empty field; only a template that cannot work at all (bad
syntax, an undefined name used as an object or a function) is an error. A template
being *checked* (an upload, the tests) is rendered with the sample context and
StrictUndefined, so that a misspelt name is caught before the template is used.
"""

import datetime as dt
import io
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import docx
import jinja2
from django.utils.translation import gettext as _
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from khcn.core.errors import DomainError
from khcn.documents.catalogue import get_spec
from khcn.documents.words import date_words, money_words, vnd

logger = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates_docx"
PDF_TIMEOUT_SECONDS = 60
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _blank(value) -> bool:
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises here: a checked template may not use a missing name
        return True
    return value is None or value == ""


def score(value) -> str:
    """A council score with two decimals and a decimal comma: 87.25 → "87,25"."""
    if _blank(value):
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{number:.2f}".replace(".", ",")


def _vnd(value) -> str:
    return "" if _blank(value) else vnd(value)


def _words(value) -> str:
    return "" if _blank(value) else money_words(value)


def _date(value) -> str:
    if isinstance(value, str) and not _blank(value):
        value = dt.date.fromisoformat(value[:10])  # a date kept in JSON, "2026-03-05"
    return date_words(None if _blank(value) else value)


FILTERS = {"vnd": _vnd, "words": _words, "ngay": _date, "diem": score}


@cache
def jinja_env(*, strict: bool = False) -> jinja2.Environment:
    """The environment of every render: autoescaped (the template is XML), with the document
    filters; `strict` makes any undefined name an error."""
    undefined = jinja2.StrictUndefined if strict else jinja2.Undefined
    env = jinja2.Environment(autoescape=True, undefined=undefined)
    env.filters.update(FILTERS)
    return env


# --- templates -----------------------------------------------------------------------------------


def default_template(code: str) -> bytes:
    get_spec(code)
    return (TEMPLATE_DIR / f"{code}.docx").read_bytes()


def template_bytes(code: str, agency=None) -> bytes:
    """The template `code` in force for `agency`: its own if it replaced it, else the default."""
    if agency is not None:
        from khcn.documents.selectors import override_bytes

        own = override_bytes(agency=agency, code=code)
        if own is not None:
            return own
    return default_template(code)


def render(code: str, context: dict, *, agency=None) -> bytes:
    """The document `code` filled with `context`, as .docx bytes.

    Raises DomainError (in Vietnamese, naming the template and the problem) when the
    context lacks a key of the document's contract or the template cannot be rendered.
    """
    spec = get_spec(code)
    missing = [key for key in spec.required_keys if key not in context]
    if missing:
        raise DomainError(
            _("Thiếu dữ liệu để lập “%(title)s”: %(keys)s.")
            % {"title": spec.title, "keys": ", ".join(missing)}
        )
    return render_template(template_bytes(code, agency), context, title=str(spec.title))


def check_template(code: str, template: bytes) -> bytes:
    """Render `template` as the document `code` with its sample context, strictly: the
    check an uploaded template must pass. Returns the rendered sample."""
    spec = get_spec(code)
    return render_template(template, spec.sample(), title=str(spec.title), strict=True)


def render_template(template: bytes, context: dict, *, title: str, strict: bool = False) -> bytes:
    """Fill one template (bytes of a .docx); every failure becomes a DomainError."""
    tpl = DocxTemplate(io.BytesIO(template))
    try:
        tpl.init_docx()
    except Exception as exc:  # not a zip, no Word part, broken XML: python-docx says which
        raise DomainError(
            _("Mẫu “%(title)s” không phải là tệp Word (.docx) hợp lệ.") % {"title": title},
            code="not_docx",
        ) from exc
    try:
        tpl.render(context, jinja_env=jinja_env(strict=strict), autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
    except Exception as exc:  # a staff-edited template may fail in any way
        raise _template_error(title, exc, template) from exc
    return out.getvalue()


def _template_error(title: str, exc: Exception, template: bytes) -> DomainError:
    detail = str(getattr(exc, "message", None) or exc).strip().rstrip(".")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        problem = _("lỗi cú pháp ở thẻ {{ … }} hoặc {%% … %%}: %(detail)s") % {"detail": detail}
        code = "syntax"
    elif isinstance(exc, jinja2.UndefinedError):
        problem = _("dùng tên dữ liệu không có trong văn bản này: %(detail)s") % {"detail": detail}
        code = "undefined"
    else:
        logger.info("template %s failed to render", title, exc_info=exc)
        problem = _("không điền được dữ liệu: %(detail)s") % {
            "detail": f"{type(exc).__name__}: {detail}"
        }
        code = "render"
    message = _("Mẫu “%(title)s” có lỗi: %(problem)s.") % {"title": title, "problem": problem}
    where = _where(exc) or _paragraph_naming(template, _undefined_name(detail))
    if where:
        message += " " + _("Tại đoạn: “%(text)s”.") % {"text": where}
    return DomainError(message, code=code)


def _short(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text[:160] + ("…" if len(text) > 160 else "")


def _where(exc: Exception) -> str:
    """The text of the paragraph holding a syntax error (docxtpl puts each paragraph on its
    own line and keeps the lines around the error)."""
    lines = list(getattr(exc, "docx_context", None) or [])
    lineno = getattr(exc, "lineno", None)
    if not lines or not lineno:
        return ""
    index = (lineno - 1) - max(lineno - 4, 0)
    return _short(lines[index]) if 0 <= index < len(lines) else ""


def _undefined_name(detail: str) -> str:
    """ "projet" from "'projet' is undefined", "titel" from "… has no attribute 'titel'"."""
    found = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", detail)
    return (found.group(1) or found.group(2)) if found else ""


def _paragraph_naming(template: bytes, name: str) -> str:
    """The first paragraph whose {{ … }} / {% … %} tag uses `name`."""
    if not name:
        return ""
    try:
        body = docx.Document(io.BytesIO(template)).element.body
    except Exception:  # the template was readable a moment ago; this is only a hint
        return ""
    pattern = re.compile(r"\{[{%][^}%]*\b" + re.escape(name) + r"\b")
    for paragraph in body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        if pattern.search(text):
            return _short(text)
    return ""


# --- PDF ------------------------------------------------------------------------------------------


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    """Whether LibreOffice is installed (Debian: libreoffice-writer-nogui)."""
    return soffice_path() is not None


def to_pdf(docx: bytes, *, timeout: float = PDF_TIMEOUT_SECONDS) -> bytes | None:
    """The PDF of a .docx, made by LibreOffice; None when LibreOffice is not installed.

    Each conversion runs in its own temporary directory with its own user profile, so
    that conversions in parallel do not share (and lock) one profile.
    """
    soffice = soffice_path()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="khcn-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(docx)
        profile = (work / "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        env = {**os.environ, "HOME": str(work)}
        # Its own session, so that a timeout kills LibreOffice's child processes too.
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=work,
            start_new_session=True,
        )
        try:
            _stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise DomainError(
                _("Chuyển sang PDF quá thời gian (%(seconds)s giây).") % {"seconds": int(timeout)},
                code="pdf_timeout",
            ) from exc
        target = work / "document.pdf"
        if process.returncode != 0 or not target.exists():
            logger.warning(
                "soffice failed (%s): %s", process.returncode, stderr.decode(errors="replace")
            )
            raise DomainError(_("Không chuyển được văn bản sang PDF."), code="pdf_failed")
        return target.read_bytes()
