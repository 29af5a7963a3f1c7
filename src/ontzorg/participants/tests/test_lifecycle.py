"""The lifecycle: the transition table, `move`, the guards on a new plan and on the payment
run, and a check that no other code writes a participant's phase."""

import ast
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from ontzorg.audit.models import AuditEntry
from ontzorg.exceptions import Refused
from ontzorg.participants import events, lifecycle, services
from ontzorg.participants.constants import DecisionKind, DecisionOutcome, Phase
from ontzorg.participants.models import Participant
from ontzorg.participants.tests.factories import ParticipantFactory, case_worker_for
from ontzorg.payments import services as payments
from ontzorg.payments.tests.factories import PERIOD, debtor_account, ready_participant
from ontzorg.plans import services as plans
from ontzorg.plans.constants import PlanDecisionKind, PlanStatus
from ontzorg.plans.models import Plan
from ontzorg.regelingen.constants import SelectionMethod
from ontzorg.regelingen.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[3]
REASON = "Deelnemer wil de vaste lasten zelf betalen, afgesproken in het gesprek."


# --- the table and move -----------------------------------------------------------------------


def test_every_phase_has_a_row_and_every_phase_can_be_reached_from_kandidaat():
    assert set(lifecycle.TRANSITIONS) == set(Phase.values)
    for phase in Phase.values:
        assert phase not in lifecycle.TRANSITIONS[phase]
        if phase != Phase.CANDIDATE:
            assert lifecycle.route(Phase.CANDIDATE, phase)[-1] == phase
    assert lifecycle.route(Phase.CANDIDATE, Phase.ENDED) == [
        Phase.INTAKE,
        Phase.ACTIVE,
        Phase.NAZORG,
        Phase.ENDED,
    ]


def test_move_refuses_what_the_table_does_not_allow_and_audits_what_it_does(klantmanager):
    person = ParticipantFactory()
    with pytest.raises(Refused, match="De fase kan niet van 'kandidaat' naar 'nazorg'"):
        lifecycle.move(person, Phase.NAZORG, on=date(2026, 1, 5), reason="test", user=klantmanager)
    assert Participant.objects.get(pk=person.pk).phase == Phase.CANDIDATE

    change = lifecycle.move(
        person, Phase.INTAKE, on=date(2026, 1, 5), reason="ingeloot", user=klantmanager
    )
    assert (change.before, change.after, change.changes) == (
        Phase.CANDIDATE,
        Phase.INTAKE,
        {"fase": [Phase.CANDIDATE, Phase.INTAKE]},
    )
    assert Participant.objects.get(pk=person.pk).phase == Phase.INTAKE
    entry = AuditEntry.objects.get(event=events.PHASE_CHANGED.code)
    assert entry.summary == "fase gewijzigd van kandidaat naar intake op 05-01-2026 (ingeloot)"
    assert entry.actor == klantmanager and entry.participant_id == person.pk
    # Staying in the same phase is no move and writes nothing.
    assert not lifecycle.move(person, Phase.INTAKE, on=date(2026, 1, 6), reason="x").changed
    assert AuditEntry.objects.filter(event=events.PHASE_CHANGED.code).count() == 1


def test_intake_puts_eligible_people_in_intake_unless_the_regeling_draws(klantmanager, regeling):
    municipality = MunicipalityFactory(region=regeling.region)
    fields = ParticipantFactory.build(regeling=regeling)
    person = {
        name: getattr(fields, name)
        for name in (
            "regeling",
            "bsn",
            "first_name",
            "last_name",
            "date_of_birth",
            "gender",
            "country_of_origin",
            "arrival_on",
            "bijstand_start_on",
        )
    }
    home = {"municipality": municipality, "street": "Dorpsstraat", "house_number": "1"}
    assert services.register_intake(klantmanager, household=home, participant=person).phase == (
        Phase.INTAKE
    )
    regeling.selection_method = SelectionMethod.RANDOM
    regeling.target_participants = 5
    regeling.save()
    person.update(bsn=ParticipantFactory.build().bsn)
    assert services.register_intake(klantmanager, household=home, participant=person).phase == (
        Phase.CANDIDATE
    )
    person.update(bsn=ParticipantFactory.build().bsn, bijstand_start_on=None)
    assert services.register_intake(klantmanager, household=home, participant=person).phase == (
        Phase.NOT_ELIGIBLE
    )


def test_a_plan_makes_the_participant_ontzorgd_and_the_decisions_move_on(klantmanager, regeling):
    person = ParticipantFactory(regeling=regeling)
    plan = plans.create_plan(klantmanager, person)
    person.refresh_from_db()
    assert person.phase == Phase.ACTIVE
    moves = AuditEntry.objects.filter(participant=person, event=events.PHASE_CHANGED.code)
    assert [e.changes["fase"] for e in moves.order_by("pk")] == [
        [Phase.CANDIDATE, Phase.INTAKE],
        [Phase.INTAKE, Phase.ACTIVE],
    ]
    plans.decide_end_or_extend(
        klantmanager, plan, PlanDecisionKind.EXTEND, date(2026, 5, 31), "nog niet zelfredzaam"
    )
    person.refresh_from_db()
    assert person.phase == Phase.EXTENDED
    plans.decide_end_or_extend(klantmanager, plan, PlanDecisionKind.END, None, "zelfredzaam nu")
    person.refresh_from_db()
    assert person.phase == Phase.NAZORG


# --- the guards -------------------------------------------------------------------------------


def test_opt_out_closes_the_plan_and_the_run_no_longer_pays_it(backoffice, klantmanager, regeling):
    debtor_account(regeling.region)
    stays = ready_participant(regeling)
    leaves = ready_participant(regeling)
    plan = leaves.plans.get()

    services.record_decision(
        klantmanager,
        leaves,
        kind=DecisionKind.OPT_OUT,
        outcome=DecisionOutcome.NO_ONTZORGING,
        reason=REASON,
        decided_on=PERIOD,
    )

    leaves.refresh_from_db()
    plan.refresh_from_db()
    assert leaves.phase == Phase.OPTED_OUT
    assert (plan.status, plan.ended_on) == (PlanStatus.ENDED, date(2025, 10, 31))
    assert {line.ends_on for line in plan.lines.all()} == {date(2025, 10, 31)}
    run = payments.prepare_run(backoffice, regeling.region, PERIOD)
    assert set(run.instructions.values_list("participant", flat=True)) == {stays.pk}


def test_no_new_plan_after_an_opt_out_and_no_opt_out_ahead_of_time(klantmanager, regeling):
    leaves = ready_participant(regeling)
    with pytest.raises(Refused, match="vandaag of eerder"):
        services.record_decision(
            klantmanager,
            leaves,
            kind=DecisionKind.OPT_OUT,
            outcome=DecisionOutcome.NO_ONTZORGING,
            reason=REASON,
            decided_on=date(2999, 1, 1),
        )
    leaves.refresh_from_db()
    assert leaves.phase == Phase.ACTIVE and leaves.plans.get().status == PlanStatus.ACTIVE

    services.record_decision(
        klantmanager,
        leaves,
        kind=DecisionKind.OPT_OUT,
        outcome=DecisionOutcome.NO_ONTZORGING,
        reason=REASON,
        decided_on=PERIOD,
    )
    with pytest.raises(Refused, match="Er komt geen plan"):
        plans.create_plan(klantmanager, leaves, start_on=date(2025, 12, 1))
    assert leaves.plans.count() == 1


def test_no_plan_for_someone_who_is_not_eligible(klantmanager, regeling):
    regeling.exclude_seniors = True
    regeling.save()
    # Past AOW age, but registered as a candidate (the facts changed after the intake).
    senior = ParticipantFactory(regeling=regeling, date_of_birth=date(1950, 1, 1))
    with pytest.raises(Refused, match="niet geschikt"):
        plans.create_plan(klantmanager, senior, start_on=date(2025, 9, 1))
    # Niet geschikt at intake (no bijstand): no plan either, even with a start date.
    no_bijstand = ParticipantFactory(regeling=regeling, bijstand_start_on=None)
    lifecycle.after_intake(no_bijstand, on=date(2025, 9, 1))
    assert no_bijstand.phase == Phase.NOT_ELIGIBLE
    with pytest.raises(Refused, match="niet geschikt"):
        plans.create_plan(klantmanager, no_bijstand, start_on=date(2025, 9, 1))
    assert not Plan.objects.exists()


def test_no_plan_for_a_candidate_who_was_not_drawn_unless_maatwerk(klantmanager, regeling):
    regeling.selection_method = SelectionMethod.RANDOM
    regeling.target_participants = 1
    regeling.save()
    pool = [ParticipantFactory(regeling=regeling) for _ in range(2)]
    draw = services.draw_selection(klantmanager, regeling, 1)
    drawn = Participant.objects.get(pk=draw.selected_ids[0])
    other = next(p for p in pool if p.pk != drawn.pk)
    assert (drawn.phase, Participant.objects.get(pk=other.pk).phase) == (
        Phase.INTAKE,
        Phase.CANDIDATE,
    )

    plans.create_plan(klantmanager, drawn)
    with pytest.raises(Refused, match="niet ingeloot"):
        plans.create_plan(klantmanager, other)
    assert not other.plans.exists()

    services.record_decision(
        klantmanager,
        other,
        kind=DecisionKind.MAATWERK,
        outcome=DecisionOutcome.ONTZORGING_ANYWAY,
        reason="Gezin met schulden, ontzorgen is nodig ook zonder loting.",
    )
    plans.create_plan(klantmanager, other)
    other.refresh_from_db()
    assert other.phase == Phase.ACTIVE


def test_the_run_pays_only_participants_in_a_payable_phase(backoffice, regeling):
    """Every phase once, each with an open plan: the way there through the services where
    there is one, `lifecycle.move` for the long journeys; the phases before ontzorgd get
    no plan from any service, so theirs is handed over directly to prove the run checks."""
    debtor_account(regeling.region)
    case_worker = case_worker_for(regeling)
    people = {}
    for phase in Phase.values:
        person = ready_participant(regeling)
        if phase in (Phase.CANDIDATE, Phase.INTAKE, Phase.NOT_ELIGIBLE):
            before = ParticipantFactory(regeling=regeling)
            for step in lifecycle.route(before.phase, phase):
                lifecycle.move(before, step, on=PERIOD, reason="testopzet")
            Plan.objects.filter(participant=person).update(participant=before)
            person = before
        elif phase == Phase.EXTENDED:
            plans.decide_end_or_extend(
                case_worker,
                person.plans.get(),
                PlanDecisionKind.EXTEND,
                date(2026, 5, 31),
                "nog niet zelfredzaam",
            )
        else:
            for step in lifecycle.route(Phase.ACTIVE, phase):
                lifecycle.move(person, step, on=PERIOD, reason="testopzet")
        people[phase] = person
    assert {p.pk: Participant.objects.get(pk=p.pk).phase for p in people.values()} == {
        p.pk: phase for phase, p in people.items()
    }
    assert all(Plan.objects.filter(participant=p).open().exists() for p in people.values())

    run = payments.prepare_run(backoffice, regeling.region, PERIOD)

    run.refresh_from_db()
    reached = set(run.instructions.values_list("participant", flat=True))
    reached |= set(run.shortfalls.values_list("participant", flat=True))
    assert reached == {people[phase].pk for phase in lifecycle.PAYABLE_PHASES}
    assert run.total_participants == len(lifecycle.PAYABLE_PHASES) == 3
    assert set(lifecycle.PAYABLE_PHASES) == {Phase.ACTIVE, Phase.EXTENDED, Phase.PHASE_OUT}


# --- nobody else writes the phase -------------------------------------------------------------

WRITERS = {"update", "create", "bulk_create", "get_or_create", "update_or_create", "Participant"}


def phase_writes(source: str) -> list[int]:
    """Lines that assign `.phase`, pass `phase=` to a create/update call or the model, or
    `setattr(..., "phase", ...)`."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        if any(isinstance(t, ast.Attribute) and t.attr == "phase" for t in targets):
            lines.append(node.lineno)
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in WRITERS and any(k.arg == "phase" for k in node.keywords):
                lines.append(node.lineno)
            if (
                name == "setattr"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value == "phase"
            ):
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize(
    "source, found",
    [
        ("person.phase = 'active'", True),
        ("Participant.objects.filter(pk=1).update(phase='intake')", True),
        ("Participant(phase='active', bsn='1')", True),
        ("Participant.objects.create(phase='x')", True),
        ("setattr(person, 'phase', 'x')", True),
        ("Participant.objects.filter(phase='active')", False),
        ("phase = person.phase", False),
        ("plan.status = 'ended'", False),
    ],
)
def test_the_check_finds_every_kind_of_phase_write(source, found):
    assert bool(phase_writes(source)) is found


def test_no_code_but_the_lifecycle_writes_the_phase():
    offences = []
    for package in ("ontzorg", "ontzorg_demo"):
        for path in sorted((SRC / package).rglob("*.py")):
            parts = path.relative_to(SRC).parts
            if "tests" in parts or "migrations" in parts:
                continue
            if path == SRC / "ontzorg" / "participants" / "lifecycle.py":
                continue
            for line in phase_writes(path.read_text()):
                offences.append(f"{path.relative_to(SRC)}:{line}")
    assert not offences, "phase written outside participants.lifecycle:\n" + "\n".join(offences)


# --- the start date is shown and confirmed ----------------------------------------------------


def test_the_plan_form_shows_the_default_start_before_it_is_confirmed(
    client, klantmanager, regeling
):
    person = ParticipantFactory(regeling=regeling, bijstand_start_on=date(2025, 9, 1))
    url = reverse("plans:create", args=[person.pk])
    client.force_login(klantmanager)

    assert client.get(url).context["form"]["start_on"].value() == date(2025, 9, 1)
    confirm = client.post(url, {"start_on": ""})
    assert confirm.templates[0].name == "confirm/confirm.html"
    assert ("Start van het plan", "01-09-2025") in confirm.context["form"].summary()
    assert not Plan.objects.exists()

    client.post(url, {"start_on": "2025-09-01", "confirm": "1"})
    person.refresh_from_db()
    assert person.plans.get().start_on == date(2025, 9, 1)
    assert person.phase == Phase.ACTIVE
