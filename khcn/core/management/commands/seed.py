"""`khcn seed --scale N`: generated data for benchmarks (bench/run.py).

Deterministic (random.Random(seed)): the same scale and seed give the same
records. N rows in each main table (users, notifications, library documents,
audit events), spread over max(2, N // 200) generated departments coded
"bench-01", "bench-02", … Only a database with no agencies and no users is
accepted, so that benchmark data never mixes with real or demo data.

Speed: rows are written with bulk_create, except the audit events, which go
through `audit.services.record` one by one so that the hash chain stays valid.
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

from khcn.accounts.models import Agency, Membership, Role, User
from khcn.accounts.services import USER_FIELDS
from khcn.audit.models import AuditAction, AuditEvent
from khcn.audit.services import record, snapshot
from khcn.core import clock, files
from khcn.core.demo import NamedBytes, minimal_pdf
from khcn.core.models import Attachment, AttachmentVersion
from khcn.notifications.models import Kind, Notification

BENCH_USERNAME = "bench"
BENCH_PASSWORD = "bench-pass"
BENCH_PREFIX = "bench-"
BATCH = 500

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

    def handle(self, *args, scale: int, seed: int, **options):
        if scale < 1:
            raise CommandError("--scale phải là số nguyên dương.")
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
            counts = self.seed(scale, Generator(seed))
        elapsed = time.perf_counter() - started
        self.report(scale, seed, counts, elapsed)

    # --- generation -------------------------------------------------------------------------------

    def seed(self, n: int, gen: Generator) -> dict[str, int]:
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
        return {
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
            kind = rng.choices(list(Kind), weights=[3, 1, 5, 1])[0]
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
        w(
            f"Tài khoản đo: {BENCH_USERNAME} / {BENCH_PASSWORD} "
            f"(Chuyên viên, Lãnh đạo, Quản trị viên tại {BENCH_PREFIX}01). "
            "Mọi người dùng sinh ra dùng cùng mật khẩu này."
        )
