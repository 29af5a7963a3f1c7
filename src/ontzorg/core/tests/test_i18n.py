"""Participant languages: money and dates per language (Babel), Tigrinya's language info, and
staff pages that stay Dutch whatever the browser asks."""

import re
from datetime import date

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info
from hypothesis import given
from hypothesis import strategies as st

from ontzorg.core import i18n, money
from ontzorg.core.languages import LANGUAGE_CODES

# What a participant reads for 1.234,56 euro and 1 December 2026, per language.
EXPECTED = {
    "nl": ("€ 1.234,56", "1 december 2026"),
    "en": ("€1,234.56", "1 December 2026"),
    "ar": ("\u200f1,234.56\xa0€", "1 ديسمبر 2026"),
    "ti": ("€1,234.56", "ታሕሳስ 1, 2026"),
    "fa": ("\u200e€\xa01,234.56", "1 دسمبر 2026"),
    "tr": ("€1.234,56", "1 Aral\u0131k 2026"),
}


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_money_and_dates_in_each_participant_language(code):
    amount, day = EXPECTED[code]
    assert i18n.local_money(123456, code) == amount
    assert i18n.local_date(date(2026, 12, 1), code) == day


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_the_filters_follow_the_active_language(code):
    template = Template("{% load locale_format %}{{ a|local_money }}|{{ d|local_date }}")
    with translation.override(code):
        rendered = template.render(Context({"a": 123456, "d": date(2026, 12, 1)}))
    assert rendered == "|".join(EXPECTED[code])


def test_dutch_money_is_the_staff_formatter():
    for cents in (0, 5, -250000, 123456789):
        assert i18n.local_money(cents, "nl") == money.euro(cents)
    assert i18n.local_money(None, "ar") == "-"
    assert i18n.local_date(None, "ti") == "-"


@given(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from(LANGUAGE_CODES))
def test_amounts_always_have_latin_digits_and_read_back(cents, code):
    text = i18n.local_money(cents, code)
    digits = re.sub(r"[^0-9]", "", text)
    assert int(digits) == abs(cents)
    assert ("-" in text) == (cents < 0)


def test_unknown_or_regional_codes_fall_back_sensibly():
    assert i18n.babel_locale("fa-af") == "fa_AF"
    assert i18n.babel_locale("de") == "nl_NL"


def test_tigrinya_has_django_language_info():
    info = get_language_info("ti")
    assert info["name_local"] == "ትግርኛ"
    assert info["bidi"] is False
    assert get_language_info("ar")["bidi"] is True
    assert get_language_info("fa")["bidi"] is True


@pytest.mark.django_db
def test_staff_pages_stay_dutch_whatever_the_browser_asks(client, settings):
    assert "django.middleware.locale.LocaleMiddleware" not in settings.MIDDLEWARE
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en,ar;q=0.9").text
    assert '<html lang="nl">' in page
    assert "Gebruikersnaam" in page
    # Django's own messages are Dutch too.
    with pytest.raises(ValidationError, match=r"Dit veld is verplicht\."):
        forms.CharField().clean("")
