"""API of the interop part: the national-platform export."""

import json

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from khcn.accounts.models import Agency
from khcn.core.errors import DomainError
from khcn.registry.interop import national
from khcn.registry.permissions import MANAGERS

router = Router(tags=["CSDL KH&CN: trao đổi dữ liệu"])


@router.get("/exports/national", response={200: dict})
def national_export(request, since: str = "", format: str = "json", agency: str = ""):
    """The agency's records for the national S&T database (schema in docs/national-export.md).

    `since` (yyyy-mm-dd or dd/mm/yyyy): only records created or changed from that day on; a
    bad date answers 422. `format`: json (default) or xml. `agency`: the agency code, when
    the caller manages the database of several agencies. Staff of the agency only."""
    user = request.user
    managed = Agency.objects.filter(pk__in=user.agency_ids_with(MANAGERS)).order_by("pk")
    if user.is_superuser and agency:
        managed = Agency.objects.all()
    if agency:
        target = managed.filter(code=agency).first()
        if target is None:
            raise Http404(_("Không tìm thấy."))
    else:
        target = managed.first()
        if target is None:
            raise DomainError(
                _("Chỉ cán bộ của Sở quản lý cơ sở dữ liệu được xuất dữ liệu."), status=403
            )
    if format not in ("json", "xml"):
        raise DomainError(_("Định dạng phải là json hoặc xml."), status=422)
    doc, data = national.national_export(
        actor=user, agency=target, since=since or None, fmt=format, request=request
    )
    if format == "xml":
        return HttpResponse(data, content_type="application/xml; charset=utf-8")
    return HttpResponse(json.dumps(doc, ensure_ascii=False), content_type="application/json")
