"""Deterministic demo data built from the source articles (shared/seeds).

Two departments (Hải Phòng, Hà Nội) under the ministry, their leaders and
staff, host organisations, experts and an enterprise. Later modules add their
records through `@demo_step`. The loader refuses a database that already holds
data it did not create.
"""

import io
from collections.abc import Callable

from django.db import transaction

from khcn.core.errors import DomainError
from khcn.core.files import NamedBytes  # noqa: F401  (re-exported for older imports)
from khcn.core.text import fold

DEMO_PASSWORD = "khcn-demo"
DEMO_AGENCIES = ["bo-khcn", "hp", "hn"]
_STEPS: list[Callable] = []


def demo_step(fn: Callable) -> Callable:
    _STEPS.append(fn)
    return fn


# username, full name, agency code, roles, organisation, position, e-mail
DEMO_USERS = [
    (
        "admin",
        "Nguyễn Đức Thành",
        "hp",
        ["admin"],
        "Văn phòng Sở KH&CN Hải Phòng",
        "Quản trị hệ thống",
    ),
    ("lanhdao", "Phạm Văn Hưng", "hp", ["leader"], "Sở KH&CN Hải Phòng", "Giám đốc Sở"),
    (
        "canbo",
        "Trần Thị Thu Hà",
        "hp",
        ["staff"],
        "Phòng Quản lý khoa học, Sở KH&CN Hải Phòng",
        "Chuyên viên",
    ),
    (
        "chutri",
        "Lê Minh Tuấn",
        "hp",
        ["host"],
        "Trường Đại học Hải Phòng",
        "Trưởng phòng Khoa học công nghệ",
    ),
    (
        "chuyengia1",
        "GS.TS. Đỗ Văn Khương",
        "hp",
        ["expert"],
        "Viện Nghiên cứu Hải sản",
        "Nguyên Viện trưởng",
    ),
    (
        "chuyengia2",
        "PGS.TS. Nguyễn Thị Lan Hương",
        "hp",
        ["expert"],
        "Trường Đại học Hàng hải Việt Nam",
        "Giảng viên cao cấp",
    ),
    (
        "chuyengia3",
        "TS. Vũ Quang Huy",
        "hp",
        ["expert"],
        "Trường Đại học Y Dược Hải Phòng",
        "Trưởng khoa",
    ),
    (
        "chuyengia4",
        "TS. Hoàng Thị Mai Anh",
        "hp",
        ["expert"],
        "Viện Tài nguyên và Môi trường biển",
        "Nghiên cứu viên chính",
    ),
    (
        "chuyengia5",
        "PGS.TS. Bùi Đình Nghĩa",
        "hp",
        ["expert"],
        "Trường Đại học Hải Phòng",
        "Phó Hiệu trưởng",
    ),
    (
        "chuyengia6",
        "TS. Đặng Văn Lực",
        "hp",
        ["expert"],
        "Công ty CP Đóng tàu Bạch Đằng",
        "Kỹ sư trưởng",
    ),
    (
        "chuyengia7",
        "ThS. Ngô Thị Thanh Tâm",
        "hp",
        ["expert"],
        "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng Hải Phòng",
        "Giám đốc",
    ),
    (
        "chuyengia8",
        "TS. Phan Anh Dũng",
        "hp",
        ["expert"],
        "Viện Khoa học Nông nghiệp Việt Nam",
        "Nghiên cứu viên",
    ),
    (
        "chuyengia9",
        "PGS.TS. Lương Thị Hồng Vân",
        "hp",
        ["expert"],
        "Đại học Quốc gia Hà Nội",
        "Giảng viên",
    ),
    (
        "doanhnghiep",
        "Vũ Thị Ngọc Ánh",
        "hp",
        ["enterprise"],
        "Công ty CP Công nghệ sinh học Biển Xanh",
        "Giám đốc",
    ),
    (
        "canbo.hn",
        "Nguyễn Thị Minh Phương",
        "hn",
        ["staff"],
        "Phòng Quản lý khoa học, Sở KH&CN Hà Nội",
        "Chuyên viên",
    ),
    ("lanhdao.hn", "Đinh Công Sơn", "hn", ["leader"], "Sở KH&CN Hà Nội", "Phó Giám đốc Sở"),
    ("admin.hn", "Lê Thị Quỳnh", "hn", ["admin"], "Văn phòng Sở KH&CN Hà Nội", "Quản trị hệ thống"),
]

ROLE_LABELS = {
    "admin": "Quản trị viên",
    "leader": "Lãnh đạo",
    "staff": "Chuyên viên",
    "host": "Tổ chức chủ trì",
    "expert": "Chuyên gia",
    "enterprise": "Doanh nghiệp",
}


def check_database_is_demo_only() -> bool:
    """True when the demo is already loaded; DomainError when other data is present."""
    from khcn.accounts.models import Agency, User

    foreign_users = User.objects.filter(is_demo=False).exists()
    foreign_agencies = Agency.objects.exclude(code__in=DEMO_AGENCIES).exists()
    if foreign_users or foreign_agencies:
        raise DomainError(
            "Cơ sở dữ liệu đã có dữ liệu không phải dữ liệu mẫu; không nạp dữ liệu mẫu để tránh trộn lẫn. "
            "Hãy dùng một cơ sở dữ liệu trống (ví dụ DATABASE_URL khác)."
        )
    return User.objects.filter(is_demo=True).exists()


def load_demo(*, skip: tuple[str, ...] = ()) -> bool:
    """Load the demo data. Returns False when it was already there (nothing changes).

    `skip` names steps to leave out (browser tests that need only the people and the
    calendar skip the minute-long walk of the S&T tasks)."""
    if check_database_is_demo_only():
        return False
    with transaction.atomic():
        for step in _STEPS:
            if step.__name__ not in skip:
                step()
    return True


@demo_step
def agencies_and_people() -> None:
    from khcn.accounts import services
    from khcn.accounts.models import Agency, User
    from khcn.audit.models import AuditAction
    from khcn.audit.services import record

    ministry = Agency.objects.create(
        code="bo-khcn",
        name="Bộ Khoa học và Công nghệ",
        short_name="Bộ KH&CN",
        kind=Agency.Kind.MINISTRY,
        province="Hà Nội",
        address="113 Trần Duy Hưng, Cầu Giấy, Hà Nội",
        website="https://www.most.gov.vn",
    )
    hp = Agency.objects.create(
        code="hp",
        name="Sở Khoa học và Công nghệ Hải Phòng",
        short_name="Sở KH&CN Hải Phòng",
        parent=ministry,
        province="Hải Phòng",
        address="Số 4 Lê Lai, phường Gia Viên, Hải Phòng",
        phone="0225 3842 755",
        email="sokhcn@haiphong.gov.vn",
        website="https://dost.haiphong.gov.vn",
    )
    hn = Agency.objects.create(
        code="hn",
        name="Sở Khoa học và Công nghệ Hà Nội",
        short_name="Sở KH&CN Hà Nội",
        parent=ministry,
        province="Hà Nội",
        address="Số 5 Nguyễn Trãi, phường Thanh Xuân, Hà Nội",
        phone="024 3825 3745",
        email="sokhcn@hanoi.gov.vn",
        website="https://sokhcn.hanoi.gov.vn",
    )
    by_code = {"hp": hp, "hn": hn}
    operator = User.objects.create_superuser(
        username="vanhanh",
        email="vanhanh@khcn.local",
        password=DEMO_PASSWORD,
        full_name="Đơn vị vận hành hệ thống",
        is_demo=True,
    )
    for username, name, code, roles, org, position in DEMO_USERS:
        user = User(
            username=username,
            full_name=name,
            organisation=org,
            position=position,
            email=f"{username.replace('.', '-')}@{code}.khcn.local",
            is_demo=True,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        for role in roles:
            services.membership_grant(actor=operator, user=user, agency=by_code[code], role=role)
    record(
        actor=operator, action=AuditAction.DEMO_LOADED, agency=hp, after={"users": len(DEMO_USERS)}
    )
    record(
        actor=operator, action=AuditAction.DEMO_LOADED, agency=hn, after={"users": len(DEMO_USERS)}
    )


def minimal_pdf(title: str) -> bytes:
    """A small, valid one-page PDF (the demo's library needs real files)."""
    text = title.encode("ascii", "replace").decode()
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


@demo_step
def library_documents() -> None:
    from khcn.accounts.models import Agency, User
    from khcn.core.models import Attachment
    from khcn.core.services import attachment_create, attachment_replace

    hp = Agency.objects.get(code="hp")
    canbo, lanhdao = User.objects.get(username="canbo"), User.objects.get(username="lanhdao")
    docs = [
        (
            "Thông tư 20/2023/TT-BKHCN về tuyển chọn, giao trực tiếp nhiệm vụ KH&CN",
            Attachment.Category.LEGAL,
            "tt-20-2023-tt-bkhcn.pdf",
            "Quy định tuyển chọn, giao trực tiếp tổ chức, cá nhân thực hiện nhiệm vụ KH&CN.",
        ),
        (
            "Thông tư 11/2014/TT-BKHCN về đánh giá, nghiệm thu nhiệm vụ KH&CN",
            Attachment.Category.LEGAL,
            "tt-11-2014-tt-bkhcn.pdf",
            "Đánh giá, nghiệm thu kết quả thực hiện nhiệm vụ KH&CN.",
        ),
        (
            "Mẫu thuyết minh đề tài nghiên cứu (B1-2-TMĐT)",
            Attachment.Category.FORM,
            "mau-b1-2-tmdt.pdf",
            "Biểu mẫu thuyết minh đề tài nghiên cứu ứng dụng.",
        ),
        (
            "Báo cáo tổng kết công tác KH&CN năm 2022",
            Attachment.Category.REPORT,
            "bao-cao-tong-ket-2022.pdf",
            "Năm 2022: 47 nhiệm vụ được phê duyệt, 30 nhiệm vụ triển khai, 19 nhiệm vụ nghiệm thu.",
        ),
    ]
    created = []
    for title, category, filename, body in docs:
        created.append(
            attachment_create(
                actor=canbo,
                agency=hp,
                title=title,
                category=category,
                description=body,
                upload=NamedBytes(minimal_pdf(fold(body)), filename),
            )
        )
    attachment_replace(
        actor=lanhdao,
        attachment=created[3],
        upload=NamedBytes(
            minimal_pdf("Ban sua doi: bo sung so lieu quy IV"), "bao-cao-tong-ket-2022-v2.pdf"
        ),
        note="Bổ sung số liệu quý IV",
    )


@demo_step
def calendar_days() -> None:
    """Hải Phòng's own day off this year, so the year calendar shows an override next to
    the law's days off and make-up Saturdays."""
    import datetime as dt

    from khcn.accounts.models import Agency, User
    from khcn.core import clock
    from khcn.core.calendar import calendar_for
    from khcn.core.calendar_services import calendar_override_create
    from khcn.core.models import CalendarOverride

    hp = Agency.objects.get(code="hp")
    year = clock.today().year
    # 13/5, Hải Phòng's liberation day, or the next working day when it falls on a day off.
    day = calendar_for(hp).add_calendar_days(dt.date(year, 5, 12), 1)
    calendar_override_create(
        actor=User.objects.get(username="admin"),
        agency=hp,
        date=day,
        kind=CalendarOverride.Kind.OFF,
        name=f"Nghỉ kỷ niệm {year - 1955} năm Ngày Giải phóng Hải Phòng (13/5/1955)",
        legal_document=f"Thông báo số 86/TB-UBND ngày 20/4/{year} của UBND thành phố Hải Phòng",
        note="Dữ liệu mẫu để minh họa, không phải văn bản thật.",
    )


def demo_logins() -> list[tuple[str, str, str, str]]:
    rows = [
        (
            u,
            name,
            ROLE_LABELS[roles[0]],
            "Sở KH&CN Hải Phòng" if code == "hp" else "Sở KH&CN Hà Nội",
        )
        for u, name, code, roles, _org, _pos in DEMO_USERS
    ]
    rows.append(("vanhanh", "Đơn vị vận hành hệ thống", "Vận hành (toàn quyền)", "—"))
    return rows
