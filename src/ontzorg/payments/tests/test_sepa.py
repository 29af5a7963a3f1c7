"""The SEPA character set cleaning and identifier rules (payments/sepa.py)."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontzorg.payments.sepa import (
    batch_message_id,
    clean_text,
    identifier_problem,
    make_identifier,
)

SEPA_TEXT = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]*")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Woonstichting Vestia", "Woonstichting Vestia"),
        ("Hélène Müller", "Helene Muller"),
        ("Straße", "Strasse"),
        ("Şükrü Yılmaz", "Sukru Yilmaz"),  # noqa: RUF001
        ("Öztürk Çelik Ğ", "Ozturk Celik G"),
        ("ʿAbd al-Karīm Ḥasan", "'Abd al-Karim Hasan"),
        ("Dunea Duin & Water", "Dunea Duin + Water"),
        ("huur\tnovember\n 2026   klant_12", "huur november 2026 klant-12"),
        ("Ærø Łódź Œuvre", "AEro Lodz OEuvre"),
        ("€ 12,50 “huur”", "EUR 12,50 'huur'"),
        ("Zoë 😀 Bakker", "Zoe Bakker"),
        ("محمد Haddad", "Haddad"),
        ("محمد", ""),
        ("50% korting; <b>&amp;</b> #1 @home!", "50 korting b+amp/b 1 home"),
        ("ＫＰＮ　Ｂ．Ｖ．", "KPN B.V."),  # noqa: RUF001
    ],
)
def test_clean_text_transliterates_and_drops(text, expected):
    assert clean_text(text, 140) == expected


def test_clean_text_truncates_to_the_limit_without_trailing_space():
    assert clean_text("a" * 69 + " b", 70) == "a" * 69
    assert clean_text("é" * 200, 140) == "e" * 140


@given(st.text(), st.integers(min_value=1, max_value=140))
def test_clean_text_always_gives_sepa_text_within_the_limit(text, max_length):
    cleaned = clean_text(text, max_length)
    assert SEPA_TEXT.fullmatch(cleaned)
    assert len(cleaned) <= max_length
    assert "  " not in cleaned
    assert cleaned == cleaned.strip()
    assert clean_text(cleaned, max_length) == cleaned


@given(
    st.from_regex(r"[A-Za-z0-9/\-?:().,'+]([A-Za-z0-9/\-?:().,'+ ]{0,60}[a-z])?", fullmatch=True)
)
def test_clean_text_keeps_sepa_text_as_it_is(text):
    if "  " not in text:
        assert clean_text(text, 70) == text


@pytest.mark.parametrize("value", ["OZ-12-345", "A", "x" * 35, "RUN/2026/12", "a.b,c(d)e?f:g'h+i"])
def test_valid_identifiers(value):
    assert identifier_problem(value) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "ontbreekt"),
        (None, "ontbreekt"),
        ("x" * 36, "langer dan 35"),
        ("OZ 12", "SEPA-tekenset"),
        ("OZ-é", "SEPA-tekenset"),
        ("OZ_12", "SEPA-tekenset"),
        ("/OZ-12", "'/'"),
        ("OZ-12/", "'/'"),
        ("OZ//12", "'//'"),
    ],
)
def test_invalid_identifiers(value, problem):
    assert problem in identifier_problem(value)


def test_make_identifier_joins_parts_and_refuses_bad_ones():
    assert make_identifier("OZ", 12, 345) == "OZ-12-345"
    with pytest.raises(ValueError, match="SEPA-tekenset"):
        make_identifier("OZ", "run 12")
    with pytest.raises(ValueError, match="langer dan 35"):
        make_identifier("OZ", "9" * 40)


def test_batch_message_id_numbers_from_01_and_widens_for_many_batches():
    assert batch_message_id("OZ-202612", 1, 2) == "OZ-202612-01"
    assert batch_message_id("OZ-202612", 7, 120) == "OZ-202612-007"
