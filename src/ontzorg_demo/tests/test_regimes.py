"""The six pilot regimes in the demo: each difference is the regeling's configuration, and the
demo shows it in the money (Capelle's rent gift, Edam-Volendam's prepaid last month), in the
package (Dongemond, Zoetermeer), the duration (Hendrik-Ido-Ambacht), the partners (Zoetermeer)
and the selection (Den Haag). Also the sample bank statement of every region."""

import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ontzorg.accounts.constants import OrganisationKind, RoleCode
from ontzorg.accounts.models import Organisation, User
from ontzorg.approvals.tests.helpers import decide_and_approve
from ontzorg.banking import imports
from ontzorg.core.dates import add_months, planned_end_on
from ontzorg.participants.constants import HouseholdRole, Phase
from ontzorg.participants.models import Participant
from ontzorg.payments import services as payments
from ontzorg.payments.constants import InstructionKind, RunStatus
from ontzorg.payments.models import PaymentRun
from ontzorg.plans import reading, withholding
from ontzorg.plans.constants import ShortfallChoice
from ontzorg.plans.models import Plan, PlanDecision, PlanLine
from ontzorg.regelingen.constants import Inclusion, SelectionMethod
from ontzorg.regelingen.models import Regeling, Region
from ontzorg_demo import statements
from ontzorg_demo.regions import LEGAL, REGIONS

LAST_MONTH = add_months(timezone.localdate().replace(day=1), -1)
THIS_MONTH = timezone.localdate().replace(day=1)


def regeling(slug) -> Regeling:
    return Regeling.objects.get(region__slug=slug)


def gift_lines(run) -> set[int]:
    return set(
        run.instructions.filter(kind=InstructionKind.GIFT).values_list("plan_line_id", flat=True)
    )


def rent_lines(plans) -> set[int]:
    return set(
        PlanLine.objects.filter(plan__in=plans, category="huur").values_list("pk", flat=True)
    )


def prepared_run(slug, period) -> PaymentRun:
    """This month's run of a region, prepared and computed as backoffice does, every
    shortfall decided as in the demo."""
    region = Region.objects.get(slug=slug)
    preparer, approver = User.objects.filter(
        role__code=RoleCode.BACKOFFICE, organisation__region=region
    ).order_by("username")[:2]
    run = payments.prepare_run(preparer, region, period)
    payments.compute_run(run.pk)
    for case in run.shortfalls.filter(decision__isnull=True):
        decide_and_approve(
            preparer,
            approver,
            case,
            choice=ShortfallChoice.PAY_PARTIALLY,
            reason="Test: huur gaat voor.",
        )
    return run


# --- Capelle: first month's rent as a gift, if needed, per participant -----------------------


def test_capelle_gift_is_decided_per_participant(demo, db):
    assert regeling("capelle").first_month_rent_gift
    plans = Plan.objects.filter(regeling__region__slug="capelle")
    assert plans.filter(first_rent_gift=True).exists()
    assert plans.filter(first_rent_gift=False).exists()
    others = Plan.objects.exclude(regeling__first_month_rent_gift=True)
    assert not others.filter(first_rent_gift=True).exists()


def test_capelle_booked_run_pays_the_gift_in_month_one(demo, db):
    run = PaymentRun.objects.get(region__slug="capelle", period=LAST_MONTH, status=RunStatus.BOOKED)
    starters = Plan.objects.filter(
        regeling__region__slug="capelle", start_on__gte=LAST_MONTH, start_on__lt=THIS_MONTH
    )
    with_gift = starters.filter(first_rent_gift=True)
    assert with_gift.exists()
    assert gift_lines(run) == rent_lines(with_gift)
    # In month 2 the rent is withheld as usual: no gift for the earlier starters.
    earlier = Plan.objects.filter(regeling__region__slug="capelle", start_on__lt=LAST_MONTH)
    assert not gift_lines(run) & rent_lines(earlier)


def test_capelle_run_still_to_prepare_pays_the_gift_of_this_months_starters(demo, db):
    run = prepared_run("capelle", THIS_MONTH)
    with_gift = Plan.objects.filter(
        regeling__region__slug="capelle", start_on__gte=THIS_MONTH, first_rent_gift=True
    )
    assert with_gift.exists()
    assert gift_lines(run) == rent_lines(with_gift)


def test_the_gift_needs_no_machtiging_because_it_is_not_the_participants_money(demo, db):
    """A machtiging signed during the first month covers the next month only; the gift is
    the municipality's money and is paid all the same."""
    checked = 0
    for plan in Plan.objects.filter(regeling__region__slug="capelle", first_rent_gift=True):
        first = plan.start_on.replace(day=1)
        rent = plan.lines.get(category="huur")
        if any(m.covers(rent, first) for m in reading.machtigingen_of(plan)):
            continue
        gifts = [
            o
            for o in reading.withholding_input(plan, first).one_offs
            if o.kind == withholding.OneOffKind.GIFT
        ]
        assert [g.line_id for g in gifts] == [rent.pk]
        checked += 1
    assert checked


# --- Edam-Volendam: the last month paid ahead out of the overbruggingsvergoeding -------------


def test_edam_prepaid_month_comes_out_of_the_bridging_allowance(demo, db):
    edam = regeling("edam-volendam")
    assert edam.prepay_last_month and edam.prepay_from_bridging
    checked = 0
    for plan in Plan.objects.open().filter(regeling=edam).select_related("regeling"):
        last = plan.end_on.replace(day=1)
        data = reading.withholding_input(plan, last)
        result = withholding.compute(data)
        regular = sum(line.amount_cents for line in data.lines)
        # The prepayment never causes a shortfall: only the month's own costs can.
        assert result.needs_decision == (regular > withholding.counted_income(data)), plan
        if not result.needs_decision:
            bridged = [p for p in result.creditor_payments if p.kind == "bridging"]
            assert sum(p.amount_cents for p in bridged) == regular
            assert result.withheld_cents == regular
            checked += 1
    assert checked >= 3


def test_edam_booked_run_pays_the_month_ahead_from_bijzondere_bijstand(demo, db):
    run = PaymentRun.objects.get(region__slug="edam-volendam", period=LAST_MONTH)
    ending = [
        plan
        for plan in Plan.objects.filter(regeling__region__slug="edam-volendam")
        if plan.is_open and plan.end_on.replace(day=1) == LAST_MONTH
    ]
    ahead = run.instructions.filter(kind=InstructionKind.GIFT)
    assert bool(ending) == ahead.exists()
    for instruction in ahead:
        assert "vooruit" in instruction.remittance
    assert not run.shortfalls.filter(plan__in=ending).exists()


def test_prepayment_from_income_is_still_possible_as_configuration(demo, db):
    """The same plan under a regeling that prepays out of the income needs a decision when
    the income cannot carry two months; the difference is one field of the regeling."""
    edam = regeling("edam-volendam")
    for plan in Plan.objects.open().filter(regeling=edam).select_related("regeling"):
        data = reading.withholding_input(plan, plan.end_on.replace(day=1))
        regular = sum(line.amount_cents for line in data.lines)
        if regular and regular <= withholding.counted_income(data) < 2 * regular:
            break
    else:
        raise AssertionError("no Edam-Volendam plan with normal costs")
    plan.regeling.prepay_from_bridging = False
    assert withholding.compute(
        reading.withholding_input(plan, plan.end_on.replace(day=1))
    ).needs_decision


# --- the other regimes ----------------------------------------------------------------------


def test_hendrik_ido_ambacht_runs_at_least_six_months_and_may_continue(demo, db):
    hia = regeling("hendrik-ido-ambacht")
    assert hia.min_duration_months == 6
    assert hia.extension_allowed and hia.max_extension_months >= 6
    assert hia.continues_on_wages
    extended = set(
        PlanDecision.objects.filter(plan__regeling=hia).values_list("plan_id", flat=True)
    )
    assert extended
    for plan in Plan.objects.filter(regeling=hia).exclude(pk__in=extended):
        assert plan.planned_end_on == planned_end_on(plan.start_on, 6)


def test_dongemond_withholds_only_the_legal_items(demo, db):
    dongemond = regeling("dongemond")
    assert sorted(dongemond.categories()) == sorted(LEGAL)
    assert not dongemond.categories(Inclusion.OPTIONAL)
    lines = PlanLine.objects.filter(plan__regeling=dongemond)
    assert lines.exists()
    assert set(lines.values_list("category", flat=True)) <= set(LEGAL)


def test_zoetermeer_both_partners_take_part(demo, db):
    zoetermeer = regeling("zoetermeer")
    assert zoetermeer.both_partners
    assert sorted(zoetermeer.categories()) == ["energie", "huur", "zorgverzekering"]
    partners = Participant.objects.filter(regeling=zoetermeer, household_role=HouseholdRole.PARTNER)
    assert partners.exists()
    for partner in partners:
        assert partner.household.participants.count() == 2


def test_den_haag_selects_at_random(demo, db):
    den_haag = regeling("den-haag")
    assert den_haag.selection_method == SelectionMethod.RANDOM
    assert den_haag.draws.exists()
    others = Regeling.objects.exclude(pk=den_haag.pk)
    assert set(others.values_list("selection_method", flat=True)) == {SelectionMethod.ALL}


def test_organisations_are_named_as_in_the_pilots(demo, db):
    names = set(Organisation.objects.values_list("name", flat=True))
    assert {
        "Welzijn Capelle",
        "Helpdesk Financiële Zaken Den Haag",
        "MidZuid",
        "Sociaal wijkteam Hendrik-Ido-Ambacht",
        "Sociale Dienst Drechtsteden",
    } <= names
    sdd = Organisation.objects.get(name="Sociale Dienst Drechtsteden")
    assert sdd.kind == OrganisationKind.KREDIETBANK
    assert sdd.users.filter(role__code=RoleCode.BACKOFFICE).exists()


def test_regimes_are_configuration_not_code():
    """No production module tests for a region by its slug or name."""
    root = Path(__file__).resolve().parents[2] / "ontzorg"
    names = {spec["slug"] for spec in REGIONS} | {spec["name"] for spec in REGIONS}
    pattern = re.compile("|".join(rf"[\"']{re.escape(name)}[\"']" for name in names), re.I)
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path.name != "conftest.py"
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# --- the sample bank statements -------------------------------------------------------------


def test_every_region_has_a_statement_that_imports_cleanly(demo, db):
    for region in Region.objects.order_by("slug"):
        statement = statements.statement_for(region)
        assert statement is not None, region
        user = statements.importer(region)
        was_imported = statement.imported
        job = imports.import_statement(
            user, statement.content, file_name=statement.file_name, region=region
        )
        assert job.status == "booked", (region, job.status)
        if was_imported:  # Zoetermeer's is imported by the demo itself: nothing twice
            assert job.entries_new == 0
            continue
        paid = statements.paid_from(statement.run, statement.account).count()
        assert job.entries_new == paid - statements.UNCONFIRMED + 1 + 2, region
        assert job.unmatched == 2, region


def test_demo_statements_writes_one_file_per_region(demo, db, tmp_path):
    out = StringIO()
    call_command("demo_statements", "--dir", str(tmp_path), stdout=out)
    files = sorted(path.name for path in tmp_path.iterdir())
    assert len(files) == 6
    assert all(name.startswith("afschrift-") and name.endswith(".xml") for name in files)
    assert "backoffice.capelle" in out.getvalue()


def test_demo_logins_tells_the_port_and_the_four_eyes_pair(demo, db):
    out = StringIO()
    call_command("demo_logins", "--port", "8123", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text
    assert "budgetbeheer.<regio>" in text


def test_the_plan_form_asks_for_the_gift_only_where_the_regeling_allows_it(demo, db, client):
    for slug, login, asked in (
        ("capelle", "km.capelle", True),
        ("zoetermeer", "km.zoetermeer", False),
    ):
        participant = Participant.objects.filter(
            regeling__region__slug=slug, phase=Phase.INTAKE
        ).first()
        client.force_login(User.objects.get(username=login))
        page = client.get(reverse("plans:create", args=[participant.pk]))
        assert page.status_code == 200
        assert ("Eerste huur als gift" in page.content.decode()) == asked
