"""The monthly overview as generated: one row per participant and month, its figures plain
JSON data (``overview.MonthOverview.as_data``), replaced when the month is generated again."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ontzorg.core.access import ScopedQuerySet, ScopePath

from .overview import MonthOverview


class MonthlyOverview(models.Model):
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="monthly_overviews",
        verbose_name=_("participant"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    run = models.ForeignKey(
        "payments.PaymentRun",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payment run"),
    )
    figures = models.JSONField(_("figures"), encoder=DjangoJSONEncoder)
    generated_at = models.DateTimeField(_("generated at"))

    scope_path = ScopePath.via_participant("participant")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly overview")
        verbose_name_plural = _("monthly overviews")
        ordering = ["participant", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "month"], name="monthly_overview_once_per_month"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="monthly_overview_month_first_day"
            ),
        ]

    def __str__(self):
        return f"{self.participant} {self.month:%m-%Y}"

    @property
    def overview(self) -> MonthOverview:
        return MonthOverview.from_data(self.figures)


class PdfBatch(models.Model):
    """The PDFs of a whole region's monthly overviews in one zip, made by a task
    (``batch.make_batch_task``), with its progress; the zip is a stored file that privacy
    retention erases ``ONTZORG_RETENTION_FILE_DAYS`` after it was made."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES = [
        (QUEUED, _("queued")),
        (RUNNING, _("running")),
        (DONE, _("done")),
        (FAILED, _("failed")),
    ]

    region = models.ForeignKey(
        "regelingen.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, default=QUEUED)
    total = models.PositiveIntegerField(_("participants"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    stored_file = models.CharField(_("file"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    scope_path = ScopePath(region="region", rights=("edits_participants", "prepares_payments"))
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("PDF batch")
        verbose_name_plural = _("PDF batches")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="pdf_batch_month_first_day"),
        ]

    def __str__(self):
        return f"{self.region} {self.month:%m-%Y}"

    @property
    def progress_percent(self) -> int:
        if not self.total:
            return 100 if self.status == self.DONE else 0
        return min(100, round(100 * self.done / self.total))
