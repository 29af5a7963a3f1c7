"""The SEPA character set and identifiers: clean free text, check and build ids.

Banks in the SEPA scheme only guarantee the Latin set of the EPC implementation guidelines
(``a-z A-Z 0-9 / - ? : ( ) . , ' +`` and space). Names and remittance texts are transliterated
into it (é -> e, ß -> ss, Turkish dotless i -> i, the ayn of transliterated Arabic -> '),
anything else is dropped. Identifiers (MsgId,
EndToEndId) are never altered: the statement import matches returned and booked payments on
them, so an id outside the rules is an error, not something to repair.

A payee's name as the bank knows it (``account_holder_name`` of a participant or creditor) is
stored in the set already, checked by ``name_problem``. ``latin_form`` gives a name's SEPA
spelling only when cleaning loses no letter or digit (accents and ligatures are fine, a
script the set cannot hold is not); for other names ``suggest_name`` proposes a
transliteration (``anyascii``) of every part, for a person to confirm.
"""

import functools
import re
import unicodedata

from anyascii import anyascii

ALLOWED_CHARACTERS = "a-z A-Z 0-9 / - ? : ( ) . , ' + en spatie"
MAX_ID_LENGTH = 35
MAX_NAME_LENGTH = 70  # EPC limit for a party's name

_TEXT_RE = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]*")
_NOT_TEXT_RE = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]+")
_ID_RE = re.compile(r"[A-Za-z0-9/\-?:().,'+]{1,35}")
_SPACES_RE = re.compile(r" {2,}")

# Characters that Unicode decomposition (NFKD) does not reduce to an ASCII letter plus
# accents, by Unicode name so that look-alike characters stay readable here.
_TRANSLITERATION = str.maketrans(
    {
        unicodedata.lookup(name): ascii_text
        for name, ascii_text in {
            "LATIN SMALL LETTER SHARP S": "ss",
            "LATIN CAPITAL LETTER SHARP S": "SS",
            "LATIN CAPITAL LETTER AE": "AE",
            "LATIN SMALL LETTER AE": "ae",
            "LATIN CAPITAL LIGATURE OE": "OE",
            "LATIN SMALL LIGATURE OE": "oe",
            "LATIN CAPITAL LETTER O WITH STROKE": "O",
            "LATIN SMALL LETTER O WITH STROKE": "o",
            "LATIN CAPITAL LETTER L WITH STROKE": "L",
            "LATIN SMALL LETTER L WITH STROKE": "l",
            "LATIN CAPITAL LETTER D WITH STROKE": "D",
            "LATIN SMALL LETTER D WITH STROKE": "d",
            "LATIN CAPITAL LETTER ETH": "D",
            "LATIN SMALL LETTER ETH": "d",
            "LATIN CAPITAL LETTER THORN": "Th",
            "LATIN SMALL LETTER THORN": "th",
            "LATIN CAPITAL LETTER H WITH STROKE": "H",
            "LATIN SMALL LETTER H WITH STROKE": "h",
            "LATIN SMALL LETTER DOTLESS I": "i",  # Turkish
            "LATIN SMALL LETTER KRA": "k",
            "LATIN CAPITAL LETTER ENG": "N",
            "LATIN SMALL LETTER ENG": "n",
            "LATIN SMALL LETTER LONG S": "s",
            # The ayn and hamza of transliterated Arabic names, apostrophes and quotes.
            "MODIFIER LETTER LEFT HALF RING": "'",
            "MODIFIER LETTER RIGHT HALF RING": "'",
            "MODIFIER LETTER APOSTROPHE": "'",
            "MODIFIER LETTER TURNED COMMA": "'",
            "LEFT SINGLE QUOTATION MARK": "'",
            "RIGHT SINGLE QUOTATION MARK": "'",
            "GRAVE ACCENT": "'",
            "ACUTE ACCENT": "'",
            "QUOTATION MARK": "'",
            "LEFT DOUBLE QUOTATION MARK": "'",
            "RIGHT DOUBLE QUOTATION MARK": "'",
            "DOUBLE LOW-9 QUOTATION MARK": "'",
            # Dutch banks write the ampersand in company names as a plus.
            "AMPERSAND": "+",
            "LOW LINE": "-",
            "HYPHEN": "-",
            "NON-BREAKING HYPHEN": "-",
            "EN DASH": "-",
            "EM DASH": "-",
            "EURO SIGN": "EUR",
        }.items()
    }
)


class _CharacterMap(dict):
    """``str.translate`` table from any character to its SEPA replacement, filled on use.

    Decomposing one character at a time gives the same result as decomposing the whole
    text, because everything outside ASCII (the accents NFKD splits off) is dropped anyway.
    """

    def __missing__(self, code_point: int) -> str:
        char = chr(code_point)
        if char.isspace():
            replacement = " "
        else:
            replacement = unicodedata.normalize("NFKD", char.translate(_TRANSLITERATION))
            # NFKD can produce characters from the table (e.g. from a fullwidth ampersand).
            replacement = _NOT_TEXT_RE.sub("", replacement.translate(_TRANSLITERATION))
        self[code_point] = replacement
        return replacement


_CHARACTER_MAP = _CharacterMap()


@functools.lru_cache(maxsize=16_384)
def clean_text(text: str, max_length: int) -> str:
    """Return ``text`` in the SEPA character set, whitespace collapsed, at most ``max_length``.

    May return an empty string (for example for a name only in Arabic script); the caller
    decides whether that is acceptable. Cached: creditor names repeat throughout a run.
    """
    if not _TEXT_RE.fullmatch(text):
        text = text.translate(_CHARACTER_MAP)
    if "  " in text:
        text = _SPACES_RE.sub(" ", text)
    return text.strip(" ")[:max_length].rstrip(" ")


def name_problem(value: str) -> str | None:
    """Why ``value`` cannot be a payee's name in a payment (Dutch), or None when it can: 1 to
    70 characters of the SEPA set, with at least one letter or digit."""
    if not value or not value.strip():
        return "ontbreekt"
    if len(value) > MAX_NAME_LENGTH:
        return f"is langer dan {MAX_NAME_LENGTH} tekens"
    if not _TEXT_RE.fullmatch(value):
        wrong = "".join(dict.fromkeys("".join(_NOT_TEXT_RE.findall(value))))
        return (
            f"bevat tekens die de bank niet aanneemt ({wrong[:10]}); "
            f"toegestaan zijn alleen {ALLOWED_CHARACTERS}"
        )
    if not any(char.isalnum() for char in value):
        return "bevat geen letters of cijfers"
    return None


def _keeps_every_letter(text: str) -> bool:
    """Whether cleaning `text` keeps a trace of each letter and digit in it (the ayn of a
    transliterated Arabic name, a modifier letter, may become an apostrophe)."""
    return all(
        char.translate(_CHARACTER_MAP)
        for char in text
        if unicodedata.category(char)[0] in "LN" and not _TEXT_RE.fullmatch(char)
    )


def latin_form(text: str) -> str | None:
    """``text`` in the SEPA set when that drops no letter or digit and fits in a name
    ("Zoë Çelik" -> "Zoe Celik"); None for a name (partly) in another script, or too long."""
    if not _keeps_every_letter(text):
        return None
    cleaned = clean_text(text, MAX_NAME_LENGTH + 1)
    return cleaned if name_problem(cleaned) is None else None


def suggest_name(text: str) -> str:
    """A SEPA spelling of ``text`` for a person to confirm: parts that have a Latin form keep
    it, parts in another script are transliterated (Arabic, Ge'ez, ...), none is dropped.
    May be longer than a name may be, or empty; the person decides."""
    words = []
    for word in text.split():
        if _keeps_every_letter(word):
            latin = clean_text(word, len(word) * 4)
        else:
            latin = clean_text(anyascii(word), len(word) * 8)
            # Scripts without capitals come out in lower case; a name starts with a capital.
            first = next((i for i, char in enumerate(latin) if char.isalpha()), None)
            if first is not None:
                latin = latin[:first] + latin[first].upper() + latin[first + 1 :]
        if latin:
            words.append(latin)
    return " ".join(words)


def identifier_problem(value: object) -> str | None:
    """Why ``value`` is not a valid SEPA identifier (Dutch), or None when it is valid.

    The EPC rules: 1 to 35 characters of the SEPA set without spaces, not starting or
    ending with ``/`` and without ``//``.
    """
    if not isinstance(value, str) or not value:
        return "ontbreekt"
    if len(value) > MAX_ID_LENGTH:
        return f"is langer dan {MAX_ID_LENGTH} tekens"
    if not _ID_RE.fullmatch(value):
        return f"bevat tekens buiten de SEPA-tekenset ({ALLOWED_CHARACTERS}, zonder spatie)"
    if value.startswith("/") or value.endswith("/") or "//" in value:
        return "mag niet met '/' beginnen of eindigen en geen '//' bevatten"
    return None


def make_identifier(*parts: object) -> str:
    """Join ``parts`` with ``-`` into an identifier, e.g. ``make_identifier("OZ", 12, 345)``.

    Raises ValueError when the result breaks the identifier rules, so that a run never
    produces ids the bank or our statement import would read differently.
    """
    value = "-".join(str(part) for part in parts)
    problem = identifier_problem(value)
    if problem:
        raise ValueError(f"Kenmerk {value!r} {problem}.")
    return value


def batch_message_id(base: str, number: int, total: int) -> str:
    """The message id of batch ``number`` (1-based) of ``total``: ``<base>-01``, ``<base>-02``."""
    width = max(2, len(str(total)))
    return make_identifier(base, f"{number:0{width}d}")
