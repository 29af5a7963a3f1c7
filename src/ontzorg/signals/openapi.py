"""The OpenAPI 3 description of the creditor API, served at /signalen/api/v1/openapi.json, and
the check of a request body against it (pure: plain data in, Dutch messages per field out).

Written by hand. The API checks every body with `problems` below, which reads the same
`MELDING` schema the document publishes, so the two cannot drift apart; the rules JSON Schema
cannot say (the BSN's elfproef, no dates in the future) are in the descriptions and are
checked by `report.clean_report`. tests/test_api_schema.py drives the live API with
schemathesis from this document."""

import re
from datetime import date

from django.core.exceptions import ValidationError

from ontzorg.participants.validators import validate_bsn

from .constants import EXTERNAL_KINDS, SignalKind
from .report import MAX_AMOUNT_CENTS, MAX_MONTHS_IN_ARREARS

EXAMPLE_REQUEST = {
    "referentie": "WS-2025-000123",
    "soort": "betalingsachterstand",
    "gemeld_op": "2025-03-01",
    "bsn": "999999990",
    "naam": "A. Haddad",
    "bedrag_cent": 123456,
    "maanden_achterstand": 2,
    "toelichting": "Huur maart en april niet ontvangen.",
}

# Free text without control characters (a NUL byte cannot even be stored); the note may have
# tabs and line breaks. The reference is a key, so it neither starts nor ends with a space.
_NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
_NOTE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
_REFERENCE = r"^[^\x00-\x20\x7f](?:[^\x00-\x1f\x7f]*[^\x00-\x20\x7f])?$"
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

# The message for a value that does not match its field's pattern: what the field should be.
PATTERN_MESSAGES = {
    "referentie": "Gebruik 1 tot 80 tekens, zonder stuurtekens en zonder spatie aan het begin "
    "of eind.",
    "bsn": "Een BSN is precies 9 cijfers, zonder spaties of punten.",
    "postcode": "Geen Nederlandse postcode; schrijf die als 2711 AB of 2711AB.",
    "huisnummer": "Begin met het nummer (1 tot 5 cijfers), eventueel gevolgd door een letter of "
    "toevoeging, zoals 12, 12A of 12-1.",
    "naam": "Mag geen stuurtekens (zoals regeleinden of tabs) bevatten.",
    "toelichting": "Mag geen stuurtekens bevatten (alleen tab en regeleinde zijn toegestaan).",
    "regio": "Een regiocode bestaat uit letters, cijfers, - en _.",
}

# Rules over more than one field (JSON Schema `anyOf`), each with the field its message is
# reported on; published in the schema's `allOf`.
COMBINED_RULES = [
    (
        "bsn",
        "Geef een BSN, of postcode, huisnummer en geboortedatum samen, zodat de persoon te "
        "vinden is.",
        [{"required": ["bsn"]}, {"required": ["postcode", "huisnummer", "geboortedatum"]}],
    ),
    (
        "bedrag_cent",
        "Verplicht bij een betalingsachterstand.",
        [
            {"required": ["bedrag_cent"]},
            {
                "properties": {
                    "soort": {"enum": [k.value for k in EXTERNAL_KINDS if k != SignalKind.ARREARS]}
                }
            },
        ],
    ),
]

MELDING = {
    "type": "object",
    "description": "Eén betalingsprobleem van één persoon. Velden die hier niet staan, worden "
    "geweigerd.",
    "required": ["referentie", "soort", "gemeld_op"],
    "properties": {
        "referentie": {
            "type": "string",
            "minLength": 1,
            "maxLength": 80,
            "pattern": _REFERENCE,
            "description": "Uw eigen kenmerk, uniek per melding: 1 tot 80 tekens, zonder "
            "stuurtekens en zonder spatie aan het begin of eind. Dezelfde melding opnieuw "
            "sturen met dezelfde referentie is veilig: die wordt één keer opgeslagen.",
        },
        "soort": {"type": "string", "enum": [k.value for k in EXTERNAL_KINDS]},
        "gemeld_op": {
            "type": "string",
            "format": "date",
            "description": "De datum van de melding (JJJJ-MM-DD); niet later dan vandaag.",
        },
        "bsn": {
            "type": "string",
            "format": "bsn",
            "pattern": "^[0-9]{9}$",
            "description": "Burgerservicenummer: 9 cijfers die aan de elfproef voldoen "
            "(000000000 is geen BSN).",
        },
        "postcode": {
            "type": "string",
            "pattern": "^[1-9][0-9]{3} ?[A-Za-z]{2}$",
            "example": "2711 AB",
        },
        "huisnummer": {
            "type": "string",
            "maxLength": 12,
            "pattern": "^[0-9]{1,5}[A-Za-z0-9 -]{0,7}$",
            "example": "12A",
        },
        "geboortedatum": {
            "type": "string",
            "format": "date",
            "description": "JJJJ-MM-DD; niet later dan vandaag.",
        },
        "naam": {"type": "string", "maxLength": 160, "pattern": _NO_CONTROL},
        "bedrag_cent": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_AMOUNT_CENTS,
            "description": "Achterstand in hele centen; verplicht bij een betalingsachterstand.",
        },
        "maanden_achterstand": {"type": "integer", "minimum": 0, "maximum": MAX_MONTHS_IN_ARREARS},
        "toelichting": {"type": "string", "maxLength": 1000, "pattern": _NOTE},
        "regio": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[-a-zA-Z0-9_]+$",
            "description": "Code van de regio; alleen nodig als uw koppeling voor meer dan één "
            "regio meldt. Een regio waarvoor uw koppeling niet mag melden, geeft 403.",
        },
    },
    "additionalProperties": False,
    "allOf": [
        {"description": message, "anyOf": branches} for _field, message, branches in COMBINED_RULES
    ],
}

_message = {
    "type": "object",
    "properties": {"fout": {"type": "string"}},
    "required": ["fout"],
    "additionalProperties": False,
}


def _answer(description: str, schema: str, headers: dict | None = None) -> dict:
    response = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }
    if headers:
        response["headers"] = headers
    return response


DOCUMENT = {
    "openapi": "3.0.3",
    "info": {
        "title": "Ontzorg vroegsignalering",
        "version": "1.1.0",
        "description": (
            "Schuldeisers (woningcorporaties, energie- en waterbedrijven, zorgverzekeraars) "
            "melden betalingsproblemen van een persoon. Elke schuldeiser krijgt een eigen "
            "token van de gemeente. Geef een BSN, of postcode, huisnummer en geboortedatum "
            "samen.\n\n"
            "Het antwoord zegt nooit of de persoon bij de gemeente bekend is: elke juiste "
            "melding krijgt hetzelfde antwoord, 'ontvangen'. De gemeente koppelt de melding "
            "daarna zelf aan een deelnemer, of bewaart haar in een wachtrij.\n\n"
            "Een melding met een referentie die al is ontvangen, wordt niet opnieuw "
            "opgeslagen: opnieuw versturen met dezelfde referentie is veilig, ook als een "
            "verzoek is afgebroken of meermaals tegelijk is verstuurd. Het antwoord is dan "
            "200 met `nieuw: false`.\n\n"
            "Per token geldt een maximum aantal verzoeken per minuut; daarboven volgt 429 met "
            "`Retry-After` (seconden). Verzoeken met een onjuist of ingetrokken token worden "
            "geweigerd en vastgelegd."
        ),
    },
    "servers": [{"url": "/signalen/api/v1"}],
    "components": {
        "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Melding": MELDING,
            "Ontvangen": {
                "type": "object",
                "description": "Hetzelfde voor een bekende en een onbekende persoon.",
                "required": ["status", "referentie", "nieuw"],
                "properties": {
                    "status": {"type": "string", "enum": ["ontvangen"]},
                    "referentie": {"type": "string", "description": "Uw referentie."},
                    "nieuw": {
                        "type": "boolean",
                        "description": "Onwaar als deze referentie al eerder is ontvangen.",
                    },
                },
                "additionalProperties": False,
            },
            "Fouten": {
                "type": "object",
                "required": ["fout"],
                "properties": {
                    "fout": {"type": "string"},
                    "velden": {
                        "type": "object",
                        "description": "Per veld wat er niet klopt.",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "additionalProperties": False,
            },
            "Fout": _message,
        },
    },
    "paths": {
        "/signalen": {
            "post": {
                "operationId": "meldSignaal",
                "summary": "Een betalingsprobleem melden",
                "security": [{"token": []}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Melding"},
                            "example": EXAMPLE_REQUEST,
                        }
                    },
                },
                "responses": {
                    "201": _answer("Ontvangen en opgeslagen.", "Ontvangen"),
                    "200": _answer(
                        "Deze referentie was al ontvangen met dezelfde inhoud; niets opnieuw "
                        "opgeslagen.",
                        "Ontvangen",
                    ),
                    "400": _answer(
                        "De melding klopt niet met dit document (ook de elfproef en datums "
                        "niet later dan vandaag); niets opgeslagen.",
                        "Fouten",
                    ),
                    "401": _answer(
                        "Geen, een onjuist of een ingetrokken token.",
                        "Fout",
                        {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}},
                    ),
                    "403": _answer(
                        "Uw koppeling mag niet melden voor deze regio, of heeft geen regio.",
                        "Fout",
                    ),
                    "409": _answer(
                        "Deze referentie is al gebruikt voor een andere melding.", "Fout"
                    ),
                    "413": _answer("Het verzoek is groter dan 64 kB.", "Fout"),
                    "415": _answer("De body is geen application/json.", "Fout"),
                    "429": _answer(
                        "Te veel verzoeken met dit token in deze minuut; probeer het na "
                        "Retry-After seconden opnieuw.",
                        "Fout",
                        {
                            "Retry-After": {
                                "required": True,
                                "schema": {"type": "integer", "minimum": 1, "maximum": 60},
                            }
                        },
                    ),
                },
            }
        }
    },
}


# --- checking a body against MELDING ----------------------------------------------------


def _is_integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _string_problem(name: str, value: str, rules: dict) -> str | None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "Bevat tekens die geen geldige Unicode zijn."
    if len(value) < rules.get("minLength", 0):
        return "Mag niet leeg zijn."
    if "maxLength" in rules and len(value) > rules["maxLength"]:
        return f"Maximaal {rules['maxLength']} tekens; dit zijn er {len(value)}."
    if "enum" in rules and value not in rules["enum"]:
        return f"Onbekende {name} '{value}'; kies uit {', '.join(rules['enum'])}."
    # fullmatch: under search, "$" also matches before a final newline ("999999990\n").
    if "pattern" in rules and not re.fullmatch(rules["pattern"], value):
        return PATTERN_MESSAGES[name]
    if rules.get("format") == "date":
        if not _ISO_DATE.fullmatch(value):
            return "Geen geldige datum; gebruik JJJJ-MM-DD."
        try:
            date.fromisoformat(value)
        except ValueError:
            return f"{value} bestaat niet als datum."
    if rules.get("format") == "bsn":
        try:
            validate_bsn(value)
        except ValidationError as exc:
            return " ".join(exc.messages)
    return None


def _value_problem(name: str, value, rules: dict) -> str | None:
    if rules["type"] == "string":
        if not isinstance(value, str):
            return "Geef dit veld als tekst (tussen aanhalingstekens)."
        return _string_problem(name, value, rules)
    if not _is_integer(value):
        return "Geef een heel getal, zonder aanhalingstekens of decimalen."
    if value < rules["minimum"]:
        return f"Minimaal {rules['minimum']}."
    if value > rules["maximum"]:
        return f"Maximaal {rules['maximum']}."
    return None


def _branch_holds(data: dict, branch: dict) -> bool:
    if any(name not in data for name in branch.get("required", ())):
        return False
    return all(
        name not in data or data[name] in rules["enum"]
        for name, rules in branch.get("properties", {}).items()
    )


def problems(data: dict) -> dict[str, list[str]]:
    """What in `data` the `Melding` schema refuses, per field; empty when it allows it."""
    errors: dict[str, list[str]] = {}
    properties = MELDING["properties"]
    for name in data:
        if name not in properties:
            errors[name] = ["Onbekend veld."]
    for name in MELDING["required"]:
        if name not in data:
            errors[name] = ["Verplicht veld."]
    for name, rules in properties.items():
        if name in data:
            problem = _value_problem(name, data[name], rules)
            if problem:
                errors[name] = [problem]
    for name, message, branches in COMBINED_RULES:
        if not any(_branch_holds(data, branch) for branch in branches):
            errors.setdefault(name, []).append(message)
    return errors
