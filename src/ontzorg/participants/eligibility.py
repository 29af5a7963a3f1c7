"""Eligibility of a person for a regeling, with the reasons in plain language (Dutch in the staff
pages). Pure: no database."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from ontzorg.core.dates import age_on


@dataclass(frozen=True)
class Rules:
    exclude_seniors: bool = False
    senior_age: int = 67
    exclude_fulltime_students: bool = False
    exclude_illiterate: bool = False
    newcomers_since: date | None = None
    include_old_arrivals: bool = False


@dataclass(frozen=True)
class Person:
    date_of_birth: date
    arrival_on: date
    bijstand_start_on: date | None
    is_fulltime_student: bool = False
    is_illiterate: bool = False


@dataclass(frozen=True)
class Check:
    passed: bool
    text: str


@dataclass(frozen=True)
class Result:
    checks: list[Check] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def reasons(self) -> list[str]:
        """Why not, when not eligible; otherwise why."""
        failed = [c.text for c in self.checks if not c.passed]
        return failed or [c.text for c in self.checks]


def check(rules: Rules, person: Person, on: date) -> Result:
    checks = []
    if person.bijstand_start_on is None:
        checks.append(Check(False, _("No right to bijstand has been recorded.")))
    else:
        checks.append(
            Check(
                True,
                _("Right to bijstand since %(date)s.")
                % {"date": f"{person.bijstand_start_on:%d-%m-%Y}"},
            )
        )

    age = age_on(person.date_of_birth, on)
    if rules.exclude_seniors:
        if age >= rules.senior_age:
            checks.append(
                Check(
                    False,
                    _("Seniors are excluded: %(age)s years (limit %(limit)s).")
                    % {"age": age, "limit": rules.senior_age},
                )
            )
        else:
            checks.append(
                Check(
                    True,
                    _("Younger than %(limit)s years (%(age)s).")
                    % {"limit": rules.senior_age, "age": age},
                )
            )

    if rules.exclude_fulltime_students:
        if person.is_fulltime_student:
            checks.append(Check(False, _("Full-time students are excluded in this regeling.")))
        else:
            checks.append(Check(True, _("Not a full-time student.")))

    if rules.exclude_illiterate:
        if person.is_illiterate:
            checks.append(
                Check(False, _("People who cannot read or write are excluded in this regeling."))
            )
        else:
            checks.append(Check(True, _("Can read and write.")))

    if rules.newcomers_since:
        since = f"{rules.newcomers_since:%d-%m-%Y}"
        if person.arrival_on >= rules.newcomers_since:
            checks.append(
                Check(True, _("Newcomer: settled on or after %(since)s.") % {"since": since})
            )
        elif rules.include_old_arrivals:
            checks.append(
                Check(
                    True,
                    _("Earlier arrival (settled before %(since)s); this regeling admits them.")
                    % {"since": since},
                )
            )
        else:
            checks.append(
                Check(
                    False,
                    _("Settled before %(since)s: this regeling is for newcomers only.")
                    % {"since": since},
                )
            )
    return Result(checks)
