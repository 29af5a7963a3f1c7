"""Every URL pattern of the project, walked through the resolver, with objects of every kind
in two regions. Per pattern:

- the view declares its access (``core.access.view`` or ``public``), and every object in the
  URL is loaded through it;
- anonymous -> the login page;
- an object of another region -> 404, and nothing changed;
- a user lacking the declared right -> 403, and nothing changed (rows and audit trail);
- in scope -> 200, and a personal page writes its audit entry;
- a user of another municipality of the same region, which limits its staff to their
  municipality, with every right -> 404 on every page of a resident (and nothing changed),
  and no page shows one.

The admin (/beheer/) is walked too: anonymous and non-staff users reach only its login.
A new view without access control fails this test; `test_a_view_without_access_is_caught`
proves it with a throw-away view."""

import io
import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.apps import apps
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.urls.converters import get_converters
from django.utils import timezone

from ontzorg.accounts.constants import OrganisationKind, Scope
from ontzorg.accounts.models import Role
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.audit.models import AuditEntry
from ontzorg.core import access
from ontzorg.participants.models import Participant

LOGINS = ("/inloggen/", "/beheer/login/")
OTHER_NAME = "Woldemichael-Anderregio"
# The own region's residents, as a user limited to another municipality of it must never see.
OTHER_TOWN_NAME = "Tesfamariam-Andergemeente"
RIGHTS = [
    "sees_bsn",
    "sees_bank",
    "edits_participants",
    "prepares_payments",
    "approves_payments",
    "exports_pseudonymised",
    "views_audit",
    "records_guidance",
]


@dataclass
class Pattern:
    route: str
    name: str
    callback: object
    kwargs: tuple[str, ...]
    admin: bool


def walk(patterns=None, prefix="", admin=False) -> list[Pattern]:
    patterns = get_resolver().url_patterns if patterns is None else patterns
    found = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inside_admin = admin or getattr(entry, "app_name", "") == "admin"
            found += walk(entry.url_patterns, route, inside_admin)
        elif isinstance(entry, URLPattern):
            converters = getattr(entry.pattern, "converters", {}) or {}
            names = tuple(converters) or tuple(entry.pattern.regex.groupindex)
            found.append(Pattern(route, entry.name or "", entry.callback, names, admin))
    return found


# Pages that show an object about a participant without writing "bekeken": each one a
# deliberate exception, with its reason.
UNAUDITED = {
    # A download of a bank file (pain.001) of a whole run; the export itself is audited.
    "betalingen/<int:pk>/bestand/<int:file_pk>/": "a run's bank file, audited on export",
    # The repayment file of a returned payment; the repayment itself is audited.
    "bank/terugboekingen/<int:pk>/bestand/": "the repayment file, audited when paid again",
}
# Views that change something for the user alone, open to anyone logged in.
UNRIGHTED_WRITES = {"uitloggen/", "inloggen/code/", "inloggen/instellen/", "wachtwoord/"}


# Reading pages whose search posts, so that a BSN travels in the body and never in a URL
# (core.privacy); they change nothing, so they need no right beyond their scope.
SEARCHES_THAT_POST = {"deelnemers/", "deelnemers/export.csv"}


def _booked_month(objects: list) -> date | None:
    """The newest month with a booked overview of the participant among `objects`."""
    from ontzorg.letters.services import booked_months

    participant = next((obj for obj in objects if isinstance(obj, Participant)), None)
    months = booked_months(participant) if participant is not None else []
    return months[0] if months else None


# URL kwargs that are plain values, not objects: no access of their own to declare, since the
# view loads its objects through core.access and scopes the value to them. Each maps to how the
# walk fills it from the objects chosen for the same URL (None: the world lacks one).
PLAIN_KWARGS = {
    # letters: a month of the participant's overview (``<month:month>``, letters/urls.py).
    "month": _booked_month,
}


def undeclared(patterns: list[Pattern]) -> list[str]:
    """Views outside the admin that do not declare their access, that take an object from
    the URL without loading it through core.access, that accept a write without declaring
    a right, or that show a participant's object without auditing the view."""
    problems = []
    for p in patterns:
        if p.admin:
            continue
        rule = getattr(p.callback, "access", None)
        if rule is None:
            problems.append(f"{p.route}: no @access.view or @access.public")
            continue
        if rule.public:
            continue
        loose = set(p.kwargs) - set(rule.objects) - set(PLAIN_KWARGS)
        if loose:
            problems.append(f"{p.route}: {sorted(loose)} not loaded through core.access")
        writes = set(rule.methods) - {"GET", "HEAD"}
        unrighted = not (rule.rights or rule.write_rights or rule.check)
        if writes and unrighted and p.route not in UNRIGHTED_WRITES | SEARCHES_THAT_POST:
            problems.append(f"{p.route}: accepts {sorted(writes)} without a declared right")
        if (
            _personal(rule)
            and "GET" in rule.methods
            and not rule.audit
            and p.route not in UNAUDITED
        ):
            problems.append(f"{p.route}: shows a participant's data without audit=")
    return problems


# --- the world: two regions with an object of every kind ------------------------------------


def _region_world(name: str, slug: str):
    from ontzorg.approvals import proposals
    from ontzorg.banking.imports import receive_upload
    from ontzorg.banking.models import ReturnedPayment
    from ontzorg.banking.repay import propose_retry
    from ontzorg.banking.tests.conftest import debit_of, return_of, statement
    from ontzorg.guidance.tests.factories import ActivityFactory, SessionFactory, TrainingFactory
    from ontzorg.letters import batch as letters_batch
    from ontzorg.monitor.tests.factories import MomentFactory
    from ontzorg.participants.constants import MemberKind
    from ontzorg.participants.households import add_member
    from ontzorg.participants.models import SelectionDraw
    from ontzorg.participants.services import draw_selection
    from ontzorg.participants.tests.factories import ParticipantFactory
    from ontzorg.payments import services as payments
    from ontzorg.payments.constants import PAID_KINDS
    from ontzorg.payments.tests.factories import PERIOD, debtor_account, ready_participant
    from ontzorg.plans import services as plans
    from ontzorg.plans.constants import PlanDecisionKind, ShortfallChoice
    from ontzorg.regelingen.tests.factories import RegelingFactory, RegionFactory
    from ontzorg.signals.tests.factories import SignalFactory
    from ontzorg.signals.uploads import receive_csv

    region = RegionFactory(name=name, slug=slug)
    regeling = RegelingFactory(region=region)
    municipality = OrganisationFactory(name=f"Gemeente {name}", region=region)
    partner = OrganisationFactory(
        name=f"Partner {name}", kind=OrganisationKind.PARTNER, region=region
    )
    everything = _role(f"alles-{slug}", exclude=())
    boss = UserFactory(username=f"alles-{slug}", role=everything, organisation=municipality)
    # Who approves money may not change plans (segregation of duties).
    approving = _role(f"goedkeuren-{slug}", exclude=("edits_participants",))
    second = UserFactory(username=f"tweede-{slug}", role=approving, organisation=municipality)

    debtor_account(region)
    paid = ready_participant(regeling)
    ready_participant(regeling, pots=[("Buffer", 2500)])
    short = ready_participant(regeling, income_cents=50_000)
    for participant in (paid, short):
        participant.guidance_organisation = partner
        participant.save()
    run = payments.prepare_run(boss, region, PERIOD)
    for case in run.shortfalls.all():
        proposal = payments.propose_shortfall_decision(
            boss, case, choice=ShortfallChoice.PAY_PARTIALLY, reason="Inkomen is te laag."
        )
        proposals.approve(second, proposal)
    payments.approve_run(second, run)
    payments.export_run(second, run)
    payments.book_run(boss, run)
    instructions = list(run.instructions.filter(kind__in=PAID_KINDS).order_by("pk"))
    xml = statement(
        [
            debit_of(instructions[0]),
            return_of(instructions[1], reason="MS03"),
            return_of(instructions[2]),
        ],
        statement_id=f"AFS-{slug}",
    )
    upload = io.BytesIO(xml)
    upload.name = f"afschrift-{slug}.xml"
    receive_upload(boss, upload, region=region)
    # One return paid again (its page shows the repayment file), one left open.
    repaid = ReturnedPayment.objects.filter(instruction=instructions[1]).get()
    proposals.approve(second, propose_retry(boss, repaid))

    candidate = ParticipantFactory(regeling=regeling)
    draw_selection(boss, regeling, 1)
    assert candidate.pk in SelectionDraw.objects.get(regeling=regeling).selected_ids
    SignalFactory(participant=paid)
    receive_csv(
        boss,
        io.BytesIO(b"bsn;soort;gemeld_op\r\n" + paid.bsn.encode() + b";overig;2025-03-01\r\n"),
        region=region,
        creditor_name="Woonstad",
        creditor_kind="woningcorporatie",
    )
    add_member(
        boss,
        paid,
        kind=MemberKind.HOUSEMATE,
        first_name="Huisgenoot",
        date_of_birth=date(1990, 1, 1),
        starts_on=timezone.localdate(),
    )
    training = TrainingFactory(regeling=regeling)
    activity = ActivityFactory(training=training, regeling=regeling, organisation=partner)
    SessionFactory(activity=activity)
    MomentFactory(region=region)
    # The letters: an end decision on a plan (its letter), and the region's zip of overview
    # PDFs of the booked month, made by the task that start() queues after the commit.
    ending = ready_participant(regeling)
    plans.decide_end_or_extend(
        boss, ending.plans.get(), PlanDecisionKind.END, None, "Einde van de periode."
    )
    letters_batch.make_batch(letters_batch.start(boss, region, PERIOD).pk)
    return region, municipality, boss


_roles: dict[tuple, Role] = {}


def _role(code: str, *, exclude: tuple[str, ...], scope: str = Scope.REGION) -> Role:
    values = {right: right not in exclude for right in RIGHTS}
    return Role.objects.create(code=code[:20], name=code, scope=scope, **values)


def _lacking(rule, municipality, *, writing: bool = False) -> object:
    """A user of the region with every right except those the view needs (to write, with
    `writing`); for a view with a check instead of a right, a user whose role sees nothing
    and may nothing."""
    needed = rule.write_rights if writing else rule.rights
    exclude = tuple(needed) if needed else tuple(RIGHTS)
    scope = Scope.REGION if needed else Scope.NONE
    key = (exclude, scope)
    if key not in _roles:
        _roles[key] = _role(f"zonder-{len(_roles)}", exclude=exclude, scope=scope)
    return UserFactory(role=_roles[key], organisation=municipality)


def _objects(rule, user, kwargs: tuple[str, ...] = ()) -> dict:
    """URL kwargs for objects of `rule` that `user` may see, related to each other, and the
    plain values among `kwargs` (PLAIN_KWARGS) that go with them."""
    values, chosen = {}, []
    for kwarg, _name, source in rule.loaded():
        candidates = access.restrict(source, user)
        model = candidates.model
        for previous in chosen:
            for field in model._meta.get_fields():
                if getattr(field, "many_to_one", False) and field.related_model is type(previous):
                    candidates = candidates.filter(**{field.name: previous})
        obj = candidates.order_by("pk").first()
        if obj is None:
            return None
        chosen.append(obj)
        values[kwarg] = obj.slug if kwarg.endswith("slug") else obj.pk
    for kwarg in set(kwargs) & set(PLAIN_KWARGS):
        values[kwarg] = PLAIN_KWARGS[kwarg](chosen)
        if values[kwarg] is None:
            return None
    return values


def reverse_route(route: str, kwargs: dict) -> str:
    """The address of `route`, each value written by its path converter (a month as 2026-03)."""
    converters = get_converters()

    def value(match):
        converter = converters.get(match.group(1) or "str")
        return str(converter.to_url(kwargs[match.group(2)]))

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def admin_url(route: str) -> str:
    """An address the admin pattern matches: objects are "1", regex groups their first choice."""
    route = re.sub(r"\(\?P<\w+>([^|)]+)[^)]*\)", r"\1", route).replace("^", "").replace("$", "")
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route)


def _counts() -> dict:
    """Every row of every table of ours, so a refused request that changes a row (not only
    one that adds or removes one) is seen. The world is small, so this stays cheap."""
    return {
        model._meta.label: repr(list(model._default_manager.order_by("pk").values_list()))
        for model in apps.get_models()
        if model.__module__.startswith("ontzorg.")
    }


def _request(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, {})


@pytest.mark.django_db
@override_settings(ONTZORG_MAX_UPLOAD_BYTES=10_000_000)
def test_every_url_pattern_enforces_access(capsys):
    patterns = walk()
    assert undeclared(patterns) == []

    own_region, own_municipality, own = _region_world("Zoetermeer", "zoetermeer")
    other_region, _, other = _region_world("Den Haag", "den-haag")
    # A name no page of the own region may ever show (test data, not workflow state).
    Participant.objects.filter(regeling__region=other_region).update(last_name=OTHER_NAME)
    outsider = UserFactory(username="staff-loos", role=None)
    limited = _limited_to_another_municipality(own_region)
    Participant.objects.filter(regeling__region=own_region).update(last_name=OTHER_TOWN_NAME)

    problems, checked = [], 0
    for p in patterns:
        if p.admin:
            checked += 1
            if p.name in ("login", "logout"):
                continue
            url = admin_url(p.route)
            for user in (None, outsider):
                client = Client()
                if user is not None:
                    client.force_login(user)
                response = client.get(url)
                if response.status_code != 302 or not response["Location"].startswith(LOGINS):
                    problems.append(f"admin {p.route}: {response.status_code} for {user}")
            continue
        rule = p.callback.access
        checked += 1
        if rule.public:
            continue
        method = "GET" if "GET" in rule.methods else rule.methods[0]

        theirs = _objects(rule, other, p.kwargs)
        ours = _objects(rule, own, p.kwargs)
        if theirs is None or ours is None:
            problems.append(f"{p.route}: the world lacks an object of each kind")
            continue

        anonymous = _request(Client(), method, reverse_route(p.route, ours))
        if anonymous.status_code != 302 or not anonymous["Location"].startswith("/inloggen/"):
            problems.append(f"{p.route}: anonymous got {anonymous.status_code}")

        client = Client()
        client.force_login(own)
        if rule.objects:
            before = _counts()
            response = _request(client, method, reverse_route(p.route, theirs))
            if response.status_code != 404:
                problems.append(f"{p.route}: another region's object gave {response.status_code}")
            if _counts() != before:
                problems.append(f"{p.route}: another region's object changed data")

        refusals = []
        if rule.rights or rule.check:
            refusals.append((method, _lacking(rule, own_municipality)))
        writes = [m for m in rule.methods if m not in ("GET", "HEAD")]
        if rule.write_rights and writes:
            refusals.append((writes[0], _lacking(rule, own_municipality, writing=True)))
        for refused_method, user in refusals:
            lacking = Client()
            lacking.force_login(user)
            before = _counts()
            response = _request(lacking, refused_method, reverse_route(p.route, ours))
            if response.status_code != 403:
                problems.append(
                    f"{p.route}: {refused_method} lacking the right gave {response.status_code}"
                )
            if _counts() != before:
                problems.append(f"{p.route}: a refused {refused_method} changed data")

        problems += _municipality_problems(p, rule, method, limited, ours)

        if "GET" in rule.methods:
            seen = AuditEntry.objects.filter(event="participant.viewed").count()
            response = client.get(reverse_route(p.route, ours))
            if response.status_code == 302 and not response["Location"].startswith(LOGINS):
                response = client.get(response["Location"])  # e.g. the only region's page
            if response.status_code != 200:
                problems.append(f"{p.route}: in scope gave {response.status_code}")
            elif OTHER_NAME.encode() in b"".join(response):
                problems.append(f"{p.route}: shows a participant of another region")
            written = AuditEntry.objects.filter(event="participant.viewed").count() - seen
            if rule.audit and written != 1:
                problems.append(f"{p.route}: personal page wrote {written} view entries")

    with capsys.disabled():
        print(f"\nURL walk: {checked} URL patterns checked ({len(patterns)} in the project)")
    assert checked == len(patterns)
    assert problems == [], "\n".join(problems)


def _limited_to_another_municipality(region):
    """A user with every right in `region`, of an organisation of a municipality where no
    participant of the world lives (Waterland beside Edam-Volendam), with the region limiting
    staff to their municipality."""
    from ontzorg.regelingen.tests.factories import MunicipalityFactory

    region.staff_limited_to_municipality = True
    region.save(update_fields=["staff_limited_to_municipality"])
    town = MunicipalityFactory(name=f"Andere gemeente {region.name}", region=region)
    organisation = OrganisationFactory(
        name=f"Gemeente {town.name}", region=region, municipality=town
    )
    role = Role.objects.get(code=f"alles-{region.slug}"[:20])
    user = UserFactory(username=f"gemeente-{region.slug}", role=role, organisation=organisation)
    assert access.scope_of(user) == Scope.MUNICIPALITY
    return user


def _personal(rule) -> bool:
    return any(
        getattr(access._queryset(source).model, "scope_path", None) is not None
        and access._queryset(source).model.scope_path.participant is not None
        for _kwarg, _name, source in rule.loaded()
    )


def _municipality_problems(p, rule, method, limited, ours) -> list[str]:
    """A resident's page refused (404, nothing changed) to `limited`, and no page showing a
    resident of the region's other municipalities to them."""
    problems = []
    client = Client()
    client.force_login(limited)
    url = reverse_route(p.route, ours)
    if _personal(rule):
        before = _counts() if method != "GET" else None
        response = _request(client, method, url)
        if response.status_code != 404:
            problems.append(
                f"{p.route}: another municipality's resident gave {response.status_code}"
            )
        if before is not None and _counts() != before:
            problems.append(f"{p.route}: another municipality's resident's page changed data")
    elif "GET" in rule.methods:
        response = client.get(url)
        if response.status_code == 200 and OTHER_TOWN_NAME.encode() in b"".join(response):
            problems.append(f"{p.route}: shows a resident of another municipality")
    return problems


# --- proof that the walk catches a view without access control -------------------------------


def _loose_view(request, pk):
    from django.http import HttpResponse

    return HttpResponse(Participant.objects.get(pk=pk).first_name)


@access.view()
def _declared_but_loads_itself(request, pk):
    return _loose_view(request, pk)


@access.view(methods=("GET", "POST"))
def _writes_without_a_right(request):
    return _loose_view(request, 1)


@access.view(objects={"pk": Participant})
def _personal_without_audit(request, participant):
    return _loose_view(request, participant.pk)


class ThrowAwayUrls:
    from ontzorg.urls import urlpatterns as project

    urlpatterns = [
        *project,
        path("kapot/<int:pk>/", _loose_view),
        path("half/<int:pk>/", _declared_but_loads_itself),
        path("schrijft/", _writes_without_a_right),
        path("stil/<int:pk>/", _personal_without_audit),
    ]


def test_a_view_without_access_is_caught():
    with override_settings(ROOT_URLCONF=ThrowAwayUrls):
        problems = undeclared(walk(get_resolver(ThrowAwayUrls).url_patterns))
    assert problems == [
        "kapot/<int:pk>/: no @access.view or @access.public",
        "half/<int:pk>/: ['pk'] not loaded through core.access",
        "schrijft/: accepts ['POST'] without a declared right",
        "stil/<int:pk>/: shows a participant's data without audit=",
    ]
