"""One replaceable clock: rules take `now`/`today` from here, tests freeze it."""

import datetime as dt
from contextlib import contextmanager

from django.utils import timezone

_moment: dt.datetime | None = None


def now() -> dt.datetime:
    return _moment or timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


@contextmanager
def travel(moment: dt.datetime | dt.date):
    """Run a block as if it were `moment` (demo data dated in the past: its history,
    timestamps and deadlines read as a real department's would)."""
    global _moment
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(9, 0), tzinfo=timezone.get_current_timezone())
    if timezone.is_aware(moment):
        # in UTC, as timezone.now(): a value read back from the database is then equal to the
        # one written, down to its ISO text (the audit chain hashes created_at.isoformat())
        moment = moment.astimezone(dt.UTC)
    previous, _moment = _moment, moment
    try:
        yield
    finally:
        _moment = previous
