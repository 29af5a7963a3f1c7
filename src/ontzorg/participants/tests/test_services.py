"""Services on participants: scoping, audit of every view and change, decisions, selection."""

from datetime import date

import pytest
from django.http import Http404

from ontzorg.accounts.constants import RoleCode, Scope
from ontzorg.accounts.models import Role
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.audit.constants import Action
from ontzorg.audit.models import AuditEntry
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.participants import services
from ontzorg.participants.constants import DecisionKind, DecisionOutcome, Phase
from ontzorg.participants.models import Participant, SelectionDraw
from ontzorg.participants.tests.factories import ParticipantFactory, participant_in
from ontzorg.regelingen.constants import SelectionMethod
from ontzorg.regelingen.tests.factories import MunicipalityFactory, RegelingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_partner(region):
    return OrganisationFactory(name="Stichting Welzijn", kind="partner", region=region)


def test_budgetcoach_sees_only_their_organisations_participants(
    regeling, coach, partner_org, other_partner
):
    mine = ParticipantFactory(regeling=regeling, guidance_organisation=partner_org)
    theirs = ParticipantFactory(regeling=regeling, guidance_organisation=other_partner)
    unassigned = ParticipantFactory(regeling=regeling)

    visible = set(Participant.objects.visible_to(coach))

    assert visible == {mine}
    with pytest.raises(Http404):
        services.view_participant(coach, theirs.pk)
    with pytest.raises(Http404):
        services.view_participant(coach, unassigned.pk)


def test_klantmanager_sees_own_region_only(regeling, klantmanager):
    mine = ParticipantFactory(regeling=regeling)
    elsewhere = ParticipantFactory()

    assert list(Participant.objects.visible_to(klantmanager)) == [mine]
    with pytest.raises(Http404):
        services.view_participant(klantmanager, elsewhere.pk)


def test_evaluator_sees_no_participants_and_beheerder_sees_all(regeling, municipality_org):
    ParticipantFactory(regeling=regeling)
    ParticipantFactory()
    evaluator = UserFactory(role_code=RoleCode.EVALUATOR, organisation=municipality_org)
    beheerder = UserFactory(role_code=RoleCode.BEHEERDER, organisation=municipality_org)

    assert Participant.objects.visible_to(evaluator).count() == 0
    assert Participant.objects.visible_to(beheerder).count() == 2


def test_user_without_role_or_inactive_sees_nothing(regeling, municipality_org):
    ParticipantFactory(regeling=regeling)
    no_role = UserFactory(organisation=municipality_org, role=None)
    inactive = UserFactory(organisation=municipality_org, is_active=False)

    assert not Participant.objects.visible_to(no_role).exists()
    assert not Participant.objects.visible_to(inactive).exists()


def test_only_bsn_and_bank_roles_see_them(coach, klantmanager, municipality_org):
    projectleider = UserFactory(role_code=RoleCode.PROJECTLEIDER, organisation=municipality_org)
    assert klantmanager.sees_bsn and klantmanager.sees_bank
    assert not coach.sees_bsn and not coach.sees_bank
    assert not projectleider.sees_bsn and not projectleider.sees_bank


def test_every_view_writes_an_audit_entry(regeling, klantmanager):
    participant = ParticipantFactory(regeling=regeling)

    services.view_participant(klantmanager, participant.pk)
    services.view_participant(klantmanager, participant.pk, what="plan")

    entries = list(AuditEntry.objects.for_participant(participant))
    assert [(e.action, e.actor, e.summary) for e in entries] == [
        (Action.VIEW, klantmanager, "plan bekeken"),
        (Action.VIEW, klantmanager, "deelnemerspagina bekeken"),
    ]


def test_change_is_audited_with_before_and_after(regeling, klantmanager):
    participant = ParticipantFactory(regeling=regeling, languages="Arabisch")

    services.update_participant(
        klantmanager, participant, {"languages": "Arabisch, Engels", "needs_interpreter": True}
    )

    entry = AuditEntry.objects.for_participant(participant).get()
    assert entry.action == Action.UPDATE
    assert entry.actor == klantmanager
    assert entry.changes == {
        "languages": ["Arabisch", "Arabisch, Engels"],
        "needs_interpreter": [False, True],
    }


@pytest.mark.parametrize(
    "change", [{"iban": "NL02INGB0100000000"}, {"account_holder_name": "Iemand Anders"}]
)
def test_where_the_money_goes_is_not_changed_in_one_step(regeling, klantmanager, change):
    """IBAN and account holder's name change only through a four-eyes proposal."""
    participant = ParticipantFactory(regeling=regeling, iban="NL91ABNA0417164300")
    before = (participant.iban, participant.account_holder_name)

    with pytest.raises(Refused, match="Rekeninggegevens begunstigde"):
        services.update_participant(klantmanager, participant, change)

    participant.refresh_from_db()
    assert (participant.iban, participant.account_holder_name) == before
    assert not AuditEntry.objects.for_participant(participant).exists()


def test_invalid_change_is_refused_and_changes_nothing(regeling, klantmanager):
    participant = ParticipantFactory(regeling=regeling)
    bsn = participant.bsn

    with pytest.raises(Exception, match="elfproef"):
        services.update_participant(klantmanager, participant, {"bsn": "111222334"})

    participant.refresh_from_db()
    assert participant.bsn == bsn
    assert not AuditEntry.objects.for_participant(participant).exists()


def test_coach_may_not_change_personal_data(regeling, coach, partner_org):
    participant = ParticipantFactory(regeling=regeling, guidance_organisation=partner_org)
    with pytest.raises(PermissionDenied):
        services.update_participant(coach, participant, {"needs_interpreter": True})


def test_intake_registers_household_and_checks_eligibility(region, regeling, klantmanager):
    regeling.exclude_seniors = True
    regeling.save()
    municipality = MunicipalityFactory(region=region)
    person = dict(
        regeling=regeling,
        bsn="999999990",
        first_name="Yonas",
        last_name="Tesfay",
        date_of_birth=date(1950, 2, 1),
        gender="m",
        country_of_origin="Eritrea",
        arrival_on=date(2025, 11, 1),
        bijstand_start_on=date(2025, 11, 1),
        iban="NL91ABNA0417164300",
    )

    participant = services.register_intake(
        klantmanager,
        household={"municipality": municipality, "street": "Lindelaan"},
        participant=person,
    )

    assert participant.phase == Phase.NOT_ELIGIBLE
    assert services.check_eligibility(participant).reasons[0].startswith("Ouderen zijn uitgesloten")
    actions = [e.action for e in AuditEntry.objects.for_participant(participant)]
    assert actions.count(Action.CREATE) == 2


def test_intake_with_invalid_bsn_creates_nothing(region, regeling, klantmanager):
    municipality = MunicipalityFactory(region=region)
    with pytest.raises(Exception, match="elfproef"):
        services.register_intake(
            klantmanager,
            household={"municipality": municipality},
            participant=dict(
                regeling=regeling,
                bsn="111222334",
                first_name="A",
                last_name="B",
                date_of_birth=date(1990, 1, 1),
                gender="v",
                country_of_origin="Syrië",
                arrival_on=date(2025, 1, 1),
            ),
        )
    assert not Participant.objects.exists()
    assert not AuditEntry.objects.exists()


def test_opt_out_needs_a_reason_and_is_recorded(regeling, klantmanager):
    participant = participant_in(Phase.INTAKE, regeling)

    with pytest.raises(Refused):
        services.record_decision(
            klantmanager,
            participant,
            kind=DecisionKind.OPT_OUT,
            outcome=DecisionOutcome.NO_ONTZORGING,
            reason="nee",
        )
    decision = services.record_decision(
        klantmanager,
        participant,
        kind=DecisionKind.MAATWERK,
        outcome=DecisionOutcome.NO_ONTZORGING,
        reason="Betaalt al twee jaar zelf alle vaste lasten via automatische incasso.",
    )

    participant.refresh_from_db()
    assert participant.phase == Phase.OPTED_OUT
    entry = AuditEntry.objects.for_participant(participant).get(action=Action.DECISION)
    assert entry.changes["phase"] == [Phase.INTAKE, Phase.OPTED_OUT]
    assert decision.decided_by == klantmanager


@pytest.fixture
def lottery(region):
    return RegelingFactory(
        region=region,
        valid_from=date(2024, 1, 1),
        selection_method=SelectionMethod.RANDOM,
        target_participants=5,
    )


def test_random_selection_is_reproducible_from_its_seed(lottery, klantmanager):
    pool = [ParticipantFactory(regeling=lottery) for _ in range(20)]

    draw = services.draw_selection(klantmanager, lottery, 5)

    assert len(draw.selected_ids) == 5
    assert set(draw.selected_ids) <= {p.pk for p in pool}
    assert services.replay(draw) == draw.selected_ids
    chosen = Participant.objects.filter(pk__in=draw.selected_ids)
    assert set(chosen.values_list("phase", flat=True)) == {Phase.INTAKE}
    assert Participant.objects.filter(regeling=lottery, phase=Phase.CANDIDATE).count() == 15


def test_same_seed_same_pool_same_selection_and_other_seed_differs(lottery, klantmanager):
    from ontzorg.participants import selection

    ids = list(range(1, 401))
    first = selection.draw(ids, 50, seed=7)
    assert selection.draw(list(reversed(ids)), 50, seed=7) == first
    assert selection.draw(ids, 50, seed=8) != first


def test_selection_cannot_ask_more_than_the_pool(lottery, klantmanager):
    ParticipantFactory(regeling=lottery)
    with pytest.raises(Refused, match="maar 1 geschikte"):
        services.draw_selection(klantmanager, lottery, 2)


def test_the_lottery_pool_does_not_depend_on_who_draws(lottery, klantmanager):
    """The pool is every candidate of the regeling. A user who sees only part of it (here
    a role scoped to one municipality of the region) may not draw; a user of another
    region gets no pool at all."""
    here, there = (
        MunicipalityFactory(region=lottery.region),
        MunicipalityFactory(region=lottery.region),
    )
    candidates = [
        ParticipantFactory(regeling=lottery, household__municipality=municipality)
        for municipality in (here, here, here, there, there)
    ]
    local_role = Role.objects.create(
        code="wijkteam", name="Wijkteam", scope=Scope.MUNICIPALITY, edits_participants=True
    )
    local = UserFactory(
        role=local_role,
        organisation=OrganisationFactory(region=lottery.region, municipality=here),
    )
    assert Participant.objects.visible_to(local).count() == 3

    whole = {p.pk for p in candidates}
    assert set(services.selection_pool(klantmanager, lottery)) == whole
    assert set(services.selection_pool(local, lottery)) == whole
    with pytest.raises(Refused, match="niet alle kandidaten"):
        services.draw_selection(local, lottery, 1)
    assert not SelectionDraw.objects.exists()
    elsewhere = UserFactory(role_code=RoleCode.KLANTMANAGER)
    with pytest.raises(PermissionDenied):
        services.selection_pool(elsewhere, lottery)
    with pytest.raises(PermissionDenied):
        services.draw_selection(elsewhere, lottery, 1)
