"""Every write on agencies, users, roles and API tokens: permission-checked and audited."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from khcn.accounts.models import Agency, ApiToken, Membership, Role, User
from khcn.audit.models import AuditAction
from khcn.audit.services import record, snapshot
from khcn.core import clock
from khcn.core.errors import ConflictError, DomainError
from khcn.core.permissions import require

AGENCY_FIELDS = [
    "code",
    "name",
    "short_name",
    "kind",
    "parent",
    "province",
    "address",
    "phone",
    "email",
    "website",
    "is_active",
]
USER_FIELDS = ["username", "full_name", "email", "phone", "organisation", "position", "is_active"]


@transaction.atomic
def agency_create(*, actor, request=None, **fields) -> Agency:
    """Create a department (ministry administrators or the operator only)."""
    require(actor, "agency.create")
    if Agency.objects.filter(code=fields.get("code")).exists():
        raise ConflictError(_("Mã cơ quan “%(code)s” đã được dùng.") % {"code": fields.get("code")})
    agency = Agency.objects.create(**fields)
    record(
        actor=actor,
        action=AuditAction.AGENCY_CREATED,
        obj=agency,
        agency=agency,
        after=snapshot(agency, AGENCY_FIELDS),
        request=request,
    )
    return agency


@transaction.atomic
def agency_update(*, actor, agency: Agency, request=None, **fields) -> Agency:
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    require(actor, "agency.manage", agency)
    before = snapshot(agency, AGENCY_FIELDS)
    for name, value in fields.items():
        setattr(agency, name, value)
    agency.full_clean()
    agency.save()
    after = snapshot(agency, AGENCY_FIELDS)
    if before != after:
        record(
            actor=actor,
            action=AuditAction.AGENCY_UPDATED,
            obj=agency,
            agency=agency,
            before=before,
            after=after,
            request=request,
        )
    return agency


@transaction.atomic
def user_create(
    *,
    actor,
    agency: Agency,
    role: str,
    username: str,
    full_name: str,
    email: str = "",
    password: str | None = None,
    request=None,
    **fields,
) -> User:
    """Create a user with a first role in `agency`. Without a password the account
    cannot log in until the person sets one through "Quên mật khẩu"."""
    require(actor, "membership.manage", agency)
    if User.objects.filter(username__iexact=username).exists():
        raise ConflictError(_("Tên đăng nhập “%(u)s” đã có người dùng.") % {"u": username})
    user = User(username=username, full_name=full_name, email=email, **fields)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record(
        actor=actor,
        action=AuditAction.USER_CREATED,
        obj=user,
        agency=agency,
        after=snapshot(user, USER_FIELDS),
        request=request,
    )
    membership_grant(actor=actor, user=user, agency=agency, role=role, request=request)
    return user


@transaction.atomic
def user_update(*, actor, user: User, request=None, **fields) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    require(actor, "user.manage", user)
    if user.pk == actor.pk and fields.get("is_active") is False:
        raise DomainError(_("Bạn không thể tự vô hiệu hóa tài khoản của mình."))
    before = snapshot(user, USER_FIELDS)
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    after = snapshot(user, USER_FIELDS)
    if before != after:
        action = AuditAction.USER_UPDATED
        if before["is_active"] and not after["is_active"]:
            action = AuditAction.USER_DEACTIVATED
        elif not before["is_active"] and after["is_active"]:
            action = AuditAction.USER_ACTIVATED
        for agency_id in user.roles_by_agency():
            record(
                actor=actor,
                action=action,
                obj=user,
                agency=agency_id,
                before=before,
                after=after,
                request=request,
            )
    return user


@transaction.atomic
def membership_grant(*, actor, user: User, agency: Agency, role: str, request=None) -> Membership:
    """Give `user` a role in `agency`; the user is told."""
    from khcn.notifications.models import Kind
    from khcn.notifications.services import notify, site_language

    require(actor, "membership.manage", agency)
    if role not in Role.values:
        raise DomainError(_("Vai trò không hợp lệ."))
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, agency=agency, role=role, granted_by=actor
            )
    except IntegrityError as exc:
        raise ConflictError(_("Người dùng đã có vai trò này tại cơ quan.")) from exc
    user.forget_roles()
    record(
        actor=actor,
        action=AuditAction.ROLE_GRANTED,
        obj=user,
        agency=agency,
        after={"agency": agency.code, "role": role},
        request=request,
    )
    with site_language():
        notify(
            recipients=[user],
            kind=Kind.ROLE_CHANGED,
            agency=agency,
            title=_("Bạn được giao vai trò %(role)s tại %(agency)s")
            % {"role": membership.get_role_display(), "agency": agency},
            url=reverse("home"),
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership: Membership, request=None) -> None:
    from khcn.notifications.models import Kind
    from khcn.notifications.services import notify, site_language

    membership = (
        Membership.objects.select_for_update()
        .select_related("agency", "user")
        .get(pk=membership.pk)
    )
    require(actor, "membership.manage", membership.agency)
    if membership.user_id == actor.pk and membership.role == Role.ADMIN:
        raise DomainError(_("Bạn không thể tự thu hồi quyền quản trị của mình."))
    user, agency, role_label = membership.user, membership.agency, membership.get_role_display()
    record(
        actor=actor,
        action=AuditAction.ROLE_REVOKED,
        obj=user,
        agency=agency,
        before={"agency": agency.code, "role": membership.role},
        request=request,
    )
    membership.delete()
    user.forget_roles()
    with site_language():
        notify(
            recipients=[user],
            kind=Kind.ROLE_CHANGED,
            agency=agency,
            title=_("Vai trò %(role)s của bạn tại %(agency)s đã được thu hồi")
            % {"role": role_label, "agency": agency},
        )


@transaction.atomic
def account_lock(*, user: User, until: dt.datetime, request=None) -> None:
    """Lock after repeated failed logins; the agency's administrators are told."""
    from khcn.notifications.models import Kind
    from khcn.notifications.services import notify, site_language

    User.objects.filter(pk=user.pk).update(locked_until=until)
    agency_ids = list(user.roles_by_agency())
    for agency_id in agency_ids or [None]:
        record(
            actor=None,
            action=AuditAction.ACCOUNT_LOCKED,
            obj=user,
            agency=agency_id,
            after={"locked_until": until},
            request=request,
        )
    admins = User.objects.filter(
        memberships__agency_id__in=agency_ids, memberships__role=Role.ADMIN, is_active=True
    ).distinct()
    with site_language():
        notify(
            recipients=admins,
            kind=Kind.ACCOUNT_LOCKED,
            title=_("Tài khoản %(u)s bị khóa do đăng nhập sai nhiều lần") % {"u": user.username},
            url=reverse("user-detail", args=[user.pk]),
        )


@transaction.atomic
def account_unlock(*, actor, user: User, request=None) -> None:
    require(actor, "user.manage", user)
    before = {"locked_until": user.locked_until, "failed_logins": user.failed_logins}
    User.objects.filter(pk=user.pk).update(locked_until=None, failed_logins=0)
    for agency_id in user.roles_by_agency():
        record(
            actor=actor,
            action=AuditAction.ACCOUNT_UNLOCKED,
            obj=user,
            agency=agency_id,
            before=before,
            after={"locked_until": None, "failed_logins": 0},
            request=request,
        )


def password_changed(*, user: User, request=None, reset: bool = False) -> None:
    action = AuditAction.PASSWORD_RESET if reset else AuditAction.PASSWORD_CHANGED
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        record(
            actor=user,
            action=action,
            obj=user,
            request=request,
            agency=user.home_agency_id(),
        )


@transaction.atomic
def token_create(*, actor, user: User, name: str, request=None) -> tuple[ApiToken, str]:
    """A new API token for `user`. The key is returned once and never stored in clear."""
    if actor.pk != user.pk:
        require(actor, "user.manage", user)
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name[:100] or "API", key_prefix=key[:12], key_hash=ApiToken.hash_key(key)
    )
    record(
        actor=actor,
        action=AuditAction.TOKEN_CREATED,
        obj=user,
        request=request,
        agency=user.home_agency_id(),
        after={"token": token.name, "prefix": token.key_prefix},
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor, token: ApiToken, request=None) -> None:
    if actor.pk != token.user_id:
        require(actor, "user.manage", token.user)
    if token.revoked_at:
        return
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=clock.now())
    record(
        actor=actor,
        action=AuditAction.TOKEN_REVOKED,
        obj=token.user,
        request=request,
        agency=token.user.home_agency_id(),
        before={"token": token.name, "prefix": token.key_prefix},
    )


def token_authenticate(key: str) -> User | None:
    """The active user owning this bearer key, or None."""
    if not key or not key.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
