"""The evaluators' export: pseudonymised rows of the snapshots (everyone who entered
intake, with their comparison group), aggregates per comparison group in which groups below
five are suppressed, and the codebook that explains every column.

Pure apart from reading the snapshot rows. The pseudonym is an HMAC-SHA256 of the
participant's id under the secret key of the evaluation study (`models.Study`, kept on the
server): within a study a participant keeps one pseudonym in every export, per region or for
all regions, so measurement moments and downloads can be linked; another study gets other
pseudonyms, and without the key nobody can turn one back into a person. The participant table
is made k-anonymous on its quasi-identifiers (`anonymity`). Amounts and hours are written in
classes (`Bands`), never exactly: the landlord knows the rent to the cent and a creditor the
arrears, so an exact amount would single a person out as well as a date of birth. No BSN,
name, address, date of birth or free text is ever read, let alone written."""

import csv
import hashlib
import hmac
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from ontzorg.core.spreadsheet import safe_cell
from ontzorg.participants.constants import Gender, Literacy, Phase
from ontzorg.regelingen.constants import Mode

from . import anonymity
from .constants import (
    SMALLEST_GROUP,
    AgeBand,
    Category,
    ComparisonGroup,
    HouseholdType,
    MonthsBand,
    months_band,
)
from .models import SnapshotRow

OTHER_COUNTRY = "overig"
SUPPRESSED = "<5"


def _choice_text(choices) -> str:
    return "; ".join(f"{value} = {label}" for value, label in choices)


# Lazy, so that the labels are read in the language of the export, not at import.
_choices = lazy(_choice_text, str)
CATEGORIES = format_lazy(
    "{choices}; {empty}", choices=_choices(Category.choices), empty=_("empty = not measured")
)


@dataclass(frozen=True)
class Bands:
    """Classes for an amount or a number of hours: "0", "tot b1", "b1 tot b2", ...,
    "bn of meer" (and "minder dan 0"), with the bounds `bounds` in whole units (euro, hours).
    Written as words, so that a spreadsheet does not read "5-10" as a date."""

    bounds: tuple[int, ...]
    per_unit: int  # cents per euro, minutes per hour

    def label(self, value) -> str:
        if value == 0:
            return "0"
        if value < 0:
            return "minder dan 0"
        lower = None
        for bound in self.bounds:
            if value < bound * self.per_unit:
                return f"tot {bound}" if lower is None else f"{lower} tot {bound}"
            lower = bound
        return f"{lower} of meer"

    def labels(self) -> list[str]:
        steps = zip(self.bounds, self.bounds[1:], strict=False)
        return [
            "minder dan 0",
            "0",
            f"tot {self.bounds[0]}",
            *[f"{lower} tot {upper}" for lower, upper in steps],
            f"{self.bounds[-1]} of meer",
        ]

    def allowed(self) -> str:
        """For the codebook; 'tot' is the upper bound, not included."""
        labels = self.labels()[1:]
        labels[1] += " (meer dan 0)"
        return "; ".join(labels)


WITHHELD_BANDS = Bands(tuple(range(50, 2001, 50)), per_unit=100)
ARREARS_BANDS = Bands((250, 1000, 2500), per_unit=100)
DEBT_BANDS = Bands((500, 1000, 2500, 5000, 10000), per_unit=100)
# The other outcomes the pilots named (monitor.facts.OUTCOME_PURPOSES): column prefix, the
# snapshot's field prefix, and what the value is.
OTHER_OUTCOMES = (
    ("geldstress", "stress", _("Money stress (level 1 = very much stress up to 5 = none)")),
    ("taalniveau", "language", _("Level of Dutch (1 = below A1 up to 5 = B2 or higher)")),
    ("instanties", "agencies", _("Agencies the participant approached (count)")),
)
RESERVES_BANDS = Bands((100, 250, 500, 1000, 2500), per_unit=100)
GUIDANCE_BANDS = Bands((2, 5, 10, 20, 40), per_unit=60)


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    kind: str
    allowed: str

    def texts(self) -> list[str]:
        """Name, meaning, type and allowed values as plain text, in the active language."""
        return [self.name, str(self.meaning), str(self.kind), str(self.allowed)]


COLUMNS = [
    Column(
        "pseudoniem",
        _(
            "The participant's pseudonym: HMAC-SHA256 with the key of the "
            "evaluation study, the same in every export of the same study"
        ),
        _("text (16 characters)"),
        _("hexadecimal"),
    ),
    Column("regio", _("Pilot region"), _("text"), _("code of the region")),
    Column("meetmoment", _("Name of the measurement moment"), _("text"), _("as set per region")),
    Column("peildatum", _("Date on which the data were recorded"), _("date (YYYY-MM-DD)"), ""),
    Column(
        "vorm",
        _("The participant's mode of ontzorgen on the reference date (regeling or own decision)"),
        "code",
        _choices(Mode.choices),
    ),
    Column("fase", _("The participant's phase when built"), "code", _choices(Phase.choices)),
    Column(
        "vergelijkingsgroep",
        _(
            "Comparison group: everyone who entered intake is in the snapshot, in one group "
            "(snapshots from before the comparison groups held participants only)"
        ),
        "code",
        _choices(ComparisonGroup.choices),
    ),
    Column(
        "begeleidingsorganisatie",
        _("Name of the guiding organisation when the snapshot was built"),
        _("text"),
        _("name; empty = none"),
    ),
    Column("leeftijd", _("Age class on the reference date"), "code", _choices(AgeBand.choices)),
    Column("geslacht", _("Gender"), "code", _choices(Gender.choices)),
    Column(
        "herkomst",
        format_lazy(
            _(
                "Country of origin; countries with fewer than {smallest} participants "
                "in all regions together as '{other}'"
            ),
            smallest=SMALLEST_GROUP,
            other=OTHER_COUNTRY,
        ),
        _("text"),
        format_lazy(_("country name or {other}"), other=OTHER_COUNTRY),
    ),
    Column("huishouden", _("Household composition"), "code", _choices(HouseholdType.choices)),
    Column("geletterdheid", _("Literacy"), "code", _choices(Literacy.choices)),
    Column(
        "jaar_vestiging",
        _("Year of settlement in the municipality"),
        _("whole number"),
        _("year number"),
    ),
    Column(
        "start_maand",
        _("Month in which ontzorgen started"),
        _("month (YYYY-MM)"),
        _("empty = no plan"),
    ),
    Column(
        "eind_maand",
        _("Month of the (planned or actual) end of ontzorgen"),
        _("month (YYYY-MM)"),
        _("empty = no plan"),
    ),
    Column(
        "tijd_sinds_start",
        _(
            "Months since the start of ontzorgen on the reference date; for who did not "
            "start, since the draw they were in, otherwise since intake"
        ),
        "code",
        format_lazy(
            "{bands}; {empty}", bands=_choices(MonthsBand.choices), empty=_("empty = not known")
        ),
    ),
    Column("beeindigd", _("Ontzorgen ended on the reference date"), "0/1", _("0 = no; 1 = yes")),
    Column("verlengd", _("Ontzorgen extended"), "0/1", _("0 = no; 1 = yes")),
    Column(
        "uitstroom_werk",
        _(
            "Moved on to work (the month is left out on purpose: it would make "
            "whoever found work recognisable and push them out of the file)"
        ),
        "0/1",
        _("0 = no; 1 = yes"),
    ),
    Column(
        "uitkering_beeindigd",
        _("A bijstand benefit that began on or before the reference date no longer ran on it"),
        "0/1",
        _("0 = no; 1 = yes; empty = no bijstand recorded"),
    ),
    Column(
        "begeleiding_uren_klasse",
        _("Guidance in hours: individual contacts plus attended group sessions"),
        _("class (hours)"),
        GUIDANCE_BANDS.allowed(),
    ),
    Column(
        "trainingen",
        _("Number of trainings with at least one attended session"),
        _("whole number"),
        ">= 0",
    ),
    Column(
        "inhouding_gem_maand_klasse",
        _("Average withheld fixed costs per month with withholding (ledger), in steps of 50 euros"),
        _("class (euros)"),
        WITHHELD_BANDS.allowed(),
    ),
    Column("maanden_inhouding", _("Months with withholding"), _("whole number"), ">= 0"),
    Column(
        "maanden_tekort",
        _("Months in which the income did not cover the fixed costs"),
        _("whole number"),
        ">= 0",
    ),
    Column("terugboekingen", _("Payments returned by the bank"), _("whole number"), ">= 0"),
    Column(
        "reservering_klasse",
        _("Balance of the savings pots (ledger)"),
        _("class (euros)"),
        RESERVES_BANDS.allowed() + "; minder dan 0",
    ),
    Column(
        "achterstand_start_klasse",
        _("Known payment arrears (from signals) at the start of ontzorgen"),
        _("class (euros)"),
        ARREARS_BANDS.allowed(),
    ),
    Column(
        "achterstand_nu_klasse",
        _("Known payment arrears (from signals) on the reference date"),
        _("class (euros)"),
        ARREARS_BANDS.allowed(),
    ),
    Column(
        "zr_nul_instrument",
        _("Instrument of the baseline measurement"),
        _("text"),
        _("name of the instrument"),
    ),
    Column(
        "zr_nul_niveau",
        _("Level at the baseline on that instrument"),
        _("whole number"),
        _("empty = not measured"),
    ),
    Column(
        "zr_nul_categorie",
        _("Self-reliance at the baseline, in 3 categories"),
        "code",
        CATEGORIES,
    ),
    Column(
        "zr_nu_instrument",
        _("Instrument of the latest measurement"),
        _("text"),
        _("name of the instrument"),
    ),
    Column(
        "zr_nu_moment",
        _("Kind of the latest measurement"),
        "code",
        "nulmeting; tussenmeting; eindmeting; vervolgmeting",
    ),
    Column(
        "zr_nu_niveau",
        _("Level at the latest measurement on the reference date"),
        _("whole number"),
        _("empty = not measured"),
    ),
    Column(
        "zr_nu_categorie",
        _("Self-reliance at the latest measurement, in 3 categories"),
        "code",
        CATEGORIES,
    ),
    Column(
        "signalen_na_afloop",
        _("Signals from creditors after the end of ontzorgen"),
        _("whole number"),
        ">= 0",
    ),
    Column(
        "schuld_start_klasse",
        _("Debts recorded in the intake inventory, at the start"),
        _("class (euros)"),
        format_lazy(_("{bands}; empty = not recorded"), bands=DEBT_BANDS.allowed()),
    ),
    Column(
        "schuld_nu_klasse",
        _("Debts recorded in the inventory, as known on the reference date"),
        _("class (euros)"),
        format_lazy(_("{bands}; empty = not recorded"), bands=DEBT_BANDS.allowed()),
    ),
    Column(
        "verwijzingen",
        _("Referrals to regular services up to the reference date"),
        _("whole number"),
        ">= 0",
    ),
    *[
        Column(
            f"{prefix}_{when}",
            format_lazy(text, outcome=label),
            _("whole number"),
            _("empty = not measured"),
        )
        for prefix, _field, label in OTHER_OUTCOMES
        for when, text in (
            ("eerste", _("{outcome}: at the first measurement")),
            ("laatste", _("{outcome}: at the latest measurement on the reference date")),
        )
    ],
]
COLUMN_NAMES = [c.name for c in COLUMNS]

AGGREGATE_COLUMNS = [
    Column("regio", _("Pilot region"), _("text"), _("code of the region")),
    Column("meetmoment", _("Name of the measurement moment"), _("text"), ""),
    Column("peildatum", _("Date on which the data were recorded"), "datum", ""),
    Column(
        "vergelijkingsgroep",
        _("Comparison group the counts are of"),
        "code",
        _choices(ComparisonGroup.choices),
    ),
    Column(
        "indeling",
        _("Characteristic used for grouping"),
        _("text"),
        "totaal; leeftijd; geslacht; huishouden; geletterdheid; tijd_sinds_start; "
        "begeleidingsorganisatie",
    ),
    Column(
        "groep",
        _("The group within the grouping"),
        "code",
        _("see the codebook of the participants"),
    ),
    Column(
        "aantal",
        _("Number of participants in the group"),
        _("whole number or <5"),
        format_lazy(_("{suppressed} = fewer than 5"), suppressed=SUPPRESSED),
    ),
    *[
        Column(
            f"nul_cat{value}",
            format_lazy(_("Baseline: {label}"), label=label),
            _("whole number or <5"),
            SUPPRESSED,
        )
        for value, label in Category.choices
    ],
    *[
        Column(
            f"nu_cat{value}",
            format_lazy(_("Latest measurement: {label}"), label=label),
            _("whole number or <5"),
            SUPPRESSED,
        )
        for value, label in Category.choices
    ],
    Column(
        "vooruitgang",
        _("Higher category than at the baseline"),
        _("whole number or <5"),
        SUPPRESSED,
    ),
    Column("uitstroom_werk", _("Moved on to work"), _("whole number or <5"), SUPPRESSED),
    Column("uitkering_beeindigd", _("Bijstand ended"), _("whole number or <5"), SUPPRESSED),
    Column(
        "met_achterstand",
        _("With known arrears on the reference date"),
        _("whole number or <5"),
        SUPPRESSED,
    ),
    Column(
        "met_schuld",
        _("With debts in the inventory on the reference date"),
        _("whole number or <5"),
        SUPPRESSED,
    ),
    Column(
        "met_verwijzing",
        _("Referred to a regular service at least once"),
        _("whole number or <5"),
        SUPPRESSED,
    ),
    Column(
        "met_signaal_na_afloop",
        _("With at least one signal after the end"),
        _("whole number or <5"),
        SUPPRESSED,
    ),
]


def _group(row) -> str:
    """The row's comparison group; rows of before the groups were all participants'."""
    return row["comparison_group"] or ComparisonGroup.PARTICIPANT


GROUPINGS = [
    ("totaal", lambda row: "alle personen"),
    ("leeftijd", lambda row: row["age_band"]),
    ("geslacht", lambda row: row["gender"]),
    ("huishouden", lambda row: row["household_type"]),
    ("geletterdheid", lambda row: row["literacy"]),
    ("tijd_sinds_start", lambda row: months_band(row["months_since_start"])),
    ("begeleidingsorganisatie", lambda row: _text(row["guidance_organisation"] or "")),
]

ROW_VALUES = (
    "participant_id",
    "snapshot__region__slug",
    "snapshot__moment__name",
    "snapshot__as_of",
    "mode",
    "phase",
    "age_band",
    "gender",
    "country_of_origin",
    "household_type",
    "literacy",
    "arrival_year",
    "start_on",
    "end_on",
    "ended",
    "extended",
    "outflow_to_work",
    "guidance_minutes",
    "trainings_attended",
    "withheld_cents",
    "withheld_months",
    "shortfall_months",
    "returned_payments",
    "reserves_cents",
    "arrears_start_cents",
    "arrears_now_cents",
    "first_instrument__name",
    "first_rank",
    "first_category",
    "latest_instrument__name",
    "latest_moment",
    "latest_rank",
    "latest_category",
    "signals_after_end",
    "comparison_group",
    "guidance_organisation",
    "months_since_start",
    "benefit_ended",
    "debt_start_cents",
    "debt_now_cents",
    "referrals",
    *(f"{field}_{when}" for _p, field, _l in OTHER_OUTCOMES for when in ("first", "latest")),
)


def pseudonym(key: bytes, participant_id: int) -> str:
    return hmac.new(key, str(participant_id).encode(), hashlib.sha256).hexdigest()[:16]


def suppress(count: int):
    return SUPPRESSED if 0 < count < SMALLEST_GROUP else count


def _text(value: str) -> str:
    """Text that a spreadsheet will not run as a formula (the one rule of core.spreadsheet)."""
    return safe_cell(value)


def _month(day: date | None) -> str:
    return f"{day:%Y-%m}" if day else ""


def _flag(value: bool) -> int:
    return 1 if value else 0


def _blank(value):
    return "" if value is None else value


def source_rows(snapshots) -> list[dict]:
    return list(
        SnapshotRow.objects.filter(snapshot__in=snapshots)
        .order_by("snapshot__region__slug", "snapshot__as_of", "participant_id")
        .values(*ROW_VALUES)
    )


def participant_rows(source: list[dict], key: bytes) -> list[list]:
    """The export's rows, in the order of COLUMNS."""
    people = Counter()
    seen = set()
    for row in source:
        if row["participant_id"] not in seen:
            seen.add(row["participant_id"])
            people[row["country_of_origin"]] += 1
    result = []
    for row in source:
        country = row["country_of_origin"]
        months = row["withheld_months"]
        result.append(
            [
                pseudonym(key, row["participant_id"]),
                row["snapshot__region__slug"],
                _text(row["snapshot__moment__name"]),
                row["snapshot__as_of"].isoformat(),
                row["mode"],
                row["phase"],
                _group(row),
                _text(row["guidance_organisation"] or ""),
                row["age_band"],
                row["gender"],
                _text(country) if people[country] >= SMALLEST_GROUP else OTHER_COUNTRY,
                row["household_type"],
                row["literacy"],
                row["arrival_year"],
                _month(row["start_on"]),
                _month(row["end_on"]),
                months_band(row["months_since_start"]),
                _flag(row["ended"]),
                _flag(row["extended"]),
                _flag(row["outflow_to_work"]),
                _blank(None if row["benefit_ended"] is None else _flag(row["benefit_ended"])),
                GUIDANCE_BANDS.label(row["guidance_minutes"]),
                row["trainings_attended"],
                WITHHELD_BANDS.label(round(row["withheld_cents"] / months) if months else 0),
                months,
                row["shortfall_months"],
                row["returned_payments"],
                RESERVES_BANDS.label(row["reserves_cents"]),
                ARREARS_BANDS.label(row["arrears_start_cents"]),
                ARREARS_BANDS.label(row["arrears_now_cents"]),
                _text(row["first_instrument__name"] or ""),
                _blank(row["first_rank"]),
                _blank(row["first_category"]),
                _text(row["latest_instrument__name"] or ""),
                row["latest_moment"],
                _blank(row["latest_rank"]),
                _blank(row["latest_category"]),
                row["signals_after_end"],
                _debt(row["debt_start_cents"]),
                _debt(row["debt_now_cents"]),
                row["referrals"] or 0,
                *(
                    _blank(row[f"{field}_{when}"])
                    for _p, field, _l in OTHER_OUTCOMES
                    for when in ("first", "latest")
                ),
            ]
        )
    return result


def _debt(cents: int | None) -> str:
    return "" if cents is None else DEBT_BANDS.label(cents)


def aggregate_rows(source: list[dict]) -> list[list]:
    """Counts per snapshot and group of the `source` rows given: those of the people kept in
    the participant table, so that subtracting the table from them reveals nobody. Every
    count from 1 to 4 is shown as '<5'."""
    groups: dict[tuple, list[dict]] = {}
    for row in source:
        moment = (row["snapshot__region__slug"], _text(row["snapshot__moment__name"]))
        moment += (row["snapshot__as_of"].isoformat(), _group(row))
        for grouping, value_of in GROUPINGS:
            groups.setdefault((*moment, grouping, value_of(row)), []).append(row)
    order = {grouping: i for i, (grouping, _value_of) in enumerate(GROUPINGS)}
    ranks = {value: i for i, value in enumerate(ComparisonGroup.values)}
    result = []
    for key in sorted(groups, key=lambda k: (k[0], k[2], ranks[k[3]], order[k[4]], str(k[5]))):
        rows = groups[key]
        counts = [len(rows)]
        counts += [sum(r["first_category"] == c for r in rows) for c in Category.values]
        counts += [sum(r["latest_category"] == c for r in rows) for c in Category.values]
        counts.append(sum(_improved(r) for r in rows))
        counts.append(sum(r["outflow_to_work"] for r in rows))
        counts.append(sum(bool(r["benefit_ended"]) for r in rows))
        counts.append(sum(r["arrears_now_cents"] > 0 for r in rows))
        counts.append(sum(bool(r["debt_now_cents"]) for r in rows))
        counts.append(sum(bool(r["referrals"]) for r in rows))
        counts.append(sum(r["signals_after_end"] > 0 for r in rows))
        result.append([*key, *(suppress(c) for c in counts)])
    return result


def _improved(row) -> bool:
    first, latest = row["first_category"], row["latest_category"]
    return first is not None and latest is not None and latest > first


def codebook_rows() -> list[list[str]]:
    header = (_("table"), _("column"), _("meaning"), _("type"), _("allowed values"))
    rows = [[str(text) for text in header]]
    rows += [["deelnemers", *c.texts()] for c in COLUMNS]
    rows += [["aggregaten", *c.texts()] for c in AGGREGATE_COLUMNS]
    rows += [["methode", name, text, "", ""] for name, text in anonymity.method_text()]
    return rows


METADATA_HEADER = [_("item"), _("value")]


def to_csv(header: list[str], rows: list[list]) -> bytes:
    """CSV as Dutch spreadsheets open it: UTF-8 with BOM, semicolons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(text) for text in header])
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def to_xlsx(participants: list[list], aggregates: list[list], metadata: list[list]) -> bytes:
    workbook = Workbook(write_only=True)
    for title, header, rows in (
        (_("Participants"), COLUMN_NAMES, participants),
        (_("Codebook"), None, codebook_rows()),
        (_("Aggregates"), [c.name for c in AGGREGATE_COLUMNS], aggregates),
        (_("Explanation"), METADATA_HEADER, metadata),
    ):
        sheet = workbook.create_sheet(str(title))
        if header:
            sheet.append([str(text) for text in header])
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
