import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from khcn.audit.models import AuditAction, AuditEvent
from khcn.audit.selectors import events_filtered
from khcn.core.permissions import get_visible, require, scope
from khcn.web.utils import paginate


def _date(value: str) -> dt.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _object_types(user) -> list[tuple[str, str]]:
    types = scope(user, "audit.view", AuditEvent.objects.exclude(object_type=""))
    names = types.values_list("object_type", flat=True).distinct().order_by("object_type")
    return [(name, AuditEvent(object_type=name).object_type_label) for name in names]


@login_required
def event_list(request):
    require(request.user, "audit.view")
    g = request.GET
    filters = {
        "actor": g.get("actor", "").strip()[:100],
        "action": int(g["action"])
        if g.get("action", "").isdigit() and int(g["action"]) in AuditAction.values
        else None,
        "object_type": g.get("object_type", "").strip()[:100],
        "date_from": _date(g.get("from", "")),
        "date_to": _date(g.get("to", "")),
    }
    events = events_filtered(user=request.user, **filters)
    template = "audit/partials/event_table.html" if request.htmx else "audit/event_list.html"
    return render(
        request,
        template,
        {
            "page": paginate(request, events, 30),
            "filters": filters,
            "actions": AuditAction.choices,
            "object_types": _object_types(request.user),
            "raw": g,
        },
    )


@login_required
def event_detail(request, seq: int):
    event = get_visible(
        request.user, "audit.view", AuditEvent.objects.select_related("actor", "agency"), seq=seq
    )
    return render(request, "audit/event_detail.html", {"event": event})
