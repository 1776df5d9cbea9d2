import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import EmailStr, Field

from khcn.accounts import services
from khcn.accounts.models import Agency, Membership, Role, User
from khcn.core.permissions import get_visible, require, scope
from khcn.web.inbox import work_items

router = Router(tags=["Tài khoản và cơ quan"])


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    province: str
    email: str
    phone: str
    website: str
    is_active: bool


class AgencyPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=255)
    short_name: str | None = Field(None, max_length=60)
    province: str | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=255)
    phone: str | None = Field(None, max_length=30)
    email: EmailStr | None = None
    website: str | None = Field(None, max_length=200)


class RoleOut(Schema):
    id: int
    agency_id: int
    agency_code: str
    role: str
    role_label: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    organisation: str
    position: str
    is_superuser: bool
    agencies: list[AgencyOut]
    roles: list[RoleOut]


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    organisation: str
    is_active: bool
    locked: bool
    roles: list[RoleOut]


class UserIn(Schema):
    username: str = Field(..., min_length=2, max_length=150, pattern=r"^[A-Za-z0-9_.-]+$")
    full_name: str = Field(..., min_length=1, max_length=150)
    email: EmailStr | None = None
    agency_id: int
    role: Role


class RoleIn(Schema):
    agency_id: int
    role: Role


class WorkItemOut(Schema):
    title: str
    url: str
    kind: str
    due: dt.date | None
    detail: str
    overdue: bool = False


def _roles(user: User) -> list[dict]:
    return [
        {
            "id": m.pk,
            "agency_id": m.agency_id,
            "agency_code": m.agency.code,
            "role": m.role,
            "role_label": m.get_role_display(),
        }
        for m in user.memberships.all()
    ]


def _user_out(user: User) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "organisation": user.organisation,
        "is_active": user.is_active,
        "locked": user.locked_until is not None,
        "roles": _roles(user),
    }


@router.get("/me", response=MeOut, summary="Người dùng hiện tại, cơ quan và vai trò")
def me(request):
    user = request.user
    memberships = list(user.memberships.select_related("agency"))
    agencies = {m.agency_id: m.agency for m in memberships}
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "organisation": user.organisation,
        "position": user.position,
        "is_superuser": user.is_superuser,
        "agencies": list(agencies.values()),
        "roles": [
            {
                "id": m.pk,
                "agency_id": m.agency_id,
                "agency_code": m.agency.code,
                "role": m.role,
                "role_label": m.get_role_display(),
            }
            for m in memberships
        ],
    }


@router.get("/me/work", response=list[WorkItemOut], summary="Việc của tôi")
def my_work(request, agency_id: int | None = None):
    held = request.user.roles_by_agency()
    agency_id = agency_id if agency_id in held else (min(held) if held else None)
    agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
    return work_items(request.user, agency)


@router.get("/agencies", response=list[AgencyOut], summary="Các cơ quan người dùng được xem")
@paginate(LimitOffsetPagination)
def agency_list(request):
    return scope(request.user, "agency.view", Agency.objects.all()).order_by("name")


@router.get("/agencies/{agency_id}", response=AgencyOut)
def agency_get(request, agency_id: int):
    return get_visible(request.user, "agency.view", Agency.objects.all(), pk=agency_id)


@router.patch("/agencies/{agency_id}", response=AgencyOut)
def agency_patch(request, agency_id: int, payload: AgencyPatch):
    agency = get_visible(request.user, "agency.manage", Agency.objects.all(), pk=agency_id)
    return services.agency_update(
        actor=request.user, agency=agency, request=request, **payload.dict(exclude_unset=True)
    )


@router.get("/users", response=list[UserOut], summary="Người dùng của các cơ quan mình quản trị")
@paginate(LimitOffsetPagination)
def user_list(request, q: str = ""):
    require(request.user, "user.manage")
    qs = scope(request.user, "user.manage", User.objects.all()).order_by("full_name")
    if q:
        qs = qs.filter(full_name__icontains=q[:100])
    return [_user_out(u) for u in qs.prefetch_related("memberships__agency")]


@router.post("/users", response={201: UserOut})
def user_create(request, payload: UserIn):
    agency = get_visible(request.user, "agency.view", Agency.objects.all(), pk=payload.agency_id)
    user = services.user_create(
        actor=request.user,
        agency=agency,
        role=payload.role,
        username=payload.username,
        full_name=payload.full_name,
        email=payload.email or "",
        request=request,
    )
    return Status(201, _user_out(user))


@router.get("/users/{user_id}", response=UserOut)
def user_get(request, user_id: int):
    return _user_out(get_visible(request.user, "user.view", User.objects.all(), pk=user_id))


@router.post("/users/{user_id}/roles", response={201: RoleOut})
def role_grant(request, user_id: int, payload: RoleIn):
    target = get_visible(request.user, "user.manage", User.objects.all(), pk=user_id)
    agency = get_visible(request.user, "agency.view", Agency.objects.all(), pk=payload.agency_id)
    m = services.membership_grant(
        actor=request.user, user=target, agency=agency, role=payload.role, request=request
    )
    return Status(
        201,
        {
            "id": m.pk,
            "agency_id": agency.pk,
            "agency_code": agency.code,
            "role": m.role,
            "role_label": m.get_role_display(),
        },
    )


@router.delete("/roles/{membership_id}", response={204: None})
def role_revoke(request, membership_id: int):
    membership = get_object_or_404(Membership, pk=membership_id)
    get_visible(request.user, "user.manage", User.objects.all(), pk=membership.user_id)
    services.membership_revoke(actor=request.user, membership=membership, request=request)
    return Status(204, None)
