"""Reads: which template an agency uses for each document."""

from django.utils.translation import gettext as _

from khcn.core import files
from khcn.core.errors import DomainError
from khcn.documents.catalogue import DOCUMENTS
from khcn.documents.models import TemplateOverride


def override_for(*, agency, code: str) -> TemplateOverride | None:
    return (
        TemplateOverride.objects.filter(agency=agency, code=code)
        .select_related("attachment", "updated_by")
        .first()
    )


def override_bytes(*, agency, code: str) -> bytes | None:
    """The current version of the agency's own template, or None when it uses the default."""
    override = override_for(agency=agency, code=code)
    if override is None:
        return None
    version = override.attachment.latest
    path = files.blob_path(version.sha256) if version is not None else None
    if path is None or not path.exists():
        raise DomainError(
            _(
                "Tệp mẫu riêng của “%(title)s” không còn trên máy chủ. Hãy tải lên lại "
                "hoặc khôi phục mẫu gốc."
            )
            % {"title": DOCUMENTS[code].title},
            code="template_missing",
        )
    return path.read_bytes()


def template_rows(*, agency) -> list[dict]:
    """One row per document of the catalogue, in catalogue order, with the agency's override
    (and its current version) when it has one."""
    overrides = {
        o.code: o
        for o in TemplateOverride.objects.filter(agency=agency).select_related(
            "attachment", "updated_by"
        )
    }
    rows = []
    for code, spec in DOCUMENTS.items():
        override = overrides.get(code)
        rows.append(
            {
                "code": code,
                "spec": spec,
                "override": override,
                "version": override.attachment.current_version if override else None,
            }
        )
    return rows
