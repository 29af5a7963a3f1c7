"""Scoping and the guidance-hours totals (contacts plus attended sessions), as queries.

Zoetermeer monitors guidance hours per participant; per organisation counts what each
organisation delivered: its contacts and the sessions of the activities it runs."""

from django.apps import apps
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ontzorg.accounts.constants import Scope


def _visible_participants(user):
    return apps.get_model("participants", "Participant").objects.visible_to(user)


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(participant__in=_visible_participants(user))

    def minutes_per_organisation(self):
        return self.values("organisation").annotate(minutes=Sum("duration_minutes"))


class AttendanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(participant__in=_visible_participants(user))

    def attended(self):
        return self.filter(attended=True)

    def minutes_per_organisation(self):
        return (
            self.attended()
            .values(organisation=F("session__activity__organisation"))
            .annotate(minutes=Sum("session__duration_minutes"))
        )


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Activities in the user's region; a partner organisation sees the ones it runs and
        those its participants take part in."""
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
            mine = _visible_participants(user)
            return self.filter(
                Q(organisation_id=user.organisation_id)
                | Q(
                    pk__in=self.model.participants.through.objects.filter(
                        participant__in=mine
                    ).values("activity_id")
                )
            )
        return self.none()


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
