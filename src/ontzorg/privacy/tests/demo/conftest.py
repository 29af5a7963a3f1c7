"""The demo data, loaded once (with the clock frozen) for the retention and inzage tests of
this package and rolled back after the last of them; each test runs in a savepoint of its
own. Stored files are not in the database, so they are put back by hand: after each test the
demo's files are as the demo made them, and after the package none of them is left."""

from io import StringIO

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from ontzorg.conftest import FROZEN_NOW


def stored_files(folder: str = "") -> dict[str, bytes]:
    """Every file in the default storage under `folder`, with its content."""
    found = {}
    folders, files = default_storage.listdir(folder)
    for name in files:
        path = f"{folder}/{name}" if folder else name
        with default_storage.open(path, "rb") as handle:
            found[path] = handle.read()
    for name in folders:
        found |= stored_files(f"{folder}/{name}" if folder else name)
    return found


def restore_files(wanted: dict[str, bytes]) -> None:
    """Make the storage hold exactly `wanted` again (files a test added go, erased ones
    come back under their own name)."""
    for name in set(stored_files()) - set(wanted):
        default_storage.delete(name)
    for name, content in wanted.items():
        if not default_storage.exists(name):
            saved = default_storage.save(name, ContentFile(content))
            assert saved == name, (saved, name)


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    before = stored_files()
    with (
        django_db_blocker.unblock(),
        time_machine.travel(FROZEN_NOW, tick=False),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=StringIO())
        yield stored_files()
        transaction.set_rollback(True)
    restore_files(before)


@pytest.fixture
def on_demo(demo, db):
    """The demo, with this test's changes (rows and stored files) undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    restore_files(demo)
