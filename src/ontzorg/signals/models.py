"""Creditor API clients, signals (vroegsignalering) and the history of their follow-up."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ontzorg.accounts.models import Organisation
from ontzorg.core.access import ScopedQuerySet, ScopePath
from ontzorg.core.money import euro
from ontzorg.participants.models import Participant
from ontzorg.regelingen.models import Region

from .constants import OPEN_STATUSES, CreditorKind, ImportStatus, SignalKind, Source, Status
from .querysets import QUEUE_RIGHTS, SignalQuerySet


class ApiClient(models.Model):
    """A creditor organisation that reports signals through the API with its own token.

    Only the SHA-256 of the token is stored; `token_prefix` (the token's first characters,
    not secret) finds the client so the hashes can be compared in constant time."""

    name = models.CharField(_("naam"), max_length=160, unique=True)
    creditor_kind = models.CharField(
        _("soort schuldeiser"), max_length=20, choices=CreditorKind.choices
    )
    regions = models.ManyToManyField(
        Region,
        related_name="api_clients",
        verbose_name=_("regio's"),
        help_text=_("Alleen deelnemers in deze regio's worden aan zijn signalen gekoppeld."),
    )
    token_prefix = models.CharField(_("tokenbegin"), max_length=12, unique=True, editable=False)
    token_hash = models.CharField(_("tokenhash"), max_length=64, editable=False)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-koppeling schuldeiser")
        verbose_name_plural = _("API-koppelingen schuldeisers")
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
        verbose_name = _("aantal API-verzoeken")
        verbose_name_plural = _("aantallen API-verzoeken")

    def __str__(self):
        return f"{self.client_id}: {self.count} sinds {self.window_start:%H:%M}"


class Signal(models.Model):
    """A report of payment trouble about one person, from a creditor or from Ontzorg itself.

    A signal nobody can match to a participant stays, unmatched, in the queue."""

    source = models.CharField(_("bron"), max_length=10, choices=Source.choices)
    client = models.ForeignKey(
        ApiClient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("API-koppeling"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geüpload door"),
    )
    creditor_name = models.CharField(_("schuldeiser"), max_length=160, blank=True)
    creditor_kind = models.CharField(
        _("soort schuldeiser"), max_length=20, choices=CreditorKind.choices, blank=True
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("regio")
    )
    kind = models.CharField(_("soort"), max_length=24, choices=SignalKind.choices)
    amount_cents = models.PositiveBigIntegerField(_("bedrag (cent)"), null=True, blank=True)
    months_in_arrears = models.PositiveSmallIntegerField(
        _("maanden achterstand"), null=True, blank=True
    )
    reported_on = models.DateField(_("gemeld op"))
    reference = models.CharField(_("referentie schuldeiser"), max_length=80, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)

    # The person as the creditor reported them; kept as reported, also after matching.
    bsn = models.CharField(_("BSN (gemeld)"), max_length=9, blank=True)
    postcode = models.CharField(_("postcode (gemeld)"), max_length=7, blank=True)
    house_number = models.CharField(_("huisnummer (gemeld)"), max_length=12, blank=True)
    date_of_birth = models.DateField(_("geboortedatum (gemeld)"), null=True, blank=True)
    name = models.CharField(_("naam (gemeld)"), max_length=160, blank=True)

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("deelnemer"),
    )
    matched_at = models.DateTimeField(_("gekoppeld op"), null=True, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handmatig gekoppeld door"),
    )
    after_end = models.BooleanField(
        _("na afloop van het ontzorgen"),
        default=False,
        help_text=_("De deelnemer was bij ontvangst in nazorg of afgesloten."),
    )

    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    due_on = models.DateField(_("volgende stap uiterlijk"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_signals",
        verbose_name=_("toegewezen aan"),
    )
    assigned_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("begeleidende organisatie"),
    )
    received_at = models.DateTimeField(_("ontvangen"), default=timezone.now)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    # A matched signal is seen by whoever sees its participant (also after the participant
    # moves to another region); an unmatched one, by the queue roles of the signal's region
    # (``SignalQuerySet.scoped``).
    scope_path = ScopePath.via_participant("participant")
    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
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
        Signal, on_delete=models.CASCADE, related_name="history", verbose_name=_("signaal")
    )
    from_status = models.CharField(_("van"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=12, choices=Status.choices)
    note = models.TextField(_("notitie"), blank=True)
    due_on = models.DateField(_("volgende stap uiterlijk"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    changed_at = models.DateTimeField(_("op"), default=timezone.now)

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class SignalImport(models.Model):
    """One uploaded CSV of signals and how far reading it in got: a job with progress.

    The file is checked whole when it is uploaded; its signals are then stored in the
    background in short chunks. ``cursor`` is how many of its (distinct) reports are done, so
    an interrupted job resumes after the last stored chunk."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geüpload door"),
    )
    creditor_name = models.CharField(_("schuldeiser"), max_length=160)
    creditor_kind = models.CharField(
        _("soort schuldeiser"), max_length=20, choices=CreditorKind.choices
    )
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    stored_file = models.CharField(_("opgeslagen bestand"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.RECEIVED
    )
    rows_total = models.PositiveIntegerField(_("signalen in het bestand"), default=0)
    cursor = models.PositiveIntegerField(_("signalen verwerkt"), default=0)
    created_count = models.PositiveIntegerField(_("signalen ingelezen"), default=0)
    matched = models.PositiveIntegerField(_("gekoppeld aan een deelnemer"), default=0)
    duplicates = models.PositiveIntegerField(_("al eerder ontvangen"), default=0)
    error_message = models.TextField(_("foutmelding"), blank=True)
    received_at = models.DateTimeField(_("ontvangen op"), auto_now_add=True)
    finished_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("laatste teken van leven"), null=True, blank=True)
    run_token = models.CharField(max_length=32, blank=True, editable=False)

    scope_path = ScopePath(region="region", rights=QUEUE_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ingelezen signalenbestand")
        verbose_name_plural = _("ingelezen signalenbestanden")
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
