"""Households and participants. Personal data: every view and change is audited (see audit)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ontzorg.accounts.models import Organisation
from ontzorg.core import dates
from ontzorg.core.access import ScopePath
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
from .querysets import ParticipantQuerySet
from .validators import validate_bsn, validate_iban


class Household(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("gemeente"),
    )
    street = models.CharField(_("straat"), max_length=120, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=12, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("plaats"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("huishouden")
        verbose_name_plural = _("huishoudens")

    def __str__(self):
        return f"{self.street} {self.house_number}, {self.city}".strip(" ,")

    @property
    def address(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.city}".strip(" ,")


class HouseholdMember(models.Model):
    """A child or a housemate; adults who share the home determine the kostendelersnorm."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("huishouden")
    )
    kind = models.CharField(_("soort"), max_length=12, choices=MemberKind.choices)
    first_name = models.CharField(_("voornaam"), max_length=80)
    date_of_birth = models.DateField(_("geboortedatum"))
    is_student = models.BooleanField(_("student"), default=False)

    class Meta:
        verbose_name = _("gezinslid")
        verbose_name_plural = _("gezinsleden")

    def __str__(self):
        return self.first_name


class Participant(models.Model):
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("huishouden"),
    )
    household_role = models.CharField(
        _("rol in huishouden"),
        max_length=10,
        choices=HouseholdRole.choices,
        default=HouseholdRole.APPLICANT,
    )
    regeling = models.ForeignKey(
        Regeling, on_delete=models.PROTECT, related_name="participants", verbose_name=_("regeling")
    )
    phase = models.CharField(
        _("fase"), max_length=16, choices=Phase.choices, default=Phase.CANDIDATE
    )

    bsn = models.CharField(_("BSN"), max_length=9, unique=True, validators=[validate_bsn])
    first_name = models.CharField(_("voornaam"), max_length=80)
    last_name = models.CharField(_("achternaam"), max_length=120)
    date_of_birth = models.DateField(_("geboortedatum"))
    gender = models.CharField(_("geslacht"), max_length=1, choices=Gender.choices)
    country_of_origin = models.CharField(_("land van herkomst"), max_length=80)
    languages = models.CharField(_("talen"), max_length=200, blank=True)
    needs_interpreter = models.BooleanField(_("tolk nodig"), default=False)
    literacy = models.CharField(
        _("geletterdheid"), max_length=12, choices=Literacy.choices, default=Literacy.LITERATE
    )
    is_fulltime_student = models.BooleanField(_("voltijdstudent"), default=False)
    is_unaccompanied_minor = models.BooleanField(_("alleenstaande minderjarige"), default=False)

    arrival_on = models.DateField(_("vestiging in de gemeente"))
    bijstand_start_on = models.DateField(_("start recht op bijstand"), null=True, blank=True)
    lease_signed_on = models.DateField(_("huurcontract getekend"), null=True, blank=True)

    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])

    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name=_("klantmanager"),
    )
    guidance_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guided_participants",
        verbose_name=_("begeleidende organisatie"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached",
        verbose_name=_("budgetcoach"),
    )

    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    objects = ParticipantQuerySet.as_manager()
    scope_path = ScopePath(
        region="regeling__region",
        organisation="guidance_organisation",
        municipality="household__municipality",
        participant="",
    )

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["phase"]),
            models.Index(fields=["last_name", "first_name"]),
        ]

    def __str__(self):
        return self.full_name

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
        Participant, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("deelnemer")
    )
    kind = models.CharField(_("soort"), max_length=12, choices=DecisionKind.choices)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=DecisionOutcome.choices)
    reason = models.TextField(_("reden"))
    decided_on = models.DateField(_("besloten op"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("besloten door")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = ScopePath.via_participant("participant")

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        ordering = ["-decided_on", "-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_outcome_display()}"


class SelectionDraw(models.Model):
    """A random selection out of a pool of candidates, reproducible from `seed` and the pool."""

    regeling = models.ForeignKey(
        Regeling, on_delete=models.PROTECT, related_name="draws", verbose_name=_("regeling")
    )
    seed = models.BigIntegerField(_("seed"))
    size = models.PositiveIntegerField(_("aantal"))
    candidate_ids = models.JSONField(_("kandidaten"))
    selected_ids = models.JSONField(_("geselecteerd"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("getrokken door")
    )
    drawn_at = models.DateTimeField(_("getrokken op"), auto_now_add=True)

    # A draw belongs to a region, not to one guiding organisation.
    scope_path = ScopePath(region="regeling__region")

    class Meta:
        verbose_name = _("loting")
        verbose_name_plural = _("lotingen")
        ordering = ["-drawn_at"]

    def __str__(self):
        return f"Loting {self.regeling} ({self.size} uit {len(self.candidate_ids)})"
