"""Login in two steps, logout, the setup of the authenticator app and the user's own password.

Step 1 (`login`) checks the password and logs the user in without the second factor; step 2
(`second_factor`) asks a code from the authenticator app or a recovery code, and a user
without an app is sent to `setup` first. Until step 2 is done, `middleware.SecondFactorMiddleware`
sends every other page to step 2. The admin's own login (`admin_login`) is this login."""

from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ontzorg.core import access
from ontzorg.exceptions import Refused

from . import services, throttle
from .forms import CodeForm, ThrottledAuthenticationForm, ThrottledPasswordChangeForm

SETUP_SESSION_KEY = "accounts_setup_device"


def _next_url(request) -> str:
    """Where to go after the login: the `next` of the request if it is ours, else the dashboard."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        super().form_valid(form)
        services.password_accepted(form.get_user())
        return redirect(_with_next("login_code", self.get_success_url()))


login = access.public(never_cache(LoginView.as_view()))
# Logging out changes the session, so it is a POST (the menu's "Uitloggen" button).
logout = access.view(methods=("POST",))(auth_views.LogoutView.as_view())


@login_not_required
def admin_login(request, extra_context=None):
    """/beheer/login/: the admin has no login of its own; it uses ours, with both steps. A
    user who has done both and may not use the admin is refused here: logging in again
    would only lead back, round and round."""
    user = request.user
    if admin_has_permission(request):
        return redirect("admin:index")
    if user.is_authenticated and user.is_verified():
        return render(request, "accounts/no_admin.html", status=403)
    return redirect(_with_next("login", request.GET.get("next") or reverse("admin:index")))


def admin_has_permission(request) -> bool:
    """The admin opens for an active staff member who passed the second factor."""
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_verified())


@never_cache
@access.view(methods=("GET", "POST"))
def second_factor(request):
    """Step 2: a code from the authenticator app, or a recovery code."""
    user, next_url = request.user, _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if services.totp_device(user) is None:
        return redirect(_with_next("login_setup", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        known_browser = throttle.is_known_browser(request, user.get_username())
        try:
            device = services.verify_second_factor(
                user, form.cleaned_data["code"], known_browser=known_browser
            )
        except Refused as refusal:
            auth_logout(request)
            messages.error(request, str(refusal))
            return redirect(_with_next("login", next_url))
        if device is not None:
            request.session.cycle_key()
            django_otp.login(request, device)
            response = redirect(next_url)
            throttle.remember_browser(response, user.get_username())
            return response
        form.add_error("code", _("The code is not correct. Try again with a new code."))
    return render(
        request, "accounts/login_code.html", {"form": form, "next": next_url, "hide_menu": True}
    )


def _qr_svg(device) -> str:
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8
    )
    svg = image.to_string(encoding="unicode")
    label = _("QR code to set up the authenticator app")
    return format_html('<svg role="img" aria-label="{}"', label) + mark_safe(svg[len("<svg") :])


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@access.view(methods=("GET", "POST"))
def setup(request):
    """First login: set up the authenticator app (QR code and secret), confirm it with a
    code, then see the recovery codes once."""
    user, next_url = request.user, _next_url(request)
    if services.totp_device(user) is not None:
        return redirect(_with_next("login_code", next_url))
    device = services.unconfirmed_device(user, request.session.get(SETUP_SESSION_KEY))
    if device is None:
        device = services.new_device(user)
        request.session[SETUP_SESSION_KEY] = device.pk
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_device(user, device, form.cleaned_data["code"])
        if codes is not None:
            del request.session[SETUP_SESSION_KEY]
            request.session.cycle_key()
            django_otp.login(request, device)
            response = render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url}
            )
            throttle.remember_browser(response, user.get_username())
            return response
        form.add_error(
            "code", _("The code is not correct. Check that the time on your phone is right.")
        )
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "hide_menu": True,
        "qr": _qr_svg(device),
        "secret": _grouped(secret),
    }
    return render(request, "accounts/login_setup.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("password_change_done")
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(self.request.user)
        return response


password_change = access.view(methods=("GET", "POST"))(PasswordChangeView.as_view())
password_change_done = access.view()(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)
