"""The OpenAPI 3 description of the creditor API, served at /signalen/api/v1/openapi.json.

Written by hand; test_openapi posts the documented example, so the document cannot drift
from what the endpoint accepts."""

from .constants import EXTERNAL_KINDS

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

_error = {
    "type": "object",
    "properties": {"fout": {"type": "string"}},
    "required": ["fout"],
}

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {
        "title": "Ontzorg vroegsignalering",
        "version": "1.0.0",
        "description": (
            "Schuldeisers (woningcorporaties, energie- en waterbedrijven, zorgverzekeraars) "
            "melden betalingsproblemen van een persoon. De gemeente koppelt de melding aan "
            "een deelnemer en volgt haar op. Een melding over een onbekende persoon wordt "
            "bewaard in een wachtrij. Elke schuldeiser krijgt een eigen token van de "
            "gemeente. Een melding met een referentie die al is ontvangen, wordt niet "
            "opnieuw opgeslagen: opnieuw versturen is veilig. Geef een BSN, of postcode, "
            "huisnummer en geboortedatum samen."
        ),
    },
    "servers": [{"url": "/signalen/api/v1"}],
    "components": {
        "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Melding": {
                "type": "object",
                "required": ["referentie", "soort", "gemeld_op"],
                "properties": {
                    "referentie": {
                        "type": "string",
                        "maxLength": 80,
                        "description": "Uw eigen kenmerk; uniek per melding.",
                    },
                    "soort": {"type": "string", "enum": list(EXTERNAL_KINDS)},
                    "gemeld_op": {"type": "string", "format": "date"},
                    "bsn": {"type": "string", "pattern": "^[0-9]{9}$"},
                    "postcode": {"type": "string", "example": "2711 AB"},
                    "huisnummer": {"type": "string", "example": "12A"},
                    "geboortedatum": {"type": "string", "format": "date"},
                    "naam": {"type": "string", "maxLength": 160},
                    "bedrag_cent": {
                        "type": "integer",
                        "minimum": 1,
                        "description": "Achterstand in centen; verplicht bij een "
                        "betalingsachterstand.",
                    },
                    "maanden_achterstand": {"type": "integer", "minimum": 0, "maximum": 120},
                    "toelichting": {"type": "string", "maxLength": 1000},
                    "regio": {
                        "type": "string",
                        "description": "Code van de regio; alleen nodig als uw koppeling "
                        "voor meer dan één regio meldt.",
                    },
                },
                "additionalProperties": False,
            },
            "Ontvangen": {
                "type": "object",
                "required": ["id", "gekoppeld", "nieuw"],
                "properties": {
                    "id": {"type": "integer"},
                    "gekoppeld": {
                        "type": "boolean",
                        "description": "Of de melding aan een deelnemer is gekoppeld.",
                    },
                    "nieuw": {
                        "type": "boolean",
                        "description": "Onwaar als deze referentie al eerder is ontvangen.",
                    },
                },
            },
            "Fouten": {
                "type": "object",
                "properties": {
                    "fout": {"type": "string"},
                    "velden": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "required": ["fout"],
            },
            "Fout": _error,
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
                    "201": {
                        "description": "Ontvangen en opgeslagen.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Ontvangen"}
                            }
                        },
                    },
                    "200": {
                        "description": "Deze referentie was al ontvangen; niets opgeslagen.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Ontvangen"}
                            }
                        },
                    },
                    "400": {
                        "description": "De melding klopt niet; niets opgeslagen.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Fouten"}}
                        },
                    },
                    "401": {
                        "description": "Geen, een onjuist of een ingetrokken token.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Fout"}}
                        },
                    },
                    "409": {
                        "description": "Deze referentie is al gebruikt voor een andere melding.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Fout"}}
                        },
                    },
                    "413": {
                        "description": "Het verzoek is te groot.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Fout"}}
                        },
                    },
                },
            }
        }
    },
}
