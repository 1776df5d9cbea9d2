"""Who may read the working-day calendar and who may change its overrides.

The calendar is read by the department's own people (staff, leaders,
administrators). An agency's overrides are kept by that agency's
administrators; national overrides (no agency) by the ministry's
administrators, since only the government announces the days swapped for
everyone.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khcn.accounts.models import INTERNAL_ROLES, Agency, Role
from khcn.core.permissions import Decision, rule, scope_rule

NATIONAL = object()  # agency_of() for an override with no agency


def _agency_of(obj):
    """None for "anywhere", NATIONAL for a national override, else the agency id."""
    if obj is None:
        return None
    if isinstance(obj, Agency):
        return obj.pk
    return obj.agency_id if obj.agency_id is not None else NATIONAL


def administers_ministry(user) -> bool:
    ids = user.agency_ids_with({Role.ADMIN})
    return bool(ids) and Agency.objects.filter(pk__in=ids, kind=Agency.Kind.MINISTRY).exists()


@rule("calendar.view")
def can_view_calendar(user, obj) -> Decision:
    """An agency's calendar is seen by its own people; the national one by all of them."""
    held = user.roles_by_agency()
    agency = _agency_of(obj)
    if agency is None or agency is NATIONAL:
        ok = any(roles & INTERNAL_ROLES for roles in held.values())
    else:
        ok = bool(held.get(agency, frozenset()) & INTERNAL_ROLES)
    return Decision(True) if ok else Decision(False, _("Bạn không xem được lịch làm việc này."))


@rule("calendar.manage")
def can_manage_calendar(user, obj) -> Decision:
    agency = _agency_of(obj)
    if agency is NATIONAL:
        if administers_ministry(user):
            return Decision(True)
        return Decision(
            False, _("Chỉ quản trị viên cấp Bộ được sửa ngày nghỉ áp dụng cho mọi cơ quan.")
        )
    admin_ids = user.agency_ids_with({Role.ADMIN})
    ok = bool(admin_ids) if agency is None else agency in admin_ids
    if ok:
        return Decision(True)
    return Decision(False, _("Chỉ quản trị viên của cơ quan được sửa ngày nghỉ, ngày làm bù."))


@scope_rule("calendar.view")
def overrides_visible(user, qs):
    ids = user.agency_ids_with(INTERNAL_ROLES)
    if not ids:
        return qs.none()
    return qs.filter(Q(agency__isnull=True) | Q(agency_id__in=ids))


@scope_rule("calendar.manage")
def overrides_managed(user, qs):
    national = Q(agency__isnull=True) if administers_ministry(user) else Q(pk__in=[])
    return qs.filter(national | Q(agency_id__in=user.agency_ids_with({Role.ADMIN})))
