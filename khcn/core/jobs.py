"""Periodic jobs: registered here, enqueued once a day by `khcn scheduler`.

A job is a django-tasks task taking no arguments. `scheduler_tick` writes a
`ScheduledRun(job, date)` row before enqueueing; the unique key means that a
second scheduler, or a second tick on the same day, enqueues nothing. The jobs
themselves are idempotent as well.
"""

import datetime as dt
import logging
import os
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django_tasks import task

from khcn.core import clock

log = logging.getLogger(__name__)
DAILY_JOBS: dict[str, object] = {}


def daily(fn):
    """Register a task as a daily job under its dotted name."""
    DAILY_JOBS[f"{fn.__module__}.{fn.__name__}"] = task()(fn)
    return DAILY_JOBS[f"{fn.__module__}.{fn.__name__}"]


def scheduler_tick(now: dt.datetime | None = None) -> list[str]:
    """Enqueue today's daily jobs once, after the configured hour. Returns what was enqueued."""
    from django.utils import timezone

    from khcn.core.models import ScheduledRun

    local = timezone.localtime(now or clock.now())
    if local.hour < settings.KHCN_DAILY_JOBS_HOUR:
        return []
    enqueued = []
    for name, job in DAILY_JOBS.items():
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=name, run_date=local.date())
                transaction.on_commit(job.enqueue)
        except IntegrityError:
            continue
        enqueued.append(name)
    return enqueued


def run_scheduler(*, interval: float = 60.0, once: bool = False) -> None:
    while True:
        for name in scheduler_tick():
            log.warning("scheduled %s", name)
        if once:
            return
        time.sleep(interval)


# --- the platform's daily jobs ----------------------------------------------------------------


@daily
def verify_audit_chain() -> bool:
    """Check the audit chain; on a break, alert every administrator (once per break)."""
    from django.db.models import Q
    from django.utils.translation import gettext as _

    from khcn.accounts.models import Role, User
    from khcn.audit.models import AuditAction, AuditEvent
    from khcn.audit.services import record, verify
    from khcn.notifications.models import Kind
    from khcn.notifications.services import notify, site_language

    result = verify()
    if result.ok:
        return True
    marker = {"first_bad_seq": result.first_bad_seq, "problem": result.problem}
    with transaction.atomic():
        already = AuditEvent.objects.filter(
            action=AuditAction.AUDIT_CHAIN_BROKEN, after=marker
        ).exists()
        if already:
            return False
        record(actor=None, action=AuditAction.AUDIT_CHAIN_BROKEN, after=marker)
        admins = User.objects.filter(
            Q(memberships__role=Role.ADMIN) | Q(is_superuser=True), is_active=True
        ).distinct()
        with site_language():
            notify(
                recipients=admins,
                kind=Kind.SECURITY,
                title=_("Nhật ký hệ thống có dấu hiệu bị sửa hoặc xóa"),
                body=_(
                    "Sự kiện số %(seq)s không khớp chuỗi băm. Hãy chạy “khcn audit verify” và kiểm tra."
                )
                % {"seq": result.first_bad_seq},
            )
    return False


@daily
def remove_orphan_files() -> int:
    """Delete stored blobs that no attachment version refers to (left by rolled-back uploads)
    and temporary files older than a day."""
    from khcn.core.files import blob_path
    from khcn.core.models import AttachmentVersion

    root = settings.MEDIA_ROOT
    cutoff = time.time() - 86400
    removed = 0
    if not os.path.isdir(root):
        return 0
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            if os.path.getmtime(path) > cutoff:
                continue
            in_tmp = os.path.basename(dirpath) == "tmp"
            is_blob = len(name) == 64 and str(blob_path(name)) == path
            if in_tmp or (is_blob and not AttachmentVersion.objects.filter(sha256=name).exists()):
                os.unlink(path)
                removed += 1
    return removed
