"""Demo data for the S&T database, built on the demo tasks (runs after the projects' step).

Hải Phòng: the host organisations, experts and task leaders of the demo tasks (Trường Đại học
Hải Phòng, Trường Đại học Hàng hải Việt Nam, Viện Nghiên cứu Hải sản, Công ty CP Nhựa Thiếu
niên Tiền Phong — MST 0200167782 —, the innovation centres named in the 2022 report, …),
the results of every accepted task, the collective and certification marks the province's
IP programme built, and a few likely duplicates left open for staff to merge.
Hà Nội: its hosts and experts and the 154 S&T enterprises of its 2023 report (seed 002), as
generated companies with valid tax codes and certificate numbers.
Phú Thọ's "Vải Hùng Long" and "Bánh sắn Phong Châu" (seed 004) stand as examples of
certification marks. Numbers of certificates are illustrative, not real documents.

Rows are written in bulk (the step must stay fast), then indexed for search in one pass;
the duplicates go through the services so they are flagged and audited like real ones.
"""

import datetime as dt
import hashlib
import random
import re

from khcn.core.demo import demo_step
from khcn.core.text import fold

# name prefix -> organisation kind
_KINDS = [
    (("Trường Đại học", "Đại học", "Học viện", "Trường Cao đẳng"), "university"),
    (("Viện",), "institute"),
    (("Công ty", "Tổng công ty", "Hợp tác xã"), "enterprise"),
    (("Sở ", "UBND", "Ủy ban", "Ban Quản lý", "Chi cục"), "state"),
    (("Trung tâm",), "st_org"),
]

# Hải Phòng organisations with what is known of them: abbreviation, street, ward, MST, web
KNOWN_ORGS = {
    "Trường Đại học Hải Phòng": ("DHP", "171 Phan Đăng Lưu", "Kiến An", "", "https://dhhp.edu.vn"),
    "Trường Đại học Hàng hải Việt Nam": (
        "VMU",
        "484 Lạch Tray",
        "Lê Chân",
        "",
        "https://vimaru.edu.vn",
    ),
    "Trường Đại học Y Dược Hải Phòng": (
        "HPMU",
        "72A Nguyễn Bỉnh Khiêm",
        "Gia Viên",
        "",
        "https://hpmu.edu.vn",
    ),
    "Viện Nghiên cứu Hải sản": ("RIMF", "224 Lê Lai", "Gia Viên", "", "https://rimf.org.vn"),
    "Viện Tài nguyên và Môi trường biển": ("IMER", "246 Đà Nẵng", "Ngô Quyền", "", ""),
    "Công ty CP Nhựa Thiếu niên Tiền Phong": (
        "NTP",
        "Số 2 An Đà",
        "Ngô Quyền",
        "0200167782",
        "https://nhuatienphong.vn",
    ),
    "Bệnh viện Hữu nghị Việt Tiệp": ("", "Số 1 Nhà Thương", "Lê Chân", "", ""),
    "Trung tâm Hỗ trợ đổi mới sáng tạo quốc gia tại Hải Phòng": ("", "", "Hồng Bàng", "", ""),
    "Trung tâm Hỗ trợ khởi nghiệp đổi mới sáng tạo Hải Phòng": ("", "", "Ngô Quyền", "", ""),
    "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Hải Phòng": ("", "", "Lê Chân", "", ""),
}
SEED_ORGS_HP = [
    "Trung tâm Hỗ trợ đổi mới sáng tạo quốc gia tại Hải Phòng",
    "Trung tâm Hỗ trợ khởi nghiệp đổi mới sáng tạo Hải Phòng",
    "Công ty CP Đóng tàu Bạch Đằng",
]

# keyword in a task title -> second-level field (QĐ 12/2008)
_FIELD_WORDS = [
    (("thủy sản", "tôm", "cá ", "hải sản", "tu hài", "nuôi"), "405"),
    (("giống lúa", "cây", "tưới", "trồng"), "401"),
    (("chăn nuôi", "lợn", "gà"), "402"),
    (
        ("trí tuệ nhân tạo", "blockchain", "chuỗi khối", "gis", "dữ liệu", "phần mềm", "internet"),
        "102",
    ),
    (("nhựa", "vật liệu", "bê tông", "ăn mòn", "chitosan"), "205"),
    (("môi trường", "xử lý", "ô nhiễm", "vi nhựa", "nước ngầm", "phát thải", "mùi"), "207"),
    (("bờ", "ngập", "rừng ngập mặn", "viễn thám"), "105"),
    (("bơm", "điều khiển", "điện"), "202"),
    (("sấy", "nước mắm", "bảo quản", "thực phẩm"), "211"),
    (
        ("ung thư", "phẫu thuật", "điều trị", "nội soi", "trẻ", "sốt xuất huyết", "dinh dưỡng"),
        "302",
    ),
    (("nhãn hiệu", "du lịch", "nhân lực", "đô thị thông minh"), "502"),
    (("lịch sử",), "601"),
]

_PRODUCT_KIND = [
    ("Giấy chứng nhận đăng ký nhãn hiệu", None),  # an IP asset, not a result
    ("Báo cáo", "report"),
    ("Quy trình", "process"),
    ("Bài báo", "publication"),
    ("Sản phẩm thử nghiệm", "prototype"),
    ("Bộ công cụ", "other"),
]

# Collective and certification marks built by the demo IP tasks (task code -> mark)
IP_FROM_TASKS = {
    "HP.2021.010": ("certification", "Nước mắm Cát Hải", "Nước mắm", "Đặc khu Cát Hải"),
    "HP.2022.029": ("collective", "Bánh đa cua Hải Phòng", "Bánh đa cua", "Thành phố Hải Phòng"),
    "HP.2022.030": ("collective", "Thuốc lào Vĩnh Bảo", "Thuốc lào", "Xã Vĩnh Bảo"),
    "HP.2023.008": ("collective", "Nem cua bể Hải Phòng", "Nem cua bể", "Thành phố Hải Phòng"),
    "HP.2025.005": ("certification", "Bánh mì cay Hải Phòng", "Bánh mì cay", "Thành phố Hải Phòng"),
}

# 154 S&T enterprises of Hà Nội (seed 002), generated from these parts
_HN_FORMS = ["Công ty CP", "Công ty TNHH", "Công ty CP", "Công ty TNHH MTV"]
_HN_TRADES = [
    ("Công nghệ sinh học", "106"),
    ("Giải pháp phần mềm", "102"),
    ("Thiết bị điện tử", "202"),
    ("Vật liệu mới", "205"),
    ("Công nghệ môi trường", "207"),
    ("Dược phẩm", "303"),
    ("Công nghệ thực phẩm", "211"),
    ("Tự động hóa", "203"),
    ("Nông nghiệp công nghệ cao", "401"),
    ("Trí tuệ nhân tạo", "102"),
    ("Thiết bị y tế", "206"),
    ("Năng lượng xanh", "202"),
]
_HN_BRANDS = [
    "Việt An",
    "Minh Phát",
    "Thành Công",
    "Hồng Hà",
    "Sao Mai",
    "Tân Long",
    "Bảo Ngọc",
    "Đại Việt",
    "Phú Hưng",
    "Thăng Long",
    "Hoàng Gia",
    "Nam Sơn",
    "Trường Thịnh",
    "Kim Ngân",
    "Hà Thành",
    "An Khang",
    "Quang Minh",
    "Đông Đô",
    "Tây Hồ",
    "Ngọc Lan",
    "Bình Minh",
    "Hòa Phát",
    "Phương Đông",
    "Vạn Xuân",
]

_NAME_PREFIX = re.compile(r"^((?:GS|PGS|TSKH|TS|ThS|KS|BSCKII|BSCKI|CN)\.)+\s*")


def _kind(name: str) -> str:
    for prefixes, kind in _KINDS:
        if name.startswith(prefixes):
            return kind
    return "other"


def _split_title(full: str) -> tuple[str, str, str]:
    """ "PGS.TS. Nguyễn Văn A" -> ("Nguyễn Văn A", "TS", "PGS")."""
    match = _NAME_PREFIX.match(full)
    if not match:
        return full.strip(), "", ""
    parts = match.group(0).replace(" ", "").strip(".").split(".")
    title = next((p for p in parts if p in ("GS", "PGS")), "")
    degree = next((p for p in parts if p in ("TSKH", "TS", "ThS")), "")
    if not degree and any(p in ("KS", "CN") for p in parts):
        degree = "CN"
    return full[match.end() :].strip(), degree, title


def _digits(seed: str, n: int) -> str:
    return str(int(hashlib.sha256(seed.encode()).hexdigest(), 16))[:n].rjust(n, "0")


def valid_tax_code(prefix: str, seed: str) -> str:
    """A 10-digit tax code with a correct check digit (TT 105/2020/TT-BTC), from `seed`."""
    from stdnum.vn import mst

    for salt in range(100):
        body = prefix + _digits(f"{seed}/{salt}", 9 - len(prefix))
        check = mst.calc_check_digit(body)
        if len(check) == 1:
            return body + check
    raise AssertionError("no valid tax code")  # pragma: no cover


def valid_orcid(seed: str) -> str:
    from stdnum.iso7064 import mod_11_2

    body = "00000002" + _digits(seed, 7)
    full = body + mod_11_2.calc_check_digit(body)
    return "-".join(full[i : i + 4] for i in range(0, 16, 4))


def _field_for(title: str, group: str) -> str:
    low = title.lower()
    for words, code in _FIELD_WORDS:
        if code[0] == group and any(w in low for w in words):
            return code
    for words, code in _FIELD_WORDS:
        if any(w in low for w in words):
            return code
    return {"1": "105", "2": "299", "3": "399", "4": "499", "5": "599", "6": "699"}[group]


def _ward(province: int, hint: str, rng: random.Random) -> int:
    from khcn.registry import units

    wards = units.ward_choices(province)
    if hint:
        for code, name in wards:
            if fold(name).endswith(fold(hint)):
                return code
    return rng.choice(wards[:40])[0]


@demo_step
def science_and_technology_database() -> None:
    from khcn.accounts.models import Agency, Role, User
    from khcn.audit.models import AuditAction
    from khcn.audit.services import record
    from khcn.core import clock
    from khcn.projects.models import Project, Rating
    from khcn.registry import services, units
    from khcn.registry.models import (
        Access,
        Affiliation,
        Authorship,
        IPAsset,
        Organisation,
        Person,
        Result,
        ResultOrganisation,
        name_key,
    )
    from khcn.search.services import index_objects

    rng = random.Random(2025)
    today = clock.today()
    hp, hn = Agency.objects.get(code="hp"), Agency.objects.get(code="hn")
    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    staff = {hp.pk: users["canbo"], hn.pk: users["canbo.hn"]}
    province = {hp.pk: 31, hn.pk: 1}
    projects = list(Project.objects.filter(agency__in=[hp, hn]).select_related("agency"))
    memberships = {}
    for user in users.values():
        for agency_id, roles in user.roles_by_agency().items():
            memberships.setdefault(agency_id, []).append((user, roles))

    # --- organisations ---------------------------------------------------------------------------
    org_names: dict[int, dict[str, set[str]]] = {hp.pk: {}, hn.pk: {}}
    for p in projects:
        if p.host_org:
            org_names[p.agency_id].setdefault(p.host_org, set()).add(p.field)
    for agency_id, held in memberships.items():
        if agency_id not in org_names:
            continue
        for user, roles in held:
            if roles & {Role.HOST, Role.EXPERT, Role.ENTERPRISE} and user.organisation:
                org_names[agency_id].setdefault(user.organisation, set())
    for name in SEED_ORGS_HP:
        org_names[hp.pk].setdefault(name, set())

    orgs = []
    for agency_id, names in org_names.items():
        prefix = "02" if agency_id == hp.pk else "01"
        for name in sorted(names):
            abbr, street, ward_hint, tax, web = KNOWN_ORGS.get(name, ("", "", "", "", ""))
            kind = _kind(name)
            groups = sorted(names[name]) or ["2"]
            org = Organisation(
                agency_id=agency_id,
                name=name,
                name_key=name_key(name),
                abbreviation=abbr,
                kind=kind,
                tax_code=tax or valid_tax_code(prefix, f"{agency_id}/{name}"),
                address=street
                or f"Số {rng.randint(1, 300)} đường {rng.choice(['Lê Lợi', 'Trần Phú', 'Hoàng Văn Thụ', 'Điện Biên Phủ', 'Nguyễn Trãi'])}",
                province_code=province[agency_id],
                ward_code=_ward(province[agency_id], ward_hint, rng),
                website=web,
                email=f"lienhe@{_digits(name, 6)}.vn" if not web else f"info@{web.split('//')[1]}",
                phone=f"0{225 if agency_id == hp.pk else 24} {_digits(name + 'tel', 7)}",
                created_by=staff[agency_id],
            )
            if kind in ("st_org", "institute", "enterprise"):
                org.st_registration_no = f"{_digits(name, 3)}/ĐK-KHCN"
                org.st_registration_date = dt.date(2015 + int(_digits(name, 1)) % 8, 3, 15)
                org.st_registration_issuer = (
                    "Sở Khoa học và Công nghệ Hải Phòng"
                    if agency_id == hp.pk
                    else "Sở Khoa học và Công nghệ Hà Nội"
                )
            org._groups = groups
            org.refresh_unit_names()
            orgs.append(org)

    # Hà Nội's 154 S&T enterprises (seed 002: "154 doanh nghiệp khoa học và công nghệ")
    seen = set()
    n = 0
    while n < 154:
        trade, field = _HN_TRADES[n % len(_HN_TRADES)]
        brand = _HN_BRANDS[(n * 7 + n // len(_HN_BRANDS)) % len(_HN_BRANDS)]
        form = _HN_FORMS[n % len(_HN_FORMS)]
        name = f"{form} {trade} {brand}"
        if name in seen:
            name = f"{name} {n // len(_HN_BRANDS) + 1}"
        seen.add(name)
        issued = dt.date(2014 + n % 11, 1 + n % 12, 1 + (n * 3) % 28)
        org = Organisation(
            agency=hn,
            name=name,
            name_key=name_key(name),
            kind="enterprise",
            tax_code=valid_tax_code("01", f"dn/{n}"),
            address=f"Số {1 + n % 200} phố {rng.choice(['Duy Tân', 'Trần Thái Tông', 'Hoàng Quốc Việt', 'Láng Hạ', 'Phạm Hùng'])}",
            province_code=1,
            ward_code=_ward(1, "", rng),
            st_enterprise_cert_no=f"{n + 1:03d}/DNKHCN",
            st_enterprise_cert_date=issued,
            email=f"info@dn{n + 1:03d}.com.vn",
            created_by=staff[hn.pk],
        )
        org._groups = [field]
        org.refresh_unit_names()
        orgs.append(org)
        n += 1
    Organisation.objects.bulk_create(orgs)
    Through = Organisation.fields.through
    Through.objects.bulk_create(
        [Through(organisation_id=o.pk, fieldofscience_id=g) for o in orgs for g in o._groups]
    )
    org_by = {(o.agency_id, o.name): o for o in orgs}
    record(
        actor=staff[hn.pk],
        action=AuditAction.REGISTRY_IMPORTED,
        agency=hn,
        after={"organisations": sum(1 for o in orgs if o.agency_id == hn.pk), "demo": True},
    )

    # --- people ----------------------------------------------------------------------------------
    people: dict[tuple[int, str, int | None], Person] = {}
    affiliations = []
    person_fields, expert_fields = [], []

    def person(agency_id, full, org_name, *, user=None, expert=False, position="", group="2"):
        name, degree, title = _split_title(full)
        org = org_by.get((agency_id, org_name))
        key = (agency_id, name_key(name), org.pk if org else None)
        if key in people:
            return people[key]
        consent = len(people) % 3 == 0
        obj = Person(
            agency_id=agency_id,
            full_name=name,
            name_key=name_key(name),
            degree=degree,
            title=title,
            birth_year=1960 + int(_digits(name, 2)) % 30,
            gender="",
            email=user.email if user else f"{fold(name).split()[-1]}.{_digits(name, 3)}@khcn.local",
            phone=f"09{_digits(name + 'p', 8)}",
            orcid=valid_orcid(name) if degree in ("TS", "TSKH") and len(people) % 2 == 0 else "",
            keywords="",
            is_expert=expert,
            user=user,
            public_consent=consent,
            consent_at=clock.now() if consent else None,
            created_by=staff[agency_id],
        )
        obj._org, obj._position, obj._group = org, position, group
        people[key] = obj
        return obj

    for agency_id, held in memberships.items():
        if agency_id not in org_names:
            continue
        for user, roles in sorted(held, key=lambda h: h[0].username):
            if roles & {Role.EXPERT, Role.HOST}:
                person(
                    agency_id,
                    user.full_name,
                    user.organisation,
                    user=user,
                    expert=Role.EXPERT in roles,
                    position=user.position,
                    group=str(1 + int(_digits(user.username, 2)) % 5),
                )
    for p in projects:
        if p.leader_name:
            person(
                p.agency_id, p.leader_name, p.host_org, position="Chủ nhiệm nhiệm vụ", group=p.field
            )
    plist = list(people.values())
    for obj in plist:
        field = _field_for(obj._org.name if obj._org else "", obj._group)
        obj.keywords = {
            "405": "nuôi trồng thủy sản, nguồn lợi biển",
            "401": "giống cây trồng, canh tác bền vững",
            "102": "trí tuệ nhân tạo, dữ liệu lớn",
            "205": "vật liệu polyme, vật liệu xây dựng",
            "207": "xử lý nước thải, quan trắc môi trường",
            "302": "y học lâm sàng, dịch tễ học",
            "502": "kinh tế phát triển, quản trị",
        }.get(field, "")
        obj._field = field
    Person.objects.bulk_create(plist)
    PF = Person.fields.through
    EF = Person.expert_fields.through
    for obj in plist:
        person_fields.append(PF(person_id=obj.pk, fieldofscience_id=obj._field))
        if obj.is_expert:
            expert_fields.append(EF(person_id=obj.pk, fieldofscience_id=obj._field))
            if obj._field[0] != obj._group and obj._group in "123456":
                expert_fields.append(EF(person_id=obj.pk, fieldofscience_id=obj._group))
        if obj._org:
            affiliations.append(
                Affiliation(
                    person=obj,
                    organisation=obj._org,
                    position=obj._position[:255],
                    start=dt.date(2005 + obj.pk % 12, 9, 1),
                )
            )
    PF.objects.bulk_create(person_fields)
    EF.objects.bulk_create(expert_fields)
    Affiliation.objects.bulk_create(affiliations)
    person_by = {(o.agency_id, o.name_key, o._org.pk if o._org else None): o for o in plist}

    # --- results of the accepted tasks -----------------------------------------------------------
    results, links, authors = [], [], []
    accepted = [p for p in projects if p.rating in (Rating.DAT, Rating.XUAT_SAC)]
    serial = {hp.pk: 0, hn.pk: 0}
    for p in sorted(accepted, key=lambda x: x.code):
        host = org_by.get((p.agency_id, p.host_org))
        leader_name = _split_title(p.leader_name)[0]
        leader = person_by.get((p.agency_id, name_key(leader_name), host.pk if host else None))
        year = (p.end_date or dt.date(p.year + 1, 12, 31)).year
        year = min(year, today.year)
        field = _field_for(p.title, p.field)
        for product in p.products.all():
            kind = next(
                (k for prefix, k in _PRODUCT_KIND if product.name.startswith(prefix)), "other"
            )
            if kind is None:
                continue
            serial[p.agency_id] += 1
            lower = p.title[0].lower() + p.title[1:]
            title = {
                "report": p.title,
                "process": f"Quy trình kỹ thuật: {lower}",
                "publication": f"Kết quả nghiên cứu {lower}",
                "prototype": f"Sản phẩm thử nghiệm của dự án {lower}",
            }.get(kind, f"{product.name} – {p.title}")
            access = Access.PUBLIC
            if kind == "process" and serial[p.agency_id] % 7 == 0:
                access = Access.RESTRICTED
            if p.code == "HP.2022.018" and kind == "process":
                access = Access.CONFIDENTIAL  # an enterprise's know-how
            registered = kind == "report"
            results.append(
                Result(
                    agency_id=p.agency_id,
                    kind=kind,
                    title=title[:1000],
                    abstract=(
                        f"{product.name} của nhiệm vụ {p.code} «{p.title}». "
                        f"{product.requirement or ''}"
                    ).strip(),
                    year=year,
                    field_id=field,
                    registration_no=(
                        f"{serial[p.agency_id]:03d}/{year}/ĐKKQ-{'HP' if p.agency_id == hp.pk else 'HN'}"
                        if registered
                        else ""
                    ),
                    registration_date=dt.date(year, 12, 1) if registered else None,
                    project=p,
                    access=access,
                    keywords="",
                    created_by=staff[p.agency_id],
                )
            )
            results[-1]._host, results[-1]._leader = host, leader
    Result.objects.bulk_create(results)
    for r in results:
        if r._host:
            links.append(ResultOrganisation(result=r, organisation=r._host, role="host"))
        if r._leader:
            authors.append(
                Authorship(result=r, person=r._leader, order=1, name=r._leader.full_name)
            )
    ResultOrganisation.objects.bulk_create(links)
    Authorship.objects.bulk_create(authors)

    # --- IP assets -------------------------------------------------------------------------------
    by_code = {p.code: p for p in projects}
    assets = []
    centre = org_by.get((hp.pk, "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Hải Phòng"))
    for i, (code, (kind, name, product, region)) in enumerate(sorted(IP_FROM_TASKS.items())):
        p = by_code.get(code)
        done = (
            p is not None and p.rating in (Rating.DAT, Rating.XUAT_SAC) and p.year < today.year - 1
        )
        issued = dt.date(p.year + 1, 6, 10 + i) if done else None
        assets.append(
            IPAsset(
                agency=hp,
                kind=kind,
                name=name,
                product=product,
                region=region,
                province_code=31,
                holder=p and org_by.get((hp.pk, p.host_org)) or centre,
                status=IPAsset.Status.PROTECTED if done else IPAsset.Status.APPLIED,
                application_no=f"4-{p.year if p else 2024}-{_digits(name, 5)}",
                application_date=dt.date(p.year if p else 2024, 3, 1 + i),
                certificate_no=f"{_digits(name + 'vb', 6)}" if done else "",
                certificate_date=issued,
                project=p,
                description=(
                    f"{IPAsset.Kind(kind).label} cho sản phẩm {product.lower()}, "
                    f"xây dựng trong nhiệm vụ {code}."
                ),
                created_by=staff[hp.pk],
            )
        )
    phu_tho = units.province_by_name("Phú Thọ")
    for name, product, region, issued in (
        (
            "Vải Hùng Long",
            "Vải chín sớm",
            "Xã Hùng Long, huyện Đoan Hùng, tỉnh Phú Thọ (địa giới trước 1/7/2025)",
            dt.date(2023, 11, 20),
        ),
        (
            "Bánh sắn Phong Châu",
            "Bánh sắn",
            "Huyện Phù Ninh, tỉnh Phú Thọ (địa giới trước 1/7/2025)",
            dt.date(2024, 1, 15),
        ),
    ):
        assets.append(
            IPAsset(
                agency=hp,
                kind=IPAsset.Kind.CERTIFICATION_MARK,
                name=name,
                product=product,
                region=region,
                province_code=phu_tho,
                status=IPAsset.Status.PROTECTED,
                application_no=f"4-2022-{_digits(name, 5)}",
                application_date=dt.date(2022, 8, 1),
                certificate_no=_digits(name + "vb", 6),
                certificate_date=issued,
                description=(
                    "Nhãn hiệu chứng nhận của tỉnh Phú Thọ (nghiệm thu, công bố tháng 3/2024), "
                    "ghi vào dữ liệu mẫu làm ví dụ tham khảo cho chương trình phát triển tài sản trí tuệ."
                ),
                created_by=staff[hp.pk],
            )
        )
    for name, product, kind in (
        ("Bưởi Diễn", "Bưởi", IPAsset.Kind.COLLECTIVE_MARK),
        ("Gốm Bát Tràng", "Gốm sứ", IPAsset.Kind.COLLECTIVE_MARK),
    ):
        assets.append(
            IPAsset(
                agency=hn,
                kind=kind,
                name=name,
                product=product,
                region="Thành phố Hà Nội",
                province_code=1,
                status=IPAsset.Status.PROTECTED,
                certificate_no=_digits(name + "vb", 6),
                certificate_date=dt.date(2016, 5, 20),
                description="Nhãn hiệu tập thể của làng nghề, đặc sản Hà Nội (dữ liệu mẫu).",
                created_by=staff[hn.pk],
            )
        )
    IPAsset.objects.bulk_create(assets)

    # --- search index ----------------------------------------------------------------------------
    index_objects(key="organisation", objects=Organisation.objects.prefetch_related("fields"))
    index_objects(
        key="person",
        objects=Person.objects.prefetch_related("fields", "affiliations__organisation"),
    )
    index_objects(
        key="result",
        objects=Result.objects.select_related("project").prefetch_related(
            "authorships__person", "result_orgs__organisation"
        ),
    )
    index_objects(key="ip_asset", objects=IPAsset.objects.select_related("holder"))
    record(
        actor=staff[hp.pk],
        action=AuditAction.REGISTRY_IMPORTED,
        agency=hp,
        after={
            "organisations": sum(1 for o in orgs if o.agency_id == hp.pk),
            "people": len(plist),
            "results": len(results),
            "ip_assets": len(assets),
            "demo": True,
        },
    )

    # --- likely duplicates, left open for staff (through the services: flagged and audited) -----
    canbo, canbo_hn = staff[hp.pk], staff[hn.pk]
    vimaru = org_by[(hp.pk, "Trường Đại học Hàng hải Việt Nam")]
    services.organisation_create(
        actor=canbo,
        agency=hp,
        name="Trường ĐH Hàng hải Việt Nam",
        kind="university",
        tax_code=vimaru.tax_code,
        address="484 Lạch Tray",
        province_code=31,
        phone="0225 3829 109",
    )
    rimf = org_by[(hp.pk, "Viện Nghiên cứu Hải sản")]
    services.organisation_create(
        actor=canbo,
        agency=hp,
        name="Vien Nghien cuu Hai san",
        kind="institute",
        website="https://rimf.org.vn",
    )
    khuong = next((o for o in plist if o.user_id and o.user.username == "chuyengia1"), None)
    if khuong is not None:
        if not khuong.orcid:
            khuong.orcid = valid_orcid(khuong.full_name)
            khuong.save(update_fields=["orcid"])
        services.person_create(
            actor=canbo,
            agency=hp,
            organisation=rimf,
            full_name="Đỗ Văn Khương",
            degree="TS",
            orcid=khuong.orcid,
            keywords="nguồn lợi hải sản, khai thác bền vững",
        )
    first_enterprise = next(o for o in orgs if o.agency_id == hn.pk and o.st_enterprise_cert_no)
    services.organisation_create(
        actor=canbo_hn,
        agency=hn,
        name=first_enterprise.name.replace("Công ty CP", "CTCP"),
        kind="enterprise",
        tax_code=first_enterprise.tax_code,
    )
