"""An import batch: one uploaded spreadsheet of organisations, people or results, checked row
by row in a background job, shown to staff as a preview and written only when they confirm."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Tổ chức")
        PERSON = "person", _("Nhà khoa học")
        RESULT = "result", _("Kết quả KH&CN")

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ kiểm tra")
        VALIDATING = "validating", _("Đang kiểm tra")
        READY = "ready", _("Sẵn sàng ghi")
        INVALID = "invalid", _("Có lỗi, chưa ghi")
        IMPORTING = "importing", _("Đang ghi")
        IMPORTED = "imported", _("Đã ghi vào cơ sở dữ liệu")
        FAILED = "failed", _("Không ghi được")
        CANCELLED = "cancelled", _("Đã hủy")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registry_imports"
    )
    kind = models.CharField(_("loại dữ liệu"), max_length=12, choices=Kind.choices)
    file_name = models.CharField(_("tên tệp"), max_length=200)
    file_ext = models.CharField(max_length=5)
    file_sha256 = models.CharField(max_length=64)
    file_size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    error_rows = models.PositiveIntegerField(_("số dòng lỗi"), default=0)
    duplicate_rows = models.PositiveIntegerField(_("số dòng nghi trùng"), default=0)
    created_count = models.PositiveIntegerField(_("số bản ghi đã ghi"), default=0)
    # [{"row": 5, "column": "Mã số thuế", "message": "…"}], at most ERRORS_KEPT entries
    errors = models.JSONField(default=list, blank=True)
    # [{"row": 7, "reason": "Trùng mã số thuế", "with": [{"id": 3, "name": "…"}] | "rows": [4]}]
    duplicates = models.JSONField(default=list, blank=True)
    message = models.TextField(_("thông báo"), blank=True)
    created_at = models.DateTimeField(_("tải lên lúc"))
    validated_at = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    ERRORS_KEPT = 1000

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = _("lần nhập dữ liệu")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.VALIDATING, self.Status.IMPORTING)

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.READY and self.total_rows > 0 and not self.error_rows
