"""Eligibility of a person for a regeling, with the reasons in plain Dutch. Pure: no database."""

from dataclasses import dataclass, field
from datetime import date

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
        checks.append(Check(False, "Er is geen recht op bijstand vastgelegd."))
    else:
        checks.append(Check(True, f"Recht op bijstand sinds {person.bijstand_start_on:%d-%m-%Y}."))

    age = age_on(person.date_of_birth, on)
    if rules.exclude_seniors:
        if age >= rules.senior_age:
            checks.append(
                Check(False, f"Ouderen zijn uitgesloten: {age} jaar (grens {rules.senior_age}).")
            )
        else:
            checks.append(Check(True, f"Jonger dan {rules.senior_age} jaar ({age})."))

    if rules.exclude_fulltime_students:
        if person.is_fulltime_student:
            checks.append(Check(False, "Voltijdstudenten zijn uitgesloten in deze regeling."))
        else:
            checks.append(Check(True, "Geen voltijdstudent."))

    if rules.exclude_illiterate:
        if person.is_illiterate:
            checks.append(Check(False, "Analfabeten zijn uitgesloten in deze regeling."))
        else:
            checks.append(Check(True, "Kan lezen en schrijven."))

    if rules.newcomers_since:
        since = f"{rules.newcomers_since:%d-%m-%Y}"
        if person.arrival_on >= rules.newcomers_since:
            checks.append(Check(True, f"Nieuwkomer: gevestigd op of na {since}."))
        elif rules.include_old_arrivals:
            checks.append(
                Check(True, f"Oude instromer (gevestigd voor {since}); deze regeling laat hen toe.")
            )
        else:
            checks.append(
                Check(False, f"Gevestigd voor {since}: deze regeling is alleen voor nieuwkomers.")
            )
    return Result(checks)
