"""File attachments: a document with versions, the bytes stored by SHA-256.

Any record can own attachments (generic owner); with no owner, an attachment
belongs to its agency's document library. Replacing a document adds a
version; older versions stay downloadable.

Also: the working-day calendar's overrides (`CalendarOverride`, read by
`khcn.core.calendar`) and the once-a-day guard of periodic jobs.
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


class CalendarOverride(models.Model):
    """A day that differs from the law's calendar, as announced by a competent authority.

    Future years in `holidays.VN` hold only the rule-based dates; the days the
    government swaps each year (Bộ luật Lao động 2019 Đ112 k3) and a province's
    own extra days off are entered here. With no agency the entry applies to every
    agency; an agency's own entry wins over a national one on the same date.
    """

    class Kind(models.TextChoices):
        OFF = "off", _("Ngày nghỉ")
        WORKING = "working", _("Ngày làm việc (làm bù)")

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_overrides",
        help_text=_("Để trống: áp dụng cho mọi cơ quan."),
    )
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("tên ngày"), max_length=150)
    legal_document = models.CharField(_("văn bản công bố"), max_length=255)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ngày nghỉ/làm bù")
        verbose_name_plural = _("ngày nghỉ/làm bù")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "date"], name="calendar_override_agency_date"
            ),
            # NULL never equals NULL in a unique index: national entries need their own.
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(agency__isnull=True),
                name="calendar_override_national_date",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["off", "working"]), name="calendar_override_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.name}"
