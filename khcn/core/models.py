"""File attachments: a document with versions, the bytes stored by SHA-256.

Any record can own attachments (generic owner); with no owner, an attachment
belongs to its agency's document library. Replacing a document adds a
version; older versions stay downloadable.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    class Category(models.TextChoices):
        LEGAL = "legal", _("Văn bản pháp lý")
        FORM = "form", _("Biểu mẫu")
        REPORT = "report", _("Báo cáo")
        OTHER = "other", _("Tài liệu khác")

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT
    )
    title = models.CharField(_("tên tài liệu"), max_length=255)
    category = models.CharField(
        _("loại"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    description = models.TextField(_("mô tả"), blank=True)
    owner_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    owner_id = models.CharField(max_length=64, null=True, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    current_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="attachment_owner")]

    def __str__(self) -> str:
        return self.title

    @property
    def latest(self) -> "AttachmentVersion | None":
        return self.versions.filter(number=self.current_version).first()


class AttachmentVersion(models.Model):
    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    content_type = models.CharField(max_length=120)
    extension = models.CharField(max_length=10)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["attachment", "number"], name="attachment_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.number})"


class ScheduledRun(models.Model):
    """One row per periodic job and day: the unique key makes a second run a no-op."""

    job = models.CharField(max_length=100)
    run_date = models.DateField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "run_date"], name="scheduled_run_once")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.run_date}"
