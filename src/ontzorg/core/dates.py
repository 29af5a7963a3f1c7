"""Month arithmetic, the age rule and the dates of a trajectory: pure, no database.

Every app computes "when does ontzorgen end" here, so that a plan, the measurement schedule,
the attention list, the monitor and the trajectory page never disagree by a day."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: date) -> date:
    """The first day of the month after `day`."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_label(period: date) -> str:
    """The month as people write it, in the active language: "november 2026"."""
    from django.utils.formats import date_format

    return date_format(period, "F Y")


def age_on(born: date, day: date) -> int:
    """Completed years of someone born on `born`, on `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def whole_months(start: date, day: date) -> int:
    """Completed months from `start` to `day` (negative when `day` lies before `start`)."""
    months = (day.year - start.year) * 12 + day.month - start.month
    return months - 1 if add_months(start, months) > day else months


def planned_end_on(start_on: date, months: int) -> date:
    """The last day of a period of `months` months from `start_on` (inclusive)."""
    return add_months(start_on, months) - timedelta(days=1)


@dataclass(frozen=True)
class TrajectoryDates:
    """Start, the planned last day by the regeling's minimum, the current last day (the
    plan's, which an extension moves; None without a plan), the actual end (None while
    running) and the last day of nazorg (None before an end)."""

    start_on: date
    planned_end_on: date
    current_end_on: date | None = None
    ended_on: date | None = None
    nazorg_end_on: date | None = None

    @property
    def end_on(self) -> date:
        """The last day ontzorgen applies: the actual end, else the plan's, else planned."""
        return self.ended_on or self.current_end_on or self.planned_end_on

    @property
    def extended_end_on(self) -> date | None:
        """The current last day when an extension put it beyond the planned one."""
        if self.current_end_on and self.current_end_on > self.planned_end_on:
            return self.current_end_on
        return None

    @property
    def is_extended(self) -> bool:
        return self.extended_end_on is not None


def trajectory_dates(
    start_on: date,
    min_duration_months: int,
    *,
    current_end_on: date | None = None,
    ended_on: date | None = None,
    nazorg_months: int = 0,
    followup_months_after_end: int = 0,
    followup_grace_days: int = 30,
) -> TrajectoryDates:
    """The dates of one trajectory.

    `current_end_on` is the plan's last day as it stands now (later than the regeling's
    minimum after an extension; a plan keeps its own end if the regeling changes later).
    Nazorg lasts `nazorg_months` after the end, and at least until the vervolgmeting is due
    plus `followup_grace_days` to record it."""
    planned = planned_end_on(start_on, min_duration_months)
    nazorg_end = None
    if ended_on is not None:
        nazorg_end = nazorg_end_on(
            ended_on, nazorg_months, followup_months_after_end, followup_grace_days
        )
    return TrajectoryDates(start_on, planned, current_end_on, ended_on, nazorg_end)


def nazorg_end_on(
    ended_on: date,
    nazorg_months: int,
    followup_months_after_end: int = 0,
    followup_grace_days: int = 30,
) -> date:
    """The last day of nazorg after a trajectory that ended on `ended_on`."""
    last = add_months(ended_on, nazorg_months)
    if followup_months_after_end:
        follow_up = add_months(ended_on, followup_months_after_end)
        last = max(last, follow_up + timedelta(days=followup_grace_days))
    return last
