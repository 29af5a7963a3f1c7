"""Login and logout pages."""

from django.contrib.auth import views as auth_views

from ontzorg.core import access

from .forms import ThrottledAuthenticationForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


login = access.public(LoginView.as_view())
# Logging out changes the session, so it is a POST (the menu's "Uitloggen" button).
logout = access.view(methods=("POST",))(auth_views.LogoutView.as_view())
