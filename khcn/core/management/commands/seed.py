"""`khcn seed --scale N`: generated data for benchmarks (bench/run.py).

Deterministic (random.Random(seed)): the same scale and seed give the same
records (dates are relative to the day it runs). N rows in each main table
(users, notifications, library documents, audit events), spread over
max(2, N // 200) generated departments coded "bench-01", "bench-02", … and
`--processes P` open workflow records (default N) on the rule set hn-05-2021
with their active deadlines, plus one record with 50 history entries taken
through the engine. Only a database with no agencies and no users is accepted,
so that benchmark data never mixes with real or demo data.

Speed: rows are written with bulk_create, except the audit events, which go
through `audit.services.record` one by one so that the hash chain stays valid,
and the 50-entry record, which goes through `workflow.engine.perform`.
Every generated user shares one password hash (computed once), so any of them
can log in with the bench password; the fixed account `bench` is the one the
benchmark uses.
"""

import datetime as dt
import random
import time
import unicodedata

from django.contrib.auth.hashers import make_password
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
from khcn.core.demo import NamedBytes, minimal_pdf
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


def database_description() -> str:
    """ "sqlite 3.40.1", "postgresql 16.4": which database the data went to."""
    if connection.vendor == "sqlite":
        return f"sqlite {connection.Database.sqlite_version}"
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"postgresql {major}.{minor}"
    return connection.vendor


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

    def handle(self, *args, scale: int, seed: int, processes: int | None, **options):
        if scale < 1:
            raise CommandError("--scale phải là số nguyên dương.")
        processes = scale if processes is None else processes
        if processes < 0:
            raise CommandError("--processes không được âm.")
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
            counts = self.seed(scale, Generator(seed), processes)
        elapsed = time.perf_counter() - started
        self.report(scale, seed, counts, elapsed)

    # --- generation -------------------------------------------------------------------------------

    def seed(self, n: int, gen: Generator, processes: int = 0) -> dict[str, int]:
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
        to the leader is offered to it (available_actions evaluates their conditions)."""
        from khcn.workflow.engine import perform, process_start

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
        for user, action, data, remark in steps:
            perform(
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
        w(
            f"Tài khoản đo: {BENCH_USERNAME} / {BENCH_PASSWORD} "
            f"(Chuyên viên, Lãnh đạo, Quản trị viên tại {BENCH_PREFIX}01). "
            "Mọi người dùng sinh ra dùng cùng mật khẩu này."
        )
