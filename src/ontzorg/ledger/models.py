"""Ledger accounts, transactions and entries. Amounts are signed integer cents: a debit is
positive, a credit negative, and the entries of every transaction add up to zero.

Transactions and entries are only ever inserted (``core.appendonly``): the models refuse
updates and deletes, and database triggers (migration 0002) refuse them too, on SQLite and
PostgreSQL. A correction is a new transaction that `reverses` the wrong one."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ontzorg.core.appendonly import AppendOnlyError, AppendOnlyModel

from .constants import PARTICIPANT_KINDS, REGION_KINDS, AccountKind, Source
from .querysets import AccountQuerySet, EntryQuerySet, TransactionQuerySet

__all__ = ["Account", "AppendOnlyError", "Entry", "Transaction"]


class Account(models.Model):
    """One account of one owner: a participant, or the region (the municipality)."""

    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("participant"),
    )
    region = models.ForeignKey(
        "regelingen.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("region"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AccountKind.choices)
    creditor = models.ForeignKey(
        "plans.Creditor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("creditor"),
    )
    pot = models.CharField(_("pot"), max_length=60, blank=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(participant__isnull=False, region__isnull=True, kind__in=PARTICIPANT_KINDS)
                    | Q(participant__isnull=True, region__isnull=False, kind__in=REGION_KINDS)
                ),
                name="ledger_account_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(kind=AccountKind.PAYABLE, creditor__isnull=False)
                | (~Q(kind=AccountKind.PAYABLE) & Q(creditor__isnull=True)),
                name="ledger_account_creditor_iff_payable",
            ),
            models.CheckConstraint(
                condition=Q(kind=AccountKind.SAVINGS) | Q(pot=""),
                name="ledger_account_pot_only_savings",
            ),
            models.UniqueConstraint(
                fields=["participant", "kind", "pot"],
                condition=Q(participant__isnull=False, creditor__isnull=True),
                name="ledger_account_participant_unique",
            ),
            models.UniqueConstraint(
                fields=["participant", "kind", "creditor"],
                condition=Q(participant__isnull=False, creditor__isnull=False),
                name="ledger_account_participant_creditor_unique",
            ),
            models.UniqueConstraint(
                fields=["region", "kind"],
                condition=Q(region__isnull=False),
                name="ledger_account_region_unique",
            ),
        ]

    def __str__(self):
        owner = self.participant if self.participant_id else self.region
        detail = self.creditor if self.creditor_id else self.pot
        label = self.get_kind_display()
        return f"{owner} · {label}" + (f" · {detail}" if detail else "")


class Transaction(AppendOnlyModel):
    """A balanced set of entries, posted once under a unique idempotency `key`."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    booked_on = models.DateField(_("booking date"))
    period = models.DateField(_("period"), help_text=_("The first day of the month."))
    description = models.CharField(_("description"), max_length=255)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    run = models.ForeignKey(
        "payments.PaymentRun",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_transactions",
        verbose_name=_("payment run"),
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )

    objects = TransactionQuerySet.as_manager()

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["posted_at", "pk"]
        indexes = [models.Index(fields=["period"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period__day=1), name="ledger_transaction_period_first_day"
            ),
        ]

    def __str__(self):
        return f"{self.booked_on} {self.description}"


class Entry(AppendOnlyModel):
    transaction = models.ForeignKey(
        Transaction, on_delete=models.PROTECT, related_name="entries", verbose_name=_("transaction")
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="entries", verbose_name=_("account")
    )
    amount_cents = models.BigIntegerField(
        _("amount (cents)"), help_text=_("Debit positive, credit negative.")
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount_cents=0), name="ledger_entry_amount_not_zero"
            ),
        ]

    def __str__(self):
        return f"{self.account}: {self.amount_cents}"
