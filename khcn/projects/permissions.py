"""Who may see and act on S&T tasks.

The department's own people see their agency's tasks. Outside users see a task when they
are a party to its record (host, applicant, proposer) or sit, cleared of any conflict of
interest, on one of its councils; anyone else gets a 404. Which workflow *step* a user may
take is the rule set's business, checked by the engine.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khcn.accounts.models import INTERNAL_ROLES, Role
from khcn.core.permissions import Decision, role_rule, rule, scope_rule
from khcn.workflow.models import ProcessParty
from khcn.workflow.permissions import READERS

MANAGERS = {Role.STAFF, Role.LEADER, Role.ADMIN}
NOT_YOURS = _("Bạn không tham gia nhiệm vụ này.")


def _internal(user, agency_id) -> bool:
    return bool(user.roles_by_agency().get(agency_id, frozenset()) & INTERNAL_ROLES)


def _party_roles(user, project) -> set[str]:
    cache = user.__dict__.setdefault("_project_party_cache", {})
    if project.process_id not in cache:
        cache[project.process_id] = set(
            ProcessParty.objects.filter(process_id=project.process_id, user=user).values_list(
                "role", flat=True
            )
        )
    return cache[project.process_id]


def _council_seat(user, project) -> bool:
    from khcn.councils.models import CouncilMember

    return CouncilMember.objects.filter(
        council__project_id=project.pk,
        expert=user,
        removed_at__isnull=True,
        conflict=CouncilMember.Conflict.NONE,
    ).exists()


@rule("project.view")
def can_view(user, project) -> Decision:
    if project is None:
        from khcn.councils.models import CouncilMember

        ok = (
            any(r & INTERNAL_ROLES for r in user.roles_by_agency().values())
            or ProcessParty.objects.filter(user=user, process__project__isnull=False).exists()
            or CouncilMember.objects.filter(
                expert=user, removed_at__isnull=True, conflict=CouncilMember.Conflict.NONE
            ).exists()
        )
        return Decision(True) if ok else Decision(False, NOT_YOURS)
    if (
        _internal(user, project.agency_id)
        or _party_roles(user, project)
        or _council_seat(user, project)
    ):
        return Decision(True)
    return Decision(False, NOT_YOURS)


@rule("project.attach")
def can_attach(user, project) -> Decision:
    if project is not None and project.process.is_closed:
        return Decision(False, _("Nhiệm vụ đã kết thúc, không thêm tài liệu được nữa."))
    if project is not None and not (
        _internal(user, project.agency_id) or _party_roles(user, project) & {"host"}
    ):
        return Decision(False, _("Chỉ cán bộ của Sở hoặc tổ chức chủ trì được thêm tài liệu."))
    return can_view(user, project)


@rule("proposal.create")
def can_propose(user, agency) -> Decision:
    """Anyone registered may send a proposal (đề xuất đặt hàng) to a department."""
    if agency is not None and not agency.is_active:
        return Decision(False, _("Cơ quan này không còn nhận đề xuất."))
    return Decision(True)


@rule("project.apply")
def can_apply(user, project) -> Decision:
    """Outside organisations apply to a task of an open call; the department's own staff
    cannot apply to their own call."""
    if project is not None and _internal(user, project.agency_id):
        return Decision(False, _("Cán bộ của Sở không đăng ký chủ trì nhiệm vụ của Sở."))
    if project is not None and project.process.state != "CALL_OPEN":
        return Decision(False, _("Nhiệm vụ không trong đợt nhận hồ sơ."))
    return Decision(True)


@rule("project.report")
def can_report(user, project) -> Decision:
    if project is not None and "host" in _party_roles(user, project):
        return Decision(True)
    return Decision(False, _("Chỉ tổ chức chủ trì nhiệm vụ được thực hiện việc này."))


@rule("project.edit_products")
def can_edit_products(user, project) -> Decision:
    if project is not None and (
        "host" in _party_roles(user, project)
        or user.roles_by_agency().get(project.agency_id, frozenset()) & {Role.STAFF}
    ):
        return Decision(True)
    return Decision(False, _("Chỉ tổ chức chủ trì hoặc chuyên viên được sửa sản phẩm."))


role_rule(
    "project.manage",
    MANAGERS,
    agency_of=lambda p: p.agency_id,
    reason=_("Chỉ cán bộ của Sở được thực hiện việc này."),
)
role_rule(
    "call.manage",
    MANAGERS,
    agency_of=lambda a: a.pk,
    reason=_("Chỉ cán bộ của Sở được thực hiện việc này."),
)
role_rule(
    "portfolio.view",
    {Role.LEADER, Role.STAFF, Role.ADMIN},
    agency_of=lambda a: a.pk,
    reason=_("Chỉ lãnh đạo và cán bộ của Sở xem được tổng hợp."),
)


@scope_rule("project.view")
def projects_visible(user, qs):
    from khcn.councils.models import CouncilMember

    agencies = user.agency_ids_with(INTERNAL_ROLES)
    parties = ProcessParty.objects.filter(user=user).values("process_id")
    seats = CouncilMember.objects.filter(
        expert=user, removed_at__isnull=True, conflict=CouncilMember.Conflict.NONE
    ).values("council__project_id")
    return qs.filter(Q(agency_id__in=agencies) | Q(process_id__in=parties) | Q(pk__in=seats))


# --- applications (hồ sơ đăng ký tuyển chọn) -----------------------------------------------------


@rule("application.view")
def can_view_application(user, application) -> Decision:
    if application is None:
        return Decision(True)
    project = application.project
    if application.applicant_id == user.pk or _internal(user, project.agency_id):
        return Decision(True)
    from khcn.councils.models import CouncilMember

    if CouncilMember.objects.filter(
        council__project_id=project.pk,
        council__kind="selection",
        expert=user,
        removed_at__isnull=True,
        conflict=CouncilMember.Conflict.NONE,
    ).exists():
        return Decision(True)
    return Decision(False, _("Bạn không xem được hồ sơ này."))


@rule("application.attach")
def can_attach_application(user, application) -> Decision:
    if application is None:
        return Decision(True)
    if application.applicant_id == user.pk and application.project.process.state == "CALL_OPEN":
        return Decision(True)
    if _internal(user, application.project.agency_id):
        return Decision(True)
    return Decision(False, _("Hồ sơ đã khóa sau hạn nộp."))


def _council_reader(user, process) -> bool:
    """A member of one of the task's councils, cleared of conflicts, reads its dossier."""
    from khcn.councils.models import CouncilMember

    return CouncilMember.objects.filter(
        council__project__process_id=process.pk,
        expert=user,
        removed_at__isnull=True,
        conflict=CouncilMember.Conflict.NONE,
    ).exists()


READERS.append(_council_reader)
