"""`khcn seed --scale N`: generated data for benchmarks (bench/run.py).

Deterministic (random.Random(seed)): the same scale and seed give the same
records (dates are relative to the day it runs). N rows in each main table
(users, notifications, library documents, audit events), spread over
max(2, N // 200) generated departments coded "bench-01", "bench-02", … and
`--processes P` open workflow records (default N) on the rule set hn-05-2021
with their active deadlines, plus one record with 50 history entries taken
through the engine. `--projects T` adds T S&T tasks of bench-01 on the rule set
vn-2013 (`TaskGenerator`): each with its workflow record and a history of 5–50
steps, its deadline rows, budget lines, and for some a contract with tranches and
disbursements, an identification or acceptance council with its ballots. Only a
database with no agencies and no users is accepted, so that benchmark data never
mixes with real or demo data.

Speed: rows are written with bulk_create, except the audit events, which go
through `audit.services.record` one by one so that the hash chain stays valid,
and the 50-entry record, which goes through `workflow.engine.perform`. The tasks
are not taken through the services (100,000 would take hours): their rows are
built as the engine and the services would leave them, with the deadline dates
and `Process.next_due` computed by `khcn.workflow.deadlines`.
Every generated user shares one password hash (computed once), so any of them
can log in with the bench password; the fixed account `bench` is the one the
benchmark uses.
"""

import datetime as dt
import random
import time
import unicodedata

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from khcn.accounts.models import Agency, Membership, Role, User
from khcn.accounts.services import USER_FIELDS
from khcn.audit.models import AuditAction, AuditEvent
from khcn.audit.services import record, snapshot
from khcn.core import clock, files
from khcn.core.calendar import WorkCalendar, shift_months
from khcn.core.demo import minimal_pdf
from khcn.core.files import NamedBytes
from khcn.core.models import Attachment, AttachmentVersion
from khcn.notifications.models import Kind, Notification
from khcn.workflow.deadlines import anchor_date, deadline_new, due_date
from khcn.workflow.models import Deadline, Process, ProcessEvent, ProcessParty

BENCH_USERNAME = "bench"
BENCH_PASSWORD = "bench-pass"
BENCH_PREFIX = "bench-"
BATCH = 500

# Workflow records (bench/run.py measures the deadline sweep and the record pages on them).
WORKFLOW_RULESET = "hn-05-2021"
HISTORY_REFERENCE = "ĐT.BENCH.LS50"  # the record with 50 history entries
HISTORY_LENGTH = 50
PROCESS_CHUNK = 5000  # records built and written per round, to keep memory flat
# Share of the records in each situation on the day of the seed (the sweep day):
NEWLY_MISSED = 0.01  # "Nộp hồ sơ đánh giá, nghiệm thu" fell due in the last working days
TO_REMIND = 0.01  # the same limit within its reminder window, reminder not yet sent
NEWLY_FAILED = 0.001  # the 6-month limit passed yesterday: the sweep runs `auto_fail`
LONG_MISSED = 0.04  # missed weeks or months ago, already reported by earlier sweeps
WITH_HOST = 0.7  # records with a host organisation contact (ProcessParty "host")
PROCESS_STATES = [  # (state, weight): records still running
    ("IN_PROGRESS", 86),
    ("CHANGE_PENDING", 5),
    ("EXTENSION_PENDING", 3),
    ("INTERNAL_ACCEPTANCE", 6),
]
TECHNOLOGIES = [
    "công nghệ sinh học",
    "trí tuệ nhân tạo",
    "vật liệu nano",
    "Internet vạn vật (IoT)",
    "ảnh viễn thám",
    "chế phẩm vi sinh",
    "công nghệ màng lọc",
    "năng lượng mặt trời",
    "thiết bị bay không người lái",
    "hệ thông tin địa lý (GIS)",
    "công nghệ in 3D",
    "dữ liệu lớn",
    "công nghệ nuôi cấy mô",
    "công nghệ chiếu xạ",
    "chuỗi khối (blockchain)",
]
APPLICATIONS = [
    "nuôi tôm nước lợ",
    "sản xuất rau an toàn",
    "giám sát chất lượng nước sinh hoạt",
    "chẩn đoán sớm bệnh lao",
    "xử lý rác thải sinh hoạt",
    "cảnh báo sạt lở đất",
    "bảo quản nông sản sau thu hoạch",
    "quản lý hồ sơ hành chính công",
    "nhân giống cây dược liệu",
    "phòng trừ sâu bệnh hại lúa",
    "quản lý giao thông đô thị",
    "chế biến cà phê",
    "truy xuất nguồn gốc trái cây",
    "phục hồi rừng ngập mặn",
]
PLACES = [
    "{p}",
    "vùng ven biển {p}",
    "các xã miền núi {p}",
    "các khu công nghiệp {p}",
    "các hợp tác xã {p}",
    "vùng nông thôn {p}",
]
CHANGE_KINDS = ["content", "team", "budget"]
# Generated notifications of the accounts and library modules (the workflow's own come from the
# engine and the deadline sweep).
NOTIFICATION_KINDS = [Kind.ROLE_CHANGED, Kind.ACCOUNT_LOCKED, Kind.DOCUMENT_CHANGED, Kind.SECURITY]

FAMILY_NAMES = [
    # (name, weight): roughly how common each family name is in Viet Nam
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 4),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 1),
    ("Lý", 1),
    ("Đinh", 1),
    ("Lương", 1),
    ("Trịnh", 1),
    ("Mai", 1),
]
MIDDLE_NAMES = {
    "m": [
        "Văn",
        "Đức",
        "Minh",
        "Quang",
        "Hữu",
        "Công",
        "Thành",
        "Ngọc",
        "Xuân",
        "Đình",
        "Anh",
        "Trọng",
        "Tiến",
        "Mạnh",
        "Hoàng",
        "Gia",
    ],
    "f": [
        "Thị",
        "Thu",
        "Thanh",
        "Ngọc",
        "Minh",
        "Hồng",
        "Phương",
        "Thùy",
        "Lan",
        "Kim",
        "Bích",
        "Diệu",
        "Hoài",
        "Mai",
        "Khánh",
    ],
}
GIVEN_NAMES = {
    "m": [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Đạt",
        "Hải",
        "Hiếu",
        "Hoàng",
        "Hùng",
        "Huy",
        "Khánh",
        "Khoa",
        "Kiên",
        "Long",
        "Lâm",
        "Mạnh",
        "Nam",
        "Nghĩa",
        "Phong",
        "Phúc",
        "Quân",
        "Sơn",
        "Thắng",
        "Thành",
        "Toàn",
        "Trung",
        "Tuấn",
        "Việt",
        "Vinh",
        "Duy",
        "Tùng",
        "Quyết",
    ],
    "f": [
        "Anh",
        "Chi",
        "Dung",
        "Giang",
        "Hà",
        "Hạnh",
        "Hằng",
        "Hoa",
        "Hương",
        "Huyền",
        "Lan",
        "Linh",
        "Loan",
        "Mai",
        "My",
        "Nga",
        "Ngân",
        "Nhung",
        "Oanh",
        "Phương",
        "Quỳnh",
        "Thảo",
        "Trang",
        "Tuyết",
        "Uyên",
        "Vân",
        "Yến",
        "Hiền",
        "Thủy",
        "Ngọc",
    ],
}
ACADEMIC_TITLES = ["", "", "ThS. ", "TS. ", "TS. ", "PGS.TS. ", "GS.TS. "]
PROVINCES = [
    "Tuyên Quang",
    "Cao Bằng",
    "Lai Châu",
    "Lào Cai",
    "Thái Nguyên",
    "Điện Biên",
    "Lạng Sơn",
    "Sơn La",
    "Phú Thọ",
    "Bắc Ninh",
    "Quảng Ninh",
    "Hưng Yên",
    "Ninh Bình",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Quảng Trị",
    "Huế",
    "Đà Nẵng",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Đồng Nai",
    "Tây Ninh",
    "Cần Thơ",
    "Vĩnh Long",
    "Đồng Tháp",
    "Cà Mau",
    "An Giang",
    "Thành phố Hồ Chí Minh",
]
UNIVERSITIES = [
    "Trường Đại học Bách khoa Hà Nội",
    "Trường Đại học Nông Lâm",
    "Trường Đại học Y Dược",
    "Trường Đại học Kinh tế Quốc dân",
    "Trường Đại học Thủy lợi",
    "Trường Đại học Cần Thơ",
    "Viện Hàn lâm Khoa học và Công nghệ Việt Nam",
    "Viện Khoa học Nông nghiệp Việt Nam",
    "Viện Nghiên cứu Hải sản",
    "Trường Đại học Sư phạm Kỹ thuật",
]
COMPANIES = [
    "Công ty CP Công nghệ sinh học",
    "Công ty TNHH Cơ khí chính xác",
    "Công ty CP Phần mềm",
    "Công ty CP Thực phẩm sạch",
    "Công ty TNHH Vật liệu mới",
    "Hợp tác xã Nông nghiệp công nghệ cao",
]
ROLE_POSITIONS = {
    Role.STAFF: ("Phòng Quản lý khoa học, {agency}", "Chuyên viên"),
    Role.LEADER: ("{agency}", "Phó Giám đốc Sở"),
    Role.ADMIN: ("Văn phòng {agency}", "Quản trị hệ thống"),
    Role.HOST: ("{university}", "Trưởng phòng Khoa học công nghệ"),
    Role.EXPERT: ("{university}", "Giảng viên"),
    Role.ENTERPRISE: ("{company}", "Giám đốc"),
    Role.PUBLIC: ("", ""),
}
TOPICS = [
    "Ứng dụng công nghệ sinh học trong nuôi trồng thủy sản",
    "Chuyển đổi số trong quản lý đô thị",
    "Phát triển giống lúa chịu mặn vùng ven biển",
    "Xử lý nước thải làng nghề bằng công nghệ màng sinh học",
    "Ứng dụng trí tuệ nhân tạo trong chẩn đoán hình ảnh y tế",
    "Bảo tồn nguồn gen cây dược liệu bản địa",
    "Năng lượng mặt trời áp mái cho hộ gia đình",
    "Truy xuất nguồn gốc nông sản bằng mã QR",
    "Giảm thiểu xói lở bờ sông bằng giải pháp kè mềm",
    "Nâng cao năng suất lao động doanh nghiệp nhỏ và vừa",
    "Sản xuất phân bón hữu cơ vi sinh từ phụ phẩm nông nghiệp",
    "Cảnh báo sớm lũ quét và sạt lở đất",
]


def ascii_slug(text: str, sep: str = "-") -> str:
    """ "Nguyễn Thị Hà" -> "nguyen-thi-ha" (đ becomes d)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    out, last_sep = [], True
    for ch in text:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            last_sep = False
        elif not last_sep:
            out.append(sep)
            last_sep = True
    return "".join(out).strip(sep)


class Generator:
    """Every random choice goes through one random.Random(seed)."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self._families = [name for name, _w in FAMILY_NAMES]
        self._weights = [w for _name, w in FAMILY_NAMES]

    def person(self) -> tuple[str, str, str]:
        """(family, middle, given) of a realistic Vietnamese name."""
        gender = self.rng.choice("mf")
        family = self.rng.choices(self._families, self._weights)[0]
        return family, self.rng.choice(MIDDLE_NAMES[gender]), self.rng.choice(GIVEN_NAMES[gender])

    def document_title(self, category: str, n: int) -> str:
        year = self.rng.randint(2019, 2025)
        number = self.rng.randint(10, 2999)
        topic = self.rng.choice(TOPICS)
        if category == Attachment.Category.LEGAL:
            return self.rng.choice(
                [
                    f"Quyết định số {number}/QĐ-SKHCN phê duyệt danh mục nhiệm vụ KH&CN năm {year}",
                    f"Công văn số {number}/SKHCN-QLKH về việc đề xuất đặt hàng nhiệm vụ năm {year}",
                    f"Thông tư {number % 60 + 1}/{year}/TT-BKHCN hướng dẫn quản lý nhiệm vụ KH&CN",
                ]
            )
        if category == Attachment.Category.FORM:
            return self.rng.choice(
                [
                    f"Mẫu B1-{n % 9 + 1}-TMĐT: Thuyết minh đề tài nghiên cứu ({year})",
                    f"Phiếu đánh giá hồ sơ đăng ký tuyển chọn năm {year}",
                    f"Mẫu báo cáo định kỳ tình hình thực hiện nhiệm vụ KH&CN ({year})",
                ]
            )
        if category == Attachment.Category.REPORT:
            return self.rng.choice(
                [
                    f"Báo cáo tiến độ đề tài “{topic}” quý {self.rng.randint(1, 4)}/{year}",
                    f"Báo cáo tổng kết đề tài “{topic}”",
                    f"Báo cáo tổng kết công tác KH&CN năm {year}",
                ]
            )
        return self.rng.choice(
            [
                f"Biên bản họp hội đồng tư vấn xác định nhiệm vụ “{topic}”",
                f"Kế hoạch kiểm tra tình hình thực hiện nhiệm vụ năm {year}",
                f"Tài liệu hội thảo “{topic}”",
            ]
        )


def _bulk(model, objs: list) -> list:
    """bulk_create, and make sure the objects carry their primary keys (old SQLite
    versions without RETURNING: the rows are the newest ones, as the database was empty)."""
    model.objects.bulk_create(objs, batch_size=BATCH)
    if objs and objs[0].pk is None:
        pks = list(model.objects.order_by("-pk").values_list("pk", flat=True)[: len(objs)])
        for obj, pk in zip(objs, reversed(pks), strict=True):
            obj.pk = pk
    return objs


def _insert(model, names: list[str], rows) -> int:
    """INSERT rows (tuples of attribute values in `names` order) with executemany: for the
    million history rows of `--projects`, bulk_create's per-value SQL compilation would take
    most of the time. Values are adapted as the fields would (dates, datetimes, JSON)."""
    import json

    ops = connection.ops
    fields = [model._meta.get_field(name) for name in names]
    adapt = []
    for f in fields:
        kind = f.get_internal_type()
        if kind == "DateTimeField":
            adapt.append(ops.adapt_datetimefield_value)
        elif kind == "DateField":
            adapt.append(ops.adapt_datefield_value)
        elif kind == "JSONField":
            adapt.append(
                (lambda v, f=f: f.get_db_prep_value(v, connection))
                if connection.vendor == "postgresql"
                else (lambda v: json.dumps(v, ensure_ascii=False))
            )
        else:
            adapt.append(None)
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    count = 0
    with connection.cursor() as cursor:
        batch = []
        for row in rows:
            batch.append(
                tuple(
                    v if a is None or v is None else a(v) for v, a in zip(row, adapt, strict=True)
                )
            )
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def database_description() -> str:
    """ "sqlite 3.40.1", "postgresql 16.4": which database the data went to."""
    if connection.vendor == "sqlite":
        return f"sqlite {connection.Database.sqlite_version}"
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"postgresql {major}.{minor}"
    return connection.vendor


# --- S&T tasks (`--projects`) ----------------------------------------------------------------------

PROJECT_RULESET = "vn-2013"
PROJECT_LONG_HISTORY = "BENCH.LS50"  # code of the task with 50 history entries
PROJECT_SHORT_HISTORY = "BENCH.LS8"  # the same step (IN_PROGRESS) after 8 entries
PROJECT_CHUNK = 2000
# Where the generated tasks are today, with weights: most are finished or running.
PROJECT_STATES = [
    ("PROPOSED", 3), ("REJECTED", 2), ("ORDERED", 1), ("CALL_OPEN", 2), ("DIRECT_ASSIGNMENT", 1),
    ("DOSSIERS_OPENED", 1), ("SCORED", 1), ("WINNER_REVISING", 1), ("BUDGET_APPRAISED", 1),
    ("APPROVED", 1), ("CONTRACTED", 1), ("IN_PROGRESS", 22), ("CHANGE_PENDING", 2),
    ("EXTENSION_PENDING", 1), ("SUSPENDED", 1), ("TERMINATED", 1), ("INTERNAL_ACCEPTANCE", 2),
    ("DOSSIER_SUBMITTED", 1), ("DOSSIER_FIXING", 1), ("DOSSIER_VALID", 1), ("COUNCIL_FORMED", 1),
    ("PASSED", 1), ("FAILED", 1), ("DOSSIER_FINALISED", 1), ("RESULT_REGISTERED", 1),
    ("RECOGNISED", 1), ("ASSETS_HANDED_OVER", 1), ("SETTLED", 1), ("REFUND_SET", 1),
    ("LIQUIDATED", 3), ("APPLICATION_MONITORING", 12), ("CLOSED", 25),
]  # fmt: skip
# The steps to each state: the way through the selection or the direct assignment, then the
# common trunk; branches leave it where the rule set does.
TO_ORDERED = ["order"]
BY_CALL = ["open_call", "open_dossiers", "score"]
BY_ASSIGNMENT = ["assign_directly"]
TRUNK = ["request_revision", "appraise_budget", "approve", "sign_contract", "start"]
ACCEPTANCE = ["internal_acceptance", "submit_acceptance_dossier", "accept_dossier", "form_council"]
AFTER_PASS = [
    "rate_pass",
    "finalise_dossier",
    "register_result",
    "recognise",
    "hand_over_assets",
    "settle",
    "liquidate",
    "monitor_application",
    "close",
]
# Days from the previous step (the running period is the task's own months).
STEP_DAYS = {
    "order": 25, "reject_proposal": 24, "open_call": 12, "open_dossiers": 38, "score": 12,
    "assign_directly": 18, "request_revision": 3, "appraise_budget": 14, "approve": 12,
    "sign_contract": 8, "start": 6, "request_change": 60, "approve_change": 9,
    "request_extension": 40, "approve_extension": 9, "suspend": 120, "terminate": 70,
    "submit_acceptance_dossier": 7, "accept_dossier": 3, "form_council": 7,
    "request_dossier_fix": 2, "rate_pass": 15, "rate_fail": 15, "finalise_dossier": 20,
    "register_result": 4, "recognise": 6, "hand_over_assets": 14, "settle": 15, "liquidate": 9,
    "monitor_application": 1, "close": 300, "set_refund": 12, "liquidate_failed": 20,
}  # fmt: skip
STEP_DATA = {  # fields filled at a step (kept in the history and on the record)
    "order": lambda g, d: {"decision_no": g.number("QĐ-SKHCN"), "decision_date": d},
    "open_call": lambda g, d: {"call_open_date": d, "call_close_date": d + dt.timedelta(days=35)},
    "open_dossiers": lambda g, d: {"opened_date": d},
    "assign_directly": lambda g, d: {"decision_no": g.number("QĐ-UBND")},
    "appraise_budget": lambda g, d: {"appraisal_date": d, "appraised_budget": g.task["budget"]},
    "approve": lambda g, d: {
        "decision_no": g.number("QĐ-UBND"), "start_date": g.task["start"],
        "end_date": g.task["end"], "budget": g.task["budget"],
    },
    "sign_contract": lambda g, d: {"contract_no": g.number("HĐ-KHCN"), "signed_date": d},
    "request_change": lambda g, d: {"change_kind": g.rng.choice(CHANGE_KINDS)},
    "approve_change": lambda g, d: {"change_decision_no": g.number("SKHCN-QLKH")},
    "request_extension": lambda g, d: {"new_end_date": shift_months(g.task["end"], 6)},
    "internal_acceptance": lambda g, d: {"internal_acceptance_date": d - dt.timedelta(days=2)},
    "form_council": lambda g, d: {"council_decision_no": g.number("QĐ-SKHCN"),
                                  "council_decision_date": d},
    "register_result": lambda g, d: {"registration_no": g.number("KQNV"), "registration_date": d},
    "recognise": lambda g, d: {"recognition_no": g.number("QĐ-SKHCN"), "recognition_date": d},
    "settle": lambda g, d: {"settled_amount": g.task["budget"]},
    "liquidate": lambda g, d: {"liquidation_date": d},
    "set_refund": lambda g, d: {"refund_amount": g.task["budget"] // 4},
    "terminate": lambda g, d: {"refund_amount": g.task["budget"] // 5},
    "liquidate_failed": lambda g, d: {"liquidation_date": d},
}  # fmt: skip
STEP_REMARKS = {
    "reject_proposal": "Hội đồng tư vấn không đề nghị đặt hàng.",
    "assign_directly": "Giao trực tiếp theo kết luận của hội đồng xác định nhiệm vụ.",
    "request_change": "Đề nghị điều chỉnh nội dung, dự toán cho phù hợp thực tế.",
    "request_extension": "Cần thêm thời gian hoàn thành thí nghiệm.",
    "suspend": "Tổ chức chủ trì chưa bảo đảm điều kiện thực hiện.",
    "terminate": "Không khắc phục được sau thời gian tạm dừng.",
    "request_dossier_fix": "Bổ sung báo cáo quyết toán.",
}
BUDGET_SHARES = [
    ("labour", 45),
    ("materials", 25),
    ("equipment", 12),
    ("services", 13),
    ("other", 5),
]
FIELDS = ["1", "2", "2", "2", "3", "4", "4", "5", "6"]
KINDS = ["de_tai"] * 7 + ["du_an_sxtn", "de_an", "du_an_khcn"]
PROPOSERS = [
    "Sở Nông nghiệp và Môi trường",
    "Sở Y tế",
    "Sở Xây dựng",
    "Sở Công Thương",
    "Ban Quản lý các khu công nghiệp",
    "UBND thành phố",
    "Sở Giáo dục và Đào tạo",
]


class TaskGenerator:
    """S&T tasks written in bulk as the services and the engine would leave them: the task and
    its workflow record on the current vn-2013 version, the history of the steps that led to
    its state (the rule set's labels, from and to states, actors and fields), deadline rows
    (closed ones for the steps passed, active ones for the current state, dates from
    `khcn.workflow.deadlines`) and `next_due`, budget lines adding up to the state budget, the
    host organisation's contact as a party; some tasks also get a contract with its tranches and
    disbursements (and `contract_id`, `disbursed_total` on the record), some an identification
    or acceptance council with its members and ballots."""

    def __init__(self, gen: Generator, agency, people: dict, now: dt.datetime):
        from khcn.projects.models import Project
        from khcn.workflow.loader import current_version, ruleset_load_all

        ruleset_load_all()
        self.gen, self.rng, self.agency, self.people, self.now = gen, gen.rng, agency, people, now
        self.today = clock.today()
        self.version = current_version(PROJECT_RULESET)
        self.rules = self.version.rules
        self.cal = WorkCalendar(agency.pk)
        self.tz = timezone.get_current_timezone()
        self.project_type = ContentType.objects.get_for_model(Project)
        self.numbers = 0
        self.task: dict = {}
        for role in (Role.STAFF, Role.LEADER, Role.HOST, Role.EXPERT):
            if not people.get(role):
                raise CommandError(f"Cơ quan {agency.code} không có người dùng vai trò {role}.")
        self.paths = {state: self.path_to(state) for state, _w in PROJECT_STATES}

    def number(self, suffix: str) -> str:
        self.numbers += 1
        return f"{self.numbers % 9000 + 10}/{suffix}"

    def path_to(self, state: str) -> list[str]:
        """The steps from the proposal to `state` (by the selection; `steps` swaps in the
        direct assignment for some)."""
        trunk = TO_ORDERED + BY_CALL + TRUNK
        running = trunk + ACCEPTANCE
        special = {
            "PROPOSED": [],
            "REJECTED": ["reject_proposal"],
            "ORDERED": TO_ORDERED,
            "DIRECT_ASSIGNMENT": TO_ORDERED + BY_ASSIGNMENT,
            "CHANGE_PENDING": trunk + ["request_change"],
            "EXTENSION_PENDING": trunk + ["request_extension"],
            "SUSPENDED": trunk + ["suspend"],
            "TERMINATED": trunk + ["suspend", "terminate"],
            "DOSSIER_FIXING": running[:-2] + ["request_dossier_fix"],
            "FAILED": running + ["rate_fail"],
            "REFUND_SET": running + ["rate_fail", "set_refund"],
        }
        if state in special:
            path = special[state]
        else:
            full = running + AFTER_PASS
            path = full[
                : next(i for i, a in enumerate(full) if self.rules.transition(a).target == state)
                + 1
            ]
        target = self.rules.initial
        for action in path:  # the path follows the rule set's transitions
            transition = self.rules.transition(action)
            assert target in transition.sources, (state, action)
            target = transition.target
        assert target == state, (state, path)
        return path

    def steps(
        self, state: str, *, changes: int | None = None, direct: bool | None = None
    ) -> list[str]:
        path = list(self.paths[state])
        direct = self.rng.random() < 0.4 if direct is None else direct
        if direct and path[1:4] == BY_CALL and len(path) > 4:  # past the selection
            path[1:4] = BY_ASSIGNMENT
        if "start" in path and state not in ("CHANGE_PENDING", "EXTENSION_PENDING"):
            at = path.index("start") + 1
            pairs = self.rng.choice([0, 0, 0, 1, 1, 2, 3]) if changes is None else changes
            path[at:at] = ["request_change", "approve_change"] * pairs
        return path

    def at(self, day: dt.date, hour: int = 9) -> dt.datetime:
        return min(
            dt.datetime.combine(day, dt.time(hour, self.rng.randint(0, 59)), tzinfo=self.tz),
            self.now,
        )

    def actor(self, action: str, host):
        roles = self.rules.transition(action).roles
        if "host" in roles:
            return host
        if "leader" in roles:
            return self.rng.choice(self.people[Role.LEADER])
        return self.rng.choice(self.people[Role.STAFF])

    def plan(
        self,
        i: int,
        state: str,
        path: list[str],
        *,
        entered: dt.date | None = None,
        months: int | None = None,
    ) -> dict:
        """Dates of every step, counted back from the day the task entered its state."""
        rng = self.rng
        months = months or rng.choice([12, 18, 18, 24, 24, 30, 36])
        if entered is None:
            if state in ("CLOSED", "APPLICATION_MONITORING", "LIQUIDATED", "REJECTED"):
                entered = self.today - dt.timedelta(days=rng.randint(30, 3300))
            elif state == "IN_PROGRESS":
                entered = self.today - dt.timedelta(days=rng.randint(5, 30 * months - 10))
            else:
                entered = self.today - dt.timedelta(days=rng.randint(1, 45))
        gaps = []
        for action in path:
            if action == "internal_acceptance":
                gaps.append(30 * months + rng.randint(-10, 15))
            elif action in ("request_change", "approve_change") and path.count(action) > 5:
                gaps.append(rng.randint(12, 20))  # a task with many changes: one a month or so
            else:
                gaps.append(max(1, STEP_DAYS[action] + rng.randint(-3, 4)))
        total = sum(gaps)
        start_day = entered - dt.timedelta(days=total)
        days, day = [], start_day
        for gap in gaps:
            day += dt.timedelta(days=gap)
            days.append(day)
        start = next((d for a, d in zip(path, days, strict=True) if a == "start"), None)
        approve = next((d for a, d in zip(path, days, strict=True) if a == "approve"), None)
        if start is None:  # not started: the dates the approval will give
            start = (approve or entered) + dt.timedelta(days=20)
        year = (approve or (entered + dt.timedelta(days=120))).year
        state_budget = rng.randint(6, 60) * 50_000_000
        return {
            "proposed": start_day,
            "days": days,
            "months": months,
            "year": year,
            "start": start,
            "end": shift_months(start, months) - dt.timedelta(days=1),
            "budget": state_budget,
            "other": state_budget // 4 if rng.random() < 0.2 else 0,
        }

    def make(self, n: int) -> dict[str, int]:
        from khcn.projects.models import Project

        first_id = (
            max(
                Process.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
                Project.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
            )
            + 1
        )
        states = [s for s, _w in PROJECT_STATES]
        weights = [w for _s, w in PROJECT_STATES]
        counts: dict[str, int] = {}
        specials = {
            0: (PROJECT_LONG_HISTORY, "IN_PROGRESS", {"changes": 20, "direct": False}),
            1: (PROJECT_SHORT_HISTORY, "IN_PROGRESS", {"changes": 0, "direct": True}),
        }
        for chunk in range(0, n, PROJECT_CHUNK):
            rows = []
            for i in range(chunk, min(n, chunk + PROJECT_CHUNK)):
                code, state, options = specials.get(i, (None, None, {}))
                state = state or self.rng.choices(states, weights)[0]
                path = self.steps(state, **options)
                entered = self.today - dt.timedelta(days=30) if code else None
                plan = self.plan(i, state, path, entered=entered, months=48 if code else None)
                rows.append((first_id + i, code, state, path, plan))
            for key, value in self.write(rows).items():
                counts[key] = counts.get(key, 0) + value
        if connection.vendor == "postgresql":  # explicit ids were given: move the sequences on
            from django.core.management.color import no_style

            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Process, Project]):
                    cursor.execute(sql)
        counts["long_pk"] = first_id
        counts["short_pk"] = first_id + 1
        return counts

    def write(self, rows) -> dict[str, int]:
        """One chunk of tasks and everything that hangs off them."""
        from khcn.councils.models import Ballot, Council, CouncilMember
        from khcn.projects.models import (
            BudgetLine,
            Contract,
            Disbursement,
            Project,
            Tranche,
            identity_key,
        )

        rng, rules = self.rng, self.rules
        processes, projects, events, deadlines, parties, lines = [], [], [], [], [], []
        contracts, council_plans = [], []
        for pk, code, state, path, t in rows:
            self.task = t
            host = rng.choice(self.people[Role.HOST])
            hosted = any(a in path for a in ("score", "assign_directly"))
            org = rng.choice(UNIVERSITIES + COMPANIES) if hosted else ""
            family, middle, given = self.gen.person()
            leader = f"{rng.choice(ACADEMIC_TITLES[2:])}{family} {middle} {given}" if hosted else ""
            title = (
                f"Nghiên cứu ứng dụng {rng.choice(TECHNOLOGIES)} trong "
                f"{rng.choice(APPLICATIONS)} tại {rng.choice(PLACES).format(p=self.agency.province)}"
            )
            data: dict = {}
            staff = self.people[Role.STAFF][0]
            history = [("_start", "Bắt đầu", "", rules.initial, staff, {}, "", t["proposed"])]
            current = rules.initial
            for action, day in zip(path, t["days"], strict=True):
                transition = rules.transition(action)
                fields = {
                    k: (v.isoformat() if isinstance(v, dt.date) else v)
                    for k, v in (
                        STEP_DATA[action](self, day) if action in STEP_DATA else {}
                    ).items()
                }
                data.update(fields)
                history.append(
                    (
                        action,
                        transition.label,
                        current,
                        transition.target,
                        self.actor(action, host),
                        fields,
                        STEP_REMARKS.get(action, ""),
                        day,
                    )
                )
                current = transition.target
            entered = history[-1][7]
            if "order" in path:
                data["identification_outcome"] = "RECOMMENDED"
            if "score" in path:
                data["selection_outcome"] = "WINNER"
            if any(a in path for a in ("rate_pass", "rate_fail")):
                data["rating"] = (
                    "KHONG_DAT" if "rate_fail" in path else rng.choice(["DAT", "DAT", "XUAT_SAC"])
                )
            if "approve" not in path:
                data.pop("start_date", None)
            terminal = rules.state(state).terminal
            process = Process(
                pk=pk,
                agency=self.agency,
                ruleset=self.version,
                title=title,
                reference=code or f"NV.{t['year']}.{pk:06d}",
                state=state,
                state_entered_at=self.at(entered),
                data=data,
                subject_type=self.project_type,
                subject_id=str(pk),
                closed_at=self.at(entered) if terminal else None,
                revision=len(history),
                created_by=self.people[Role.STAFF][0],
            )
            process.started_at = self.at(t["proposed"])
            budget = t["budget"] if "approve" in path or hosted else 0
            project = Project(
                pk=pk,
                agency=self.agency,
                process=process,
                code=code or f"NV.{t['year']}.{pk:06d}",
                title=title,
                kind=rng.choice(KINDS),
                field=rng.choice(FIELDS),
                year=t["year"],
                problem="Thực tiễn sản xuất, quản lý tại địa phương cần giải pháp mới.",
                objectives="Làm chủ công nghệ và chuyển giao cho đơn vị đặt hàng.",
                expected_products="Quy trình công nghệ; báo cáo tổng hợp; bài báo khoa học.",
                application_place=f"{rng.choice(PROPOSERS)} {self.agency.province}",
                proposer_org=f"{rng.choice(PROPOSERS)} {self.agency.province}",
                host_org=org,
                host_key=identity_key(org),
                leader_name=leader,
                leader_key=identity_key(leader),
                start_date=t["start"] if "approve" in path else None,
                end_date=t["end"] if "approve" in path else None,
                budget_state=budget,
                budget_other=t["other"] if budget else 0,
                rating=data.get("rating", ""),
            )
            processes.append(process)
            projects.append(project)
            for seq, (action, label, src, dst, actor, fields, remark, day) in enumerate(history, 1):
                events.append(
                    (
                        pk,
                        seq,
                        action,
                        label,
                        src,
                        dst,
                        actor.pk if actor else None,
                        fields,
                        remark,
                        self.version.pk,
                        self.at(day, 9 + seq % 8),
                    )
                )
            rows_here = self.deadline_rows(process, history)
            deadlines.extend(rows_here)
            running = [
                d.due
                for d in rows_here
                if d.closed_on is None
                and d.paused_since is None
                and d.status in (Deadline.Status.OPEN, Deadline.Status.MISSED)
            ]
            process.next_due = min(running, default=None)  # what deadlines_sync stores
            if hosted:
                parties.append(ProcessParty(process=process, user=host, role=Role.HOST))
            if budget:
                total = 0
                for category, share in BUDGET_SHARES[1:]:
                    amount = budget * share // 100 // 1_000_000 * 1_000_000
                    lines.append((pk, category, "state", amount))
                    total += amount
                lines.append((pk, "labour", "state", budget - total))
                if project.budget_other:
                    lines.append((pk, "equipment", "other", project.budget_other))
            if "sign_contract" in path and (code or rng.random() < 0.3):
                contracts.append((project, process, history, path))
            if code or rng.random() < 0.06:
                council_plans.append((project, path, history))
        _bulk(Process, processes)
        _bulk(Project, projects)
        names = [
            "process",
            "seq",
            "action",
            "label",
            "from_state",
            "to_state",
            "actor",
            "data",
            "remark",
            "ruleset",
            "at",
        ]
        _insert(ProcessEvent, names, events)
        names = [
            "process",
            "agency",
            "key",
            "label",
            "due",
            "status",
            "responsible",
            "remind_on",
            "reminded_at",
            "escalated_at",
            "auto_done_at",
            "opened_on",
            "missed_on",
            "closed_on",
            "paused_since",
            "paused_days",
            "note",
        ]
        attnames = [Deadline._meta.get_field(n).attname for n in names]
        _insert(Deadline, names, ([getattr(d, a) for a in attnames] for d in deadlines))
        ProcessParty.objects.bulk_create(parties, batch_size=BATCH)
        _insert(BudgetLine, ["project", "category", "source", "amount"], lines)
        money = self.write_contracts(contracts, Contract, Tranche, Disbursement)
        councils = self.write_councils(council_plans, Council, CouncilMember, Ballot)
        return {
            "projects": len(projects),
            "project_events": len(events),
            "project_deadlines": len(deadlines),
            "budget_lines": len(lines),
            **money,
            **councils,
        }

    def deadline_rows(self, process, history) -> list[Deadline]:
        """The rows `deadlines_sync` leaves: for each state the task went through, the rules of
        that state opened when it entered and closed (met, or missed if late) when it left;
        the current state's rules are still running (missed if their date has passed)."""
        from khcn.workflow.deadlines import anchor_date, deadline_new, due_date

        rules, today = self.rules, self.today
        rows: dict[str, Deadline] = {}
        dues: dict[str, dt.date] = {}
        visits = [(h[3], h[7]) for h in history]  # (state entered, day)
        for n, (state, day) in enumerate(visits):
            for rule in rules.deadlines:
                row = rows.get(rule.key)
                if state not in rule.states:
                    if row is not None and row.closed_on is None:
                        row.closed_on = day
                        if row.status == Deadline.Status.OPEN:
                            late = day > row.due
                            row.status = Deadline.Status.MISSED if late else Deadline.Status.MET
                            row.missed_on = day if late else None
                    continue
                if row is not None and row.closed_on is None:
                    continue  # still running from an earlier state of the rule
                anchor = anchor_date(process, rule, opened_on=day, dues=dues)
                if anchor is None:
                    continue
                due = dues[rule.key] = due_date(rule, anchor, self.cal)
                row = deadline_new(process, rule, due=due, opened_on=day, cal=self.cal)
                rows[f"{rule.key}#{n}"] = rows[rule.key] = row
        out = [row for key, row in rows.items() if "#" in key]
        for row in out:  # still running: what the earlier daily sweeps did with it
            if row.closed_on is not None:
                continue
            if row.remind_on and row.remind_on <= today:
                row.reminded_at = self.at(row.remind_on, 2)
            if row.due < today:
                row.status, row.missed_on = Deadline.Status.MISSED, row.due + dt.timedelta(days=1)
                row.escalated_at = self.at(row.missed_on, 2)
        return out

    def write_contracts(self, plans, Contract, Tranche, Disbursement) -> dict[str, int]:
        contracts, tranches, payments = [], [], []
        for project, process, history, path in plans:
            signed = next(h[7] for h in history if h[0] == "sign_contract")
            budget = int(project.budget_state)
            first = second = budget * 4 // 10 // 1_000_000 * 1_000_000
            middle = project.start_date + (project.end_date - project.start_date) / 2
            plan = [(signed, first), (middle, second), (project.end_date, budget - first - second)]
            contract = Contract(
                project=project,
                number=process.data.get("contract_no", "1/HĐ"),
                signed_date=signed,
                value=budget,
            )
            contracts.append((contract, process, plan, path))
        _bulk(Contract, [c for c, *_rest in contracts])
        for contract, _process, plan, _path in contracts:
            for seq, (planned, amount) in enumerate(plan, 1):
                tranches.append(
                    Tranche(
                        contract=contract,
                        seq=seq,
                        planned_date=planned,
                        amount=amount,
                        milestone=[
                            "Tạm ứng sau ký hợp đồng",
                            "Sau kiểm tra giữa kỳ",
                            "Sau nghiệm thu",
                        ][seq - 1],
                    )
                )
        _bulk(Tranche, tranches)
        by_contract: dict[int, list] = {}
        for tranche in tranches:
            by_contract.setdefault(tranche.contract_id, []).append(tranche)
        updated = []
        for contract, process, _plan, path in contracts:
            paid = 0
            for tranche in by_contract[contract.pk]:
                due = {1: "start", 2: "internal_acceptance", 3: "finalise_dossier"}[tranche.seq]
                if due in path and tranche.planned_date <= self.today:
                    payments.append(
                        Disbursement(
                            tranche=tranche,
                            kind="advance" if tranche.seq == 1 else "payment",
                            amount=tranche.amount,
                            paid_on=tranche.planned_date,
                            reference=f"UNC {self.rng.randint(100, 999)}",
                        )
                    )
                    paid += int(tranche.amount)
            process.data = {**process.data, "contract_id": contract.pk, "disbursed_total": paid}
            updated.append(process)
        Disbursement.objects.bulk_create(payments, batch_size=BATCH)
        Process.objects.bulk_update(updated, ["data"], batch_size=BATCH)
        return {
            "contracts": len(contracts),
            "tranches": len(tranches),
            "disbursements": len(payments),
        }

    def write_councils(self, plans, Council, CouncilMember, Ballot) -> dict[str, int]:
        """A closed identification council for a proposal that was ordered; for tasks rated,
        the acceptance council; seven members each (chair, vice-chair, two reviewers,
        secretary, two members) from the agency's experts, every one voting."""
        roles = ["chair", "vice_chair", "reviewer", "reviewer", "secretary", "member", "member"]
        councils, members, ballots, seats = [], [], [], []
        for project, path, history in plans:
            days = {h[0]: h[7] for h in history}
            kinds = []
            if "order" in path:
                kinds.append(
                    ("identification", days["order"] - dt.timedelta(days=8), "RECOMMENDED")
                )
            if "rate_pass" in path or "rate_fail" in path:
                kinds.append(("acceptance", days["form_council"], project.rating))
            for kind, day, outcome in kinds:
                council = Council(
                    agency=self.agency,
                    project=project,
                    kind=kind,
                    state="closed",
                    decision_no=self.number("QĐ-SKHCN"),
                    decision_date=day,
                    meeting_date=day + dt.timedelta(days=7),
                    rules={
                        "quorum": self.rules.rules.get("quorum", {}),
                        kind: self.rules.rules.get(kind, {}),
                    },
                    outcome=outcome,
                    result={"outcome": outcome, "members_present": 7, "members_total": 7},
                    opened_at=self.at(day),
                    closed_at=self.at(day + dt.timedelta(days=7)),
                )
                councils.append(council)
                seats.append((council, kind, outcome))
        _bulk(Council, councils)
        plans_members = []
        for council, kind, outcome in seats:
            experts = self.rng.sample(
                self.people[Role.EXPERT], min(7, len(self.people[Role.EXPERT]))
            )
            for expert, role in zip(experts, roles, strict=False):
                member = CouncilMember(
                    council=council,
                    expert=expert,
                    role=role,
                    conflict="none",
                    organisation=expert.organisation,
                    present=True,
                    declared_at=council.opened_at,
                )
                members.append(member)
                plans_members.append((member, kind, outcome))
        _bulk(CouncilMember, members)
        for member, kind, outcome in plans_members:
            payload = (
                {"verdict": True}
                if kind == "identification"
                else {"products": {}, "report": outcome, "verdict": outcome}
            )
            ballots.append(
                Ballot(
                    council_id=member.council_id,
                    member=member,
                    payload=payload,
                    submitted_at=member.declared_at,
                )
            )
        Ballot.objects.bulk_create(ballots, batch_size=BATCH)
        return {"councils": len(councils), "council_members": len(members), "ballots": len(ballots)}


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu sinh tự động để đo hiệu năng: N bản ghi mỗi bảng chính (người dùng, "
        "thông báo, tài liệu, nhật ký). Chỉ chạy trên cơ sở dữ liệu trống."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1000, help="Số bản ghi mỗi bảng (mặc định 1000)."
        )
        parser.add_argument(
            "--seed", type=int, default=20250101, help="Hạt giống ngẫu nhiên (mặc định cố định)."
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="Số hồ sơ quy trình đang mở (mặc định bằng --scale; 0: không sinh).",
        )
        parser.add_argument(
            "--projects",
            type=int,
            default=0,
            help="Số nhiệm vụ KH&CN có lịch sử xử lý (vn-2013) của bench-01 (mặc định 0).",
        )

    def handle(
        self, *args, scale: int, seed: int, processes: int | None, projects: int = 0, **options
    ):
        if scale < 1:
            raise CommandError("--scale phải là số nguyên dương.")
        processes = scale if processes is None else processes
        if processes < 0 or projects < 0:
            raise CommandError("--processes và --projects không được âm.")
        if Agency.objects.filter(code__startswith=BENCH_PREFIX).exists():
            raise CommandError(
                "Cơ sở dữ liệu đã có dữ liệu đo hiệu năng (các cơ quan bench-…). "
                "Hãy chạy lệnh này trên một cơ sở dữ liệu trống (bench/run.py tự tạo mới tệp SQLite; "
                "với PostgreSQL hãy tạo một cơ sở dữ liệu trống và đặt DATABASE_URL)."
            )
        if Agency.objects.exists() or User.objects.exists():
            raise CommandError(
                "Cơ sở dữ liệu đã có dữ liệu (cơ quan hoặc người dùng); không sinh dữ liệu đo hiệu năng "
                "để tránh trộn lẫn. Hãy dùng một cơ sở dữ liệu trống (ví dụ DATABASE_URL khác)."
            )
        started = time.perf_counter()
        with transaction.atomic():
            counts = self.seed(scale, Generator(seed), processes, projects)
        if connection.vendor == "postgresql":
            # the planner's statistics and the visibility map, as a database in use has them
            # (a million rows just written in bulk would otherwise be planned as empty tables)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        elapsed = time.perf_counter() - started
        self.report(scale, seed, counts, elapsed)

    # --- generation -------------------------------------------------------------------------------

    def seed(self, n: int, gen: Generator, processes: int = 0, projects: int = 0) -> dict[str, int]:
        rng = gen.rng
        now = clock.now()
        agencies = self.make_agencies(max(2, n // 200))
        bench, bench_memberships = self.make_bench_user(agencies[0])
        users, roles, memberships = self.make_users(n, gen, agencies, now)
        Membership.objects.bulk_create(bench_memberships + memberships, batch_size=BATCH)

        by_agency: dict[int, list[User]] = {}
        admins: dict[int, User] = {agencies[0].pk: bench}
        for user, role in zip(users, roles, strict=True):
            by_agency.setdefault(user.bench_agency.pk, []).append(user)
            if role == Role.ADMIN:
                admins.setdefault(user.bench_agency.pk, user)
        by_agency[agencies[0].pk].append(bench)

        attachments, versions = self.make_attachments(n, gen, agencies, by_agency, bench)
        notifications = self.make_notifications(n, gen, users, bench, attachments, now)
        events = self.make_audit_events(n, rng, users, roles, attachments, admins, by_agency)
        workflow = {}
        if processes:
            hosts: dict[int, list[User]] = {a.pk: [] for a in agencies}
            for user, role in zip(users, roles, strict=True):
                if role == Role.HOST and not user.locked_until:
                    hosts[user.bench_agency.pk].append(user)
            workflow = self.make_processes(processes, gen, agencies, hosts, now)
            workflow["history_pk"] = self.make_history_record(gen, agencies[0], bench, hosts)
        if projects:
            started = time.perf_counter()
            agency = agencies[0]
            people = {
                role: [
                    u
                    for u, r in zip(users, roles, strict=True)
                    if r == role and u.bench_agency.pk == agency.pk and not u.locked_until
                ]
                for role in (Role.STAFF, Role.LEADER, Role.HOST, Role.EXPERT)
            }
            people[Role.STAFF].append(bench)
            people[Role.LEADER].append(bench)
            workflow.update(TaskGenerator(gen, agency, people, now).make(projects))
            workflow["projects_seconds"] = time.perf_counter() - started
        return {
            **workflow,
            "agencies": len(agencies),
            "users": len(users) + 1,
            "memberships": len(memberships) + len(bench_memberships),
            "locked": sum(1 for u in users if u.locked_until),
            "notifications": notifications,
            "attachments": len(attachments),
            "versions": versions,
            "events": events,
        }

    def make_agencies(self, count: int) -> list[Agency]:
        agencies = []
        for k in range(1, count + 1):
            province = PROVINCES[(k - 1) % len(PROVINCES)]
            cycle = (k - 1) // len(PROVINCES)
            suffix = f" ({cycle + 1})" if cycle else ""
            agencies.append(
                Agency(
                    code=f"{BENCH_PREFIX}{k:02d}",
                    name=f"Sở Khoa học và Công nghệ {province}{suffix}",
                    short_name=f"Sở KH&CN {province}{suffix}"[:60],
                    kind=Agency.Kind.DEPARTMENT,
                    parent=None,
                    province=province,
                    email=f"sokhcn-{k:02d}@bench.khcn.local",
                )
            )
        return _bulk(Agency, agencies)

    def make_bench_user(self, agency: Agency) -> tuple[User, list[Membership]]:
        bench = User(
            username=BENCH_USERNAME,
            full_name="Trần Minh Khoa",
            email="bench@bench.khcn.local",
            organisation=f"Phòng Quản lý khoa học, {agency.short_name}",
            position="Chuyên viên (tài khoản đo hiệu năng)",
        )
        bench.set_password(BENCH_PASSWORD)
        bench.save()
        roles = [Role.STAFF, Role.LEADER, Role.ADMIN]
        return bench, [Membership(user=bench, agency=agency, role=r) for r in roles]

    def make_users(self, n: int, gen: Generator, agencies: list[Agency], now: dt.datetime):
        rng = gen.rng
        password = make_password(BENCH_PASSWORD)  # hashed once: PBKDF2 per user would take minutes
        role_cycle = list(Role)
        users, roles, memberships = [], [], []
        for i in range(n):
            agency = agencies[i % len(agencies)]
            # rotate roles within each agency, so that every agency gets every role
            role = role_cycle[(i // len(agencies)) % len(role_cycle)]
            family, middle, given = gen.person()
            title = rng.choice(ACADEMIC_TITLES) if role in {Role.EXPERT, Role.HOST} else ""
            initials = ascii_slug(family)[0] + ascii_slug(middle)[0]
            username = f"{ascii_slug(given)}{initials}.{i + 1:05d}"
            org, position = ROLE_POSITIONS[role]
            locked = i == 0 or rng.random() < 0.02
            user = User(
                username=username,
                full_name=f"{title}{family} {middle} {given}",
                password=password,
                email=f"{username}@{agency.code}.khcn.local",
                phone=f"09{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.7 else "",
                organisation=org.format(
                    agency=agency.short_name,
                    university=rng.choice(UNIVERSITIES),
                    company=rng.choice(COMPANIES),
                ),
                position=position,
                failed_logins=5 if locked else 0,
                locked_until=now + dt.timedelta(days=1) if locked else None,
            )
            user.bench_agency = agency
            users.append(user)
            roles.append(role)
        _bulk(User, users)
        for user, role in zip(users, roles, strict=True):
            memberships.append(Membership(user=user, agency=user.bench_agency, role=role))
        return users, roles, memberships

    def make_attachments(self, n, gen: Generator, agencies, by_agency, bench):
        rng = gen.rng
        stored = files.store_upload(NamedBytes(minimal_pdf("KHCN benchmark document"), "bench.pdf"))
        categories = list(Attachment.Category)
        attachments = []
        for i in range(n):
            agency = agencies[i % len(agencies)]
            category = rng.choice(categories)
            author = rng.choice(by_agency[agency.pk])
            attachments.append(
                Attachment(
                    agency=agency,
                    title=gen.document_title(category, i),
                    category=category,
                    description="Tài liệu sinh tự động để đo hiệu năng."
                    if rng.random() < 0.5
                    else "",
                    created_by=author,
                    current_version=2 if i % 10 == 0 else 1,
                )
            )
        _bulk(Attachment, attachments)
        versions = []
        for att in attachments:
            name = (ascii_slug(att.title)[:80] or "tai-lieu") + ".pdf"
            for number in range(1, att.current_version + 1):
                versions.append(
                    AttachmentVersion(
                        attachment=att,
                        number=number,
                        sha256=stored.sha256,
                        size=stored.size,
                        content_type=stored.content_type,
                        extension=stored.extension,
                        original_name=name,
                        note="Bổ sung số liệu" if number > 1 else "",
                        uploaded_by=att.created_by
                        if number == 1
                        else rng.choice(by_agency[att.agency_id]),
                    )
                )
        AttachmentVersion.objects.bulk_create(versions, batch_size=BATCH)
        return attachments, len(versions)

    def make_notifications(self, n, gen: Generator, users, bench, attachments, now) -> int:
        rng = gen.rng
        home = reverse("home")
        role_labels = dict(Role.choices)
        rows = []
        bench_share = max(1, n // 20)  # the bench user gets some, so the home page has content
        for i in range(n):
            recipient = bench if i < bench_share else rng.choice(users)
            agency = getattr(recipient, "bench_agency", None) or attachments[0].agency
            kind = rng.choices(NOTIFICATION_KINDS, weights=[3, 1, 5, 1])[0]
            body, url = "", home
            if kind == Kind.ROLE_CHANGED:
                role = rng.choice(list(Role))
                title = f"Bạn được giao vai trò {role_labels[role]} tại {agency.short_name}"
            elif kind == Kind.ACCOUNT_LOCKED:
                other = rng.choice(users)
                title = f"Tài khoản {other.username} bị khóa do đăng nhập sai nhiều lần"
                url = reverse("user-detail", args=[other.pk])
            elif kind == Kind.DOCUMENT_CHANGED:
                att = rng.choice(attachments)
                title = f"Tài liệu “{att.title}” có phiên bản mới"[:255]
                body = f"{rng.choice(users).full_name} đã tải lên phiên bản 2."
                url = reverse("attachment-detail", args=[att.pk])
            else:
                title = "Phát hiện nhiều lần đăng nhập thất bại từ cùng một địa chỉ IP"
            read = rng.random() < 0.6
            want_email = rng.random() < 0.5
            rows.append(
                Notification(
                    recipient=recipient,
                    agency=agency,
                    kind=kind,
                    title=title,
                    body=body,
                    url=url,
                    in_app=True,
                    want_email=want_email,
                    read_at=now - dt.timedelta(minutes=rng.randint(1, 60 * 24 * 30))
                    if read
                    else None,
                    emailed_at=now if want_email else None,
                )
            )
        Notification.objects.bulk_create(rows, batch_size=BATCH)
        return len(rows)

    def make_audit_events(self, n, rng, users, roles, attachments, admins, by_agency) -> int:
        """N events through record(), so that `khcn audit verify` passes."""
        for i in range(n):
            kind = i % 5
            idx = (i // 5) % len(users)
            user, role = users[idx], roles[idx]
            att = attachments[(i // 5) % len(attachments)]
            if kind == 0:
                record(
                    actor=admins.get(user.bench_agency.pk),
                    action=AuditAction.USER_CREATED,
                    obj=user,
                    agency=user.bench_agency,
                    after=snapshot(user, USER_FIELDS),
                )
            elif kind == 1:
                record(
                    actor=admins.get(user.bench_agency.pk),
                    action=AuditAction.ROLE_GRANTED,
                    obj=user,
                    agency=user.bench_agency,
                    after={"agency": user.bench_agency.code, "role": role.value},
                )
            elif kind == 2:
                record(
                    actor=att.created_by,
                    action=AuditAction.ATTACHMENT_UPLOADED,
                    obj=att,
                    agency=att.agency,
                    after={"title": att.title, "category": att.category, "version": 1},
                )
            elif kind == 3:
                record(
                    actor=user,
                    action=AuditAction.LOGIN_SUCCEEDED,
                    obj=user,
                    agency=user.bench_agency,
                )
            else:
                reader = rng.choice(by_agency[att.agency_id])
                record(
                    actor=reader,
                    action=AuditAction.ATTACHMENT_DOWNLOADED,
                    obj=att,
                    agency=att.agency,
                    after={"version": 1},
                )
        return n

    # --- workflow records ---------------------------------------------------------------------------

    def make_processes(self, n: int, gen: Generator, agencies, hosts, now) -> dict[str, int]:
        """N running records on hn-05-2021 with their active deadlines, by bulk_create.

        Every date is computed with the same functions as `deadlines_sync` (anchor, due date,
        reminder date through the agency's working-day calendar), so the rows are what the
        engine would hold. Relative to today: NEWLY_MISSED of the records have the dossier
        limit past due and still open (the sweep marks them missed), TO_REMIND are inside the
        reminder window with no reminder sent, NEWLY_FAILED passed the 6-month limit yesterday
        (the sweep runs the automatic `auto_fail` step), LONG_MISSED were missed and reported
        by earlier sweeps; the rest fall due in the future. Each record has one history entry
        ("Nhập từ hệ thống cũ", revision 1) and WITH_HOST of them a host contact.
        """
        from khcn.workflow.loader import current_version, ruleset_load_all

        rng = gen.rng
        ruleset_load_all()
        version = current_version(WORKFLOW_RULESET)
        rules = version.rules
        dossier = rules.deadline("acceptance_dossier")
        late = rules.deadline("acceptance_dossier_late")
        if dossier is None or late is None:
            raise CommandError(
                f"Bộ quy tắc {WORKFLOW_RULESET} thiếu thời hạn nộp hồ sơ nghiệm thu."
            )
        today = clock.today()
        tz = timezone.get_current_timezone()
        calendars = {a.pk: WorkCalendar(a.pk) for a in agencies}
        states = [s for s, _w in PROCESS_STATES]
        weights = [w for _s, w in PROCESS_STATES]

        def at(day: dt.date, hour: int = 9) -> dt.datetime:
            return min(dt.datetime.combine(day, dt.time(hour), tzinfo=tz), now)

        counts = dict.fromkeys(
            ["processes", "deadlines", "parties", "newly_missed", "to_remind", "newly_failed"], 0
        )
        for first in range(0, n, PROCESS_CHUNK):
            processes, plans = [], []
            for i in range(first, min(n, first + PROCESS_CHUNK)):
                agency = agencies[i % len(agencies)]
                cal = calendars[agency.pk]
                r = rng.random()
                if r < NEWLY_MISSED:
                    situation = "newly_missed"
                elif r < NEWLY_MISSED + TO_REMIND:
                    situation = "to_remind"
                elif r < NEWLY_MISSED + TO_REMIND + NEWLY_FAILED:
                    situation = "newly_failed"
                elif r < NEWLY_MISSED + TO_REMIND + NEWLY_FAILED + LONG_MISSED:
                    situation = "long_missed"
                else:
                    situation = "future"
                if situation == "newly_failed":
                    # the end date whose "+7 months" limit fell on the last working day(s)
                    for back in range(1, 40):
                        end = shift_months(today - dt.timedelta(days=back), -late.offset)
                        if due_date(late, end, cal) < today:
                            break
                else:
                    if situation == "newly_missed":
                        target = cal.add_working_days(today, -rng.randint(1, 2))
                    elif situation == "to_remind":
                        target = cal.add_working_days(today, rng.randint(1, dossier.remind_before))
                    elif situation == "long_missed":
                        target = today - dt.timedelta(days=rng.randint(5, 200))
                    else:
                        target = today + dt.timedelta(days=rng.randint(25, 900))
                    # the limit is 30 working days before the end date
                    end = cal.add_working_days(target, dossier.offset)
                fits = [m for m in (12, 18, 24, 30, 36) if shift_months(end, -m) <= today]
                start = shift_months(end, -rng.choice(fits or [36]))
                state = rng.choices(states, weights)[0]
                entered = start
                data = {
                    "decision_no": f"{rng.randint(100, 3999)}/QĐ-UBND",
                    "contract_no": f"{rng.randint(1, 299):02d}/{start.year}/HĐ-KHCN",
                    "budget": rng.randint(3, 60) * 50_000_000,
                    "start_date": start.isoformat(),
                    "end_date": end.isoformat(),
                }
                if state in ("CHANGE_PENDING", "EXTENSION_PENDING"):
                    entered = max(start, today - dt.timedelta(days=rng.randint(0, 25)))
                    if state == "CHANGE_PENDING":
                        data["change_kind"] = rng.choice(CHANGE_KINDS)
                    else:
                        data["new_end_date"] = shift_months(end, 6).isoformat()
                elif state == "INTERNAL_ACCEPTANCE":
                    entered = max(start, today - dt.timedelta(days=rng.randint(1, 40)))
                    data["internal_acceptance_date"] = entered.isoformat()
                province = agency.province
                year = start.year
                process = Process(
                    agency=agency,
                    ruleset=version,
                    title=(
                        f"Nghiên cứu ứng dụng {rng.choice(TECHNOLOGIES)} trong "
                        f"{rng.choice(APPLICATIONS)} tại {rng.choice(PLACES).format(p=province)}"
                    ),
                    reference=f"ĐT.{year % 100:02d}.{i + 1:06d}",
                    state=state,
                    state_entered_at=at(entered),
                    data=data,
                    revision=1,
                )
                processes.append(process)
                host_pool = hosts.get(agency.pk) or []
                host = rng.choice(host_pool) if host_pool and rng.random() < WITH_HOST else None
                plans.append((situation, entered, start, host))
            _bulk(Process, processes)

            deadlines, events, parties = [], [], []
            for process, (situation, entered, start, host) in zip(processes, plans, strict=True):
                cal = calendars[process.agency_id]
                dues: dict[str, dt.date] = {}
                for rule in rules.deadlines:
                    if process.state not in rule.states:
                        continue
                    opened = entered if rule.anchor_kind == "entered" else start
                    anchor = anchor_date(process, rule, opened_on=opened, dues=dues)
                    if anchor is None:
                        continue
                    due = dues[rule.key] = due_date(rule, anchor, cal)
                    row = deadline_new(
                        process, rule, due=due, opened_on=min(opened, today), cal=cal
                    )
                    newly = (situation == "newly_missed" and rule.key == dossier.key) or (
                        situation == "newly_failed" and rule.key == late.key
                    )
                    if (
                        row.remind_on
                        and row.remind_on <= today
                        and not (situation == "to_remind" and rule.key == dossier.key)
                    ):
                        row.reminded_at = at(row.remind_on, 2)  # an earlier sweep sent it
                    if due < today and newly:
                        counts[situation] += 1
                    elif due < today:  # missed and reported by an earlier sweep
                        missed = due + dt.timedelta(days=1)
                        row.status, row.missed_on = Deadline.Status.MISSED, missed
                        row.escalated_at = row.auto_done_at = at(missed, 2)
                    elif row.reminded_at is None and row.remind_on and row.remind_on <= today:
                        counts["to_remind"] += 1
                    deadlines.append(row)
                events.append(
                    ProcessEvent(
                        process=process,
                        seq=1,
                        action="_import",  # reserved "_" prefix: written by the generator, not a rule
                        label="Nhập từ hệ thống cũ",
                        from_state="",
                        to_state=process.state,
                        data={},
                        ruleset=version,
                        at=process.state_entered_at,
                    )
                )
                if host is not None:
                    parties.append(ProcessParty(process=process, user=host, role=Role.HOST))
            Deadline.objects.bulk_create(deadlines, batch_size=BATCH)
            ProcessEvent.objects.bulk_create(events, batch_size=BATCH)
            ProcessParty.objects.bulk_create(parties, batch_size=BATCH)
            counts["processes"] += len(processes)
            counts["deadlines"] += len(deadlines)
            counts["parties"] += len(parties)
        from khcn.workflow.deadlines import next_due_refresh_all

        next_due_refresh_all()  # what the engine keeps on each record, in one UPDATE
        return counts

    def make_history_record(self, gen: Generator, agency, bench, hosts) -> int:
        """One record of `agency` taken through the engine: started, ordered, assigned,
        approved, contracted and started (8 entries), then 21 pairs of change requests and
        approvals: 50 history entries, back in IN_PROGRESS. `bench` is leader and staff of
        the agency and also a host contact of the record, so every step open to the host and
        to the leader is offered to it (available_actions evaluates their conditions). The
        facts other modules record on a task's record before its guarded steps (the
        identification council's conclusion, the registered contract) are recorded the same
        way (`process_data_record`); this bare record has no task, so no contract row."""
        from khcn.workflow.engine import perform, process_data_record, process_start

        rng = gen.rng
        today = clock.today()
        pool = hosts.get(agency.pk) or []
        host = pool[0] if pool else bench
        parties = [(bench, Role.HOST)] + ([(host, Role.HOST)] if host is not bench else [])
        process = process_start(
            actor=bench,
            agency=agency,
            ruleset=WORKFLOW_RULESET,
            title=(
                f"Nghiên cứu ứng dụng {rng.choice(TECHNOLOGIES)} trong "
                f"{rng.choice(APPLICATIONS)} tại {agency.province}"
            ),
            parties=parties,
            reference=HISTORY_REFERENCE,
            today=today,
        )
        start, end = today - dt.timedelta(days=400), shift_months(today, 20)
        steps = [
            (bench, "order", {"decision_no": "215/QĐ-SKHCN", "decision_date": start}, ""),
            (bench, "assign_directly", {"decision_no": "388/QĐ-SKHCN"}, "Giao trực tiếp"),
            (bench, "request_revision", {}, ""),
            (
                bench,
                "appraise_budget",
                {"appraisal_date": start, "appraised_budget": 1_850_000_000},
                "",
            ),
            (
                bench,
                "approve",
                {
                    "decision_no": "1024/QĐ-UBND",
                    "start_date": start,
                    "end_date": end,
                    "budget": 1_800_000_000,
                },
                "",
            ),
            (bench, "sign_contract", {"contract_no": "17/HĐ-KHCN", "signed_date": start}, ""),
            (host, "start", {}, ""),
        ]
        change = (HISTORY_LENGTH - 1 - len(steps)) // 2
        for k in range(change):
            kind = CHANGE_KINDS[k % len(CHANGE_KINDS)]
            steps.append(
                (host, "request_change", {"change_kind": kind}, f"Đề nghị điều chỉnh lần {k + 1}")
            )
            steps.append(
                (bench, "approve_change", {"change_decision_no": f"{k + 1:02d}/CV-SKHCN"}, "")
            )
        facts = {
            "order": {"identification_outcome": "RECOMMENDED"},
            "sign_contract": {"contract_id": 0, "disbursed_total": 0},
        }
        for user, action, data, remark in steps:
            if action in facts:
                process_data_record(process=process, values=facts[action])
            process = perform(
                user=user, process=process, action=action, data=data, remark=remark, today=today
            )
        # Spread the history over the months it would have taken (perform stamps "now").
        events = list(process.events.order_by("seq"))
        for k, event in enumerate(events):
            event.at = clock.now() - dt.timedelta(days=7 * (len(events) - k))
        ProcessEvent.objects.bulk_update(events, ["at"])
        return process.pk

    # --- output -----------------------------------------------------------------------------------

    def report(self, scale: int, seed: int, counts: dict[str, int], elapsed: float) -> None:
        last = f"{BENCH_PREFIX}{counts['agencies']:02d}"
        vendor = database_description()
        w = self.stdout.write
        w(
            f"Đã sinh dữ liệu đo hiệu năng (scale {scale}, seed {seed}, {vendor}) trong {elapsed:.1f} giây:"
        )
        w(f"  cơ quan:          {counts['agencies']} ({BENCH_PREFIX}01 … {last})")
        w(
            f"  người dùng:       {counts['users']} (kể cả “{BENCH_USERNAME}”; {counts['locked']} đang bị khóa)"
        )
        w(f"  vai trò:          {counts['memberships']}")
        w(f"  thông báo:        {counts['notifications']}")
        w(
            f"  tài liệu:         {counts['attachments']} ({counts['versions']} phiên bản, cùng một tệp PDF)"
        )
        w(
            f"  sự kiện nhật ký:  {counts['events']} (tổng trong chuỗi: {AuditEvent.objects.count()})"
        )
        if counts.get("processes"):
            w(
                f"  hồ sơ quy trình:  {counts['processes']} đang mở ({WORKFLOW_RULESET}), "
                f"{counts['deadlines']} thời hạn, {counts['parties']} có người liên hệ của tổ chức chủ trì"
            )
            w(
                f"    hôm nay: {counts['newly_missed']} vừa quá hạn nộp hồ sơ nghiệm thu, "
                f"{counts['to_remind']} cần nhắc hạn, {counts['newly_failed']} quá hạn 6 tháng "
                "(bước tự động «không đạt»)"
            )
            w(
                f"  hồ sơ {HISTORY_LENGTH} bước lịch sử: #{counts['history_pk']} ({HISTORY_REFERENCE}), "
                f"{BENCH_USERNAME} là Lãnh đạo và người liên hệ của tổ chức chủ trì"
            )
        if counts.get("projects"):
            w(
                f"  nhiệm vụ KH&CN:   {counts['projects']} ({PROJECT_RULESET}, bench-01) trong "
                f"{counts['projects_seconds']:.1f} giây: {counts['project_events']} bước lịch sử, "
                f"{counts['project_deadlines']} thời hạn, {counts['budget_lines']} dòng dự toán"
            )
            w(
                f"    {counts['contracts']} hợp đồng ({counts['tranches']} đợt, {counts['disbursements']} "
                f"lần cấp), {counts['councils']} hội đồng ({counts['council_members']} thành viên, "
                f"{counts['ballots']} phiếu)"
            )
            w(
                f"  nhiệm vụ {PROJECT_LONG_HISTORY}: #{counts['long_pk']} (50 bước lịch sử), "
                f"{PROJECT_SHORT_HISTORY}: #{counts['short_pk']} (8 bước), cùng bước «Đang thực hiện»"
            )
        w(
            f"Tài khoản đo: {BENCH_USERNAME} / {BENCH_PASSWORD} "
            f"(Chuyên viên, Lãnh đạo, Quản trị viên tại {BENCH_PREFIX}01). "
            "Mọi người dùng sinh ra dùng cùng mật khẩu này."
        )
