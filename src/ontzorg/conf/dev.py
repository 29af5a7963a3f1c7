"""Development settings: `make run` uses these (debug on, a fixed dev secret, plain cookies)."""

import os

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, STATIC_ROOT

DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-ontzorg"
# The demo data (`manage.py load_demo`) lives outside the production package.
INSTALLED_APPS = [*INSTALLED_APPS, "ontzorg_demo"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# WhiteNoise warns on every request when the collected-static folder is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
