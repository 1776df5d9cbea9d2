from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "khcn.registry"
    label = "registry"
    verbose_name = _("Cơ sở dữ liệu KH&CN")

    def ready(self) -> None:
        # permission rules; search types; demo step (after the projects' step: results link tasks)
        from khcn.registry import demo, permissions, search  # noqa: F401
