"""For tests that write history by hand: PostgreSQL refuses to add, change or delete a
payment instruction of an approved run (payments migration 0006). A test that sets up a
booked run of earlier months, or a row that went wrong, writes it inside
`approved_runs_writable()`: the trigger is off for the block, within the test's own
transaction, as only the tables' owner may do (the app's role may not)."""

from contextlib import contextmanager

from django.db import connection

SWITCH = "ALTER TABLE payments_paymentinstruction {} TRIGGER payments_instruction_frozen"


@contextmanager
def approved_runs_writable():
    if connection.vendor != "postgresql":
        yield
        return
    switch("DISABLE")
    try:
        yield
    finally:
        switch("ENABLE")


def switch(state: str) -> None:
    with connection.cursor() as cursor:
        # ALTER TABLE waits for no deferred check: run the pending ones (foreign keys) now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(SWITCH.format(state))
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
