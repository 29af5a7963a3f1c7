from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "ontzorg.participants"
    verbose_name = "Deelnemers"
