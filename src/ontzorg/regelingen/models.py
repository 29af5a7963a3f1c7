"""Regions (samenwerkingsverbanden), their municipalities and the regeling that configures them."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ontzorg.core.access import ScopedQuerySet, ScopePath

from .constants import (
    AllowanceFrequency,
    CostCategory,
    Inclusion,
    Mode,
    PlanStart,
    SelectionMethod,
    Weekday,
)


class Region(models.Model):
    """A samenwerkingsverband: a lead municipality and the municipalities working with it."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    slug = models.SlugField(_("code"), max_length=60, unique=True)

    scope_path = ScopePath(region="pk")

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("regio")
    )
    name = models.CharField(_("naam"), max_length=120, unique=True)
    is_lead = models.BooleanField(_("centrumgemeente"), default=False)

    scope_path = ScopePath(region="region")

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Instrument(models.Model):
    """A self-reliance instrument (ZRM Financiën, the pilots' 3-level scale, a checklist)."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        verbose_name = _("meetinstrument")
        verbose_name_plural = _("meetinstrumenten")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def exit_level(self):
        return self.levels.filter(is_exit=True).order_by("rank").first()


class InstrumentLevel(models.Model):
    """An ordered level; `category` maps it onto the evaluators' common 3-level scale."""

    class Category(models.IntegerChoices):
        NOT_SELF_RELIANT = 1, _("niet financieel zelfredzaam")
        PARTLY_SELF_RELIANT = 2, _("beperkt financieel zelfredzaam")
        SELF_RELIANT = 3, _("financieel zelfredzaam")

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="levels", verbose_name=_("instrument")
    )
    rank = models.PositiveSmallIntegerField(_("volgorde"))
    label = models.CharField(_("label"), max_length=120)
    category = models.PositiveSmallIntegerField(_("categorie"), choices=Category.choices)
    is_exit = models.BooleanField(
        _("voldoende om te stoppen"),
        default=False,
        help_text=_("Vanaf dit niveau komt het einde van het ontzorgen in beeld."),
    )

    class Meta:
        verbose_name = _("niveau")
        verbose_name_plural = _("niveaus")
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
        Region, on_delete=models.PROTECT, related_name="regelingen", verbose_name=_("regio")
    )
    name = models.CharField(_("naam"), max_length=160)
    valid_from = models.DateField(_("geldig vanaf"))
    mode = models.CharField(_("vorm"), max_length=20, choices=Mode.choices, default=Mode.STANDARD)

    min_duration_months = models.PositiveSmallIntegerField(
        _("minimale duur (maanden)"), default=6, validators=[MinValueValidator(6)]
    )
    extension_allowed = models.BooleanField(_("verlenging mogelijk"), default=True)
    max_extension_months = models.PositiveSmallIntegerField(
        _("maximale verlenging (maanden)"), default=6
    )
    plan_start = models.CharField(
        _("start van het plan"),
        max_length=20,
        choices=PlanStart.choices,
        default=PlanStart.BIJSTAND_START,
    )
    continues_on_wages = models.BooleanField(
        _("gaat door op inkomen uit werk"),
        default=False,
        help_text=_("Budgetbeheer loopt door als de bijstand stopt door werk."),
    )
    allowance_frequency = models.CharField(
        _("leefgeld"),
        max_length=10,
        choices=AllowanceFrequency.choices,
        default=AllowanceFrequency.MONTHLY,
    )
    allowance_weekday = models.PositiveSmallIntegerField(
        _("weekgelddag"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    benefit_payment_day = models.PositiveSmallIntegerField(
        _("betaaldag uitkering"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    counts_toeslagen = models.BooleanField(
        _("toeslagen tellen mee in de basis"),
        default=False,
        help_text=_(
            "Bij een te lage uitkering (kostendelers-, jongerennorm) de toeslagen meetellen."
        ),
    )
    first_month_rent_gift = models.BooleanField(
        _("eerste maand huur als gift (bijzondere bijstand)"),
        default=False,
        help_text=_(
            "Indien nodig: de klantmanager kiest bij het aanmaken van het plan per deelnemer "
            "of de eerste huur als gift wordt betaald."
        ),
    )
    prepay_last_month = models.BooleanField(
        _("vaste lasten één maand vooruitbetalen aan het eind"), default=False
    )
    prepay_from_bridging = models.BooleanField(
        _("vooruitbetaling uit de overbruggingsvergoeding"),
        default=False,
        help_text=_(
            "De gemeente betaalt de vooruitbetaalde maand uit bijzondere bijstand "
            "(overbruggingsvergoeding), niet uit de laatste uitkering van de deelnemer."
        ),
    )
    ends_all_at_once = models.BooleanField(
        _("ontzorgen stopt in één keer"),
        default=False,
        help_text=_(
            "Uit: afbouw per vaste last. De deelnemer neemt de vaste lasten één voor één over, "
            "in de volgorde die hij of zij kiest; het plan eindigt pas als er nog één over is. "
            "Aan: bij het einde stoppen alle vaste lasten tegelijk."
        ),
    )
    has_savings_pots = models.BooleanField(_("spaarpotjes"), default=False)
    low_allowance_share = models.DecimalField(
        _("waarschuwing bij leefgeld onder (deel van de norm)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.25"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_(
            "0,25: het plan en de betaalrun waarschuwen als een deelnemer minder dan een kwart "
            "van de bijstandsnorm overhoudt om van te leven. 0: nooit waarschuwen."
        ),
    )
    nazorg_months = models.PositiveSmallIntegerField(_("nazorg (maanden)"), default=6)

    # Eligibility and selection.
    exclude_seniors = models.BooleanField(_("ouderen (AOW-leeftijd) uitgesloten"), default=False)
    senior_age = models.PositiveSmallIntegerField(_("AOW-leeftijd"), default=67)
    exclude_fulltime_students = models.BooleanField(
        _("voltijdstudenten uitgesloten"), default=False
    )
    exclude_illiterate = models.BooleanField(_("analfabeten uitgesloten"), default=False)
    newcomers_since = models.DateField(
        _("nieuwkomers gevestigd vanaf"),
        null=True,
        blank=True,
        help_text=_("Wie eerder in de gemeente kwam, telt als oude instromer."),
    )
    include_old_arrivals = models.BooleanField(
        _("oude instromers toelaten"),
        default=False,
        help_text=_("Bijvoorbeeld als er te weinig nieuwe instromers zijn."),
    )
    both_partners = models.BooleanField(_("beide partners doen mee"), default=True)
    selection_method = models.CharField(
        _("selectie"), max_length=10, choices=SelectionMethod.choices, default=SelectionMethod.ALL
    )
    target_participants = models.PositiveSmallIntegerField(_("beoogd aantal deelnemers"), default=0)

    instruments = models.ManyToManyField(
        Instrument, related_name="regelingen", verbose_name=_("meetinstrumenten"), blank=True
    )
    endmeasurement_months_before_end = models.PositiveSmallIntegerField(
        _("eindmeting (maanden voor het einde)"), default=0
    )
    followup_months_after_end = models.PositiveSmallIntegerField(
        _("vervolgmeting (maanden na het einde)"), default=0
    )
    notes = models.TextField(_("toelichting"), blank=True)

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
            errors["allowance_frequency"] = _("Weekgeld kan alleen bij volledig budgetbeheer.")
        if self.continues_on_wages and self.mode != Mode.BUDGETBEHEER:
            errors["continues_on_wages"] = _(
                "Doorgaan op inkomen uit werk kan alleen bij volledig budgetbeheer."
            )
        if self.prepay_from_bridging and not self.prepay_last_month:
            errors["prepay_from_bridging"] = _(
                "Een overbruggingsvergoeding voor de laatste maand kan alleen als de vaste "
                "lasten aan het eind een maand vooruit worden betaald."
            )
        if not self.extension_allowed and self.max_extension_months:
            self.max_extension_months = 0
        if self.selection_method == SelectionMethod.RANDOM and not self.target_participants:
            errors["target_participants"] = _("Geef bij loting aan hoeveel deelnemers u zoekt.")
        if errors:
            raise ValidationError(errors)

    def categories(self, inclusion: str | None = None) -> list[str]:
        items = self.package_items.all()
        return [i.category for i in items if inclusion is None or i.inclusion == inclusion]


class PackageItem(models.Model):
    regeling = models.ForeignKey(
        Regeling, on_delete=models.CASCADE, related_name="package_items", verbose_name=_("regeling")
    )
    category = models.CharField(_("kostensoort"), max_length=20, choices=CostCategory.choices)
    inclusion = models.CharField(
        _("opname"), max_length=10, choices=Inclusion.choices, default=Inclusion.STANDARD
    )

    class Meta:
        verbose_name = _("pakketonderdeel")
        verbose_name_plural = _("pakket")
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
    name = models.CharField(_("naam"), max_length=120)
    sessions = models.PositiveSmallIntegerField(_("aantal bijeenkomsten"), default=1)
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainingen")
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
        verbose_name=_("regio"),
    )
    regeling = models.ForeignKey(
        Regeling,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cost_ceilings",
        verbose_name=_("regeling"),
    )
    category = models.CharField(_("kostensoort"), max_length=20, choices=CostCategory.choices)
    warn_above_cents = models.PositiveIntegerField(
        _("waarschuwen boven (cent per maand)"),
        null=True,
        blank=True,
        help_text=_("In centen: 150000 is € 1.500,00. Leeg: geen waarschuwing."),
    )
    refuse_above_cents = models.PositiveIntegerField(
        _("weigeren boven (cent per maand)"),
        null=True,
        blank=True,
        help_text=_("In centen: 300000 is € 3.000,00. Leeg: geen maximum."),
    )

    class Meta:
        verbose_name = _("maximumbedrag per kostensoort")
        verbose_name_plural = _("maximumbedragen per kostensoort")
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
        where = self.regeling or self.region or _("landelijk")
        return f"{self.get_category_display()} ({where})"

    def clean(self):
        if self.region_id and self.regeling_id:
            raise ValidationError(_("Kies een regio of een regeling, niet allebei."))
        if (
            self.warn_above_cents is not None
            and self.refuse_above_cents is not None
            and self.warn_above_cents >= self.refuse_above_cents
        ):
            raise ValidationError(
                {"warn_above_cents": _("Het waarschuwingsbedrag moet lager zijn dan het maximum.")}
            )
