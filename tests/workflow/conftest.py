"""Fixtures for the workflow tests: the shipped rule sets in the database, the people who act
on a record (the department's staff, an outside host organisation, strangers), records placed
in a given state, a frozen clock, and small rule files written for one test."""

import datetime as dt
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from khcn.core import clock
from khcn.workflow.deadlines import deadlines_sync
from khcn.workflow.engine import process_start
from khcn.workflow.loader import ruleset_load_all
from khcn.workflow.models import Process, RuleSetVersion
from khcn.workflow.registry import effect
from tests.factories import UserFactory

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@effect("test_hold_lock")
def hold_lock(ctx, *, seconds: float = 0.3) -> None:
    """Test-only effect: keeps the record's row locked a moment, so a rival request must wait."""
    time.sleep(seconds)


# A task approved on 1/2/2026 for 17 months (≤ 24 months: extensions of at most 6 months).
TASK_DATA = {"start_date": "2026-02-01", "end_date": "2027-06-30"}


@pytest.fixture
def rulesets(db) -> dict[str, RuleSetVersion]:
    """The shipped rule sets, loaded as their first version: {code: version}."""
    ruleset_load_all()
    return {v.code: v for v in RuleSetVersion.objects.filter(is_current=True)}


@pytest.fixture
def host_a(db):
    """An outside user: the host organisation's contact, with no role in any agency."""
    return UserFactory(username="chutri.a", full_name="Vũ Thị Lan Anh")


@pytest.fixture
def outsider(db):
    """A logged-in user with no role anywhere and no part in any record."""
    return UserFactory(username="nguoingoai", full_name="Đỗ Minh Khôi")


@pytest.fixture
def make_process(rulesets, agency_a, staff_a, host_a):
    """`make_process(code, state=…, data=…)`: a record of agency A with host_a as its host.

    Starting goes through the engine; `state` then puts the record straight into a later
    state, with that state's deadline rows (test set-up only: the step under test always
    goes through the engine)."""

    def make(
        code: str = "vn-2013",
        *,
        state: str = "",
        data: dict | None = None,
        title: str = "Nghiên cứu giống lúa chịu mặn cho vùng ven biển",
        agency=None,
        host=None,
        today: dt.date = dt.date(2026, 1, 5),
    ) -> Process:
        process = process_start(
            actor=staff_a,
            agency=agency or agency_a,
            ruleset=code,
            title=title,
            data=dict(TASK_DATA if data is None else data),
            parties=[(host or host_a, "host")],
            today=today,
        )
        if state:
            Process.objects.filter(pk=process.pk).update(state=state)
            process.refresh_from_db()
            deadlines_sync(process, today=today)  # as if it had arrived there that day
        return process

    return make


@pytest.fixture
def freeze(monkeypatch):
    """`freeze(date)`: the clock reads 09:00 (Hà Nội) on that day."""

    def at(day: dt.date) -> None:
        moment = dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=HANOI)
        monkeypatch.setattr(clock, "now", lambda: moment)

    return at


@pytest.fixture
def rule_dir(tmp_path, settings) -> Path:
    """An extra rule-set folder the loader reads (KHCN_RULESET_DIRS) besides the shipped one."""
    folder = tmp_path / "quy-tac"
    folder.mkdir()
    settings.KHCN_RULESET_DIRS = [str(folder)]
    return folder
