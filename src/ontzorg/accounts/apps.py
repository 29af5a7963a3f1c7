from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ontzorg.accounts"
    verbose_name = "Gebruikers, organisaties en rollen"
