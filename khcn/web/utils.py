from django.core.paginator import Paginator


def paginate(request, queryset, per_page: int = 25):
    """A page of `queryset` from ?page=, clamped to the valid range; keeps the other filters."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    page.querystring = params.urlencode()
    return page
