"""Reusable queries on participants. Scoping is `visible_to` from `core.access`: every list,
page and export of participants goes through it."""

from datetime import date, timedelta

from django.db.models import Max, Q
from django.db.models.functions import Coalesce

from ontzorg.core import access, dates
from ontzorg.core.search import contains_all, words


class ParticipantQuerySet(access.ScopedQuerySet):
    def search(self, text: str):
        """Every word of `text` in the participant's names, accents and case aside
        ("zahra" finds "Al-Zahrā" with its hamza sign)."""
        if not words(text):
            return self
        return self.filter(contains_all("search_name", text))

    def search_bsn(self, text: str):
        digits = "".join(ch for ch in text if ch.isdigit())
        return self.filter(bsn__startswith=digits) if len(digits) >= 4 else self.none()

    def caseload(self, user):
        """Participants the user is personally responsible for, as case worker or coach."""
        return self.filter(Q(case_worker_id=user.pk) | Q(coach_id=user.pk))

    def ending_between(self, first: date, last: date):
        """Participants whose ontzorgen ends (last day) in [first, last].

        With a plan, the end is the plan's: the day it ended, else its planned last day,
        which an extension moves (plans follow each other, so the latest end is the current
        one). Without a plan, the provisional end: bijstand start plus the regeling's minimum
        duration (`Participant.provisional_end_on`)."""
        with_plan = (
            self.values("pk")
            .annotate(end_on=Max(Coalesce("plans__ended_on", "plans__planned_end_on")))
            .filter(end_on__gte=first, end_on__lte=last)
            .values("pk")
        )
        return self.filter(Q(pk__in=with_plan) | Q(pk__in=self._provisionally_ending(first, last)))

    def _provisionally_ending(self, first: date, last: date) -> list[int]:
        """Ids of participants without a plan whose provisional end is in [first, last].
        Month ends make the inverse of month arithmetic inexact, so the database narrows and
        `core.dates` decides."""
        planless = self.filter(plans__isnull=True).exclude(bijstand_start_on=None)
        window = Q(pk__in=[])
        durations = planless.values_list("regeling__min_duration_months", flat=True)
        for months in set(durations):
            window |= Q(
                regeling__min_duration_months=months,
                bijstand_start_on__gte=dates.add_months(first, -months) - timedelta(days=3),
                bijstand_start_on__lte=dates.add_months(last, -months) + timedelta(days=3),
            )
        rows = planless.filter(window).values_list(
            "pk", "bijstand_start_on", "regeling__min_duration_months"
        )
        return [
            pk
            for pk, start_on, months in rows
            if first <= dates.planned_end_on(start_on, months) <= last
        ]


class HouseholdMemberQuerySet(access.ScopedQuerySet):
    def scoped(self, user):
        # The organisation path runs through the household's participants: one member row
        # per guided participant unless made distinct.
        return super().scoped(user).distinct()

    def living_there_on(self, day: date):
        """Members who live in the home on `day` (`starts_on` empty: since the intake)."""
        return self.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=day),
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        )

    def current(self, day: date):
        """Members living there on `day` or coming to live there later: the present and
        announced household (the page lists these), without replaced or ended rows."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
