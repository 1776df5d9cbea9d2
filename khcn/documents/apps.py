from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "khcn.documents"
    label = "documents"
    verbose_name = _("Văn bản")

    def ready(self) -> None:
        from khcn.documents import permissions  # noqa: F401
