"""Business actions on participants: intake, changes, decisions, selection, viewing."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ontzorg.audit import services as audit
from ontzorg.core import access, privacy
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.payments import sepa
from ontzorg.plans import services as plans
from ontzorg.regelingen.constants import SelectionMethod
from ontzorg.regelingen.models import Municipality, Regeling

from . import events, lifecycle, selection
from .constants import DecisionOutcome, Phase
from .lifecycle import check_eligibility, rules_for  # noqa: F401  (their home is the lifecycle)
from .models import Decision, Household, Participant, SelectionDraw

# Where a participant's money goes: changed only through a four-eyes proposal (plans.payees).
PAYEE_FIELDS = frozenset({"iban", "account_holder_name"})


def get_visible(user, pk) -> Participant:
    """The participant if `user` may see it; 404 otherwise."""
    return access.get_or_404(
        Participant.objects.select_related(
            "household__municipality",
            "regeling__region",
            "case_worker",
            "guidance_organisation",
            "coach",
        ),
        user,
        pk=pk,
    )


def view_participant(user, pk, *, what: str = "deelnemerspagina") -> Participant:
    """`get_visible`, written to the audit trail as seen."""
    participant = get_visible(user, pk)
    audit.record_view(user, participant, what=what)
    return participant


def _created(obj) -> dict:
    return {name: [None, value] for name, value in audit.snapshot(obj).items()}


@transaction.atomic
def register_intake(user, *, household: dict, participant: dict) -> Participant:
    """Create a household and its applicant. The phase follows from the eligibility check:
    niet geschikt, or intake (kandidaat until the draw where the regeling draws)."""
    access.require(user, "edits_participants")
    regeling = participant["regeling"]
    if not regelingen_for(user).filter(pk=regeling.pk).exists():
        raise PermissionDenied(_("This regeling is not part of your region."))
    home = Household(**household)
    home.full_clean()
    home.save()
    person = Participant(household=home, **participant)
    if not person.account_holder_name:
        # A name in Latin letters is the name the bank knows; any other needs a person to
        # confirm its spelling (the intake form suggests one, back office can set it later).
        person.account_holder_name = sepa.latin_form(person.full_name) or ""
    person.full_clean()
    person.save()
    audit.record(user, events.HOUSEHOLD_CREATED, home, participant=person, changes=_created(home))
    audit.record(user, events.INTAKE_RECORDED, person, participant=person, changes=_created(person))
    lifecycle.after_intake(person, on=timezone.localdate(), user=user)
    return person


@transaction.atomic
def update_participant(user, participant: Participant, changes: dict):
    access.require(user, "edits_participants")
    if "phase" in changes:
        raise Refused(
            _("The phase changes only through a decision, the selection draw or the plan.")
        )
    if PAYEE_FIELDS & set(changes):
        raise Refused(
            _(
                "You change the IBAN and the account holder's name through 'Payee "
                "account details'; a colleague approves the change (four eyes)."
            )
        )
    locked = access.get_or_refuse(Participant.objects.select_for_update(), user, pk=participant.pk)
    if Participant.objects.filter(pk=locked.pk, anonymisation__isnull=False).exists():
        # Retention replaced the personal data (ontzorg.privacy); they must not come back.
        raise Refused(
            _("This participant has been anonymised; the details can no longer be changed.")
        )
    before = audit.snapshot(locked, list(changes))
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    diff = audit.diff(before, audit.snapshot(locked, list(changes)))
    if diff:
        audit.record(user, events.PARTICIPANT_CHANGED, locked, participant=locked, changes=diff)
    return locked


@transaction.atomic
def record_decision(user, participant, *, kind, outcome, reason, decided_on=None):
    """Opt-out or maatwerk. 'Geen ontzorging' moves the participant to opted out and stops
    the open plan and its lines from `decided_on`, so the payment run no longer pays them;
    'toch ontzorgen' brings a not-eligible or opted-out participant back as a candidate."""
    access.require(user, "edits_participants")
    participant = access.get_or_refuse(
        Participant.objects.select_for_update(), user, pk=participant.pk
    )
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise Refused(_("Give a reason of at least ten characters; it is required."))
    if decided_on is not None and decided_on > timezone.localdate():
        # The phase and the plan change when the decision is recorded; a later date would
        # stop the payments before the day the decision names.
        raise Refused(_("A decision takes effect today or earlier. Record it on that day."))
    decision = Decision.objects.create(
        participant=participant,
        kind=kind,
        outcome=outcome,
        reason=reason,
        decided_on=decided_on or timezone.localdate(),
        decided_by=user,
    )
    on = decision.decided_on
    if outcome == DecisionOutcome.NO_ONTZORGING:
        change = lifecycle.move(
            participant, Phase.OPTED_OUT, on=on, reason=decision.get_kind_display(), user=user
        )
        closed = plans.close_for_opt_out(user, participant, on, reason)
    elif participant.phase in (Phase.OPTED_OUT, Phase.NOT_ELIGIBLE):
        change = lifecycle.move(
            participant,
            Phase.CANDIDATE,
            on=on,
            reason=_("maatwerk decision: ontzorgen anyway"),
            user=user,
        )
        closed = None
    else:
        change, closed = None, None
    changes = {"phase": [change.before, change.after]} if change and change.changed else {}
    if closed is not None:
        changes["plan gestopt"] = [None, closed.pk]
    audit.record(
        user,
        events.DECISION_RECORDED,
        decision,
        participant=participant,
        changes={**changes, "reden": [None, reason]},
        kind=decision.get_kind_display(),
        outcome=decision.get_outcome_display(),
    )
    return decision


def selection_pool(user, regeling):
    """Every eligible candidate of the regeling, as ids, whoever asks: a lottery over only
    the candidates the drawing user sees would depend on who draws. Refused for a regeling
    outside the user's regions; `draw_selection` refuses who does not see the whole pool."""
    if not regelingen_for(user).filter(pk=regeling.pk).exists():
        raise PermissionDenied(_("This regeling is not part of your region."))
    candidates = Participant.objects.filter(
        regeling=regeling, phase=Phase.CANDIDATE, anonymisation__isnull=True
    ).select_related("regeling")
    return [p.pk for p in candidates if check_eligibility(p).eligible]


@transaction.atomic
def draw_selection(user, regeling, size: int):
    """Draw `size` participants at random; the selected move on to intake.

    The seed comes from `secrets` on the server and is stored with the draw, so the draw
    can be replayed (`replay`) but not steered: no caller can choose the seed."""
    access.require(user, "edits_participants")
    pool = selection_pool(user, regeling)
    if Participant.objects.visible_to(user).filter(pk__in=pool).count() != len(pool):
        raise Refused(
            _(
                "You do not see all candidates of this regeling. Have the selection "
                "draw done by someone who sees them all."
            )
        )
    if size < 1:
        raise Refused(_("Choose at least one participant."))
    if size > len(pool):
        raise Refused(
            _("There are only %(n)d eligible candidates; you ask for %(size)d.")
            % {"n": len(pool), "size": size}
        )
    seed = selection.new_seed()
    chosen = selection.draw(pool, size, seed)
    draw = SelectionDraw.objects.create(
        regeling=regeling,
        seed=seed,
        size=size,
        candidate_ids=sorted(pool),
        selected_ids=chosen,
        drawn_by=user,
    )
    drawn_on = timezone.localdate()
    for person in Participant.objects.filter(pk__in=chosen).order_by("pk"):
        lifecycle.move(
            person, Phase.INTAKE, on=drawn_on, reason=_("drawn (seed %s)") % seed, user=user
        )
    audit.record(
        user,
        events.SELECTION_DRAWN,
        draw,
        changes={"geselecteerd": [None, chosen]},
        size=size,
        pool=len(pool),
        seed=seed,
    )
    return draw


def replay(draw: SelectionDraw) -> list[int]:
    """Redo a recorded draw from its seed and pool, to show it was fair."""
    return selection.draw(draw.candidate_ids, draw.size, draw.seed)


def regelingen_for(user):
    """Regelingen whose participants the user may see at all: those of the user's regions
    (an organisation-scoped role works in its organisation's region)."""
    regelingen = Regeling.objects.select_related("region")
    regions = access.region_ids(user)
    return regelingen if regions is None else regelingen.filter(region_id__in=regions)


def random_regelingen_for(user):
    """The regelingen of the user's scope that select their participants by lot."""
    return regelingen_for(user).filter(selection_method=SelectionMethod.RANDOM)


def municipalities_for(user):
    """The municipalities `user` may register participants in: those of their regions, or
    only their own when their region limits staff to their municipality."""
    if access.scope_of(user) == access.Scope.MUNICIPALITY:
        return Municipality.objects.filter(pk=user.organisation.municipality_id)
    regions = regelingen_for(user).values("region_id")
    return Municipality.objects.filter(region_id__in=regions)


EXPORT_COLUMNS = [
    ("id", "pk"),
    (gettext_lazy("first name"), "first_name"),
    (gettext_lazy("last name"), "last_name"),
    (gettext_lazy("date of birth"), "date_of_birth"),
    (gettext_lazy("municipality"), "household.municipality.name"),
    (gettext_lazy("regeling"), "regeling.name"),
    (gettext_lazy("phase"), "get_phase_display"),
    (gettext_lazy("case worker"), "case_worker"),
    (gettext_lazy("guiding organisation"), "guidance_organisation"),
]


def _value(obj, path: str):
    for name in path.split("."):
        obj = getattr(obj, name, None)
        if obj is None:
            return ""
    value = obj() if callable(obj) else obj
    return value.isoformat() if isinstance(value, date) else str(value)


def record_list_view(user, shown, search: str = "") -> None:
    """One audit entry per shown page of the participant list, when it shows BSNs: which
    participants were listed and what was searched, with any number masked."""
    if not access.may(user, "sees_bsn"):
        return
    ids = [person.pk for person in shown]
    audit.record(
        user,
        events.LIST_VIEWED,
        object_type=Participant._meta.label,
        changes={"deelnemers": [None, ids]},
        count=len(ids),
        search=privacy.mask_digits(search) or "-",
    )


def export_participants(user, participants) -> tuple[list[str], list[list]]:
    """Header and rows of a participant list export; BSN and IBAN only for roles that see
    them. `participants` is narrowed to what `user` may see."""
    columns = list(EXPORT_COLUMNS)
    if access.may(user, "sees_bsn"):
        columns.insert(1, ("BSN", "bsn"))
    if access.may(user, "sees_bank"):
        columns.append(("IBAN", "iban"))
    people = list(
        access.restrict(participants, user).select_related(
            "household__municipality", "regeling", "case_worker", "guidance_organisation"
        )
    )
    rows = [[_value(person, path) for _, path in columns] for person in people]
    audit.record(
        user,
        events.LIST_EXPORTED,
        object_type=Participant._meta.label,
        changes={"deelnemers": [None, [person.pk for person in people]]},
        count=len(people),
    )
    return [str(label) for label, _ in columns], rows
