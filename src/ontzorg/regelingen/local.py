"""The settings that apply to one participant: the regeling's, except the few a municipality
of a region of several municipalities may set for itself (``Municipality``, Admin → Regions).

The one home of that rule: whatever reads a pay day or a weekly allowance day for a
participant asks here, never the regeling's field directly. The set is kept small on
purpose: what a municipality really does on its own within a shared regeling (its own
bijstand pay day, and so its own day for the weekly allowance). Everything else is the
region's, in ``Regeling``."""

from dataclasses import dataclass

from django.db.models import Q

from .models import Municipality

# The regeling's fields a municipality may set for itself, with the same names on both.
OVERRIDABLE = ("benefit_payment_day", "allowance_weekday")


@dataclass(frozen=True)
class LocalSettings:
    benefit_payment_day: int
    allowance_weekday: int


def resolve(regeling, municipality=None) -> LocalSettings:
    """The settings of `regeling` as they apply in `municipality` (None: the regeling's)."""
    own = {name: getattr(municipality, name, None) for name in OVERRIDABLE}
    return _merged(regeling, own)


def for_participant(participant) -> LocalSettings:
    """The settings that apply to `participant`: their regeling's, as their municipality
    (that of their household) sets them."""
    return resolve(participant.regeling, participant.household.municipality)


def for_participants(regelingen: dict) -> dict[int, LocalSettings]:
    """`for_participant` of many participants at once, in one query: {participant id: the
    regeling that counts for them} in, {participant id: settings} out."""
    own = {
        participant_id: dict(zip(OVERRIDABLE, values, strict=True))
        for participant_id, *values in Municipality.objects.filter(
            Q(benefit_payment_day__isnull=False) | Q(allowance_weekday__isnull=False),
            households__participants__in=list(regelingen),
        ).values_list("households__participants", *OVERRIDABLE)
    }
    return {
        participant_id: _merged(regeling, own.get(participant_id, {}))
        for participant_id, regeling in regelingen.items()
    }


def _merged(regeling, own: dict) -> LocalSettings:
    return LocalSettings(
        **{
            name: getattr(regeling, name) if own.get(name) is None else own[name]
            for name in OVERRIDABLE
        }
    )
