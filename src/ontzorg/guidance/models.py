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

from .constants import ConditionKind, ContactKind, LevelGroup, ReferralOrganisation, ReferralStatus
from .querysets import ActivityQuerySet, AttendanceQuerySet, ContactQuerySet

# A contact or a session longer than a working day is a typing error.
MAX_MINUTES = 8 * 60


class Contact(models.Model):
    """One individual guidance contact. `notes` is personal: shown only with the participant."""

    scope_path = ScopePath.via_participant("participant")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("participant"),
    )
    kind = models.CharField(_("contact kind"), max_length=12, choices=ContactKind.choices)
    occurred_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    with_interpreter = models.BooleanField(_("with interpreter"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("guide"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
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
    name = models.CharField(_("name"), max_length=160)
    level_group = models.CharField(
        _("level group"), max_length=10, choices=LevelGroup.choices, default=LevelGroup.ALL
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("delivering organisation"),
    )
    location = models.CharField(_("location"), max_length=160, blank=True)
    participants = models.ManyToManyField(
        Participant,
        through="Enrollment",
        related_name="activities",
        verbose_name=_("participants"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("group activity")
        verbose_name_plural = _("group activities")
        ordering = ["regeling", "name"]

    def __str__(self):
        return self.name


class Enrollment(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="enrollments")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="enrollments"
    )
    enrolled_on = models.DateField(_("enrolled on"))

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(fields=["activity", "participant"], name="enrollment_once"),
        ]

    def __str__(self):
        return _("%(participant)s in %(activity)s") % {
            "participant": self.participant,
            "activity": self.activity,
        }


class Session(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("activity")
    )
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    topic = models.CharField(_("topic"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
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
        Session,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("training session"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("participant"),
    )
    attended = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_once"),
        ]

    def __str__(self):
        state = _("present") if self.attended else _("absent")
        return f"{self.participant} {state}"


class PracticalCondition(models.Model):
    """Childcare or travel costs that make guidance possible, for a participant and
    optionally a particular activity."""

    scope_path = ScopePath.via_participant("participant")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="practical_conditions",
        verbose_name=_("participant"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conditions",
        verbose_name=_("activity"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ConditionKind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    provided_on = models.DateField(_("date"))
    cost_cents = models.PositiveIntegerField(_("cost (cents)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("practical condition")
        verbose_name_plural = _("practical conditions")
        ordering = ["-provided_on"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.provided_on:%d-%m-%Y}"


class Referral(models.Model):
    """A referral of the participant to a regular service (wijkteam, schuldhulpverlening,
    sociaal raadslieden, bewindvoering or another), with its reason and where it stands.
    `status_on` is the day the current status was reached; each change is audited."""

    scope_path = ScopePath.via_participant("participant")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("participant"),
    )
    kind = models.CharField(_("referred to"), max_length=16, choices=ReferralOrganisation.choices)
    organisation_name = models.CharField(_("name of the organisation"), max_length=160, blank=True)
    referred_on = models.DateField(_("referral date"))
    reason = models.TextField(_("reason for the referral"))
    status = models.CharField(
        _("referral status"),
        max_length=10,
        choices=ReferralStatus.choices,
        default=ReferralStatus.PROPOSED,
    )
    status_on = models.DateField(_("status since"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("recorded by organisation"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status_on__gte=models.F("referred_on")),
                name="referral_status_after_referral",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ReferralOrganisation.OTHER) | ~Q(organisation_name=""),
                name="referral_other_is_named",
            ),
        ]

    def __str__(self):
        name = self.organisation_name or self.get_kind_display()
        return f"{name} {self.referred_on:%d-%m-%Y}"
