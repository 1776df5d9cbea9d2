from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khcn.notifications import services
from khcn.notifications.models import Kind, Notification
from khcn.web.utils import paginate


@login_required
def notification_list(request):
    qs = Notification.objects.filter(recipient=request.user, in_app=True)
    if request.GET.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    return render(
        request,
        "notifications/list.html",
        {"page": paginate(request, qs, 20), "unread_only": bool(request.GET.get("unread"))},
    )


@login_required
@require_POST
def mark_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    services.notifications_mark_read(user=request.user, ids=ids)
    if request.htmx:
        unread = Notification.objects.filter(
            recipient=request.user, in_app=True, read_at__isnull=True
        )
        return render(
            request, "notifications/partials/badge.html", {"unread_count": unread.count()}
        )
    return redirect(request.POST.get("next") or "notification-list")


@login_required
def preferences(request):
    prefs = services.preferences_for(request.user)
    if request.method == "POST":
        choices = {
            kind: (f"{kind}-in_app" in request.POST, f"{kind}-email" in request.POST)
            for kind in Kind.values
        }
        services.preferences_update(user=request.user, choices=choices, request=request)
        messages.success(request, _("Đã lưu cài đặt thông báo."))
        return redirect("notification-preferences")
    rows = [(kind, label, prefs[kind]) for kind, label in Kind.choices]
    return render(request, "notifications/preferences.html", {"rows": rows})
