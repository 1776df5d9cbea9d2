from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

COUNCIL_SECTIONS = ("quorum", "identification", "selection", "acceptance")


def check_council_rules(rules: dict) -> list[str]:
    """A rule set that configures councils must configure all four sections correctly; one
    with none of them (a rule set for something other than tasks) is left alone."""
    from khcn.councils.scoring import check_rules

    if not any(section in rules for section in COUNCIL_SECTIONS):
        return []
    return check_rules(rules)


class CouncilsConfig(AppConfig):
    name = "khcn.councils"
    label = "councils"
    verbose_name = _("Hội đồng tư vấn")

    def ready(self) -> None:
        from khcn.councils import inbox, permissions  # noqa: F401
        from khcn.workflow.registry import rule_check

        rule_check(check_council_rules)
