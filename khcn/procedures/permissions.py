"""Who may file, see and process administrative dossiers.

The catalogue, the public status lookup and the register of valid certificates need no
login (the pages and API routes do not ask). An applicant sees only their own dossiers;
the department's staff, leaders and administrators see their agency's; anyone else gets
a 404. Which workflow step a user may take is the rule set's business (`tthc-*.toml`),
checked by the engine.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khcn.accounts.models import INTERNAL_ROLES, Role
from khcn.core.permissions import Decision, role_rule, rule, scope_rule
from khcn.workflow.models import ProcessParty

APPLICANT_ROLES = frozenset({Role.ENTERPRISE, Role.PUBLIC})
NOT_YOURS = _("Bạn không xem được hồ sơ này.")


def _internal(user, agency_id) -> bool:
    return bool(user.roles_by_agency().get(agency_id, frozenset()) & INTERNAL_ROLES)


def _applicant(user, dossier) -> bool:
    if dossier.applicant_id == user.pk:
        return True
    return ProcessParty.objects.filter(process_id=dossier.process_id, user=user).exists()


@rule("procedure.view")
def can_view_procedure(user, procedure) -> Decision:
    """The catalogue is public; inactive procedures are shown to the department only."""
    if procedure is not None and not procedure.active:
        ok = any(r & INTERNAL_ROLES for r in user.roles_by_agency().values())
        return Decision(True) if ok else Decision(False, _("Thủ tục không còn áp dụng."))
    return Decision(True)


@rule("dossier.file")
def can_file(user, procedure) -> Decision:
    """Registered enterprises and citizens file online; the department's own people register
    paper dossiers at the counter instead (`dossier.process`)."""
    held = user.roles_by_agency()
    if not any(r & APPLICANT_ROLES for r in held.values()):
        return Decision(
            False, _("Chỉ tài khoản doanh nghiệp hoặc người dân được nộp hồ sơ trực tuyến.")
        )
    if procedure is not None and not (procedure.active and procedure.online):
        return Decision(False, _("Thủ tục này không nhận hồ sơ trực tuyến."))
    return Decision(True)


@rule("dossier.view")
def can_view(user, dossier) -> Decision:
    from khcn.procedures.models import Dossier

    if dossier is not None and not isinstance(dossier, Dossier):
        # `require(user, "dossier.file" / "dossier.process", procedure or agency)` asks this
        # to tell "out of sight" (404) from "not allowed" (403): a procedure or an agency is
        # never out of sight, so a refusal there is a 403 with its reason
        return Decision(True)
    if dossier is None:
        ok = any(r & (INTERNAL_ROLES | APPLICANT_ROLES) for r in user.roles_by_agency().values())
        return Decision(True) if ok else Decision(False, NOT_YOURS)
    if _internal(user, dossier.agency_id) or _applicant(user, dossier):
        return Decision(True)
    return Decision(False, NOT_YOURS)


@rule("dossier.attach")
def can_attach(user, dossier) -> Decision:
    """Files are added while the dossier is open: by the applicant (supplements) or staff;
    once the result is issued only staff add papers (an apology letter), until it is returned."""
    if dossier is not None and (
        dossier.returned_on is not None
        or (dossier.finished_on is not None and not _internal(user, dossier.agency_id))
    ):
        return Decision(False, _("Hồ sơ đã có kết quả, không thêm tệp được nữa."))
    return can_view(user, dossier)


role_rule(
    "dossier.process",
    {Role.STAFF},
    agency_of=lambda obj: getattr(obj, "agency_id", getattr(obj, "pk", None)),
    reason=_("Chỉ chuyên viên của Sở được xử lý hồ sơ."),
)
role_rule(
    "dossier.decide",
    {Role.LEADER},
    agency_of=lambda obj: getattr(obj, "agency_id", getattr(obj, "pk", None)),
    reason=_("Chỉ lãnh đạo Sở được quyết định."),
)
role_rule(
    "dossier.statistics",
    {Role.STAFF, Role.LEADER, Role.ADMIN},
    agency_of=lambda agency: agency.pk,
    reason=_("Chỉ cán bộ, lãnh đạo Sở xem được thống kê."),
)
role_rule(
    "certificate.manage",
    {Role.STAFF, Role.LEADER},
    agency_of=lambda obj: obj.agency_id,
    reason=_("Chỉ chuyên viên hoặc lãnh đạo Sở được thay đổi giấy chứng nhận."),
)


@scope_rule("dossier.view")
def dossiers_visible(user, qs):
    agencies = user.agency_ids_with(INTERNAL_ROLES)
    parties = ProcessParty.objects.filter(user=user).values("process_id")
    return qs.filter(Q(agency_id__in=agencies) | Q(applicant=user) | Q(process_id__in=parties))
