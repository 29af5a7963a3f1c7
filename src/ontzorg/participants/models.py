"""Households and participants. Personal data: every view and change is audited (see audit)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ontzorg.accounts.models import Organisation
from ontzorg.core import dates
from ontzorg.core.access import ScopePath
from ontzorg.core.languages import DEFAULT_LANGUAGE, PARTICIPANT_LANGUAGES
from ontzorg.core.search import SearchField, with_search_fields
from ontzorg.regelingen.models import Municipality, Regeling

from .constants import (
    DecisionKind,
    DecisionOutcome,
    Gender,
    HouseholdRole,
    Literacy,
    MemberKind,
    Phase,
)
from .querysets import HouseholdMemberQuerySet, ParticipantQuerySet
from .validators import validate_account_holder_name, validate_bsn, validate_iban


class Household(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("municipality"),
    )
    street = models.CharField(_("street"), max_length=120, blank=True)
    house_number = models.CharField(_("house number"), max_length=12, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("town"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        return f"{self.street} {self.house_number}, {self.city}".strip(" ,")

    @property
    def address(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.city}".strip(" ,")


class HouseholdMember(models.Model):
    """A partner who does not take part, a child or a housemate, living in the home from
    `starts_on` up to and including `ends_on` (both dated, so the norm of any month follows
    from who lived there then; see ``participants.households``). Adults who share the home
    decide the kostendelersnorm, a partner the couple's norm."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MemberKind.choices)
    first_name = models.CharField(_("first name"), max_length=80)
    date_of_birth = models.DateField(_("date of birth"))
    is_student = models.BooleanField(_("student"), default=False)
    starts_on = models.DateField(
        _("lives there from"),
        null=True,
        blank=True,
        help_text=_("Empty: already lived there at the intake."),
    )
    ends_on = models.DateField(_("lives there up to and including"), null=True, blank=True)
    income_cents = models.PositiveIntegerField(_("own income per month (cents)"), default=0)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
        help_text=_("The previous details of the same person, up to the date of the change."),
    )

    objects = HouseholdMemberQuerySet.as_manager()
    scope_path = ScopePath(
        region="household__municipality__region",
        organisation="household__participants__guidance_organisation",
        municipality="household__municipality",
        participant="participant",
    )

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household", "date_of_birth", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="household_member_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.first_name

    def lives_there_on(self, day: date) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (
            self.ends_on is None or day <= self.ends_on
        )

    @property
    def participant(self):
        """The participant whose page this member is shown on: the applicant of the home
        (for the audit of a page about the member)."""
        people = sorted(self.household.participants.all(), key=lambda p: (p.household_role, p.pk))
        return people[0] if people else None


class HouseholdMove(models.Model):
    """A dated address change of a household (everyone in it moves along). The household
    keeps its current address; this row keeps the old one and the day of the move."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="moves", verbose_name=_("household")
    )
    moves_on = models.DateField(_("moved on"))
    from_address = models.CharField(_("old address"), max_length=240)
    from_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("old municipality"),
    )
    to_address = models.CharField(_("new address"), max_length=240)
    to_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("new municipality"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = ScopePath(
        region="household__municipality__region",
        organisation="household__participants__guidance_organisation",
        municipality="household__municipality",
    )

    class Meta:
        verbose_name = _("move")
        verbose_name_plural = _("moves")
        ordering = ["household", "-moves_on", "-pk"]

    def __str__(self):
        return f"{self.from_address} → {self.to_address} ({self.moves_on:%d-%m-%Y})"


class Participant(models.Model):
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("household"),
    )
    household_role = models.CharField(
        _("role in household"),
        max_length=10,
        choices=HouseholdRole.choices,
        default=HouseholdRole.APPLICANT,
    )
    regeling = models.ForeignKey(
        Regeling, on_delete=models.PROTECT, related_name="participants", verbose_name=_("regeling")
    )
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, default=Phase.CANDIDATE
    )

    bsn = models.CharField(_("BSN"), max_length=9, unique=True, validators=[validate_bsn])
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=120)
    # The names folded for an accent-insensitive search ("Zahra" finds "Al-Zahrā").
    search_name = SearchField(_("name for searching"), sources=("first_name", "last_name"))
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    country_of_origin = models.CharField(_("country of origin"), max_length=80)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    needs_interpreter = models.BooleanField(_("interpreter needed"), default=False)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=PARTICIPANT_LANGUAGES,
        default=DEFAULT_LANGUAGE,
        help_text=_("The language of the participant's letters and monthly overview."),
    )
    literacy = models.CharField(
        _("literacy"), max_length=12, choices=Literacy.choices, default=Literacy.LITERATE
    )
    is_fulltime_student = models.BooleanField(_("full-time student"), default=False)
    is_unaccompanied_minor = models.BooleanField(_("unaccompanied minor"), default=False)

    arrival_on = models.DateField(_("settlement in the municipality"))
    bijstand_start_on = models.DateField(_("start of the right to bijstand"), null=True, blank=True)
    lease_signed_on = models.DateField(_("lease signed"), null=True, blank=True)

    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    # The name in the participant's own script (first and last name) is for letters; the
    # payment carries this one. Set and changed through a four-eyes proposal (plans.payees).
    account_holder_name = models.CharField(
        _("account holder name"),
        max_length=70,
        blank=True,
        validators=[validate_account_holder_name],
        help_text=_("The name as the bank knows it, in Latin letters (SEPA character set)."),
    )

    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name=_("case worker"),
    )
    guidance_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guided_participants",
        verbose_name=_("guiding organisation"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached",
        verbose_name=_("budget coach"),
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = ParticipantQuerySet.as_manager()
    scope_path = ScopePath(
        region="regeling__region",
        organisation="guidance_organisation",
        municipality="household__municipality",
        participant="",
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["phase"]),
            models.Index(fields=["last_name", "first_name"]),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, update_fields=None, **kwargs):
        update_fields = with_search_fields(type(self), update_fields)
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def municipality(self):
        return self.household.municipality

    def age_on(self, day: date) -> int:
        return dates.age_on(self.date_of_birth, day)

    @property
    def provisional_end_on(self) -> date | None:
        """The last day of ontzorgen until a plan says otherwise: bijstand start plus the
        regeling's minimum duration."""
        if self.bijstand_start_on is None:
            return None
        return dates.planned_end_on(self.bijstand_start_on, self.regeling.min_duration_months)

    @property
    def masked_iban(self) -> str:
        return f"{self.iban[:4]} •••• {self.iban[-4:]}" if self.iban else ""


class Decision(models.Model):
    """An opt-out or maatwerk decision, with its reason (required since 2023)."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("participant"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DecisionKind.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=DecisionOutcome.choices)
    reason = models.TextField(_("reason"))
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("decided by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = ScopePath.via_participant("participant")

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_outcome_display()}"


class SelectionDraw(models.Model):
    """A random selection out of a pool of candidates, reproducible from `seed` and the pool."""

    regeling = models.ForeignKey(
        Regeling, on_delete=models.PROTECT, related_name="draws", verbose_name=_("regeling")
    )
    seed = models.BigIntegerField(_("seed"))
    size = models.PositiveIntegerField(_("number"))
    candidate_ids = models.JSONField(_("candidates"))
    selected_ids = models.JSONField(_("selected"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("drawn by")
    )
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    # A draw belongs to a region, not to one guiding organisation.
    scope_path = ScopePath(region="regeling__region")

    class Meta:
        verbose_name = _("selection draw")
        verbose_name_plural = _("selection draws")
        ordering = ["-drawn_at"]

    def __str__(self):
        return _("Selection draw %(regeling)s (%(size)s out of %(pool)s)") % {
            "regeling": self.regeling,
            "size": self.size,
            "pool": len(self.candidate_ids),
        }
