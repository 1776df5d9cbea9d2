import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from khcn.audit.models import AuditEvent
from khcn.core.permissions import scope


def events_filtered(
    *,
    user,
    actor: str = "",
    action: int | None = None,
    object_type: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    agency_id: int | None = None,
) -> QuerySet[AuditEvent]:
    """The audit events `user` may read, newest first, narrowed by the filters.
    Dates are local (Asia/Ho_Chi_Minh) days, both ends included."""
    qs = scope(user, "audit.view", AuditEvent.objects.select_related("actor", "agency"))
    if actor:
        qs = qs.filter(Q(actor_name__icontains=actor) | Q(actor__full_name__icontains=actor))
    if action is not None:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(created_at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(
            created_at__lt=dt.datetime.combine(
                date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz
            )
        )
    return qs.order_by("-seq")
