"""The creditor API: plain Django views that speak JSON, authenticated by a bearer token.

No session, no CSRF token and no login: creditors are systems, not users. A body is first
checked against the published OpenAPI schema (`openapi.problems`), then by the same rules
and service the CSV upload uses. The answer to a correct report is the same whether or not
the person is known: matching happens inside and is never told to the creditor."""

import dataclasses
import json

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ontzorg.core import access

from . import openapi, services
from .report import ReportInvalid, clean_report

MAX_BODY_BYTES = 64 * 1024


def _error(status: int, message: str, fields: dict | None = None) -> JsonResponse:
    body = {"fout": message}
    if fields:
        body["velden"] = fields
    response = JsonResponse(body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="ontzorg-signalen"'
    return response


class _Unreadable(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _parse(request) -> dict:
    if request.content_type != "application/json":
        raise _Unreadable(415, _("Send the report as JSON (Content-Type: application/json)."))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        raise _Unreadable(
            413, _("The request is larger than %(limit)s bytes.") % {"limit": MAX_BODY_BYTES}
        )
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        raise _Unreadable(
            400, _("The body must be a JSON object (Content-Type: application/json).")
        )
    return data


@access.public
@csrf_exempt
@require_POST
def post_signal(request):
    client = services.authenticate(request.META.get("HTTP_AUTHORIZATION", ""))
    if client is None:
        return _error(401, _("No valid token. Use 'Authorization: Bearer <token>'."))
    wait = services.count_request(client)
    if wait:
        response = _error(
            429,
            _("More than %(limit)s requests this minute; try again in %(wait)s seconds.")
            % {"limit": settings.ONTZORG_API_RATE_PER_MINUTE, "wait": wait},
        )
        response["Retry-After"] = str(wait)
        return response
    try:
        data = _parse(request)
    except _Unreadable as exc:
        return _error(exc.status, exc.message)

    invalid = _("The report was not stored: check the fields.")
    errors = openapi.problems(data)
    if errors:
        return _error(400, invalid, errors)
    try:
        region = services.region_for_client(client, data.get("regio"))
    except services.RegionRefused as exc:
        return _error(403, str(exc))
    except ReportInvalid as exc:
        errors.update(exc.errors)
    try:
        report = clean_report(data, today=timezone.localdate(), amount_in_cents=True)
    except ReportInvalid as exc:
        for name, messages in exc.errors.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        return _error(400, invalid, errors)

    # The reference is the creditor's key: kept exactly as sent, not tidied like free text.
    report = dataclasses.replace(report, reference=data["referentie"])
    try:
        _signal, created = services.receive_from_api(client, report, region)
    except services.ReferenceConflict as exc:
        return _error(409, str(exc))
    return JsonResponse(
        {"status": "ontvangen", "referentie": data["referentie"], "nieuw": created},
        status=201 if created else 200,
    )


@access.public
@require_GET
def openapi_document(request):
    return JsonResponse(openapi.DOCUMENT, json_dumps_params={"ensure_ascii": False, "indent": 2})
