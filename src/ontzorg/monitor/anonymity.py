"""k-anonymity of the evaluators' export. Pure: rows in, rows out, no database.

The quasi-identifiers are the columns that someone who knows a participant (a neighbour, a
colleague, a journalist) could know too; together they can single a person out. They are
listed here, in `QUASI_IDENTIFIERS`, and nowhere else.

The pseudonym is the same in every snapshot, so a person is recognised by the whole series
of their rows, not by one row: which snapshots they are in and the quasi-identifiers in each
(an age band or an end month changes over time). Classes are therefore made per person: the
key is that series, and at least K people must share it. A person is kept or left out with
all their rows.

How (written in the codebook too): every quasi-identifier has a ladder of coarser forms
(`LADDERS`). Starting from the finest form, `STEPS` coarsens one column at a time, for the
whole export alike, until at most `MAX_LEFT_OUT_SHARE` of the people are in a class smaller
than K; the people still in such a class are then left out of the participant table (their
number is reported). The classes are always made over every snapshot of every region and the
region is part of every key, so the file of one region holds exactly that region's rows of
the file of all regions: two files cannot be joined on the pseudonym to undo a
generalisation. The aggregates count the same people as the participant table."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .constants import SMALLEST_GROUP, AgeBand, HouseholdType, MonthsBand

K = SMALLEST_GROUP
# Coarsen until no more than this share of the rows would be left out.
MAX_LEFT_OUT_SHARE = 0.05
NOT_GIVEN = ""
OTHER = "overig"

QUASI_IDENTIFIERS = (
    "regio",
    "leeftijd",
    "geslacht",
    "herkomst",
    "huishouden",
    "geletterdheid",
    "jaar_vestiging",
    "start_maand",
    "eind_maand",
    "tijd_sinds_start",
    "begeleidingsorganisatie",
)
PERSON = "pseudoniem"
REGION = "regio"
SNAPSHOT = "peildatum"

# Land of origin (as typed at intake) to region of origin; anything else is "overig".
ORIGIN_REGIONS = {
    "Midden-Oosten en Noord-Afrika": (
        "Syrië",
        "Irak",
        "Iran",
        "Jemen",
        "Turkije",
        "Libanon",
        "Palestina",
        "Palestijnse gebieden",
        "Jordanië",
        "Koeweit",
        "Saoedi-Arabië",
        "Libië",
        "Egypte",
        "Marokko",
        "Algerije",
        "Tunesië",
    ),
    "Afrika bezuiden de Sahara": (
        "Eritrea",
        "Somalië",
        "Soedan",
        "Zuid-Soedan",
        "Ethiopië",
        "Congo",
        "Democratische Republiek Congo",
        "Burundi",
        "Rwanda",
        "Uganda",
        "Nigeria",
        "Guinee",
        "Sierra Leone",
        "Kameroen",
        "Mali",
    ),
    "Azië": (
        "Afghanistan",
        "Pakistan",
        "Sri Lanka",
        "Myanmar",
        "Bangladesh",
        "China",
        "Tibet",
        "Oezbekistan",
        "Tadzjikistan",
    ),
    "Europa": (
        "Oekraïne",
        "Rusland",
        "Wit-Rusland",
        "Belarus",
        "Georgië",
        "Armenië",
        "Azerbeidzjan",
        "Albanië",
        "Kosovo",
    ),
    "Amerika": ("Venezuela", "Colombia", "Cuba", "Nicaragua", "El Salvador", "Honduras"),
}
ORIGIN_OF = {
    country: region for region, countries in ORIGIN_REGIONS.items() for country in countries
}

WIDE_AGE = {
    AgeBand.UNDER_18: "0-17",
    AgeBand.YOUNG: "18-39",
    AgeBand.ADULT: "18-39",
    AgeBand.MIDDLE: "40+",
    AgeBand.OLDER: "40+",
}
WIDE_MONTHS = {
    MonthsBand.FIRST: "0-11",
    MonthsBand.SECOND: "0-11",
    MonthsBand.THIRD: "12+",
    MonthsBand.FOURTH: "12+",
    MonthsBand.LATER: "12+",
}
HOUSEHOLD_SIZE = {
    HouseholdType.SINGLE: "alleen",
    HouseholdType.SINGLE_PARENT: "alleen",
    HouseholdType.COUPLE: "paar",
    HouseholdType.COUPLE_CHILDREN: "paar",
}


def _same(value):
    return value


def _not_given(value):
    return NOT_GIVEN


def _origin(country):
    return ORIGIN_OF.get(country, OTHER) if country else NOT_GIVEN


def _quarter(month: str) -> str:
    """'2025-05' -> '2025-K2'; blank stays blank."""
    return f"{month[:4]}-K{(int(month[5:7]) - 1) // 3 + 1}" if month else NOT_GIVEN


def _half_year(month: str) -> str:
    return f"{month[:4]}-H{1 if int(month[5:7]) <= 6 else 2}" if month else NOT_GIVEN


def _year(month: str) -> str:
    return month[:4] if month else NOT_GIVEN


def _arrival_period(year) -> str:
    """Two-year periods: 2022 and 2023 -> '2022-2023'."""
    if year in (None, ""):
        return NOT_GIVEN
    start = int(year) - int(year) % 2
    return f"{start}-{start + 1}"


@dataclass(frozen=True)
class Rung:
    coarsen: Callable
    text: str


MONTH_LADDER = (
    Rung(_same, gettext_lazy("month (YYYY-MM)")),
    Rung(_quarter, gettext_lazy("quarter (YYYY-K1 to K4)")),
    Rung(_half_year, gettext_lazy("half year (YYYY-H1 or H2)")),
    Rung(_year, gettext_lazy("year (YYYY)")),
    Rung(_not_given, gettext_lazy("not given (empty)")),
)
LADDERS = {
    "regio": (Rung(_same, gettext_lazy("code of the region")),),
    "leeftijd": (
        Rung(_same, gettext_lazy("age class")),
        Rung(WIDE_AGE.get, gettext_lazy("wide class (0-17, 18-39, 40+)")),
        Rung(_not_given, gettext_lazy("not given (empty)")),
    ),
    "geslacht": (Rung(_same, "code"), Rung(_not_given, gettext_lazy("not given (empty)"))),
    "herkomst": (
        Rung(
            _same,
            format_lazy(
                gettext_lazy("country (countries with fewer than {k} participants as '{other}')"),
                k=K,
                other=OTHER,
            ),
        ),
        Rung(
            _origin,
            format_lazy(
                gettext_lazy("region of origin ({regions}; otherwise '{other}')"),
                regions="; ".join(ORIGIN_REGIONS),
                other=OTHER,
            ),
        ),
        Rung(_not_given, gettext_lazy("not given (empty)")),
    ),
    "huishouden": (
        Rung(_same, "code"),
        Rung(HOUSEHOLD_SIZE.get, gettext_lazy("alone (single, also with children) or couple")),
        Rung(_not_given, gettext_lazy("not given (empty)")),
    ),
    "geletterdheid": (Rung(_same, "code"), Rung(_not_given, gettext_lazy("not given (empty)"))),
    "jaar_vestiging": (
        Rung(_same, gettext_lazy("year number")),
        Rung(_arrival_period, gettext_lazy("two-year period (YYYY-YYYY)")),
        Rung(_not_given, gettext_lazy("not given (empty)")),
    ),
    "start_maand": MONTH_LADDER,
    "eind_maand": MONTH_LADDER,
    "tijd_sinds_start": (
        Rung(_same, gettext_lazy("class of six months")),
        Rung(lambda band: WIDE_MONTHS.get(band, NOT_GIVEN), gettext_lazy("0-11 or 12+ months")),
        Rung(_not_given, gettext_lazy("not given (empty)")),
    ),
    "begeleidingsorganisatie": (
        Rung(_same, gettext_lazy("name of the organisation")),
        Rung(_not_given, gettext_lazy("not given (empty)")),
    ),
}
assert set(LADDERS) == set(QUASI_IDENTIFIERS)

# The order in which columns are coarsened: first what evaluators miss least.
STEPS = (
    "start_maand",
    "eind_maand",
    "herkomst",
    "jaar_vestiging",
    "start_maand",
    "eind_maand",
    "leeftijd",
    "huishouden",
    "jaar_vestiging",
    "start_maand",
    "eind_maand",
    "tijd_sinds_start",
    "geletterdheid",
    "herkomst",
    "leeftijd",
    "huishouden",
    "tijd_sinds_start",
    "begeleidingsorganisatie",
    "geslacht",
    "start_maand",
    "eind_maand",
)


@dataclass(frozen=True)
class Result:
    """The participant table of the exported regions: `rows` (coarsened) are the input rows
    at `kept`, in the input's order; the counts are of the exported regions only."""

    header: list[str]
    rows: list[list]
    kept: list[int]
    levels: dict[str, int]
    rows_in: int
    people_in: int
    people_left_out: int

    @property
    def left_out(self) -> int:
        return self.rows_in - len(self.rows)

    def describe(self) -> list[tuple[str, str]]:
        """The export's own metadata: what was done to this file."""
        lines = [
            (_("k (smallest group)"), str(K)),
            (_("quasi-identifiers"), ", ".join(QUASI_IDENTIFIERS)),
            (_("participants before anonymisation"), str(self.people_in)),
            (_("participants left out (group smaller than k)"), str(self.people_left_out)),
            (_("rows before anonymisation"), str(self.rows_in)),
            (_("rows left out (group smaller than k)"), str(self.left_out)),
            (_("rows in this file"), str(len(self.rows))),
        ]
        lines += [
            (_("form of %(column)s") % {"column": column}, str(LADDERS[column][level].text))
            for column, level in self.levels.items()
        ]
        return lines


def _coarsened(rows, index, levels) -> list[list]:
    result = []
    for row in rows:
        row = list(row)
        for column, level in levels.items():
            if level:
                row[index[column]] = LADDERS[column][level].coarsen(row[index[column]])
        result.append(row)
    return result


def _people(rows, index) -> dict[str, list[int]]:
    """Each person's row numbers."""
    people: dict[str, list[int]] = {}
    for number, row in enumerate(rows):
        people.setdefault(row[index[PERSON]], []).append(number)
    return people


def _histories(rows, index, people) -> dict[str, tuple]:
    """Each person's class key: the sorted series of (region, snapshot, quasi-identifiers)
    of all their rows, so also which snapshots they are in."""
    columns = [index[c] for c in dict.fromkeys((REGION, SNAPSHOT, *QUASI_IDENTIFIERS))]
    return {
        person: tuple(
            sorted(
                (tuple(rows[n][i] for i in columns) for n in numbers),
                key=lambda values: [str(v) for v in values],
            )
        )
        for person, numbers in people.items()
    }


def _too_small(histories) -> set[str]:
    sizes = Counter(histories.values())
    return {person for person, history in histories.items() if sizes[history] < K}


def anonymise(header: list[str], rows: list[list], regions=None) -> Result:
    """`rows` (in the order of `header`) coarsened and thinned so that every person's series
    of region, snapshots and quasi-identifiers is shared by at least K people.

    The classes are always made over all `rows`; `regions` (region codes, default all) are
    the regions whose rows are returned, so every file shows a region's rows alike."""
    index = {name: i for i, name in enumerate(header)}
    people = _people(rows, index)
    levels = {column: 0 for column in QUASI_IDENTIFIERS}
    allowed = int(len(people) * MAX_LEFT_OUT_SHARE)
    current = _coarsened(rows, index, levels)
    for column in STEPS:
        if len(_too_small(_histories(current, index, people))) <= allowed:
            break
        if levels[column] + 1 < len(LADDERS[column]):
            levels[column] += 1
            current = _coarsened(rows, index, levels)
    dropped = _too_small(_histories(current, index, people))
    wanted = [n for n, row in enumerate(rows) if regions is None or row[index[REGION]] in regions]
    kept = [n for n in wanted if rows[n][index[PERSON]] not in dropped]
    exported = {rows[n][index[PERSON]] for n in wanted}
    return Result(
        header,
        [current[n] for n in kept],
        kept,
        levels,
        rows_in=len(wanted),
        people_in=len(exported),
        people_left_out=len(exported & dropped),
    )


def method_text() -> list[tuple[str, str]]:
    """The codebook's account of the method (the same for every export)."""
    return [
        (
            _("k-anonymity"),
            _(
                "A participant has the same pseudonym in every snapshot. So a "
                "participant's whole series counts: the region, the snapshots they "
                "appear in and the quasi-identifiers on each reference date. Every "
                "series belongs to at least %(k)s participants, so every combination "
                "of region, reference date and quasi-identifiers also occurs at least "
                "%(k)s times."
            )
            % {"k": K},
        ),
        (_("quasi-identifiers"), ", ".join(QUASI_IDENTIFIERS)),
        (
            _("generalising"),
            _(
                "Columns are made coarser step by step, the same for the whole file "
                "(order: %(steps)s), until at most %(share)s of the participants fall "
                "in a group smaller than %(k)s. This is always decided over all "
                "snapshots of all regions: the export of one region has the same forms "
                "and exactly the same rows as that region in the export of all regions."
            )
            % {"steps": ", ".join(STEPS), "share": f"{MAX_LEFT_OUT_SHARE:.0%}", "k": K},
        ),
        *[
            (
                _("forms of %(column)s") % {"column": column},
                " > ".join(str(rung.text) for rung in ladder),
            )
            for column, ladder in LADDERS.items()
            if len(ladder) > 1
        ],
        (
            _("suppressing"),
            _(
                "Participants who then still fall in a group smaller than %(k)s are "
                "left out with all their rows (not emptied). The number is in the "
                "export's explanation (the Toelichting tab, or the CSV 'toelichting'). "
                "The aggregates count the same participants as the participant file: "
                "the participants left out do not count there either."
            )
            % {"k": K},
        ),
        (
            _("pseudonym"),
            _(
                "HMAC-SHA256 of the participant number with the secret key of the "
                "evaluation study (on the server only). The same in every export of "
                "the same study, for every region and for 'All regions'; different in "
                "another study."
            ),
        ),
        (
            _("caution"),
            _(
                "A new snapshot can change the forms of a later export. Putting two "
                "exports with a different generalisation side by side can reveal more "
                "than each alone; preferably keep one export per measurement moment "
                "per study."
            ),
        ),
    ]
