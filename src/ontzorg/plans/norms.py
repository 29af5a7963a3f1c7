"""The monthly bijstand norm of a household on a date (pure: norm rows in, cents out).

The amounts themselves are configuration (``BenefitNorm`` rows, new figures every 1 January
and 1 July); this module only chooses and combines them:

- **Standard**: the row for the household type (alleenstaande, gehuwden, gehuwden with one
  partner under 21), the age band (under 21 / 21 to AOW age / AOW age) and children.
- **Jongerennorm**: a single person under 21, or a couple with a partner under 21, gets the
  under-21 rows of the table. The kostendelersnorm does not apply to them.
- **Kostendelersnorm**: when persons of 21 or older share the home with other adults who
  count as kostendeler (27 or older and not a student; younger housemates do not count since
  2023), each person in the benefit gets ``(40 + 30·A) / (100·A)`` of the married norm of
  their age band, where A is the number of kostendelers including the persons themselves.
  It never raises the standard norm.

Rounding: the per-person share is computed exactly in integers and rounded to the nearest
cent, halves up (``(40 + 30·A) · M / (100·A)``); a couple gets twice the rounded share. With
A = 1 this reproduces the table: 70 % of € 1,858.01 = € 1,300.61.
"""

from dataclasses import dataclass
from datetime import date

SINGLE = "single"
MARRIED = "married"
MARRIED_ONE_UNDER_21 = "married_one_u21"
UNDER_21 = "under_21"
ADULT = "adult"
AOW = "aow"

STANDARD = "standard"
JONGERENNORM = "jongerennorm"
KOSTENDELERSNORM = "kostendelersnorm"


@dataclass(frozen=True)
class NormRow:
    household_type: str
    age_band: str
    with_children: bool
    valid_from: date
    amount_cents: int


@dataclass(frozen=True)
class Household:
    partner_ages: tuple[int, ...]  # the applicant and, if married, the partner
    with_children: bool = False
    kostendelers: int = 0  # other adults in the home who count (see counts_as_kostendeler)
    aow_age: int = 67


@dataclass(frozen=True)
class Norm:
    amount_cents: int
    rule: str
    standard_cents: int
    kostendelers: int  # A, including the persons in the benefit; 0 when not applied


def counts_as_kostendeler(age: int, is_student: bool = False) -> bool:
    return age >= 27 and not is_student


def age_band(age: int, aow_age: int) -> str:
    if age < 21:
        return UNDER_21
    return AOW if age >= aow_age else ADULT


def classify(household: Household) -> tuple[str, str]:
    """(household type, age band) of the norm table."""
    ages = household.partner_ages
    if len(ages) not in (1, 2):
        raise ValueError("a benefit is for one person or a couple")
    if len(ages) == 1:
        return SINGLE, age_band(ages[0], household.aow_age)
    young = sum(1 for a in ages if a < 21)
    if young == 2:
        return MARRIED, UNDER_21
    if young == 1:
        return MARRIED_ONE_UNDER_21, ADULT
    both_aow = all(a >= household.aow_age for a in ages)
    return MARRIED, AOW if both_aow else ADULT


def table_on(rows, on: date) -> dict[tuple[str, str, bool], int]:
    """The norm table in force on `on`: per cell the row with the latest valid_from <= on."""
    best: dict[tuple[str, str, bool], NormRow] = {}
    for row in rows:
        key = (row.household_type, row.age_band, row.with_children)
        if row.valid_from <= on and (key not in best or row.valid_from > best[key].valid_from):
            best[key] = row
    return {key: row.amount_cents for key, row in best.items()}


def kostendeler_share(married_norm_cents: int, kostendelers: int) -> int:
    """One person's share of the married norm with A kostendelers, rounded half up."""
    numerator = (40 + 30 * kostendelers) * married_norm_cents
    denominator = 100 * kostendelers
    return (2 * numerator + denominator) // (2 * denominator)


def monthly_norm(rows, household: Household, on: date) -> Norm:
    table = table_on(rows, on)
    household_type, band = classify(household)
    try:
        standard = table[(household_type, band, household.with_children)]
    except KeyError:
        raise LookupError(f"no norm for {household_type}/{band} on {on}") from None
    if band == UNDER_21 or household_type == MARRIED_ONE_UNDER_21:
        return Norm(standard, JONGERENNORM, standard, 0)
    if household.kostendelers <= 0:
        return Norm(standard, STANDARD, standard, 0)
    persons = len(household.partner_ages)
    a = persons + household.kostendelers
    married = table[(MARRIED, band, household.with_children)]
    shared = persons * kostendeler_share(married, a)
    if shared >= standard:
        return Norm(standard, STANDARD, standard, 0)
    return Norm(shared, KOSTENDELERSNORM, standard, a)
