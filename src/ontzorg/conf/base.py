"""Production settings, read from environment variables (documented in the README)."""

import os
from datetime import time
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from ontzorg.core.languages import PARTICIPANT_LANGUAGES

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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # DigiD for participants (portal): the SAML configuration and its certificates, set in
    # /beheer/ by the municipality (docs/production.md). Its login backends are NOT used.
    "solo",
    "privates",
    "simple_certmanager",
    "digid_eherkenning",
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
    "ontzorg.inventory",
    "ontzorg.trajectory",
    "ontzorg.letters",
    "ontzorg.monitor",
    "ontzorg.audit",
    "ontzorg.privacy",
    "ontzorg.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ontzorg.core.context.RequestContextMiddleware",
    # Every page needs the second factor, the admin included (accounts/middleware.py).
    "ontzorg.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Personal data: bad search characters refused in Dutch, no page cached (core.privacy).
    "ontzorg.core.privacy.InvalidInputMiddleware",
    "ontzorg.core.privacy.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
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
    {
        # Django's, with a Dutch message (accounts/passwords.py).
        "NAME": "ontzorg.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Failed logins (password or second-factor code) within the window before refusing: per
# username from one client address, per client address, and per username from all addresses
# together, which a browser that completed a login of that name before (a signed cookie kept
# LOGIN_KNOWN_BROWSER_DAYS) escapes (accounts/throttle.py).
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_MAX_FAILURES_PER_IP = env_int("LOGIN_MAX_FAILURES_PER_IP", 3 * LOGIN_MAX_FAILURES)
LOGIN_MAX_FAILURES_PER_NAME_ALL_ADDRESSES = env_int(
    "LOGIN_MAX_FAILURES_PER_NAME_ALL_ADDRESSES", 10 * LOGIN_MAX_FAILURES
)
LOGIN_KNOWN_BROWSER_DAYS = env_int("LOGIN_KNOWN_BROWSER_DAYS", 180)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
# The second factor (django-otp): the name authenticator apps show; secrets hidden in /beheer/.
OTP_TOTP_ISSUER = "Ontzorg"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = os.environ.get("SECURE_COOKIES", "1") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS behind a reverse proxy that ends TLS and sets (overwrites) X-Forwarded-Proto: plain
# HTTP is redirected to HTTPS and browsers are told to use nothing else (HSTS). Leave
# PROXY_SSL_HEADER empty only when the WSGI server itself speaks TLS.
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
_proxy_ssl_header = os.environ.get("PROXY_SSL_HEADER", "X-Forwarded-Proto").strip()
# Believed only with a trusted proxy in front (scripts/production-start refuses to start
# without one): without a proxy that sets it, any client could claim HTTPS.
if _proxy_ssl_header and TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "1") == "1"
# Content-Security-Policy (django-csp) in every setting, tests included, so that a browser
# test fails on an inline script or style: scripts and styles come only from our own static
# files (htmx is vendored), nothing is framed, forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Staff pages are Dutch whatever the browser asks (no LocaleMiddleware); participant-facing code
# (letters, overviews, the portal) activates the participant's language with translation.override.
LANGUAGE_CODE = "nl"
LANGUAGES = PARTICIPANT_LANGUAGES
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
# Retention terms applied by the daily `manage.py apply_retention` (ontzorg.privacy; the table
# with the reasoning is docs/retention.md). A participant's file: years after the end of the
# trajectory and its nazorg (Archiefwet; Selectielijst gemeenten: client and financial files
# of the Participatiewet are destroyed 7 years after the file ends).
ONTZORG_RETENTION_PARTICIPANT_YEARS = env_int("ONTZORG_RETENTION_PARTICIPANT_YEARS", 7)
# People who never took part (a candidate never placed, found not eligible, opted out): years
# after the last decision or change; shorter, as nothing was paid for them.
ONTZORG_RETENTION_NON_PARTICIPANT_YEARS = env_int("ONTZORG_RETENTION_NON_PARTICIPANT_YEARS", 2)
# Signals no one could match to a participant: months after they were received, then deleted.
ONTZORG_RETENTION_UNMATCHED_SIGNAL_MONTHS = env_int("ONTZORG_RETENTION_UNMATCHED_SIGNAL_MONTHS", 12)
# Uploaded and generated files (bank statements, signal CSVs, pain.001 files): days after they
# were processed; the database keeps what was read from them and a "bestand verwijderd" mark.
ONTZORG_RETENTION_FILE_DAYS = env_int("ONTZORG_RETENTION_FILE_DAYS", 90)
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
# Creditor API (signals): requests one token may make per minute; more get 429 + Retry-After.
# Counted in the database, so the limit holds across all WSGI workers.
ONTZORG_API_RATE_PER_MINUTE = env_int("ONTZORG_API_RATE_PER_MINUTE", 60)
if ONTZORG_API_RATE_PER_MINUTE < 1:
    raise ImproperlyConfigured("ONTZORG_API_RATE_PER_MINUTE must be 1 or more, e.g. 60.")

# The participant's personal page (ontzorg.portal), logged in with DigiD. The mock DigiD (a
# page where one types a BSN) is for development, the demo and tests only: never in production.
ONTZORG_DIGID_MOCK = False
# One cache for all web workers: django-digid-eherkenning keeps the id of a DigiD login request
# in the cache until DigiD answers, and the answer may reach another worker than the request
# (scripts/production-start creates the table).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ontzorg_cache",
    }
}
# A portal session ends this long after the DigiD login (DigiD's own norm is 15 minutes).
ONTZORG_PORTAL_SESSION_SECONDS = env_int("ONTZORG_PORTAL_SESSION_SECONDS", 15 * 60)
# DigiD's SAML certificates and metadata are uploaded in /beheer/ (django-privates): kept
# outside MEDIA_ROOT, never served as static or media files.
PRIVATE_MEDIA_ROOT = VAR_DIR / "private-media"
PRIVATE_MEDIA_URL = "/private-media/"
SENDFILE_BACKEND = "django_sendfile.backends.simple"
SENDFILE_ROOT = PRIVATE_MEDIA_ROOT
DIGID_SESSION_AGE = ONTZORG_PORTAL_SESSION_SECONDS

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
