"""Who may see and run councils.

The department's own people see their agency's councils; an expert sees the councils they
sit on (a member who declared a conflict no longer does). Council documents (decision,
minutes) follow the council.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khcn.accounts.models import INTERNAL_ROLES, Role
from khcn.core.permissions import Decision, role_rule, rule, scope_rule
from khcn.councils.models import CouncilMember


def _seat(user, council):
    return council.members.filter(expert=user, removed_at__isnull=True).first()


@rule("council.view")
def can_view(user, council) -> Decision:
    if council is None:
        ok = any(r & INTERNAL_ROLES for r in user.roles_by_agency().values()) or (
            CouncilMember.objects.filter(expert=user, removed_at__isnull=True).exists()
        )
        return Decision(True) if ok else Decision(False, _("Bạn không tham gia hội đồng nào."))
    if user.roles_by_agency().get(council.agency_id, frozenset()) & INTERNAL_ROLES:
        return Decision(True)
    if _seat(user, council) is not None:
        return Decision(True)
    return Decision(False, _("Bạn không phải thành viên hội đồng này."))


@rule("council.vote")
def can_vote(user, council) -> Decision:
    seat = _seat(user, council) if council is not None else None
    if seat is None:
        return Decision(False, _("Bạn không phải thành viên hội đồng này."))
    if council.state != "open":
        return Decision(False, _("Hội đồng chưa mở hoặc đã kết luận."))
    if seat.conflict != CouncilMember.Conflict.NONE:
        return Decision(False, _("Hãy khai báo xung đột lợi ích trước khi đọc hồ sơ và chấm."))
    return Decision(True)


role_rule(
    "council.manage",
    {Role.STAFF, Role.LEADER, Role.ADMIN},
    agency_of=lambda c: c.agency_id,
    reason=_("Chỉ cán bộ của Sở được quản lý hội đồng."),
)


@scope_rule("council.view")
def councils_visible(user, qs):
    agencies = user.agency_ids_with(INTERNAL_ROLES)
    seats = CouncilMember.objects.filter(expert=user, removed_at__isnull=True).values("council_id")
    return qs.filter(Q(agency_id__in=agencies) | Q(pk__in=seats))
