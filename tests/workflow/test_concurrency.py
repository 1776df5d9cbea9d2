"""Two people acting on the same record at the same moment: the engine locks the row, so one
step wins and the other is told the record has moved on (409), never both applied.

PostgreSQL only: SQLite serialises whole transactions, so there is no row lock to test.
"""

import threading
import time

import pytest
from django.db import connection

from khcn.accounts.models import Role
from khcn.core.errors import ConflictError
from khcn.workflow.engine import START, perform, process_start
from khcn.workflow.loader import ruleset_load_all
from khcn.workflow.models import ProcessEvent
from tests.factories import user_with_role

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

HOLD = 0.3  # seconds the first step keeps the row locked (test_hold_lock, see conftest)

RULES = f"""
code = "thu-tranh-chap"
title = "Quy trình thử hai người cùng thao tác"
subject = "project"
initial = "PROPOSED"

[states.PROPOSED]
label = "Đề xuất đặt hàng"

[states.ORDERED]
label = "Được đặt hàng"
terminal = true

[states.REJECTED]
label = "Không đặt hàng"
terminal = true

[[transitions]]
action = "order"
label = "Phê duyệt đặt hàng"
from = "PROPOSED"
to = "ORDERED"
roles = ["leader"]
effects = [{{ name = "test_hold_lock", seconds = {HOLD} }}]

[[transitions]]
action = "reject_proposal"
label = "Không đặt hàng"
from = "PROPOSED"
to = "REJECTED"
roles = ["leader"]
effects = [{{ name = "test_hold_lock", seconds = {HOLD} }}]
"""

TARGET = {"order": "ORDERED", "reject_proposal": "REJECTED"}


@pytest.mark.parametrize(
    "actions",
    [("order", "reject_proposal"), ("order", "order")],
    ids=["different-steps", "same-step"],
)
def test_two_leaders_acting_at_once_one_wins_and_the_other_gets_a_conflict(
    rule_dir, agency_a, staff_a, leader_a, actions
):
    deputy = user_with_role(Role.LEADER, agency_a, username="phogiamdoc.a")
    (rule_dir / "thu-tranh-chap.toml").write_text(RULES, encoding="utf-8")
    ruleset_load_all()
    process = process_start(
        actor=staff_a, agency=agency_a, ruleset="thu-tranh-chap", title="Đề xuất tranh chấp"
    )
    barrier = threading.Barrier(2)
    outcomes: dict[int, tuple[str, object, float]] = {}

    def act(n: int, user, action: str) -> None:
        try:
            barrier.wait(timeout=5)
            began = time.monotonic()
            try:
                perform(
                    user=user,
                    process=process.pk,
                    action=action,
                    remark="Ý kiến của lãnh đạo.",
                    expected_state="PROPOSED",
                )
                outcomes[n] = (action, None, time.monotonic() - began)
            except Exception as exc:  # noqa: BLE001 - any outcome is recorded and checked
                outcomes[n] = (action, exc, time.monotonic() - began)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(0, leader_a, actions[0])),
        threading.Thread(target=act, args=(1, deputy, actions[1])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)

    assert len(outcomes) == 2
    winners = [o for o in outcomes.values() if o[1] is None]
    losers = [o for o in outcomes.values() if o[1] is not None]
    assert len(winners) == 1, outcomes
    (won_action, _none, _took), (_lost, error, waited) = winners[0], losers[0]
    assert isinstance(error, ConflictError), error
    assert "hãy tải lại trang" in error.message
    assert waited >= HOLD * 0.8  # it waited for the winner's lock instead of acting alongside
    process.refresh_from_db()
    assert process.state == TARGET[won_action]
    steps = ProcessEvent.objects.filter(process=process).exclude(action=START)
    assert [(e.action, e.to_state) for e in steps] == [(won_action, TARGET[won_action])]
