from django.conf import settings

from khcn.web.navigation import menu_for, public_menu_for


def shell(request):
    """What the base layout needs: navigation for the user's roles, agency switcher, unread count."""
    user = getattr(request, "user", None)
    public = public_menu_for(request)
    if user is None or not user.is_authenticated:
        return {"site_name": "KHCN", "public_menu": public}
    from khcn.accounts.models import Agency
    from khcn.notifications.models import Notification

    held = user.roles_by_agency()
    agency = request.agency if hasattr(request, "agency") else None
    return {
        "site_name": "KHCN",
        "public_menu": public,
        "current_agency": agency if agency else None,
        "my_agencies": Agency.objects.filter(pk__in=held) if len(held) > 1 else [],
        "menu": menu_for(user, request),
        "unread_count": Notification.objects.filter(
            recipient=user, in_app=True, read_at__isnull=True
        ).count(),
        "debug": settings.DEBUG,
    }
