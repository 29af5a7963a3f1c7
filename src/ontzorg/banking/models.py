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

    file_name = models.CharField(_("file name"), max_length=255)
    # Not unique: uploading the same file again is allowed and simply books nothing new.
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.RECEIVED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    statements_read = models.PositiveIntegerField(_("statements read"), default=0)
    entries_read = models.PositiveIntegerField(_("entries read"), default=0)
    entries_new = models.PositiveIntegerField(_("new entries"), default=0)
    duplicates_skipped = models.PositiveIntegerField(_("duplicate entries skipped"), default=0)
    not_booked_skipped = models.PositiveIntegerField(
        _("unbooked entries skipped"),
        default=0,
        help_text=_("Entries with status PDNG or INFO; they come back later as booked entries."),
    )
    matched = models.PositiveIntegerField(_("matched"), default=0)
    unmatched = models.PositiveIntegerField(_("not matched"), default=0)
    conflicts = models.PositiveIntegerField(
        _("entries with a repeated bank reference"),
        default=0,
        help_text=_(
            "Entries with a bank reference that was stored before with other data; "
            "they are flagged in the work queue."
        ),
    )
    errors = models.PositiveIntegerField(_("errors"), default=0)
    error_message = models.TextField(_("error message"), blank=True)
    warning_message = models.TextField(
        _("warning"),
        blank=True,
        help_text=_("For example: a statement without opening and closing balance (not checked)."),
    )
    # The storing pass walks the booked entries of the file in order; ``cursor`` is how many
    # are done (stored or skipped), so an interrupted import resumes after the last chunk.
    cursor = models.PositiveIntegerField(_("entries processed"), default=0)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # Who is working on the import now: a token per run, so that a run that lost the job
    # (it was resumed elsewhere) stops at its next chunk.
    run_token = models.CharField(max_length=32, blank=True, editable=False)
    region = models.ForeignKey(
        "regelingen.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("On upload: the region whose account the statement is about."),
    )
    stored_file = models.CharField(_("stored file"), max_length=200, blank=True)

    # An import without a region (from the command line) is seen by all-region roles only.
    scope_path = ScopePath(region="region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement import")
        verbose_name_plural = _("statement imports")
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

    account_iban = models.CharField(_("account (IBAN)"), max_length=34)
    account_other_id = models.CharField(
        _("other account identification"),
        max_length=35,
        blank=True,
        help_text=_("How the bank named the account when the statement gave no IBAN."),
    )
    statement_id = models.CharField(_("statement id"), max_length=35)
    electronic_sequence = models.PositiveBigIntegerField(
        _("electronic sequence number"), null=True, blank=True
    )
    version = models.CharField(_("message version"), max_length=20)
    message_id = models.CharField(_("message id"), max_length=35, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    opening_balance_cents = models.BigIntegerField(
        _("opening balance (cents)"), null=True, blank=True
    )
    opening_on = models.DateField(_("opening balance date"), null=True, blank=True)
    closing_balance_cents = models.BigIntegerField(
        _("closing balance (cents)"), null=True, blank=True
    )
    closing_on = models.DateField(_("closing balance date"), null=True, blank=True)
    balances_checked = models.BooleanField(
        _("balances checked"),
        default=True,
        help_text=_("No if the statement had no opening and closing balance to check."),
    )
    content_sha256 = models.CharField(
        _("content (SHA-256)"),
        max_length=64,
        blank=True,
        help_text=_(
            "Fingerprint of what the statement says; the same statement id with "
            "other content is refused."
        ),
    )
    first_import = models.ForeignKey(
        StatementImport,
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("first import"),
    )
    region = models.ForeignKey(
        "regelingen.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("The region whose paying account this is, as known at import."),
    )

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
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
        BankStatement, on_delete=models.PROTECT, related_name="entries", verbose_name=_("statement")
    )
    statement_import = models.ForeignKey(
        StatementImport, on_delete=models.PROTECT, related_name="entries", verbose_name=_("import")
    )
    account_iban = models.CharField(_("account (IBAN)"), max_length=34)
    entry_key = models.CharField(
        _("entry key"),
        max_length=80,
        help_text=_("The bank's AcctSvcrRef, or a hash of the entry when the bank gives none."),
    )
    detail_sequence = models.PositiveIntegerField(_("transaction in batch entry"), default=1)
    amount_cents = models.BigIntegerField(_("amount (cents)"), help_text=_("negative for a debit"))
    currency = models.CharField(_("currency"), max_length=3)
    booked_on = models.DateField(_("booking date"), null=True, blank=True)
    value_on = models.DateField(_("value date"), null=True, blank=True)
    reversal = models.BooleanField(_("reversal"), default=False)
    entry_ref = models.CharField(_("NtryRef"), max_length=35, blank=True)
    end_to_end_id = models.CharField(_("EndToEndId"), max_length=35, blank=True, db_index=True)
    account_servicer_ref = models.CharField(_("AcctSvcrRef"), max_length=35, blank=True)
    bank_transaction_code = models.CharField(_("transaction code"), max_length=35, blank=True)
    counterparty_name = models.CharField(_("counterparty"), max_length=140, blank=True)
    counterparty_iban = models.CharField(_("counterparty IBAN"), max_length=34, blank=True)
    remittance = models.TextField(_("remittance information"), blank=True)
    creditor_reference = models.CharField(_("payment reference"), max_length=35, blank=True)
    return_reason = models.CharField(_("return reason"), max_length=35, blank=True)
    match_status = models.CharField(
        _("matching"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.UNMATCHED
    )
    repeats = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeated_by",
        verbose_name=_("same bank reference as"),
        help_text=_(
            "The entry stored before with the same bank reference but other data: "
            "this entry was not matched automatically and waits for a decision."
        ),
    )

    # An entry belongs to the region whose paying account it was booked on; an entry on an
    # account of no region is seen by all-region roles only.
    scope_path = ScopePath(region="statement__region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bank entry")
        verbose_name_plural = _("bank entries")
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
        verbose_name=_("region"),
    )
    identifier = models.CharField(
        _("identification"),
        max_length=35,
        unique=True,
        help_text=_("Exactly as the bank puts it in the statement (Acct/Id/Othr/Id)."),
    )
    note = models.CharField(_("explanation"), max_length=140, blank=True)

    scope_path = ScopePath(region="region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("other identification of the paying account")
        verbose_name_plural = _("other identifications of the paying account")
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
        verbose_name=_("bank entry"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ReconciliationKind.choices)
    rule = models.CharField(_("matching rule"), max_length=12, choices=MatchRule.choices)
    instruction = models.ForeignKey(
        "payments.PaymentInstruction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reconciliations",
        verbose_name=_("payment instruction"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_reconciliations",
        verbose_name=_("participant"),
    )
    income = models.ForeignKey(
        "plans.Income",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("expected income"),
    )
    returned_payment = models.ForeignKey(
        "banking.ReturnedPayment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reconciliations",
        verbose_name=_("returned payment"),
    )
    transaction = models.ForeignKey(
        "ledger.Transaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ledger transaction"),
        help_text=_("The ledger transaction that this bank entry confirms or reverses."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("matched by hand by"),
    )
    decided_at = models.DateTimeField(_("matched at"), auto_now_add=True)
    note = models.CharField(_("explanation"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
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
        verbose_name=_("payment instruction"),
    )
    entry = models.OneToOneField(
        BankEntry,
        on_delete=models.PROTECT,
        related_name="returned_payment",
        verbose_name=_("return bank entry"),
    )
    reason_code = models.CharField(_("reason code"), max_length=35, blank=True)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    status = models.CharField(
        _("status"), max_length=8, choices=ReturnStatus.choices, default=ReturnStatus.OPEN
    )
    reversal = models.ForeignKey(
        "ledger.Transaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reversal transaction"),
    )
    opened_at = models.DateTimeField(_("received at"), auto_now_add=True)
    repay_end_to_end_id = models.CharField(
        _("re-payment EndToEndId"), max_length=35, null=True, blank=True, unique=True
    )
    repay_name = models.CharField(_("re-payment payee"), max_length=140, blank=True)
    repay_iban = models.CharField(_("re-payment IBAN"), max_length=34, blank=True)
    repay_file = models.CharField(_("re-payment file"), max_length=200, blank=True)
    repay_transaction = models.ForeignKey(
        "ledger.Transaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("re-payment transaction"),
    )
    repaid_at = models.DateTimeField(_("paid again at"), null=True, blank=True)
    repaid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paid again by"),
    )

    scope_path = ScopePath(region="instruction__run__region", rights=PAYMENT_RIGHTS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("returned payment")
        verbose_name_plural = _("returned payments")
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
        return RETURN_REASONS.get(self.reason_code, self.reason_code or _("unknown"))
