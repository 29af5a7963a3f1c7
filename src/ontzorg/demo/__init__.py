"""Demo data for `make run`: the six pilot regions, their users and fictional participants.

`load(stdout)` runs every step of STEPS, in order, in one transaction. Each step creates
what is missing, keyed on a stable natural key (region slug, municipality name, organisation
name, username, BSN), and never overwrites what exists, so loading twice changes nothing and
edits made in the admin survive `make run`. Dates are relative to the day of loading.

Later apps add their demo data by appending a callable `step(stdout)` to STEPS.
"""

from django.db import transaction

from . import (
    endings,
    monitor,
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
    users.load,
    participants.load,
    plans.load,
    payments.load,
    statements.load,
    signals.load,
    trajectory.load,
    endings.load,
    monitor.load,
]


def load(stdout) -> None:
    with transaction.atomic():
        for step in STEPS:
            step(stdout)
