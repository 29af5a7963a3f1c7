"""The embedded default (SQLite) runs in WAL mode with a busy timeout, so that pages keep
reading while a worker writes and a writer waits for the lock instead of failing at once."""

import importlib
import os
from unittest import mock

from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper


def test_sqlite_connections_use_wal_and_a_busy_timeout(tmp_path, django_db_blocker):
    from ontzorg.conf import base

    with mock.patch.dict(os.environ, {"ONTZORG_VAR_DIR": str(tmp_path)}):
        os.environ.pop("DATABASE_URL", None)
        settings = importlib.reload(base).DATABASES["default"]
    importlib.reload(base)
    assert settings["ENGINE"] == "django.db.backends.sqlite3"
    wrapper = DatabaseWrapper({**connections["default"].settings_dict, **settings}, alias="probe")
    with django_db_blocker.unblock():
        try:
            with wrapper.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
                cursor.execute("PRAGMA busy_timeout")
                assert cursor.fetchone()[0] >= 10_000
        finally:
            wrapper.close()
    assert settings["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
