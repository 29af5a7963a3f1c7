"""The Dutch translation is complete: every message id in the code and the templates of an app
has a Dutch text in that app's own nl catalogue, none is fuzzy, and none is left over.

Message ids are English (STYLE.md); staff pages are Dutch only through these catalogues, so a
missing entry would show English on a Dutch page."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

SRC = Path(__file__).resolve().parents[2]
CATALOGUES = [
    *sorted(SRC.glob("*/locale/nl/LC_MESSAGES/django.po")),
    SRC / "locale/nl/LC_MESSAGES/django.po",
]


def _read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def _extracted(folder: Path, tmp_path: Path) -> set[str]:
    """The message ids makemessages finds in `folder` (tests and migrations left out)."""
    copy = tmp_path / folder.name
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("tests", "migrations", "*.mo"))
    if folder == SRC:
        # The project level: its own templates and modules, not the apps below it.
        for child in copy.iterdir():
            if child.is_dir() and child.name not in {"templates", "locale"}:
                shutil.rmtree(child)
    shutil.rmtree(copy / "locale", ignore_errors=True)
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, str(SRC.parents[1] / "manage.py"), "makemessages", "-l", "nl"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return {message.id for message in _read(copy / "locale/nl/LC_MESSAGES/django.po") if message.id}


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: path.parts[-5])
def test_dutch_catalogue_is_complete_and_current(catalogue, tmp_path):
    assert catalogue.exists(), f"{catalogue} is missing"
    messages = [message for message in _read(catalogue) if message.id]
    untranslated = [
        message.id
        for message in messages
        if not (all(message.string) if isinstance(message.string, tuple) else message.string)
    ]
    fuzzy = [message.id for message in messages if message.fuzzy]
    assert not untranslated, f"no Dutch for: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"

    in_catalogue = {message.id for message in messages}
    found = _extracted(catalogue.parents[3], tmp_path)
    assert not found - in_catalogue, f"not in {catalogue}: {sorted(found - in_catalogue)[:10]}"
    assert not in_catalogue - found, (
        f"left over in {catalogue}: {sorted(in_catalogue - found)[:10]}"
    )


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: path.parts[-5])
def test_the_dutch_of_each_catalogue_is_the_dutch_shown(catalogue):
    """All catalogues merge into one per language, and an earlier app (Django's own among them)
    wins a message id that two catalogues translate differently; each of ours must win."""
    shown_differently = []
    with translation.override("nl"):
        for message in _read(catalogue):
            if not message.id:
                continue
            if isinstance(message.id, tuple):
                wanted = message.string
                shown = tuple(
                    translation.npgettext(message.context, *message.id, n)
                    if message.context
                    else translation.ngettext(*message.id, n)
                    for n in (1, 2)
                )
            else:
                wanted = message.string
                shown = (
                    translation.pgettext(message.context, message.id)
                    if message.context
                    else translation.gettext(message.id)
                )
            if shown != wanted:
                shown_differently.append((message.id, wanted, shown))
    assert not shown_differently, shown_differently[:10]
