"""The S&T database API: organisations, people, results and IP assets.

Reads are open: anonymous callers get public records and public personal data only; a
bearer token or the session of the department's staff widens that to the agency's
restricted (and, for leaders, confidential) records. Writes need `registry.manage` in the
agency; a create answers 201 with the record and the likely duplicates it raised
(`duplicates`), which staff then merge or dismiss. Out of reach: 404; bad fields: 422.
"""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from ninja import Body, Field, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.pagination import LimitOffsetPagination, paginate

from khcn.accounts.models import Agency
from khcn.accounts.services import token_authenticate
from khcn.core.permissions import get_visible
from khcn.registry import selectors, services
from khcn.registry.models import IPAsset, Organisation, Person, Result
from khcn.registry.permissions import can_read

router = Router(tags=["Cơ sở dữ liệu KH&CN"])


def _reader(request):
    """The caller: a bearer token's user, the session's user, or anonymous."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        user = token_authenticate(header[7:].strip())
        if user is None:
            raise AuthenticationError()
        request.user = user
    return request.user


def _readable(request, queryset: QuerySet, pk: int):
    user = _reader(request)
    try:
        obj = queryset.get(pk=pk)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
    if not can_read(user, obj):
        raise Http404
    return obj


# --- schemas -------------------------------------------------------------------------------------


class DuplicateOut(Schema):
    id: int
    reason: str
    other_id: int
    other: str


class OrganisationOut(Schema):
    id: int
    name: str
    abbreviation: str
    kind: str
    tax_code: str
    province_code: int | None
    province: str = Field(alias="province_name")
    ward_code: int | None
    ward: str = Field(alias="ward_name")
    address: str
    st_enterprise_cert_no: str
    st_enterprise_cert_date: dt.date | None
    website: str
    fields: list[str]
    access: str
    agency: str

    @staticmethod
    def resolve_fields(obj) -> list[str]:
        return [f.code for f in obj.fields.all()]

    @staticmethod
    def resolve_agency(obj) -> str:
        return obj.agency.code


class OrganisationCreated(OrganisationOut):
    duplicates: list[DuplicateOut]

    @staticmethod
    def resolve_duplicates(obj) -> list[dict]:
        return _duplicates(obj)


class OrganisationIn(Schema):
    agency: str = Field(description="mã cơ quan, ví dụ hp")
    name: str
    kind: str
    abbreviation: str = ""
    english_name: str = ""
    tax_code: str = ""
    fields: list[str] = []
    description: str = ""
    address: str = ""
    province_code: int | None = None
    ward_code: int | None = None
    st_registration_no: str = ""
    st_registration_date: str = ""
    st_registration_issuer: str = ""
    st_enterprise_cert_no: str = ""
    st_enterprise_cert_date: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    ror: str = ""
    access: str = "public"


class PersonOrgOut(Schema):
    id: int
    name: str
    position: str


class PersonOut(Schema):
    """Personal data (email … cv_text) are null unless the person consented or the caller
    is the agency's staff (NĐ 13/2023/NĐ-CP)."""

    id: int
    full_name: str
    display_name: str
    degree: str
    title: str
    fields: list[str]
    keywords: str
    organisations: list[PersonOrgOut]
    is_expert: bool
    personal_data_shown: bool
    email: str | None = None
    phone: str | None = None
    birth_year: int | None = None
    orcid: str | None = None
    cv_text: str | None = None


class PersonCreated(PersonOut):
    duplicates: list[DuplicateOut]


class PersonIn(Schema):
    agency: str
    full_name: str
    organisation: int | None = Field(None, description="mã tổ chức đang công tác")
    position: str = ""
    degree: str = ""
    title: str = ""
    gender: str = ""
    birth_year: int | None = None
    fields: list[str] = []
    orcid: str = ""
    keywords: str = ""
    cv_text: str = ""
    email: str = ""
    phone: str = ""
    is_expert: bool = False
    expert_fields: list[str] = []
    public_consent: bool = False
    access: str = "public"


class AuthorOut(Schema):
    order: int
    person_id: int
    name: str


class ResultOut(Schema):
    id: int
    kind: str
    title: str
    abstract: str
    year: int
    field: str | None = Field(alias="field_id")
    registration_no: str
    registration_date: dt.date | None
    project_id: int | None
    doi: str
    url: str
    access: str
    authors: list[AuthorOut]
    organisations: list[int]

    @staticmethod
    def resolve_authors(obj) -> list[dict]:
        return [
            {"order": a.order, "person_id": a.person_id, "name": a.name or a.person.full_name}
            for a in obj.authorships.all()
        ]

    @staticmethod
    def resolve_organisations(obj) -> list[int]:
        return [link.organisation_id for link in obj.result_orgs.all()]


class ResultIn(Schema):
    agency: str
    kind: str
    title: str
    year: int
    abstract: str = ""
    field: str = ""
    registration_no: str = ""
    registration_date: str = ""
    project: int | None = None
    doi: str = ""
    url: str = ""
    keywords: str = ""
    access: str = "public"
    authors: list[int] = Field([], description="mã nhà khoa học, theo thứ tự tác giả")
    organisations: list[int] = Field([], description="mã tổ chức chủ trì")


class IPAssetOut(Schema):
    id: int
    kind: str
    name: str
    product: str
    region: str
    province_code: int | None
    holder_id: int | None
    status: str
    certificate_no: str
    certificate_date: dt.date | None
    project_id: int | None
    access: str


class FieldOut(Schema):
    code: str
    name: str
    parent: str | None = Field(alias="parent_id")


# --- helpers -------------------------------------------------------------------------------------


def _duplicates(obj) -> list[dict]:
    out = []
    for flag in getattr(obj, "duplicate_flags", []):
        other = flag.b if flag.a.pk == obj.pk else flag.a
        out.append(
            {"id": flag.pk, "reason": flag.reason, "other_id": other.pk, "other": str(other)}
        )
    return out


def _agency(user, code: str) -> Agency:
    return get_visible(
        user, "registry.manage", Agency.objects.filter(kind=Agency.Kind.DEPARTMENT), code=code
    )


def _person_out(person: Person, user) -> dict:
    return selectors.person_public_data(person, user=user)


# --- reads ---------------------------------------------------------------------------------------


@router.get("/registry/fields", response=list[FieldOut], auth=None, summary="Bảng lĩnh vực KH&CN")
def field_list(request):
    from khcn.registry.models import FieldOfScience

    return FieldOfScience.objects.order_by("code")


@router.get(
    "/registry/organisations",
    response=list[OrganisationOut],
    auth=None,
    summary="Tổ chức KH&CN (lọc theo tên, loại, tỉnh, lĩnh vực, doanh nghiệp KH&CN)",
)
@paginate(LimitOffsetPagination)
def organisation_list(
    request,
    q: str = "",
    kind: str = "",
    province: int | None = None,
    field: str = "",
    st_enterprise: bool | None = None,
):
    return (
        selectors.organisation_list(
            user=_reader(request),
            q=q[:200],
            kind=kind,
            province_code=province,
            field=field[:8],
            st_enterprise=st_enterprise,
        )
        .prefetch_related("fields")
        .order_by("name", "pk")
    )


@router.get(
    "/registry/organisations/{pk}", response=OrganisationOut, auth=None, summary="Một tổ chức"
)
def organisation_detail(request, pk: int):
    return _readable(request, Organisation.objects.active().select_related("agency"), pk)


@router.get(
    "/registry/people",
    response=list[PersonOut],
    auth=None,
    summary="Nhà khoa học, chuyên gia (thông tin cá nhân chỉ khi được đồng ý)",
)
@paginate(LimitOffsetPagination)
def person_list(
    request,
    q: str = "",
    organisation: int | None = None,
    field: str = "",
    expert: bool | None = None,
):
    user = _reader(request)
    org = None
    if organisation is not None:
        org = _readable(request, Organisation.objects.active(), organisation)
    people = selectors.person_list(
        user=user, q=q[:200], organisation=org, field=field[:8], expert=expert
    ).order_by("name_key", "pk")
    return [_person_out(p, user) for p in people.prefetch_related("fields")]


@router.get("/registry/people/{pk}", response=PersonOut, auth=None, summary="Một nhà khoa học")
def person_detail(request, pk: int):
    person = _readable(request, Person.objects.active(), pk)
    return _person_out(person, request.user)


@router.get("/registry/results", response=list[ResultOut], auth=None, summary="Kết quả KH&CN")
@paginate(LimitOffsetPagination)
def result_list(
    request,
    q: str = "",
    kind: str = "",
    year: int | None = None,
    field: str = "",
    project: int | None = None,
):
    qs = selectors.result_list(
        user=_reader(request), q=q[:200], kind=kind, year=year, field=field[:8]
    )
    if project is not None:
        qs = qs.filter(project_id=project)
    return qs.prefetch_related("authorships__person", "result_orgs").order_by("-year", "pk")


@router.get("/registry/results/{pk}", response=ResultOut, auth=None, summary="Một kết quả")
def result_detail(request, pk: int):
    return _readable(request, Result.objects.all(), pk)


@router.get("/registry/ip-assets", response=list[IPAssetOut], auth=None, summary="Tài sản trí tuệ")
@paginate(LimitOffsetPagination)
def ip_asset_list(request, q: str = "", kind: str = "", status: str = ""):
    return selectors.ip_asset_list(
        user=_reader(request), q=q[:200], kind=kind, status=status
    ).order_by("name", "pk")


@router.get(
    "/registry/ip-assets/{pk}", response=IPAssetOut, auth=None, summary="Một tài sản trí tuệ"
)
def ip_asset_detail(request, pk: int):
    return _readable(request, IPAsset.objects.all(), pk)


# --- writes --------------------------------------------------------------------------------------


@router.post(
    "/registry/organisations",
    response={201: OrganisationCreated},
    summary="Thêm tổ chức (trả về cả các bản ghi nghi trùng)",
)
def organisation_create(request, payload: OrganisationIn):
    agency = _agency(request.user, payload.agency)
    org = services.organisation_create(
        actor=request.user, agency=agency, request=request, **payload.dict(exclude={"agency"})
    )
    return Status(201, org)


@router.post(
    "/registry/people", response={201: PersonCreated}, summary="Thêm nhà khoa học, chuyên gia"
)
def person_create(request, payload: PersonIn):
    agency = _agency(request.user, payload.agency)
    organisation = None
    if payload.organisation is not None:
        organisation = get_visible(
            request.user,
            "registry.manage",
            Organisation.objects.active().filter(agency=agency),
            pk=payload.organisation,
        )
    person = services.person_create(
        actor=request.user,
        agency=agency,
        organisation=organisation,
        position=payload.position,
        request=request,
        **payload.dict(exclude={"agency", "organisation", "position"}),
    )
    return Status(201, _person_out(person, request.user) | {"duplicates": _duplicates(person)})


@router.post("/registry/results", response={201: ResultOut}, summary="Đăng ký kết quả KH&CN")
def result_create(request, payload: ResultIn):
    from khcn.projects.models import Project

    agency = _agency(request.user, payload.agency)
    project = None
    if payload.project is not None:
        project = get_visible(
            request.user, "project.view", Project.objects.filter(agency=agency), pk=payload.project
        )
    people = {
        p.pk: p for p in Person.objects.active().filter(agency=agency, pk__in=payload.authors)
    }
    orgs = {
        o.pk: o
        for o in Organisation.objects.active().filter(agency=agency, pk__in=payload.organisations)
    }
    missing = [pk for pk in payload.authors if pk not in people] + [
        pk for pk in payload.organisations if pk not in orgs
    ]
    if missing:
        raise Http404
    result = services.result_create(
        actor=request.user,
        agency=agency,
        authors=[people[pk] for pk in payload.authors],
        organisations=[orgs[pk] for pk in payload.organisations],
        project=project,
        request=request,
        **payload.dict(exclude={"agency", "authors", "organisations", "project"}),
    )
    return Status(201, result)


class IPAssetIn(Schema):
    agency: str
    kind: str
    name: str
    product: str = ""
    description: str = ""
    region: str = ""
    province_code: int | None = None
    holder: int | None = Field(None, description="mã tổ chức chủ sở hữu/quản lý")
    status: str = "preparing"
    application_no: str = ""
    application_date: str = ""
    certificate_no: str = ""
    certificate_date: str = ""
    expiry_date: str = ""
    access: str = "public"


@router.post("/registry/ip-assets", response={201: IPAssetOut}, summary="Thêm tài sản trí tuệ")
def ip_asset_create(request, payload: IPAssetIn):
    agency = _agency(request.user, payload.agency)
    holder = None
    if payload.holder is not None:
        holder = get_visible(
            request.user,
            "registry.manage",
            Organisation.objects.active().filter(agency=agency),
            pk=payload.holder,
        )
    asset = services.ip_asset_create(
        actor=request.user,
        agency=agency,
        holder=holder,
        request=request,
        **payload.dict(exclude={"agency", "holder"}),
    )
    return Status(201, asset)


@router.patch(
    "/registry/organisations/{pk}",
    response=OrganisationOut,
    summary="Sửa tổ chức (chỉ các trường gửi lên; mức truy cập: /access)",
)
def organisation_update(request, pk: int, payload: Body[dict[str, Any]]):
    org = get_visible(request.user, "registry.manage", Organisation.objects.active(), pk=pk)
    return services.organisation_update(
        actor=request.user, organisation=org, request=request, **payload
    )


@router.patch(
    "/registry/people/{pk}",
    response=PersonOut,
    summary="Sửa nhà khoa học (chỉ các trường gửi lên)",
)
def person_update(request, pk: int, payload: Body[dict[str, Any]]):
    person = get_visible(request.user, "registry.manage", Person.objects.active(), pk=pk)
    person = services.person_update(actor=request.user, person=person, request=request, **payload)
    return _person_out(person, request.user)


class AccessIn(Schema):
    access: str = Field(description="public | restricted | confidential")


_ACCESS_MODELS = {
    "organisations": Organisation,
    "people": Person,
    "results": Result,
    "ip-assets": IPAsset,
}


@router.post(
    "/registry/{kind}/{pk}/access",
    response={204: None},
    summary="Đổi mức truy cập (Mật: chỉ lãnh đạo, quản trị viên)",
)
def access_set(request, kind: str, pk: int, payload: AccessIn):
    model = _ACCESS_MODELS.get(kind)
    if model is None:
        raise Http404
    obj = get_visible(request.user, "registry.view", model.objects.all(), pk=pk)
    services.access_set(actor=request.user, obj=obj, access=payload.access, request=request)
    return Status(204, None)
