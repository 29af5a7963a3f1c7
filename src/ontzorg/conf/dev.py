"""Development settings: `make run` uses these (debug on, a fixed dev secret, plain cookies)."""

import os

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, STATIC_ROOT

DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-ontzorg"
# The demo data (`manage.py load_demo`) lives outside the production package. Listed first, so
# that its `load_demo` takes the name from the refusing stand-in in ontzorg.core.
INSTALLED_APPS = ["ontzorg_demo", *INSTALLED_APPS]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# runserver speaks plain HTTP on 127.0.0.1: no redirect to HTTPS, no HSTS pinning localhost.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# WhiteNoise warns on every request when the collected-static folder is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# The portal's DigiD login goes to the mock DigiD page of django-digid-eherkenning (type a BSN).
ONTZORG_DIGID_MOCK = True
DIGID_MOCK_APP_TITLE = "Ontzorg: mijn overzicht"
# The mock keeps nothing in the cache and runserver is one process: no cache table needed.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
