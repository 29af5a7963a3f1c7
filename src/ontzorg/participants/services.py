"""Business actions on participants: intake, changes, decisions, selection, viewing."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.accounts.constants import Scope
from ontzorg.audit import services as audit
from ontzorg.audit.constants import Action
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.regelingen.constants import SelectionMethod
from ontzorg.regelingen.models import Municipality, Regeling

from . import eligibility, selection
from .constants import DecisionOutcome, Literacy, Phase
from .models import Decision, Household, Participant, SelectionDraw
from .querysets import add_months


def _require(user, right: str):
    if not (user.is_superuser or user.has_right(right)):
        raise PermissionDenied(_("Uw rol mag dit niet."))


def get_visible(user, pk) -> Participant:
    """The participant if `user` may see it; Participant.DoesNotExist (404) otherwise."""
    return (
        Participant.objects.visible_to(user)
        .select_related(
            "household__municipality",
            "regeling__region",
            "case_worker",
            "guidance_organisation",
            "coach",
        )
        .get(pk=pk)
    )


def view_participant(user, pk, *, request=None, what: str = "deelnemerspagina") -> Participant:
    participant = get_visible(user, pk)
    audit.record_view(user, participant, what=what, request=request)
    return participant


def rules_for(regeling) -> eligibility.Rules:
    return eligibility.Rules(
        exclude_seniors=regeling.exclude_seniors,
        senior_age=regeling.senior_age,
        exclude_fulltime_students=regeling.exclude_fulltime_students,
        exclude_illiterate=regeling.exclude_illiterate,
        newcomers_since=regeling.newcomers_since,
        include_old_arrivals=regeling.include_old_arrivals,
    )


def check_eligibility(participant: Participant, on: date | None = None) -> eligibility.Result:
    person = eligibility.Person(
        date_of_birth=participant.date_of_birth,
        arrival_on=participant.arrival_on,
        bijstand_start_on=participant.bijstand_start_on,
        is_fulltime_student=participant.is_fulltime_student,
        is_illiterate=participant.literacy == Literacy.ILLITERATE,
    )
    return eligibility.check(rules_for(participant.regeling), person, on or timezone.localdate())


@transaction.atomic
def register_intake(user, *, household: dict, participant: dict, request=None) -> Participant:
    """Create a household and its applicant; the phase follows from the eligibility check."""
    _require(user, "edits_participants")
    regeling = participant["regeling"]
    if not user.is_superuser and user.region and regeling.region_id != user.region.pk:
        raise PermissionDenied(_("Deze regeling hoort niet bij uw regio."))
    home = Household(**household)
    home.full_clean()
    home.save()
    person = Participant(household=home, **participant)
    person.full_clean()
    result = check_eligibility(person)
    person.phase = Phase.CANDIDATE if result.eligible else Phase.NOT_ELIGIBLE
    person.save()
    audit.record_change(
        user, home, {}, participant=person, summary="huishouden aangemaakt", request=request
    )
    audit.record_change(
        user, person, {}, participant=person, summary="intake vastgelegd", request=request
    )
    return person


@transaction.atomic
def update_participant(user, participant: Participant, changes: dict, *, request=None):
    _require(user, "edits_participants")
    locked = Participant.objects.visible_to(user).select_for_update().get(pk=participant.pk)
    before = audit.snapshot(locked, list(changes))
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    if audit.diff(before, audit.snapshot(locked, list(changes))):
        audit.record_change(
            user,
            locked,
            before,
            participant=locked,
            summary="deelnemergegevens gewijzigd",
            request=request,
        )
    return locked


@transaction.atomic
def record_decision(user, participant, *, kind, outcome, reason, decided_on=None, request=None):
    """Opt-out or maatwerk. 'Geen ontzorging' takes the participant out of the payment runs."""
    _require(user, "edits_participants")
    participant = Participant.objects.visible_to(user).select_for_update().get(pk=participant.pk)
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise Refused(_("Geef een reden van ten minste tien tekens; die is verplicht."))
    decision = Decision.objects.create(
        participant=participant,
        kind=kind,
        outcome=outcome,
        reason=reason,
        decided_on=decided_on or timezone.localdate(),
        decided_by=user,
    )
    before = audit.snapshot(participant, ["phase"])
    if outcome == DecisionOutcome.NO_ONTZORGING:
        participant.phase = Phase.OPTED_OUT
    elif participant.phase in (Phase.OPTED_OUT, Phase.NOT_ELIGIBLE):
        participant.phase = Phase.CANDIDATE
    participant.save(update_fields=["phase", "updated_at"])
    audit.record(
        user,
        Action.DECISION,
        decision,
        participant=participant,
        summary=f"{decision.get_kind_display()}: {decision.get_outcome_display()}",
        changes={
            **audit.diff(before, audit.snapshot(participant, ["phase"])),
            "reden": [None, reason],
        },
        request=request,
    )
    return decision


def selection_pool(user, regeling):
    """Eligible candidates of the regeling that the user may see, as ids."""
    candidates = (
        Participant.objects.visible_to(user)
        .filter(regeling=regeling, phase=Phase.CANDIDATE)
        .select_related("regeling")
    )
    return [p.pk for p in candidates if check_eligibility(p).eligible]


@transaction.atomic
def draw_selection(user, regeling, size: int, *, seed: int | None = None, request=None):
    """Draw `size` participants at random; the selected move on to intake."""
    _require(user, "edits_participants")
    pool = selection_pool(user, regeling)
    if size < 1:
        raise Refused(_("Kies ten minste één deelnemer."))
    if size > len(pool):
        raise Refused(
            _("Er zijn maar %(n)d geschikte kandidaten; u vraagt er %(size)d.")
            % {"n": len(pool), "size": size}
        )
    seed = selection.new_seed() if seed is None else seed
    chosen = selection.draw(pool, size, seed)
    draw = SelectionDraw.objects.create(
        regeling=regeling,
        seed=seed,
        size=size,
        candidate_ids=sorted(pool),
        selected_ids=chosen,
        drawn_by=user,
    )
    Participant.objects.filter(pk__in=chosen).update(phase=Phase.INTAKE, updated_at=timezone.now())
    audit.record(
        user,
        Action.SELECTION,
        draw,
        summary=f"loting: {size} uit {len(pool)} (seed {seed})",
        changes={"geselecteerd": [None, chosen]},
        request=request,
    )
    return draw


def replay(draw: SelectionDraw) -> list[int]:
    """Redo a recorded draw from its seed and pool, to show it was fair."""
    return selection.draw(draw.candidate_ids, draw.size, draw.seed)


def regelingen_for(user):
    """Regelingen whose participants the user may see at all: the own region's, or all."""
    if user.is_superuser or (user.role and user.role.scope == Scope.ALL):
        return Regeling.objects.select_related("region")
    if user.role and user.role.scope in (Scope.REGION, Scope.ORGANISATION) and user.region:
        return Regeling.objects.filter(region=user.region).select_related("region")
    return Regeling.objects.none()


def random_regelingen_for(user):
    """The regelingen of the user's scope that select their participants by lot."""
    return regelingen_for(user).filter(selection_method=SelectionMethod.RANDOM)


def municipalities_for(user):
    regions = regelingen_for(user).values("region_id")
    return Municipality.objects.filter(region_id__in=regions)


def provisional_end_on(participant: Participant) -> date | None:
    """Bijstand start plus the regeling's minimum duration, until a plan says otherwise."""
    if participant.bijstand_start_on is None:
        return None
    return add_months(participant.bijstand_start_on, participant.regeling.min_duration_months)


EXPORT_COLUMNS = [
    ("id", "pk"),
    ("voornaam", "first_name"),
    ("achternaam", "last_name"),
    ("geboortedatum", "date_of_birth"),
    ("gemeente", "household.municipality.name"),
    ("regeling", "regeling.name"),
    ("fase", "get_phase_display"),
    ("klantmanager", "case_worker"),
    ("begeleidende organisatie", "guidance_organisation"),
]


def _value(obj, path: str):
    for name in path.split("."):
        obj = getattr(obj, name, None)
        if obj is None:
            return ""
    value = obj() if callable(obj) else obj
    return value.isoformat() if isinstance(value, date) else str(value)


def export_participants(user, participants, *, request=None) -> tuple[list[str], list[list]]:
    """Header and rows of a participant list export; BSN and IBAN only for roles that see
    them. `participants` must come from Participant.objects.visible_to(user)."""
    columns = list(EXPORT_COLUMNS)
    if user.sees_bsn or user.is_superuser:
        columns.insert(1, ("BSN", "bsn"))
    if user.sees_bank or user.is_superuser:
        columns.append(("IBAN", "iban"))
    people = list(
        participants.select_related(
            "household__municipality", "regeling", "case_worker", "guidance_organisation"
        )
    )
    rows = [[_value(person, path) for _, path in columns] for person in people]
    audit.record(
        user,
        Action.EXPORT,
        summary=f"deelnemerslijst geëxporteerd ({len(people)} deelnemers)",
        object_type=Participant._meta.label,
        changes={"deelnemers": [None, [person.pk for person in people]]},
        request=request,
    )
    return [label for label, _ in columns], rows
