"""Demo administrative dossiers of Sở KH&CN Hải Phòng (seed 000, 30/12/2022: "cấp giấy chứng
nhận Doanh nghiệp khoa học và công nghệ cho 15 doanh nghiệp"; "31 thủ tục hành chính không
nhận hồ sơ giấy và không có hồ sơ giải quyết quá hạn").

Every dossier is filed online and walked through the real services on its own dates
(`clock.travel`): the 15 S&T enterprise certificates of 2022, dossiers of every seeded procedure
through the year, all resolved before their due dates, one refusal, an amendment and a
re-issue (new versions of two certificates), a revocation of an older certificate; and, today,
a few dossiers in progress, one of them (the demo enterprise `doanhnghiep`'s) waiting for the
documents the department asked for.
"""

import datetime as dt
import hashlib

from django.utils import timezone

from khcn.core import clock
from khcn.core.calendar import calendar_for
from khcn.core.demo import demo_step, minimal_pdf
from khcn.core.files import NamedBytes

# name, representative, street, S&T products (one per line), field of the S&T result
ENTERPRISES = [
    (
        "Công ty CP Công nghệ sinh học Biển Xanh",
        "Vũ Thị Ngọc Ánh",
        "Số 18 đường Lê Thánh Tông, phường Máy Tơ",
        "Chế phẩm vi sinh xử lý nước ao nuôi tôm BX-01\nThức ăn bổ sung probiotic cho cá biển",
        "Quy trình nhân giống vi khuẩn Bacillus xử lý nước nuôi trồng thủy sản",
    ),
    (
        "Công ty TNHH Kỹ thuật tàu thủy Bạch Đằng Xanh",
        "Nguyễn Văn Thắng",
        "Số 3 đường Phan Đăng Lưu, phường Kiến An",
        "Hệ thống xử lý nước dằn tàu BDX-BW200\nBộ điều khiển tiết kiệm nhiên liệu cho tàu cá",
        "Giải pháp hữu ích số 2345: thiết bị lọc nước dằn tàu bằng tia cực tím",
    ),
    (
        "Công ty CP Vật liệu xây dựng không nung Đông Hải",
        "Trần Quốc Việt",
        "Lô B5 Khu công nghiệp Nam Cầu Kiền, huyện Thủy Nguyên",
        "Gạch không nung từ tro xỉ nhiệt điện\nBê tông nhẹ chưng áp AAC Đông Hải",
        "Kết quả đề tài cấp thành phố: sử dụng tro bay làm vật liệu xây không nung",
    ),
    (
        "Công ty TNHH Nông nghiệp công nghệ cao Tiên Lãng",
        "Phạm Thị Hương",
        "Xã Quang Phục, huyện Tiên Lãng",
        "Dưa lưới trồng trong nhà màng theo quy trình VietGAP\nGiá thể hữu cơ từ xơ dừa",
        "Quy trình trồng dưa lưới tưới nhỏ giọt tự động (hợp đồng chuyển giao 2021)",
    ),
    (
        "Công ty CP Dược liệu Cát Bà",
        "Đỗ Minh Tâm",
        "Thị trấn Cát Bà, huyện Cát Hải",
        "Cao dược liệu kim ngân hoa Cát Bà\nTrà túi lọc lá vằng",
        "Quy trình chiết xuất cao kim ngân hoa đạt tiêu chuẩn GMP-WHO",
    ),
    (
        "Công ty TNHH Tự động hóa Cảng Hải Phòng",
        "Lê Hoàng Nam",
        "Số 8A đường Trần Phú, phường Máy Chai",
        "Phần mềm điều phối bãi container HPA-Yard\nCảm biến giám sát cần trục",
        "Bản quyền phần mềm số 4521/2021/QTG: hệ thống điều phối bãi container",
    ),
    (
        "Công ty CP Thủy sản chế biến Đồ Sơn",
        "Nguyễn Thị Lan",
        "Số 2 đường Lý Thánh Tông, phường Ngọc Xuyên",
        "Surimi cá biển giàu đạm\nBột cá thủy phân làm thức ăn chăn nuôi",
        "Quy trình thủy phân phụ phẩm cá bằng enzyme (nghiệm thu năm 2020)",
    ),
    (
        "Công ty TNHH Cơ khí chính xác An Dương",
        "Bùi Văn Hải",
        "Khu công nghiệp An Dương, huyện An Dương",
        "Khuôn ép nhựa chính xác cho linh kiện điện tử\nĐồ gá CNC",
        "Sáng chế số 28876: khuôn ép nhiều lòng khuôn có hệ thống làm mát xoắn",
    ),
    (
        "Công ty CP Môi trường xanh Thủy Nguyên",
        "Hoàng Văn Đức",
        "Xã Lập Lễ, huyện Thủy Nguyên",
        "Phân bón hữu cơ vi sinh từ rác thải hữu cơ\nChế phẩm khử mùi bãi rác",
        "Quy trình ủ compost hiếu khí cưỡng bức (đề tài cấp thành phố 2019)",
    ),
    (
        "Công ty TNHH Giải pháp phần mềm Hồng Bàng",
        "Phạm Quang Huy",
        "Số 45 đường Điện Biên Phủ, phường Minh Khai",
        "Phần mềm quản lý bệnh viện HB-HIS\nỨng dụng đặt lịch khám trực tuyến",
        "Bản quyền phần mềm số 1278/2020/QTG: hệ thống thông tin bệnh viện",
    ),
    (
        "Công ty CP Năng lượng mặt trời Hải Phòng",
        "Vũ Đình Khánh",
        "Số 12 đường Nguyễn Văn Linh, phường Dư Hàng Kênh",
        "Bộ biến tần hòa lưới 5 kW\nHệ thống điện mặt trời áp mái có lưu trữ",
        "Giải pháp hữu ích số 2890: bộ điều khiển sạc MPPT",
    ),
    (
        "Công ty TNHH Thực phẩm sạch Vĩnh Bảo",
        "Trần Thị Mai",
        "Thị trấn Vĩnh Bảo, huyện Vĩnh Bảo",
        "Gạo hữu cơ Vĩnh Bảo\nNước mắm lên men tự nhiên",
        "Quy trình canh tác lúa hữu cơ (hợp đồng chuyển giao với Viện Lúa ĐBSH)",
    ),
    (
        "Công ty CP Vật liệu composite Lạch Tray",
        "Nguyễn Đức Long",
        "Số 30 đường Lạch Tray, phường Lạch Tray",
        "Vỏ tàu composite cho tàu cá vỏ nhỏ\nBồn chứa hóa chất composite",
        "Kết quả dự án sản xuất thử nghiệm: vỏ tàu composite cốt sợi thủy tinh",
    ),
    (
        "Công ty TNHH Thiết bị y tế Kiến Thụy",
        "Lưu Thị Thu",
        "Xã Đại Đồng, huyện Kiến Thụy",
        "Máy khử khuẩn không khí bằng tia UV-C\nGiường bệnh đa năng",
        "Giải pháp hữu ích số 3012: buồng khử khuẩn UV-C tuần hoàn",
    ),
    (
        "Công ty CP Công nghệ môi trường biển Hải Phòng",
        "Đặng Văn Toàn",
        "Số 246 đường Đà Nẵng, phường Vạn Mỹ",
        "Phao quan trắc chất lượng nước biển tự động\nPhần mềm cảnh báo ô nhiễm ven bờ",
        "Kết quả đề tài cấp thành phố 2021: hệ thống quan trắc môi trường biển tự động",
    ),
]
# the 2022 issue days (working days), one per enterprise, spread through the year
ISSUE_PLAN = [
    (2, 14),
    (3, 7),
    (3, 28),
    (4, 18),
    (5, 9),
    (5, 30),
    (6, 20),
    (7, 11),
    (8, 1),
    (8, 22),
    (9, 12),
    (10, 3),
    (10, 24),
    (11, 14),
    (12, 5),
]


def valid_tax_code(prefix: str, seed: str) -> str:
    """A 10-digit tax code with a correct check digit (TT 105/2020/TT-BTC), Hải Phòng's "02"."""
    from stdnum.vn import mst

    n = 0
    while True:  # a body whose weighted sum is a multiple of 11 has no check digit
        digest = hashlib.sha256(f"{seed}/{n}".encode()).hexdigest()
        body = prefix + str(int(digest, 16))[: 9 - len(prefix)]
        check = mst.calc_check_digit(body)
        if len(check) == 1:
            return body + check
        n += 1


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _files(procedure, title: str) -> dict:
    return {
        r.key: [NamedBytes(minimal_pdf(f"{title} - {r.key}"), f"{r.key}.pdf")]
        for r in procedure.documents.all()
        if r.mandatory
    }


class _Desk:
    """The department's one-stop desk of 2022: files and walks dossiers on their dates."""

    def __init__(self, hp, staff, leader):
        from khcn.procedures.models import Procedure

        self.hp, self.staff, self.leader = hp, staff, leader
        self.cal = calendar_for(hp.pk)
        self.procedures = {p.code: p for p in Procedure.objects.all()}
        self.users = {}

    def wd(self, day: dt.date, n: int) -> dt.date:
        """`n` working days after `day` (the next working day itself for n = 0)."""
        if n == 0:
            while not self.cal.is_working_day(day):
                day += dt.timedelta(days=1)
            return day
        return self.cal.add_working_days(day, n)

    def account(self, name: str, representative: str, role: str = "enterprise"):
        """The enterprise's (or citizen's) account on the public service portal."""
        from khcn.accounts.models import Membership, User

        if name in self.users:
            return self.users[name]
        username = "dn." + hashlib.sha256(name.encode()).hexdigest()[:8]
        user = User.objects.filter(organisation=name, memberships__role=role).first()
        if user is None:
            user = User(
                username=username, full_name=representative, organisation=name, is_demo=True
            )
            user.set_unusable_password()  # a demo applicant; only `doanhnghiep` logs in
            user.save()
            Membership.objects.create(user=user, agency=self.hp, role=role)
        self.users[name] = user
        return user

    def file(self, code: str, day: dt.date, *, user, applicant: dict, form: dict):
        from khcn.procedures import services

        procedure = self.procedures[code]
        with clock.travel(_at(day, 8, 30)):
            return services.dossier_submit(
                actor=user,
                procedure=procedure,
                agency=self.hp,
                applicant=applicant,
                form_data=form,
                files=_files(procedure, applicant["name"]),
            )

    def walk(
        self,
        dossier,
        *,
        appraise_in: int,
        supplement: tuple[str, int] | None = None,
        experts: bool = False,
        refuse: str = "",
        content: str = "",
        stop: str = "",
    ):
        """Accept on the next working day (after a supplement round when asked), appraise in
        `appraise_in` working days, decide the day after, issue and return the day after that;
        `stop` leaves the dossier at that step (a dossier still in progress)."""
        from khcn.procedures import services

        day = self.wd(dossier.received_on, 1)
        if supplement:
            items, wait = supplement
            with clock.travel(day):
                dossier = services.dossier_request_supplement(
                    actor=self.staff, dossier=dossier, items=items
                )
            if stop == "SUPPLEMENT_REQUESTED":
                return dossier
            day = self.wd(day + dt.timedelta(days=wait), 0)
            with clock.travel(_at(day, 10, 0)):
                dossier = services.dossier_supplement(
                    actor=dossier.applicant,
                    dossier=dossier,
                    files={
                        services.OTHER: [NamedBytes(minimal_pdf(items), "tai-lieu-bo-sung.pdf")]
                    },
                    remark="Gửi bổ sung theo yêu cầu của Sở.",
                )
            day = self.wd(day, 1)
        with clock.travel(day):
            dossier = services.dossier_accept(
                actor=self.staff, dossier=dossier, remark="Hồ sơ đầy đủ, hợp lệ."
            )
        if stop == "APPRAISING":
            return dossier
        day = self.wd(day, appraise_in)
        with clock.travel(day):
            dossier = services.dossier_appraise(
                actor=self.staff,
                dossier=dossier,
                recommendation="refuse" if refuse else "approve",
                appraisal=refuse or "Đáp ứng đủ điều kiện theo quy định.",
                experts=experts,
            )
        day = self.wd(day, 1)
        with clock.travel(day):
            dossier = services.dossier_decide(
                actor=self.leader, dossier=dossier, approve=not refuse, reason=refuse
            )
        day = self.wd(day, 1)
        with clock.travel(_at(day, 9, 0)):
            if not refuse:
                services.certificate_issue(actor=self.staff, dossier=dossier, content=content)
                dossier.refresh_from_db()
        with clock.travel(_at(day, 15, 30)):
            return services.dossier_return(actor=self.staff, dossier=dossier)


def _organisation(name, representative, street, tax_code) -> dict:
    return {
        "kind": "organisation",
        "name": name,
        "tax_code": tax_code,
        "representative": representative,
        "address": f"{street}, thành phố Hải Phòng",
        "phone": "0225 " + str(int(hashlib.sha256(name.encode()).hexdigest(), 16))[:7],
        "email": "",
    }


def _cert_number(holder: str) -> str:
    """The number of the holder's certificate in force (for amend, re-issue, revoke)."""
    from khcn.procedures.models import Certificate

    return Certificate.objects.get(holder_name=holder, status="valid", type="dn_khcn").number


@demo_step
def administrative_procedures() -> None:
    from khcn.accounts.models import Agency, User
    from khcn.procedures.catalogue import procedures_seed
    from khcn.workflow.loader import ruleset_load_all

    procedures_seed()
    ruleset_load_all()
    hp = Agency.objects.get(code="hp")
    desk = _Desk(hp, User.objects.get(username="canbo"), User.objects.get(username="lanhdao"))
    demo_enterprise = User.objects.get(username="doanhnghiep")
    companies = {}
    for name, rep, street, _products, _result in ENTERPRISES:
        user = demo_enterprise if demo_enterprise.organisation == name else desk.account(name, rep)
        companies[name] = (user, _organisation(name, rep, street, valid_tax_code("02", name)))

    def outsider(name: str, rep: str, street: str):
        return desk.account(name, rep), _organisation(name, rep, street, valid_tax_code("02", name))

    # (day filed, procedure, (account, applicant), form (a callable when it reads the
    #  register), walk options); filed in date order so the codes follow the days of receipt
    cases = []

    # the 15 S&T enterprise certificates of 2022 (NĐ 13/2019: 10 working days, 15 with experts)
    for n, ((name, _rep, _street, products, result), (month, day)) in enumerate(
        zip(ENTERPRISES, ISSUE_PLAN, strict=True)
    ):
        experts, supplement = n % 5 == 2, n % 6 == 4
        span = (10 if experts else 6) + (4 if supplement else 0)
        filed = desk.wd(dt.date(2022, month, day) - dt.timedelta(days=span * 7 // 5 + 2), 0)
        cases.append(
            (
                filed,
                "KHCN-DNKHCN-01",
                companies[name],
                {
                    "business_reg_no": companies[name][1]["tax_code"],
                    "founded_on": f"{1 + n % 27:02d}/{1 + n % 12:02d}/{2010 + n % 11}",
                    "st_results": result,
                    "st_products": products,
                    "st_revenue_share": str(32 + (n * 7) % 40),
                },
                {
                    "appraise_in": 8 if experts else 4,
                    "experts": experts,
                    "supplement": (
                        "Bản sao văn bằng bảo hộ có chứng thực; báo cáo tài chính năm 2021.",
                        5,
                    )
                    if supplement
                    else None,
                },
            )
        )
    # an enterprise certified in 2020, dissolved in 2022, asks for the revocation
    old = outsider("Công ty TNHH Công nghệ in 3D Ngô Quyền", "Lê Văn Phúc", "Số 7 đường Văn Cao")
    cases.append(
        (
            dt.date(2020, 9, 7),
            "KHCN-DNKHCN-01",
            old,
            {
                "business_reg_no": old[1]["tax_code"],
                "founded_on": "12/05/2016",
                "st_results": "Giải pháp hữu ích số 2101: đầu in 3D vật liệu composite",
                "st_products": "Máy in 3D công nghiệp NQ-500",
                "st_revenue_share": "35",
            },
            {"appraise_in": 5},
        )
    )
    cases.append(
        (
            dt.date(2022, 8, 15),
            "KHCN-DNKHCN-04",
            old,
            lambda: {
                "certificate_number": _cert_number(old[1]["name"]),
                "reason": "Doanh nghiệp giải thể theo quyết định của Hội đồng thành viên.",
            },
            {"appraise_in": 3},
        )
    )
    # one refusal: S&T revenue below 30 % of the total (NĐ 13/2019 Đ6)
    refused = outsider(
        "Công ty TNHH Thương mại kỹ thuật Hải An", "Ngô Thị Bích", "Số 22 đường Ngô Gia Tự"
    )
    cases.append(
        (
            dt.date(2022, 6, 6),
            "KHCN-DNKHCN-01",
            refused,
            {
                "business_reg_no": refused[1]["tax_code"],
                "founded_on": "03/03/2012",
                "st_results": "Quy trình lắp đặt hệ thống lạnh công nghiệp",
                "st_products": "Kho lạnh lắp ghép",
                "st_revenue_share": "12",
            },
            {
                "appraise_in": 5,
                "refuse": "Doanh nghiệp thành lập trên 5 năm, doanh thu từ sản phẩm hình thành "
                "từ kết quả KH&CN năm 2021 chỉ đạt 12% tổng doanh thu, chưa đạt tối thiểu 30% "
                "(NĐ 13/2019/NĐ-CP Điều 6).",
            },
        )
    )
    # an amendment and a re-issue: new versions of two 2022 certificates (5 working days)
    first, second = ENTERPRISES[0], ENTERPRISES[1]
    new_products = first[3] + "\nChế phẩm xử lý đáy ao BX-02"
    cases.append(
        (
            dt.date(2022, 11, 21),
            "KHCN-DNKHCN-02",
            companies[first[0]],
            lambda: {
                "certificate_number": _cert_number(first[0]),
                "changes": "Bổ sung sản phẩm mới hình thành từ kết quả KH&CN.",
                "st_products": new_products,
            },
            {"appraise_in": 1, "content": new_products},
        )
    )
    cases.append(
        (
            dt.date(2022, 12, 12),
            "KHCN-DNKHCN-03",
            companies[second[0]],
            lambda: {
                "certificate_number": _cert_number(second[0]),
                "reason": "Giấy chứng nhận bị hư hỏng do ngập nước tại văn phòng.",
            },
            {"appraise_in": 1},
        )
    )
    # S&T activity registration (NĐ 08/2014: 15 working days) and its amendment
    for n, (name, rep, street, month) in enumerate(
        [
            ("Viện Nghiên cứu Hải sản", "TS. Nguyễn Văn Quân", "Số 224 đường Lê Lai", 3),
            (
                "Trung tâm Ứng dụng tiến bộ KH&CN Hải Phòng",
                "ThS. Trịnh Thị Hà",
                "Số 10 đường Phạm Minh Đức",
                9,
            ),
        ]
    ):
        who = outsider(name, rep, street)
        cases.append(
            (
                desk.wd(dt.date(2022, month, 8), 0),
                "KHCN-DKHD-01",
                who,
                {
                    "org_kind": "cong_lap",
                    "founding_decision": f"Quyết định số {120 + n}/QĐ-UBND",
                    "activity_fields": "Nghiên cứu, ứng dụng và chuyển giao công nghệ",
                    "director": rep,
                    "staff_count": str(18 + 7 * n),
                },
                {
                    "appraise_in": 9,
                    "supplement": ("Bản sao quyết định thành lập có chứng thực.", 4)
                    if n == 0
                    else None,
                },
            )
        )
    institute = (
        desk.users["Viện Nghiên cứu Hải sản"],
        _organisation(
            "Viện Nghiên cứu Hải sản",
            "TS. Nguyễn Văn Quân",
            "Số 224 đường Lê Lai",
            valid_tax_code("02", "Viện Nghiên cứu Hải sản"),
        ),
    )
    cases.append(
        (
            dt.date(2022, 10, 10),
            "KHCN-DKHD-02",
            institute,
            lambda: {
                "certificate_number": _activity_number(institute[1]["name"]),
                "changes": "Bổ sung lĩnh vực hoạt động: công nghệ sinh học biển.",
            },
            {"appraise_in": 6},
        )
    )
    # results of S&T tasks, technology-transfer contracts, an initiative
    uni = outsider("Trường Đại học Hải Phòng", "PGS.TS. Lê Quốc Tiến", "Số 171 đường Phan Đăng Lưu")
    for n, (title, month) in enumerate(
        [
            ("Nghiên cứu công nghệ ép bán khô gạch không nung từ tro bay", 4),
            ("Ứng dụng IoT giám sát chất lượng nước nuôi trồng thủy sản", 9),
        ]
    ):
        cases.append(
            (
                desk.wd(dt.date(2022, month, 11), 0),
                "KHCN-KQNV-01",
                uni,
                {
                    "task_code": f"ĐT.KHCN.2021.{n + 3:02d}",
                    "task_title": title,
                    "acceptance_date": f"{20 + n:02d}/{month - 1:02d}/2022",
                    "rating": "DAT" if n else "XUAT_SAC",
                },
                {"appraise_in": 1},
            )
        )
    for n, (idx, tech, value, month) in enumerate(
        [
            (0, "Công nghệ sản xuất chế phẩm Bacillus xử lý nước ao nuôi", "850000000", 5),
            (6, "Công nghệ thủy phân phụ phẩm cá bằng enzyme", "1250000000", 10),
        ]
    ):
        name = ENTERPRISES[idx][0]
        cases.append(
            (
                desk.wd(dt.date(2022, month, 16), 0),
                "KHCN-CGCN-01",
                companies[name],
                {
                    "contract_no": f"{n + 1:02d}/2022/HĐCGCN",
                    "contract_date": f"02/{month:02d}/2022",
                    "transferor": "Viện Nghiên cứu Hải sản",
                    "transferee": name,
                    "technology": tech,
                    "contract_value": value,
                },
                {"appraise_in": 1},
            )
        )
    cases.append(
        (
            dt.date(2022, 6, 6),
            "KHCN-SK-01",
            outsider(
                "Bệnh viện Hữu nghị Việt Tiệp", "TS.BS. Nguyễn Thế Anh", "Số 1 đường Nhà Thương"
            ),
            {
                "initiative_title": "Cải tiến quy trình tiệt khuẩn dụng cụ phẫu thuật nội soi",
                "authors": "BSCKII. Phạm Văn Hòa\nĐD. Trần Thị Nga",
                "applied_since": "01/02/2022",
                "benefits": "Rút ngắn thời gian chờ, giảm chi phí vật tư tiêu hao.",
            },
            {"appraise_in": 12},
        )
    )

    # today: three dossiers in progress, none late; the demo enterprise's waits for papers
    today = clock.today()
    recent = [desk.cal.add_working_days(today, -k) for k in (4, 3, 1)]
    cases.append(
        (
            recent[0],
            "KHCN-DNKHCN-02",
            companies[first[0]],
            lambda: {
                "certificate_number": _cert_number(first[0]),
                "changes": "Đổi địa chỉ trụ sở chính và bổ sung một sản phẩm.",
                "st_products": new_products + "\nChế phẩm vi sinh BX-03 cho ao nuôi cá",
            },
            {
                "appraise_in": 1,
                "supplement": (
                    "Giấy chứng nhận đăng ký doanh nghiệp (thay đổi lần thứ 5) có chứng thực.",
                    0,
                ),
                "stop": "SUPPLEMENT_REQUESTED",
            },
        )
    )
    compost = ENTERPRISES[8][0]
    cases.append(
        (
            recent[1],
            "KHCN-CGCN-01",
            companies[compost],
            {
                "contract_no": f"07/{today.year}/HĐCGCN",
                "contract_date": f"{recent[1] - dt.timedelta(days=20):%d/%m/%Y}",
                "transferor": "Trường Đại học Hải Phòng",
                "transferee": compost,
                "technology": "Công nghệ ủ compost hiếu khí cưỡng bức quy mô 20 tấn/ngày",
                "contract_value": "640000000",
            },
            {"appraise_in": 1, "stop": "APPRAISING"},
        )
    )
    newcomer = outsider(
        "Công ty CP Công nghệ số Cầu Rào", "Trịnh Minh Khoa", "Số 9 đường Cầu Rào 2"
    )
    cases.append(
        (
            recent[2],
            "KHCN-DNKHCN-01",
            newcomer,
            {
                "business_reg_no": newcomer[1]["tax_code"],
                "founded_on": "15/06/2023",
                "st_results": "Bản quyền phần mềm số 812/2025/QTG: nền tảng quản lý kho thông minh",
                "st_products": "Phần mềm quản lý kho thông minh CR-WMS",
            },
            {"stop": "RECEIVED"},
        )
    )

    for day, code, (user, applicant), form, options in sorted(cases, key=lambda c: c[0]):
        dossier = desk.file(
            code, day, user=user, applicant=applicant, form=form() if callable(form) else form
        )
        if options.get("stop") != "RECEIVED":
            desk.walk(dossier, **options)


def _activity_number(holder: str) -> str:
    from khcn.procedures.models import Certificate

    return Certificate.objects.get(holder_name=holder, status="valid", type="dk_hoat_dong").number
