"""The creditor API, driven by schemathesis from its own OpenAPI document, against Django's
live test server: every request the document allows is accepted, every one it refuses is
refused, and every answer has the status, headers and body the document promises (all of
schemathesis' checks). Deterministic (derandomized, no example database); at least
MIN_CASES generated requests, counted and printed."""

from collections import Counter
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from ontzorg.conftest import _pause_delete_guards, _restore_delete_guards
from ontzorg.signals.openapi import DOCUMENT

from .factories import api_client_with_token

MIN_CASES = 200
# The date the suite lives on (ontzorg.conftest.FROZEN_NOW): never after the real today.
TODAY = date(2026, 3, 16)
BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def _with_check_digit(first_eight: int) -> str | None:
    digits = f"{first_eight:08d}"
    check = sum(w * int(d) for w, d in zip(BSN_WEIGHTS, digits, strict=True)) % 11
    return None if check == 10 else f"{digits}{check}"


# What the document says in words because JSON Schema cannot: a BSN passes the elfproef
# (format "bsn"), and no date lies after today. Without these the fuzzer would send BSNs and
# dates the document's descriptions rule out.
schemathesis.openapi.format(
    "bsn",
    st.integers(min_value=1, max_value=99_999_999).map(_with_check_digit).filter(bool),
)
schemathesis.openapi.format(
    "date", st.dates(min_value=date(1900, 1, 1), max_value=TODAY).map(date.isoformat)
)

schema = schemathesis.openapi.from_dict(DOCUMENT)


@pytest.fixture
def server(live_server, django_db_serialized_rollback):
    """The live server, set up as the browser tests set it up: the audit trail's delete guard
    (SQLite) stands aside for the flush after the test; the roles come back after it."""
    _restore_delete_guards()
    yield live_server
    _pause_delete_guards()


@pytest.fixture
def token(region, settings):
    # The fuzzer sends far more than a creditor may; the limit has its own tests.
    settings.ONTZORG_API_RATE_PER_MINUTE = 1_000_000
    _client, token = api_client_with_token(region)
    return token


@pytest.fixture
def cases(capsys):
    """The requests schemathesis made; after the run there must be at least MIN_CASES."""
    made = []
    yield made
    tally = ", ".join(
        f"{mode} {status}: {n}" for (mode, status), n in sorted(Counter(made).items())
    )
    with capsys.disabled():
        print(f"\nschemathesis: {len(made)} requests to the creditor API ({tally})")
    assert len(made) >= MIN_CASES


@schema.parametrize()
@settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_own_document(case, server, token, cases):
    response = case.call_and_validate(
        base_url=f"{server.url}/signalen/api/v1",
        headers={"Authorization": f"Bearer {token}"},
    )
    mode = case.meta.generation.mode.value if case.meta else "explicit"
    cases.append((mode, response.status_code))


def test_every_schemathesis_check_is_on():
    """The run above uses schemathesis' default set; this says that it is all of them."""
    from schemathesis.checks import CHECKS, load_all_checks

    load_all_checks()
    operation = schema["/signalen"]["POST"]
    config = schema.config.checks_config_for(operation=operation, phase=None)
    names = [check.__name__ for check in CHECKS.get_all()]
    assert {"negative_data_rejection", "positive_data_acceptance", "ignored_auth"} <= set(names)
    assert [name for name in names if not config.get_by_name(name=name).enabled] == []
