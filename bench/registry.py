"""S&T database interop: importing 100,000 organisations from XLSX, and OAI-PMH ListRecords.

    .venv/bin/python bench/registry.py                       # SQLite, 100 000 rows, 100 000 results
    .venv/bin/python bench/registry.py --rows 20000 --results 20000 --requests 100
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/khcn_bench_registry .venv/bin/python bench/registry.py

Steps: a fresh database (SQLite under var/bench-registry/, or the EMPTY database named by
DATABASE_URL), `khcn migrate`, `khcn seed --scale N --processes 0` (departments and the
`bench` user), then, in a subprocess with Django (this file with --inner):

1. An XLSX file of R organisation rows (Vietnamese names, valid and distinct tax codes,
   provinces by name, fields of science, 0.5 % of rows repeating an earlier tax code) is
   written (not timed), then imported through the real pipeline as staff would:
   `import_upload` (file checks, store) → `import_run_check` (the background job: read with
   openpyxl read-only, validate every row, look for duplicates) → `import_confirm` →
   `import_write` (the job: check again, write all rows in one transaction, flag the
   duplicates, index everything for search, one audit event). Seconds and rows per second
   are printed for each phase and in all.
2. P public results (bulk, with two authors and a host organisation each) for OAI-PMH.

Then the production server (`khcn serve`, gunicorn, KHCN_QUERY_COUNT_HEADER=1) answers, with
no login, `GET /oai?verb=ListRecords&metadataPrefix=oai_dc` (first page of 100 records) and
the page in the middle of the list reached with a resumption token: p50/p95 and SQL queries
per request. Every response must be 200.

Uses bench/run.py's client, server handling and table (standard library only outside the
Django subprocess).
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
    BenchError,
    Client,
    Endpoint,
    khcn,
    khcn_command,
    measure,
    port_in_use,
    print_table,
    stop,
    thousands,
    wait_until_up,
)

REGISTRY_DIR = run.ROOT / "var" / "bench-registry"
OAI_FIRST = "/oai?verb=ListRecords&metadataPrefix=oai_dc"


# --- inside Django (python bench/registry.py --inner …) -----------------------------------------


def _organisation_rows(count: int):
    """Deterministic organisation rows for the import template's columns."""
    import random

    from stdnum.vn import mst

    from khcn.registry import units
    from khcn.registry.models import Organisation

    rng = random.Random(2025)
    kinds = [str(label) for value, label in Organisation.Kind.choices]
    provinces = [name for _code, name in units.province_choices()]
    words = (
        "Công nghệ Sinh học Vật liệu Tự động hóa Nông nghiệp Thủy sản Môi trường Năng lượng "
        "Cơ khí Điện tử Phần mềm Dược liệu Hóa chất Xây dựng Hàng hải Logistics Thực phẩm"
    ).split()
    forms = ["Công ty TNHH", "Công ty Cổ phần", "Viện Nghiên cứu", "Trung tâm", "Hợp tác xã"]
    fields = ["2", "201", "202", "4, 405", "101", "3", "5", ""]
    taxes: list[str] = []
    base = 200_000_001
    for n in range(count):
        if n and n % 200 == 0:  # 0.5 %: the same tax code as an earlier row
            tax = taxes[rng.randrange(len(taxes))]
        else:
            while not mst.is_valid(f"{base:09d}" + mst.calc_check_digit(f"{base:09d}")[:1]):
                base += 1
            tax = f"{base:09d}" + mst.calc_check_digit(f"{base:09d}")
            base += 1
            taxes.append(tax)
        name = f"{rng.choice(forms)} {rng.choice(words)} {rng.choice(words)} {n + 1:06d}"
        yield [
            name,
            "",
            "",
            rng.choice(kinds),
            tax,
            rng.choice(fields),
            f"Số {rng.randint(1, 500)} đường {rng.choice(words)}",
            rng.choice(provinces),
            "",
            "",
            "",
            "",
            "",
            "",
            f"0225 {rng.randint(1_000_000, 9_999_999)}",
            f"lienhe{n + 1}@congty.vn",
            "",
            "",
            "",
        ]


def inner_import(rows: int) -> dict:
    import tempfile

    from openpyxl import Workbook

    from khcn.accounts.models import Agency, User
    from khcn.core.files import NamedBytes
    from khcn.registry.interop import imports
    from khcn.registry.interop.columns import COLUMNS
    from khcn.registry.interop.models import ImportBatch
    from khcn.registry.models import DuplicateFlag, Organisation
    from khcn.search.models import SearchEntry

    user = User.objects.get(username="bench")
    agency = Agency.objects.get(code="bench-01")
    started = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Dữ liệu")
    sheet.append([c.title for c in COLUMNS["organisation"]])
    for row in _organisation_rows(rows):
        sheet.append(row)
    with tempfile.TemporaryFile() as handle:
        book.save(handle)
        handle.seek(0)
        data = handle.read()
    generate = time.perf_counter() - started

    from django.conf import settings

    settings.KHCN_MAX_UPLOAD_BYTES = max(settings.KHCN_MAX_UPLOAD_BYTES, len(data) + 1)
    phases = {}
    started = time.perf_counter()
    batch = imports.import_upload(
        actor=user, agency=agency, kind="organisation", upload=NamedBytes(data, "to-chuc.xlsx")
    )
    phases["upload"] = time.perf_counter() - started
    mark = time.perf_counter()
    imports.import_run_check(batch.pk)
    phases["check"] = time.perf_counter() - mark
    batch.refresh_from_db()
    if batch.status != ImportBatch.Status.READY:
        raise SystemExit(f"import check: {batch.status} {batch.message} {batch.errors[:3]}")
    mark = time.perf_counter()
    imports.import_confirm(actor=user, batch=batch)
    imports.import_write(batch.pk)
    phases["write"] = time.perf_counter() - mark
    total = time.perf_counter() - started
    batch.refresh_from_db()
    if batch.status != ImportBatch.Status.IMPORTED:
        raise SystemExit(f"import write: {batch.status} {batch.message}")
    return {
        "rows": rows,
        "file_bytes": len(data),
        "generate_seconds": generate,
        "phases": phases,
        "total_seconds": total,
        "created": batch.created_count,
        "duplicate_rows": batch.duplicate_rows,
        "flags": DuplicateFlag.objects.filter(agency=agency).count(),
        "organisations": Organisation.objects.count(),
        "indexed": SearchEntry.objects.filter(type="organisation").count(),
    }


def inner_results(count: int) -> dict:
    """`count` public results with two authors and a host each, written in bulk."""
    import random

    from khcn.accounts.models import Agency
    from khcn.registry.interop import oai
    from khcn.registry.models import (
        Authorship,
        Organisation,
        Person,
        Result,
        ResultOrganisation,
        name_key,
    )

    rng = random.Random(7)
    agency = Agency.objects.get(code="bench-01")
    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
    given = ["Văn An", "Thị Bình", "Quốc Cường", "Thu Hà", "Minh Khang", "Thanh Lan", "Đức Mạnh"]
    people = [
        Person(agency=agency, full_name=f"{rng.choice(families)} {rng.choice(given)} {i}")
        for i in range(2000)
    ]
    for p in people:
        p.name_key = name_key(p.full_name)
    Person.objects.bulk_create(people, batch_size=1000)
    org_ids = list(Organisation.objects.values_list("pk", flat=True)[:5000]) or [None]
    kinds = [k for k in Result.Kind.values]
    fields = ["201", "202", "405", "101", "301", "501", None]
    topics = (
        "nuôi tôm thẻ chân trắng|vật liệu polyme chịu nhiệt|vi tảo biển|cảng biển thông minh|"
        "giống lúa chịu mặn|xử lý nước thải công nghiệp|chẩn đoán hình ảnh y tế"
    ).split("|")
    started = time.perf_counter()
    done = 0
    while done < count:
        size = min(5000, count - done)
        batch = [
            Result(
                agency=agency,
                kind=rng.choice(kinds),
                title=f"Nghiên cứu {rng.choice(topics)} giai đoạn {done + i + 1}",
                abstract="Tóm tắt: " + " ".join(rng.choice(topics) for _ in range(12)),
                year=rng.randint(2010, 2025),
                field_id=rng.choice(fields),
                keywords=", ".join(rng.sample(topics, 2)),
                access="public",
            )
            for i in range(size)
        ]
        Result.objects.bulk_create(batch, batch_size=1000)
        Authorship.objects.bulk_create(
            [
                Authorship(result=r, person=people[(r.pk * k) % len(people)], order=k)
                for r in batch
                for k in (1, 2)
                if k == 1 or (r.pk * 2) % len(people) != r.pk % len(people)
            ],
            batch_size=2000,
        )
        if org_ids[0] is not None:
            ResultOrganisation.objects.bulk_create(
                [ResultOrganisation(result=r, organisation_id=rng.choice(org_ids)) for r in batch],
                batch_size=2000,
            )
        done += size
    seconds = time.perf_counter() - started
    middle = list(
        Result.objects.order_by("updated_at", "pk").values_list("updated_at", "pk")[
            count // 2 - 1 : count // 2
        ]
    )
    stamp, pk = middle[0]
    token = oai.Selection("oai_dc").token((stamp.isoformat(), pk), count // 2)
    return {"results": count, "seconds": seconds, "middle_token": token}


def inner(argv: list[str]) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khcn.settings")
    django.setup()
    what, number = argv[0], int(argv[1])
    out = inner_import(number) if what == "import" else inner_results(number)
    print("RESULT " + json.dumps(out))


def run_inner(env: dict[str, str], what: str, number: int) -> dict:
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--inner", what, str(number)],
        cwd=run.ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
    )
    if proc.returncode != 0:
        raise BenchError(f"bench/registry.py --inner {what} thất bại (mã {proc.returncode}).")
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


# --- outside (standard library) ----------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo nhập dữ liệu từ XLSX và OAI-PMH.")
    parser.add_argument("--rows", type=int, default=100_000, help="số dòng tổ chức (100000)")
    parser.add_argument(
        "--results", type=int, default=100_000, help="số kết quả công khai (100000)"
    )
    parser.add_argument("--scale", type=int, default=1000, help="khcn seed --scale (1000)")
    parser.add_argument("--requests", type=int, default=200, help="số yêu cầu đo mỗi trang")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, metavar="FILE", help="ghi kết quả ra tệp JSON")
    args = parser.parse_args(argv)

    run.BENCH_DIR = REGISTRY_DIR
    database_url = os.environ.get("DATABASE_URL") or None
    if port_in_use(args.port):
        raise BenchError(f"Cổng {args.port} đang có chương trình khác dùng; chọn --port khác.")
    env = run.fresh_environment(database_url)
    where = database_url.split("@")[-1] if database_url else str(REGISTRY_DIR / "khcn.sqlite3")
    print(f"== Cơ sở dữ liệu: {where}", flush=True)
    khcn(["migrate", "--no-input", "--verbosity", "0"], env)
    print(f"== khcn seed --scale {args.scale} --processes 0", flush=True)
    khcn(["seed", "--scale", str(args.scale), "--processes", "0"], env)
    print(f"== Nhập {thousands(args.rows)} dòng tổ chức từ XLSX", flush=True)
    imported = run_inner(env, "import", args.rows)
    print(f"== Sinh {thousands(args.results)} kết quả công khai", flush=True)
    generated = run_inner(env, "results", args.results)
    vendor = run.database_vendor(env)

    endpoints = [
        Endpoint("OAI-PMH ListRecords, trang đầu (100 bản ghi)", OAI_FIRST, "anon"),
        Endpoint(
            "OAI-PMH ListRecords, trang giữa (resumptionToken)",
            "/oai?verb=ListRecords&resumptionToken=" + generated["middle_token"],
            "anon",
        ),
    ]
    print(f"== khcn serve --bind {run.HOST}:{args.port} --workers {args.workers}", flush=True)
    log = open(REGISTRY_DIR / "server.log", "w")  # closed in the finally block
    server = subprocess.Popen(
        khcn_command("serve", "--bind", f"{run.HOST}:{args.port}", "--workers", str(args.workers)),
        cwd=run.ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    clients: dict[str, Client] = {}
    try:
        wait_until_up(server, args.port)
        clients = {"anon": Client(args.port)}
        results = []
        for endpoint in endpoints:
            print(f"-- {endpoint.label} ({args.warmup} + {args.requests} yêu cầu)", flush=True)
            results.append(measure(endpoint, clients, args.requests, args.warmup))
    finally:
        for client in clients.values():
            client.close()
        stop(server)
        log.close()

    machine = (
        f"máy: {os.cpu_count()} CPU, {platform.platform()}, Python {platform.python_version()}, "
        f"CSDL {vendor}, {thousands(generated['results'])} kết quả công khai, "
        f"gunicorn {args.workers} workers, yêu cầu tuần tự"
    )
    phases = imported["phases"]
    rows = imported["rows"]
    print()
    print(
        f"Nhập {thousands(rows)} tổ chức từ XLSX ({imported['file_bytes'] / 1e6:.1f} MB): "
        f"{imported['total_seconds']:.1f} s, {rows / imported['total_seconds']:.0f} dòng/s"
    )
    print(
        f"  tải lên và kiểm tra tệp {phases['upload']:.1f} s; đọc và kiểm tra từng dòng "
        f"{phases['check']:.1f} s ({rows / phases['check']:.0f} dòng/s); xác nhận: kiểm tra lại, "
        f"ghi một giao dịch, đánh dấu trùng, lập chỉ mục tìm kiếm {phases['write']:.1f} s"
    )
    print(
        f"  đã ghi {thousands(imported['created'])}, chỉ mục {thousands(imported['indexed'])}, "
        f"{thousands(imported['duplicate_rows'])} dòng nghi trùng, {thousands(imported['flags'])} cặp được đánh dấu"
    )
    print()
    print_table(results, machine)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": {
                        "cpus": os.cpu_count(),
                        "platform": platform.platform(),
                        "python": platform.python_version(),
                        "database": vendor,
                    },
                    "import": imported,
                    "results": generated["results"],
                    "oai": [
                        {
                            "label": r.endpoint.label,
                            "p50_ms": r.percentile(50) if r.times_ms else None,
                            "p95_ms": r.percentile(95) if r.times_ms else None,
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
    for r in results:
        if r.failures:
            print(f"LỖI {r.endpoint.path[:80]}: " + "; ".join(r.failures), file=sys.stderr)
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--inner":
        inner(sys.argv[2:])
        sys.exit(0)
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(1)
