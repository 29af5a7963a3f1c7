"""Reusable queries for plans, lines, creditors and income; scoping comes from core.access."""

from datetime import date

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q

from ontzorg.core import access
from ontzorg.core.access import ScopedQuerySet
from ontzorg.core.appendonly import AppendOnlyQuerySet

from .constants import OPEN_PLAN_STATUSES


def _overlapping(start_field: str, end_field: str, first: date, last: date) -> Q:
    return Q(**{f"{start_field}__lte": last}) & (
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": first})
    )


class CreditorQuerySet(models.QuerySet):
    def for_region(self, region):
        """Creditors usable in `region`: its own plus those working everywhere."""
        return self.filter(Q(region=region) | Q(region__isnull=True), is_active=True)

    def in_scope_of(self, user):
        """Creditors whose account `user` looks after: those of the user's regions, and
        those working everywhere that a plan in one of them pays. Every region (a superuser,
        national beheer) sees all."""
        regions = access.region_ids(user)
        if regions is None:
            return self
        paid_here = apps.get_model("plans", "PlanLine").objects.filter(
            creditor=OuterRef("pk"), plan__regeling__region__in=regions
        )
        return self.filter(Q(region__in=regions) | Q(region__isnull=True) & Exists(paid_here))


class PlanQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_PLAN_STATUSES)

    def running_in(self, first: date, last: date):
        """Plans that overlap the days first..last (actual end, else planned end)."""
        return self.filter(
            Q(start_on__lte=last)
            & (Q(ended_on__gte=first) | Q(ended_on__isnull=True, planned_end_on__gte=first))
        )


class PlanLineQuerySet(ScopedQuerySet):
    def current(self):
        """Lines that were not removed: the only ones paid, withheld or shown to the
        participant. A removed line stays in the database for the audit trail."""
        return self.filter(removed_at__isnull=True)

    def removed(self):
        return self.filter(removed_at__isnull=False)

    def applying_in(self, first: date, last: date):
        return self.filter(_overlapping("starts_on", "ends_on", first, last))

    def open_on(self, day: date):
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class IncomeQuerySet(ScopedQuerySet):
    def applying_in(self, first: date, last: date):
        return self.filter(_overlapping("valid_from", "valid_to", first, last))


class ModeDecisionQuerySet(ScopedQuerySet, AppendOnlyQuerySet):
    def in_force_on(self, day: date):
        """Decisions that have started on `day`, the one in force last per participant."""
        return self.filter(from_on__lte=day).order_by("participant_id", "from_on", "pk")
