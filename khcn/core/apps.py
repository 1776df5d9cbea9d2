from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "khcn.core"
    label = "core"
    verbose_name = _("Nền tảng")

    def ready(self) -> None:
        from khcn.core import (  # noqa: F401  (rules, daily jobs)
            attachment_permissions,
            calendar_permissions,
            jobs,
        )
