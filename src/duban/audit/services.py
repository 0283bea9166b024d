"""Writing the audit trail. Every service that changes plans, assignments, reports, reviews, data values or
permissions calls ``audit_record`` inside its own transaction; a recorded change is a change of the data
behind the pages too, so it moves the data version as well."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import models

from duban.audit.models import AuditEntry
from duban.core.dataversion import data_changed
from duban.core.users import Actor

SYSTEM = "系统（命令行）"


def snapshot(obj: models.Model, *, fields: list[str] | None = None) -> dict[str, Any]:
    """The stored fields of ``obj`` as JSON-ready values (foreign keys as their ids), for before/after."""
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = getattr(obj, field.attname)
        out[field.name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name
    return value


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: object = "",
    object_repr: str | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Record one change. ``actor`` is a user, or None for the command line."""
    user = actor if isinstance(actor, User) else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    data_changed(what=action)
    return AuditEntry.objects.create(
        actor=user,
        actor_name=(user.get_full_name() or user.get_username()) if user else SYSTEM,
        action=action,
        object_type=object_type or "",
        object_id=str(object_id),
        object_repr=(object_repr or "")[:300],
        before=before,
        after=after,
    )


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
