"""The languages a participant can read their letters and overviews in: the one home.

Each language is listed by its code and its endonym (the name in the language itself), so that a
participant recognises their own language in a list whatever the active UI language is. Arabic
and Dari/Farsi are written right to left.
"""

PARTICIPANT_LANGUAGES = [
    ("nl", "Nederlands"),
    ("en", "English"),
    ("ar", "العربية"),
    ("ti", "ትግርኛ"),
    ("fa", "دری / فارسی"),
    ("tr", "Türkçe"),
]

RTL_LANGUAGES = {"ar", "fa"}

DEFAULT_LANGUAGE = "nl"

LANGUAGE_CODES = [code for code, _ in PARTICIPANT_LANGUAGES]


def is_rtl(code: str) -> bool:
    """True when `code` (``"ar"``, ``"fa-AF"``) is written right to left."""
    return (code or "").split("-")[0].lower() in RTL_LANGUAGES


def endonym(code: str) -> str:
    """The name of the language in that language; the code itself when unknown."""
    return dict(PARTICIPANT_LANGUAGES).get(code, code)


def text_direction(code: str) -> str:
    """The HTML ``dir`` value for `code`."""
    return "rtl" if is_rtl(code) else "ltr"
