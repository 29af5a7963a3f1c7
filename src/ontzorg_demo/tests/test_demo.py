"""The demo data (`manage.py load_demo`): idempotent, complete, valid and consistent with the
regelingen's own rules."""

from collections import Counter
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from ontzorg.accounts.constants import OrganisationKind, RoleCode
from ontzorg.accounts.models import Organisation, Role, User
from ontzorg.participants import services
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import (
    Decision,
    Household,
    HouseholdMember,
    Participant,
    SelectionDraw,
)
from ontzorg.participants.validators import validate_bsn, validate_iban
from ontzorg.regelingen.constants import Inclusion, Mode, PlanStart, SelectionMethod
from ontzorg.regelingen.models import (
    Instrument,
    InstrumentLevel,
    Municipality,
    PackageItem,
    Regeling,
    Region,
    Training,
)
from ontzorg_demo import participants as demo_participants
from ontzorg_demo.testdata import fake_bsn
from ontzorg_demo.users import DEMO_PASSWORD

MODELS = [
    Region,
    Municipality,
    Organisation,
    Regeling,
    PackageItem,
    Training,
    Instrument,
    InstrumentLevel,
    User,
    Household,
    HouseholdMember,
    Participant,
    Decision,
    SelectionDraw,
]


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def in_region(slug):
    return Participant.objects.filter(regeling__region__slug=slug)


def test_loading_twice_changes_nothing(demo, db):
    before = counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert "(0 huishoudens nieuw)" in out.getvalue()


def test_counts(demo, db):
    assert Region.objects.count() == 6
    assert Regeling.objects.count() == 6
    sizes = Counter(
        Participant.objects.exclude(
            regeling__region__slug="den-haag", phase=Phase.CANDIDATE
        ).values_list("regeling__region__slug", flat=True)
    )
    assert sizes == demo_participants.SIZES
    assert sum(sizes.values()) == 234
    pool = in_region("den-haag").filter(phase=Phase.CANDIDATE).count()
    assert pool == demo_participants.DEN_HAAG_POOL


def test_the_plan_is_deterministic_and_clear_of_the_factories():
    today = timezone.localdate()
    first = [p["bsn"] for home in demo_participants.plan(today) for p in home.people]
    second = [p["bsn"] for home in demo_participants.plan(today) for p in home.people]
    assert first == second
    assert len(set(first)) == len(first)
    assert not set(first) & {fake_bsn(n) for n in range(2000)}


def test_every_bsn_and_iban_is_valid(demo, db):
    for bsn, iban in Participant.objects.values_list("bsn", "iban"):
        validate_bsn(bsn)
        validate_iban(iban)


def test_every_participant_passes_full_validation(demo, db):
    for participant in Participant.objects.all():
        participant.full_clean()


def test_every_role_has_a_login_with_the_demo_password(demo, db):
    for role in Role.objects.all():
        assert User.objects.filter(role=role).exists(), role.code
    beheerder = User.objects.get(username="beheerder")
    assert beheerder.is_staff and beheerder.is_superuser
    assert beheerder.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="km.zoetermeer").check_password(DEMO_PASSWORD)
    evaluator = User.objects.get(username="evaluator")
    assert evaluator.organisation.kind == OrganisationKind.EVALUATOR
    assert evaluator.region is None


def test_two_backoffice_users_per_region_for_four_eyes(demo, db):
    for region in Region.objects.all():
        backoffice = User.objects.filter(
            role__code=RoleCode.BACKOFFICE, organisation__region=region
        )
        assert backoffice.count() == 2, region


def test_every_partner_organisation_has_a_coach(demo, db):
    partners = Organisation.objects.filter(kind=OrganisationKind.PARTNER)
    assert partners.filter(name__startswith="VluchtelingenWerk").count() == 6
    assert partners.filter(region__slug="zoetermeer").count() == 6
    for organisation in partners:
        assert organisation.users.filter(role__code=RoleCode.BUDGETCOACH).exists(), organisation
        assert Participant.objects.filter(guidance_organisation=organisation).exists(), organisation


def test_participants_have_their_regions_people(demo, db):
    for participant in Participant.objects.select_related(
        "regeling", "household__municipality", "case_worker__organisation", "coach"
    ):
        region_id = participant.regeling.region_id
        assert participant.household.municipality.region_id == region_id
        assert participant.case_worker.role.code == RoleCode.KLANTMANAGER
        assert participant.case_worker.organisation.region_id == region_id
        assert participant.coach.organisation_id == participant.guidance_organisation_id


def test_eligibility_matches_the_phase(demo, db):
    not_eligible = Participant.objects.filter(phase=Phase.NOT_ELIGIBLE).select_related("regeling")
    assert not_eligible.count() >= 6
    for participant in not_eligible:
        assert not services.check_eligibility(participant).eligible, participant
    others = Participant.objects.exclude(phase=Phase.NOT_ELIGIBLE).select_related("regeling")
    for participant in others:
        result = services.check_eligibility(participant)
        assert result.eligible, (participant, participant.phase, result.reasons)


def test_the_pilot_exclusions_show_in_the_demo(demo, db):
    def reasons(slug):
        return {
            reason
            for p in in_region(slug).filter(phase=Phase.NOT_ELIGIBLE)
            for reason in services.check_eligibility(p).reasons
        }

    assert any(r.startswith("Ouderen zijn uitgesloten") for r in reasons("zoetermeer"))
    assert "Voltijdstudenten zijn uitgesloten in deze regeling." in reasons("zoetermeer")
    assert reasons("hendrik-ido-ambacht") == {"Analfabeten zijn uitgesloten in deze regeling."}
    # Edam-Volendam admits old arrivals, and has some.
    regeling = Regeling.objects.get(region__slug="edam-volendam")
    assert in_region("edam-volendam").filter(arrival_on__lt=regeling.newcomers_since).exists()


def test_regelingen_are_configured_as_the_pilots(demo, db):
    def regeling(slug):
        return Regeling.objects.get(region__slug=slug)

    zoetermeer = regeling("zoetermeer")
    assert sorted(zoetermeer.categories(Inclusion.STANDARD)) == [
        "energie",
        "huur",
        "zorgverzekering",
    ]
    assert zoetermeer.exclude_seniors and zoetermeer.exclude_fulltime_students
    den_haag = regeling("den-haag")
    assert den_haag.mode == Mode.DIFFERENTIATED
    assert set(den_haag.categories(Inclusion.OPTIONAL)) == {"telecom", "verzekering"}
    assert den_haag.selection_method == SelectionMethod.RANDOM
    assert den_haag.target_participants
    hia = regeling("hendrik-ido-ambacht")
    assert hia.mode == Mode.BUDGETBEHEER
    assert hia.allowance_frequency == "weekly"
    assert hia.has_savings_pots and hia.continues_on_wages and hia.exclude_illiterate
    assert hia.plan_start == PlanStart.LEASE_SIGNED
    assert hia.followup_months_after_end == 12
    assert {"gemeentebelasting", "telecom"} <= set(hia.categories(Inclusion.STANDARD))
    assert regeling("capelle").first_month_rent_gift
    edam = regeling("edam-volendam")
    assert edam.prepay_last_month and edam.include_old_arrivals
    assert edam.endmeasurement_months_before_end == 2
    dongemond = regeling("dongemond").instruments
    assert dongemond.filter(purpose="self_reliance").get().name == "ZRM Financiën"
    # The duaal traject: language progress measured beside self-reliance (issue 12).
    assert dongemond.exclude(purpose="self_reliance").get().name == (
        "Taalvoortgang Nederlands (ERK)"
    )
    for each in Regeling.objects.all():
        each.full_clean()
        assert each.instruments.exists()


def test_instruments_have_ordered_levels_and_a_top_exit(demo, db):
    zrm = Instrument.objects.get(name="ZRM Financiën")
    assert [level.rank for level in zrm.levels.all()] == [1, 2, 3, 4, 5]
    assert zrm.exit_level.rank == 4
    # Self-reliance instruments; the other outcomes (stress...) have no exit level.
    for instrument in Instrument.objects.filter(purpose="self_reliance"):
        levels = list(instrument.levels.order_by("rank"))
        exits = [level.rank for level in levels if level.is_exit]
        assert exits == list(range(exits[0], len(levels) + 1))
        assert [level.category for level in levels] == sorted(level.category for level in levels)


def test_phases_follow_the_dates(demo, db):
    today = timezone.localdate()
    for participant in Participant.objects.filter(
        phase__in=[Phase.INTAKE, Phase.ACTIVE]
    ).select_related("regeling"):
        regeling = participant.regeling
        start = (
            participant.lease_signed_on
            if regeling.plan_start == PlanStart.LEASE_SIGNED
            else participant.bijstand_start_on
        )
        assert start <= today
        assert today - start < timedelta(days=31 * regeling.min_duration_months), participant
    ended = in_region("capelle").filter(phase=Phase.ENDED)
    assert all(today - p.bijstand_start_on > timedelta(days=180) for p in ended)


def test_opted_out_participants_have_a_decision_with_a_reason(demo, db):
    opted_out = Participant.objects.filter(phase=Phase.OPTED_OUT)
    assert opted_out.exists()
    for participant in opted_out:
        decision = participant.decisions.get()
        assert decision.outcome == "no_ontzorging"
        assert len(decision.reason) >= 10


def test_den_haag_draw_replays_and_the_pool_can_be_drawn_again(demo, db):
    draw = SelectionDraw.objects.get(regeling__region__slug="den-haag")
    assert services.replay(draw) == draw.selected_ids
    drawn = in_region("den-haag").filter(pk__in=draw.selected_ids)
    assert drawn.count() == draw.size
    assert not drawn.filter(phase=Phase.CANDIDATE).exists()
    klantmanager = User.objects.get(username="km.denhaag")
    regeling = draw.regeling
    assert len(services.selection_pool(klantmanager, regeling)) == demo_participants.DEN_HAAG_POOL
    second = services.draw_selection(klantmanager, regeling, 10)
    assert (
        in_region("den-haag").filter(pk__in=second.selected_ids, phase=Phase.INTAKE).count() == 10
    )


def test_couples_take_part_together_where_the_regeling_says_so(demo, db):
    couples = Household.objects.filter(participants__household_role="partner")
    assert couples.exists()
    for household in couples.prefetch_related("participants__regeling"):
        people = list(household.participants.all())
        assert len(people) == 2
        assert all(p.regeling.both_partners for p in people)
        assert len({p.phase for p in people}) == 1
    assert HouseholdMember.objects.filter(kind="child").exists()
    assert HouseholdMember.objects.filter(kind="housemate").exists()


def test_demo_logins_prints_every_login(demo, db):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for username in ["km.zoetermeer", "backoffice.hia", "budgetbeheer.hia", "beheerder"]:
        assert username in text
    assert DEMO_PASSWORD in text
    assert "Sociale Dienst Drechtsteden" in text


def test_demo_participants_read_their_page_in_their_main_language(demo, db):
    """Deterministic: from the main language spoken; a BSN per language to type in the mock
    DigiD, each of a participant who has a page (ontzorgen)."""
    from ontzorg.portal.services import find_participant

    by_main = {
        main: set(
            Participant.objects.filter(languages__startswith=main).values_list(
                "preferred_language", flat=True
            )
        )
        for main in ("Arabisch", "Tigrinya", "Turks", "Dari", "Farsi", "Somalisch")
    }
    assert by_main["Arabisch"] == {"ar"} and by_main["Tigrinya"] == {"ti"}
    assert by_main["Dari"] <= {"fa"} and by_main["Farsi"] <= {"fa"}
    assert by_main["Somalisch"] <= {"en", "nl"}
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/mijn/" in text
    for code in ("nl", "ar", "ti"):
        line = next(line for line in text.splitlines() if f"({code}): " in line)
        participant, refusal = find_participant(line.rsplit(" ", 1)[1])
        assert refusal == "" and participant.preferred_language == code


def test_demo_statement_confirms_most_payments_returns_one_and_queues_two(demo, db):
    from ontzorg.banking.constants import MatchStatus, ReconciliationKind
    from ontzorg.banking.models import BankEntry, Reconciliation, ReturnedPayment
    from ontzorg.ledger import services as ledger
    from ontzorg.payments.constants import PAID_KINDS
    from ontzorg.payments.models import PaymentRun

    run = PaymentRun.objects.get(region__slug="zoetermeer", status="booked")
    paid = run.instructions.filter(kind__in=PAID_KINDS).count()
    confirmed = Reconciliation.objects.filter(
        kind=ReconciliationKind.PAYMENT, instruction__run=run
    ).count()
    assert confirmed == paid - 2
    returned = ReturnedPayment.objects.get()
    assert returned.reason_code == "AC04" and returned.instruction.run == run
    unmatched = BankEntry.objects.filter(match_status=MatchStatus.UNMATCHED)
    assert [e.amount_cents > 0 for e in unmatched] == [True, True]
    assert ledger.balance_check(run=run).balanced
    assert ledger.balance_check().balanced
