"""The approver's view of a payment run: every instruction, filtered and paged, and what
changed since the region's previous approved run.

The comparison works per payee of a participant: the participant's payments to one creditor
(regular, paid ahead, bijzondere bijstand) summed, and their leefgeld (all pay days) summed.
Savings stay on the municipality's account and are left out. One SQL statement compares
both runs (read in one pass and grouped per payee; the region's earlier payments are looked
up by IBAN only for a payee whose account is not last month's), so a run of 20,000 payments
costs the same few queries as a run of ten.

Groups (a payee can be in more than one):

- new payee: an IBAN that no approved run of the region paid before;
- changed account: same creditor (or the participant's own leefgeld) as last month, but
  another IBAN or name;
- amount up / down: more than ``ONTZORG_APPROVAL_CHANGE_SHARE`` (0.10 = 10 %) away from
  last month's amount;
- new payment: a known account that this participant did not pay last month;
- gone: paid last month, not in this run.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ontzorg.core.search import words as search_words
from ontzorg.participants.models import Participant

from .constants import PAID_KINDS, RunStatus
from .models import PaymentInstruction, PaymentRun

PAGE_SIZE = 50
# Runs whose payments count as made (or as good as made) when comparing months.
APPROVED_STATUSES = (RunStatus.APPROVED, RunStatus.EXPORTED, RunStatus.BOOKED)


class Group(models.TextChoices):
    """The groups of the change view, in the order the approver reads them."""

    NEW_PAYEE = "nieuwe-rekening", gettext_lazy("New payees")
    CHANGED_ACCOUNT = "andere-rekening", gettext_lazy("Other account or name")
    AMOUNT_UP = "hoger", gettext_lazy("Amount up")
    AMOUNT_DOWN = "lager", gettext_lazy("Amount down")
    NEW_PAYMENT = "nieuwe-betaling", gettext_lazy("New for the participant")
    GONE = "verdwenen", gettext_lazy("No longer paid")


# The column of the comparison that says a payee is in the group.
FLAGS = {
    Group.NEW_PAYEE: "new_payee",
    Group.CHANGED_ACCOUNT: "changed_account",
    Group.AMOUNT_UP: "amount_up",
    Group.AMOUNT_DOWN: "amount_down",
    Group.NEW_PAYMENT: "new_payment",
    Group.GONE: "gone",
}


def change_share() -> Decimal:
    return Decimal(str(settings.ONTZORG_APPROVAL_CHANGE_SHARE))


def describe(group: Group, share: Decimal) -> str:
    percent = f"{share * 100:.0f} %"
    return {
        Group.NEW_PAYEE: _("Accounts (IBAN) this region has never paid before."),
        Group.CHANGED_ACCOUNT: _(
            "The same creditor, or the living allowance of the same participant, "
            "but another IBAN or another name than last month."
        ),
        Group.AMOUNT_UP: _("More than %(percent)s higher than last month.") % {"percent": percent},
        Group.AMOUNT_DOWN: _("More than %(percent)s lower than last month.") % {"percent": percent},
        Group.NEW_PAYMENT: _("A known account, but this participant did not pay it last month."),
        Group.GONE: _("Paid last month, no longer in this run."),
    }[group]


def previous_run(run: PaymentRun) -> PaymentRun | None:
    """The region's latest approved (exported, booked) run of an earlier month."""
    return (
        PaymentRun.objects.filter(
            region_id=run.region_id, period__lt=run.period, status__in=APPROVED_STATUSES
        )
        .order_by("-period")
        .first()
    )


# --- the comparison in SQL --------------------------------------------------------------------


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def _changes_with(run, previous, share, participant_ids=None) -> tuple[str, list]:
    """A WITH clause that ends in `changes`: every payee of `run` and of `previous`, with a
    0/1 column per group. Callers add their own SELECT from `changes`.

    Both runs are read in one pass and grouped once per payee, each side in its own columns,
    so a payee only in this run (new) or only in the last (gone) needs no join. A payee's
    payments in one run carry one snapshot of its account (they are computed together), so
    the lowest IBAN and name stand for all. Whether an IBAN was paid before is looked up
    (index on IBAN) only for a payee whose IBAN is not the one it had last month; the LIMIT
    keeps PostgreSQL from hashing the region's whole history instead, which grows every
    month. Without an earlier approved run every IBAN is new."""
    ids = list(participant_ids or ())
    only = f" AND participant_id IN ({_in(ids)})" if ids else ""
    now, before = run.pk, previous.pk if previous else 0
    sides, params = [], []
    for column, expression, function, side in (
        ("amount_cents", "amount_cents", "SUM", now),
        ("previous_cents", "amount_cents", "SUM", before),
        ("iban", "iban", "MIN", now),
        ("previous_iban", "iban", "MIN", before),
        ("name", "name", "MIN", now),
        ("previous_name", "name", "MIN", before),
    ):
        sides.append(f"{function}(CASE WHEN run_id = %s THEN {expression} END) AS {column}")
        params.append(side)
    instructions, runs = _table(PaymentInstruction), _table(PaymentRun)
    if previous is None:
        known = "CASE WHEN amount_cents IS NULL THEN 1 ELSE 0 END"
        known_params = []
    else:
        known = f"""CASE WHEN amount_cents IS NULL OR iban = previous_iban THEN 1
            WHEN EXISTS (
                SELECT 1 FROM {instructions} e
                WHERE e.iban = pairs.iban AND e.run_id IN (
                    SELECT r.id FROM {runs} r
                    WHERE r.region_id = %s AND r.period < %s
                      AND r.status IN ({_in(APPROVED_STATUSES)})
                )
                LIMIT 1
            ) THEN 1 ELSE 0 END"""
        known_params = [run.region_id, run.period, *APPROVED_STATUSES]
    sql = f"""
        WITH pairs AS (
            SELECT participant_id, COALESCE(creditor_id, 0) AS payee, {", ".join(sides)}
            FROM {instructions}
            WHERE run_id IN (%s, %s) AND kind IN ({_in(PAID_KINDS)}){only}
            GROUP BY participant_id, COALESCE(creditor_id, 0)
        ),
        known AS (SELECT pairs.*, {known} AS known FROM pairs),
        changes AS (
            SELECT participant_id, payee, amount_cents, previous_cents, iban, previous_iban,
                name, previous_name,
                CASE WHEN amount_cents IS NOT NULL AND known = 0 THEN 1 ELSE 0 END AS new_payee,
                CASE WHEN amount_cents IS NOT NULL AND previous_cents IS NOT NULL
                    AND (iban <> previous_iban OR name <> previous_name)
                    THEN 1 ELSE 0 END AS changed_account,
                CASE WHEN (amount_cents - previous_cents) * 10000 > %s * previous_cents
                    THEN 1 ELSE 0 END AS amount_up,
                CASE WHEN (previous_cents - amount_cents) * 10000 > %s * previous_cents
                    THEN 1 ELSE 0 END AS amount_down,
                CASE WHEN amount_cents IS NOT NULL AND previous_cents IS NULL AND known = 1
                    THEN 1 ELSE 0 END AS new_payment,
                CASE WHEN amount_cents IS NULL THEN 1 ELSE 0 END AS gone
            FROM known
        )
    """
    # The share in hundredths of a percent, so the comparison stays in whole numbers.
    basis_points = int(share * 10000)
    params += [now, before, *PAID_KINDS, *ids, *known_params, basis_points, basis_points]
    return sql, params


# Payees in at least one group other than "gone" (those are not in this run's list).
_ANY_CHANGE = " + ".join(f"ch.{flag}" for group, flag in FLAGS.items() if group != Group.GONE)
_FLAG_COLUMNS = ", ".join(f"ch.{flag}" for flag in FLAGS.values())


# Groups whose payments the run page also counts per account: many payments to one new
# account stand out.
PER_ACCOUNT = (Group.NEW_PAYEE, Group.CHANGED_ACCOUNT)


@dataclass(frozen=True)
class GroupCount:
    group: Group
    count: int
    description: str
    accounts: int | None = None

    @property
    def value(self) -> str:
        return self.group.value

    @property
    def label(self) -> str:
        return self.group.label


@dataclass(frozen=True)
class Summary:
    """How many payees of the run are in each group, compared with `previous`."""

    run: PaymentRun
    previous: PaymentRun | None
    share: Decimal
    counts: dict
    accounts: dict = field(default_factory=dict)

    @property
    def groups(self) -> list[GroupCount]:
        return [
            GroupCount(g, self.counts[g], describe(g, self.share), self.accounts.get(g))
            for g in Group
        ]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def percent(self) -> str:
        return f"{self.share * 100:.0f} %"


def summary(run: PaymentRun, previous: PaymentRun | None) -> Summary:
    """The counts of every group, for the run page: one query."""
    share = change_share()
    sql, params = _changes_with(run, previous, share)
    columns = [f"COALESCE(SUM(ch.{flag}), 0)" for flag in FLAGS.values()]
    columns += [
        f"COUNT(DISTINCT CASE WHEN ch.{FLAGS[g]} = 1 THEN ch.iban END)" for g in PER_ACCOUNT
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} SELECT {', '.join(columns)} FROM changes ch", params)
        row = [int(value) for value in cursor.fetchone()]
    counts = dict(zip(FLAGS, row[: len(FLAGS)], strict=True))
    accounts = dict(zip(PER_ACCOUNT, row[len(FLAGS) :], strict=True))
    return Summary(run, previous, share, counts, accounts)


@dataclass(frozen=True)
class ChangeRow:
    """One payee of a participant, this month against last month."""

    participant_id: int
    first_name: str
    last_name: str
    payee: int
    amount_cents: int | None
    previous_cents: int | None
    iban: str | None
    previous_iban: str | None
    name: str | None
    previous_name: str | None
    groups: tuple

    @property
    def is_allowance(self) -> bool:
        return self.payee == 0

    @property
    def percent(self) -> int | None:
        """The change of the amount in whole percent of last month's, when both exist."""
        if self.amount_cents is None or not self.previous_cents:
            return None
        return round(100 * (self.amount_cents - self.previous_cents) / self.previous_cents)

    @property
    def iban_changed(self) -> bool:
        return None not in (self.iban, self.previous_iban) and self.iban != self.previous_iban

    @property
    def name_changed(self) -> bool:
        return None not in (self.name, self.previous_name) and self.name != self.previous_name


# The columns of a ChangeRow (before its groups), then one 0/1 column per group.
_ROW_COLUMNS = (
    "ch.participant_id, pa.first_name, pa.last_name, ch.payee, ch.amount_cents, "
    "ch.previous_cents, ch.iban, ch.previous_iban, ch.name, ch.previous_name"
)
_WIDTH = 10


def _row(record) -> ChangeRow:
    flags = record[_WIDTH : _WIDTH + len(FLAGS)]
    groups = tuple(g for g, on in zip(FLAGS, flags, strict=True) if on)
    return ChangeRow(*record[:_WIDTH], groups=groups)


@dataclass(frozen=True)
class GroupRows:
    """One page of one group's rows, and how many rows the group has in all."""

    group: Group
    description: str
    total: int
    rows: list
    number: int = 1

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def has_next(self) -> bool:
        return self.total > self.number * PAGE_SIZE

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def group_rows(
    run: PaymentRun,
    previous: PaymentRun | None,
    *,
    group: Group | None = None,
    number: int = 1,
) -> tuple[Summary, list[GroupRows]]:
    """The counts of every group, and the first page of every non-empty group (or page
    `number` of one `group`), in one query: the groups are stacked and numbered with a window
    per group; the first row of each group carries its count. New and changed accounts are
    in IBAN order, so the payments to one account stand together."""
    share = change_share()
    sql, params = _changes_with(run, previous, share)
    stacked = " UNION ALL ".join(
        f"SELECT %s AS grp, ch.* FROM changes ch WHERE ch.{flag} = 1" for flag in FLAGS.values()
    )
    first = (number - 1) * PAGE_SIZE
    shown = "grp = %s AND " if group else ""
    query = f"""
        {sql}
        SELECT * FROM (
            SELECT ch.grp, {_ROW_COLUMNS}, {_FLAG_COLUMNS},
                ROW_NUMBER() OVER (
                    PARTITION BY ch.grp
                    ORDER BY CASE WHEN ch.grp IN ({_in(PER_ACCOUNT)}) THEN ch.iban ELSE '' END,
                        pa.last_name, pa.first_name, ch.participant_id, ch.payee
                ) AS n,
                COUNT(*) OVER (PARTITION BY ch.grp) AS total
            FROM ({stacked}) ch JOIN {_table(Participant)} pa ON pa.id = ch.participant_id
        ) numbered
        WHERE n = 1 OR ({shown}n > %s AND n <= %s)
        ORDER BY grp, n
    """
    # In the order of the placeholders: the window's IBAN-ordered groups, then the stack.
    params += [g.value for g in PER_ACCOUNT]
    params += [g.value for g in FLAGS]
    params += [group.value] if group else []
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, first, first + PAGE_SIZE])
        found = cursor.fetchall()
    rows: dict[str, list] = {}
    counts = dict.fromkeys(Group, 0)
    for record in found:
        key, n, total = record[0], record[-2], record[-1]
        counts[Group(key)] = total
        if (group is None or key == group.value) and first < n <= first + PAGE_SIZE:
            rows.setdefault(key, []).append(_row(record[1:]))
    sections = [
        GroupRows(g, describe(g, share), counts[g], rows[g.value], number)
        for g in ([group] if group else Group)
        if g.value in rows
    ]
    return Summary(run, previous, share, counts), sections


def changes_of(run: PaymentRun, previous: PaymentRun | None, participant_ids) -> dict:
    """The change rows of these participants (those of one list page) by (participant,
    payee), only payees of this run in a group: one query, narrowed to them in both runs."""
    ids = sorted(set(participant_ids))
    if not ids:
        return {}
    sql, params = _changes_with(run, previous, change_share(), ids)
    query = (
        f"{sql} SELECT {_ROW_COLUMNS}, {_FLAG_COLUMNS} FROM changes ch "
        f"JOIN {_table(Participant)} pa ON pa.id = ch.participant_id "
        f"WHERE {_ANY_CHANGE} > 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = [_row(record) for record in cursor.fetchall()]
    return {(row.participant_id, row.payee): row for row in rows}


# --- the list of instructions -----------------------------------------------------------------

ORDERS = {
    "deelnemer": ("participant__last_name", "participant__first_name", "participant_id"),
    "begunstigde": ("name",),
    "bedrag-hoog": ("-amount_cents",),
    "bedrag-laag": ("amount_cents",),
    "datum": ("pay_on",),
    "soort": ("kind",),
}
ORDER_CHOICES = [
    ("deelnemer", gettext_lazy("Participant (A-Z)")),
    ("begunstigde", gettext_lazy("Payee (A-Z)")),
    ("bedrag-hoog", gettext_lazy("Amount (high to low)")),
    ("bedrag-laag", gettext_lazy("Amount (low to high)")),
    ("datum", gettext_lazy("Payment date")),
    ("soort", gettext_lazy("Kind")),
]


def _search(text: str, *, sees_bank: bool) -> Q:
    """Every word in the payee's name or the participant's name, and (4 or more letters and
    digits) in the IBAN for who may see bank data. Never the BSN: the search travels in the
    URL, and a BSN never does (the participant list searches on it, by POST)."""
    query = Q()
    for word in search_words(text):
        # The payee's name is written in the SEPA set (ASCII), the participant's name is
        # searched in its folded copy: accents aside either way ("muller" finds "Müller").
        found = Q(name__icontains=word) | Q(participant__search_name__contains=word)
        if sees_bank and word.isalnum() and len(word) >= 4:
            found |= Q(iban__icontains=word)
        query &= found
    return query


# Up to this many changed payments are listed by id (one comparison for the count and the
# page); more (SQLite allows about 32,000 parameters) are matched by a subquery instead.
MAX_LISTED = 10_000


def _changed(run: PaymentRun, previous: PaymentRun):
    """The ids of the run's payments to a payee in a group (other than "gone"): a list after
    one comparison, or for very many the comparison itself as a subquery."""
    sql, params = _changes_with(run, previous, change_share())
    query = (
        f"{sql} SELECT i.id FROM {_table(PaymentInstruction)} i JOIN changes ch "
        "ON ch.participant_id = i.participant_id AND ch.payee = COALESCE(i.creditor_id, 0) "
        f"WHERE i.run_id = %s AND i.kind IN ({_in(PAID_KINDS)}) AND ({_ANY_CHANGE}) > 0"
    )
    params += [run.pk, *PAID_KINDS]
    with connection.cursor() as cursor:
        cursor.execute(f"{query} LIMIT %s", [*params, MAX_LISTED + 1])
        ids = [pk for (pk,) in cursor.fetchall()]
    return ids if len(ids) <= MAX_LISTED else RawSQL(query, params)


def instructions(
    run: PaymentRun,
    *,
    kind: str = "",
    category: str = "",
    search: str = "",
    min_cents: int | None = None,
    max_cents: int | None = None,
    only_changes: bool = False,
    order: str = "deelnemer",
    previous: PaymentRun | None,
    sees_bank: bool = False,
):
    """The run's instructions, filtered and sorted; every filter narrows the run's own rows
    (found through the run's index); "only changes" runs the comparison once."""
    found = PaymentInstruction.objects.filter(run=run)
    if kind:
        found = found.filter(kind=kind)
    if category:
        found = found.filter(creditor__category=category)
    if search.strip():
        found = found.filter(_search(search, sees_bank=sees_bank))
    if min_cents is not None:
        found = found.filter(amount_cents__gte=min_cents)
    if max_cents is not None:
        found = found.filter(amount_cents__lte=max_cents)
    if only_changes:
        found = found.filter(kind__in=PAID_KINDS)
        if previous is not None:  # without one, every payee is new
            found = found.filter(pk__in=_changed(run, previous))
    return found.order_by(*ORDERS.get(order, ORDERS["deelnemer"]), "pay_on", "pk")


def page_of(instructions, number) -> Page:
    """One page: a count and a LIMIT/OFFSET query, both on the run's index."""
    return Paginator(instructions.select_related("participant", "creditor"), PAGE_SIZE).get_page(
        number
    )


def payee_of(instruction) -> int:
    """The payee key of an instruction, as in the comparison."""
    return instruction.creditor_id or 0
