"""Inserting many rows fast: the payment instructions, ledger accounts, transactions and
entries of a payment run (hundreds of thousands a month).

Django's `bulk_create` spends most of its time preparing every value of every model instance.
These helpers take plain tuples of values the database driver takes as they are (int, str,
bool, date, aware datetime, None). On PostgreSQL they use COPY, several times faster than
even a multi-row INSERT; elsewhere (SQLite in tests and development) they fall back to
`bulk_create`, which is fast enough there.

The unique constraints stay the guard against duplicates: without ``ignore_conflicts`` a
duplicate raises IntegrityError; with it, a row that would break a unique constraint is
skipped, as `bulk_create(ignore_conflicts=True)` does (COPY into a temporary table, then
``INSERT ... ON CONFLICT DO NOTHING``)."""

import time
from collections.abc import Iterable, Sequence

from django.db import connection


def insert_rows(
    model, fields: Sequence[str], rows: Iterable[tuple], *, ignore_conflicts: bool = False
) -> None:
    """Insert `rows`: tuples in the order of `fields` (attribute names, like ``run_id``)."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows],
            batch_size=5000,
            ignore_conflicts=ignore_conflicts,
        )
        return
    table = _quote(model._meta.db_table)
    columns = ", ".join(_quote(model._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        if not ignore_conflicts:
            _copy(cursor, f"COPY {table} ({columns}) FROM STDIN", rows)
            return
        staging = _quote(f"{model._meta.db_table}_staging")
        # The columns' types without their constraints; dropped at once after use, and with
        # the transaction if anything fails.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        _copy(cursor, f"COPY {staging} ({columns}) FROM STDIN", rows)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} "
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(f"DROP TABLE {staging}")


def reserve_ids(model, count: int) -> list[int]:
    """``count`` new ids of ``model``'s table, drawn before its rows are written, so that
    other rows can refer to them from the start.

    PostgreSQL draws them from the table's sequence, which other transactions share safely.
    SQLite has no sequence to draw from: the ids follow the highest one the table has had
    (its rows and its AUTOINCREMENT counter), and the caller must write its rows before it
    reserves again. Should another connection write to the table in between, the primary key
    refuses the second writer's rows (IntegrityError) and its transaction stores nothing."""
    if count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT MAX({_quote(column)}) FROM {_quote(table)} UNION ALL "
            "SELECT MAX(seq) FROM sqlite_sequence WHERE name = %s",
            [table],
        )
        highest = max((row[0] or 0 for row in cursor.fetchall()), default=0)
    return list(range(highest + 1, highest + 1 + count))


def insert_rows_returning_ids(model, fields: Sequence[str], rows: Sequence[tuple]) -> list[int]:
    """Insert `rows` like `insert_rows` (a duplicate raises) and return their ids in order.

    On PostgreSQL the ids are drawn from the table's sequence first and copied in with the
    rows, so which row got which id never depends on the order in which rows come back."""
    if connection.vendor != "postgresql":
        created = model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=5000
        )
        return [obj.pk for obj in created]
    if not rows:
        return []
    ids = reserve_ids(model, len(rows))
    insert_rows(
        model,
        [model._meta.pk.attname, *fields],
        ((new_id, *row) for new_id, row in zip(ids, rows, strict=True)),
    )
    return ids


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _copy(cursor, sql: str, rows: Iterable[tuple]) -> None:
    # Django's cursor wrapper does not see COPY; log it like any other statement so that
    # query counts (tests, debug toolbar) stay honest.
    # Errors come back as Django's (IntegrityError, DataError), as from any other statement.
    start = time.monotonic()
    with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - start:.3f}"})
