"""The second factor is required for every page, the admin included.

A user who has given the password but not yet the code (step 2 of the login) is logged in
for Django but not verified for django-otp (``OTPMiddleware`` sets ``user.is_verified()``).
This middleware sends such a user from every page to step 2, except the pages of the login
itself and logout. Put it after ``django_otp.middleware.OTPMiddleware``."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin

OPEN_BEFORE_SECOND_FACTOR = frozenset({"login", "login_code", "login_setup", "logout"})


class SecondFactorMiddleware(MiddlewareMixin):
    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('login_code')}?{query}")
