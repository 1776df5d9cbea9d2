"""The workflow engine: the only code that changes a record's state.

`available_actions(user, process)` lists what the user may do now (and, for
steps the user's role may take but whose conditions fail, why not);
`perform(...)` does one step: it locks the row, checks the step is allowed
from the current state, the user's role and permission, the filled fields and
the guards, applies the effects, writes the history entry and the audit event,
recomputes the deadlines and notifies the people concerned once the
transaction commits. Anything refused is explained in Vietnamese.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from khcn.accounts.models import INTERNAL_ROLES, Role
from khcn.audit.models import AuditAction
from khcn.audit.services import record
from khcn.core import clock
from khcn.core.errors import ConflictError, DomainError
from khcn.core.permissions import can, require
from khcn.workflow import registry
from khcn.workflow.deadlines import deadlines_sync, next_due_refresh
from khcn.workflow.definition import Field, Transition
from khcn.workflow.fields import FieldErrors, clean_fields
from khcn.workflow.loader import current_version
from khcn.workflow.models import Deadline, Process, ProcessEvent, ProcessParty, RuleSetVersion

# History entries the engine writes itself; rule files may not use names starting with "_".
START, MIGRATE, WAIVE = "_start", "_migrate", "_waive"


@dataclass(frozen=True)
class ActionOption:
    transition: Transition
    allowed: bool
    reason: str = ""

    @property
    def action(self) -> str:
        return self.transition.action

    @property
    def label(self) -> str:
        return self.transition.label

    @property
    def fields(self) -> tuple[Field, ...]:
        return self.transition.fields


def party_roles(user, process: Process) -> frozenset[str]:
    """The user's roles on this record: the agency's staff roles plus the record's own parties."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = process.__dict__.setdefault("_roles_cache", {})
    if user.pk not in cache:
        held = user.roles_by_agency().get(process.agency_id, frozenset()) & INTERNAL_ROLES
        parties = frozenset(
            ProcessParty.objects.filter(process=process, user=user).values_list("role", flat=True)
        )
        cache[user.pk] = frozenset(held) | parties
    return cache[user.pk]


def _input_dependent(call, transition: Transition) -> bool:
    """A guard about this step's own fields can only be judged once they are filled."""
    names = {f.name for f in transition.fields}
    return any(isinstance(v, str) and v in names for v in call.params.values())


def _check_guards(ctx: registry.Context, transition: Transition, *, with_input: bool):
    for call in transition.guards:
        if not with_input and _input_dependent(call, transition):
            continue
        reason = registry.GUARDS[call.name](ctx, **call.params)
        if reason:
            return reason
    return None


def available_actions(
    user, process: Process, *, today: dt.date | None = None
) -> list[ActionOption]:
    """Steps the user's roles may take from the record's current state, each allowed or with a reason.

    Steps for other roles are not listed; a step listed as refused failed a
    condition the user can fix (a missing document, a date too late).
    """
    if process.is_closed or not can(user, "workflow.view", process):
        return []
    roles = party_roles(user, process)
    ctx = registry.Context(
        process=process, user=user, action="", today=today or clock.today(), subject=process.subject
    )
    options = []
    for transition in process.rules.transitions_from(process.state):
        if transition.system or not (transition.roles & roles or user.is_superuser):
            continue
        ctx.action = transition.action
        reason = _check_guards(ctx, transition, with_input=False)
        options.append(ActionOption(transition, allowed=reason is None, reason=reason or ""))
    return options


def _lock(process: Process | int) -> Process:
    pk = process.pk if isinstance(process, Process) else process
    return Process.objects.select_for_update().select_related("ruleset", "agency").get(pk=pk)


def _next_event(process: Process, *, action, label, from_state, actor, data, remark, now):
    process.revision += 1
    return ProcessEvent.objects.create(
        process=process,
        seq=process.revision,
        action=action,
        label=label,
        from_state=from_state,
        to_state=process.state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        data=data,
        remark=remark,
        ruleset=process.ruleset,
        at=now,
    )


@transaction.atomic
def perform(
    *,
    user,
    process: Process | int,
    action: str,
    data: dict | None = None,
    remark: str = "",
    expected_state: str | None = None,
    today: dt.date | None = None,
    request=None,
    system: bool = False,
) -> Process:
    """Take one step on a record; the only way a state changes.

    Refusals: 404 if the record is out of the user's sight, 409 if the record
    is no longer in the state the user saw (someone else acted first), 403 if
    the user's role may not take this step, 422 for badly filled fields, 400
    when a guard's condition fails. `system=True` is the daily job running a
    missed deadline's consequence; it needs no user.
    """
    process = _lock(process)
    today = today or clock.today()
    if not system:
        require(user, "workflow.view", process)
    rules = process.rules
    transition = rules.transition(action)
    if transition is None:
        raise DomainError(_("Không có thao tác «%(a)s» trong quy trình này.") % {"a": action})
    if expected_state and process.state != expected_state:
        raise ConflictError(
            _("Hồ sơ vừa được chuyển sang bước «%(s)s»; hãy tải lại trang rồi thao tác lại.")
            % {"s": process.state_label}
        )
    if process.is_closed or process.state not in transition.sources:
        raise ConflictError(
            _("Hồ sơ đang ở bước «%(s)s», không thể «%(a)s».")
            % {"s": process.state_label, "a": transition.label}
        )
    if transition.system and not system:
        raise PermissionDenied(
            _("Bước «%(a)s» do hệ thống tự thực hiện.") % {"a": transition.label}
        )
    if not system and not user.is_superuser and not (transition.roles & party_roles(user, process)):
        labels = ", ".join(str(Role(r).label) for r in sorted(transition.roles))
        raise PermissionDenied(
            _("Chỉ %(r)s được thực hiện bước «%(a)s».") % {"r": labels, "a": transition.label}
        )
    clean = clean_fields(transition.fields, data or {})
    remark = (remark or "").strip()
    if transition.remark == "required" and not remark:
        raise FieldErrors({"remark": _("Cần ghi ý kiến hoặc lý do.")})
    ctx = registry.Context(
        process=process,
        user=user,
        action=action,
        data=clean,
        today=today,
        subject=process.subject,
    )
    reason = _check_guards(ctx, transition, with_input=True)
    if reason:
        raise DomainError(reason, code="guard")

    before = {"state": process.state, "data": dict(process.data)}
    now = clock.now()
    process.data = {**process.data, **clean}
    for call in transition.effects:
        registry.EFFECTS[call.name](ctx, **call.params)
    from_state = process.state
    process.state = transition.target
    process.state_entered_at = now
    if rules.state(transition.target).terminal:
        process.closed_at = now
    actor = None if system else user
    event = _next_event(
        process,
        action=action,
        label=transition.label,
        from_state=from_state,
        actor=actor,
        data=clean,
        remark=remark,
        now=now,
    )
    process.save()
    for call in transition.documents:
        _file_document(ctx, call, actor)
    deadlines_sync(process, today=today)
    _after_step(process, action)
    record(
        actor=actor,
        action=AuditAction.PROCESS_TRANSITION,
        obj=process,
        before=before,
        after={"state": process.state, "action": action, "data": process.data, "event": event.seq},
        request=request,
    )
    _notify_step(process, transition, actor)
    return process


def _after_step(process: Process, action: str) -> None:
    for hook in registry.STEP_HOOKS:
        hook(process, action)


def _file_document(ctx, call, actor) -> None:
    from khcn.core.files import NamedBytes
    from khcn.core.services import attachment_create

    made = registry.DOCUMENTS[call.name](ctx, **call.params)
    if made is None:  # the generator has nothing to fill it from (a record with no subject)
        return
    title, filename, content = made
    attachment_create(
        actor=actor,
        agency=ctx.process.agency,
        title=title,
        upload=NamedBytes(content, filename),
        owner=ctx.process,
    )


def process_data_record(*, process: Process, values: dict) -> None:
    """Store facts another module established (a council's conclusion, a contract's id, money
    disbursed) on the record, where the rule set's guards read them. Not a state change: the
    caller's own service writes the audit event, in the same transaction."""
    locked = _lock(process)
    locked.data = {**locked.data, **values}
    locked.save(update_fields=["data"])
    if isinstance(process, Process):
        process.data = locked.data


def recipients(process: Process, roles) -> list:
    """Users holding `roles` for this record: the agency's staff roles and the record's parties."""
    from khcn.accounts.models import User

    roles = set(roles)
    internal = roles & INTERNAL_ROLES
    users = {}
    if internal:
        for user in User.objects.filter(
            is_active=True,
            memberships__agency_id=process.agency_id,
            memberships__role__in=internal,
        ).distinct():
            users[user.pk] = user
    outside = roles - INTERNAL_ROLES
    if outside:
        for party in ProcessParty.objects.filter(process=process, role__in=outside).select_related(
            "user"
        ):
            users[party.user_id] = party.user
    return list(users.values())


def _notify_step(process: Process, transition: Transition, actor) -> None:
    from khcn.notifications.models import Kind
    from khcn.notifications.services import notify

    if not transition.notify:
        return
    people = [
        u for u in recipients(process, transition.notify) if actor is None or u.pk != actor.pk
    ]
    notify(
        recipients=people,
        kind=Kind.WORKFLOW_STEP,
        title=_("%(t)s: %(s)s") % {"t": process.title[:180], "s": process.state_label},
        body=_("Bước «%(a)s» đã được thực hiện.") % {"a": transition.label},
        url=process_url(process),
        agency=process.agency,
    )


def process_url(process: Process) -> str:
    """The record's page; a record about a domain object (a task) opens that object's page."""
    from django.urls import NoReverseMatch, reverse

    if process.subject_type_id and process.subject_id:
        ct = ContentType.objects.get_for_id(process.subject_type_id)
        try:
            return reverse(f"{ct.model}-detail", args=[process.subject_id])
        except NoReverseMatch:
            pass
    return reverse("process-detail", args=[process.pk])


@transaction.atomic
def process_start(
    *,
    actor,
    agency,
    ruleset: str | RuleSetVersion,
    title: str,
    subject=None,
    data: dict | None = None,
    parties: list[tuple] = (),
    reference: str = "",
    today: dt.date | None = None,
) -> Process:
    """Start a record on the current version of a rule set (or the version given)."""
    version = ruleset if isinstance(ruleset, RuleSetVersion) else current_version(ruleset)
    rules = version.rules
    now = clock.now()
    process = Process(
        agency=agency,
        ruleset=version,
        title=title,
        reference=reference,
        state=rules.initial,
        state_entered_at=now,
        data=dict(data or {}),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if subject is not None:
        process.subject_type = ContentType.objects.get_for_model(subject)
        process.subject_id = str(subject.pk)
    process.save()
    for user, role in parties:
        ProcessParty.objects.create(process=process, user=user, role=role)
    _next_event(
        process,
        action=START,
        label=_("Bắt đầu"),
        from_state="",
        actor=actor,
        data=process.data,
        remark="",
        now=now,
    )
    process.save(update_fields=["revision"])
    deadlines_sync(process, today=today or clock.today())
    _after_step(process, START)
    record(
        actor=actor,
        action=AuditAction.PROCESS_STARTED,
        obj=process,
        after={"ruleset": str(version), "state": process.state, "data": process.data},
    )
    return process


@transaction.atomic
def process_migrate(
    *,
    actor,
    process: Process | int,
    state_map: dict[str, str] | None = None,
    remark: str = "",
    today: dt.date | None = None,
    request=None,
) -> Process:
    """Move a running record to the current version of its rule set, on a staff member's decision.

    A record keeps the rules it started under until someone migrates it; the
    state is kept (or mapped by `state_map`) and the deadlines are recomputed
    under the new rules.
    """
    process = _lock(process)
    require(actor, "workflow.migrate", process)
    target = current_version(process.ruleset.code)
    if target.pk == process.ruleset_id:
        raise DomainError(_("Hồ sơ đã theo phiên bản quy tắc mới nhất."))
    new_state = (state_map or {}).get(process.state, process.state)
    if new_state not in target.rules.states:
        raise DomainError(
            _("Bước «%(s)s» không có trong phiên bản %(v)d; hãy chọn bước tương ứng.")
            % {"s": process.state_label, "v": target.version}
        )
    before = {"ruleset": str(process.ruleset), "state": process.state}
    from_state = process.state
    old_label = str(process.ruleset)
    process.ruleset = target
    process.__dict__.pop("rules", None)
    process.state = new_state
    now = clock.now()
    _next_event(
        process,
        action=MIGRATE,
        label=_("Chuyển từ %(a)s sang %(b)s") % {"a": old_label, "b": str(target)},
        from_state=from_state,
        actor=actor,
        data={},
        remark=remark,
        now=now,
    )
    if target.rules.state(new_state).terminal and process.closed_at is None:
        process.closed_at = now
    process.save()
    deadlines_sync(process, today=today or clock.today())
    _after_step(process, MIGRATE)
    record(
        actor=actor,
        action=AuditAction.PROCESS_MIGRATED,
        obj=process,
        before=before,
        after={"ruleset": str(target), "state": new_state},
        request=request,
    )
    return process


@transaction.atomic
def deadline_waive(*, actor, deadline: Deadline, reason: str, request=None) -> Deadline:
    """A leader lifts a time limit for one record, with a written reason (audited)."""
    deadline = Deadline.objects.select_for_update().select_related("process").get(pk=deadline.pk)
    require(actor, "workflow.waive", deadline.process)
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors({"reason": _("Cần ghi lý do miễn thời hạn.")})
    if deadline.closed_on is not None or deadline.status == Deadline.Status.WAIVED:
        raise ConflictError(_("Thời hạn này đã kết thúc."))
    before = {"status": deadline.status, "due": deadline.due}
    # The waived row stays the rule's active row until the record leaves the rule's states,
    # so moving between those states does not open the limit again.
    deadline.status = Deadline.Status.WAIVED
    deadline.waived_by = actor
    deadline.note = reason
    deadline.save()
    next_due_refresh(deadline.process)
    _after_step(deadline.process, WAIVE)
    record(
        actor=actor,
        action=AuditAction.DEADLINE_WAIVED,
        obj=deadline.process,
        before=before,
        after={"deadline": deadline.key, "status": deadline.status, "reason": reason},
        request=request,
    )
    return deadline


@transaction.atomic
def party_add(*, actor, process: Process, user, role: str, request=None) -> ProcessParty:
    """Give an outside user a role on one record (e.g. the host organisation's contact)."""
    require(actor, "workflow.manage", process)
    if role in INTERNAL_ROLES or role not in Role.values:
        raise DomainError(_("Vai trò «%(r)s» không dùng cho người tham gia hồ sơ.") % {"r": role})
    party, created = ProcessParty.objects.get_or_create(process=process, user=user, role=role)
    if not created:
        raise DomainError(_("Người này đã có vai trò đó trong hồ sơ."))
    record(
        actor=actor,
        action=AuditAction.PROCESS_PARTY_ADDED,
        obj=process,
        after={"user": user.username, "role": role},
        request=request,
    )
    return party


__all__ = [
    "ActionOption",
    "FieldErrors",
    "available_actions",
    "deadline_waive",
    "party_add",
    "perform",
    "process_migrate",
    "process_start",
]
