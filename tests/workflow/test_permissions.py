"""Who may see a record, lift its deadlines and move it to newer rules.

A record is seen by the department's people in its agency and by its own parties; to anyone
else it does not exist (404). Lifting a deadline is a leader's decision; moving a record to
a newer rule version is for staff and leaders.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from khcn.core.permissions import can, get_visible
from khcn.workflow.engine import process_migrate, process_start
from khcn.workflow.loader import ruleset_load_all
from khcn.workflow.models import Process
from tests.factories import UserFactory

PEOPLE = [
    "staff_a",
    "leader_a",
    "admin_a",
    "host_a",
    "other_host",
    "outsider",
    "staff_b",
    "admin_b",
]
MATRIX = {
    # staff, leader, admin (agency A), host_a (this record's host), other_host (host of another
    # record), outsider, staff_b, admin_b (agency B)
    "workflow.view": (True, True, True, True, False, False, False, False),
    "workflow.waive": (False, True, False, False, False, False, False, False),
    "workflow.migrate": (True, True, False, False, False, False, False, False),
}
CASES = [
    (action, who, allowed)
    for action, row in MATRIX.items()
    for who, allowed in zip(PEOPLE, row, strict=True)
]
SEEING = [who for who, sees in zip(PEOPLE, MATRIX["workflow.view"], strict=True) if sees]
BLIND = [who for who in PEOPLE if who not in SEEING]


@pytest.fixture
def process(make_process):
    return make_process(state="IN_PROGRESS")


@pytest.fixture
def other_host(make_process):
    """The host of another record of the same agency."""
    user = UserFactory(username="chutri.khac", full_name="Trịnh Văn Phúc")
    make_process(state="IN_PROGRESS", title="Nhiệm vụ của đơn vị khác", host=user)
    return user


@pytest.mark.parametrize(
    ("action", "who", "allowed"), CASES, ids=[f"{a}:{w}" for a, w, _x in CASES]
)
def test_permission_matrix(process, request, action, who, allowed):
    user = request.getfixturevalue(who)

    decision = can(user, action, process)

    assert bool(decision) is allowed
    if not allowed:
        assert decision.reason  # said in Vietnamese, e.g. "Chỉ lãnh đạo Sở được miễn thời hạn."


@pytest.mark.parametrize("who", SEEING)
def test_people_who_see_a_record_open_its_page(process, request, client_of, who):
    user = request.getfixturevalue(who)

    assert get_visible(user, "workflow.view", Process.objects.all(), pk=process.pk) == process
    page = client_of(user).get(f"/ho-so-xu-ly/{process.pk}/")
    assert page.status_code == 200
    assert process.title in page.content.decode()


@pytest.mark.parametrize("who", BLIND)
def test_a_record_outside_ones_sight_does_not_exist(process, request, client_of, who):
    user = request.getfixturevalue(who)

    with pytest.raises(Http404):
        get_visible(user, "workflow.view", Process.objects.all(), pk=process.pk)
    page = client_of(user).get(f"/ho-so-xu-ly/{process.pk}/")
    assert page.status_code == 404
    assert process.title not in page.content.decode()


def test_a_record_of_another_agency_is_missing_from_the_list(process, client_of, staff_b):
    page = client_of(staff_b).get("/ho-so-xu-ly/")

    assert page.status_code == 200
    assert process.title not in page.content.decode()


RULES_V1 = """
code = "thu-nghiem"
title = "Quy trình thử nghiệm"
subject = "project"
initial = "DRAFT"

[states.DRAFT]
label = "{label}"

[states.DONE]
label = "Hoàn thành"
terminal = true

[[transitions]]
action = "finish"
label = "Kết thúc"
from = "DRAFT"
to = "DONE"
roles = ["staff"]
"""


@pytest.fixture
def pinned(rule_dir, agency_a, staff_a, host_a):
    """A record on version 1 of a rule set that has since become version 2."""
    path = rule_dir / "thu-nghiem.toml"
    path.write_text(RULES_V1.format(label="Dự thảo"), encoding="utf-8")
    ruleset_load_all()
    record = process_start(
        actor=staff_a,
        agency=agency_a,
        ruleset="thu-nghiem",
        title="Hồ sơ theo quy tắc cũ",
        parties=[(host_a, "host")],
    )
    path.write_text(RULES_V1.format(label="Bản dự thảo"), encoding="utf-8")
    ruleset_load_all()
    return record


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("staff_a", None),
        ("leader_a", None),
        ("admin_a", PermissionDenied),
        ("host_a", PermissionDenied),
        ("staff_b", Http404),
        ("outsider", Http404),
    ],
)
def test_migrating_a_record_to_new_rules_is_for_staff_and_leaders(pinned, request, who, refusal):
    user = request.getfixturevalue(who)

    if refusal is None:
        process_migrate(actor=user, process=pinned, remark="Áp dụng quy tắc mới.")
    else:
        with pytest.raises(refusal):
            process_migrate(actor=user, process=pinned, remark="Áp dụng quy tắc mới.")

    pinned = Process.objects.get(pk=pinned.pk)
    assert pinned.ruleset.version == (2 if refusal is None else 1)
    assert pinned.state_label == ("Bản dự thảo" if refusal is None else "Dự thảo")
