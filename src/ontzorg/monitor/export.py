"""The evaluators' export: pseudonymised rows of the snapshots, aggregates in which groups
below five are suppressed, and the codebook that explains every column.

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

from openpyxl import Workbook

from ontzorg.participants.constants import Gender, Literacy, Phase
from ontzorg.regelingen.constants import Mode

from . import anonymity
from .constants import SMALLEST_GROUP, AgeBand, Category, HouseholdType
from .models import SnapshotRow

OTHER_COUNTRY = "overig"
SUPPRESSED = "<5"


def _choices(choices) -> str:
    return "; ".join(f"{value} = {label}" for value, label in choices)


CATEGORIES = _choices(Category.choices) + "; leeg = niet gemeten"


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
RESERVES_BANDS = Bands((100, 250, 500, 1000, 2500), per_unit=100)
GUIDANCE_BANDS = Bands((2, 5, 10, 20, 40), per_unit=60)


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    kind: str
    allowed: str


COLUMNS = [
    Column(
        "pseudoniem",
        "Pseudoniem van de deelnemer: HMAC-SHA256 met de sleutel van het evaluatieonderzoek, "
        "gelijk in elke export van hetzelfde onderzoek",
        "tekst (16 tekens)",
        "hexadecimaal",
    ),
    Column("regio", "Pilotregio", "tekst", "code van de regio"),
    Column("meetmoment", "Naam van het meetmoment", "tekst", "zoals ingesteld per regio"),
    Column("peildatum", "Datum waarop de gegevens zijn vastgelegd", "datum (JJJJ-MM-DD)", ""),
    Column(
        "vorm",
        "Vorm van ontzorgen van de deelnemer op de peildatum (regeling of eigen besluit)",
        "code",
        _choices(Mode.choices),
    ),
    Column("fase", "Fase van de deelnemer bij het maken", "code", _choices(Phase.choices)),
    Column("leeftijd", "Leeftijdsklasse op de peildatum", "code", _choices(AgeBand.choices)),
    Column("geslacht", "Geslacht", "code", _choices(Gender.choices)),
    Column(
        "herkomst",
        f"Land van herkomst; landen met minder dan {SMALLEST_GROUP} deelnemers in alle "
        f"regio's samen als '{OTHER_COUNTRY}'",
        "tekst",
        f"landnaam of {OTHER_COUNTRY}",
    ),
    Column("huishouden", "Samenstelling huishouden", "code", _choices(HouseholdType.choices)),
    Column("geletterdheid", "Geletterdheid", "code", _choices(Literacy.choices)),
    Column("jaar_vestiging", "Jaar van vestiging in de gemeente", "geheel getal", "jaartal"),
    Column(
        "start_maand", "Maand waarin het ontzorgen begon", "maand (JJJJ-MM)", "leeg = geen plan"
    ),
    Column(
        "eind_maand",
        "Maand van het (geplande of werkelijke) einde van het ontzorgen",
        "maand (JJJJ-MM)",
        "leeg = geen plan",
    ),
    Column("beeindigd", "Ontzorgen beëindigd op de peildatum", "0/1", "0 = nee; 1 = ja"),
    Column("verlengd", "Ontzorgen verlengd", "0/1", "0 = nee; 1 = ja"),
    Column(
        "uitstroom_werk",
        "Uitgestroomd naar werk (de maand staat er bewust niet in: die zou wie werk vond "
        "herkenbaar maken en uit het bestand duwen)",
        "0/1",
        "0 = nee; 1 = ja",
    ),
    Column(
        "begeleiding_uren_klasse",
        "Begeleiding in uren: individuele contacten plus bijgewoonde groepsbijeenkomsten",
        "klasse (uren)",
        GUIDANCE_BANDS.allowed(),
    ),
    Column(
        "trainingen",
        "Aantal trainingen met minstens één bijgewoonde bijeenkomst",
        "geheel getal",
        ">= 0",
    ),
    Column(
        "inhouding_gem_maand_klasse",
        "Gemiddeld ingehouden vaste lasten per maand met inhouding (grootboek), in stappen "
        "van 50 euro",
        "klasse (euro)",
        WITHHELD_BANDS.allowed(),
    ),
    Column("maanden_inhouding", "Maanden met inhouding", "geheel getal", ">= 0"),
    Column(
        "maanden_tekort",
        "Maanden waarin het inkomen de vaste lasten niet dekte",
        "geheel getal",
        ">= 0",
    ),
    Column("terugboekingen", "Door de bank teruggeboekte betalingen", "geheel getal", ">= 0"),
    Column(
        "reservering_klasse",
        "Saldo van de spaarpotjes (grootboek)",
        "klasse (euro)",
        RESERVES_BANDS.allowed() + "; minder dan 0",
    ),
    Column(
        "achterstand_start_klasse",
        "Bekende betalingsachterstanden (uit signalen) bij de start van het ontzorgen",
        "klasse (euro)",
        ARREARS_BANDS.allowed(),
    ),
    Column(
        "achterstand_nu_klasse",
        "Bekende betalingsachterstanden (uit signalen) op de peildatum",
        "klasse (euro)",
        ARREARS_BANDS.allowed(),
    ),
    Column("zr_nul_instrument", "Instrument van de nulmeting", "tekst", "naam van het instrument"),
    Column(
        "zr_nul_niveau",
        "Niveau bij de nulmeting op dat instrument",
        "geheel getal",
        "leeg = niet gemeten",
    ),
    Column(
        "zr_nul_categorie", "Zelfredzaamheid bij de nulmeting, in 3 categorieën", "code", CATEGORIES
    ),
    Column(
        "zr_nu_instrument", "Instrument van de laatste meting", "tekst", "naam van het instrument"
    ),
    Column(
        "zr_nu_moment",
        "Soort van de laatste meting",
        "code",
        "nulmeting; tussenmeting; eindmeting; vervolgmeting",
    ),
    Column(
        "zr_nu_niveau",
        "Niveau bij de laatste meting op de peildatum",
        "geheel getal",
        "leeg = niet gemeten",
    ),
    Column(
        "zr_nu_categorie",
        "Zelfredzaamheid bij de laatste meting, in 3 categorieën",
        "code",
        CATEGORIES,
    ),
    Column(
        "signalen_na_afloop",
        "Signalen van schuldeisers na afloop van het ontzorgen",
        "geheel getal",
        ">= 0",
    ),
]
COLUMN_NAMES = [c.name for c in COLUMNS]

AGGREGATE_COLUMNS = [
    Column("regio", "Pilotregio", "tekst", "code van de regio"),
    Column("meetmoment", "Naam van het meetmoment", "tekst", ""),
    Column("peildatum", "Datum waarop de gegevens zijn vastgelegd", "datum", ""),
    Column(
        "indeling",
        "Naar welk kenmerk is ingedeeld",
        "tekst",
        "totaal; leeftijd; geslacht; huishouden; geletterdheid",
    ),
    Column("groep", "De groep binnen de indeling", "code", "zie het codeboek van de deelnemers"),
    Column(
        "aantal",
        "Aantal deelnemers in de groep",
        "geheel getal of <5",
        SUPPRESSED + " = minder dan 5",
    ),
    *[
        Column(f"nul_cat{value}", f"Nulmeting: {label}", "geheel getal of <5", SUPPRESSED)
        for value, label in Category.choices
    ],
    *[
        Column(f"nu_cat{value}", f"Laatste meting: {label}", "geheel getal of <5", SUPPRESSED)
        for value, label in Category.choices
    ],
    Column(
        "vooruitgang", "Hogere categorie dan bij de nulmeting", "geheel getal of <5", SUPPRESSED
    ),
    Column("uitstroom_werk", "Uitgestroomd naar werk", "geheel getal of <5", SUPPRESSED),
    Column(
        "met_signaal_na_afloop",
        "Met minstens één signaal na afloop",
        "geheel getal of <5",
        SUPPRESSED,
    ),
]
GROUPINGS = [
    ("totaal", None),
    ("leeftijd", "age_band"),
    ("geslacht", "gender"),
    ("huishouden", "household_type"),
    ("geletterdheid", "literacy"),
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
)


def pseudonym(key: bytes, participant_id: int) -> str:
    return hmac.new(key, str(participant_id).encode(), hashlib.sha256).hexdigest()[:16]


def suppress(count: int):
    return SUPPRESSED if 0 < count < SMALLEST_GROUP else count


def _text(value: str) -> str:
    """Text that a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


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
                row["age_band"],
                row["gender"],
                _text(country) if people[country] >= SMALLEST_GROUP else OTHER_COUNTRY,
                row["household_type"],
                row["literacy"],
                row["arrival_year"],
                _month(row["start_on"]),
                _month(row["end_on"]),
                _flag(row["ended"]),
                _flag(row["extended"]),
                _flag(row["outflow_to_work"]),
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
            ]
        )
    return result


def aggregate_rows(source: list[dict]) -> list[list]:
    """Counts per snapshot and group of the `source` rows given: those of the people kept in
    the participant table, so that subtracting the table from them reveals nobody. Every
    count from 1 to 4 is shown as '<5'."""
    groups: dict[tuple, list[dict]] = {}
    for row in source:
        moment = (row["snapshot__region__slug"], _text(row["snapshot__moment__name"]))
        moment += (row["snapshot__as_of"].isoformat(),)
        for grouping, field in GROUPINGS:
            value = row[field] if field else "alle deelnemers"
            groups.setdefault((*moment, grouping, value), []).append(row)
    order = {grouping: i for i, (grouping, _field) in enumerate(GROUPINGS)}
    result = []
    for key in sorted(groups, key=lambda k: (k[0], k[2], order[k[3]], str(k[4]))):
        rows = groups[key]
        counts = [len(rows)]
        counts += [sum(r["first_category"] == c for r in rows) for c in Category.values]
        counts += [sum(r["latest_category"] == c for r in rows) for c in Category.values]
        counts.append(sum(_improved(r) for r in rows))
        counts.append(sum(r["outflow_to_work"] for r in rows))
        counts.append(sum(r["signals_after_end"] > 0 for r in rows))
        result.append([*key, *(suppress(c) for c in counts)])
    return result


def _improved(row) -> bool:
    first, latest = row["first_category"], row["latest_category"]
    return first is not None and latest is not None and latest > first


def codebook_rows() -> list[list[str]]:
    rows = [["tabel", "kolom", "betekenis", "type", "toegestane waarden"]]
    rows += [["deelnemers", c.name, c.meaning, c.kind, c.allowed] for c in COLUMNS]
    rows += [["aggregaten", c.name, c.meaning, c.kind, c.allowed] for c in AGGREGATE_COLUMNS]
    rows += [["methode", name, text, "", ""] for name, text in anonymity.method_text()]
    return rows


METADATA_HEADER = ["onderdeel", "waarde"]


def to_csv(header: list[str], rows: list[list]) -> bytes:
    """CSV as Dutch spreadsheets open it: UTF-8 with BOM, semicolons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def to_xlsx(participants: list[list], aggregates: list[list], metadata: list[list]) -> bytes:
    workbook = Workbook(write_only=True)
    for title, header, rows in (
        ("Deelnemers", COLUMN_NAMES, participants),
        ("Codeboek", None, codebook_rows()),
        ("Aggregaten", [c.name for c in AGGREGATE_COLUMNS], aggregates),
        ("Toelichting", METADATA_HEADER, metadata),
    ):
        sheet = workbook.create_sheet(title)
        if header:
            sheet.append(header)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
