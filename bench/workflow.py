"""Workflow measurements for bench/run.py, run inside Django against the bench database.

    DJANGO_SETTINGS_MODULE=khcn.settings KHCN_VAR_DIR=var/bench \\
        .venv/bin/python bench/workflow.py --calls 200 --json var/bench/workflow.json

1. The daily deadline sweep, `khcn.workflow.jobs.deadline_sweep(today=…)`, over every open
   record of the database (`khcn seed --processes N` makes them), timed and with its SQL
   queries counted; then a second sweep the same day, which should find nothing to do.
2. `khcn.workflow.engine.available_actions(bench, record)` for the record with 50 history
   entries (`khcn seed` marks it with HISTORY_REFERENCE), called N times: p50/p95 and the
   queries of each call.

Queries are counted with `connection.execute_wrapper` (as QueryCountMiddleware does). Every
statement is also grouped by its SQL text (placeholders only, IN-lists collapsed) and
traced to the innermost khcn functions that issued it, with its total database time, so a
statement repeated once per record or per person, or one slow statement, shows up with its
place in the code. The results go to the JSON
file given by --json (bench/run.py reads it) and a short summary to stdout.

This module needs Django (the project's virtualenv), unlike bench/run.py.
"""

import argparse
import json
import math
import os
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KHCN_DIR = str(ROOT / "khcn") + os.sep


class QueryLog:
    """Counts the statements run inside `with connection.execute_wrapper(log):`."""

    def __init__(self, trace: bool = True):
        self.count = 0
        self.trace = trace
        self.shapes: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()
        self.where: dict[str, Counter[str]] = defaultdict(Counter)
        self._shape_cache: dict[str, str] = {}

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if self.trace:
            shape = self._shape_cache.get(sql)
            if shape is None:
                shape = self._shape_cache[sql] = shape_of(sql)
            self.shapes[shape] += 1
            self.where[shape][caller()] += 1
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                self.seconds[shape] += time.perf_counter() - started
        return execute(sql, params, many, context)

    def places(self, shape: str) -> list[dict]:
        return [{"count": n, "where": w} for w, n in self.where[shape].most_common(3)]

    def repeated(self, minimum: int = 10, top: int = 8) -> list[dict]:
        """Statements run at least `minimum` times, most frequent first, with where they ran."""
        return [
            {"count": n, "sql": sql[:160], "where": self.places(sql)}
            for sql, n in self.shapes.most_common(top)
            if n >= minimum
        ]

    def slowest(self, top: int = 3) -> list[dict]:
        """Statements that took the most database time in all, with where they ran."""
        return [
            {
                "seconds": sec,
                "count": self.shapes[sql],
                "sql": sql[:160],
                "where": self.places(sql),
            }
            for sql, sec in self.seconds.most_common(top)
        ]


def shape_of(sql: str) -> str:
    sql = re.sub(r"\s+", " ", sql).strip()
    sql = re.sub(r"\((?:%s|\?)(?:, (?:%s|\?))+\)", "(…)", sql)  # IN (%s, %s, …) of any length
    return re.sub(r"(?:\((?:…|%s|\?)\), )+\((?:…|%s|\?)\)", "(…), …", sql)  # multi-row VALUES


def caller(depth: int = 3) -> str:
    """The innermost khcn frames that led to the current statement: "file:function ← …".
    A statement run by a commit hook (transaction.on_commit) shows where the commit happened."""
    names = []
    frame = sys._getframe(1)
    while frame is not None and len(names) < depth:
        code = frame.f_code
        if code.co_filename.startswith(KHCN_DIR):
            names.append(f"{os.path.relpath(code.co_filename, ROOT)}:{code.co_name}")
        frame = frame.f_back
    return " ← ".join(names)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def sweep_once(today) -> dict:
    from django.db import connection

    from khcn.workflow.jobs import deadline_sweep

    log = QueryLog()
    started = time.perf_counter()
    with connection.execute_wrapper(log):
        result = deadline_sweep(today=today)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "queries": log.count,
        "missed": result.missed,
        "reminded": result.reminded,
        "escalated": result.escalated,
        "automatic": result.automatic,
        "automatic_refused": len(result.automatic_refused),
        "refused_examples": result.automatic_refused[:3],
        "repeated": log.repeated(),
        "slowest": log.slowest(),
    }


def open_records(today) -> dict:
    from khcn.workflow.models import Deadline, Process

    active = Deadline.objects.filter(closed_on__isnull=True)
    return {
        "open_records": Process.objects.filter(closed_at__isnull=True).count(),
        "active_deadlines": active.count(),
        "past_due_open": active.filter(
            status=Deadline.Status.OPEN, paused_since__isnull=True, due__lt=today
        ).count(),
        "to_remind": active.filter(
            status=Deadline.Status.OPEN,
            paused_since__isnull=True,
            reminded_at__isnull=True,
            remind_on__lte=today,
            due__gte=today,
        ).count(),
    }


def time_available_actions(username: str, calls: int, warmup: int, today) -> dict:
    """available_actions as the record page calls it: a fresh user and record each time
    (loaded outside the timer; the user's roles are read before, as a request does)."""
    from django.db import connection

    from khcn.accounts.models import User
    from khcn.core.management.commands.seed import HISTORY_REFERENCE
    from khcn.workflow.engine import available_actions
    from khcn.workflow.models import Process

    record = Process.objects.filter(reference=HISTORY_REFERENCE).first()
    if record is None:
        raise SystemExit(f"bench/workflow.py: no record {HISTORY_REFERENCE}; run `khcn seed` first")
    user_pk = User.objects.get(username=username).pk
    times, queries, options, log = [], [], [], QueryLog()
    for n in range(warmup + calls):
        user = User.objects.get(pk=user_pk)
        user.roles_by_agency()
        process = Process.objects.select_related("ruleset", "agency").get(pk=record.pk)
        log = QueryLog()
        with connection.execute_wrapper(log):
            started = time.perf_counter()
            options = available_actions(user, process, today=today)
            elapsed = time.perf_counter() - started
        if n >= warmup:
            times.append(elapsed * 1000)
            queries.append(log.count)
    return {
        "pk": record.pk,
        "history": record.events.count(),
        "state": record.state,
        "calls": len(times),
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "max_ms": max(times),
        "queries": sorted(set(queries)),
        "statements": [
            {"count": n, "sql": sql[:160], "where": log.places(sql)}
            for sql, n in log.shapes.most_common()
        ],
        "options": [
            {"action": o.action, "allowed": o.allowed, "reason": o.reason} for o in options
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo quy trình: quét thời hạn, available_actions.")
    parser.add_argument("--calls", type=int, default=200, help="số lần gọi available_actions")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--user", default="bench")
    parser.add_argument("--today", help="ngày quét YYYY-MM-DD (mặc định hôm nay)")
    parser.add_argument("--no-sweep", action="store_true", help="không chạy quét thời hạn")
    parser.add_argument("--json", type=Path, help="ghi kết quả ra tệp JSON")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khcn.settings")
    import django

    django.setup()
    import datetime as dt

    from khcn.core import clock
    from khcn.core.management.commands.seed import database_description

    today = dt.date.fromisoformat(args.today) if args.today else clock.today()
    out: dict = {"today": today.isoformat(), "database": database_description()}
    if not args.no_sweep:
        out["before"] = open_records(today)
        print(
            f"   quét thời hạn ngày {today:%d/%m/%Y}: {out['before']['open_records']} hồ sơ đang mở, "
            f"{out['before']['active_deadlines']} thời hạn đang chạy",
            flush=True,
        )
        out["sweep"] = sweep_once(today)
        out["sweep_again"] = sweep_once(today)
        out["after"] = open_records(today)
    print(f"   available_actions × {args.calls}", flush=True)
    out["actions"] = time_available_actions(args.user, args.calls, args.warmup, today)
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    else:
        print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
