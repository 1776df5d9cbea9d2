"""Rule files: every mistake is reported in Vietnamese, naming the culprit, all at once;
loading is idempotent and versioned; running records stay on the version they started under."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from khcn.audit.models import AuditAction, AuditEvent
from khcn.workflow.definition import RuleSetInvalid
from khcn.workflow.engine import perform, process_start
from khcn.workflow.loader import BUILTIN_DIR, check_file, ruleset_load_all, validate
from khcn.workflow.models import Process, RuleSetVersion

# every rule file shipped (tasks, and the administrative procedures tthc-*)
SHIPPED_CODES = sorted(p.stem for p in BUILTIN_DIR.glob("*.toml"))

BASE = """
code = "thu-nghiem"
title = "Quy trình thử nghiệm"
subject = "project"
initial = "DRAFT"
{head}

[states.DRAFT]
label = "Dự thảo"

[states.SENT]
label = "Đã gửi"

[states.DONE]
label = "{done_label}"
terminal = true

[[transitions]]
action = "send"
label = "Gửi hồ sơ"
from = "DRAFT"
to = "SENT"
roles = ["staff"]

[[transitions]]
action = "finish"
label = "Kết thúc"
from = "SENT"
to = "DONE"
roles = ["leader"]

[[deadlines]]
key = "send_by"
label = "Hạn gửi hồ sơ"
states = ["DRAFT"]
anchor = "entered"
offset = 5
"""


def rule_text(extra: str = "", *, head: str = "", done_label: str = "Hoàn thành") -> str:
    """The small valid rule set above, with more tables appended (or top-level keys added)."""
    return BASE.format(head=head, done_label=done_label) + extra


def transition(action: str, source: str, target: str, more: str = "", roles='["staff"]') -> str:
    return f"""
[[transitions]]
action = "{action}"
label = "Bước {action}"
from = "{source}"
to = "{target}"
roles = {roles}
{more}
"""


def deadline(key: str, more: str = "", states='["DRAFT"]', anchor='"entered"') -> str:
    return f"""
[[deadlines]]
key = "{key}"
label = "Thời hạn {key}"
states = {states}
anchor = {anchor}
offset = 10
{more}
"""


def errors_of(path) -> list[str]:
    with pytest.raises(RuleSetInvalid) as caught:
        check_file(path)
    assert caught.value.name == path.name
    return caught.value.errors


def mentions(errors: list[str], *fragments: str) -> bool:
    """One message names every fragment (the culprit and what is wrong with it)."""
    return any(all(f in message for f in fragments) for message in errors)


MISTAKES = {
    "unknown-from-state": (
        transition("jump", "NOWHERE", "DONE"),
        ["«jump»", "trạng thái đi «NOWHERE» không có"],
    ),
    "unknown-to-state": (
        transition("lost", "SENT", "LIMBO"),
        ["«lost»", "trạng thái đích «LIMBO» không có"],
    ),
    "unreachable-state": (
        '\n[states.ORPHAN]\nlabel = "Mồ côi"\nterminal = true\n',
        ["«ORPHAN»", "không thể đến được"],
    ),
    "non-terminal-dead-end": (
        '\n[states.STUCK]\nlabel = "Mắc kẹt"\n' + transition("park", "SENT", "STUCK"),
        ["«STUCK»", "không phải trạng thái kết thúc", "không có bước đi tiếp"],
    ),
    "unregistered-guard": (
        transition("check", "DRAFT", "SENT", 'guards = ["khong_co_dieu_kien"]'),
        ["«check»", "điều kiện «khong_co_dieu_kien» chưa được đăng ký"],
    ),
    "guard-without-name": (
        transition("check", "DRAFT", "SENT", 'guards = [{ field = "rating" }]'),
        ["«check»", "«name»"],
    ),
    "unregistered-effect": (
        transition("copy", "DRAFT", "SENT", 'effects = [{ name = "khong_co_tac_dong" }]'),
        ["«copy»", "tác động «khong_co_tac_dong» chưa được đăng ký"],
    ),
    "deadline-in-unknown-state": (
        deadline("ghost", states='["GHOST"]'),
        ["«ghost»", "«GHOST» không có"],
    ),
    "bad-unit": (deadline("weekly", 'unit = "weeks"'), ["«weekly»", "đơn vị «weeks»"]),
    "bad-direction": (
        deadline("sideways", 'direction = "sideways"'),
        ["«sideways»", "phải là before hoặc after"],
    ),
    "bad-anchor": (deadline("created", anchor='"created"'), ["«created»", "mốc «created»"]),
    "anchor-to-unknown-deadline": (
        deadline("follow", anchor='"deadline:khong_co_han"'),
        ["«follow»", "«khong_co_han» không tồn tại"],
    ),
    "on-missed-unknown-action": (
        deadline("vanish_by", 'on_missed = "vanish"'),
        ["«vanish_by»", "«vanish» không tồn tại"],
    ),
    "on-missed-not-available-from-states": (
        deadline("finish_by", 'on_missed = "finish"'),  # "finish" leaves SENT, not DRAFT
        ["«finish_by»", "«finish» không đi được từ mọi trạng thái"],
    ),
    "unknown-role": (
        transition("decree", "DRAFT", "SENT", roles='["president"]'),
        ["«decree»", "vai trò «president» không tồn tại"],
    ),
    "unknown-responsible-role": (
        deadline("boss_by", 'responsible = "boss"'),
        ["«boss_by»", "«boss» không tồn tại"],
    ),
    "duplicate-action": (transition("send", "SENT", "DONE"), ["«send»", "bị trùng"]),
    "choice-field-without-choices": (
        transition(
            "classify",
            "DRAFT",
            "SENT",
            'fields = [{ name = "kind", label = "Loại", type = "choice" }]',
        ),
        ["«classify»", "«kind»", "cần «choices»"],
    ),
}


@pytest.mark.parametrize(("extra", "expected"), MISTAKES.values(), ids=MISTAKES.keys())
def test_a_mistake_in_a_rule_file_is_reported_naming_the_culprit(tmp_path, extra, expected):
    path = tmp_path / "thu-nghiem.toml"
    path.write_text(rule_text(extra), encoding="utf-8")

    errors = errors_of(path)

    assert mentions(errors, *expected), errors


def test_the_small_rule_file_itself_is_valid(tmp_path):
    path = tmp_path / "thu-nghiem.toml"
    path.write_text(rule_text(), encoding="utf-8")

    rules = check_file(path)

    assert rules.code == "thu-nghiem"
    assert set(rules.states) == {"DRAFT", "SENT", "DONE"}


def test_a_toml_syntax_error_is_reported_with_the_file_name(tmp_path):
    path = tmp_path / "hong.toml"
    path.write_text('code = "hong"\n[states.A\nlabel = "A"\n', encoding="utf-8")

    errors = errors_of(path)

    assert mentions(errors, "cú pháp TOML")


def test_extending_an_unknown_parent_is_reported(tmp_path):
    path = tmp_path / "thu-nghiem.toml"
    path.write_text(rule_text(head='extends = "vn-1990"'), encoding="utf-8")

    errors = errors_of(path)

    assert mentions(errors, "«vn-1990»", "không tồn tại")


def test_every_mistake_of_a_file_is_reported_together(tmp_path):
    path = tmp_path / "thu-nghiem.toml"
    path.write_text(
        rule_text(
            transition("jump", "NOWHERE", "DONE")
            + transition("decree", "DRAFT", "SENT", roles='["president"]')
            + deadline("weekly", 'unit = "weeks"')
        ),
        encoding="utf-8",
    )

    errors = errors_of(path)

    assert mentions(errors, "«NOWHERE»")
    assert mentions(errors, "«president»")
    assert mentions(errors, "«weeks»")
    assert len(errors) == 3


def test_validate_lists_missing_keys_of_a_bare_dict():
    with pytest.raises(RuleSetInvalid) as caught:
        validate({"code": "trong"})

    assert mentions(caught.value.errors, "«title»")
    assert mentions(caught.value.errors, "«initial»")
    assert mentions(caught.value.errors, "không có trạng thái nào")


# --- the shipped files --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["vn-2013.toml", "hn-05-2021.toml"])
def test_the_shipped_rule_files_are_valid(name):
    rules = check_file(BUILTIN_DIR / name)

    assert rules.code == name.removesuffix(".toml")
    assert rules.transitions and rules.deadlines


def test_hanoi_inherits_the_national_steps_and_overrides_its_own_rules():
    national = check_file(BUILTIN_DIR / "vn-2013.toml")
    hanoi = check_file(BUILTIN_DIR / "hn-05-2021.toml")

    assert hanoi.extends == "vn-2013"
    assert hanoi.states == national.states
    assert [t.action for t in hanoi.transitions] == [t.action for t in national.transitions]
    for step in national.transitions:
        if step.action != "finalise_dossier":
            assert hanoi.transition(step.action) == step, step.action
    # QĐ 05/2021: the finalised dossier names a confirmed application address.
    assert national.transition("finalise_dossier").fields == ()
    assert [f.name for f in hanoi.transition("finalise_dossier").fields] == [
        "application_address",
        "application_confirmed_by",
    ]
    # QĐ 05/2021: the acceptance dossier is due 30 working days BEFORE the end, not 30 days after.
    ours, theirs = hanoi.deadline("acceptance_dossier"), national.deadline("acceptance_dossier")
    assert (theirs.offset, theirs.unit, theirs.direction) == (30, "calendar", "after")
    assert (ours.offset, ours.unit, ours.direction) == (30, "working", "before")
    assert hanoi.deadline("liquidation").cap == "end_of_year"
    assert national.deadline("liquidation") is None
    assert {s["ref"] for s in national.sources} < {s["ref"] for s in hanoi.sources}


# --- loading into the database ----------------------------------------------------------------


def loaded_events(code: str):
    return AuditEvent.objects.filter(action=AuditAction.RULESET_LOADED, after__code=code)


@pytest.mark.django_db
def test_loading_twice_creates_no_new_version():
    first = ruleset_load_all()
    second = ruleset_load_all()

    assert sorted(v.code for v in first) == SHIPPED_CODES
    assert second == []
    assert RuleSetVersion.objects.count() == len(SHIPPED_CODES)
    assert loaded_events("vn-2013").count() == 1


@pytest.mark.django_db
def test_a_changed_file_becomes_version_2_and_running_records_stay_on_version_1(
    rule_dir, agency_a, staff_a
):
    path = rule_dir / "thu-nghiem.toml"
    path.write_text(rule_text(), encoding="utf-8")
    ruleset_load_all()
    running = process_start(actor=staff_a, agency=agency_a, ruleset="thu-nghiem", title="Hồ sơ cũ")

    path.write_text(rule_text(done_label="Đã hoàn thành"), encoding="utf-8")
    created = ruleset_load_all(actor=staff_a)

    v1, v2 = RuleSetVersion.objects.filter(code="thu-nghiem").order_by("version")
    assert created == [v2]
    assert (v1.version, v1.is_current) == (1, False)
    assert (v2.version, v2.is_current) == (2, True)
    assert v2.rules.state("DONE").label == "Đã hoàn thành"
    running.refresh_from_db()
    assert running.ruleset == v1
    assert Process.objects.get(pk=running.pk).rules.state("DONE").label == "Hoàn thành"
    new = process_start(actor=staff_a, agency=agency_a, ruleset="thu-nghiem", title="Hồ sơ mới")
    assert new.ruleset == v2
    # The running record goes on under its own version's rules.
    perform(user=staff_a, process=running, action="send", today=dt.date(2026, 3, 2))
    assert running.events.get(action="send").ruleset == v1
    event = loaded_events("thu-nghiem").get(object_id=str(v2.pk))
    assert event.actor == staff_a
    assert event.after == {"code": "thu-nghiem", "version": 2, "checksum": v2.checksum}
    assert loaded_events("thu-nghiem").count() == 2


CHILD = """
code = "thu-nghiem-con"
extends = "thu-nghiem"
title = "Quy trình thử nghiệm của tỉnh"

[[transitions]]
action = "finish"
label = "Kết thúc (theo quy định của tỉnh)"
from = "SENT"
to = "DONE"
roles = ["leader", "staff"]
"""


@pytest.mark.django_db
def test_a_changed_parent_gives_its_child_a_new_version_too(rule_dir):
    (rule_dir / "thu-nghiem.toml").write_text(rule_text(), encoding="utf-8")
    (rule_dir / "thu-nghiem-con.toml").write_text(CHILD, encoding="utf-8")
    ruleset_load_all()

    (rule_dir / "thu-nghiem.toml").write_text(
        rule_text(done_label="Đã hoàn thành"), encoding="utf-8"
    )
    created = ruleset_load_all()

    assert sorted((v.code, v.version) for v in created) == [
        ("thu-nghiem", 2),
        ("thu-nghiem-con", 2),
    ]
    child = RuleSetVersion.objects.get(code="thu-nghiem-con", is_current=True).rules
    assert child.state("DONE").label == "Đã hoàn thành"
    assert child.transition("finish").roles == {"leader", "staff"}


@pytest.mark.django_db
def test_an_invalid_file_is_refused_and_the_valid_ones_are_still_loaded(rule_dir):
    (rule_dir / "thu-nghiem.toml").write_text(
        rule_text(transition("jump", "NOWHERE", "DONE")), encoding="utf-8"
    )

    with pytest.raises(RuleSetInvalid) as caught:
        ruleset_load_all()

    assert mentions(caught.value.errors, "thu-nghiem.toml", "«NOWHERE»")
    assert set(RuleSetVersion.objects.values_list("code", flat=True)) == set(SHIPPED_CODES)


# --- the command ------------------------------------------------------------------------------


def test_rules_check_says_a_good_file_is_valid():
    out = StringIO()

    call_command("rules", "check", str(BUILTIN_DIR / "hn-05-2021.toml"), stdout=out)

    assert "hn-05-2021.toml: hợp lệ" in out.getvalue()


def test_rules_check_lists_the_errors_of_a_bad_file(tmp_path):
    path = tmp_path / "thu-nghiem.toml"
    path.write_text(
        rule_text(transition("jump", "NOWHERE", "DONE") + deadline("weekly", 'unit = "weeks"')),
        encoding="utf-8",
    )
    err = StringIO()

    with pytest.raises(CommandError, match="2 lỗi trong thu-nghiem.toml"):
        call_command("rules", "check", str(path), stdout=StringIO(), stderr=err)

    assert "«NOWHERE»" in err.getvalue()
    assert "«weeks»" in err.getvalue()


@pytest.mark.django_db
def test_rules_diagram_draws_every_state_and_every_transition():
    out = StringIO()

    call_command("rules", "diagram", "vn-2013", stdout=out)

    diagram = out.getvalue()
    rules = RuleSetVersion.objects.get(code="vn-2013", is_current=True).rules
    assert diagram.startswith("stateDiagram-v2\n")
    assert f"[*] --> {rules.initial}" in diagram
    for code in rules.states:
        assert f" as {code}\n" in diagram, code
    for step in rules.transitions:
        for source in step.sources:
            assert f"    {source} --> {step.target}: " in diagram, step.action
    assert "    CLOSED --> [*]" in diagram
