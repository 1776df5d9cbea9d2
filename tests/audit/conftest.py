import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from khcn.accounts.models import Role
from khcn.audit.models import AuditAction
from khcn.audit.services import record
from khcn.core import clock
from tests.factories import user_with_role

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(monkeypatch, *args):
    """Freeze the clock at a local (Asia/Ho_Chi_Minh) time."""
    moment = dt.datetime(*args, tzinfo=HANOI)
    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment


@pytest.fixture
def leader(client_of, leader_a, monkeypatch):
    """The test client logged in as agency A's leader; logging in is itself event 1."""
    at(monkeypatch, 2025, 1, 2, 8, 0)
    client = client_of(leader_a)
    monkeypatch.undo()
    return client


@pytest.fixture
def events(leader, monkeypatch, staff_a, admin_a, agency_a, agency_b):
    """Agency A's trail around March 2025 (local days), plus one event of agency B.

    seq 1  02/01/2025 08:00  Phạm Văn Hưng       Đăng nhập (the leader reading the trail)
    seq 2  28/02/2025 23:30  Trần Thị Thu Hà     Đăng nhập
    seq 3  01/03/2025 00:30  Nguyễn Đức Thành    Giao vai trò
    seq 4  31/03/2025 23:59  Trần Thị Thu Hà     Đăng xuất
    seq 5  01/04/2025 00:10  (hệ thống)          Đăng nhập thất bại
    seq 6  15/03/2025 10:00  agency B
    """
    at(monkeypatch, 2025, 2, 28, 23, 30)
    record(actor=staff_a, action=AuditAction.LOGIN_SUCCEEDED, obj=staff_a, agency=agency_a)
    at(monkeypatch, 2025, 3, 1, 0, 30)
    record(
        actor=admin_a,
        action=AuditAction.ROLE_GRANTED,
        obj=staff_a,
        agency=agency_a,
        after={"role": "staff"},
    )
    at(monkeypatch, 2025, 3, 31, 23, 59)
    record(actor=staff_a, action=AuditAction.LOGOUT, obj=staff_a, agency=agency_a)
    at(monkeypatch, 2025, 4, 1, 0, 10)
    record(actor=None, action=AuditAction.LOGIN_FAILED, obj=staff_a, agency=agency_a)
    at(monkeypatch, 2025, 3, 15, 10, 0)
    outsider = user_with_role(Role.STAFF, agency_b, full_name="Trần Thị Thu Hằng")
    record(actor=outsider, action=AuditAction.LOGIN_SUCCEEDED, obj=outsider, agency=agency_b)
    monkeypatch.undo()
