"""Fixtures of the four-eyes tests: the payment-run world of the payments tests."""

from ontzorg.payments.tests.conftest import approver, ready_region  # noqa: F401
