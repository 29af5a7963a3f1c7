from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontzorg.signals import csv_layout
from ontzorg.signals.report import (
    ReportInvalid,
    clean_report,
    normalise_house_number,
    normalise_postcode,
    parse_euros,
)

TODAY = date(2025, 6, 1)


def test_postcode_spellings_are_one_postcode():
    assert normalise_postcode("2711ab") == "2711 AB"
    assert normalise_postcode(" 2711  AB ") == "2711 AB"
    assert normalise_postcode("2711 AB") == "2711 AB"
    assert normalise_postcode("0711 AB") == ""
    assert normalise_postcode("2711") == ""


def test_house_number_spellings():
    assert normalise_house_number("12 a") == normalise_house_number("12-A") == "12A"


@pytest.mark.parametrize(
    ("text", "cents"),
    [("1234,56", 123456), ("1234.56", 123456), ("1.234,56", 123456), ("€ 80", 8000)],
)
def test_euro_amounts(text, cents):
    assert parse_euros(text) == cents


def test_fractions_of_cents_are_refused():
    with pytest.raises(ValueError):
        parse_euros("12,345")


@given(st.integers(min_value=1, max_value=10_000_000))
def test_euros_round_trip(cents):
    assert parse_euros(f"{cents // 100},{cents % 100:02d}") == cents


def test_report_needs_bsn_or_full_address():
    with pytest.raises(ReportInvalid) as exc:
        clean_report(
            {"soort": "overig", "gemeld_op": "2025-03-01", "postcode": "2711AB"},
            today=TODAY,
            amount_in_cents=True,
        )
    assert "bsn" in exc.value.errors


def test_arrears_need_an_amount_and_future_dates_are_refused():
    with pytest.raises(ReportInvalid) as exc:
        clean_report(
            {"soort": "betalingsachterstand", "gemeld_op": "2025-07-01", "bsn": "999999990"},
            today=TODAY,
            amount_in_cents=True,
        )
    assert set(exc.value.errors) == {"bedrag_cent", "gemeld_op"}


def test_invalid_bsn_says_why():
    with pytest.raises(ReportInvalid) as exc:
        clean_report(
            {"soort": "overig", "gemeld_op": "2025-03-01", "bsn": "123456789"},
            today=TODAY,
            amount_in_cents=True,
        )
    assert "elfproef" in exc.value.errors["bsn"][0]


def test_csv_example_in_the_docs_parses():
    rows = csv_layout.parse(csv_layout.EXAMPLE.encode(), today=TODAY)
    assert [r.line for r in rows] == [2, 3]
    assert rows[0].report.amount_cents == 123456
    assert rows[1].report.postcode == "2711 AB"
    assert rows[1].report.date_of_birth == date(1990, 5, 17)


def test_csv_with_bom_and_columns_in_another_order():
    data = "\ufeffgemeld_op;soort;bsn;bedrag\n01-03-2025;betalingsachterstand;999999990;10\n"
    (row,) = csv_layout.parse(data.encode("utf-8"), today=TODAY)
    assert row.report.bsn == "999999990"
    assert row.report.amount_cents == 1000


def test_csv_lists_every_bad_line():
    data = (
        "bsn;soort;bedrag;gemeld_op\n"
        "999999990;betalingsachterstand;10;2025-03-01\n"
        "123456789;betalingsachterstand;10;2025-03-01\n"
        "999999990;huur;10;2025-03-01\n"
    )
    with pytest.raises(csv_layout.CsvInvalid) as exc:
        csv_layout.parse(data.encode(), today=TODAY)
    problems = exc.value.problems
    assert len(problems) == 2
    assert problems[0].startswith("Regel 3: bsn:")
    assert problems[1].startswith("Regel 4: soort:")


def test_csv_not_utf8_or_comma_separated():
    with pytest.raises(csv_layout.CsvInvalid, match="UTF-8"):
        csv_layout.parse("bsn;soort;gemeld_op\n;caf\xe9;\n".encode("latin-1"), today=TODAY)
    with pytest.raises(csv_layout.CsvInvalid) as exc:
        csv_layout.parse(b"bsn,soort,gemeld_op\n", today=TODAY)
    assert "puntkomma" in exc.value.problems[0]
