"""Search on 1,000,000 index rows: response times and SQL queries of GET /api/v1/search.

    .venv/bin/python bench/search.py                       # SQLite, 1 000 000 rows
    .venv/bin/python bench/search.py --rows 100000 --requests 100
    .venv/bin/python bench/search.py --reuse               # the database of the last run
    .venv/bin/python bench/search.py --database-url postgres://postgres@127.0.0.1:5432/khcn_bench_search
    DATABASE_URL=postgres://… .venv/bin/python bench/search.py

Steps: a fresh database (SQLite under var/bench-search/, or the EMPTY database named by
--database-url / DATABASE_URL), `khcn migrate`, `khcn seed --scale 200 --processes 0`
(departments and the user `bench`), then N search index rows generated from a Vietnamese
vocabulary of tasks, results, organisations, people and IP assets (deterministic,
`random.Random(2026)`), written in bulk: SQLite executemany with the FTS5 triggers off and
one FTS5 'rebuild'; PostgreSQL COPY with the GIN indexes built afterwards. Then the
production server (`khcn serve`, gunicorn) with KHCN_QUERY_COUNT_HEADER=1 and, for each
kind of query (one word, three words, prefix; anonymous, and one word as staff with a
bearer token), warm-up requests and N measured sequential requests cycling through ten
queries of that kind, from very common words to rare ones.

Target (2-core machine): p95 under 50 ms. Every response must be 200, else exit status 1.
Uses bench/run.py's client, server handling and table (standard library only, except the
generator, which runs in a subprocess with Django).
"""

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (bench/run.py, next to this file)
from run import (  # noqa: E402
    BENCH_USERNAME,
    HOST,
    BenchError,
    Client,
    Endpoint,
    Result,
    khcn,
    khcn_command,
    port_in_use,
    print_table,
    stop,
    thousands,
    wait_until_up,
)

SEARCH_DIR = run.ROOT / "var" / "bench-search"
TARGET_P95_MS = 50

# Ten queries per kind, from words in a third of the rows to rare ones.
QUERIES = {
    "one": ["nghien", "cong", "lua", "tom", "hai", "vat", "nano", "che", "muoi", "vai"],
    "three": [
        "cong nghe sinh",
        "nghien cuu ung",
        "vat lieu xay",
        "nuoi tom nuoc",
        "giong lua chiu",
        "truong dai hoc",
        "xu ly chat",
        "hai phong ha",
        "phan mem quan",
        "che bien nong",
    ],
    "prefix": [
        "ngh*",
        "cong ngh*",
        "vat li*",
        "sinh ho*",
        "tru*",
        "hai ph*",
        "nuoi to*",
        "xu*",
        "gio*",
        "dong th*",
    ],
}
KIND_LABELS = {
    "one": "Một từ (ẩn danh)",
    "three": "Ba từ (ẩn danh)",
    "prefix": "Tiền tố (ẩn danh)",
    "staff": "Một từ (cán bộ, mã truy cập)",
}


# --- the generator (runs in a subprocess with Django) --------------------------------------------

V = {
    "task_verb": [
        "Nghiên cứu",
        "Nghiên cứu ứng dụng",
        "Ứng dụng",
        "Xây dựng",
        "Phát triển",
        "Đánh giá",
        "Hoàn thiện",
        "Chuyển giao",
        "Thử nghiệm",
        "Điều tra, đánh giá",
    ],
    "task_what": [
        "công nghệ sinh học",
        "quy trình công nghệ",
        "mô hình",
        "giải pháp",
        "hệ thống quản lý",
        "công nghệ xử lý",
        "vật liệu xây dựng không nung",
        "vật liệu nano",
        "phần mềm quản lý",
        "giống lúa chịu mặn",
        "quy trình nuôi tôm nước lợ",
        "chế phẩm vi sinh",
        "công nghệ chế biến nông sản",
        "hệ thống cảnh báo sớm",
        "thiết bị tự động hóa",
        "mô hình trồng chè an toàn",
        "công nghệ thông tin",
        "trí tuệ nhân tạo",
        "năng lượng tái tạo",
        "kỹ thuật nuôi cấy mô",
    ],
    "task_for": [
        "trong nuôi trồng thủy sản",
        "xử lý chất thải chăn nuôi",
        "trong sản xuất nông nghiệp",
        "phục vụ quản lý nhà nước",
        "cho doanh nghiệp nhỏ và vừa",
        "trong y tế cơ sở",
        "bảo tồn nguồn gen",
        "phòng chống thiên tai",
        "nâng cao năng suất lao động",
        "phát triển du lịch sinh thái",
        "trong giáo dục phổ thông",
        "xử lý nước thải công nghiệp",
    ],
    "place": [
        "Hải Phòng",
        "Hà Nội",
        "Đồng Tháp",
        "Cà Mau",
        "Thái Nguyên",
        "Nghệ An",
        "Thanh Hóa",
        "Quảng Ninh",
        "Đà Nẵng",
        "Cần Thơ",
        "Lâm Đồng",
        "Bắc Giang",
        "huyện Thủy Nguyên",
        "huyện Cát Hải",
        "vùng ven biển",
        "Đồng bằng sông Cửu Long",
    ],
    "org_kind": [
        "Trường Đại học",
        "Viện Nghiên cứu",
        "Trung tâm",
        "Công ty Cổ phần",
        "Công ty TNHH",
        "Viện",
        "Trung tâm Ứng dụng tiến bộ KH&CN",
    ],
    "org_domain": [
        "Công nghệ sinh học",
        "Hải sản",
        "Cơ khí",
        "Nông nghiệp",
        "Vật liệu xây dựng",
        "Y Dược",
        "Hàng hải",
        "Môi trường",
        "Kinh tế",
        "Công nghệ thông tin",
        "Nhựa",
        "Thủy sản",
        "Chè",
        "Muối",
    ],
    "result_kind": [
        "Báo cáo tổng hợp kết quả",
        "Bài báo khoa học",
        "Bằng độc quyền sáng chế",
        "Giải pháp hữu ích",
        "Giống cây trồng mới",
        "Phần mềm",
        "Tiêu chuẩn cơ sở",
        "Quy trình kỹ thuật",
    ],
    "family": ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"],
    "middle": ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Thanh", "Hữu"],
    "given": ["Hải", "Mai", "Vinh", "Hằng", "Nam", "Tuấn", "Hoa", "Long", "Lan", "Khoa"],
    "degree": ["TS.", "PGS.TS.", "GS.TS.", "ThS.", "KS."],
    "ip": [
        "Chỉ dẫn địa lý",
        "Nhãn hiệu tập thể",
        "Nhãn hiệu chứng nhận",
    ],
    "ip_product": [
        "Vải thiều",
        "Bánh sắn",
        "Nước mắm",
        "Chè Tân Cương",
        "Muối",
        "Gạo",
        "Cam",
        "Mật ong",
        "Tôm",
        "Hoa đào",
    ],
}


def _title(rng: random.Random, kind: str) -> tuple[str, list[str]]:
    pick = rng.choice
    place = pick(V["place"])
    if kind == "task":
        title = f"{pick(V['task_verb'])} {pick(V['task_what'])} {pick(V['task_for'])} tại {place}"
        parts = [
            f"{pick(V['org_kind'])} {pick(V['org_domain'])} {pick(V['place'])}",
            f"{pick(V['degree'])} {pick(V['family'])} {pick(V['middle'])} {pick(V['given'])}",
        ]
    elif kind == "result":
        title = f"{pick(V['result_kind'])}: {pick(V['task_what'])} {pick(V['task_for'])}"
        parts = [f"{pick(V['family'])} {pick(V['middle'])} {pick(V['given'])}", place]
    elif kind == "organisation":
        title = f"{pick(V['org_kind'])} {pick(V['org_domain'])} {place}"
        parts = [f"Số {rng.randint(1, 500)} đường Lạch Tray, {place}"]
    elif kind == "person":
        title = f"{pick(V['family'])} {pick(V['middle'])} {pick(V['given'])}"
        parts = [pick(V["degree"]), pick(V["org_domain"]), pick(V["task_what"])]
    else:
        title = f"{pick(V['ip'])} {pick(V['ip_product'])} {place}"
        parts = [f"Hội {pick(V['ip_product'])} {place}"]
    return title, parts


def generate(rows: int) -> dict:
    """Write `rows` index rows in bulk (not through the signals: that is the import path's
    job); returns timings. Runs inside Django (subprocess)."""
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from khcn.accounts.models import Agency
    from khcn.search.backends import tags_for
    from khcn.search.models import SearchEntry, SearchTerm
    from khcn.search.text import token_string

    if SearchEntry.objects.exists():
        raise SystemExit("search index not empty")
    rng = random.Random(2026)
    agencies = list(Agency.objects.values_list("pk", flat=True)) or [None]
    kinds = ["task"] * 30 + ["result"] * 30 + ["organisation"] * 15 + ["person"] * 20
    kinds += ["ip_asset"] * 5
    fold_cache: dict[str, str] = {}

    def folded(text: str) -> str:
        if text not in fold_cache:
            fold_cache[text] = token_string(text)
        return fold_cache[text]

    now = timezone.now()
    counters: dict[str, int] = {}
    words: set[str] = set()

    def rows_iter():
        for _ in range(rows):
            kind = rng.choice(kinds)
            counters[kind] = counters.get(kind, 0) + 1
            title, parts = _title(rng, kind)
            r = rng.random()
            access = "public" if r < 0.85 else "restricted" if r < 0.97 else "confidential"
            agency = rng.choice(agencies)
            field = rng.choice(["1", "2", "3", "4", "5", "6", "201", "401", ""])
            year = rng.randint(2005, 2026)
            org = rng.randint(1, 5000) if kind in ("result", "task", "person") else None
            title_f = " ".join(folded(w) for w in title.split())
            body_f = " ".join([title_f, *(folded(p) for p in parts)])
            yield (
                kind,
                counters[kind],
                agency,
                access,
                title,
                "\n".join(parts),
                title_f,
                body_f,
                tags_for(
                    key=kind, access=access, agency_id=agency, field=field, year=year, org=org
                ),
                field,
                year,
                org,
                f"/csdl/{kind}/{counters[kind]}/",
                now,
            )

    columns = (
        "type, object_id, agency_id, access, title, text, title_folded, body_folded, tags, "
        "field, year, org, url, updated"
    )
    started = time.perf_counter()
    vendor = connection.vendor
    with transaction.atomic():
        cur = connection.cursor()
        if vendor == "sqlite":
            cur.execute("DROP TRIGGER search_fts_insert")
            sql = f"INSERT INTO search_searchentry ({columns}) VALUES ({', '.join(['?'] * 14)})"
            raw = cur.cursor  # the sqlite3 cursor: executemany without Django's formatting
            batch = []
            for row in rows_iter():
                batch.append((*row[:13], row[13].isoformat()))
                if len(batch) >= 50_000:
                    raw.executemany(sql, batch)
                    words.update(w for b in batch for w in b[7].split())
                    batch = []
            raw.executemany(sql, batch)
            words.update(w for b in batch for w in b[7].split())
            inserted = time.perf_counter()
            cur.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
            cur.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cur.execute(
                "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN "
                "INSERT INTO search_fts(rowid, title_folded, body_folded, tags) "
                "VALUES (new.id, new.title_folded, new.body_folded, new.tags); END"
            )
        else:
            cur.execute("DROP INDEX search_entry_title_tsv")
            cur.execute("DROP INDEX search_entry_body_tsv")
            with cur.cursor.copy(f"COPY search_searchentry ({columns}) FROM STDIN") as copy:
                for row in rows_iter():
                    copy.write_row(row)
                    words.update(row[7].split())
            inserted = time.perf_counter()
            cur.execute("SET maintenance_work_mem = '512MB'")
            cur.execute(
                "CREATE INDEX search_entry_title_tsv ON search_searchentry USING gin (title_tsv)"
            )
            cur.execute(
                "CREATE INDEX search_entry_body_tsv ON search_searchentry USING gin (body_tsv)"
            )
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=w) for w in sorted(words)], batch_size=5000, ignore_conflicts=True
        )
    done = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    if vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE search_searchentry")
    return {
        "rows": rows,
        "by_type": counters,
        "terms": len(words),
        "insert_seconds": round(inserted - started, 1),
        "index_seconds": round(done - inserted, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
    }


# --- the measurement -------------------------------------------------------------------------------


def measure_kind(label, paths, client, requests, warmup) -> Result:
    result = Result(Endpoint(label, paths[0], "anon"))
    for n in range(warmup + requests):
        path = paths[n % len(paths)]
        resp = client.get(path)
        if resp.status != 200:
            result.failures.append(f"{path}: HTTP {resp.status}")
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


def api_path(q: str) -> str:
    return "/api/v1/search?" + urllib.parse.urlencode({"q": q})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo tìm kiếm trên 1 000 000 bản ghi chỉ mục.")
    parser.add_argument("--rows", type=int, default=1_000_000, help="số bản ghi chỉ mục")
    parser.add_argument("--requests", type=int, default=200, help="số yêu cầu đo mỗi loại")
    parser.add_argument("--warmup", type=int, default=20, help="số yêu cầu khởi động")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--workers", type=int, default=2, help="số tiến trình gunicorn")
    parser.add_argument("--database-url", help="PostgreSQL (mặc định: DATABASE_URL hoặc SQLite)")
    parser.add_argument("--reuse", action="store_true", help="dùng lại dữ liệu lần chạy trước")
    parser.add_argument("--json", type=Path, metavar="FILE", help="ghi kết quả ra tệp JSON")
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)  # the subprocess
    args = parser.parse_args(argv)

    if args.generate is not None:
        print("GENERATED " + json.dumps(generate(args.generate)))
        return 0

    run.BENCH_DIR = SEARCH_DIR
    database_url = args.database_url or os.environ.get("DATABASE_URL") or None
    if port_in_use(args.port):
        raise BenchError(f"Cổng {args.port} đang có chương trình khác dùng; chọn --port khác.")
    if args.reuse:
        env = run.server_environment(database_url)
    else:
        env = run.fresh_environment(database_url)
    where = database_url.split("@")[-1] if database_url else str(SEARCH_DIR / "khcn.sqlite3")
    print(f"== Cơ sở dữ liệu: {where}", flush=True)
    generated = None
    if not args.reuse:
        khcn(["migrate", "--no-input", "--verbosity", "0"], env)
        khcn(["seed", "--scale", "200", "--processes", "0"], env)
        print(f"== sinh {thousands(args.rows)} bản ghi chỉ mục tìm kiếm", flush=True)
        out = subprocess.run(
            [sys.executable, __file__, "--generate", str(args.rows)],
            cwd=run.ROOT,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
        )
        line = next((x for x in out.stdout.splitlines() if x.startswith("GENERATED ")), None)
        if out.returncode != 0 or line is None:
            raise BenchError(f"sinh dữ liệu thất bại (mã {out.returncode}).")
        generated = json.loads(line[len("GENERATED ") :])
        print(
            f"   {thousands(generated['rows'])} dòng, {thousands(generated['terms'])} từ; "
            f"ghi {generated['insert_seconds']} s, chỉ mục {generated['index_seconds']} s",
            flush=True,
        )
    vendor = run.database_vendor(env)
    key = khcn(["token", "create", "--user", BENCH_USERNAME, "--name", "bench-search"], env, True)
    key = key.strip().splitlines()[-1]

    print(f"== khcn serve --bind {HOST}:{args.port} --workers {args.workers}", flush=True)
    log = open(SEARCH_DIR / "server.log", "w")  # closed in the finally block
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
        clients = {
            "anon": Client(args.port, {"Accept": "application/json"}),
            "token": Client(
                args.port, {"Authorization": f"Bearer {key}", "Accept": "application/json"}
            ),
        }
        results = []
        plan = [
            ("one", "anon", QUERIES["one"]),
            ("three", "anon", QUERIES["three"]),
            ("prefix", "anon", QUERIES["prefix"]),
            ("staff", "token", QUERIES["one"]),
        ]
        for kind, who, queries in plan:
            paths = [api_path(q) for q in queries]
            print(f"-- {KIND_LABELS[kind]} ({args.warmup} + {args.requests} yêu cầu)", flush=True)
            results.append(
                measure_kind(KIND_LABELS[kind], paths, clients[who], args.requests, args.warmup)
            )
        counts = {}
        for q in QUERIES["one"] + QUERIES["three"] + QUERIES["prefix"]:
            body = json.loads(clients["anon"].get(api_path(q)).body)
            counts[q] = f"{'>' if body['count_capped'] else ''}{thousands(body['count'])}"
    finally:
        for client in clients.values():
            client.close()
        stop(server)
        log.close()

    machine = (
        f"máy: {os.cpu_count()} CPU, {_ram()}, {platform.platform()}, "
        f"Python {platform.python_version()}, CSDL {vendor}, "
        f"gunicorn {args.workers} workers, yêu cầu tuần tự"
    )
    print()
    print_table(results, machine)
    print(
        "số kết quả (ẩn danh; đếm đến 1 000): " + ", ".join(f"{q} {n}" for q, n in counts.items())
    )
    missed = []
    for r in results:
        if not r.times_ms:
            missed.append(r.endpoint.label)
            continue
        ok = r.percentile(95) < TARGET_P95_MS
        print(
            f"{'ĐẠT ' if ok else 'CHƯA'} {r.endpoint.label}: p95 {r.percentile(95):.1f} ms "
            f"(mục tiêu < {TARGET_P95_MS}), {r.queries_range()} truy vấn"
        )
        if not ok:
            missed.append(r.endpoint.label)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": {
                        "cpus": os.cpu_count(),
                        "ram": _ram(),
                        "platform": platform.platform(),
                        "database": vendor,
                    },
                    "generated": generated,
                    "counts": counts,
                    "results": [
                        {
                            "label": r.endpoint.label,
                            "requests": len(r.times_ms),
                            "p50_ms": r.percentile(50) if r.times_ms else None,
                            "p95_ms": r.percentile(95) if r.times_ms else None,
                            "max_ms": max(r.times_ms) if r.times_ms else None,
                            "queries": sorted(set(r.queries)),
                            "failures": r.failures,
                        }
                        for r in results
                    ],
                    "targets_missed": missed,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    for r in results:
        if r.failures:
            print(f"LỖI {r.endpoint.label}: " + "; ".join(r.failures), file=sys.stderr)
    return 1 if missed or any(r.failures for r in results) else 0


def _ram() -> str:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        return f"{pages / 2**30:.0f} GiB RAM"
    except (ValueError, OSError):
        return "RAM ?"


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(1)
