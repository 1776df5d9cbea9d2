from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    """Imports, exports, OAI-PMH and the national-platform export of the S&T database.

    A separate app (label `registry_interop`) so that its one model, the import batch, has
    its own migrations next to it."""

    name = "khcn.registry.interop"
    label = "registry_interop"
    verbose_name = _("Trao đổi dữ liệu CSDL KH&CN")
