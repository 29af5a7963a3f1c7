"""Writing the audit trail: the one way any app records what was seen or changed.

Services call `record` inside their own transaction with a structured event
(``ontzorg.audit.events.Event``); who acted from where comes from the request context
(``ontzorg.core.context``), so no service needs the request. The admin is audited by
construction (``ontzorg.audit.admin.AuditedModelAdmin``)."""

from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models.fields.files import FieldFile

from ontzorg.core import context

from . import events
from .constants import Action
from .models import AuditEntry


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, FieldFile):
        # The stored file's name, not its contents (a certificate's key among them).
        return value.name or ""
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


def record(
    actor,
    event: "events.Event | str",
    obj: models.Model | None = None,
    *,
    summary: str = "",
    participant=None,
    changes: dict | None = None,
    object_type: str = "",
    actor_name: str = "",
    **params,
) -> AuditEntry:
    """Write one audit entry.

    `event` is an `Event` (preferred: its code and `params` are stored, the text rendered
    when shown) or, for older call sites, an `Action` with a ready `summary`. `actor_name`
    names an actor who is no user (the participant on their personal page)."""
    ctx = context.current()
    actor = actor if actor is not None else ctx.user
    actor_is_user = actor is not None and getattr(actor, "is_authenticated", False)
    if isinstance(event, events.Event):
        code, action = event.code, event.action
        params = {key: _plain(value) for key, value in params.items()}
        if summary:
            params["summary"] = str(summary)
        summary = event.render(params)
    else:
        code, action, params = None, event, None
    return AuditEntry.objects.create(
        actor=actor if actor_is_user else None,
        actor_name=(actor.get_username() if actor_is_user else actor_name),
        action=action,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        participant=participant,
        summary=str(summary)[:255],
        changes=changes or {},
        ip_address=ctx.ip_address,
        request_id=ctx.request_id or None,
        event=code,
        params=params,
    )


def record_view(actor, participant, *, what: str = "deelnemerspagina"):
    return record(actor, events.VIEWED, participant, participant=participant, what=what)


def record_page_view(user, participant, what: str):
    """The listener of ``core.access.view``: a personal page was shown."""
    return record_view(user, participant, what=what)


def record_change(actor, obj, before: dict, *, participant=None, summary: str = ""):
    """A created (`before` empty) or changed object with its before/after values."""
    after = snapshot(obj, list(before) if before else None)
    changes = diff(before, after) if before else {k: [None, v] for k, v in after.items()}
    event = events.CHANGED if before else events.CREATED
    return record(
        actor,
        event,
        obj,
        participant=participant,
        summary=summary,
        changes=changes,
        model=str(obj._meta.verbose_name),
    )


__all__ = ["Action", "diff", "record", "record_change", "record_view", "snapshot"]
