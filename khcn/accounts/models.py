"""Agencies (tenants), users, their roles in each agency, API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    """A provincial Department of Science and Technology, or the ministry.

    Every domain record belongs to exactly one agency; users see the records of
    the agencies they hold a role in.
    """

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Bộ")
        DEPARTMENT = "department", _("Sở")

    code = models.SlugField(_("mã cơ quan"), max_length=20, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province = models.CharField(_("tỉnh/thành phố"), max_length=100, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    website = models.URLField(_("trang thông tin"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Role(models.TextChoices):
    STAFF = "staff", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo")
    ADMIN = "admin", _("Quản trị viên")
    HOST = "host", _("Đại diện tổ chức chủ trì")
    EXPERT = "expert", _("Chuyên gia hội đồng")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    PUBLIC = "public", _("Người dân")


# Roles held by the department's own people (as opposed to outside users).
INTERNAL_ROLES = frozenset({Role.STAFF, Role.LEADER, Role.ADMIN})


class User(AbstractUser):
    """A person who logs in. Vietnamese names are kept whole in `full_name`."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    organisation = models.CharField(_("đơn vị công tác"), max_length=255, blank=True)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    failed_logins = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    @cached_property
    def _roles(self) -> dict[int, frozenset[str]]:
        held: dict[int, set[str]] = {}
        for agency_id, role in self.memberships.values_list("agency_id", "role"):
            held.setdefault(agency_id, set()).add(role)
        return {k: frozenset(v) for k, v in held.items()}

    def roles_by_agency(self) -> dict[int, frozenset[str]]:
        """{agency_id: {role, …}}, read once per request."""
        return self._roles

    def agency_ids_with(self, roles) -> list[int]:
        roles = frozenset(roles)
        return [aid for aid, held in self.roles_by_agency().items() if held & roles]

    def has_role(self, role: str, agency=None) -> bool:
        held = self.roles_by_agency()
        if agency is None:
            return any(role in roles for roles in held.values())
        return role in held.get(getattr(agency, "pk", agency), frozenset())

    def home_agency_id(self) -> int | None:
        """The agency an event about this person is filed under: their first membership."""
        return self.memberships.values_list("agency_id", flat=True).first()

    def forget_roles(self) -> None:
        self.__dict__.pop("_roles", None)


class Membership(models.Model):
    """A user's role in one agency. A user may hold several roles in several agencies."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique_role"
            )
        ]
        ordering = ["agency__name", "role"]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.agency}"


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored."""

    PREFIX = "khcn_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    key_prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
