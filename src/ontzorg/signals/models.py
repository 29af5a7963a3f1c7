"""Creditor API clients, signals (vroegsignalering) and the history of their follow-up."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ontzorg.accounts.models import Organisation
from ontzorg.core.access import ScopedQuerySet, ScopePath
from ontzorg.core.money import euro
from ontzorg.participants.models import Participant
from ontzorg.regelingen.models import Region

from .constants import (
    OPEN_STATUSES,
    CreditorKind,
    ImportStatus,
    RouteTarget,
    SignalKind,
    Source,
    Status,
)
from .querysets import QUEUE_RIGHTS, SignalQuerySet


class ApiClient(models.Model):
    """A creditor organisation that reports signals through the API with its own token.

    Only the SHA-256 of the token is stored; `token_prefix` (the token's first characters,
    not secret) finds the client so the hashes can be compared in constant time."""

    name = models.CharField(_("name"), max_length=160, unique=True)
    creditor_kind = models.CharField(
        _("kind of creditor"), max_length=20, choices=CreditorKind.choices
    )
    regions = models.ManyToManyField(
        Region,
        related_name="api_clients",
        verbose_name=_("regions"),
        help_text=_("Only participants in these regions are matched to its signals."),
    )
    token_prefix = models.CharField(_("token prefix"), max_length=12, unique=True, editable=False)
    token_hash = models.CharField(_("token hash"), max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("creditor API client")
        verbose_name_plural = _("creditor API clients")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ApiRequestCount(models.Model):
    """How many requests a client made in the current minute: the per-token rate limit.

    One row per client, counted in the database so that every WSGI worker sees the same
    count (``services.count_request``)."""

    client = models.OneToOneField(
        ApiClient, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("API request count")
        verbose_name_plural = _("API request counts")

    def __str__(self):
        return f"{self.client_id}: {self.count} sinds {self.window_start:%H:%M}"


class SignalRoute(models.Model):
    """Where the signals of one kind of creditor in one region go, when not to the default
    (the case worker and the guidance organisation). Edam-Volendam sends energy arrears to
    the debt counsellor: an organisation of the region whose staff (budget coaches) then see
    and follow up those signals, and only those, of participants they do not otherwise see."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="signal_routes", verbose_name=_("region")
    )
    creditor_kind = models.CharField(
        _("kind of creditor"), max_length=20, choices=CreditorKind.choices
    )
    target = models.CharField(_("goes to"), max_length=30, choices=RouteTarget.choices)
    debt_counsellor = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("debt counsellor"),
        help_text=_("The organisation of the region that does the debt counselling."),
    )

    scope_path = ScopePath(region="region")

    class Meta:
        verbose_name = _("signal route")
        verbose_name_plural = _("signal routes")
        ordering = ["region", "creditor_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "creditor_kind"], name="signal_route_once_per_kind"
            ),
            models.CheckConstraint(
                name="signal_route_debt_counsellor_named",
                condition=(Q(target=RouteTarget.DEBT_COUNSELLOR) & Q(debt_counsellor__isnull=False))
                | (~Q(target=RouteTarget.DEBT_COUNSELLOR) & Q(debt_counsellor__isnull=True)),
            ),
        ]

    def __str__(self):
        return f"{self.region}: {self.get_creditor_kind_display()} → {self.get_target_display()}"

    def clean(self):
        if self.target == RouteTarget.DEBT_COUNSELLOR:
            if self.debt_counsellor_id is None:
                raise ValidationError({"debt_counsellor": _("Choose the debt counsellor.")})
            if self.region_id and self.debt_counsellor.region_id != self.region_id:
                raise ValidationError(
                    {"debt_counsellor": _("The debt counsellor must work in this region.")}
                )
        elif self.debt_counsellor_id is not None:
            raise ValidationError(
                {"debt_counsellor": _("Only a route to the debt counsellor names one.")}
            )


class Signal(models.Model):
    """A report of payment trouble about one person, from a creditor or from Ontzorg itself.

    A signal nobody can match to a participant stays, unmatched, in the queue."""

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    client = models.ForeignKey(
        ApiClient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("API client"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    creditor_name = models.CharField(_("creditor"), max_length=160, blank=True)
    creditor_kind = models.CharField(
        _("kind of creditor"), max_length=20, choices=CreditorKind.choices, blank=True
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=SignalKind.choices)
    amount_cents = models.PositiveBigIntegerField(_("amount (cents)"), null=True, blank=True)
    months_in_arrears = models.PositiveSmallIntegerField(
        _("months in arrears"), null=True, blank=True
    )
    reported_on = models.DateField(_("reported on"))
    reference = models.CharField(_("creditor reference"), max_length=80, blank=True)
    note = models.TextField(_("explanation"), blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)

    # The person as the creditor reported them; kept as reported, also after matching.
    bsn = models.CharField(_("BSN (reported)"), max_length=9, blank=True)
    postcode = models.CharField(_("postcode (reported)"), max_length=7, blank=True)
    house_number = models.CharField(_("house number (reported)"), max_length=12, blank=True)
    date_of_birth = models.DateField(_("date of birth (reported)"), null=True, blank=True)
    name = models.CharField(_("name (reported)"), max_length=160, blank=True)

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("participant"),
    )
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("matched by hand by"),
    )
    after_end = models.BooleanField(
        _("after ontzorgen ended"),
        default=False,
        help_text=_("The participant was in nazorg or closed when it was received."),
    )

    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    due_on = models.DateField(_("next step due on"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_signals",
        verbose_name=_("assigned to"),
    )
    assigned_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("guiding organisation"),
    )
    # Where the signal was routed when it was matched (``SignalRoute``); empty in the queue.
    route = models.CharField(_("routed to"), max_length=30, choices=RouteTarget.choices, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    # A matched signal is seen by whoever sees its participant (also after the participant
    # moves to another region); an unmatched one, by the queue roles of the signal's region
    # (``SignalQuerySet.scoped``).
    scope_path = ScopePath.via_participant("participant")
    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["region", "participant"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="signal_idempotency_key"),
            models.CheckConstraint(
                name="signal_identifies_person",
                condition=Q(participant__isnull=False)
                | ~Q(bsn="")
                | (~Q(postcode="") & ~Q(house_number="") & Q(date_of_birth__isnull=False)),
            ),
            models.CheckConstraint(
                name="signal_reporter_matches_source",
                condition=(Q(source=Source.API) & Q(client__isnull=False))
                | (Q(source=Source.CSV) & Q(uploaded_by__isnull=False))
                | (Q(source=Source.INTERNAL) & Q(participant__isnull=False)),
            ),
            models.CheckConstraint(
                name="signal_open_has_due_date",
                condition=Q(status=Status.CLOSED) | Q(due_on__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.reported_on:%d-%m-%Y}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:
        return (
            self.is_open
            and self.due_on is not None
            and self.due_on < (today or timezone.localdate())
        )

    @property
    def amount_display(self) -> str:
        """'€ 1.234,56', the way Dutch case workers read amounts; empty without an amount."""
        return euro(self.amount_cents, empty="")

    @property
    def reporter(self) -> str:
        if self.source == Source.INTERNAL:
            return "Ontzorg"
        return self.creditor_name or (self.client.name if self.client_id else "")


class StatusChange(models.Model):
    """One step in a signal's follow-up; the first one records its arrival."""

    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="history", verbose_name=_("signal")
    )
    from_status = models.CharField(
        _("from status"), max_length=12, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=12, choices=Status.choices)
    note = models.TextField(_("remark"), blank=True)
    due_on = models.DateField(_("next step due on"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    changed_at = models.DateTimeField(_("on"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class SignalImport(models.Model):
    """One uploaded CSV of signals and how far reading it in got: a job with progress.

    The file is checked whole when it is uploaded; its signals are then stored in the
    background in short chunks. ``cursor`` is how many of its (distinct) reports are done, so
    an interrupted job resumes after the last stored chunk."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    creditor_name = models.CharField(_("creditor"), max_length=160)
    creditor_kind = models.CharField(
        _("kind of creditor"), max_length=20, choices=CreditorKind.choices
    )
    file_name = models.CharField(_("file name"), max_length=255)
    stored_file = models.CharField(_("stored file"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.RECEIVED
    )
    rows_total = models.PositiveIntegerField(_("signals in the file"), default=0)
    cursor = models.PositiveIntegerField(_("signals processed"), default=0)
    created_count = models.PositiveIntegerField(_("signals imported"), default=0)
    matched = models.PositiveIntegerField(_("matched to a participant"), default=0)
    duplicates = models.PositiveIntegerField(_("received before"), default=0)
    error_message = models.TextField(_("error message"), blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    run_token = models.CharField(max_length=32, blank=True, editable=False)

    scope_path = ScopePath(region="region", rights=QUEUE_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("imported signal file")
        verbose_name_plural = _("imported signal files")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int:
        if self.rows_total <= 0:
            return 100
        return min(100, self.cursor * 100 // self.rows_total)

    @property
    def queued(self) -> int:
        return self.created_count - self.matched
