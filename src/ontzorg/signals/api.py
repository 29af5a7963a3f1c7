"""The creditor API: plain Django views that speak JSON, authenticated by a bearer token.

No session, no CSRF token and no login: creditors are systems, not users. Everything else
(validation, matching, idempotency) is the same service the CSV upload uses."""

import json

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ontzorg.core import access

from . import services
from .openapi import DOCUMENT
from .report import ReportInvalid, clean_report

MAX_BODY_BYTES = 64 * 1024
FIELDS = set(DOCUMENT["components"]["schemas"]["Melding"]["properties"])


def _error(status: int, message: str, fields: dict | None = None) -> JsonResponse:
    body = {"fout": message}
    if fields:
        body["velden"] = fields
    response = JsonResponse(body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="ontzorg-signalen"'
    return response


class _TooLarge(Exception):
    pass


def _parse(request) -> dict:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        raise _TooLarge
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ReportInvalid({}) from None
    if not isinstance(data, dict):
        raise ReportInvalid({})
    return data


@access.public
@csrf_exempt
@require_POST
def post_signal(request):
    client = services.authenticate(request.META.get("HTTP_AUTHORIZATION", ""))
    if client is None:
        return _error(401, "Geen geldig token. Gebruik 'Authorization: Bearer <token>'.")
    try:
        data = _parse(request)
    except _TooLarge:
        return _error(413, f"Het verzoek is groter dan {MAX_BODY_BYTES} bytes.")
    except ReportInvalid:
        return _error(400, "De body moet een JSON-object zijn (Content-Type: application/json).")

    errors = {name: ["Onbekend veld."] for name in sorted(set(data) - FIELDS)}
    reference = data.get("referentie")
    if not isinstance(reference, str) or not reference.strip():
        errors.setdefault("referentie", []).append("Verplicht veld.")
    try:
        region = services.region_for_client(client, data.get("regio"))
    except ReportInvalid as exc:
        errors.update(exc.errors)
    try:
        report = clean_report(data, today=timezone.localdate(), amount_in_cents=True)
    except ReportInvalid as exc:
        for name, messages in exc.errors.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        return _error(400, "De melding is niet opgeslagen: controleer de velden.", errors)

    try:
        signal, created = services.receive_from_api(client, report, region)
    except services.ReferenceConflict as exc:
        return _error(409, str(exc))
    return JsonResponse(
        {"id": signal.pk, "gekoppeld": signal.participant_id is not None, "nieuw": created},
        status=201 if created else 200,
    )


@access.public
@require_GET
def openapi_document(request):
    return JsonResponse(DOCUMENT, json_dumps_params={"ensure_ascii": False, "indent": 2})
