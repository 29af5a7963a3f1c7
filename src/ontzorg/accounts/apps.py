from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ontzorg.accounts"
    verbose_name = _("Users, organisations and roles")
