"""The world of bench/load.py, built in a child process with Django set up against the
benchmark's own database (already migrated): a region with N participants and a booked
payment run (bench/support/payments.py), two back-office users with a password and
authenticator apps (TOTP devices with known keys, one per browsing session), and a
statement file of M entries on the region's paying account. Prints what the browsing
needs as JSON. Never imported by the application."""

import json
import random
from pathlib import Path

PASSWORD = "bench-load-wachtwoord-2026"
# TOTP devices per user: each browsing session logs in with its own, because a device takes
# each code only once and the sessions of one user log in within the same half minute.
DEVICES_PER_USER = 64


def totp_keys(username: str) -> list[str]:
    """The known keys (hex) of the user's TOTP devices, in the order they are made."""
    import hashlib

    return [
        hashlib.sha1(f"bench-load:{username}:{number}".encode()).hexdigest()
        for number in range(DEVICES_PER_USER)
    ]


def name_payees(region) -> None:
    """Give every payee of the region the account-holder name a payment needs (the bank's
    spelling), where the world was built without one."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from ontzorg.participants.models import Participant
    from ontzorg.plans.models import Creditor

    Participant.objects.filter(regeling__region=region, account_holder_name="").update(
        account_holder_name=Concat(F("first_name"), Value(" "), F("last_name"))
    )
    Creditor.objects.filter(account_holder_name="").update(account_holder_name=F("name"))


def setup(participants: int, entries: int, statement_path: Path) -> dict:
    from django.db import connection

    from ontzorg.participants.models import Participant
    from ontzorg.payments.debtor_accounts import regional_account
    from ontzorg.payments.models import PaymentRun
    from ontzorg_demo import camtgen

    from . import payments as world

    region, users = world.build(participants)
    name_payees(region)
    world.timed_run(region, *users)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for user in users:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        for key in totp_keys(user.username):
            TOTPDevice.objects.create(user=user, name="bench", key=key, confirmed=True)
    if connection.vendor == "postgresql":
        # A production database has statistics (autovacuum gathers them); a world built a
        # moment ago has none, and the planner then guesses one row per table.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    run = PaymentRun.objects.get(region=region)
    people = list(Participant.objects.filter(regeling__region=region).values_list("pk", flat=True))
    random.Random(7).shuffle(people)
    size = camtgen.write_many(
        statement_path,
        entries,
        statements=max(1, entries // 50_000),
        iban=regional_account(region).iban,
        prefix="LOAD",
    )
    return {
        "vendor": connection.vendor,
        "region_id": region.pk,
        "users": [user.username for user in users],
        "password": PASSWORD,
        "totp_keys": {user.username: totp_keys(user.username) for user in users},
        "participants": people[:500],
        "run_id": run.pk,
        "statement": str(statement_path),
        "statement_bytes": size,
    }


def import_state(job_id: int | None = None) -> dict:
    """The newest statement import (or ``job_id``): how far it got."""
    from ontzorg.banking.models import StatementImport

    jobs = StatementImport.objects.order_by("-pk")
    job = jobs.get(pk=job_id) if job_id else jobs.first()
    if job is None:
        return {}
    finished = job.finished_at.isoformat() if job.finished_at else None
    return {
        "id": job.pk,
        "status": job.status,
        "cursor": job.cursor,
        "entries_read": job.entries_read,
        "entries_new": job.entries_new,
        "received_at": job.received_at.isoformat(),
        "finished_at": finished,
        "error": job.error_message,
    }


def main(argv: list[str]) -> None:
    command = argv[0]
    if command == "setup":
        figures = setup(int(argv[1]), int(argv[2]), Path(argv[3]))
    else:
        figures = import_state(int(argv[1]) if len(argv) > 1 else None)
    print(json.dumps(figures))
