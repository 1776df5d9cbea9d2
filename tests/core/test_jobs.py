"""Daily jobs: enqueued once a day after the configured hour, idempotent when run again."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django_tasks_db.models import DBTaskResult

from khcn.accounts.models import Role
from khcn.audit.models import AuditAction, AuditEvent
from khcn.audit.services import record
from khcn.core.jobs import DAILY_JOBS, scheduler_tick, verify_audit_chain
from khcn.core.models import ScheduledRun
from khcn.notifications.models import Kind, Notification
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
KNOWN_JOBS = {"khcn.core.jobs.verify_audit_chain", "khcn.core.jobs.remove_orphan_files"}


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=HANOI)


@pytest.fixture(autouse=True)
def daily_hour(settings):
    settings.KHCN_DAILY_JOBS_HOUR = 2


def test_nothing_is_enqueued_before_the_hour(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduler_tick(local(2025, 3, 5, 1, 59)) == []

    assert not ScheduledRun.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_each_daily_job_is_enqueued_once_a_day(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueued = scheduler_tick(local(2025, 3, 5, 2, 0))

    assert KNOWN_JOBS <= set(enqueued)
    assert sorted(enqueued) == sorted(DAILY_JOBS)
    assert DBTaskResult.objects.count() == len(DAILY_JOBS)
    assert set(DBTaskResult.objects.values_list("task_path", flat=True)) == set(DAILY_JOBS)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert scheduler_tick(local(2025, 3, 5, 23, 59)) == []
    assert callbacks == []
    assert DBTaskResult.objects.count() == len(DAILY_JOBS)
    assert ScheduledRun.objects.filter(run_date=dt.date(2025, 3, 5)).count() == len(DAILY_JOBS)


def test_the_local_day_decides_not_the_utc_day(django_capture_on_commit_callbacks):
    # 20:30 UTC on 4 March is 03:30 on 5 March in Hà Nội
    with django_capture_on_commit_callbacks(execute=True):
        scheduler_tick(dt.datetime(2025, 3, 4, 20, 30, tzinfo=dt.UTC))

    assert set(ScheduledRun.objects.values_list("run_date", flat=True)) == {dt.date(2025, 3, 5)}


def test_next_day_enqueues_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        scheduler_tick(local(2025, 3, 5, 3, 0))
        second_day = scheduler_tick(local(2025, 3, 6, 3, 0))

    assert sorted(second_day) == sorted(DAILY_JOBS)
    assert DBTaskResult.objects.count() == 2 * len(DAILY_JOBS)


@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_enqueued_jobs(run_worker):
    record(actor=None, action=AuditAction.LOGIN_FAILED)
    scheduler_tick(local(2025, 3, 5, 2, 30))

    run_worker()

    results = DBTaskResult.objects.all()
    assert results.count() == len(DAILY_JOBS)
    assert {r.status for r in results} == {"SUCCESSFUL"}
    chain_check = results.get(task_path="khcn.core.jobs.verify_audit_chain")
    assert chain_check.return_value is True


def test_scheduler_command_once(capsys, monkeypatch, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from khcn.core import clock

    monkeypatch.setattr(clock, "now", lambda: local(2025, 3, 5, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("scheduler", "--once")

    out = capsys.readouterr().out
    assert "đã xếp lịch: khcn.core.jobs.verify_audit_chain" in out
    assert DBTaskResult.objects.count() == len(DAILY_JOBS)


# --- verify_audit_chain -------------------------------------------------------------------------


@pytest.fixture
def admins(agency_a, agency_b):
    return [
        user_with_role(Role.ADMIN, agency_a),
        user_with_role(Role.ADMIN, agency_b),
        UserFactory(is_superuser=True),
    ]


def test_intact_chain_alerts_nobody(admins):
    record(actor=None, action=AuditAction.LOGIN_FAILED)

    assert verify_audit_chain.call() is True
    assert not Notification.objects.exists()


def test_broken_chain_alerts_administrators_once(admins, staff_a, agency_a):
    inactive_admin = user_with_role(Role.ADMIN, agency_a, is_active=False)
    for n in range(3):
        record(actor=None, action=AuditAction.LOGIN_FAILED, agency=agency_a, after={"n": n})
    AuditEvent.objects.filter(seq=2).update(after={"n": 99})

    assert verify_audit_chain.call() is False

    alerts = Notification.objects.filter(kind=Kind.SECURITY)
    assert sorted(n.recipient_id for n in alerts) == sorted(u.pk for u in admins)
    assert not alerts.filter(recipient__in=[staff_a, inactive_admin]).exists()
    assert "Sự kiện số 2" in alerts.first().body
    marker = AuditEvent.objects.get(action=AuditAction.AUDIT_CHAIN_BROKEN)
    assert marker.after == {"first_bad_seq": 2, "problem": "tampered"}

    assert verify_audit_chain.call() is False  # the next day: same break, no new alert
    assert Notification.objects.filter(kind=Kind.SECURITY).count() == len(admins)
    assert AuditEvent.objects.filter(action=AuditAction.AUDIT_CHAIN_BROKEN).count() == 1


def test_a_new_break_alerts_again(admins):
    for _ in range(4):
        record(actor=None, action=AuditAction.LOGIN_FAILED)
    AuditEvent.objects.filter(seq=3).update(actor_name="sua")
    verify_audit_chain.call()

    AuditEvent.objects.filter(seq=2).delete()
    verify_audit_chain.call()

    markers = AuditEvent.objects.filter(action=AuditAction.AUDIT_CHAIN_BROKEN)
    assert sorted(m.after["first_bad_seq"] for m in markers) == [2, 3]
    assert Notification.objects.filter(kind=Kind.SECURITY).count() == 2 * len(admins)
