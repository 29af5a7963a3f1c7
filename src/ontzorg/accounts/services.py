"""Login throttling: too many failures per username or IP address refuse further attempts."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ontzorg.audit.services import record

from . import events
from .models import FailedLogin


def is_throttled(username: str, ip_address: str | None) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    match = Q(username__iexact=username)
    if ip_address:
        match |= Q(ip_address=ip_address)
    recent = FailedLogin.objects.filter(match, at__gte=since)
    by_user = recent.filter(username__iexact=username).count()
    by_ip = recent.filter(ip_address=ip_address).count() if ip_address else 0
    # An address may try a few usernames more than one username may be tried.
    return by_user >= settings.LOGIN_MAX_FAILURES or by_ip >= 3 * settings.LOGIN_MAX_FAILURES


def register_failure(username: str, ip_address: str | None) -> None:
    FailedLogin.objects.create(username=username[:150], ip_address=ip_address)
    record(None, events.LOGIN_FAILED, object_type="accounts.User", username=username[:100])


def clear_failures(username: str) -> None:
    FailedLogin.objects.filter(username__iexact=username).delete()
