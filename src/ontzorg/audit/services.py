"""Writing the audit trail. Services call these inside their own transaction."""

from datetime import date, datetime
from decimal import Decimal

from django.db import models

from .constants import Action
from .models import AuditEntry


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The concrete field values of `instance`, as JSON-safe data, for before/after diffs."""
    result = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        result[field.name] = _plain(getattr(instance, field.attname))
    return result


def diff(before: dict, after: dict) -> dict:
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def _ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    summary: str,
    participant=None,
    changes: dict | None = None,
    object_type: str = "",
    request=None,
) -> AuditEntry:
    actor_is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if actor_is_user else None,
        actor_name=(actor.get_username() if actor_is_user else ""),
        action=action,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        participant=participant,
        summary=summary[:255],
        changes=changes or {},
        ip_address=_ip(request),
    )


def record_view(actor, participant, *, what: str = "deelnemerspagina", request=None):
    return record(
        actor,
        Action.VIEW,
        participant,
        participant=participant,
        summary=f"{what} bekeken",
        request=request,
    )


def record_change(actor, obj, before: dict, *, participant=None, summary: str = "", request=None):
    after = snapshot(obj, list(before) if before else None)
    changes = diff(before, after) if before else {k: [None, v] for k, v in after.items()}
    action = Action.UPDATE if before else Action.CREATE
    return record(
        actor,
        action,
        obj,
        participant=participant,
        summary=summary or f"{obj._meta.verbose_name} {Action(action).label}",
        changes=changes,
        request=request,
    )
