from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "khcn.audit"
    label = "audit"
    verbose_name = _("Nhật ký")

    def ready(self) -> None:
        from khcn.audit import permissions  # noqa: F401
