"""The one rule for text in a CSV that people open in a spreadsheet: a cell that starts with
= + - @ (or a tab or carriage return, which some spreadsheets skip before one) would be run
as a formula (CSV injection), so it gets a leading apostrophe, which shows it as text."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """`value` as text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text
