"""Ledger queries: balances and the checks that debits equal credits."""

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.db import models
from django.db.models import Q, Sum

from ontzorg.core.appendonly import AppendOnlyQuerySet


@dataclass(frozen=True)
class BalanceCheck:
    """Debits and credits of a set of transactions; `unbalanced` lists any transaction that
    does not add up to zero on its own (there should never be one)."""

    debit_cents: int
    credit_cents: int
    transactions: int
    unbalanced: tuple[int, ...]

    @property
    def balanced(self) -> bool:
        return self.debit_cents == self.credit_cents and not self.unbalanced


class AccountQuerySet(models.QuerySet):
    def of_participant(self, participant):
        return self.filter(participant_id=getattr(participant, "pk", participant))

    def of_region(self, region):
        return self.filter(region_id=getattr(region, "pk", region))


class TransactionQuerySet(AppendOnlyQuerySet):
    def for_run(self, run):
        return self.filter(run_id=getattr(run, "pk", run))

    def for_period(self, period: date):
        return self.filter(period=period)

    def for_participant(self, participant):
        """Every transaction that touches one of the participant's accounts."""
        pk = getattr(participant, "pk", participant)
        return self.filter(
            pk__in=models.Subquery(
                _entries().filter(account__participant_id=pk).values("transaction_id").distinct()
            )
        )

    def balance_check(self) -> BalanceCheck:
        entries = _entries().filter(transaction__in=self.values("pk"))
        totals = entries.aggregate(
            debit=Sum("amount_cents", filter=Q(amount_cents__gt=0), default=0),
            credit=Sum("amount_cents", filter=Q(amount_cents__lt=0), default=0),
        )
        unbalanced = (
            entries.values("transaction_id")
            .annotate(total=Sum("amount_cents"))
            .exclude(total=0)
            .values_list("transaction_id", flat=True)
        )
        return BalanceCheck(
            debit_cents=totals["debit"],
            credit_cents=-totals["credit"],
            transactions=self.count(),
            unbalanced=tuple(sorted(unbalanced)),
        )


class EntryQuerySet(AppendOnlyQuerySet):
    def balance_cents(self) -> int:
        return self.aggregate(total=Sum("amount_cents", default=0))["total"]

    def balances_by_account(self):
        """(account id, balance in cents) per account, for the accounts these entries touch."""
        return self.values("account_id").annotate(balance_cents=Sum("amount_cents"))


def _entries():
    # models.py imports this module, so look the Entry model up when a query runs.
    return apps.get_model("ledger", "Entry").objects
