"""Administrative dossiers at scale: the staff list and the statistics on 1,000,000 dossiers.

    .venv/bin/python bench/procedures.py                     # SQLite, 1 000 000 dossiers
    .venv/bin/python bench/procedures.py --dossiers 200000 --requests 100
    .venv/bin/python bench/procedures.py --reuse             # the database of the last run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/khcn_bench_procedures \\
        .venv/bin/python bench/procedures.py

Steps: a fresh database (SQLite under var/bench-procedures/, or the empty database named by
DATABASE_URL), `khcn migrate` (which seeds the procedure catalogue), `khcn seed --scale N
--processes 0` (agencies and the `bench` user, staff and leader of bench-01), then N dossiers
of bench-01 written in bulk (COPY on PostgreSQL, executemany on SQLite) with their workflow
records: five years of receipts (2022 to today) over the nine procedures, most returned
(some refused, late or withdrawn, one in ten after a supplement request), the recent ones
spread over the open steps. Deadline rows and history are not generated: the list and the
statistics read the copies kept on the dossier (state, due date, finished date, lateness).
Then the plans (EXPLAIN) of the list's and the statistics' queries, the production server
(`khcn serve`, gunicorn, KHCN_QUERY_COUNT_HEADER=1), a login as `bench` and, for each
endpoint, warm-up requests and N measured sequential requests:

  * the staff page /ho-so-tthc/ filtered by procedure and step, nearest due date first
    (50 a page), and unfiltered (the open dossiers of every procedure);
  * the statistics page /ho-so-tthc/thong-ke/?nam=<last year> (one year, by procedure);
  * the same two through the API (bearer token).

Targets (2-core machine): list p95 < 100 ms with at most 12 queries; statistics p95 <
1000 ms with at most 12 queries. Every response must be 200, else the exit status is 1.
Uses bench/run.py's client, server handling and table (standard library only).
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
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
)

PROCEDURES_DIR = run.ROOT / "var" / "bench-procedures"
AGENCY = "bench-01"
LIST_PROCEDURE = "KHCN-DNKHCN-01"
LIST_STATE = "APPRAISING"
TARGETS = {"list": (100, 12), "statistics": (1000, 12)}  # p95 ms, queries
CHUNK = 20_000

# (code, weight): the enterprise certificate is the most frequent procedure
WEIGHTS = [
    ("KHCN-DNKHCN-01", 30),
    ("KHCN-DNKHCN-02", 8),
    ("KHCN-DNKHCN-03", 3),
    ("KHCN-DNKHCN-04", 1),
    ("KHCN-DKHD-01", 15),
    ("KHCN-DKHD-02", 8),
    ("KHCN-KQNV-01", 15),
    ("KHCN-CGCN-01", 10),
    ("KHCN-SK-01", 10),
]
OPEN_STATES = [
    ("RECEIVED", 20),
    ("SUPPLEMENT_REQUESTED", 15),
    ("APPRAISING", 30),
    ("EXPERT_REVIEW", 5),
    ("AWAITING_DECISION", 15),
    ("APPROVED", 5),
    ("RESULT_ISSUED", 10),
]


# --- generating (runs inside Django, in a child process) -------------------------------------------


def generate(total: int, seed: int = 2026) -> dict:
    """Write `total` dossiers of bench-01 and their workflow records; returns facts."""
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from khcn.accounts.models import Agency
    from khcn.core import clock
    from khcn.procedures.models import Dossier, DossierSequence, Procedure
    from khcn.workflow.loader import current_version
    from khcn.workflow.models import Process

    rng = random.Random(seed)
    agency = Agency.objects.get(code=AGENCY)
    procedures = {p.code: p for p in Procedure.objects.all()}
    versions = {code: current_version(p.ruleset_code) for code, p in procedures.items()}
    codes = [c for c, _w in WEIGHTS]
    weights = [w for _c, w in WEIGHTS]
    open_states = [s for s, _w in OPEN_STATES]
    open_weights = [w for _s, w in OPEN_STATES]
    dossier_type = ContentType.objects.get_for_model(Dossier).pk
    today = clock.today()
    start = dt.date(2022, 1, 3)
    span = (today - start).days
    first_process = (Process.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    first_dossier = (Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    # receipt days in order, so that codes run with the days within each year
    days = sorted(start + dt.timedelta(days=rng.randrange(span + 1)) for _ in range(total))
    sequence: dict[int, int] = {}

    process_cols = [
        "id", "agency_id", "ruleset_id", "title", "reference", "state", "state_entered_at",
        "data", "subject_type_id", "subject_id", "started_at", "closed_at", "revision",
        "next_due",
    ]  # fmt: skip
    dossier_cols = [
        "id", "agency_id", "procedure_id", "process_id", "code", "channel", "applicant_id",
        "applicant_kind", "applicant_name", "tax_code", "citizen_id", "representative",
        "address", "phone", "email", "form_data", "received_at", "received_on",
        "received_by_id", "state", "due_date", "promised_date", "finished_on", "outcome",
        "late", "supplement_count", "returned_on", "receipt_id",
    ]  # fmt: skip

    def rows(offset: int, count: int):
        processes, dossiers = [], []
        for i in range(offset, offset + count):
            received = days[i]
            year = received.year
            sequence[year] = sequence.get(year, 0) + 1
            code = f"{AGENCY.upper()}-{year}-{sequence[year]:06d}"
            proc_code = rng.choices(codes, weights)[0]
            procedure = procedures[proc_code]
            due = received + dt.timedelta(days=14 + rng.randrange(8))
            age = (today - received).days
            supplements = 1 if rng.random() < 0.1 else 0
            finished = returned = None
            outcome, late = "", False
            if age > 45 or (age > 10 and rng.random() < 0.7):
                roll = rng.random()
                took = rng.randrange(3, 22) if rng.random() < 0.97 else rng.randrange(23, 40)
                finished = min(received + dt.timedelta(days=took), today)
                late = finished > due
                if roll < 0.02:
                    state, outcome, late = "WITHDRAWN", "withdrawn", False
                elif roll < 0.07:
                    state, outcome = "CLOSED_REFUSED", "refused"
                else:
                    state, outcome = "RETURNED", "approved"
                returned = min(finished + dt.timedelta(days=rng.randrange(0, 4)), today)
            else:
                state = rng.choices(open_states, open_weights)[0]
                if state == "RESULT_ISSUED":
                    finished, outcome = min(received + dt.timedelta(days=10), today), "approved"
                    late = finished > due
            pid, did = first_process + i, first_dossier + i
            at = dt.datetime.combine(received, dt.time(9, 0), tzinfo=dt.UTC)
            closed = (
                dt.datetime.combine(returned or finished, dt.time(16, 0), tzinfo=dt.UTC)
                if state in ("RETURNED", "CLOSED_REFUSED", "WITHDRAWN")
                else None
            )
            processes.append(
                (
                    pid, agency.pk, versions[proc_code].pk,
                    f"{code} – {procedure.short_name}: Công ty số {i % 5000}", code, state, at,
                    "{}", dossier_type, str(did), at, closed, 3,
                    None if closed else due,
                )
            )  # fmt: skip
            dossiers.append(
                (
                    did, agency.pk, procedure.pk, pid, code,
                    "online" if rng.random() < 0.9 else "counter", None, "organisation",
                    f"Công ty Cổ phần số {i % 5000}", "0200167782", "", "Nguyễn Văn A",
                    "Hải Phòng", "", "", "{}", at, received, None, state, due, due, finished,
                    outcome, late, supplements, returned, None,
                )
            )  # fmt: skip
        return processes, dossiers

    started = time.perf_counter()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # a page cache large enough for the indexes being filled (1 GB; the default 2 MB
            # makes each insert into a random place of a large index a disk read)
            cursor.execute("PRAGMA cache_size = -1000000")
    with transaction.atomic():
        for offset in range(0, total, CHUNK):
            processes, dossiers = rows(offset, min(CHUNK, total - offset))
            _write(connection, Process._meta.db_table, process_cols, processes)
            _write(connection, Dossier._meta.db_table, dossier_cols, dossiers)
        for year, last in sequence.items():
            DossierSequence.objects.update_or_create(
                agency=agency, year=year, defaults={"last": last}
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Process, Dossier):
                    table = model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT MAX(id) FROM {table}))"
                    )
    written = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"dossiers": total, "seconds": round(written, 1)}


def _write(connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3: COPY is an order of magnitude faster than INSERT
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            # the sqlite3 driver itself, values already in the form Django stores them
            marks = ", ".join(["?"] * len(columns))
            connection.connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                [tuple(_sqlite(v) for v in row) for row in rows],
            )


def _sqlite(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


# The list's and the statistics' queries as the pages build them, with their plans.
PROBE = """
import datetime as dt, json
from django.db import connection
from django.test.utils import CaptureQueriesContext
from khcn.accounts.models import Agency, User
from khcn.core import clock
from khcn.procedures import selectors
from khcn.procedures.models import Dossier, Procedure
user = User.objects.get(username="bench")
agency = Agency.objects.get(code="%(agency)s")
procedure = Procedure.objects.get(code="%(procedure)s")
qs = selectors.dossiers_for_staff(user=user, agency=agency, procedure=procedure,
                                  state="%(state)s", today=clock.today())
page = qs[:50]
year = clock.today().year - 1
with CaptureQueriesContext(connection) as queries:
    stats = selectors.dossier_statistics(user=user, agency=agency, date_from=dt.date(year, 1, 1),
                                         date_to=dt.date(year, 12, 31), today=clock.today())
out = {
    "dossiers": Dossier.objects.count(),
    "matching": qs.count(),
    "procedure_pk": procedure.pk,
    "year": year,
    "list_plan": page.explain(),
    "stats_sql": [q["sql"] for q in queries.captured_queries][-4:-1],
    "stats_total": stats.total.as_dict(),
}
print("PROBE " + json.dumps(out, default=str))
"""


def probe(env: dict[str, str]) -> dict:
    script = PROBE % {"agency": AGENCY, "procedure": LIST_PROCEDURE, "state": LIST_STATE}
    out = khcn(["shell", "-c", script], env, capture=True)
    line = next(x for x in out.splitlines() if x.startswith("PROBE "))
    return json.loads(line[len("PROBE ") :])


def explain_stats(env: dict[str, str], sql: str) -> str:
    script = (
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        f"prefix = 'EXPLAIN ' if connection.vendor == 'postgresql' else 'EXPLAIN QUERY PLAN '\n"
        f"c.execute(prefix + {sql!r})\n"
        "print('PLAN ' + repr([r for r in c.fetchall()]))\n"
    )
    out = khcn(["shell", "-c", script], env, capture=True)
    return next((x for x in out.splitlines() if x.startswith("PLAN ")), "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo danh sách hồ sơ TTHC và trang thống kê.")
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="số hồ sơ (1000000)")
    parser.add_argument("--scale", type=int, default=200, help="người dùng… (mặc định 200)")
    parser.add_argument("--requests", type=int, default=200, help="số yêu cầu đo mỗi trang")
    parser.add_argument("--warmup", type=int, default=20, help="số yêu cầu khởi động, không tính")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--workers", type=int, default=2, help="số tiến trình gunicorn")
    parser.add_argument("--reuse", action="store_true", help="dùng lại CSDL lần chạy trước")
    parser.add_argument("--json", type=Path, metavar="FILE", help="ghi kết quả ra tệp JSON")
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.generate is not None:
        print("GENERATED " + json.dumps(generate(args.generate)))
        return 0

    run.BENCH_DIR = PROCEDURES_DIR
    database_url = os.environ.get("DATABASE_URL") or None
    if port_in_use(args.port):
        raise BenchError(f"Cổng {args.port} đang có chương trình khác dùng; chọn --port khác.")
    if args.reuse:
        if not database_url and not (PROCEDURES_DIR / "khcn.sqlite3").exists():
            raise BenchError("Chưa có cơ sở dữ liệu của lần chạy trước; chạy không có --reuse.")
        env = run.server_environment(database_url)
    else:
        env = run.fresh_environment(database_url)
    where = database_url.split("@")[-1] if database_url else str(PROCEDURES_DIR / "khcn.sqlite3")
    print(f"== Cơ sở dữ liệu: {where}", flush=True)
    seed_seconds = None
    if not args.reuse:
        khcn(["migrate", "--no-input", "--verbosity", "0"], env)
        print(f"== khcn seed --scale {args.scale} --processes 0", flush=True)
        khcn(["seed", "--scale", str(args.scale), "--processes", "0"], env)
        print(f"== {thousands(args.dossiers)} hồ sơ TTHC của {AGENCY}", flush=True)
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, __file__, "--generate", str(args.dossiers)],
            cwd=run.ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        seed_seconds = time.perf_counter() - started
        print("   " + next(x for x in out.splitlines() if x.startswith("GENERATED ")))
    facts = probe(env)
    vendor = run.database_vendor(env)
    print(
        f"== {thousands(facts['dossiers'])} hồ sơ; {thousands(facts['matching'])} khớp "
        f"{LIST_PROCEDURE} / {LIST_STATE}; thống kê năm {facts['year']}: "
        f"{json.dumps(facts['stats_total'], ensure_ascii=False)}"
    )
    print("== Kế hoạch truy vấn của danh sách (EXPLAIN):")
    for line in facts["list_plan"].splitlines():
        print(f"   {line}")
    for sql in facts["stats_sql"]:
        print("== Kế hoạch truy vấn thống kê: " + explain_stats(env, sql)[:600])

    year = facts["year"]
    pk = facts["procedure_pk"]
    endpoints = [
        Endpoint(
            "Hồ sơ TTHC: một thủ tục, một bước (theo hạn)",
            f"/ho-so-tthc/?thu_tuc={pk}&buoc={LIST_STATE}",
            "session",
        ),
        Endpoint("Hồ sơ TTHC: đang giải quyết (theo hạn)", "/ho-so-tthc/", "session"),
        Endpoint("Thống kê TTHC một năm", f"/ho-so-tthc/thong-ke/?nam={year}", "session"),
        Endpoint(
            "API: hồ sơ một thủ tục, một bước",
            f"/api/v1/dossiers?agency={AGENCY}&procedure={LIST_PROCEDURE}&state={LIST_STATE}"
            "&limit=50",
            "token",
        ),
        Endpoint(
            "API: thống kê một năm",
            f"/api/v1/dossiers-statistics?agency={AGENCY}&date_from={year}-01-01"
            f"&date_to={year}-12-31",
            "token",
        ),
    ]
    key = (
        khcn(
            ["token", "create", "--user", run.BENCH_USERNAME, "--name", "bench-procedures"],
            env,
            capture=True,
        )
        .strip()
        .splitlines()[-1]
        .strip()
    )
    print(f"== khcn serve --bind {HOST}:{args.port} --workers {args.workers}", flush=True)
    log = open(PROCEDURES_DIR / "server.log", "w")  # closed in the finally block
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
        run.wait_until_up(server, args.port)
        clients = {
            "session": login(args.port),
            "token": Client(args.port, {"Authorization": f"Bearer {key}"}),
        }
        results = []
        for endpoint in endpoints:
            print(f"-- {endpoint.path} ({args.warmup} + {args.requests} yêu cầu)", flush=True)
            results.append(measure(endpoint, clients, args.requests, args.warmup))
    finally:
        for client in clients.values():
            client.close()
        stop(server)
        log.close()

    ram = ""
    try:
        kb = int(next(x for x in open("/proc/meminfo") if x.startswith("MemTotal")).split()[1])
        ram = f", {kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    load = f", tải trung bình {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    machine = (
        f"máy: {os.cpu_count()} CPU{ram}{load}, {platform.platform()}, Python "
        f"{platform.python_version()}, CSDL {vendor}, {thousands(facts['dossiers'])} hồ sơ TTHC, "
        f"gunicorn {args.workers} workers, yêu cầu tuần tự"
    )
    if seed_seconds is not None:
        machine += f"; sinh dữ liệu {seed_seconds:.0f} s"
    print()
    print_table(results, machine)
    missed = check_targets(results)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": machine,
                    "facts": facts,
                    "results": [
                        {
                            "label": r.endpoint.label,
                            "path": r.endpoint.path,
                            "requests": len(r.times_ms),
                            "p50_ms": r.percentile(50) if r.times_ms else None,
                            "p95_ms": r.percentile(95) if r.times_ms else None,
                            "queries": sorted(set(r.queries)),
                            "failures": r.failures,
                        }
                        for r in results
                    ],
                    "targets_missed": missed,
                },
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
    for r in results:
        if r.failures:
            print(f"LỖI {r.endpoint.path}: " + "; ".join(r.failures), file=sys.stderr)
    return 1 if missed or any(r.failures for r in results) else 0


def check_targets(results) -> list[str]:
    missed = []
    print()
    for r in results:
        kind = (
            "statistics"
            if "thong-ke" in r.endpoint.path or "statistics" in r.endpoint.path
            else "list"
        )
        limit_ms, limit_q = TARGETS[kind]
        if not r.times_ms:
            missed.append(f"{r.endpoint.path}: không đo được")
            continue
        p95, most = r.percentile(95), max(r.queries or [0])
        ok = p95 < limit_ms and most <= limit_q
        print(
            f"{'ĐẠT ' if ok else 'CHƯA'} {r.endpoint.label}: p95 {p95:.1f} ms (mục tiêu < "
            f"{limit_ms}), {r.queries_range()} truy vấn (tối đa {limit_q})"
        )
        if not ok:
            missed.append(r.endpoint.path)
    return missed


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(1)
