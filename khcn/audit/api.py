import datetime as dt

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from khcn.audit.models import AuditAction, AuditEvent
from khcn.audit.selectors import events_filtered
from khcn.core.permissions import get_visible, require

router = Router(tags=["Nhật ký"])


class EventOut(Schema):
    seq: int
    created_at: dt.datetime
    actor: str
    agency_id: int | None
    action: int
    action_label: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | list | None
    after: dict | list | None
    ip: str | None
    hash: str

    @staticmethod
    def resolve_actor(obj: AuditEvent) -> str:
        return obj.actor_name

    @staticmethod
    def resolve_action_label(obj: AuditEvent) -> str:
        return obj.get_action_display()


@router.get(
    "/events", response=list[EventOut], summary="Nhật ký hệ thống (lãnh đạo, quản trị viên)"
)
@paginate(LimitOffsetPagination)
def event_list(
    request,
    actor: str = "",
    action: AuditAction | None = None,
    object_type: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
):
    require(request.user, "audit.view")
    return events_filtered(
        user=request.user,
        actor=actor[:100],
        action=action,
        object_type=object_type[:100],
        date_from=date_from,
        date_to=date_to,
    )


@router.get("/events/{seq}", response=EventOut)
def event_get(request, seq: int):
    return get_visible(request.user, "audit.view", AuditEvent.objects.all(), seq=seq)
