import datetime as dt

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from khcn.notifications.models import Notification
from khcn.notifications.services import notifications_mark_read

router = Router(tags=["Thông báo"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class MarkReadIn(Schema):
    ids: list[int] | None = None


class MarkReadOut(Schema):
    marked: int


@router.get("", response=list[NotificationOut])
@paginate(LimitOffsetPagination)
def notification_list(request, unread: bool = False):
    qs = Notification.objects.filter(recipient=request.user, in_app=True)
    return qs.filter(read_at__isnull=True) if unread else qs


@router.post("/read", response=MarkReadOut, summary="Đánh dấu đã đọc (tất cả nếu không gửi ids)")
def mark_read(request, payload: MarkReadIn):
    return {"marked": notifications_mark_read(user=request.user, ids=payload.ids)}
