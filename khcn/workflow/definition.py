"""Rule sets: the states, transitions and deadline rules of one legal basis, as data.

A rule file (TOML, in `khcn/workflow/rulesets/`) is read into a plain dict,
merged with the file it `extends`, validated, and stored in the database as a
numbered version. This module turns that dict into typed objects and lists
everything wrong with it, in Vietnamese, so that `khcn rules check` can show
every problem at once.

The schema, by example:

    code = "vn-2013"
    title = "…"
    subject = "project"                      # what kind of record follows these rules
    initial = "PROPOSED"
    [[sources]]  ref = "TT 11/2014/TT-BKHCN"  title = "…"
    [states.PROPOSED]  label = "…"  public_label = "…"  terminal = false
    [[transitions]]
    action = "order"  label = "…"  from = ["PROPOSED"]  to = "ORDERED"  roles = ["leader"]
    guards = ["name", {name = "data_in", field = "rating", values = ["DAT"]}]
    effects = [{name = "copy_field", source = "new_end_date", target = "end_date"}]
    fields = [{name = "decision_no", label = "…", type = "text", required = true}]
    notify = ["host"]  documents = []  system = false  source = "TT 06/2023 Đ12"
    optional = false    # true: an exceptional step (suspend, ask for a change); nobody waits for it
    [[deadlines]]
    key = "acceptance_dossier"  label = "…"  states = ["IN_PROGRESS"]
    anchor = "field:end_date"  offset = 30  unit = "working"  direction = "before"
    offset_field = ""   # a data field that, when filled, replaces `offset` for this record
    responsible = "host"  remind_before = 5  escalate = true  on_missed = "auto_fail"
    cap = "end_of_year"  paused_in = []  source = "QĐ 05/2021/QĐ-UBND"

A child file (`extends = "vn-2013"`) replaces the parent's states, transitions
and deadlines that have the same code/action/key, adds new ones, and may list
`remove_transitions` / `remove_deadlines`.
"""

import datetime as dt
import tomllib
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

FIELD_TYPES = ("text", "textarea", "date", "integer", "money", "choice", "boolean")
UNITS = ("working", "calendar", "months")
DIRECTIONS = ("before", "after")
CAPS = ("", "end_of_year")


class RuleSetInvalid(Exception):
    """Everything wrong with a rule file, one Vietnamese sentence per problem."""

    def __init__(self, errors: list[str], *, name: str = "") -> None:
        self.errors = errors
        self.name = name
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class State:
    code: str
    label: str
    public_label: str
    terminal: bool = False


@dataclass(frozen=True)
class Call:
    """A guard, effect or document named in a rule file, with its parameters."""

    name: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    guards: tuple[Call, ...] = ()
    effects: tuple[Call, ...] = ()
    fields: tuple[Field, ...] = ()
    documents: tuple[Call, ...] = ()
    notify: tuple[str, ...] = ()
    system: bool = False  # performed only by the engine (a missed deadline's consequence)
    optional: bool = False  # an exceptional step (suspend, ask for a change): nobody waits for it
    remark: str = "optional"  # optional | required | none
    source: str = ""
    style: str = "primary"


@dataclass(frozen=True)
class DeadlineRule:
    key: str
    label: str
    states: tuple[str, ...]
    anchor: str  # "entered" | "field:<name>" | "deadline:<key>"
    offset: int
    unit: str = "working"
    direction: str = "after"
    responsible: str = "staff"
    remind_before: int = 0  # working days; 0 = no reminder
    escalate: bool = False
    on_missed: str = ""  # a system transition's action, run when the deadline is missed
    cap: str = ""
    paused_in: tuple[str, ...] = ()
    source: str = ""
    anchor_label: str = ""  # the anchor field's label, from the step that fills it
    # a record's data field holding its own offset (a procedure's longer limit when experts are
    # consulted); `offset` applies while the field is empty
    offset_field: str = ""

    @property
    def anchor_kind(self) -> str:
        return self.anchor.split(":", 1)[0]

    @property
    def anchor_name(self) -> str:
        return self.anchor.split(":", 1)[1] if ":" in self.anchor else ""


@dataclass(frozen=True)
class RuleSet:
    code: str
    title: str
    subject: str
    initial: str
    states: dict[str, State]
    transitions: tuple[Transition, ...]
    deadlines: tuple[DeadlineRule, ...]
    sources: tuple[dict, ...] = ()
    extends: str = ""
    effective_from: dt.date | None = None
    short_title: str = ""
    # `[rules.<section>]` tables: thresholds, sizes and periods read by domain code
    # (council sizes, scoring shares, eligibility periods), checked by `registry.RULE_CHECKS`
    rules: dict = field(default_factory=dict)

    def state(self, code: str) -> State:
        return self.states.get(code) or State(code, code, code)

    def transitions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def transition(self, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action), None)

    def deadline(self, key: str) -> DeadlineRule | None:
        return next((d for d in self.deadlines if d.key == key), None)

    def roles_acting_in(self, state: str) -> frozenset[str]:
        roles: set[str] = set()
        for t in self.transitions_from(state):
            if not (t.system or t.optional):
                roles |= t.roles
        return frozenset(roles)


# --- reading and merging files -------------------------------------------------------------


def read_file(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise RuleSetInvalid(
            [_("Tệp không đúng cú pháp TOML: %(e)s") % {"e": exc}], name=path.name
        ) from exc
    except OSError as exc:
        raise RuleSetInvalid(
            [_("Không đọc được tệp: %(e)s") % {"e": exc.strerror}], name=str(path)
        ) from exc


def _by(items: list, key: str) -> dict:
    return {item.get(key): item for item in items if isinstance(item, dict)}


def _deep_merge(parent: dict, child: dict) -> dict:
    out = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            value = _deep_merge(out[key], value)
        out[key] = value
    return out


def merge(parent: dict, child: dict) -> dict:
    """The child file applied on top of its parent (parent's order kept, new items appended)."""
    merged = {k: v for k, v in parent.items() if k not in ("code", "title", "extends")}
    for key, value in child.items():
        if key in ("states", "transitions", "deadlines", "remove_transitions", "remove_deadlines"):
            continue
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            value = _deep_merge(merged[key], value)
        merged[key] = value
    merged["states"] = {**parent.get("states", {}), **child.get("states", {})}
    for section, key, removed in (
        ("transitions", "action", "remove_transitions"),
        ("deadlines", "key", "remove_deadlines"),
    ):
        items = _by(parent.get(section, []), key)
        for item in child.get(section, []):
            items[item.get(key)] = item
        for gone in child.get(removed, []):
            items.pop(gone, None)
        merged[section] = list(items.values())
    merged["sources"] = [*parent.get("sources", []), *child.get("sources", [])]
    merged["extends"] = child.get("extends", "")
    return merged


def resolve(raw: dict, lookup) -> dict:
    """Follow `extends` (lookup(code) -> raw dict of the parent, or None)."""
    seen = {raw.get("code")}
    resolved = raw
    parent_code = raw.get("extends")
    chain = []
    while parent_code:
        if parent_code in seen:
            raise RuleSetInvalid([_("Kế thừa vòng tròn qua «%(c)s».") % {"c": parent_code}])
        seen.add(parent_code)
        parent = lookup(parent_code)
        if parent is None:
            raise RuleSetInvalid(
                [_("Bộ quy tắc cha «%(c)s» (extends) không tồn tại.") % {"c": parent_code}]
            )
        chain.append(parent)
        parent_code = parent.get("extends")
    for parent in chain:  # nearest parent first
        resolved = merge(parent, resolved) | {
            "code": raw.get("code"),
            "title": raw.get("title"),
        }
    if chain:
        resolved["extends"] = raw.get("extends")
    return resolved


# --- parsing and validation ----------------------------------------------------------------


def _calls(value, where: str, errors: list[str]) -> tuple[Call, ...]:
    calls = []
    for item in value or []:
        if isinstance(item, str):
            calls.append(Call(item))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            calls.append(Call(item["name"], {k: v for k, v in item.items() if k != "name"}))
        else:
            errors.append(_("%(w)s: mỗi mục phải là tên hoặc bảng có «name».") % {"w": where})
    return tuple(calls)


def _fields(value, where: str, errors: list[str]) -> tuple[Field, ...]:
    fields = []
    for item in value or []:
        if not isinstance(item, dict) or not item.get("name") or not item.get("label"):
            errors.append(_("%(w)s: trường nhập cần «name» và «label».") % {"w": where})
            continue
        ftype = item.get("type", "text")
        if ftype not in FIELD_TYPES:
            errors.append(
                _("%(w)s: trường «%(f)s» có kiểu «%(t)s» không hợp lệ (dùng: %(ok)s).")
                % {"w": where, "f": item["name"], "t": ftype, "ok": ", ".join(FIELD_TYPES)}
            )
        choices = item.get("choices") or []
        pairs = []
        for choice in choices:
            if isinstance(choice, list | tuple) and len(choice) == 2:
                pairs.append((str(choice[0]), str(choice[1])))
            else:
                pairs.append((str(choice), str(choice)))
        if ftype == "choice" and not pairs:
            errors.append(
                _("%(w)s: trường «%(f)s» kiểu lựa chọn cần «choices».")
                % {"w": where, "f": item["name"]}
            )
        fields.append(
            Field(
                name=item["name"],
                label=item["label"],
                type=ftype,
                required=bool(item.get("required", False)),
                choices=tuple(pairs),
                help=item.get("help", ""),
            )
        )
    names = [f.name for f in fields]
    for name in {n for n in names if names.count(n) > 1}:
        errors.append(_("%(w)s: trường «%(f)s» khai báo hai lần.") % {"w": where, "f": name})
    return tuple(fields)


def _as_list(value) -> list:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def parse(raw: dict, *, roles: frozenset[str], guards, effects, documents) -> RuleSet:
    """Typed rule set from a resolved dict; raises RuleSetInvalid listing every problem."""
    errors: list[str] = []
    for key in ("code", "title", "initial", "subject"):
        if not raw.get(key):
            errors.append(_("Thiếu khóa bắt buộc «%(k)s».") % {"k": key})

    states: dict[str, State] = {}
    for code, spec in (raw.get("states") or {}).items():
        if not isinstance(spec, dict) or not spec.get("label"):
            errors.append(_("Trạng thái «%(s)s» thiếu nhãn «label».") % {"s": code})
            continue
        states[code] = State(
            code=code,
            label=spec["label"],
            public_label=spec.get("public_label") or spec["label"],
            terminal=bool(spec.get("terminal", False)),
        )
    if not states:
        errors.append(_("Bộ quy tắc không có trạng thái nào."))
    initial = raw.get("initial", "")
    if initial and states and initial not in states:
        errors.append(_("Trạng thái ban đầu «%(s)s» không có trong danh sách.") % {"s": initial})

    transitions: list[Transition] = []
    seen_actions: set[str] = set()
    for i, spec in enumerate(raw.get("transitions") or [], start=1):
        action = spec.get("action") or ""
        where = _("Chuyển bước «%(a)s»") % {"a": action or f"#{i}"}
        if not action or not spec.get("label"):
            errors.append(_("%(w)s: thiếu «action» hoặc «label».") % {"w": where})
        if action.startswith("_"):
            errors.append(_("%(w)s: mã hành động không được bắt đầu bằng «_».") % {"w": where})
        if action in seen_actions:
            errors.append(_("%(w)s: mã hành động bị trùng.") % {"w": where})
        seen_actions.add(action)
        sources = tuple(_as_list(spec.get("from")))
        target = spec.get("to", "")
        if not sources:
            errors.append(_("%(w)s: thiếu trạng thái đi «from».") % {"w": where})
        for s in sources:
            if s not in states:
                errors.append(
                    _("%(w)s: trạng thái đi «%(s)s» không có trong danh sách trạng thái.")
                    % {"w": where, "s": s}
                )
            elif states[s].terminal:
                errors.append(
                    _("%(w)s: «%(s)s» là trạng thái kết thúc, không thể đi tiếp.")
                    % {"w": where, "s": s}
                )
        if target not in states:
            errors.append(
                _("%(w)s: trạng thái đích «%(s)s» không có trong danh sách trạng thái.")
                % {"w": where, "s": target}
            )
        system = bool(spec.get("system", False))
        spec_roles = frozenset(_as_list(spec.get("roles")))
        if not spec_roles and not system:
            errors.append(_("%(w)s: thiếu vai trò được thực hiện «roles».") % {"w": where})
        for role in spec_roles - roles:
            errors.append(_("%(w)s: vai trò «%(r)s» không tồn tại.") % {"w": where, "r": role})
        for role in set(_as_list(spec.get("notify"))) - roles:
            errors.append(
                _("%(w)s: vai trò nhận thông báo «%(r)s» không tồn tại.") % {"w": where, "r": role}
            )
        t_guards = _calls(spec.get("guards"), where, errors)
        t_effects = _calls(spec.get("effects"), where, errors)
        t_docs = _calls(spec.get("documents"), where, errors)
        for calls, table, label in (
            (t_guards, guards, _("điều kiện")),
            (t_effects, effects, _("tác động")),
            (t_docs, documents, _("mẫu văn bản")),
        ):
            for call in calls:
                if call.name not in table:
                    errors.append(
                        _("%(w)s: %(k)s «%(n)s» chưa được đăng ký trong hệ thống.")
                        % {"w": where, "k": label, "n": call.name}
                    )
        if system and spec.get("documents"):
            errors.append(
                _("%(w)s: bước do hệ thống tự thực hiện không tạo văn bản.") % {"w": where}
            )
        remark = spec.get("remark", "optional")
        if remark not in ("optional", "required", "none"):
            errors.append(_("%(w)s: «remark» phải là optional, required hoặc none.") % {"w": where})
        transitions.append(
            Transition(
                action=action,
                label=spec.get("label", action),
                sources=sources,
                target=target,
                roles=spec_roles,
                guards=t_guards,
                effects=t_effects,
                fields=_fields(spec.get("fields"), where, errors),
                documents=t_docs,
                notify=tuple(_as_list(spec.get("notify"))),
                system=system,
                optional=bool(spec.get("optional", False)),
                remark=remark,
                source=spec.get("source", ""),
                style=spec.get("style", "primary"),
            )
        )

    by_action = {t.action: t for t in transitions}
    field_labels = {f.name: f.label for t in transitions for f in t.fields}
    deadlines: list[DeadlineRule] = []
    keys = [d.get("key") for d in raw.get("deadlines") or []]
    deadline_labels = {d.get("key"): d.get("label", "") for d in raw.get("deadlines") or []}
    for spec in raw.get("deadlines") or []:
        key = spec.get("key") or ""
        where = _("Thời hạn «%(k)s»") % {"k": key or "?"}
        if not key or not spec.get("label"):
            errors.append(_("%(w)s: thiếu «key» hoặc «label».") % {"w": where})
        if keys.count(key) > 1:
            errors.append(_("%(w)s: mã thời hạn bị trùng.") % {"w": where})
        d_states = tuple(_as_list(spec.get("states")))
        paused = tuple(_as_list(spec.get("paused_in")))
        if not d_states:
            errors.append(_("%(w)s: thiếu các trạng thái áp dụng «states».") % {"w": where})
        for s in (*d_states, *paused):
            if s not in states:
                errors.append(
                    _("%(w)s: trạng thái «%(s)s» không có trong danh sách trạng thái.")
                    % {"w": where, "s": s}
                )
        anchor = spec.get("anchor", "entered")
        kind = anchor.split(":", 1)[0]
        if kind not in ("entered", "field", "deadline") or (
            kind != "entered" and not anchor.partition(":")[2]
        ):
            errors.append(
                _("%(w)s: mốc «%(a)s» không hợp lệ (entered, field:<tên>, deadline:<mã>).")
                % {"w": where, "a": anchor}
            )
        elif kind == "deadline" and anchor.partition(":")[2] not in keys:
            errors.append(
                _("%(w)s: mốc là thời hạn «%(k)s» không tồn tại.")
                % {"w": where, "k": anchor.partition(":")[2]}
            )
        offset = spec.get("offset")
        if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
            errors.append(_("%(w)s: «offset» phải là số nguyên không âm.") % {"w": where})
            offset = 0
        unit = spec.get("unit", "working")
        if unit not in UNITS:
            errors.append(
                _("%(w)s: đơn vị «%(u)s» không hợp lệ (dùng: %(ok)s).")
                % {"w": where, "u": unit, "ok": ", ".join(UNITS)}
            )
        direction = spec.get("direction", "after")
        if direction not in DIRECTIONS:
            errors.append(
                _("%(w)s: «direction» là «%(d)s», phải là before hoặc after.")
                % {"w": where, "d": direction}
            )
        cap = spec.get("cap", "")
        if cap not in CAPS:
            errors.append(_("%(w)s: giới hạn «%(c)s» không hợp lệ.") % {"w": where, "c": cap})
        responsible = spec.get("responsible", "staff")
        if responsible not in roles:
            errors.append(
                _("%(w)s: vai trò chịu trách nhiệm «%(r)s» không tồn tại.")
                % {"w": where, "r": responsible}
            )
        on_missed = spec.get("on_missed", "")
        if on_missed:
            t = by_action.get(on_missed)
            if t is None:
                errors.append(
                    _("%(w)s: hành động khi quá hạn «%(a)s» không tồn tại.")
                    % {"w": where, "a": on_missed}
                )
            elif not set(d_states) <= set(t.sources):
                errors.append(
                    _(
                        "%(w)s: hành động khi quá hạn «%(a)s» không đi được từ mọi trạng thái "
                        "của thời hạn."
                    )
                    % {"w": where, "a": on_missed}
                )
        offset_field = spec.get("offset_field", "")
        if not isinstance(offset_field, str) or (offset_field and not offset_field.isidentifier()):
            errors.append(_("%(w)s: «offset_field» phải là tên một trường dữ liệu.") % {"w": where})
            offset_field = ""
        remind = spec.get("remind_before", 0)
        if not isinstance(remind, int) or remind < 0:
            errors.append(_("%(w)s: «remind_before» phải là số nguyên không âm.") % {"w": where})
            remind = 0
        deadlines.append(
            DeadlineRule(
                key=key,
                label=spec.get("label", key),
                states=d_states,
                anchor=anchor,
                offset=offset,
                unit=unit,
                direction=direction,
                responsible=responsible,
                remind_before=remind,
                escalate=bool(spec.get("escalate", False)),
                on_missed=on_missed,
                cap=cap,
                paused_in=paused,
                source=spec.get("source", ""),
                anchor_label={"field": field_labels, "deadline": deadline_labels}.get(kind, {}).get(
                    anchor.partition(":")[2], ""
                ),
                offset_field=offset_field,
            )
        )

    if states and initial in states:
        errors.extend(_graph_errors(states, transitions, initial))

    effective = raw.get("effective_from")
    if effective is not None and not isinstance(effective, dt.date):
        errors.append(_("«effective_from» phải là ngày (YYYY-MM-DD)."))
        effective = None
    rules = raw.get("rules") or {}
    if not isinstance(rules, dict):
        errors.append(_("«rules» phải là một bảng (table)."))
        rules = {}
    else:
        from khcn.workflow.registry import RULE_CHECKS

        for check in RULE_CHECKS:
            errors.extend(check(rules))
    if errors:
        raise RuleSetInvalid(errors, name=raw.get("code", ""))
    return RuleSet(
        code=raw["code"],
        title=raw["title"],
        subject=raw["subject"],
        initial=initial,
        states=states,
        transitions=tuple(transitions),
        deadlines=tuple(deadlines),
        sources=tuple(raw.get("sources") or ()),
        extends=raw.get("extends") or "",
        effective_from=effective,
        short_title=raw.get("short_title") or raw["code"],
        rules=rules,
    )


def _graph_errors(states: dict[str, State], transitions: list[Transition], initial: str):
    """Unreachable states, and non-terminal states with no way out."""
    out: dict[str, set[str]] = {code: set() for code in states}
    for t in transitions:
        for s in t.sources:
            if s in out and t.target in states:
                out[s].add(t.target)
    reached = {initial}
    queue = deque([initial])
    while queue:
        for nxt in out[queue.popleft()]:
            if nxt not in reached:
                reached.add(nxt)
                queue.append(nxt)
    errors = []
    for code, state in states.items():
        if code not in reached:
            errors.append(
                _("Trạng thái «%(s)s» không thể đến được từ trạng thái ban đầu.") % {"s": code}
            )
        if not state.terminal and not out[code]:
            errors.append(
                _("Trạng thái «%(s)s» không phải trạng thái kết thúc nhưng không có bước đi tiếp.")
                % {"s": code}
            )
    return errors


def to_json(raw: Any) -> Any:
    """TOML dates as ISO strings, so the resolved dict can be stored as JSON."""
    if isinstance(raw, dict):
        return {k: to_json(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [to_json(v) for v in raw]
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return raw


def from_json(raw: Any) -> dict:
    data = dict(raw)
    if isinstance(data.get("effective_from"), str):
        data["effective_from"] = dt.date.fromisoformat(data["effective_from"])
    return data
