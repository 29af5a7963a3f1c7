"""Imported bank statements and their entries.

Idempotency is a database fact: a statement is unique per account and statement id, an entry
per account and entry key (the bank's AcctSvcrRef, or a hash of the entry when the bank gives
none) and transaction number within a batch. Importing a file twice, or statements that
overlap (a camt.054 notification and the camt.053 statement of the same day, two statements
covering the same days), therefore stores every booking once. A statement id that comes back
with other content is refused (``BankStatement.content_sha256``); an entry whose bank
reference comes back with other data is stored beside the first, flagged (``repeats``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ontzorg.core.access import ScopedQuerySet, ScopePath
from ontzorg.payments.querysets import PAYMENT_RIGHTS

from .constants import (
    RETURN_REASONS,
    ImportStatus,
    MatchRule,
    MatchStatus,
    ReconciliationKind,
    ReturnStatus,
)


class StatementImport(models.Model):
    """One uploaded file and what became of it: a job with a state and a report."""

    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    # Not unique: uploading the same file again is allowed and simply books nothing new.
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField(_("grootte (bytes)"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.RECEIVED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geüpload door"),
    )
    received_at = models.DateTimeField(_("ontvangen op"), auto_now_add=True)
    finished_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    statements_read = models.PositiveIntegerField(_("afschriften gelezen"), default=0)
    entries_read = models.PositiveIntegerField(_("posten gelezen"), default=0)
    entries_new = models.PositiveIntegerField(_("posten nieuw"), default=0)
    duplicates_skipped = models.PositiveIntegerField(_("dubbele posten overgeslagen"), default=0)
    not_booked_skipped = models.PositiveIntegerField(
        _("niet-geboekte posten overgeslagen"),
        default=0,
        help_text=_("Posten met status PDNG of INFO; ze komen later terug als geboekte post."),
    )
    matched = models.PositiveIntegerField(_("gekoppeld"), default=0)
    unmatched = models.PositiveIntegerField(_("niet gekoppeld"), default=0)
    conflicts = models.PositiveIntegerField(
        _("posten met herhaalde bankreferentie"),
        default=0,
        help_text=_(
            "Posten met een bankreferentie die al met andere gegevens is opgeslagen; ze staan "
            "gemarkeerd in de werkvoorraad."
        ),
    )
    errors = models.PositiveIntegerField(_("fouten"), default=0)
    error_message = models.TextField(_("foutmelding"), blank=True)
    warning_message = models.TextField(
        _("waarschuwing"),
        blank=True,
        help_text=_("Bijvoorbeeld: een afschrift zonder begin- en eindsaldo (niet gecontroleerd)."),
    )
    # The storing pass walks the booked entries of the file in order; ``cursor`` is how many
    # are done (stored or skipped), so an interrupted import resumes after the last chunk.
    cursor = models.PositiveIntegerField(_("posten verwerkt"), default=0)
    heartbeat_at = models.DateTimeField(_("laatste teken van leven"), null=True, blank=True)
    # Who is working on the import now: a token per run, so that a run that lost the job
    # (it was resumed elsewhere) stops at its next chunk.
    run_token = models.CharField(max_length=32, blank=True, editable=False)
    region = models.ForeignKey(
        "regelingen.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regio"),
        help_text=_("Bij een upload: de regio wiens rekening het afschrift betreft."),
    )
    stored_file = models.CharField(_("opgeslagen bestand"), max_length=200, blank=True)

    # An import without a region (from the command line) is seen by all-region roles only.
    scope_path = ScopePath(region="region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("import bankafschrift")
        verbose_name_plural = _("imports bankafschriften")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def entries_to_store(self) -> int:
        """The booked entries of the file: what the storing pass walks."""
        return self.entries_read - self.not_booked_skipped

    @property
    def progress_percent(self) -> int:
        total = self.entries_to_store
        return 100 if total <= 0 else min(100, self.cursor * 100 // total)


class BankStatement(models.Model):
    """One camt.053 statement or camt.054 notification, stored the first time it is imported."""

    account_iban = models.CharField(_("rekening (IBAN)"), max_length=34)
    account_other_id = models.CharField(
        _("ander rekeningkenmerk"),
        max_length=35,
        blank=True,
        help_text=_("Hoe de bank de rekening noemde als het afschrift geen IBAN gaf."),
    )
    statement_id = models.CharField(_("afschrift-id"), max_length=35)
    electronic_sequence = models.PositiveBigIntegerField(
        _("elektronisch volgnummer"), null=True, blank=True
    )
    version = models.CharField(_("berichtversie"), max_length=20)
    message_id = models.CharField(_("bericht-id"), max_length=35, blank=True)
    currency = models.CharField(_("valuta"), max_length=3)
    opening_balance_cents = models.BigIntegerField(_("beginsaldo (cent)"), null=True, blank=True)
    opening_on = models.DateField(_("datum beginsaldo"), null=True, blank=True)
    closing_balance_cents = models.BigIntegerField(_("eindsaldo (cent)"), null=True, blank=True)
    closing_on = models.DateField(_("datum eindsaldo"), null=True, blank=True)
    balances_checked = models.BooleanField(
        _("saldi gecontroleerd"),
        default=True,
        help_text=_("Nee als het afschrift geen begin- en eindsaldo had om te controleren."),
    )
    content_sha256 = models.CharField(
        _("inhoud (SHA-256)"),
        max_length=64,
        blank=True,
        help_text=_(
            "Vingerafdruk van wat het afschrift meldt; hetzelfde afschrift-id met een andere "
            "inhoud wordt geweigerd."
        ),
    )
    first_import = models.ForeignKey(
        StatementImport,
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("eerste import"),
    )
    region = models.ForeignKey(
        "regelingen.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regio"),
        help_text=_("De regio wiens betaalrekening dit is, zoals bekend bij het inlezen."),
    )

    class Meta:
        verbose_name = _("bankafschrift")
        verbose_name_plural = _("bankafschriften")
        constraints = [
            models.UniqueConstraint(
                fields=["account_iban", "statement_id"], name="banking_statement_unique"
            ),
        ]

    def __str__(self):
        return f"{self.account_iban} {self.statement_id}"


class BankEntry(models.Model):
    """One booked line of a statement (one transaction of a batch entry)."""

    statement = models.ForeignKey(
        BankStatement, on_delete=models.PROTECT, related_name="entries", verbose_name=_("afschrift")
    )
    statement_import = models.ForeignKey(
        StatementImport, on_delete=models.PROTECT, related_name="entries", verbose_name=_("import")
    )
    account_iban = models.CharField(_("rekening (IBAN)"), max_length=34)
    entry_key = models.CharField(
        _("postsleutel"),
        max_length=80,
        help_text=_("AcctSvcrRef van de bank, of een hash van de post als de bank die niet geeft."),
    )
    detail_sequence = models.PositiveIntegerField(_("transactie in verzamelpost"), default=1)
    amount_cents = models.BigIntegerField(_("bedrag (cent)"), help_text=_("bij af: negatief"))
    currency = models.CharField(_("valuta"), max_length=3)
    booked_on = models.DateField(_("boekdatum"), null=True, blank=True)
    value_on = models.DateField(_("valutadatum"), null=True, blank=True)
    reversal = models.BooleanField(_("storno"), default=False)
    entry_ref = models.CharField(_("NtryRef"), max_length=35, blank=True)
    end_to_end_id = models.CharField(_("EndToEndId"), max_length=35, blank=True, db_index=True)
    account_servicer_ref = models.CharField(_("AcctSvcrRef"), max_length=35, blank=True)
    bank_transaction_code = models.CharField(_("transactiecode"), max_length=35, blank=True)
    counterparty_name = models.CharField(_("tegenpartij"), max_length=140, blank=True)
    counterparty_iban = models.CharField(_("IBAN tegenpartij"), max_length=34, blank=True)
    remittance = models.TextField(_("omschrijving"), blank=True)
    creditor_reference = models.CharField(_("betalingskenmerk"), max_length=35, blank=True)
    return_reason = models.CharField(_("reden terugboeking"), max_length=35, blank=True)
    match_status = models.CharField(
        _("koppeling"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.UNMATCHED
    )
    repeats = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeated_by",
        verbose_name=_("zelfde bankreferentie als"),
        help_text=_(
            "De eerder opgeslagen post met dezelfde bankreferentie maar andere gegevens: deze "
            "post is niet automatisch gekoppeld en wacht op een besluit."
        ),
    )

    # An entry belongs to the region whose paying account it was booked on; an entry on an
    # account of no region is seen by all-region roles only.
    scope_path = ScopePath(region="statement__region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bankpost")
        verbose_name_plural = _("bankposten")
        ordering = ["statement_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account_iban", "entry_key", "detail_sequence"],
                name="banking_entry_unique",
            ),
            models.CheckConstraint(condition=~Q(entry_key=""), name="banking_entry_key_not_empty"),
        ]

    def __str__(self):
        return f"{self.account_iban} {self.entry_key} {self.amount_cents}"


class AccountAlias(models.Model):
    """Another identification of a region's paying account, for banks whose statements name
    the account without its IBAN (``Acct/Id/Othr/Id``, for example the account number)."""

    region = models.ForeignKey(
        "regelingen.Region",
        on_delete=models.PROTECT,
        related_name="account_aliases",
        verbose_name=_("regio"),
    )
    identifier = models.CharField(
        _("kenmerk"),
        max_length=35,
        unique=True,
        help_text=_("Precies zoals de bank het in het afschrift zet (Acct/Id/Othr/Id)."),
    )
    note = models.CharField(_("toelichting"), max_length=140, blank=True)

    scope_path = ScopePath(region="region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ander kenmerk van de betaalrekening")
        verbose_name_plural = _("andere kenmerken van de betaalrekening")
        ordering = ["region", "identifier"]

    def __str__(self):
        return f"{self.identifier} ({self.region})"


class Reconciliation(models.Model):
    """What one bank entry was matched to: a payment it confirms, a participant's income,
    a payment the bank returned, or nothing (bank costs). Made by a rule or by hand."""

    entry = models.OneToOneField(
        BankEntry,
        on_delete=models.PROTECT,
        related_name="reconciliation",
        verbose_name=_("bankpost"),
    )
    kind = models.CharField(_("soort"), max_length=12, choices=ReconciliationKind.choices)
    rule = models.CharField(_("regel"), max_length=12, choices=MatchRule.choices)
    instruction = models.ForeignKey(
        "payments.PaymentInstruction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reconciliations",
        verbose_name=_("betaalopdracht"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_reconciliations",
        verbose_name=_("deelnemer"),
    )
    income = models.ForeignKey(
        "plans.Income",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verwacht inkomen"),
    )
    returned_payment = models.ForeignKey(
        "banking.ReturnedPayment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reconciliations",
        verbose_name=_("teruggeboekte betaling"),
    )
    transaction = models.ForeignKey(
        "ledger.Transaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("boeking"),
        help_text=_("De boeking in het grootboek die deze bankpost bevestigt of herstelt."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handmatig gekoppeld door"),
    )
    decided_at = models.DateTimeField(_("gekoppeld op"), auto_now_add=True)
    note = models.CharField(_("toelichting"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("koppeling bankpost")
        verbose_name_plural = _("koppelingen bankposten")
        constraints = [
            # The bank executes a payment once: a second debit with the same EndToEndId is
            # never taken as its confirmation.
            models.UniqueConstraint(
                fields=["instruction"],
                condition=Q(kind="payment"),
                name="banking_reconciliation_payment_once",
            ),
            models.UniqueConstraint(
                fields=["returned_payment"],
                condition=Q(kind="repayment"),
                name="banking_reconciliation_repayment_once",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["payment", "return"], instruction__isnull=False)
                    | Q(kind="income", participant__isnull=False)
                    | Q(kind="repayment", returned_payment__isnull=False)
                    | Q(kind="ignored", instruction__isnull=True, participant__isnull=True)
                ),
                name="banking_reconciliation_kind_fields",
            ),
        ]

    def __str__(self):
        return f"{self.entry} → {self.get_kind_display()}"


class ReturnedPayment(models.Model):
    """A payment the bank returned (R-transaction): reversed in the ledger, open until it is
    paid again, once, to the corrected account."""

    instruction = models.OneToOneField(
        "payments.PaymentInstruction",
        on_delete=models.PROTECT,
        related_name="returned",
        verbose_name=_("betaalopdracht"),
    )
    entry = models.OneToOneField(
        BankEntry,
        on_delete=models.PROTECT,
        related_name="returned_payment",
        verbose_name=_("bankpost terugboeking"),
    )
    reason_code = models.CharField(_("redencode"), max_length=35, blank=True)
    amount_cents = models.BigIntegerField(_("bedrag (cent)"))
    status = models.CharField(
        _("status"), max_length=8, choices=ReturnStatus.choices, default=ReturnStatus.OPEN
    )
    reversal = models.ForeignKey(
        "ledger.Transaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tegenboeking"),
    )
    opened_at = models.DateTimeField(_("ontvangen op"), auto_now_add=True)
    repay_end_to_end_id = models.CharField(
        _("EndToEndId herbetaling"), max_length=35, null=True, blank=True, unique=True
    )
    repay_name = models.CharField(_("begunstigde herbetaling"), max_length=140, blank=True)
    repay_iban = models.CharField(_("IBAN herbetaling"), max_length=34, blank=True)
    repay_file = models.CharField(_("betaalbestand herbetaling"), max_length=200, blank=True)
    repay_transaction = models.ForeignKey(
        "ledger.Transaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("boeking herbetaling"),
    )
    repaid_at = models.DateTimeField(_("opnieuw betaald op"), null=True, blank=True)
    repaid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opnieuw betaald door"),
    )

    scope_path = ScopePath(region="instruction__run__region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("teruggeboekte betaling")
        verbose_name_plural = _("teruggeboekte betalingen")
        ordering = ["-opened_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", repay_end_to_end_id__isnull=True)
                | Q(status="repaid", repay_end_to_end_id__isnull=False),
                name="banking_return_repaid_has_id",
            ),
        ]

    def __str__(self):
        return f"{self.instruction.end_to_end_id} {self.reason_code}"

    @property
    def reason_label(self) -> str:
        return RETURN_REASONS.get(self.reason_code, self.reason_code or "onbekend")
