"""Exporting a filtered staff list (organisations, people, results, IP assets) to XLSX or CSV.

The rows are the list page's own (`filters.staff_list`), read in chunks and streamed, so a
list of a hundred thousand records never sits in memory. Staff exports hold what staff may
see, personal data included (they are the agency's own people, NĐ 13/2023/NĐ-CP Đ11 allows
processing for the agency's tasks); each export is audited with its filters and row count.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khcn.audit.models import AuditAction
from khcn.audit.services import record
from khcn.core import clock
from khcn.core.permissions import require
from khcn.registry.interop import workbooks
from khcn.registry.interop.filters import FILTER_PARAMS, staff_list
from khcn.registry.models import Authorship, ResultOrganisation

CHUNK = 2000
FORMATS = ("xlsx", "csv")


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _codes(obj, name: str) -> str:
    return ", ".join(f.code for f in getattr(obj, name).all())


@dataclass(frozen=True)
class ExportSpec:
    title: str
    filename: str
    headers: list
    row: Callable
    prefetch: tuple = ()


def _org_row(o) -> list:
    return [
        o.pk,
        o.name,
        o.abbreviation,
        o.get_kind_display(),
        o.tax_code,
        _codes(o, "fields"),
        o.address,
        o.ward_name,
        o.province_name,
        o.st_registration_no,
        o.st_registration_date,
        o.st_enterprise_cert_no,
        o.st_enterprise_cert_date,
        o.phone,
        o.email,
        o.website,
        o.get_access_display(),
        _local(o.updated_at),
    ]


def _person_row(p) -> list:
    current = getattr(p, "current_affiliations", None)
    if current is None:
        current = [a for a in p.affiliations.all() if a.end is None]
    return [
        p.pk,
        p.full_name,
        p.get_degree_display() if p.degree else "",
        p.get_title_display() if p.title else "",
        p.get_gender_display() if p.gender else "",
        p.birth_year,
        _codes(p, "fields"),
        p.orcid,
        p.keywords,
        p.email,
        p.phone,
        "; ".join(a.organisation.name for a in current),
        p.is_expert,
        _codes(p, "expert_fields"),
        p.public_consent,
        p.get_access_display(),
        _local(p.updated_at),
    ]


def _result_row(r) -> list:
    authors = "; ".join(a.name or a.person.full_name for a in r.authorships.all())
    hosts = "; ".join(link.organisation.name for link in r.result_orgs.all())
    return [
        r.pk,
        r.get_kind_display(),
        r.title,
        r.year,
        r.field_id or "",
        r.registration_no,
        r.registration_date,
        r.doi,
        r.url,
        r.keywords,
        authors,
        hosts,
        r.project.code if r.project_id else "",
        r.get_access_display(),
        _local(r.updated_at),
    ]


def _ip_row(a) -> list:
    return [
        a.pk,
        a.get_kind_display(),
        a.name,
        a.product,
        a.region,
        a.holder.name if a.holder_id else "",
        a.get_status_display(),
        a.application_no,
        a.application_date,
        a.certificate_no,
        a.certificate_date,
        a.expiry_date,
        a.get_access_display(),
        _local(a.updated_at),
    ]


SPECS = {
    "organisation": ExportSpec(
        gettext_lazy("Tổ chức"),
        "to-chuc",
        [
            gettext_lazy("Mã"),
            gettext_lazy("Tên tổ chức"),
            gettext_lazy("Tên viết tắt"),
            gettext_lazy("Loại hình"),
            gettext_lazy("Mã số thuế"),
            gettext_lazy("Lĩnh vực"),
            gettext_lazy("Địa chỉ"),
            gettext_lazy("Phường/xã"),
            gettext_lazy("Tỉnh/thành phố"),
            gettext_lazy("Số GCN đăng ký hoạt động KH&CN"),
            gettext_lazy("Ngày cấp GCN đăng ký"),
            gettext_lazy("Số GCN doanh nghiệp KH&CN"),
            gettext_lazy("Ngày cấp GCN doanh nghiệp KH&CN"),
            gettext_lazy("Điện thoại"),
            gettext_lazy("Thư điện tử"),
            gettext_lazy("Trang thông tin"),
            gettext_lazy("Mức truy cập"),
            gettext_lazy("Cập nhật"),
        ],
        _org_row,
        ("fields",),
    ),
    "person": ExportSpec(
        gettext_lazy("Nhà khoa học"),
        "nha-khoa-hoc",
        [
            gettext_lazy("Mã"),
            gettext_lazy("Họ và tên"),
            gettext_lazy("Học vị"),
            gettext_lazy("Học hàm"),
            gettext_lazy("Giới tính"),
            gettext_lazy("Năm sinh"),
            gettext_lazy("Lĩnh vực"),
            gettext_lazy("ORCID"),
            gettext_lazy("Từ khóa chuyên môn"),
            gettext_lazy("Thư điện tử"),
            gettext_lazy("Điện thoại"),
            gettext_lazy("Tổ chức công tác"),
            gettext_lazy("Chuyên gia"),
            gettext_lazy("Lĩnh vực đánh giá"),
            gettext_lazy("Đồng ý công khai"),
            gettext_lazy("Mức truy cập"),
            gettext_lazy("Cập nhật"),
        ],
        _person_row,
        ("fields", "expert_fields"),
    ),
    "result": ExportSpec(
        gettext_lazy("Kết quả KH&CN"),
        "ket-qua",
        [
            gettext_lazy("Mã"),
            gettext_lazy("Loại kết quả"),
            gettext_lazy("Tên kết quả"),
            gettext_lazy("Năm"),
            gettext_lazy("Lĩnh vực"),
            gettext_lazy("Số đăng ký"),
            gettext_lazy("Ngày đăng ký"),
            gettext_lazy("DOI"),
            gettext_lazy("Đường dẫn"),
            gettext_lazy("Từ khóa"),
            gettext_lazy("Tác giả"),
            gettext_lazy("Tổ chức"),
            gettext_lazy("Nhiệm vụ"),
            gettext_lazy("Mức truy cập"),
            gettext_lazy("Cập nhật"),
        ],
        _result_row,
        (
            Prefetch("authorships", queryset=Authorship.objects.select_related("person")),
            Prefetch(
                "result_orgs", queryset=ResultOrganisation.objects.select_related("organisation")
            ),
        ),
    ),
    "ip_asset": ExportSpec(
        gettext_lazy("Tài sản trí tuệ"),
        "tai-san-tri-tue",
        [
            gettext_lazy("Mã"),
            gettext_lazy("Loại"),
            gettext_lazy("Tên"),
            gettext_lazy("Sản phẩm"),
            gettext_lazy("Khu vực địa lý"),
            gettext_lazy("Chủ thể quản lý/chủ sở hữu"),
            gettext_lazy("Tình trạng"),
            gettext_lazy("Số đơn"),
            gettext_lazy("Ngày nộp đơn"),
            gettext_lazy("Số văn bằng"),
            gettext_lazy("Ngày cấp văn bằng"),
            gettext_lazy("Hiệu lực đến"),
            gettext_lazy("Mức truy cập"),
            gettext_lazy("Cập nhật"),
        ],
        _ip_row,
    ),
}


def listed(kind: str, *, user, agency, params=None):
    """The staff list page's rows in its order: the agency's records through the shared
    filters, organisations and people in Vietnamese name order unless another sort is asked
    (a list of primary keys then, as `page_selectors.sorted_by_name` gives)."""
    from khcn.registry import page_selectors

    qs = staff_list(kind, user=user, params=params).filter(agency=agency)
    sort = (params or {}).get("sort", "") if params is not None else ""
    if kind in ("organisation", "person") and sort in ("", "name"):
        attr = "full_name" if kind == "person" else "name"
        return qs, page_selectors.sorted_by_name(qs, attr, given_name_first=kind == "person")
    return qs, qs


def export_rows(kind: str, *, user, agency, params=None) -> Iterator[list]:
    """The rows of the filtered staff list, read CHUNK at a time."""
    spec = SPECS[kind]
    qs, ordered = listed(kind, user=user, agency=agency, params=params)
    if spec.prefetch:
        qs = qs.prefetch_related(*spec.prefetch)
    if isinstance(ordered, list):  # primary keys in the page's order
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            found = {o.pk: o for o in qs.filter(pk__in=chunk)}
            for pk in chunk:
                if pk in found:
                    yield spec.row(found[pk])
        return
    if spec.prefetch:
        ordered = ordered.prefetch_related(*spec.prefetch)
    for obj in ordered.iterator(chunk_size=CHUNK):
        yield spec.row(obj)


def export_response(kind: str, fmt: str, *, user, agency, params=None, request=None):
    """A streamed XLSX or CSV file of the filtered list of `agency`; audited
    (REGISTRY_EXPORTED, with the filters and the row count)."""
    require(user, "registry.manage", agency)
    spec = SPECS[kind]
    headers = [str(h) for h in spec.headers]
    filters = {k: params.get(k) for k in FILTER_PARAMS[kind] if params and params.get(k)}
    count = staff_list(kind, user=user, params=params).filter(agency=agency).count()
    record(
        actor=user,
        action=AuditAction.REGISTRY_EXPORTED,
        agency=agency,
        after={"kind": kind, "format": fmt, "rows": count, "filters": filters},
        request=request,
        object_repr=str(spec.title),
    )
    stamp = clock.now().strftime("%Y%m%d")
    filename = f"{spec.filename}-{stamp}.{fmt}"
    rows = export_rows(kind, user=user, agency=agency, params=params)
    if fmt == "csv":
        response = StreamingHttpResponse(
            workbooks.csv_stream(headers, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    handle = workbooks.xlsx_file(headers, rows, title=str(spec.title))
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_title(kind: str) -> str:
    return _("Xuất danh sách %(t)s") % {"t": SPECS[kind].title}
