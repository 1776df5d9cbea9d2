from django.utils.translation import gettext_lazy as _

from khcn.accounts.models import Role
from khcn.core.permissions import role_rule, scope_rule

# Leaders and administrators read their agency's audit trail.
AUDIT_READERS = {Role.LEADER, Role.ADMIN}

role_rule(
    "audit.view",
    AUDIT_READERS,
    agency_of=lambda e: e.agency_id,
    reason=_("Chỉ lãnh đạo và quản trị viên được xem nhật ký."),
)


@scope_rule("audit.view")
def events_visible(user, qs):
    return qs.filter(agency_id__in=user.agency_ids_with(AUDIT_READERS))
