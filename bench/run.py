"""KHCN benchmark: response times and SQL queries per request of the real server.

    make bench                                   # SQLite, scale 1000, 100 000 workflow records
    .venv/bin/python bench/run.py --scale 5000 --requests 500
    .venv/bin/python bench/run.py --processes 0  # no workflow records, no workflow measurements
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/khcn_bench .venv/bin/python bench/run.py

Steps: a fresh database (SQLite under var/bench/, or the empty database named by
DATABASE_URL), `khcn migrate`, `khcn seed --scale N --processes P`, the workflow
measurements (bench/workflow.py in a subprocess: the daily deadline sweep over the
P open records, twice the same day, and `available_actions` on the record with 50
history entries), the production server (`khcn serve`, gunicorn) with
KHCN_QUERY_COUNT_HEADER=1, a login through the real login form, an API token from
`khcn token create`, then for every row of ENDPOINTS some warm-up requests and N
measured sequential requests. Every response must be 200, else the exit status is 1.

Only the standard library is used, so the script runs with any Python >= 3.11 (the
workflow measurements run in the subprocess, with the interpreter running this script,
which must have Django: the virtualenv's).
To benchmark a new page or API call, append an Endpoint to ENDPOINTS.
"""

import argparse
import http.client
import json
import math
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
BENCH_USERNAME = "bench"  # created by `khcn seed` (khcn/core/management/commands/seed.py)
BENCH_PASSWORD = "bench-pass"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Endpoint:
    """One benchmarked request. `auth`: "session" (logged-in browser session cookie),
    "token" (Authorization: Bearer <key>) or "anon" (no credentials)."""

    label: str
    path: str
    auth: str


# Later work appends its pages and API calls here. A path may name a generated record:
# {history_pk} is the workflow record with 50 history entries (`khcn seed`, HISTORY_REFERENCE).
ENDPOINTS: list[Endpoint] = [
    Endpoint("Trang chủ (Việc của tôi)", "/", "session"),
    Endpoint("API: người dùng hiện tại", "/api/v1/me", "token"),
    Endpoint("Nhật ký hệ thống", "/nhat-ky/", "session"),
    Endpoint("API: nhật ký, 50 sự kiện", "/api/v1/audit/events?limit=50", "token"),
    Endpoint("Hồ sơ xử lý (theo hạn gần nhất)", "/ho-so-xu-ly/", "session"),
    Endpoint("Hồ sơ xử lý, 50 mục lịch sử", "/ho-so-xu-ly/{history_pk}/", "session"),
]


class BenchError(Exception):
    pass


# --- HTTP client (standard library) ---------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    elapsed: float  # seconds, request sent to body read


class Client:
    """A keep-alive HTTP connection with a cookie store and optional default headers."""

    def __init__(self, port: int, headers: dict[str, str] | None = None):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.headers = dict(headers or {})
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        hdrs = {
            "Host": f"{HOST}:{self.port}",
            "Accept-Language": "vi",
            **self.headers,
            **(headers or {}),
        }
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):  # reconnect once if the server closed the kept-alive connection
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
            try:
                started = time.perf_counter()
                self.conn.request(method, path, body=body, headers=hdrs)
                resp = self.conn.getresponse()
                data = resp.read()
                elapsed = time.perf_counter() - started
            except (http.client.RemoteDisconnected, ConnectionError, http.client.CannotSendRequest):
                self.close()
                if attempt == 2:
                    raise
                continue
            if resp.will_close:
                self.close()
            for value in resp.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            return Response(resp.status, resp.headers, data, elapsed)
        raise AssertionError("unreachable")

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str]) -> Response:
        body = urllib.parse.urlencode(fields).encode()
        return self.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}:{self.port}{path}",
            },
        )

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def login(port: int) -> Client:
    """Log in as the bench user through the real form: csrftoken cookie + csrfmiddlewaretoken."""
    client = Client(port)
    page = client.get("/dang-nhap/")
    if page.status != 200:
        raise BenchError(f"GET /dang-nhap/ trả về {page.status}")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if not match or "csrftoken" not in client.cookies:
        raise BenchError("Trang đăng nhập không có csrftoken/csrfmiddlewaretoken.")
    resp = client.post_form(
        "/dang-nhap/",
        {
            "csrfmiddlewaretoken": match.group(1).decode(),
            "username": BENCH_USERNAME,
            "password": BENCH_PASSWORD,
            "next": "",
        },
    )
    if resp.status != 302 or "sessionid" not in client.cookies:
        raise BenchError(f"Đăng nhập “{BENCH_USERNAME}” thất bại (HTTP {resp.status}).")
    return client


# --- the server and the management commands ------------------------------------------------------


def khcn_command(*args: str) -> list[str]:
    """`khcn …`: the console script next to this Python (the virtualenv), else `python -m khcn`."""
    script = Path(sys.executable).parent / "khcn"
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "khcn", *args]


def khcn(args: list[str], env: dict[str, str], capture: bool = False) -> str:
    """Run `khcn …` to completion and fail loudly."""
    proc = subprocess.run(
        khcn_command(*args),
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    if proc.returncode != 0:
        raise BenchError(f"`khcn {' '.join(args)}` thất bại (mã {proc.returncode}).")
    return proc.stdout or ""


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def wait_until_up(proc: subprocess.Popen, port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(
                f"Máy chủ đã dừng (mã {proc.returncode}); xem {BENCH_DIR / 'server.log'}."
            )
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/dang-nhap/")
            if conn.getresponse().status == 200:
                conn.close()
                return
            conn.close()
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(
        f"Máy chủ không trả lời sau {timeout:.0f} giây; xem {BENCH_DIR / 'server.log'}."
    )


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the gunicorn master we started (it stops its workers), SIGKILL if it hangs."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def fresh_environment(database_url: str | None) -> dict[str, str]:
    """Environment for the child processes; removes the previous SQLite database and files."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if not database_url:
        for name in ("khcn.sqlite3", "khcn.sqlite3-wal", "khcn.sqlite3-shm"):
            (BENCH_DIR / name).unlink(missing_ok=True)
    shutil.rmtree(BENCH_DIR / "files", ignore_errors=True)
    return server_environment(database_url)


def server_environment(database_url: str | None) -> dict[str, str]:
    """The environment the seed, the server and the probes run with (database as given)."""
    env = {k: v for k, v in os.environ.items() if k not in {"MEDIA_ROOT", "STATIC_ROOT"}}
    env.update(
        {
            "KHCN_VAR_DIR": str(BENCH_DIR),  # SQLite file, uploaded files, static files, secret key
            "DEBUG": "0",
            "KHCN_HTTPS": "0",
            "KHCN_QUERY_COUNT_HEADER": "1",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DJANGO_SETTINGS_MODULE": "khcn.settings",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Result:
    endpoint: Endpoint
    times_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the measured times."""
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    def queries_range(self) -> str:
        if not self.queries:
            return "?"
        lo, hi = min(self.queries), max(self.queries)
        return str(lo) if lo == hi else f"{lo}–{hi}"


def measure(endpoint: Endpoint, clients: dict[str, Client], requests: int, warmup: int) -> Result:
    client = clients[endpoint.auth]
    result = Result(endpoint)
    for n in range(warmup + requests):
        resp = client.get(endpoint.path)
        if resp.status != 200:
            where = resp.headers.get("Location", "")
            result.failures.append(f"#{n + 1}: HTTP {resp.status}{' → ' + where if where else ''}")
            if len(result.failures) >= 5:
                break
            continue
        if n < warmup:
            continue
        result.times_ms.append(resp.elapsed * 1000)
        count = resp.headers.get("X-DB-Queries")
        if count is not None and count.isdigit():
            result.queries.append(int(count))
    return result


def print_box(head: list[str], rows: list[list[str]], numeric: set[int]) -> None:
    """A table framed like `+---+` / `| a | b |`, the columns in `numeric` right-aligned."""
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]

    def fmt(row):
        cells = [
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "| " + " | ".join(cells) + " |"

    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    print(rule, fmt(head), rule, *[fmt(r) for r in rows], rule, sep="\n")


def print_table(results: list[Result], machine: str) -> None:
    head = ["endpoint", "path", "requests", "p50 ms", "p95 ms", "max ms", "queries/req"]
    rows = []
    for r in results:
        if r.times_ms:
            rows.append(
                [
                    r.endpoint.label,
                    r.endpoint.path,
                    str(len(r.times_ms)),
                    f"{r.percentile(50):.1f}",
                    f"{r.percentile(95):.1f}",
                    f"{max(r.times_ms):.1f}",
                    r.queries_range(),
                ]
            )
        else:
            rows.append([r.endpoint.label, r.endpoint.path, "0", "-", "-", "-", "-"])
    print_box(head, rows, {2, 3, 4, 5, 6})
    print(machine)


# --- the workflow measurements (bench/workflow.py) ------------------------------------------------


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def run_workflow(env: dict[str, str], calls: int, warmup: int) -> dict:
    """bench/workflow.py in a subprocess (it needs Django): the deadline sweep twice, then
    `available_actions` `calls` times. Its summary goes to the console, its results to JSON."""
    out = BENCH_DIR / "workflow.json"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, str(ROOT / "bench" / "workflow.py"), "--calls", str(calls)]
    cmd += ["--warmup", str(warmup), "--user", BENCH_USERNAME, "--json", str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env)
    if proc.returncode != 0 or not out.exists():
        raise BenchError(f"bench/workflow.py thất bại (mã {proc.returncode}).")
    return json.loads(out.read_text())


def print_workflow(wf: dict) -> None:
    before, sweep, again, act = wf["before"], wf["sweep"], wf["sweep_again"], wf["actions"]
    day = ".".join(reversed(wf["today"].split("-")))
    head = ["phép đo (trong tiến trình Python)", "lần", "p50", "p95", "max", "truy vấn/lần"]
    rows = [
        [
            f"Quét thời hạn, {thousands(before['open_records'])} hồ sơ đang mở",
            "1",
            f"{sweep['seconds']:.2f} s",
            "-",
            "-",
            str(sweep["queries"]),
        ],
        [
            "Quét thời hạn lần 2, cùng ngày",
            "1",
            f"{again['seconds']:.2f} s",
            "-",
            "-",
            str(again["queries"]),
        ],
        [
            f"available_actions, hồ sơ #{act['pk']} ({act['history']} mục lịch sử)",
            str(act["calls"]),
            f"{act['p50_ms']:.2f} ms",
            f"{act['p95_ms']:.2f} ms",
            f"{act['max_ms']:.2f} ms",
            "–".join(str(q) for q in (act["queries"][0], act["queries"][-1]))
            if len(act["queries"]) > 1
            else str(act["queries"][0]),
        ],
    ]
    print_box(head, rows, {1, 2, 3, 4, 5})

    def counts(r: dict) -> str:
        refused = f", {r['automatic_refused']} bị từ chối" if r["automatic_refused"] else ""
        return (
            f"{thousands(r['missed'])} chuyển quá hạn, {thousands(r['reminded'])} được nhắc, "
            f"{thousands(r['escalated'])} báo lãnh đạo, {r['automatic']} bước tự động{refused}"
        )

    print(
        f"quét ngày {day}: {thousands(before['active_deadlines'])} thời hạn đang chạy, "
        f"{thousands(before['past_due_open'])} vừa qua hạn, {thousands(before['to_remind'])} cần nhắc"
    )
    print(f"  lần 1: {counts(sweep)}")
    print(f"  lần 2: {counts(again)}")
    allowed = sum(1 for o in act["options"] if o["allowed"])
    names = ", ".join(o["action"] for o in act["options"])
    print(
        f"available_actions ({BENCH_USERNAME}, trạng thái {act['state']}): {names} "
        f"({allowed}/{len(act['options'])} được phép)"
    )

    def statement(row: dict, head: str) -> None:
        sql = re.sub(r'"(\w+)"\."\w+"', r"\1.…", row["sql"])[:70]
        print(f"  {head} {sql}")
        for place in row["where"]:
            print(f"    {place['count']:>6} ← {place['where']}")

    if sweep.get("slowest"):
        print("câu lệnh SQL tốn thời gian nhất trong lần quét 1 (tổng thời gian, số lần, nơi gọi):")
        for row in sweep["slowest"]:
            statement(row, f"{row['seconds']:>7.3f} s, {row['count']:>5} ×")
    if sweep["repeated"]:
        print("câu lệnh SQL lặp lại nhiều nhất trong lần quét 1 (số lần, nơi gọi):")
        for row in sweep["repeated"]:
            statement(row, f"{row['count']:>6} ×")


def database_vendor(env: dict[str, str]) -> str:
    code = "from khcn.core.management.commands.seed import database_description as d; print(d())"
    return khcn(["shell", "-c", code], env, capture=True).strip().splitlines()[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Đo thời gian phản hồi và số truy vấn SQL của KHCN."
    )
    parser.add_argument(
        "--scale", type=int, default=1000, help="số bản ghi mỗi bảng chính (mặc định 1000)"
    )
    parser.add_argument(
        "--requests", type=int, default=200, help="số yêu cầu đo mỗi địa chỉ (mặc định 200)"
    )
    parser.add_argument(
        "--warmup", type=int, default=20, help="số yêu cầu khởi động, không tính (mặc định 20)"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--workers", type=int, default=2, help="số tiến trình gunicorn (mặc định 2)"
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=100_000,
        help="số hồ sơ quy trình đang mở cho phép quét thời hạn (mặc định 100000; 0: bỏ qua)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PATH",
        help="chỉ đo các địa chỉ bắt đầu bằng PATH (lặp lại được)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="ghi kết quả ra tệp JSON")
    args = parser.parse_args(argv)

    database_url = os.environ.get("DATABASE_URL") or None
    endpoints = [
        e for e in ENDPOINTS if not args.only or any(e.path.startswith(p) for p in args.only)
    ]
    if not endpoints:
        raise BenchError("Không có địa chỉ nào khớp --only.")
    if port_in_use(args.port):
        raise BenchError(f"Cổng {args.port} đang có chương trình khác dùng; chọn --port khác.")

    env = fresh_environment(database_url)
    where = database_url.split("@")[-1] if database_url else str(BENCH_DIR / "khcn.sqlite3")
    print(f"== Cơ sở dữ liệu: {where}", flush=True)
    khcn(["migrate", "--no-input", "--verbosity", "0"], env)
    print(f"== khcn seed --scale {args.scale} --processes {args.processes}", flush=True)
    khcn(["seed", "--scale", str(args.scale), "--processes", str(args.processes)], env)
    workflow = None
    if args.processes > 0:
        print("== bench/workflow.py: quét thời hạn, available_actions", flush=True)
        workflow = run_workflow(env, args.requests, args.warmup)
        names = {"history_pk": workflow["actions"]["pk"]}
        endpoints = [Endpoint(e.label, e.path.format(**names), e.auth) for e in endpoints]
    else:
        endpoints = [e for e in endpoints if "{" not in e.path]
    vendor = database_vendor(env)
    key = khcn(["token", "create", "--user", BENCH_USERNAME, "--name", "bench"], env, capture=True)
    key = key.strip().splitlines()[-1]

    print(f"== khcn serve --bind {HOST}:{args.port} --workers {args.workers}", flush=True)
    log = open(BENCH_DIR / "server.log", "w")  # closed in the finally block
    server = subprocess.Popen(
        khcn_command("serve", "--bind", f"{HOST}:{args.port}", "--workers", str(args.workers)),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    clients: dict[str, Client] = {}
    try:
        wait_until_up(server, args.port)
        clients = {
            "session": login(args.port),
            "token": Client(
                args.port, {"Authorization": f"Bearer {key}", "Accept": "application/json"}
            ),
            "anon": Client(args.port),
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

    machine = (
        f"máy: {os.cpu_count()} CPU, {platform.platform()}, Python {platform.python_version()}, "
        f"CSDL {vendor}, scale {args.scale}, {thousands(args.processes)} hồ sơ quy trình, "
        f"gunicorn {args.workers} workers, yêu cầu tuần tự"
    )
    print()
    print_table(results, machine)
    if workflow is not None:
        print()
        print_workflow(workflow)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": {
                        "cpus": os.cpu_count(),
                        "platform": platform.platform(),
                        "python": platform.python_version(),
                        "database": vendor,
                        "scale": args.scale,
                        "processes": args.processes,
                    },
                    "workflow": workflow,
                    "results": [
                        {
                            "label": r.endpoint.label,
                            "path": r.endpoint.path,
                            "auth": r.endpoint.auth,
                            "requests": len(r.times_ms),
                            "p50_ms": r.percentile(50) if r.times_ms else None,
                            "p95_ms": r.percentile(95) if r.times_ms else None,
                            "max_ms": max(r.times_ms) if r.times_ms else None,
                            "queries": sorted(set(r.queries)),
                            "failures": r.failures,
                        }
                        for r in results
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    failed = [r for r in results if r.failures]
    for r in failed:
        print(f"LỖI {r.endpoint.path}: " + "; ".join(r.failures), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(1)
