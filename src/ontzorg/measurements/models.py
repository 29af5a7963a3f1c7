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
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("skill"), max_length=200)

    class Meta:
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")
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
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("assignment"), max_length=200)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
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
        verbose_name=_("participant"),
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("instrument"),
    )
    moment = models.CharField(_("moment"), max_length=16, choices=Moment.choices)
    measured_on = models.DateField(_("measured on"))
    # A measurement records a level of the instrument, or, for an instrument that counts
    # (agencies approached), a number: exactly one of the two.
    level = models.ForeignKey(
        InstrumentLevel,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("level"),
    )
    count = models.PositiveSmallIntegerField(_("count"), null=True, blank=True)
    perspective = models.CharField(_("assessed by"), max_length=12, choices=Perspective.choices)
    assessed_by = models.ForeignKey(
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
        related_name="+",
        verbose_name=_("organisation"),
    )
    notes = models.TextField(_("explanation"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["participant", "measured_on", "created_at"]
        indexes = [models.Index(fields=["participant", "measured_on"])]
        constraints = [
            models.CheckConstraint(
                name="measurement_level_or_count",
                condition=Q(level__isnull=False, count__isnull=True)
                | Q(level__isnull=True, count__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.get_moment_display()} {self.measured_on:%d-%m-%Y}: {self.value_display}"

    def clean(self):
        if self.level_id and self.instrument_id and self.level.instrument_id != self.instrument_id:
            raise ValidationError(
                {"level": _("This level does not belong to the chosen instrument.")}
            )

    @property
    def category(self) -> int | None:
        return self.level.category if self.level_id else None

    @property
    def value_display(self) -> str:
        """The level ("3. Matig") or the count, as shown in tables and the timeline."""
        return str(self.level) if self.level_id else str(self.count)


class ChecklistAnswer(models.Model):
    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="answers", verbose_name=_("measurement")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("skill")
    )
    can_do = models.BooleanField(_("can do it alone"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["measurement", "item"], name="answer_once_per_item"),
        ]

    def __str__(self):
        answer = _("yes") if self.can_do else _("no")
        return f"{self.item}: {answer}"


class AssignmentScore(models.Model):
    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="scores", verbose_name=_("measurement")
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="+", verbose_name=_("assignment")
    )
    score = models.PositiveSmallIntegerField(_("score"))
    max_score = models.PositiveSmallIntegerField(_("maximum score"))

    class Meta:
        verbose_name = _("assignment score")
        verbose_name_plural = _("assignment scores")
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "assignment"], name="score_once_per_assignment"
            ),
            models.CheckConstraint(condition=Q(score__lte=F("max_score")), name="score_within_max"),
        ]

    def __str__(self):
        return f"{self.assignment}: {self.score}/{self.max_score}"
