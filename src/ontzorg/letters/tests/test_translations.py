"""The letters app's six catalogues: complete (nothing empty, nothing fuzzy, every message id
of the code in them), each marked as a draft, placeholders kept, and the glossary's fixed
terms used wherever the English term occurs in a message id."""

import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command

from ontzorg.core.languages import LANGUAGE_CODES
from ontzorg.letters.glossary import TERMS

APP = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _catalogue(code, app=APP):
    with open(app / "locale" / code / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po, abort_invalid=True)


def _messages(catalogue):
    return [message for message in catalogue if message.id]


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_catalogue_is_complete_and_marked_as_draft(code):
    catalogue = _catalogue(code)
    assert "DRAFT" in catalogue.header_comment
    assert "native speaker" in catalogue.header_comment
    assert dict(catalogue.mime_headers)["Language"] == code
    assert not catalogue.fuzzy
    for message in _messages(catalogue):
        assert message.string.strip(), f"{code}: no translation of {message.id!r}"
        assert not message.fuzzy, f"{code}: fuzzy {message.id!r}"
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(
            PLACEHOLDER.findall(message.id)
        ), f"{code}: placeholders of {message.id!r}"


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_translations_use_the_glossary(code):
    for message in _messages(_catalogue(code)):
        for english, terms in TERMS.items():
            if re.search(rf"\b{re.escape(english)}", message.id, flags=re.IGNORECASE):
                assert terms[code].casefold() in message.string.casefold(), (
                    f"{code}: {message.id!r} should say {terms[code]!r}"
                )


def test_every_glossary_term_in_every_language():
    for english, terms in TERMS.items():
        assert set(terms) == set(LANGUAGE_CODES), english


@pytest.mark.skipif(not shutil.which("xgettext"), reason="make system-packages: gettext")
def test_the_catalogues_hold_every_message_of_the_code(tmp_path):
    """makemessages on a copy of the app finds no message id the catalogues lack."""
    copy = tmp_path / "letters"
    shutil.copytree(
        APP, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests", "migrations")
    )
    here = Path.cwd()
    try:
        os.chdir(copy)
        call_command("makemessages", locale=["nl"], verbosity=0)
    finally:
        os.chdir(here)
    found = {(m.context, m.id) for m in _messages(_catalogue("nl", copy))}
    for code in LANGUAGE_CODES:
        have = {(m.context, m.id) for m in _messages(_catalogue(code))}
        assert not found - have, f"{code} lacks {sorted(found - have, key=str)[:5]}"
