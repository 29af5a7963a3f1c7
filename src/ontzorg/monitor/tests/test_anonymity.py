"""k-anonymity of the evaluators' export (monitor.anonymity): with any population, every
combination of snapshot and quasi-identifiers in the participant table has at least K rows,
and every person's series over the snapshots is shared by at least K people."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from ontzorg.monitor import anonymity
from ontzorg.monitor.constants import AgeBand, HouseholdType
from ontzorg.monitor.export import COLUMN_NAMES
from ontzorg.participants.constants import Gender, Literacy

CLASS_COLUMNS = (anonymity.REGION, anonymity.SNAPSHOT, *anonymity.QUASI_IDENTIFIERS)


def classes(header, rows) -> Counter:
    index = [header.index(c) for c in dict.fromkeys(CLASS_COLUMNS)]
    return Counter(tuple(row[i] for i in index) for row in rows)


def histories(header, rows) -> dict[str, frozenset]:
    """Each pseudonym's series: the set of its rows' (region, snapshot, quasi-identifiers)."""
    index = [header.index(c) for c in dict.fromkeys(CLASS_COLUMNS)]
    series: dict[str, set] = {}
    for row in rows:
        series.setdefault(row[0], set()).add(tuple(row[i] for i in index))
    return {person: frozenset(rows) for person, rows in series.items()}


def assert_every_person_hides_among_k(header, rows):
    series = histories(header, rows)
    for person, history in series.items():
        alike = {other for other, theirs in series.items() if theirs == history}
        assert len(alike) >= anonymity.K, f"{person} shares its series with {len(alike) - 1}"


def months():
    return st.one_of(
        st.just(""),
        st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2024, 2027), st.integers(1, 12)),
    )


person = st.fixed_dictionaries(
    {
        "regio": st.sampled_from(["capelle", "edam", "hia"]),
        "peildatum": st.sampled_from(["2026-01-31", "2026-06-30"]),
        "leeftijd": st.sampled_from(AgeBand.values),
        "geslacht": st.sampled_from(Gender.values),
        "herkomst": st.sampled_from(["Syrië", "Eritrea", "Afghanistan", "Jemen", "overig"]),
        "huishouden": st.sampled_from(HouseholdType.values),
        "geletterdheid": st.sampled_from(Literacy.values),
        "jaar_vestiging": st.integers(2015, 2026),
        "start_maand": months(),
        "eind_maand": months(),
    }
)


def blank(name, number):
    return "" if name in anonymity.QUASI_IDENTIFIERS else f"x{number}"


def as_rows(people) -> list[list]:
    rows = []
    for number, values in enumerate(people):
        row = [values.get(name, blank(name, number)) for name in COLUMN_NAMES]
        row[COLUMN_NAMES.index("pseudoniem")] = f"p{number}"
        rows.append(row)
    return rows


@settings(max_examples=150, deadline=None)
@given(st.lists(person, min_size=0, max_size=120))
def test_no_row_is_unique_on_the_quasi_identifiers(people):
    rows = as_rows(people)
    result = anonymity.anonymise(COLUMN_NAMES, rows)
    assert all(size >= anonymity.K for size in classes(COLUMN_NAMES, result.rows).values())
    assert result.rows_in == len(rows)
    assert result.left_out == len(rows) - len(result.rows)
    # What is not a quasi-identifier is never changed: each kept row is one of the input's.
    loose = [i for i, c in enumerate(COLUMN_NAMES) if c not in anonymity.QUASI_IDENTIFIERS]
    original = {row[0]: row for row in rows}
    for row in result.rows:
        assert [row[i] for i in loose] == [original[row[0]][i] for i in loose]


SNAPSHOTS = ("2026-01-31", "2026-06-30", "2026-12-31")

# A person followed over snapshots: what stays (region, gender, ...) and, per snapshot they
# are in, what changes (age band, end month after an extension).
followed = st.fixed_dictionaries(
    {
        "regio": st.sampled_from(["capelle", "edam"]),
        "geslacht": st.sampled_from(Gender.values),
        "herkomst": st.sampled_from(["Syrië", "Eritrea", "Afghanistan"]),
        "huishouden": st.sampled_from(HouseholdType.values),
        "geletterdheid": st.sampled_from(Literacy.values),
        "jaar_vestiging": st.integers(2018, 2024),
        "start_maand": months(),
        "snapshots": st.lists(
            st.tuples(st.sampled_from(SNAPSHOTS), st.sampled_from(AgeBand.values), months()),
            min_size=2,
            max_size=3,
            unique_by=lambda s: s[0],
        ),
    }
)


def followed_rows(people) -> list[list]:
    rows = []
    for number, person in enumerate(people):
        fixed = {k: v for k, v in person.items() if k != "snapshots"}
        for on, age, end in person["snapshots"]:
            values = {**fixed, "peildatum": on, "leeftijd": age, "eind_maand": end}
            row = [values.get(name, blank(name, number)) for name in COLUMN_NAMES]
            row[COLUMN_NAMES.index("pseudoniem")] = f"p{number}"
            rows.append(row)
    return rows


@settings(max_examples=150, deadline=None)
@given(st.lists(followed, min_size=0, max_size=60))
def test_nobody_is_singled_out_by_linking_snapshots(people):
    rows = followed_rows(people)
    result = anonymity.anonymise(COLUMN_NAMES, rows)
    assert_every_person_hides_among_k(COLUMN_NAMES, result.rows)
    # A person is kept or left out with all their rows.
    kept = {row[0] for row in result.rows}
    assert result.kept == [n for n, row in enumerate(rows) if row[0] in kept]


def test_classes_per_snapshot_do_not_hide_who_changed_age_band():
    """Ten people in two snapshots, five per age band in each: every class of a snapshot has
    five rows, but p4 (older in the second) and p5 (younger: corrected) are one of a kind."""
    people = []
    for number in range(10):
        first = AgeBand.YOUNG if number < 5 else AgeBand.ADULT
        second = {4: AgeBand.ADULT, 5: AgeBand.YOUNG}.get(number, first)
        people.append(
            {
                "regio": "edam",
                "snapshots": [("2026-01-31", first, ""), ("2026-06-30", second, "")],
            }
        )
    rows = followed_rows(people)
    assert min(classes(COLUMN_NAMES, rows).values()) == anonymity.K
    result = anonymity.anonymise(COLUMN_NAMES, rows)
    assert_every_person_hides_among_k(COLUMN_NAMES, result.rows)
    assert len(result.rows) == 20  # kept by coarsening the age band, not by leaving out
    assert result.levels["leeftijd"] > 0


def test_a_person_in_fewer_snapshots_than_the_rest_is_left_out_with_all_rows():
    people = [
        {"regio": "edam", "snapshots": [("2026-01-31", AgeBand.YOUNG, ""), *later]}
        for later in [[("2026-06-30", AgeBand.YOUNG, "")]] * 6 + [[]]
    ]
    rows = followed_rows(people)
    result = anonymity.anonymise(COLUMN_NAMES, rows)
    assert {row[0] for row in result.rows} == {f"p{n}" for n in range(6)}
    assert (result.people_in, result.people_left_out) == (7, 1)
    assert (result.rows_in, result.left_out) == (13, 1)


def test_one_regions_rows_are_the_same_whichever_regions_are_asked():
    people = [
        {
            "regio": "edam" if n < 6 else "capelle",
            "geslacht": Gender.values[n % 2],
            "snapshots": [("2026-01-31", AgeBand.values[n % 5], f"2026-{1 + n % 12:02d}")],
        }
        for n in range(20)
    ]
    rows = followed_rows(people)
    everywhere = anonymity.anonymise(COLUMN_NAMES, rows)
    edam = anonymity.anonymise(COLUMN_NAMES, rows, regions={"edam"})
    assert edam.rows == [row for row in everywhere.rows if row[1] == "edam"]
    assert edam.rows and edam.levels == everywhere.levels
    assert edam.rows_in == 6 and set(edam.kept) <= set(everywhere.kept)


def test_a_varied_population_is_coarsened_rather_than_thrown_away():
    people = [
        {
            "regio": "capelle",
            "peildatum": "2026-01-31",
            "leeftijd": AgeBand.values[i % 5],
            "geslacht": Gender.values[i % 2],
            "herkomst": ["Syrië", "Eritrea", "Jemen"][i % 3],
            "huishouden": HouseholdType.values[i % 4],
            "geletterdheid": Literacy.values[i % 2],
            "jaar_vestiging": 2020 + i % 5,
            "start_maand": f"2025-{1 + i % 12:02d}",
            "eind_maand": f"2026-{1 + i % 12:02d}",
        }
        for i in range(60)
    ]
    rows = as_rows(people)
    assert min(classes(COLUMN_NAMES, rows).values()) == 1  # every row unique before
    result = anonymity.anonymise(COLUMN_NAMES, rows)
    assert min(classes(COLUMN_NAMES, result.rows).values()) >= anonymity.K
    assert result.left_out <= len(rows) * anonymity.MAX_LEFT_OUT_SHARE
    assert result.levels["start_maand"] > 0
    described = dict(result.describe())
    assert described["rijen weggelaten (groep kleiner dan k)"] == str(result.left_out)


def test_a_snapshot_smaller_than_k_is_left_out_whole():
    people = [{"regio": "edam", "peildatum": "2026-01-31", "leeftijd": "18-26"}] * 4
    result = anonymity.anonymise(COLUMN_NAMES, as_rows(people))
    assert result.rows == [] and result.left_out == 4


def test_generalisations():
    assert anonymity._quarter("2025-05") == "2025-K2"
    assert anonymity._half_year("2025-07") == "2025-H2"
    assert anonymity._origin("Eritrea") == "Afrika bezuiden de Sahara"
    assert anonymity._origin("Atlantis") == anonymity.OTHER
    assert anonymity._arrival_period(2023) == "2022-2023"
