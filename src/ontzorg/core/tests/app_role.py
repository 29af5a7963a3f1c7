"""Run test code as the app's PostgreSQL role of docs/production.md: not the owner of the
tables, with exactly the grants the document gives it (its SQL block is read from there, so
the document and the tests cannot drift apart)."""

import re
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

DOCS = Path(__file__).resolve().parents[4] / "docs" / "production.md"


def app_role_sql() -> str:
    """The SQL block of docs/production.md that gives `ontzorg_app` its rights."""
    found = re.search(r"```sql\n(-- ontzorg-app-role.*?)```", DOCS.read_text(), re.S)
    assert found, "docs/production.md lost its `-- ontzorg-app-role` SQL block"
    return found.group(1)


@contextmanager
def as_app_role():
    """Create the app role in the test database (named after it, so that parallel test
    databases do not meet), grant what the document grants, with the current user as the
    tables' owner, and run the block as that role. The role is dropped afterwards."""
    database = connection.settings_dict["NAME"]
    role = f"{database}_app"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
        sql = (
            app_role_sql()
            .replace("ontzorg_app", role)
            .replace("ontzorg_owner", owner)
            .replace("DATABASE ontzorg ", f"DATABASE {database} ")
        )
        cursor.execute(f"DROP ROLE IF EXISTS {role}")
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(sql)
        cursor.execute(f"SET ROLE {role}")
    try:
        yield role
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")
