"""BSN (11-proof) and IBAN validation give clear Dutch errors."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.nl import bsn as stdnum_bsn

from ontzorg.participants.validators import validate_bsn, validate_iban
from ontzorg_demo import testdata


def message(exc_info) -> str:
    return " ".join(exc_info.value.messages)


@pytest.mark.parametrize("value", ["999999990", "111222333", " 1112 22333 "])
def test_valid_bsn_passes(value):
    validate_bsn(value)


def test_bsn_failing_eleven_proof_is_explained():
    with pytest.raises(ValidationError) as exc_info:
        validate_bsn("111222334")
    assert message(exc_info) == (
        "111222334 is geen geldig BSN: de elfproef klopt niet. Controleer de cijfers."
    )
    assert exc_info.value.error_list[0].code == "bsn_checksum"


def test_bsn_of_wrong_length_says_how_many_digits():
    with pytest.raises(ValidationError) as exc_info:
        validate_bsn("12345")
    assert message(exc_info) == "Een BSN heeft 9 cijfers; 12345 heeft er 5."


def test_bsn_with_letters_is_refused():
    with pytest.raises(ValidationError) as exc_info:
        validate_bsn("12345678A")
    assert message(exc_info) == "Een BSN bestaat alleen uit cijfers."


def eleven_proof(value: str) -> bool:
    weighted = sum(w * int(d) for w, d in zip(range(9, 1, -1), value[:8], strict=True))
    return (weighted - int(value[8])) % 11 == 0


@given(st.integers(min_value=10_000_000, max_value=99_999_999), st.integers(0, 9))
def test_bsn_validator_is_the_eleven_proof(body, check):
    value = f"{body}{check}"
    try:
        validate_bsn(value)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == eleven_proof(value)


@pytest.mark.parametrize(
    "value", ["NL91ABNA0417164300", "nl91 abna 0417 1643 00", testdata.fake_iban(3)]
)
def test_valid_iban_passes(value):
    validate_iban(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("NL91ABNA0417164301", "Het controlegetal van dit IBAN klopt niet. Controleer de cijfers."),
        ("NL91ABNA04171643", "Dit IBAN heeft niet de juiste opbouw voor het land."),
        ("XX91ABNA0417164300", "Dit IBAN begint niet met een bekende landcode."),
    ],
)
def test_invalid_iban_is_explained(value, expected):
    with pytest.raises(ValidationError) as exc_info:
        validate_iban(value)
    assert message(exc_info) == expected


def test_generated_test_numbers_are_valid_and_distinct():
    bsns = [testdata.fake_bsn(n) for n in range(2000)]
    assert len(set(bsns)) == 2000
    assert all(stdnum_bsn.is_valid(b) for b in bsns)
    for n in range(50):
        validate_iban(testdata.fake_iban(n))


def test_bsn_of_nine_zeros_is_refused_as_a_number_not_for_its_characters():
    with pytest.raises(ValidationError) as exc_info:
        validate_bsn("000000000")
    assert message(exc_info) == (
        "000000000 is geen geldig BSN: een BSN bestaat niet uit alleen nullen."
    )
    assert exc_info.value.error_list[0].code == "bsn_zero"
