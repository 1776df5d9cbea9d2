"""The public search page /tim-kiem/: anyone may search; staff see more (permissions.py)."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from khcn.projects.models import ScienceField
from khcn.search.registry import TYPES
from khcn.search.selectors import COUNT_CAP, search

PER_PAGE = 20


def _int(value, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def search_page(request):
    """Search box, type chips, field and year filters, ranked results with the matched
    words highlighted; htmx requests get the results fragment only."""
    q = request.GET.get("q", "")
    type_key = request.GET.get("type", "")
    type_key = type_key if type_key in TYPES else ""
    field = request.GET.get("field", "")
    field = field if field in ScienceField.values else ""
    year = _int(request.GET.get("year"), 1900, 2100)
    org = _int(request.GET.get("org"), 1, 2**31 - 1)
    page = _int(request.GET.get("page"), 1, 1000) or 1
    result = search(
        q,
        user=request.user,
        types=[type_key] if type_key else None,
        field=field or None,
        year=year,
        org=org,
        page=page,
        per_page=PER_PAGE,
    )
    base = {"q": q, "field": field, "year": year or "", "org": org or ""}
    keep = "&".join(f"{k}={v}" for k, v in _encoded(base, type_key).items() if v)
    chips = [{"key": "", "label": _("Tất cả"), "active": not type_key}] + [
        {"key": t.key, "label": t.label, "icon": t.icon, "active": t.key == type_key}
        for t in sorted(TYPES.values(), key=lambda t: str(t.label))
    ]
    context = {
        "q": q,
        "result": result,
        "chips": chips,
        "chip_query": "&".join(f"{k}={v}" for k, v in _encoded(base, "").items() if v),
        "keep": keep,
        "type_key": type_key,
        "field": field,
        "year": year or "",
        "fields": ScienceField.choices,
        "count_cap": COUNT_CAP,
    }
    template = "search/partials/results.html" if request.htmx else "search/search.html"
    return render(request, template, context)


def _encoded(base: dict, type_key: str) -> dict:
    from urllib.parse import quote_plus

    out = {k: quote_plus(str(v)) for k, v in base.items() if v}
    if type_key:
        out["type"] = type_key
    return out
