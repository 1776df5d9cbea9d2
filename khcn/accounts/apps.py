from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "khcn.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản và cơ quan")

    def ready(self) -> None:
        from khcn.accounts import permissions, signals  # noqa: F401
