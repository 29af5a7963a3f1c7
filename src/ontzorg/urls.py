"""Root URLs. Every page requires login (LoginRequiredMiddleware) unless marked otherwise."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from ontzorg.accounts import views as accounts_views

admin.site.site_header = _("Ontzorg administration")
admin.site.site_title = "Ontzorg"
admin.site.index_title = _("Configuration")
# The admin has no login of its own: /beheer/login/ is our login, with the throttle and
# both steps, and the admin opens only after the second factor.
admin.site.login = accounts_views.admin_login
admin.site.has_permission = accounts_views.admin_has_permission

urlpatterns = [
    path("", include("ontzorg.participants.urls")),
    path("deelnemers/", include("ontzorg.letters.urls")),
    path("", include("ontzorg.accounts.urls")),
    path("plannen/", include("ontzorg.plans.urls")),
    path("betalingen/", include("ontzorg.payments.urls")),
    path("bank/", include("ontzorg.banking.urls")),
    path("voorstellen/", include("ontzorg.approvals.urls")),
    path("audit/", include("ontzorg.audit.urls")),
    path("signalen/", include("ontzorg.signals.urls")),
    path("metingen/", include("ontzorg.measurements.urls")),
    path("begeleiding/", include("ontzorg.guidance.urls")),
    path("inventarisatie/", include("ontzorg.inventory.urls")),
    path("traject/", include("ontzorg.trajectory.urls")),
    path("monitor/", include("ontzorg.monitor.urls")),
    path("beheer/", admin.site.urls),
    # The participant's personal page: its own DigiD login, never a staff login (portal).
    path("mijn/", include("ontzorg.portal.urls")),
    path("mijn/digid/", include("ontzorg.portal.digid_urls")),
    path("mijn/digid-metadata/", include("ontzorg.portal.metadata_urls")),
]
if settings.ONTZORG_DIGID_MOCK:
    urlpatterns.append(path("mijn/digid-mock/", include("ontzorg.portal.mock_urls")))
