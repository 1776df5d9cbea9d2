"""The search index: one row per searchable record of any module.

The rows are written only by `khcn.search.services` (on save/delete through the
signals that `registry.register` connects, and by bulk writers and `khcn reindex`).
The full-text structures live beside the table and follow it in the same
transaction: on SQLite the FTS5 table `search_fts` (external content, kept by
triggers), on PostgreSQL the generated columns `title_tsv`/`body_tsv` with GIN
indexes and a pg_trgm index on the vocabulary (migration 0002).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Access(models.TextChoices):
    PUBLIC = "public", _("Công khai")
    RESTRICTED = "restricted", _("Hạn chế")
    CONFIDENTIAL = "confidential", _("Mật")


class SearchEntry(models.Model):
    type = models.CharField(_("loại"), max_length=40)
    object_id = models.BigIntegerField(_("mã bản ghi"))
    agency_id = models.IntegerField(_("cơ quan"), null=True, blank=True)
    access = models.CharField(_("mức truy cập"), max_length=12, choices=Access.choices)
    title = models.TextField(_("tiêu đề"))
    text = models.TextField(_("nội dung"), blank=True)
    # token strings (khcn.search.text.token_string); body = title + the other parts
    title_folded = models.TextField(editable=False)
    body_folded = models.TextField(editable=False)
    # filter tokens for the SQLite FTS5 table (type, access, field, year, organisation)
    tags = models.TextField(editable=False)
    field = models.CharField(_("lĩnh vực"), max_length=20, blank=True)
    year = models.IntegerField(_("năm"), null=True, blank=True)
    org = models.IntegerField(_("tổ chức"), null=True, blank=True)
    url = models.CharField(_("địa chỉ"), max_length=500)
    updated = models.DateTimeField(_("cập nhật lúc"))

    class Meta:
        verbose_name = _("mục chỉ mục tìm kiếm")
        verbose_name_plural = _("chỉ mục tìm kiếm")
        constraints = [
            models.UniqueConstraint(fields=["type", "object_id"], name="search_entry_object")
        ]
        indexes = [
            models.Index(fields=["type", "year"], name="search_entry_type_year"),
            models.Index(fields=["access", "agency_id"], name="search_entry_access"),
            models.Index(fields=["org"], name="search_entry_org"),
            models.Index(fields=["field"], name="search_entry_field"),
        ]

    def __str__(self) -> str:
        return f"{self.type}:{self.object_id} {self.title[:60]}"


class SearchTerm(models.Model):
    """Every token ever indexed (never pruned: a stale word finds nothing). Read only by
    the typo fallback, which looks here for known words one edit away from an unknown one."""

    term = models.CharField(max_length=40, unique=True)

    class Meta:
        verbose_name = _("từ đã lập chỉ mục")
        verbose_name_plural = _("từ đã lập chỉ mục")

    def __str__(self) -> str:
        return self.term
