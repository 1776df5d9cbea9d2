"""In-app notifications and each user's choice of channel per kind."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about; preferences are kept per kind."""

    ROLE_CHANGED = "role_changed", _("Thay đổi vai trò của bạn")
    ACCOUNT_LOCKED = "account_locked", _("Tài khoản bị khóa do đăng nhập sai")
    DOCUMENT_CHANGED = "document_changed", _("Tài liệu có phiên bản mới")
    SECURITY = "security", _("Cảnh báo an ninh hệ thống")
    WORKFLOW_STEP = "workflow_step", _("Hồ sơ chuyển bước xử lý")
    DEADLINE_REMINDER = "deadline_reminder", _("Nhắc việc sắp đến hạn")
    DEADLINE_MISSED = "deadline_missed", _("Hồ sơ quá hạn")
    COUNCIL = "council", _("Hội đồng tư vấn")
    PROJECT = "project", _("Nhiệm vụ KH&CN")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.CASCADE)
    kind = models.CharField(_("loại"), max_length=40, choices=Kind.choices)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    in_app = models.BooleanField(default=True)
    want_email = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_read")]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    in_app = models.BooleanField(_("trên hệ thống"), default=True)
    email = models.BooleanField(_("qua thư điện tử"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notif_pref_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}"
