"""When measurements are due: pure date arithmetic from a regeling's settings and a
participant's trajectory dates, plus the status of each moment on a given day.

No database and no ORM: the caller passes the dates (start, last day) and the days on which
each moment was measured, so the rules can be tested on their own. The end of a trajectory is
the one rule of `ontzorg.core.dates` (the last day, inclusive), the same as a plan's."""

from dataclasses import dataclass
from datetime import date, timedelta

from ontzorg.core.dates import add_months, planned_end_on


def _(message: str) -> str:
    """Marks a note for makemessages. The note is translated where it is shown
    (`explanation`): importing Django's gettext here would load the settings."""
    return message


def _explain(note: str, months: int) -> str:
    from django.utils.translation import gettext

    return gettext(note) % {"months": months}


# The codes of the moments and of their status; `constants` gives them their Dutch labels as
# Django choices (importing those here would load the ORM).
NULMETING, TUSSENMETING, EINDMETING, FOLLOW_UP = (
    "nulmeting",
    "tussenmeting",
    "eindmeting",
    "vervolgmeting",
)
DONE, OVERDUE, DUE, PLANNED = "done", "overdue", "due", "planned"

# A moment counts as "due" (not yet overdue) this many days before its date.
DUE_WINDOW_DAYS = 14


@dataclass(frozen=True)
class Rules:
    """The regeling's settings that decide the schedule."""

    min_duration_months: int
    endmeasurement_months_before_end: int = 0
    followup_months_after_end: int = 0


@dataclass(frozen=True)
class DueMoment:
    moment: str
    due_on: date
    note: str  # an English message id, with %(months)s where `months` goes
    months: int = 0

    @property
    def explanation(self) -> str:
        return _explain(self.note, self.months)


@dataclass(frozen=True)
class ScheduledMoment:
    moment: str
    due_on: date
    note: str
    months: int
    status: str
    measured_on: date | None = None
    instrument: str = ""  # the outcome instrument's name; empty for self-reliance

    @property
    def explanation(self) -> str:
        return _explain(self.note, self.months)

    @property
    def label(self) -> str:
        """The moment, with the outcome instrument it is for: "nulmeting: Ervaren geldstress"."""
        moment = self.get_moment_display()
        return f"{moment}: {self.instrument}" if self.instrument else str(moment)

    @property
    def needs_action(self) -> bool:
        return self.status in (DUE, OVERDUE)

    def get_moment_display(self) -> str:
        from .constants import Moment

        return Moment(self.moment).label

    def get_status_display(self) -> str:
        from .constants import ScheduleStatus

        return ScheduleStatus(self.status).label


def due_moments(rules: Rules, start: date, end: date | None = None) -> list[DueMoment]:
    """Nulmeting at the start, tussenmeting halfway, eindmeting `endmeasurement_months_before_end`
    before the end (or at it), vervolgmeting `followup_months_after_end` after the end.
    `end` is the trajectory's last day; without it, the planned last day of the regeling."""
    end = end or planned_end_on(start, rules.min_duration_months)
    # Months before or after the end count from the first day after it: two months before
    # a trajectory that ends on 28 February is 1 January.
    after_end = end + timedelta(days=1)
    result = [DueMoment(NULMETING, start, _("at intake (start)"))]
    before = rules.endmeasurement_months_before_end
    final_on = max(add_months(after_end, -before), start) if before else end
    halfway = start + timedelta(days=(end - start).days // 2)
    # A tussenmeting only makes sense when it falls clearly between the two other moments.
    if start < halfway < final_on:
        result.append(DueMoment(TUSSENMETING, halfway, _("halfway")))
    result.append(
        DueMoment(
            EINDMETING,
            final_on,
            _("%(months)s months before the end") if before else _("at the end"),
            before,
        )
    )
    after = rules.followup_months_after_end
    if after:
        result.append(
            DueMoment(
                FOLLOW_UP,
                add_months(after_end, after),
                _("%(months)s months after the end"),
                after,
            )
        )
    return result


# Moments that move with the end of the trajectory, so an extension asks for them again.
MOVE_WITH_THE_END = (EINDMETING, FOLLOW_UP)


def status_on(
    moments: list[DueMoment],
    measured: dict[str, list[date]],
    on: date,
    *,
    extended_on: date | None = None,
    instrument: str = "",
) -> list[ScheduledMoment]:
    """Each moment with its status on `on`. `measured` maps a moment to the days on which it
    was measured; any measurement of that moment counts, whatever the instrument, because a
    region may use one instrument at intake and another at the end (Edam-Volendam); the
    caller passes the self-reliance measurements, or those of one outcome `instrument`
    (named in the result) for that instrument's own schedule. After an
    extension decided on `extended_on`, an eindmeting or vervolgmeting measured before that
    day belonged to the old end: the moved moment is due again."""
    result = []
    for due in moments:
        days = measured.get(due.moment) or []
        if extended_on is not None and due.moment in MOVE_WITH_THE_END:
            days = [day for day in days if day >= extended_on]
        if days:
            status, measured_on = DONE, max(days)
        elif due.due_on < on:
            status, measured_on = OVERDUE, None
        elif due.due_on <= on + timedelta(days=DUE_WINDOW_DAYS):
            status, measured_on = DUE, None
        else:
            status, measured_on = PLANNED, None
        result.append(
            ScheduledMoment(
                due.moment, due.due_on, due.note, due.months, status, measured_on, instrument
            )
        )
    return result
