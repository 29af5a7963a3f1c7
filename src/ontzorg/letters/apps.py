"""The letters app: documents for the participant, starting with the monthly overview."""

from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "ontzorg.letters"
    verbose_name = "Brieven en overzichten"

    def ready(self):
        from ontzorg.banking.hooks import on_payment_returned
        from ontzorg.payments.hooks import on_run_booked

        from . import services

        on_run_booked(services.run_booked)
        on_payment_returned(services.payment_returned)
