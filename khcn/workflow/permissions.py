"""Who may see and act on workflow records and rule sets.

A record is visible to the department's own people in its agency and to the
outside users who are parties to it (host organisation, applicant); anyone
else gets a 404. Which *step* a user may take is the rule set's business
(`roles` of each transition), checked by the engine.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khcn.accounts.models import INTERNAL_ROLES, Role
from khcn.core.permissions import Decision, role_rule, rule, scope_rule
from khcn.workflow.models import ProcessParty

# Other modules may let more people *read* a record (a council member reads the task's
# dossier): fn(user, process) -> bool. Reading only: attaching still needs a part in it.
READERS: list = []

ROLE_TABLE = {
    "workflow.manage": {Role.STAFF, Role.LEADER, Role.ADMIN},
    "workflow.migrate": {Role.STAFF, Role.LEADER},
    "workflow.waive": {Role.LEADER},
}


@rule("workflow.view")
def can_view_process(user, process) -> Decision:
    held = user.roles_by_agency()
    if process is None:
        ok = any(roles & INTERNAL_ROLES for roles in held.values()) or (
            ProcessParty.objects.filter(user=user).exists()
        )
    else:
        ok = _takes_part(user, process, held) or any(reader(user, process) for reader in READERS)
    return Decision(True) if ok else Decision(False, _("Bạn không tham gia hồ sơ này."))


def _takes_part(user, process, held) -> bool:
    return bool(held.get(process.agency_id, frozenset()) & INTERNAL_ROLES) or (
        ProcessParty.objects.filter(process_id=process.pk, user=user).exists()
    )


@rule("workflow.attach")
def can_attach(user, process) -> Decision:
    if process is not None and process.is_closed:
        return Decision(False, _("Hồ sơ đã kết thúc, không thêm tài liệu được nữa."))
    if process is not None and not _takes_part(user, process, user.roles_by_agency()):
        return Decision(False, _("Bạn không tham gia hồ sơ này."))
    return can_view_process(user, process)


role_rule(
    "workflow.manage",
    ROLE_TABLE["workflow.manage"],
    agency_of=lambda p: p.agency_id,
    reason=_("Chỉ cán bộ của Sở được quản lý hồ sơ này."),
)
role_rule(
    "workflow.migrate",
    ROLE_TABLE["workflow.migrate"],
    agency_of=lambda p: p.agency_id,
    reason=_("Chỉ chuyên viên hoặc lãnh đạo Sở được chuyển hồ sơ sang quy tắc mới."),
)
role_rule(
    "workflow.waive",
    ROLE_TABLE["workflow.waive"],
    agency_of=lambda p: p.agency_id,
    reason=_("Chỉ lãnh đạo Sở được miễn thời hạn."),
)


@rule("ruleset.view")
def can_view_rulesets(user, obj) -> Decision:
    if any(roles & INTERNAL_ROLES for roles in user.roles_by_agency().values()):
        return Decision(True)
    return Decision(False, _("Chỉ cán bộ của Sở xem được bộ quy tắc."))


@scope_rule("workflow.view")
def processes_visible(user, qs):
    agencies = user.agency_ids_with(INTERNAL_ROLES)
    parties = ProcessParty.objects.filter(user=user).values("process_id")
    return qs.filter(Q(agency_id__in=agencies) | Q(pk__in=parties))
