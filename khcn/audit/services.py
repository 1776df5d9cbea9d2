"""Writing and verifying the audit trail."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model

from khcn.audit.models import AuditAction, AuditChain, AuditEvent
from khcn.core import clock


def _normalise(value: Any) -> Any:
    """JSON round trip, so that what is hashed is exactly what the database returns."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj: Model, fields: list[str]) -> dict[str, Any]:
    """Field values of `obj` for before/after (foreign keys as their id)."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        data[name] = getattr(obj, field.attname)
    return _normalise(data)


def _digest(event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "created_at": event.created_at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "agency_id": event.agency_id,
        "action": int(event.action),
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "ip": event.ip,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    actor,
    action: AuditAction,
    obj: Model | None = None,
    agency=None,
    before: dict | None = None,
    after: dict | None = None,
    request=None,
    object_repr: str = "",
) -> AuditEvent:
    """Append one event, inside the caller's transaction.

    The chain head is locked so that concurrent writers append one after the
    other; if the caller's transaction rolls back, the event goes with it.
    """
    if agency is None and obj is not None:
        agency = getattr(obj, "agency", None)
    with transaction.atomic():
        head, _created = AuditChain.objects.select_for_update().get_or_create(pk=1)
        actor_ok = actor is not None and getattr(actor, "is_authenticated", False)
        event = AuditEvent(
            seq=head.last_seq + 1,
            created_at=clock.now(),
            actor=actor if actor_ok else None,
            actor_name=(actor.get_username() if actor_ok else ""),
            agency_id=getattr(agency, "pk", agency),
            action=int(action),
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=(object_repr or (str(obj) if obj is not None else ""))[:255],
            before=_normalise(before),
            after=_normalise(after),
            ip=client_ip(request),
            prev_hash=head.last_hash,
        )
        event.hash = _digest(event)
        event.save()
        head.last_seq, head.last_hash = event.seq, event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def verify(*, batch_size: int = 2000) -> VerifyResult:
    """Walk the chain from the first event; report the first tampered or missing one."""
    expected_seq, prev_hash, checked = 1, "", 0
    events = AuditEvent.objects.order_by("seq")
    for event in events.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, "missing")
        if event.prev_hash != prev_hash:
            return VerifyResult(False, checked, event.seq, "broken-link")
        if _digest(event) != event.hash:
            return VerifyResult(False, checked, event.seq, "tampered")
        prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = AuditChain.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != prev_hash):
        return VerifyResult(False, checked, expected_seq, "missing")
    return VerifyResult(True, checked)
