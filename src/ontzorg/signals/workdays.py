"""Working-day arithmetic for due dates (pure: dates in, dates out).

Weekends and the fixed-date Dutch public holidays are skipped; the moving feasts (Easter,
Ascension, Whitsun) are computed from the Easter date."""

from datetime import date, timedelta


def easter_sunday(year: int) -> date:
    """Gregorian Easter (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int) -> set[date]:
    easter = easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday, King's Day moves to the Saturday before
        kings_day -= timedelta(days=1)
    holidays = {
        date(year, 1, 1),
        kings_day,
        date(year, 12, 25),
        date(year, 12, 26),
        easter + timedelta(days=1),
        easter + timedelta(days=39),
        easter + timedelta(days=50),
    }
    if year % 5 == 0:  # Liberation Day is a day off for government once every five years
        holidays.add(date(year, 5, 5))
    return holidays


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day after `start` (start itself never counts)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
