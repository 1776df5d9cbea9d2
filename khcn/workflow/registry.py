"""Guards, effects and document generators, by the name a rule file uses.

A domain app registers its functions once, at start-up:

    @guard("council_passed")
    def council_passed(ctx, *, minimum="DAT") -> str | None:
        ...            # None when the condition holds, else the reason in Vietnamese

    @effect("copy_field")
    def copy_field(ctx, *, source, target) -> None: ...

The loader refuses a rule set that names a function nobody registered, so a
typo in a rule file is caught when the file is checked, not when a record
reaches that step.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

GUARDS: dict[str, Callable] = {}
EFFECTS: dict[str, Callable] = {}
DOCUMENTS: dict[str, Callable] = {}
# checkers of a rule set's `[rules.*]` tables: fn(rules: dict) -> list of Vietnamese errors
RULE_CHECKS: list[Callable] = []
# fn(process, action) called after every step, start and migration, inside the transaction,
# once the state and deadlines are stored: a domain app copies what its lists index
STEP_HOOKS: list[Callable] = []


@dataclass
class Context:
    """What a guard or effect sees: the record, its subject, the actor and the filled fields."""

    process: Any
    user: Any
    action: str
    data: dict = field(default_factory=dict)  # the fields the actor filled for this action
    today: Any = None
    subject: Any = None

    def value(self, name: str):
        """A field's value: this action's input first, then the record's data, then the subject."""
        if name in self.data:
            return self.data[name]
        stored = self.process.data or {}
        if name in stored:
            return stored[name]
        return getattr(self.subject, name, None) if self.subject is not None else None


def _register(table: dict, kind: str, name: str):
    def decorate(fn):
        if name in table and table[name] is not fn:
            raise ValueError(f"{kind} {name!r} registered twice")
        table[name] = fn
        return fn

    return decorate


def guard(name: str):
    return _register(GUARDS, "guard", name)


def effect(name: str):
    return _register(EFFECTS, "effect", name)


def document(name: str):
    """A generator `fn(ctx) -> (title, filename, bytes)`; the engine files the result."""
    return _register(DOCUMENTS, "document", name)


def after_step(fn):
    """Register `fn(process, action)`, run after each step (action "_start" / "_migrate" too)."""
    if fn not in STEP_HOOKS:
        STEP_HOOKS.append(fn)
    return fn


def rule_check(fn):
    """Register a checker for the `[rules.*]` tables a domain app reads."""
    if fn not in RULE_CHECKS:
        RULE_CHECKS.append(fn)
    return fn
