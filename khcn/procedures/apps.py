from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "khcn.procedures"
    label = "procedures"
    verbose_name = _("Thủ tục hành chính")

    def ready(self) -> None:
        # guards, effects and the step hook the tthc-* rule sets need; permissions; "Việc của tôi"
        # the demo step (Hải Phòng's dossiers of 2022)
        from khcn.procedures import demo, guards, inbox, permissions, search  # noqa: F401
