"""How high a monthly fixed cost may plausibly be, per cost category: the one home of the
ceilings that plan services (and so the pages, the admin and imports) apply.

A beheerder configures them (``CostCeiling``) per regeling, per region or nationally; the
most specific one counts. Without any, `DEFAULTS` apply: amounts well above what a
statushouder's household on bijstand pays (huur up to the huurtoeslag limits, a household's
energy and health insurance), so a warning means "look again" and a refusal "this is a typo".
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from .constants import CostCategory
from .models import CostCeiling

# Per category (warn above, refuse above), in cents per month.
DEFAULTS = {
    CostCategory.HUUR: (150_000, 300_000),
    CostCategory.ENERGIE: (50_000, 150_000),
    CostCategory.WATER: (10_000, 40_000),
    CostCategory.ZORGVERZEKERING: (50_000, 150_000),
    CostCategory.TELECOM: (15_000, 50_000),
    CostCategory.VERZEKERING: (10_000, 40_000),
    CostCategory.GEMEENTEBELASTING: (30_000, 150_000),
    CostCategory.KINDEROPVANG: (150_000, 500_000),
    CostCategory.OVERIG: (50_000, 200_000),
}


@dataclass(frozen=True)
class Ceiling:
    category: str
    warn_above_cents: int | None
    refuse_above_cents: int | None
    source: str  # where it is configured, for the message: "de regeling", "de standaard", ...

    def refuses(self, amount_cents: int) -> bool:
        return self.refuse_above_cents is not None and amount_cents > self.refuse_above_cents

    def warns(self, amount_cents: int) -> bool:
        return (
            not self.refuses(amount_cents)
            and self.warn_above_cents is not None
            and amount_cents > self.warn_above_cents
        )


def ceiling_for(regeling, category: str) -> Ceiling:
    """The ceiling of `category` in `regeling`: its own, else its region's, else national,
    else the default."""
    return ceilings_of([regeling], [category])[regeling.pk, category]


def ceilings_of(regelingen, categories=None) -> dict[tuple[int, str], Ceiling]:
    """`ceiling_for` of every regeling and category (all if None), in one query."""
    regelingen = list(regelingen)
    categories = list(categories or CostCategory.values)
    configured = CostCeiling.objects.filter(category__in=categories).filter(
        Q(regeling__in=regelingen)
        | Q(region_id__in={r.region_id for r in regelingen}, regeling__isnull=True)
        | Q(region__isnull=True, regeling__isnull=True)
    )
    rows = {(row.regeling_id, row.region_id, row.category): row for row in configured}
    found = {}
    for regeling in regelingen:
        for category in categories:
            found[regeling.pk, category] = _resolved(rows, regeling, category)
    return found


def _resolved(rows, regeling, category: str) -> Ceiling:
    for key, source in (
        ((regeling.pk, None), _("the regeling")),
        ((None, regeling.region_id), _("the region")),
        ((None, None), _("the national maximum")),
    ):
        row = rows.get((*key, category))
        if row is not None:
            return Ceiling(category, row.warn_above_cents, row.refuse_above_cents, source)
    warn, refuse = DEFAULTS.get(category, (None, None))
    return Ceiling(category, warn, refuse, _("the default setting"))
