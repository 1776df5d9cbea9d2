from django.utils.functional import SimpleLazyObject

SESSION_KEY = "khcn_agency_id"


def current_agency(request):
    """The agency the user is working in: chosen in the session, else the first they belong to."""
    from khcn.accounts.models import Agency

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    held = user.roles_by_agency()
    chosen = request.session.get(SESSION_KEY)
    if chosen not in held:
        chosen = min(held) if held else None
    if chosen is None:
        return None
    return Agency.objects.filter(pk=chosen).first()


class CurrentAgencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.agency = SimpleLazyObject(lambda: current_agency(request))
        return self.get_response(request)
