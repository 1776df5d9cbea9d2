"""One permission layer for pages, API and services.

`can(user, action, obj)` answers a `Decision(allowed, reason)`. Each domain app
registers the rule for its actions with `@rule("app.action")`; most rules are
"the user holds one of these roles in the object's agency" (see
`role_rule`). An object the user may not even *view* must look like a missing
object: `get_visible` and `require` raise Http404 for it, never 403.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


Rule = Callable[[Any, Any], Decision]
_RULES: dict[str, Rule] = {}
# For list pages and API lists: how to narrow a queryset to what a user may see.
_SCOPES: dict[str, Callable[[Any, QuerySet], QuerySet]] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        if action in _RULES:
            raise ValueError(f"rule {action!r} registered twice")
        _RULES[action] = fn
        return fn

    return register


def scope_rule(action: str):
    def register(fn):
        _SCOPES[action] = fn
        return fn

    return register


def registered_actions() -> list[str]:
    return sorted(_RULES)


def can(user, action: str, obj: Any = None) -> Decision:
    if user is None or not getattr(user, "is_authenticated", False):
        return Decision(False, _("Bạn cần đăng nhập."))
    if not user.is_active:
        return Decision(False, _("Tài khoản đã bị khóa."))
    try:
        fn = _RULES[action]
    except KeyError as exc:  # a typo in an action name must fail loudly, not silently deny
        raise LookupError(f"unknown permission action {action!r}") from exc
    if user.is_superuser:
        return Decision(True)
    return fn(user, obj)


def view_action(action: str) -> str:
    return action.split(".", 1)[0] + ".view"


def require(user, action: str, obj: Any = None) -> None:
    """Raise Http404 when `obj` is out of the user's sight, PermissionDenied otherwise."""
    decision = can(user, action, obj)
    if decision:
        return
    if (
        obj is not None
        and view_action(action) in _RULES
        and not can(user, view_action(action), obj)
    ):
        raise Http404(_("Không tìm thấy."))
    raise PermissionDenied(decision.reason)


def scope(user, action: str, queryset: QuerySet) -> QuerySet:
    """The part of `queryset` on which `user` may perform `action`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return _SCOPES[action](user, queryset)


def get_visible(user, action: str, queryset: QuerySet, **lookup) -> Model:
    """Fetch one object the user may `action`; anything else is a 404."""
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Không tìm thấy.")) from exc
    require(user, action, obj)
    return obj


def role_rule(action: str, roles: Iterable[str], *, agency_of: Callable[[Any], Any], reason: str):
    """Register "holds one of `roles` in the object's agency" for `action`.

    With `obj=None` the question is "may the user do this in any agency"
    (used to show a menu entry or a create button).
    """
    roles = frozenset(roles)

    @rule(action)
    def check(user, obj) -> Decision:
        held = user.roles_by_agency()
        if obj is None:
            ok = any(held_roles & roles for held_roles in held.values())
        else:
            agency_id = agency_of(obj)
            ok = bool(held.get(agency_id, frozenset()) & roles)
        return Decision(True) if ok else Decision(False, reason)

    return check
