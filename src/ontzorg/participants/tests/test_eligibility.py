"""Eligibility rules of the pilots, with the reasons a case worker sees."""

from datetime import date

from ontzorg.participants import eligibility

ZOETERMEER = eligibility.Rules(exclude_seniors=True, exclude_fulltime_students=True)
HIA = eligibility.Rules(exclude_illiterate=True)
ON = date(2026, 1, 15)


def person(**kwargs):
    base = dict(
        date_of_birth=date(1990, 1, 1),
        arrival_on=date(2025, 10, 1),
        bijstand_start_on=date(2025, 10, 1),
    )
    return eligibility.Person(**{**base, **kwargs})


def test_zoetermeer_excludes_seniors_with_reason():
    result = eligibility.check(ZOETERMEER, person(date_of_birth=date(1958, 3, 1)), ON)
    assert not result.eligible
    assert result.reasons == ["Ouderen zijn uitgesloten: 67 jaar (grens 67)."]


def test_zoetermeer_senior_boundary_is_the_birthday():
    day_before = eligibility.check(ZOETERMEER, person(date_of_birth=date(1959, 1, 16)), ON)
    on_birthday = eligibility.check(ZOETERMEER, person(date_of_birth=date(1959, 1, 15)), ON)
    assert day_before.eligible
    assert not on_birthday.eligible


def test_zoetermeer_excludes_fulltime_students():
    result = eligibility.check(ZOETERMEER, person(is_fulltime_student=True), ON)
    assert not result.eligible
    assert "Voltijdstudenten zijn uitgesloten in deze regeling." in result.reasons


def test_zoetermeer_eligible_explains_why():
    result = eligibility.check(ZOETERMEER, person(), ON)
    assert result.eligible
    assert "Geen voltijdstudent." in result.reasons
    assert "Jonger dan 67 jaar (36)." in result.reasons


def test_hendrik_ido_ambacht_excludes_illiterate_people():
    result = eligibility.check(HIA, person(is_illiterate=True), ON)
    assert not result.eligible
    assert result.reasons == ["Analfabeten zijn uitgesloten in deze regeling."]
    assert eligibility.check(
        HIA, person(is_illiterate=True, date_of_birth=date(1940, 1, 1)), ON
    ).reasons == ["Analfabeten zijn uitgesloten in deze regeling."]


def test_seniors_and_students_are_welcome_where_not_excluded():
    assert eligibility.check(HIA, person(date_of_birth=date(1940, 1, 1)), ON).eligible
    assert eligibility.check(HIA, person(is_fulltime_student=True), ON).eligible


def test_no_right_to_bijstand_is_not_eligible():
    result = eligibility.check(HIA, person(bijstand_start_on=None), ON)
    assert result.reasons == ["Er is geen recht op bijstand vastgelegd."]


def test_old_arrivals_only_when_the_regeling_allows():
    rules = eligibility.Rules(newcomers_since=date(2025, 1, 1))
    old = person(arrival_on=date(2024, 6, 1))
    assert not eligibility.check(rules, old, ON).eligible
    allowing = eligibility.Rules(newcomers_since=date(2025, 1, 1), include_old_arrivals=True)
    assert eligibility.check(allowing, old, ON).eligible
