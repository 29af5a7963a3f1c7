"""All migrations run from an empty database, on SQLite and on PostgreSQL: data migrations
may use only the historical models and literal data, never live code."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]


def _migrate(database_url: str, tmp_path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "ontzorg.conf.ci",
        "ONTZORG_VAR_DIR": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_migrations_run_from_zero_on_sqlite(tmp_path):
    result = _migrate(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]


def test_migrations_run_from_zero_on_postgresql(tmp_path):
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        pytest.skip("runs in the PostgreSQL pass of CI (DATABASE_URL set)")
    import psycopg

    base = server.rsplit("/", 1)[0]
    name = f"ontzorg_fresh_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        result = _migrate(f"{base}/{name}", tmp_path)
        assert result.returncode == 0, result.stderr[-3000:]
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
