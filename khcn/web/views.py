from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from khcn.notifications.models import Notification
from khcn.web.inbox import work_items


@login_required
def home(request):
    """ "Việc của tôi": items waiting for the user and the newest notifications."""
    agency = request.agency if request.agency else None
    notes = Notification.objects.filter(recipient=request.user, in_app=True)[:8]
    return render(
        request,
        "web/home.html",
        {
            "items": work_items(request.user, agency),
            "notifications": notes,
        },
    )


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def error_500(request):
    # No context processors: the failure may be the database itself.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render({}))
