from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "khcn.projects"
    label = "projects"
    verbose_name = _("Nhiệm vụ KH&CN")

    def ready(self) -> None:
        # guards, effects and documents named by the rule sets; permissions; inbox; demo
        from khcn.projects import demo, documents, guards, inbox, permissions, search  # noqa: F401
