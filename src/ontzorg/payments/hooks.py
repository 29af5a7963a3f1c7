"""What the payments app tells other apps: they subscribe in their ``AppConfig.ready``.

When a run is booked, the letters app makes each participant's monthly overview from the
ledger. Payments imports none of its subscribers, so the dependency runs one way."""

from collections.abc import Callable

_run_booked: list[Callable] = []


def on_run_booked(subscriber: Callable) -> Callable:
    """Call ``subscriber(run)`` once a run is booked, after the booking is committed."""
    if subscriber not in _run_booked:
        _run_booked.append(subscriber)
    return subscriber


def run_booked(run) -> None:
    for subscriber in _run_booked:
        subscriber(run)
