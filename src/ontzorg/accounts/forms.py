"""The two steps of a login (password, then a code), the setup of the authenticator app and
the user's own password change."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from ontzorg.audit.services import record
from ontzorg.core.context import client_ip

from . import events, services, throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    """Step 1: the password, throttled per username and per client address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is not correct."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if not (username and self.cleaned_data.get("password")):
            return super().clean()
        ip_address = client_ip(self.request.META) if self.request else None
        known_browser = throttle.is_known_browser(self.request, username)
        attempt = throttle.begin(username, ip_address, known_browser=known_browser)
        if attempt.refused:
            raise forms.ValidationError(services.throttle_message(), code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            record(None, events.LOGIN_FAILED, object_type="accounts.User", username=username[:100])
            raise
        throttle.succeeded(attempt)
        return cleaned


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """The user's own password change: a wrong current password counts for the login
    throttle as a wrong password at the login does (someone at an unattended, logged-in
    screen cannot guess it endlessly), and is audited."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        username = self.user.get_username()
        ip_address = client_ip(self.request.META) if self.request else None
        known_browser = throttle.is_known_browser(self.request, username)
        attempt = throttle.begin(username, ip_address, known_browser=known_browser)
        if attempt.refused:
            raise forms.ValidationError(services.throttle_message(), code="throttled")
        try:
            old_password = super().clean_old_password()
        except forms.ValidationError:
            record(self.user, events.PASSWORD_CHANGE_FAILED, self.user, username=username)
            raise
        throttle.succeeded(attempt)
        return old_password


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )
