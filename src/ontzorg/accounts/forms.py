"""The login form, with throttling of failed attempts."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ontzorg.core.context import client_ip

from . import services


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Gebruikersnaam of wachtwoord klopt niet."),
        "throttled": _(
            "Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw, "
            "of neem contact op met de beheerder."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip_address = client_ip(self.request.META) if self.request else None
        if username and services.is_throttled(username, ip_address):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                services.register_failure(username, ip_address)
            raise
        services.clear_failures(username)
        return cleaned
