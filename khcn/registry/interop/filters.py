"""The staff lists' filters, shared by the list pages and their exports so that a file holds
exactly the rows the page shows (issue 5: "export any filtered list").

`staff_list(kind, user=…, params=request.GET)` starts from the registry's selectors
(`khcn.registry.selectors`: visibility by access level), keeps the records of the agencies
where the user manages the database, applies the GET parameters and sorts.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from khcn.registry import selectors
from khcn.registry.models import DuplicateFlag, IPAsset, Organisation, Person, Result
from khcn.registry.permissions import MANAGERS

KINDS = ("organisation", "person", "result", "ip_asset")
MODELS = {"organisation": Organisation, "person": Person, "result": Result, "ip_asset": IPAsset}

FILTER_PARAMS = {
    "organisation": [
        "q",
        "kind",
        "field",
        "province",
        "access",
        "st_enterprise",
        "duplicate",
        "sort",
    ],
    "person": ["q", "field", "expert", "access", "duplicate", "sort"],
    "result": ["q", "kind", "field", "year", "access", "sort"],
    "ip_asset": ["q", "kind", "status", "access", "sort"],
}
SORTS = {
    "organisation": {"name": ["name_key", "pk"], "-updated": ["-updated_at", "-pk"]},
    "person": {"name": ["name_key", "pk"], "-updated": ["-updated_at", "-pk"]},
    "result": {
        "year": ["-year", "title", "pk"],
        "name": ["title", "pk"],
        "-updated": ["-updated_at", "-pk"],
    },
    "ip_asset": {"name": ["name", "pk"], "-updated": ["-updated_at", "-pk"]},
}


def _get(params, name: str) -> str:
    value = params.get(name, "") if params is not None else ""
    return str(value or "").strip()[:200]


def _int(params, name: str) -> int | None:
    value = _get(params, name)
    return int(value) if value.isdigit() and len(value) < 9 else None


def _flag(params, name: str) -> bool | None:
    value = _get(params, name)
    return {"1": True, "0": False}.get(value)


def _has_open_flag(kind: str) -> Q:
    open_flags = DuplicateFlag.objects.filter(status=DuplicateFlag.Status.OPEN)
    if kind == "organisation":
        match = open_flags.filter(Q(org_a=OuterRef("pk")) | Q(org_b=OuterRef("pk")))
    else:
        match = open_flags.filter(Q(person_a=OuterRef("pk")) | Q(person_b=OuterRef("pk")))
    return Exists(match)


def staff_list(kind: str, *, user, params=None) -> QuerySet:
    """The records of `kind` a staff member's list shows for these GET parameters."""
    if kind == "organisation":
        qs = selectors.organisation_list(
            user=user,
            q=_get(params, "q"),
            kind=_get(params, "kind"),
            province_code=_int(params, "province"),
            field=_get(params, "field"),
            st_enterprise=_flag(params, "st_enterprise"),
        )
    elif kind == "person":
        qs = selectors.person_list(
            user=user,
            q=_get(params, "q"),
            field=_get(params, "field"),
            expert=_flag(params, "expert"),
        )
    elif kind == "result":
        qs = selectors.result_list(
            user=user,
            q=_get(params, "q"),
            kind=_get(params, "kind"),
            year=_int(params, "year"),
            field=_get(params, "field"),
        )
    elif kind == "ip_asset":
        qs = selectors.ip_asset_list(
            user=user, q=_get(params, "q"), kind=_get(params, "kind"), status=_get(params, "status")
        )
    else:
        raise ValueError(kind)
    if not user.is_superuser:
        qs = qs.filter(agency_id__in=user.agency_ids_with(MANAGERS))
    access = _get(params, "access")
    if access:
        qs = qs.filter(access=access)
    if kind in ("organisation", "person") and _get(params, "duplicate") == "1":
        qs = qs.filter(_has_open_flag(kind))
    order = SORTS[kind].get(_get(params, "sort")) or next(iter(SORTS[kind].values()))
    return qs.order_by(*order)
