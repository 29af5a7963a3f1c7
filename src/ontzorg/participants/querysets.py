"""The one scoping queryset: every list, page and export of participants goes through it."""

import calendar
from datetime import date, timedelta

from django.db import models
from django.db.models import Q

from ontzorg.accounts.constants import Scope


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Participants `user` may see at all; field-level hiding (BSN, bank) is separate."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        role = user.role
        if role is None:
            return self.none()
        if role.scope == Scope.ALL:
            return self
        if role.scope == Scope.REGION and user.organisation and user.organisation.region_id:
            return self.filter(regeling__region_id=user.organisation.region_id)
        if role.scope == Scope.ORGANISATION and user.organisation_id:
            return self.filter(guidance_organisation_id=user.organisation_id)
        return self.none()

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        query = Q()
        for word in text.split():
            query &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        return self.filter(query)

    def search_bsn(self, text: str):
        digits = "".join(ch for ch in text if ch.isdigit())
        return self.filter(bsn__startswith=digits) if len(digits) >= 4 else self.none()

    def caseload(self, user):
        """Participants the user is personally responsible for, as case worker or coach."""
        return self.filter(Q(case_worker_id=user.pk) | Q(coach_id=user.pk))

    def ending_between(self, first: date, last: date):
        """Provisional end (bijstand start + the regeling's minimum duration) in [first, last].

        Until plans exist this is the best estimate of when ontzorgen ends. Month ends make
        the inverse of add_months inexact, so the database narrows and Python decides."""
        window = Q(pk__in=[])
        durations = self.exclude(bijstand_start_on=None).values_list(
            "regeling__min_duration_months", flat=True
        )
        for months in set(durations):
            window |= Q(
                regeling__min_duration_months=months,
                bijstand_start_on__gte=add_months(first, -months) - timedelta(days=3),
                bijstand_start_on__lte=add_months(last, -months) + timedelta(days=3),
            )
        rows = self.filter(window).values_list(
            "pk", "bijstand_start_on", "regeling__min_duration_months"
        )
        ids = [pk for pk, start, months in rows if first <= add_months(start, months) <= last]
        return self.filter(pk__in=ids)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
