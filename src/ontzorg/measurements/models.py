"""Self-reliance measurements of participants, with checklist answers and assignment scores.

The instruments and their ordered levels are configuration (regelingen.Instrument); this app
adds what an instrument asks (checklist items, assignments) and what was measured."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ontzorg.accounts.models import Organisation
from ontzorg.core.access import ScopePath
from ontzorg.participants.models import Participant
from ontzorg.regelingen.models import Instrument, InstrumentLevel

from .constants import Moment, Perspective
from .querysets import MeasurementQuerySet


class ChecklistItem(models.Model):
    """One skill of a checklist instrument, e.g. "betaalt een rekening via internetbankieren"."""

    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.CASCADE,
        related_name="checklist_items",
        verbose_name=_("instrument"),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"))
    text = models.CharField(_("vaardigheid"), max_length=200)

    class Meta:
        verbose_name = _("checklistvraag")
        verbose_name_plural = _("checklistvragen")
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "order"], name="checklist_item_order"),
        ]

    def __str__(self):
        return self.text


class Assignment(models.Model):
    """One assignment of an assignment-based test (Edam-Volendam's re-test before the end)."""

    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("instrument"),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"))
    text = models.CharField(_("opdracht"), max_length=200)
    max_score = models.PositiveSmallIntegerField(_("maximale score"), default=10)

    class Meta:
        verbose_name = _("opdracht")
        verbose_name_plural = _("opdrachten")
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "order"], name="assignment_order"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="assignment_max_positive"),
        ]

    def __str__(self):
        return self.text


class Measurement(models.Model):
    scope_path = ScopePath.via_participant("participant")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("deelnemer"),
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("instrument"),
    )
    moment = models.CharField(_("moment"), max_length=16, choices=Moment.choices)
    measured_on = models.DateField(_("gemeten op"))
    level = models.ForeignKey(
        InstrumentLevel, on_delete=models.PROTECT, related_name="+", verbose_name=_("niveau")
    )
    perspective = models.CharField(_("beoordeeld door"), max_length=12, choices=Perspective.choices)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    notes = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("meting")
        verbose_name_plural = _("metingen")
        ordering = ["participant", "measured_on", "created_at"]
        indexes = [models.Index(fields=["participant", "measured_on"])]

    def __str__(self):
        return f"{self.get_moment_display()} {self.measured_on:%d-%m-%Y}: {self.level}"

    def clean(self):
        if self.level_id and self.instrument_id and self.level.instrument_id != self.instrument_id:
            raise ValidationError({"level": _("Dit niveau hoort niet bij het gekozen instrument.")})

    @property
    def category(self) -> int:
        return self.level.category


class ChecklistAnswer(models.Model):
    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="answers", verbose_name=_("meting")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("vaardigheid")
    )
    can_do = models.BooleanField(_("kan het zelf"))

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        constraints = [
            models.UniqueConstraint(fields=["measurement", "item"], name="answer_once_per_item"),
        ]

    def __str__(self):
        return f"{self.item}: {'ja' if self.can_do else 'nee'}"


class AssignmentScore(models.Model):
    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="scores", verbose_name=_("meting")
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="+", verbose_name=_("opdracht")
    )
    score = models.PositiveSmallIntegerField(_("score"))
    max_score = models.PositiveSmallIntegerField(_("maximale score"))

    class Meta:
        verbose_name = _("opdrachtscore")
        verbose_name_plural = _("opdrachtscores")
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "assignment"], name="score_once_per_assignment"
            ),
            models.CheckConstraint(condition=Q(score__lte=F("max_score")), name="score_within_max"),
        ]

    def __str__(self):
        return f"{self.assignment}: {self.score}/{self.max_score}"
