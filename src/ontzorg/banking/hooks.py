"""What the banking app tells other apps: they subscribe in their ``AppConfig.ready``.

When the bank returns a payment, the case worker must hear of it; the signals app does that
(``signals.internal.returned_payment``). Banking imports none of its subscribers, so the
dependency runs one way: signals on banking."""

from collections.abc import Callable

_payment_returned: list[Callable] = []


def on_payment_returned(subscriber: Callable) -> Callable:
    """Call ``subscriber(returned)`` with each new ``ReturnedPayment``, inside the
    transaction that records it (a failing subscriber rolls the return back)."""
    if subscriber not in _payment_returned:
        _payment_returned.append(subscriber)
    return subscriber


def payment_returned(returned) -> None:
    for subscriber in _payment_returned:
        subscriber(returned)
