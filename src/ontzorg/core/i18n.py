"""Participant languages at run time: Django's language info for Tigrinya, and money and dates
formatted per language from CLDR (Babel), in the one home for locale-aware formatting.

Our language codes map to these Babel locales:

- ``nl`` -> ``nl_NL``; money goes through :func:`ontzorg.core.money.euro` so Dutch amounts look
  the same on participant letters and staff pages.
- ``en`` -> ``en_GB``: day-month-year dates, as in the Netherlands.
- ``ar`` -> ``ar`` (Modern Standard Arabic): its month names (ديسمبر) are read across all
  Arabic-speaking countries; the Levantine ones of ``ar_SY`` (كانون الأول) are not.
- ``ti`` -> ``ti_ER``: most Tigrinya-speaking participants come from Eritrea; ``ti_ET`` formats
  the same.
- ``fa`` -> ``fa_AF`` (Dari): most Persian-speaking participants come from Afghanistan and know
  its month names (دسمبر); an Iranian reader still recognises them.
- ``tr`` -> ``tr_TR``.

Amounts always use Latin digits (``numbering_system="latn"``): they must match the bank
statement and the letters of the municipality, whatever the script around them.
"""

from datetime import date
from decimal import Decimal

from babel.dates import format_date, format_skeleton
from babel.numbers import format_currency
from django.conf.locale import LANG_INFO
from django.utils import translation

from ontzorg.core.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from ontzorg.core.money import euro

BABEL_LOCALES = {
    "nl": "nl_NL",
    "en": "en_GB",
    "ar": "ar",
    "ti": "ti_ER",
    "fa": "fa_AF",
    "tr": "tr_TR",
}

# Django ships no language info for Tigrinya; get_language_info("ti") and the
# {% get_language_info %} tag need it.
TIGRINYA_INFO = {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"}


def register_language_info() -> None:
    """Add the participant languages Django does not know to django.conf.locale.LANG_INFO."""
    LANG_INFO.setdefault("ti", TIGRINYA_INFO)


def language_code(language: str | None = None) -> str:
    """`language` or the active language, reduced to one of our codes (``"fa-af"`` -> ``"fa"``)."""
    code = (language or translation.get_language() or DEFAULT_LANGUAGE).split("-")[0].lower()
    return code if code in LANGUAGE_CODES else DEFAULT_LANGUAGE


def babel_locale(language: str | None = None) -> str:
    """The Babel locale for `language` (default: the active language)."""
    return BABEL_LOCALES[language_code(language)]


def local_money(cents: int | None, language: str | None = None, *, empty: str = "-") -> str:
    """Integer cents as euros in `language` (default: active), Latin digits; `empty` for None."""
    if cents is None or cents == "":
        return empty
    code = language_code(language)
    if code == DEFAULT_LANGUAGE:
        return euro(cents)
    return format_currency(
        Decimal(int(cents)).scaleb(-2), "EUR", locale=BABEL_LOCALES[code], numbering_system="latn"
    )


def local_date(day: date | None, language: str | None = None, *, empty: str = "-") -> str:
    """`day` as a long date in `language` (default: active): ``1 december 2026``."""
    if day is None or day == "":
        return empty
    return format_date(day, format="long", locale=babel_locale(language))


def local_month(day: date | None, language: str | None = None, *, empty: str = "") -> str:
    """The month and year of `day` in `language` (default: active): ``december 2026``."""
    if day is None or day == "":
        return empty
    return format_skeleton("yMMMM", day, locale=babel_locale(language))
