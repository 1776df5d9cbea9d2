"""Who may read and change the S&T database.

Access levels (NĐ 11/2014/NĐ-CP Đ12 on S&T information; Luật Bảo vệ bí mật nhà nước 2018 for
what is classified): a *public* record is readable by anyone, signed in or not; a
*restricted* one by the owning agency's own people (staff, leaders, administrators); a
*confidential* one by the agency's leaders and administrators only. A merged (hidden) record
is readable by the agency's own people only, so that a merge can be reviewed and undone.

Personal data of a person beyond name, degree, title, organisation and fields are shown to
the public only with the person's consent (NĐ 13/2023/NĐ-CP Đ11); the agency's people and
the person's own account always see them.

`can_read` answers for anonymous visitors too (public pages); the `registry.*` rules serve
`khcn.core.permissions.can/require/scope/get_visible`, which need a signed-in user.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from khcn.accounts.models import INTERNAL_ROLES, Role
from khcn.core.permissions import Decision, rule, scope_rule
from khcn.registry.models import Access

CONFIDENTIAL_READERS = frozenset({Role.LEADER, Role.ADMIN})
MANAGERS = INTERNAL_ROLES

NOT_VISIBLE = _("Bản ghi này không công khai.")
NOT_MANAGER = _("Chỉ cán bộ của Sở quản lý cơ sở dữ liệu được thực hiện việc này.")
NOT_LEADER = _("Chỉ lãnh đạo Sở hoặc quản trị viên được đặt hoặc bỏ mức Mật.")


def _agency_id(obj) -> int | None:
    if obj is None:
        return None
    if obj.__class__.__name__ == "Agency":
        return obj.pk
    return getattr(obj, "agency_id", None)


def _roles(user, agency_id) -> frozenset:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return user.roles_by_agency().get(agency_id, frozenset())


def can_read(user, obj) -> Decision:
    """Whether `user` (anonymous allowed) may read the record `obj`."""
    if getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser:
        return Decision(True)
    access = getattr(obj, "access", Access.PUBLIC)
    merged = getattr(obj, "merged_into_id", None) is not None
    roles = _roles(user, _agency_id(obj))
    if access == Access.CONFIDENTIAL:
        ok = bool(roles & CONFIDENTIAL_READERS)
    elif access == Access.RESTRICTED or merged:
        ok = bool(roles & INTERNAL_ROLES)
    else:
        ok = True
    return Decision(True) if ok else Decision(False, NOT_VISIBLE)


def can_see_personal(user, person) -> bool:
    """Whether the personal data (Person.CONSENT_FIELDS) of `person` may be shown to `user`."""
    if person.public_consent:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or (person.user_id and person.user_id == user.pk):
        return True
    return bool(_roles(user, person.agency_id) & INTERNAL_ROLES)


def visible_q(user) -> Q:
    """A filter for any registry model: the records `user` (anonymous allowed) may read."""
    public = Q(access=Access.PUBLIC)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return public
    if user.is_superuser:
        return Q()
    internal = user.agency_ids_with(INTERNAL_ROLES)
    leaders = user.agency_ids_with(CONFIDENTIAL_READERS)
    return (
        public
        | Q(access=Access.RESTRICTED, agency_id__in=internal)
        | Q(access=Access.CONFIDENTIAL, agency_id__in=leaders)
    )


def visible(user, queryset: QuerySet) -> QuerySet:
    """`queryset` narrowed to what `user` may read; merged records only for the agency's people."""
    qs = queryset.filter(visible_q(user))
    if hasattr(queryset.model, "merged_into"):
        if getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser:
            return qs
        internal = (
            user.agency_ids_with(INTERNAL_ROLES)
            if getattr(user, "is_authenticated", False) and user.is_active
            else []
        )
        qs = qs.filter(Q(merged_into__isnull=True) | Q(agency_id__in=internal))
    return qs


@rule("registry.view")
def can_view(user, obj) -> Decision:
    if obj is None:
        # the staff area of the database: the department's own people
        ok = any(roles & INTERNAL_ROLES for roles in user.roles_by_agency().values())
        return Decision(True) if ok else Decision(False, NOT_MANAGER)
    if obj.__class__.__name__ in ("DuplicateFlag", "Merge"):
        return (
            Decision(True)
            if _roles(user, obj.agency_id) & MANAGERS
            else Decision(False, NOT_MANAGER)
        )
    return can_read(user, obj)


@rule("registry.manage")
def can_manage(user, obj) -> Decision:
    """Create (obj = Agency or None) or change (obj = record) records of an agency."""
    if obj is None:
        ok = any(roles & MANAGERS for roles in user.roles_by_agency().values())
        return Decision(True) if ok else Decision(False, NOT_MANAGER)
    roles = _roles(user, _agency_id(obj))
    if not roles & MANAGERS:
        return Decision(False, NOT_MANAGER)
    if getattr(obj, "access", None) == Access.CONFIDENTIAL and not roles & CONFIDENTIAL_READERS:
        return Decision(False, NOT_LEADER)
    return Decision(True)


@rule("registry.merge")
def can_merge(user, obj) -> Decision:
    """Merge duplicates, dismiss flags, undo merges: the agency's own people."""
    if obj is None:
        ok = any(roles & MANAGERS for roles in user.roles_by_agency().values())
        return Decision(True) if ok else Decision(False, NOT_MANAGER)
    return can_manage(user, obj)


def can_set_access(user, obj, access: str) -> Decision:
    """Staff choose public or restricted; only leaders and administrators set or lift Mật."""
    decision = can_manage(user, obj)
    if not decision:
        return decision
    if user.is_superuser:
        return Decision(True)
    if Access.CONFIDENTIAL in (access, getattr(obj, "access", None)) and not (
        _roles(user, _agency_id(obj)) & CONFIDENTIAL_READERS
    ):
        return Decision(False, NOT_LEADER)
    return Decision(True)


@scope_rule("registry.view")
def records_visible(user, qs):
    return visible(user, qs)


@scope_rule("registry.manage")
def records_managed(user, qs):
    agencies = user.agency_ids_with(MANAGERS)
    leaders = user.agency_ids_with(CONFIDENTIAL_READERS)
    narrowed = qs.filter(agency_id__in=agencies)
    if hasattr(qs.model, "access"):
        narrowed = narrowed.exclude(Q(access=Access.CONFIDENTIAL) & ~Q(agency_id__in=leaders))
    return narrowed


@scope_rule("registry.merge")
def records_mergeable(user, qs):
    return records_managed(user, qs)
