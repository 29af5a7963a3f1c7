"""Regions (samenwerkingsverbanden), their municipalities and the regeling that configures them."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    validate_comma_separated_integer_list,
)
from django.db import models
from django.utils.translation import gettext_lazy as _

from ontzorg.core.access import ScopedQuerySet, ScopePath

from .constants import (
    AllowanceFrequency,
    CostCategory,
    Inclusion,
    InstrumentPurpose,
    InstrumentScale,
    Mode,
    PlanStart,
    SelectionMethod,
    Weekday,
)


class Region(models.Model):
    """A samenwerkingsverband: a lead municipality and the municipalities working with it."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    staff_limited_to_municipality = models.BooleanField(
        _("staff see only their own municipality"),
        default=False,
        help_text=_(
            "On: staff of an organisation tied to one municipality (Admin → Organisations) "
            "see only the participants of that municipality, and no region-wide work such "
            "as payment runs and the bank queue. Organisations without a municipality keep "
            "seeing the whole region."
        ),
    )

    scope_path = ScopePath(region="pk")

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=120, unique=True)
    is_lead = models.BooleanField(_("central municipality"), default=False)
    # The few settings of the regeling a municipality may set for itself (empty: the
    # regeling's); read only through ``regelingen.local``.
    benefit_payment_day = models.PositiveSmallIntegerField(
        _("own benefit pay day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Empty: the pay day of the region's regeling."),
    )
    allowance_weekday = models.PositiveSmallIntegerField(
        _("own weekly allowance day"),
        choices=Weekday.choices,
        null=True,
        blank=True,
        help_text=_("Empty: the weekly allowance day of the region's regeling."),
    )

    scope_path = ScopePath(region="region")

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Instrument(models.Model):
    """A measuring instrument: of self-reliance (ZRM Financiën, the pilots' 3-level scale, a
    checklist) or of another outcome (stress, language progress, agencies approached).

    A regeling chooses the instruments its region uses (`Regeling.instruments`); all are
    measured at the same moments (measurements.schedule)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    purpose = models.CharField(
        _("measures"),
        max_length=20,
        choices=InstrumentPurpose.choices,
        default=InstrumentPurpose.SELF_RELIANCE,
        help_text=_(
            "Only financial self-reliance decides whether ontzorgen may end; the other "
            "outcomes are measured alongside it."
        ),
    )
    scale = models.CharField(
        _("recorded as"),
        max_length=10,
        choices=InstrumentScale.choices,
        default=InstrumentScale.LEVELS,
    )
    max_count = models.PositiveSmallIntegerField(
        _("highest count"),
        null=True,
        blank=True,
        help_text=_("For a count: the highest plausible number, for example 30."),
    )

    class Meta:
        verbose_name = _("measuring instrument")
        verbose_name_plural = _("measuring instruments")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="instrument_count_has_maximum",
                condition=~models.Q(scale=InstrumentScale.COUNT)
                | (models.Q(max_count__gt=0) & ~models.Q(purpose=InstrumentPurpose.SELF_RELIANCE)),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.scale == InstrumentScale.COUNT:
            if self.purpose == InstrumentPurpose.SELF_RELIANCE:
                raise ValidationError(
                    {"scale": _("Self-reliance is measured in levels, not as a count.")}
                )
            if not self.max_count:
                raise ValidationError({"max_count": _("Give the highest plausible count.")})

    @property
    def is_self_reliance(self) -> bool:
        return self.purpose == InstrumentPurpose.SELF_RELIANCE

    @property
    def is_count(self) -> bool:
        return self.scale == InstrumentScale.COUNT

    @property
    def exit_level(self):
        return self.levels.filter(is_exit=True).order_by("rank").first()


class InstrumentLevel(models.Model):
    """An ordered level; `category` maps it onto the evaluators' common 3-level scale."""

    class Category(models.IntegerChoices):
        NOT_SELF_RELIANT = 1, _("not financially self-reliant")
        PARTLY_SELF_RELIANT = 2, _("partly financially self-reliant")
        SELF_RELIANT = 3, _("financially self-reliant")

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="levels", verbose_name=_("instrument")
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    label = models.CharField(_("label"), max_length=120)
    # Empty for the levels of an instrument of another outcome than self-reliance (stress).
    category = models.PositiveSmallIntegerField(
        _("category"), choices=Category.choices, null=True, blank=True
    )
    is_exit = models.BooleanField(
        _("enough to stop"),
        default=False,
        help_text=_("From this level on, the end of ontzorgen comes into view."),
    )

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["instrument", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "rank"], name="level_rank_unique"),
        ]

    def __str__(self):
        return f"{self.rank}. {self.label}"


class RegelingQuerySet(ScopedQuerySet):
    def in_force_on(self, day: date):
        return self.filter(valid_from__lte=day).order_by("region", "-valid_from")


class Regeling(models.Model):
    """How one region does ontzorgen. Every pilot difference is a field here, never code."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="regelingen", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=160)
    valid_from = models.DateField(_("valid from"))
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.STANDARD)

    min_duration_months = models.PositiveSmallIntegerField(
        _("minimum duration (months)"), default=6, validators=[MinValueValidator(6)]
    )
    extension_allowed = models.BooleanField(_("extension possible"), default=True)
    max_extension_months = models.PositiveSmallIntegerField(
        _("maximum extension (months)"), default=6
    )
    plan_start = models.CharField(
        _("start of the plan"),
        max_length=20,
        choices=PlanStart.choices,
        default=PlanStart.BIJSTAND_START,
    )
    continues_on_wages = models.BooleanField(
        _("continues on income from work"),
        default=False,
        help_text=_("Budgetbeheer continues when bijstand stops because of work."),
    )
    allowance_frequency = models.CharField(
        _("living allowance"),
        max_length=10,
        choices=AllowanceFrequency.choices,
        default=AllowanceFrequency.MONTHLY,
    )
    allowance_weekday = models.PositiveSmallIntegerField(
        _("weekly allowance day"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    benefit_payment_day = models.PositiveSmallIntegerField(
        _("benefit pay day"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    counts_toeslagen = models.BooleanField(
        _("toeslagen count in the base"),
        default=False,
        help_text=_(
            "Count the toeslagen when the benefit is too low (kostendelersnorm, jongerennorm)."
        ),
    )
    first_month_rent_gift = models.BooleanField(
        _("first month's rent as a gift (bijzondere bijstand)"),
        default=False,
        help_text=_(
            "If needed: when making the plan, the case manager chooses per "
            "participant whether the first month's rent is paid as a gift."
        ),
    )
    prepay_last_month = models.BooleanField(
        _("pay fixed costs one month ahead at the end"), default=False
    )
    prepay_from_bridging = models.BooleanField(
        _("prepayment from the bridging allowance"),
        default=False,
        help_text=_(
            "The municipality pays the prepaid month from bijzondere bijstand "
            "(bridging allowance), not from the participant's last benefit."
        ),
    )
    ends_all_at_once = models.BooleanField(
        _("ontzorgen stops all at once"),
        default=False,
        help_text=_(
            "Off: phase-out per fixed cost. The participant takes over the fixed "
            "costs one by one, in the order they choose; the plan ends only when "
            "one is left. On: at the end all fixed costs stop at once."
        ),
    )
    has_savings_pots = models.BooleanField(_("savings pots"), default=False)
    low_allowance_share = models.DecimalField(
        _("warn when the living allowance is below (share of the norm)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.25"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_(
            "0.25: the plan and the payment run warn when a participant keeps less "
            "than a quarter of the bijstand norm to live on. 0: never warn."
        ),
    )
    nazorg_months = models.PositiveSmallIntegerField(_("nazorg (months)"), default=6)
    # First payment and handover (issue 12): when the dashboard warns, how much a bridging
    # payment may be, and when a handed-back fixed cost is checked in nazorg.
    first_payment_warn_days = models.PositiveSmallIntegerField(
        _("warn when the first payment takes longer than (days)"),
        default=14,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Counted from the start of the bijstand (or else the key handover). The "
            "dashboard shows participants for whom a creditor has not been paid yet."
        ),
    )
    bridging_max_cents = models.PositiveIntegerField(
        _("maximum bridging payment (cents)"),
        default=50_000,
        help_text=_(
            "A bridging payment while the first payment is awaited may not be higher "
            "than this. 0: no bridging payments."
        ),
    )
    handover_check_months = models.CharField(
        _("handover checks in nazorg (months after the end)"),
        max_length=40,
        default="1,3",
        blank=True,
        validators=[validate_comma_separated_integer_list],
        help_text=_(
            "For example 1,3: besides the check at the end, each handed-back fixed cost "
            "is checked 1 and 3 months after the end of ontzorgen."
        ),
    )

    # Eligibility and selection.
    exclude_seniors = models.BooleanField(_("older people (AOW age) excluded"), default=False)
    senior_age = models.PositiveSmallIntegerField(_("AOW age"), default=67)
    exclude_fulltime_students = models.BooleanField(_("full-time students excluded"), default=False)
    exclude_illiterate = models.BooleanField(_("illiterate people excluded"), default=False)
    newcomers_since = models.DateField(
        _("newcomers settled from"),
        null=True,
        blank=True,
        help_text=_("Whoever came to the municipality earlier counts as an earlier arrival."),
    )
    include_old_arrivals = models.BooleanField(
        _("admit earlier arrivals"),
        default=False,
        help_text=_("For example when there are too few new arrivals."),
    )
    both_partners = models.BooleanField(_("both partners take part"), default=True)
    selection_method = models.CharField(
        _("selection"), max_length=10, choices=SelectionMethod.choices, default=SelectionMethod.ALL
    )
    target_participants = models.PositiveSmallIntegerField(
        _("intended number of participants"), default=0
    )

    instruments = models.ManyToManyField(
        Instrument, related_name="regelingen", verbose_name=_("measuring instruments"), blank=True
    )
    endmeasurement_months_before_end = models.PositiveSmallIntegerField(
        _("final measurement (months before the end)"), default=0
    )
    followup_months_after_end = models.PositiveSmallIntegerField(
        _("follow-up measurement (months after the end)"), default=0
    )
    notes = models.TextField(_("explanation"), blank=True)

    objects = RegelingQuerySet.as_manager()
    scope_path = ScopePath(region="region")

    class Meta:
        verbose_name = _("regeling")
        verbose_name_plural = _("regelingen")
        ordering = ["region", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "valid_from"], name="regeling_region_from"),
            models.CheckConstraint(
                condition=models.Q(min_duration_months__gte=6), name="regeling_min_six_months"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.allowance_frequency == AllowanceFrequency.WEEKLY and self.mode != Mode.BUDGETBEHEER:
            errors["allowance_frequency"] = _(
                "A weekly allowance is only possible with full budgetbeheer."
            )
        if self.continues_on_wages and self.mode != Mode.BUDGETBEHEER:
            errors["continues_on_wages"] = _(
                "Continuing on income from work is only possible with full budgetbeheer."
            )
        if self.prepay_from_bridging and not self.prepay_last_month:
            errors["prepay_from_bridging"] = _(
                "A bridging allowance for the last month is only possible when the "
                "fixed costs are paid a month ahead at the end."
            )
        if not self.extension_allowed and self.max_extension_months:
            self.max_extension_months = 0
        if self.selection_method == SelectionMethod.RANDOM and not self.target_participants:
            errors["target_participants"] = _(
                "With a random draw, say how many participants you are looking for."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def handover_months(self) -> list[int]:
        """The months after the end at which handed-back fixed costs are checked again."""
        return sorted({int(m) for m in self.handover_check_months.split(",") if m.strip()})

    def categories(self, inclusion: str | None = None) -> list[str]:
        items = self.package_items.all()
        return [i.category for i in items if inclusion is None or i.inclusion == inclusion]


class PackageItem(models.Model):
    regeling = models.ForeignKey(
        Regeling, on_delete=models.CASCADE, related_name="package_items", verbose_name=_("regeling")
    )
    category = models.CharField(_("cost category"), max_length=20, choices=CostCategory.choices)
    inclusion = models.CharField(
        _("inclusion"), max_length=10, choices=Inclusion.choices, default=Inclusion.STANDARD
    )

    class Meta:
        verbose_name = _("package item")
        verbose_name_plural = _("package")
        constraints = [
            models.UniqueConstraint(fields=["regeling", "category"], name="package_item_unique"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} ({self.get_inclusion_display()})"


class Training(models.Model):
    """Part of a regeling's guidance offer, such as Geldwijzer or Eurowijzer."""

    regeling = models.ForeignKey(
        Regeling, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("regeling")
    )
    name = models.CharField(_("name"), max_length=120)
    sessions = models.PositiveSmallIntegerField(_("number of sessions"), default=1)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CostCeiling(models.Model):
    """How high a monthly amount of one cost category may plausibly be. Above
    `warn_above_cents` the amount needs a confirmation tick, above `refuse_above_cents` it is
    refused. The most specific row counts: the regeling's, then the region's, then a national
    one (neither set); without any, the defaults in ``regelingen.ceilings``."""

    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cost_ceilings",
        verbose_name=_("region"),
    )
    regeling = models.ForeignKey(
        Regeling,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cost_ceilings",
        verbose_name=_("regeling"),
    )
    category = models.CharField(_("cost category"), max_length=20, choices=CostCategory.choices)
    warn_above_cents = models.PositiveIntegerField(
        _("warn above (cents a month)"),
        null=True,
        blank=True,
        help_text=_("In cents: 150000 is € 1.500,00. Empty: no warning."),
    )
    refuse_above_cents = models.PositiveIntegerField(
        _("refuse above (cents a month)"),
        null=True,
        blank=True,
        help_text=_("In cents: 300000 is € 3.000,00. Empty: no maximum."),
    )

    class Meta:
        verbose_name = _("cost ceiling per cost category")
        verbose_name_plural = _("cost ceilings per cost category")
        ordering = ["region", "regeling", "category"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=True) | models.Q(regeling__isnull=True),
                name="cost_ceiling_region_or_regeling",
            ),
            models.CheckConstraint(
                condition=models.Q(warn_above_cents__isnull=True)
                | models.Q(refuse_above_cents__isnull=True)
                | models.Q(warn_above_cents__lt=models.F("refuse_above_cents")),
                name="cost_ceiling_warn_below_refuse",
            ),
            models.UniqueConstraint(
                fields=["regeling", "category"],
                condition=models.Q(regeling__isnull=False),
                name="cost_ceiling_once_per_regeling",
            ),
            models.UniqueConstraint(
                fields=["region", "category"],
                condition=models.Q(region__isnull=False),
                name="cost_ceiling_once_per_region",
            ),
            models.UniqueConstraint(
                fields=["category"],
                condition=models.Q(region__isnull=True, regeling__isnull=True),
                name="cost_ceiling_once_national",
            ),
        ]

    def __str__(self):
        where = self.regeling or self.region or _("national")
        return f"{self.get_category_display()} ({where})"

    def clean(self):
        if self.region_id and self.regeling_id:
            raise ValidationError(_("Choose a region or a regeling, not both."))
        if (
            self.warn_above_cents is not None
            and self.refuse_above_cents is not None
            and self.warn_above_cents >= self.refuse_above_cents
        ):
            raise ValidationError(
                {"warn_above_cents": _("The warning amount must be lower than the maximum.")}
            )
