"""Production settings, read from environment variables (documented in the README)."""

import os
from datetime import time
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(os.environ.get("ONTZORG_VAR_DIR", BASE_DIR / "var"))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".base"):
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Reverse proxies (addresses or networks) whose X-Forwarded-For names the client's address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ontzorg.core",
    "ontzorg.accounts",
    "ontzorg.regelingen",
    "ontzorg.participants",
    "ontzorg.plans",
    "ontzorg.ledger",
    "ontzorg.payments",
    "ontzorg.banking",
    "ontzorg.approvals",
    "ontzorg.signals",
    "ontzorg.measurements",
    "ontzorg.guidance",
    "ontzorg.trajectory",
    "ontzorg.monitor",
    "ontzorg.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ontzorg.core.context.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "ontzorg.urls"
WSGI_APPLICATION = "ontzorg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'ontzorg.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and a task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Failed logins per username and per IP address within the window before refusing.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = os.environ.get("SECURE_COOKIES", "1") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [SRC_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# The project-wide CSS and the vendored htmx live outside any app.
STATICFILES_DIRS = [SRC_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A background task without a sign of life for this long is marked dead by the daily
# `manage.py mark_dead_tasks` (its worker is gone); its page then offers to resume it.
ONTZORG_TASK_DEAD_AFTER_MINUTES = env_int("ONTZORG_TASK_DEAD_AFTER_MINUTES", 30)

# Uploaded bank files and signal CSVs larger than this are refused before parsing.
ONTZORG_MAX_UPLOAD_BYTES = env_int("ONTZORG_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
# BNG Bank asks for notice of batches above this many payments; larger runs are split.
ONTZORG_SEPA_BATCH_SIZE = env_int("ONTZORG_SEPA_BATCH_SIZE", 20_000)
# How long audit entries are kept (years); see docs/architecture.md on retention.
ONTZORG_AUDIT_RETENTION_YEARS = env_int("ONTZORG_AUDIT_RETENTION_YEARS", 7)
# Local time ("HH:MM") after which a payment file made today is executed on the next business
# day (the bank's cut-off); checked here so that a typo stops the start, not the first export.
ONTZORG_PAYMENT_CUTOFF = os.environ.get("ONTZORG_PAYMENT_CUTOFF", "14:00")
try:
    time.fromisoformat(ONTZORG_PAYMENT_CUTOFF)
except ValueError:
    raise ImproperlyConfigured("ONTZORG_PAYMENT_CUTOFF must be a time like 14:00.") from None
# A payee's amount that differs from last month's by more than this share (0.10 = 10 %) is
# shown to the approver of a payment run as "bedrag omhoog/omlaag".
ONTZORG_APPROVAL_CHANGE_SHARE = float(os.environ.get("ONTZORG_APPROVAL_CHANGE_SHARE", "0.10"))
if ONTZORG_APPROVAL_CHANGE_SHARE < 0:
    raise ImproperlyConfigured("ONTZORG_APPROVAL_CHANGE_SHARE must be 0 or more, e.g. 0.10.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
