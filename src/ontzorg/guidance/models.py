"""Guidance towards financial self-reliance: individual contacts, group activities built on a
regeling's trainings (sessions, enrolment, attendance) and the practical conditions that make
taking part possible (childcare, travel costs), with their costs in cents."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ontzorg.accounts.models import Organisation
from ontzorg.core.access import ScopedQuerySet, ScopePath
from ontzorg.participants.models import Participant
from ontzorg.regelingen.models import Regeling, Training

from .constants import ConditionKind, ContactKind, LevelGroup
from .querysets import ActivityQuerySet, AttendanceQuerySet, ContactQuerySet

# A contact or a session longer than a working day is a typing error.
MAX_MINUTES = 8 * 60


class Contact(models.Model):
    """One individual guidance contact. `notes` is personal: shown only with the participant."""

    scope_path = ScopePath.via_participant("participant")

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("deelnemer")
    )
    kind = models.CharField(_("soort contact"), max_length=12, choices=ContactKind.choices)
    occurred_on = models.DateField(_("datum"))
    duration_minutes = models.PositiveSmallIntegerField(_("duur (minuten)"))
    with_interpreter = models.BooleanField(_("met tolk"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("begeleider"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("organisatie"),
    )
    notes = models.TextField(_("aantekeningen"), blank=True)
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacten")
        ordering = ["-occurred_on", "-created_at"]
        indexes = [models.Index(fields=["participant", "occurred_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0, duration_minutes__lte=MAX_MINUTES),
                name="contact_duration_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_on:%d-%m-%Y}"


class Activity(models.Model):
    """A group run of a regeling's training, e.g. Geldwijzer for the spring group.

    A partner organisation reaches the activities it runs (and, through
    `ActivityQuerySet.visible_to`, those its participants take part in)."""

    scope_path = ScopePath(region="regeling__region", organisation="organisation")

    regeling = models.ForeignKey(
        Regeling, on_delete=models.PROTECT, related_name="activities", verbose_name=_("regeling")
    )
    training = models.ForeignKey(
        Training, on_delete=models.PROTECT, related_name="activities", verbose_name=_("training")
    )
    name = models.CharField(_("naam"), max_length=160)
    level_group = models.CharField(
        _("niveaugroep"), max_length=10, choices=LevelGroup.choices, default=LevelGroup.ALL
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("uitvoerende organisatie"),
    )
    location = models.CharField(_("locatie"), max_length=160, blank=True)
    participants = models.ManyToManyField(
        Participant,
        through="Enrollment",
        related_name="activities",
        verbose_name=_("deelnemers"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("groepsactiviteit")
        verbose_name_plural = _("groepsactiviteiten")
        ordering = ["regeling", "name"]

    def __str__(self):
        return self.name


class Enrollment(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="enrollments")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="enrollments"
    )
    enrolled_on = models.DateField(_("aangemeld op"))

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        constraints = [
            models.UniqueConstraint(fields=["activity", "participant"], name="enrollment_once"),
        ]

    def __str__(self):
        return f"{self.participant} in {self.activity}"


class Session(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("activiteit")
    )
    held_on = models.DateField(_("datum"))
    duration_minutes = models.PositiveSmallIntegerField(_("duur (minuten)"), default=120)
    topic = models.CharField(_("onderwerp"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["activity", "held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0, duration_minutes__lte=MAX_MINUTES),
                name="session_duration_range",
            ),
        ]

    def __str__(self):
        return f"{self.activity} {self.held_on:%d-%m-%Y}"


class Attendance(models.Model):
    scope_path = ScopePath.via_participant("participant")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("bijeenkomst")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("deelnemer"),
    )
    attended = models.BooleanField(_("aanwezig"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_once"),
        ]

    def __str__(self):
        return f"{self.participant} {'aanwezig' if self.attended else 'afwezig'}"


class PracticalCondition(models.Model):
    """Childcare or travel costs that make guidance possible, for a participant and
    optionally a particular activity."""

    scope_path = ScopePath.via_participant("participant")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="practical_conditions",
        verbose_name=_("deelnemer"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conditions",
        verbose_name=_("activiteit"),
    )
    kind = models.CharField(_("soort"), max_length=12, choices=ConditionKind.choices)
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    provided_on = models.DateField(_("datum"))
    cost_cents = models.PositiveIntegerField(_("kosten (cent)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("praktische voorziening")
        verbose_name_plural = _("praktische voorzieningen")
        ordering = ["-provided_on"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.provided_on:%d-%m-%Y}"
