"""Staff pages for imports, list exports and the national export; the public OAI-PMH endpoint."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from khcn.accounts.models import Agency
from khcn.core.errors import DomainError
from khcn.core.permissions import can
from khcn.registry.interop import exports, imports, national, oai, workbooks
from khcn.registry.interop.columns import COLUMNS
from khcn.registry.interop.filters import KINDS
from khcn.registry.interop.models import ImportBatch
from khcn.web.utils import paginate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAMES = {
    "organisation": "mau-nhap-to-chuc",
    "person": "mau-nhap-nha-khoa-hoc",
    "result": "mau-nhap-ket-qua",
}


def _staff(request) -> Agency:
    """The agency whose database the user manages now (the staff pages' rule); others 404."""
    from khcn.registry.views.common import staff_agency

    return staff_agency(request)


def _batch(request, pk: int) -> ImportBatch:
    agency = _staff(request)
    try:
        return imports.batches_visible(request.user).get(pk=pk, agency=agency)
    except ImportBatch.DoesNotExist:
        raise Http404(_("Không tìm thấy.")) from None


@login_required
def import_list(request):
    agency = _staff(request)
    error = ""
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        upload = request.FILES.get("file")
        if kind not in ImportBatch.Kind.values:
            error = _("Chọn loại dữ liệu cần nhập.")
        elif upload is None:
            error = _("Chọn tệp cần nhập (.xlsx hoặc .csv).")
        else:
            try:
                batch = imports.import_upload(
                    actor=request.user, agency=agency, kind=kind, upload=upload
                )
            except DomainError as exc:
                error = exc.message
            else:
                return redirect("registry-import-detail", pk=batch.pk)
    page = paginate(request, imports.batches_visible(request.user).filter(agency=agency), 20)
    return render(
        request,
        "registry/interop/import_list.html",
        {
            "page": page,
            "agency": agency,
            "kinds": ImportBatch.Kind.choices,
            "error": error,
            "posted": request.POST if request.method == "POST" else {},
        },
        status=422 if error else 200,
    )


@login_required
def import_template(request, kind: str, fmt: str):
    _staff(request)
    if kind not in COLUMNS or fmt not in ("xlsx", "csv"):
        raise Http404(_("Không tìm thấy."))
    if fmt == "xlsx":
        data, content_type = workbooks.template_xlsx(kind), XLSX
    else:
        data, content_type = workbooks.template_csv(kind), "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_NAMES[kind]}.{fmt}"'
    return response


@login_required
def import_detail(request, pk: int):
    batch = _batch(request, pk)
    return render(
        request,
        "registry/interop/import_detail.html",
        {
            "batch": batch,
            "columns": COLUMNS[batch.kind],
            "can_manage": can(request.user, "registry.manage", batch.agency),
        },
    )


@login_required
def import_progress(request, pk: int):
    """The status block, polled by htmx while the job runs; a full reload once it ends."""
    batch = _batch(request, pk)
    response = render(request, "registry/interop/partials/import_status.html", {"batch": batch})
    if not batch.is_running and request.GET.get("running") == "1":
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_confirm(request, pk: int):
    batch = _batch(request, pk)
    try:
        imports.import_confirm(actor=request.user, batch=batch, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xác nhận; hệ thống đang ghi dữ liệu."))
    return redirect("registry-import-detail", pk=batch.pk)


@login_required
@require_POST
def import_cancel(request, pk: int):
    batch = _batch(request, pk)
    try:
        imports.import_cancel(actor=request.user, batch=batch)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã hủy lần nhập; không có dữ liệu nào được ghi."))
    return redirect("registry-import-list")


@login_required
def export_list(request, kind: str, fmt: str):
    agency = _staff(request)
    if kind not in KINDS or fmt not in exports.FORMATS:
        raise Http404(_("Không tìm thấy."))
    return exports.export_response(
        kind, fmt, user=request.user, agency=agency, params=request.GET, request=request
    )


@login_required
def national_page(request):
    agency = _staff(request)
    g = request.GET
    since_text = g.get("since", "").strip()
    error, shown, since = "", None, None
    try:
        since = national.parse_since(since_text)
    except DomainError as exc:
        error = exc.message
    if not error:
        if g.get("download") in ("json", "xml"):
            fmt = g["download"]
            doc, data = national.national_export(
                actor=request.user, agency=agency, since=since, fmt=fmt, request=request
            )
            response = HttpResponse(
                data,
                content_type="application/json; charset=utf-8"
                if fmt == "json"
                else "application/xml; charset=utf-8",
            )
            stamp = doc["generated_at"][:10].replace("-", "")
            response["Content-Disposition"] = (
                f'attachment; filename="csdl-quoc-gia-{agency.code}-{stamp}.{fmt}"'
            )
            return response
        shown = national.counts(agency=agency, since=since)
    return render(
        request,
        "registry/interop/national.html",
        {
            "agency": agency,
            "since": since_text,
            "error": error,
            "counts": shown,
            "groups": GROUP_LABELS,
        },
        status=422 if error else 200,
    )


GROUP_LABELS = [
    ("organisations", gettext_lazy("Tổ chức KH&CN")),
    ("researchers", gettext_lazy("Nhà khoa học")),
    ("tasks", gettext_lazy("Nhiệm vụ KH&CN")),
    ("publications", gettext_lazy("Công bố khoa học")),
    ("results", gettext_lazy("Kết quả khác")),
    ("st_enterprises", gettext_lazy("Doanh nghiệp KH&CN")),
    ("industrial_property", gettext_lazy("Sở hữu công nghiệp")),
]


@csrf_exempt
@require_http_methods(["GET", "POST", "HEAD"])
def oai_endpoint(request):
    """OAI-PMH 2.0 (no login): arguments by GET, or by POST as application/x-www-form-urlencoded."""
    source = request.POST if request.method == "POST" else request.GET
    params = {key: source.getlist(key) for key in source}
    base_url = request.build_absolute_uri(request.path)
    body = oai.respond(params, base_url=base_url)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
