from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "khcn.workflow"
    label = "workflow"
    verbose_name = _("Quy trình")

    def ready(self) -> None:
        # guards and effects, permission rules, "Việc của tôi", daily jobs
        from khcn.workflow import demo, guards, inbox, jobs, permissions  # noqa: F401
