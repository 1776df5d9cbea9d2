"""Who may do what with agencies, users and roles.

The table below is the whole policy for this app: an action is allowed when
the user holds one of the listed roles in the object's agency.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khcn.accounts.models import Agency, Role, User
from khcn.core.permissions import Decision, role_rule, rule, scope_rule

ROLE_TABLE = {
    "agency.view": {Role.STAFF, Role.LEADER, Role.ADMIN},
    "agency.manage": {Role.ADMIN},
    "user.manage": {Role.ADMIN},
}

role_rule(
    "agency.view",
    ROLE_TABLE["agency.view"],
    agency_of=lambda a: a.pk,
    reason=_("Bạn không thuộc cơ quan này."),
)
role_rule(
    "agency.manage",
    ROLE_TABLE["agency.manage"],
    agency_of=lambda a: a.pk,
    reason=_("Chỉ quản trị viên của cơ quan được sửa thông tin cơ quan."),
)


@rule("agency.create")
def can_create_agency(user, obj) -> Decision:
    """New departments are created by administrators of the ministry (or the operator)."""
    ministry = Agency.Kind.MINISTRY
    ids = user.agency_ids_with({Role.ADMIN})
    if ids and Agency.objects.filter(pk__in=ids, kind=ministry).exists():
        return Decision(True)
    return Decision(False, _("Chỉ quản trị viên cấp Bộ được tạo cơ quan mới."))


def _shares_admin_agency(user, target) -> bool:
    admin_ids = set(user.agency_ids_with({Role.ADMIN}))
    if target is None:
        return bool(admin_ids)
    if not target.pk:
        return bool(admin_ids)
    return bool(admin_ids & set(target.roles_by_agency()))


@rule("user.view")
def can_view_user(user, target) -> Decision:
    if target is not None and target.pk == user.pk:
        return Decision(True)
    if _shares_admin_agency(user, target):
        return Decision(True)
    return Decision(False, _("Bạn không quản lý người dùng này."))


@rule("user.manage")
def can_manage_user(user, target) -> Decision:
    if _shares_admin_agency(user, target):
        return Decision(True)
    return Decision(False, _("Chỉ quản trị viên được quản lý người dùng."))


@rule("membership.manage")
def can_manage_membership(user, agency) -> Decision:
    """Granting a role in `agency` needs the administrator role in that agency."""
    if agency is None:
        ok = bool(user.agency_ids_with({Role.ADMIN}))
    else:
        ok = user.has_role(Role.ADMIN, agency)
    return (
        Decision(True)
        if ok
        else Decision(False, _("Chỉ quản trị viên của cơ quan được phân quyền."))
    )


@scope_rule("agency.view")
def agencies_visible(user, qs):
    return qs.filter(pk__in=user.agency_ids_with(ROLE_TABLE["agency.view"]))


@scope_rule("agency.manage")
def agencies_managed(user, qs):
    return qs.filter(pk__in=user.agency_ids_with(ROLE_TABLE["agency.manage"]))


@scope_rule("user.view")
def users_visible(user, qs):
    admin_ids = user.agency_ids_with({Role.ADMIN})
    return qs.filter(Q(pk=user.pk) | Q(memberships__agency_id__in=admin_ids)).distinct()


@scope_rule("user.manage")
def users_managed(user, qs):
    return qs.filter(memberships__agency_id__in=user.agency_ids_with({Role.ADMIN})).distinct()


__all__ = ["ROLE_TABLE", "User"]
