"""The evaluators' export: pseudonymised rows of the snapshots, aggregates in which groups
below five are suppressed, and the codebook that explains every column.

Pure apart from reading the snapshot rows. The pseudonym is an HMAC-SHA256 of the
participant's id under a key drawn for this one export and thrown away afterwards: within an
export a participant keeps one pseudonym (so both measurement moments can be linked), across
exports the pseudonyms cannot be linked, and nobody can turn one back into a person. No BSN,
name, address, date of birth or free text is ever read, let alone written."""

import csv
import hashlib
import hmac
import io
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook

from ontzorg.participants.constants import Gender, Literacy, Phase
from ontzorg.regelingen.constants import Mode

from .constants import SMALLEST_GROUP, AgeBand, Category, HouseholdType
from .models import SnapshotRow

OTHER_COUNTRY = "overig"
SUPPRESSED = "<5"


def _choices(choices) -> str:
    return "; ".join(f"{value} = {label}" for value, label in choices)


CATEGORIES = _choices(Category.choices) + "; leeg = niet gemeten"


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    kind: str
    allowed: str


COLUMNS = [
    Column(
        "pseudoniem",
        "Pseudoniem van de deelnemer, alleen geldig binnen dit exportbestand",
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
        f"Land van herkomst; landen met minder dan {SMALLEST_GROUP} deelnemers in dit bestand "
        f"als '{OTHER_COUNTRY}'",
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
    Column("uitstroom_werk", "Uitgestroomd naar werk", "0/1", "0 = nee; 1 = ja"),
    Column("uitstroom_maand", "Maand van uitstroom naar werk", "maand (JJJJ-MM)", "leeg = geen"),
    Column(
        "begeleiding_uren",
        "Begeleiding: individuele contacten plus bijgewoonde groepsbijeenkomsten",
        "getal (1 decimaal)",
        ">= 0",
    ),
    Column(
        "trainingen",
        "Aantal trainingen met minstens één bijgewoonde bijeenkomst",
        "geheel getal",
        ">= 0",
    ),
    Column(
        "inhouding_gem_maand_cent",
        "Gemiddeld ingehouden vaste lasten per maand met inhouding (grootboek)",
        "geheel getal (cent)",
        ">= 0",
    ),
    Column("maanden_inhouding", "Maanden met inhouding", "geheel getal", ">= 0"),
    Column(
        "maanden_tekort",
        "Maanden waarin het inkomen de vaste lasten niet dekte",
        "geheel getal",
        ">= 0",
    ),
    Column("terugboekingen", "Door de bank teruggeboekte betalingen", "geheel getal", ">= 0"),
    Column("reservering_cent", "Saldo van de spaarpotjes (grootboek)", "geheel getal (cent)", ""),
    Column(
        "achterstand_start_cent",
        "Bekende betalingsachterstanden (uit signalen) bij de start van het ontzorgen",
        "geheel getal (cent)",
        ">= 0",
    ),
    Column(
        "achterstand_nu_cent",
        "Bekende betalingsachterstanden (uit signalen) op de peildatum",
        "geheel getal (cent)",
        ">= 0",
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
    "outflow_on",
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


def new_key() -> bytes:
    return secrets.token_bytes(32)


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
                _month(row["outflow_on"]),
                round(row["guidance_minutes"] / 60, 1),
                row["trainings_attended"],
                round(row["withheld_cents"] / months) if months else 0,
                months,
                row["shortfall_months"],
                row["returned_payments"],
                row["reserves_cents"],
                row["arrears_start_cents"],
                row["arrears_now_cents"],
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
    """Counts per snapshot and group; every count from 1 to 4 is shown as '<5'."""
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
    return rows


def to_csv(header: list[str], rows: list[list]) -> bytes:
    """CSV as Dutch spreadsheets open it: UTF-8 with BOM, semicolons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def to_xlsx(participants: list[list], aggregates: list[list]) -> bytes:
    workbook = Workbook(write_only=True)
    for title, header, rows in (
        ("Deelnemers", COLUMN_NAMES, participants),
        ("Codeboek", None, codebook_rows()),
        ("Aggregaten", [c.name for c in AGGREGATE_COLUMNS], aggregates),
    ):
        sheet = workbook.create_sheet(title)
        if header:
            sheet.append(header)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
