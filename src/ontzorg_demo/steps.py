"""The steps of `manage.py load_demo`, in order.

`load(stdout)` runs every step of STEPS, in order, in one transaction. Each step creates
what is missing, keyed on a stable natural key (region slug, municipality name, organisation
name, username, BSN), and never overwrites what exists, so loading twice changes nothing and
edits made in the admin survive `make run`. Dates are relative to the day of loading.

Each app's demo data is one module here with a callable `load(stdout)` listed in STEPS.
"""

from django.db import transaction

from . import (
    endings,
    inventory,
    monitor,
    municipalities,
    participants,
    payments,
    plans,
    regions,
    signals,
    statements,
    trajectory,
    users,
)

STEPS = [
    regions.load,
    municipalities.load,
    users.load,
    participants.load,
    plans.load,
    payments.load,
    statements.load,
    signals.load,
    trajectory.load,
    inventory.load,
    endings.load,
    monitor.load,
]


def load(stdout) -> None:
    with transaction.atomic():
        for step in STEPS:
            step(stdout)
