"""Scoping and the guidance-hours totals (contacts plus attended sessions), as queries.

Scoping is `core.access` (each model's `scope_path`); the one extra is the activity rule for
a partner organisation, built on it. Zoetermeer monitors guidance hours per participant; per
organisation counts what each organisation delivered: its contacts and the sessions of the
activities it runs. `referral_counts` is what the monitor counts of referrals."""

from django.apps import apps
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ontzorg.core import access


class ContactQuerySet(access.ScopedQuerySet):
    def minutes_per_organisation(self):
        return self.values("organisation").annotate(minutes=Sum("duration_minutes"))


class AttendanceQuerySet(access.ScopedQuerySet):
    def attended(self):
        return self.filter(attended=True)

    def minutes_per_organisation(self):
        return (
            self.attended()
            .values(organisation=F("session__activity__organisation"))
            .annotate(minutes=Sum("session__duration_minutes"))
        )


class ActivityQuerySet(access.ScopedQuerySet):
    def scoped(self, user):
        """The activities in the user's scope (a partner organisation: the ones it runs), and
        also those the participants the user sees take part in."""
        condition = access.scope_q(self.model, user)
        if condition is None:
            return self
        participants = access.restrict(apps.get_model("participants", "Participant"), user)
        taking_part = self.model.participants.through.objects.filter(
            participant__in=participants
        ).values("activity_id")
        return self.filter(condition | Q(pk__in=taking_part))


def with_guidance_minutes(participants):
    """`participants` annotated with contact_minutes, session_minutes and guidance_minutes.

    Subqueries rather than joins, so contacts and attendances do not multiply each other."""
    contact = apps.get_model("guidance", "Contact")
    attendance = apps.get_model("guidance", "Attendance")
    contacts = (
        contact.objects.filter(participant=OuterRef("pk"))
        .order_by()
        .values("participant")
        .annotate(total=Sum("duration_minutes"))
        .values("total")
    )
    sessions = (
        attendance.objects.filter(participant=OuterRef("pk"), attended=True)
        .order_by()
        .values("participant")
        .annotate(total=Sum("session__duration_minutes"))
        .values("total")
    )
    zero = Value(0, output_field=models.IntegerField())
    return participants.annotate(
        contact_minutes=Coalesce(Subquery(contacts, output_field=models.IntegerField()), zero),
        session_minutes=Coalesce(Subquery(sessions, output_field=models.IntegerField()), zero),
    ).annotate(guidance_minutes=F("contact_minutes") + F("session_minutes"))


def referral_counts(participant_ids, *, until=None) -> dict[int, dict[str, int]]:
    """For the monitor: per participant the number of referrals per kind of organisation
    (``ReferralOrganisation``), referred on or before `until` when given; a participant
    without referrals is absent. One query, whatever the number of participants."""
    referral = apps.get_model("guidance", "Referral")
    rows = referral.objects.filter(participant_id__in=participant_ids)
    if until is not None:
        rows = rows.filter(referred_on__lte=until)
    counts: dict[int, dict[str, int]] = {}
    for participant_id, kind, number in (
        rows.order_by()
        .values("participant_id", "kind")
        .annotate(n=models.Count("pk"))
        .values_list("participant_id", "kind", "n")
    ):
        counts.setdefault(participant_id, {})[kind] = number
    return counts
