"""S&T task pages on 100,000 tasks with their history: response times and SQL queries.

    .venv/bin/python bench/projects.py                   # SQLite, 100 000 tasks
    .venv/bin/python bench/projects.py --projects 20000 --requests 100
    .venv/bin/python bench/projects.py --reuse           # the database of the last run, not re-seeded
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/khcn_bench_projects .venv/bin/python bench/projects.py

Steps: a fresh database (SQLite under var/bench-projects/, or the empty database named by
DATABASE_URL), `khcn migrate`, `khcn seed --scale N --processes 0 --projects P` (the tasks of
bench-01 on vn-2013, each with its workflow record, a history of 1–50 steps, deadline rows,
budget lines, and for some contracts, disbursements and councils; written in bulk), the plan
of the list's query (EXPLAIN), then the production server (`khcn serve`, gunicorn) with
KHCN_QUERY_COUNT_HEADER=1, a login as the staff member `bench`, and for each page some
warm-up requests and N measured sequential requests:

  * the staff task list filtered by step and year, nearest deadline first, 50 a page:
    /nhiem-vu/?buoc=IN_PROGRESS&nam=2025
  * the page of a task with 50 history entries (BENCH.LS50) and of one at the same step
    with 8 (BENCH.LS8): /nhiem-vu/<id>/

Targets (2-core machine): p95 under 100 ms; at most 10 queries for the list and 20 for a
task's page, the same for a long and a short history. Every response must be 200 and every
target met, else the exit status is 1.

Uses bench/run.py's client, server handling and table (standard library only).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (bench/run.py, next to this file)
from run import (  # noqa: E402
    HOST,
    BenchError,
    Client,
    Endpoint,
    khcn,
    khcn_command,
    login,
    measure,
    port_in_use,
    print_table,
    stop,
    thousands,
    wait_until_up,
)

PROJECTS_DIR = run.ROOT / "var" / "bench-projects"
LIST_PATH = "/nhiem-vu/?buoc=IN_PROGRESS&nam=2025"
TARGET_P95_MS = 100
TARGET_QUERIES = {"list": 10, "detail": 20}

# The list's query as the view builds it, and its plan; the tasks' primary keys.
PROBE = """
import datetime as dt, json
from django.db import connection
from khcn.accounts.models import User
from khcn.core import clock
from khcn.projects.models import Project
from khcn.projects.selectors import projects_for
user = User.objects.get(username="bench")
qs = projects_for(user, state="IN_PROGRESS", year=2025, today=clock.today())
page = qs[:50]
out = {
    "long": Project.objects.get(code="BENCH.LS50").pk,
    "short": Project.objects.get(code="BENCH.LS8").pk,
    "tasks": Project.objects.count(),
    "matching": qs.count(),
    "sql": str(page.query),
    "plan": page.explain(),
}
print("PROBE " + json.dumps(out))
"""


def probe(env: dict[str, str]) -> dict:
    out = khcn(["shell", "-c", PROBE], env, capture=True)
    line = next(x for x in out.splitlines() if x.startswith("PROBE "))
    return json.loads(line[len("PROBE ") :])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo trang danh sách và trang nhiệm vụ KH&CN.")
    parser.add_argument(
        "--projects", type=int, default=100_000, help="số nhiệm vụ (mặc định 100000)"
    )
    parser.add_argument(
        "--scale", type=int, default=1000, help="người dùng, tài liệu… (mặc định 1000)"
    )
    parser.add_argument("--requests", type=int, default=200, help="số yêu cầu đo mỗi trang")
    parser.add_argument("--warmup", type=int, default=20, help="số yêu cầu khởi động, không tính")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--workers", type=int, default=2, help="số tiến trình gunicorn (mặc định 2)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="dùng lại cơ sở dữ liệu lần chạy trước"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="ghi kết quả ra tệp JSON")
    args = parser.parse_args(argv)

    run.BENCH_DIR = PROJECTS_DIR  # server.log and the SQLite file go here
    database_url = os.environ.get("DATABASE_URL") or None
    if port_in_use(args.port):
        raise BenchError(f"Cổng {args.port} đang có chương trình khác dùng; chọn --port khác.")
    if args.reuse:
        env = reuse_environment(database_url)
    else:
        env = run.fresh_environment(database_url)
    where = database_url.split("@")[-1] if database_url else str(PROJECTS_DIR / "khcn.sqlite3")
    print(f"== Cơ sở dữ liệu: {where}", flush=True)
    seed_seconds = None
    if not args.reuse:
        khcn(["migrate", "--no-input", "--verbosity", "0"], env)
        print(
            f"== khcn seed --scale {args.scale} --processes 0 --projects {args.projects}",
            flush=True,
        )
        started = time.perf_counter()
        khcn(
            [
                "seed",
                "--scale",
                str(args.scale),
                "--processes",
                "0",
                "--projects",
                str(args.projects),
            ],
            env,
        )
        seed_seconds = time.perf_counter() - started
    facts = probe(env)
    vendor = run.database_vendor(env)
    print(
        f"== {thousands(facts['tasks'])} nhiệm vụ; {thousands(facts['matching'])} khớp {LIST_PATH}"
    )
    print("== Kế hoạch truy vấn của danh sách (EXPLAIN):")
    for line in facts["plan"].splitlines():
        print(f"   {line}")

    endpoints = [
        Endpoint("Danh sách nhiệm vụ (bước, năm; theo hạn)", LIST_PATH, "session"),
        Endpoint("Nhiệm vụ, 50 mục lịch sử", f"/nhiem-vu/{facts['long']}/", "session"),
        Endpoint("Nhiệm vụ, 8 mục lịch sử", f"/nhiem-vu/{facts['short']}/", "session"),
    ]
    print(f"== khcn serve --bind {HOST}:{args.port} --workers {args.workers}", flush=True)
    log = open(PROJECTS_DIR / "server.log", "w")  # closed in the finally block
    server = subprocess.Popen(
        khcn_command("serve", "--bind", f"{HOST}:{args.port}", "--workers", str(args.workers)),
        cwd=run.ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    clients: dict[str, Client] = {}
    try:
        wait_until_up(server, args.port)
        clients = {"session": login(args.port)}
        results = []
        for endpoint in endpoints:
            print(f"-- {endpoint.path} ({args.warmup} + {args.requests} yêu cầu)", flush=True)
            results.append(measure(endpoint, clients, args.requests, args.warmup))
    finally:
        for client in clients.values():
            client.close()
        stop(server)
        log.close()

    machine = (
        f"máy: {os.cpu_count()} CPU, {platform.platform()}, Python {platform.python_version()}, "
        f"CSDL {vendor}, {thousands(facts['tasks'])} nhiệm vụ (vn-2013), "
        f"gunicorn {args.workers} workers, yêu cầu tuần tự"
    )
    if seed_seconds is not None:
        machine += f"; sinh dữ liệu {seed_seconds:.0f} s"
    print()
    print_table(results, machine)
    failures = check_targets(results)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": {
                        "cpus": os.cpu_count(),
                        "platform": platform.platform(),
                        "python": platform.python_version(),
                        "database": vendor,
                        "tasks": facts["tasks"],
                        "matching": facts["matching"],
                        "seed_seconds": seed_seconds,
                    },
                    "plan": facts["plan"],
                    "results": [
                        {
                            "label": r.endpoint.label,
                            "path": r.endpoint.path,
                            "requests": len(r.times_ms),
                            "p50_ms": r.percentile(50) if r.times_ms else None,
                            "p95_ms": r.percentile(95) if r.times_ms else None,
                            "max_ms": max(r.times_ms) if r.times_ms else None,
                            "queries": sorted(set(r.queries)),
                            "failures": r.failures,
                        }
                        for r in results
                    ],
                    "targets_missed": failures,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    for r in results:
        if r.failures:
            print(f"LỖI {r.endpoint.path}: " + "; ".join(r.failures), file=sys.stderr)
    return 1 if failures or any(r.failures for r in results) else 0


def check_targets(results) -> list[str]:
    """One line per page: p95 and queries against the targets."""
    missed = []
    print()
    for r in results:
        kind = "list" if r.endpoint.path.startswith("/nhiem-vu/?") else "detail"
        if not r.times_ms:
            missed.append(f"{r.endpoint.path}: không đo được")
            continue
        p95, most = r.percentile(95), max(r.queries or [0])
        ok_time, ok_queries = p95 < TARGET_P95_MS, most <= TARGET_QUERIES[kind]
        print(
            f"{'ĐẠT ' if ok_time and ok_queries else 'CHƯA'} {r.endpoint.label}: p95 {p95:.1f} ms "
            f"(mục tiêu < {TARGET_P95_MS}), {r.queries_range()} truy vấn (tối đa {TARGET_QUERIES[kind]})"
        )
        if not (ok_time and ok_queries):
            missed.append(r.endpoint.path)
    detail = [r for r in results if not r.endpoint.path.startswith("/nhiem-vu/?")]
    if (
        len(detail) == 2
        and all(r.queries for r in detail)
        and set(detail[0].queries) != set(detail[1].queries)
    ):
        print("CHƯA số truy vấn của trang nhiệm vụ phụ thuộc độ dài lịch sử")
        missed.append("detail queries depend on history length")
    return missed


def reuse_environment(database_url: str | None) -> dict[str, str]:
    """The environment of `fresh_environment` without removing the previous database."""
    if not database_url and not (PROJECTS_DIR / "khcn.sqlite3").exists():
        raise BenchError(f"Chưa có {PROJECTS_DIR / 'khcn.sqlite3'}; chạy một lần không có --reuse.")
    return run.server_environment(database_url)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(1)
