"""S&T tasks (nhiệm vụ KH&CN) and what hangs off them: calls, applications,
budget lines, contracts and disbursements, reports, inspections, change requests,
products, application reports and ineligibility.

A task's state lives on its workflow record (`Project.process`); nothing here
stores a status that the engine owns.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khcn.core.text import fold

MONEY = {"max_digits": 16, "decimal_places": 0, "validators": [MinValueValidator(Decimal(0))]}


def identity_key(name: str) -> str:
    """Organisation or person name folded for matching across records (eligibility, conflicts)."""
    return " ".join(fold(name or "").split())


class Kind(models.TextChoices):
    TOPIC = "de_tai", _("Đề tài")
    PILOT = "du_an_sxtn", _("Dự án sản xuất thử nghiệm")
    SCHEME = "de_an", _("Đề án")
    PROJECT = "du_an_khcn", _("Dự án KH&CN")


class Level(models.TextChoices):
    PROVINCIAL = "tinh", _("Cấp tỉnh")
    GRASSROOTS = "co_so", _("Cấp cơ sở")
    NATIONAL = "quoc_gia", _("Cấp quốc gia")


class ScienceField(models.TextChoices):
    """The six groups of the Vietnamese classification of S&T fields (QĐ 12/2008/QĐ-BKHCN)."""

    NATURAL = "1", _("Khoa học tự nhiên")
    ENGINEERING = "2", _("Khoa học kỹ thuật và công nghệ")
    MEDICAL = "3", _("Khoa học y, dược")
    AGRICULTURAL = "4", _("Khoa học nông nghiệp")
    SOCIAL = "5", _("Khoa học xã hội")
    HUMANITIES = "6", _("Khoa học nhân văn")


class Rating(models.TextChoices):
    XUAT_SAC = "XUAT_SAC", _("Xuất sắc")
    DAT = "DAT", _("Đạt")
    KHONG_DAT = "KHONG_DAT", _("Không đạt")


class Programme(models.Model):
    """A programme grouping tasks (e.g. intellectual-property support)."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("mã chương trình"), max_length=40)
    name = models.CharField(_("tên chương trình"), max_length=500)
    description = models.TextField(_("mục tiêu"), blank=True)
    start_year = models.PositiveIntegerField(_("từ năm"))
    end_year = models.PositiveIntegerField(_("đến năm"))

    class Meta:
        verbose_name = _("chương trình")
        ordering = ["-start_year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="programme_code"),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="programme_years"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Call(models.Model):
    """A call for selection (đợt tuyển chọn): dates and the list of ordered tasks it offers."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("mã đợt"), max_length=40)
    title = models.CharField(_("tên đợt"), max_length=500)
    year = models.PositiveIntegerField(_("năm kế hoạch"))
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="calls"
    )
    open_date = models.DateField(_("ngày đăng thông báo"))
    close_date = models.DateField(_("hạn nhận hồ sơ"))
    notes = models.TextField(_("ghi chú"), blank=True)
    decision_no = models.CharField(_("số quyết định phê duyệt danh mục"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đợt tuyển chọn")
        ordering = ["-open_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="call_code"),
            models.CheckConstraint(
                condition=Q(close_date__gt=models.F("open_date")), name="call_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today) -> bool:
        return self.open_date <= today <= self.close_date


class Project(models.Model):
    """One S&T task, from the proposal (đề xuất đặt hàng) to closing."""

    ATTACHMENT_ACTIONS = {"view": "project.view", "upload": "project.attach"}

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    process = models.OneToOneField(
        "workflow.Process", on_delete=models.PROTECT, related_name="project"
    )
    code = models.CharField(_("mã nhiệm vụ"), max_length=40)
    title = models.CharField(_("tên nhiệm vụ"), max_length=500)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.TOPIC)
    level = models.CharField(
        _("cấp"), max_length=20, choices=Level.choices, default=Level.PROVINCIAL
    )
    field = models.CharField(
        _("lĩnh vực"), max_length=2, choices=ScienceField.choices, default=ScienceField.ENGINEERING
    )
    year = models.PositiveIntegerField(_("năm"))
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    call = models.ForeignKey(
        Call, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    # the proposal (đề xuất đặt hàng)
    problem = models.TextField(_("vấn đề cần giải quyết"))
    objectives = models.TextField(_("mục tiêu"))
    expected_products = models.TextField(_("sản phẩm dự kiến"))
    application_place = models.TextField(_("nơi dự kiến ứng dụng kết quả"))
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposer_org = models.CharField(_("đơn vị đề xuất"), max_length=255)
    # who carries it out (from the winning application or the direct assignment)
    host_org = models.CharField(_("tổ chức chủ trì"), max_length=255, blank=True)
    host_key = models.CharField(max_length=255, blank=True, editable=False, db_index=True)
    leader_name = models.CharField(_("chủ nhiệm nhiệm vụ"), max_length=255, blank=True)
    leader_key = models.CharField(max_length=255, blank=True, editable=False, db_index=True)
    start_date = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    end_date = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    budget_state = models.DecimalField(_("kinh phí ngân sách"), default=0, **MONEY)
    budget_other = models.DecimalField(_("kinh phí nguồn khác"), default=0, **MONEY)
    rating = models.CharField(
        _("kết quả nghiệm thu"), max_length=10, choices=Rating.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhiệm vụ KH&CN")
        verbose_name_plural = _("nhiệm vụ KH&CN")
        ordering = ["-year", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="project_code")]
        indexes = [
            models.Index(fields=["agency", "year"], name="project_agency_year"),
            # the task list filtered by year (and step): the year's tasks, their record and
            # agency read from the index alone, joined to the record for its step and deadline
            models.Index(fields=["year", "process", "agency"], name="project_year_process"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    def save(self, *args, **kwargs):
        self.host_key = identity_key(self.host_org)
        self.leader_key = identity_key(self.leader_name)
        if kwargs.get("update_fields"):
            kwargs["update_fields"] = {*kwargs["update_fields"], "host_key", "leader_key"}
        super().save(*args, **kwargs)

    @property
    def state(self) -> str:
        return self.process.state

    @property
    def budget_total(self) -> Decimal:
        return self.budget_state + self.budget_other

    @property
    def months(self) -> int | None:
        if not (self.start_date and self.end_date):
            return None
        return (self.end_date.year - self.start_date.year) * 12 + (
            self.end_date.month - self.start_date.month
        )


class Application(models.Model):
    """A host organisation's dossier for one task of a call (hồ sơ đăng ký tuyển chọn)."""

    ATTACHMENT_ACTIONS = {"view": "application.view", "upload": "application.attach"}

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Đã nộp")
        COMPLETE = "complete", _("Hợp lệ")
        INCOMPLETE = "incomplete", _("Không hợp lệ")
        WITHDRAWN = "withdrawn", _("Đã rút")
        SELECTED = "selected", _("Trúng tuyển")
        NOT_SELECTED = "not_selected", _("Không trúng tuyển")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.CharField(_("tổ chức đăng ký chủ trì"), max_length=255)
    organisation_key = models.CharField(max_length=255, editable=False)
    leader_name = models.CharField(_("chủ nhiệm nhiệm vụ"), max_length=255)
    leader_degree = models.CharField(_("học hàm, học vị"), max_length=60, blank=True)
    summary = models.TextField(_("tóm tắt thuyết minh"))
    months = models.PositiveSmallIntegerField(_("thời gian thực hiện (tháng)"))
    recent_excellent = models.BooleanField(
        _("chủ nhiệm có nhiệm vụ cấp quốc gia xếp loại Xuất sắc gần đây"), default=False
    )
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    status_note = models.TextField(_("nhận xét"), blank=True)
    submitted_at = models.DateTimeField(_("thời điểm nộp (hệ thống ghi)"))

    class Meta:
        verbose_name = _("hồ sơ đăng ký")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation_key"],
                condition=~Q(status="withdrawn"),
                name="application_one_per_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.project.code}"

    def save(self, *args, **kwargs):
        self.organisation_key = identity_key(self.organisation)
        super().save(*args, **kwargs)

    @property
    def is_proposer(self) -> bool:
        return bool(self.organisation_key) and self.organisation_key == identity_key(
            self.project.proposer_org
        )


class BudgetLine(models.Model):
    """One line of a budget (dự toán): category × source. Belongs to an application or a task."""

    class Category(models.TextChoices):
        LABOUR = "labour", _("Công lao động khoa học")
        MATERIALS = "materials", _("Nguyên vật liệu, năng lượng")
        EQUIPMENT = "equipment", _("Thiết bị, máy móc")
        CONSTRUCTION = "construction", _("Xây dựng, sửa chữa nhỏ")
        SERVICES = "services", _("Thuê dịch vụ, hội thảo, công tác")
        OTHER = "other", _("Chi khác")

    class Source(models.TextChoices):
        STATE = "state", _("Ngân sách nhà nước")
        OTHER = "other", _("Nguồn khác")

    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="budget_lines"
    )
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.CharField(_("khoản chi"), max_length=20, choices=Category.choices)
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)
    amount = models.DecimalField(_("số tiền"), **MONEY)

    class Meta:
        verbose_name = _("dòng dự toán")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, application__isnull=True)
                | Q(project__isnull=True, application__isnull=False),
                name="budget_line_one_owner",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount"),
            models.UniqueConstraint(
                fields=["project", "category", "source"], name="budget_line_project_unique"
            ),
            models.UniqueConstraint(
                fields=["application", "category", "source"], name="budget_line_app_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.get_source_display()}): {self.amount}"


class TeamMember(models.Model):
    """A person in an application's team, with a CV attachment."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("họ và tên"), max_length=255)
    degree = models.CharField(_("học hàm, học vị"), max_length=60, blank=True)
    role = models.CharField(_("vai trò"), max_length=60)
    organisation = models.CharField(_("cơ quan công tác"), max_length=255, blank=True)
    cv = models.ForeignKey(
        "core.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("thành viên thực hiện")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class Product(models.Model):
    """An expected product of the task (from the approved description), rated at acceptance."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("tên sản phẩm"), max_length=500)
    unit = models.CharField(_("đơn vị"), max_length=40, blank=True)
    quantity = models.PositiveIntegerField(_("số lượng"), default=1)
    requirement = models.TextField(_("yêu cầu khoa học, kỹ thuật"), blank=True)

    class Meta:
        verbose_name = _("sản phẩm")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    """The task contract (NĐ 08/2014 Đ22); one per task."""

    class LumpSum(models.TextChoices):
        FINAL = "final", _("Khoán chi đến sản phẩm cuối cùng")
        PARTIAL = "partial", _("Khoán chi từng phần")

    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="contract")
    number = models.CharField(_("số hợp đồng"), max_length=60)
    signed_date = models.DateField(_("ngày ký"))
    value = models.DecimalField(_("giá trị (ngân sách)"), **MONEY)
    lump_sum = models.CharField(
        _("phương thức khoán chi"), max_length=10, choices=LumpSum.choices, default=LumpSum.PARTIAL
    )
    host_representative = models.CharField(_("đại diện bên B"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hợp đồng")

    def __str__(self) -> str:
        return self.number


class Tranche(models.Model):
    """A disbursement tranche of the contract, tied to a milestone (đợt cấp kinh phí)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="tranches")
    seq = models.PositiveSmallIntegerField(_("đợt"))
    milestone = models.CharField(_("điều kiện / mốc"), max_length=255)
    planned_date = models.DateField(_("thời gian dự kiến"))
    amount = models.DecimalField(_("số tiền"), **MONEY)

    class Meta:
        verbose_name = _("đợt cấp kinh phí")
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "seq"], name="tranche_seq"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.seq}. {self.milestone}"


class Disbursement(models.Model):
    """Money paid to the host under one tranche (tạm ứng / thanh toán)."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", _("Tạm ứng")
        PAYMENT = "payment", _("Thanh toán")

    tranche = models.ForeignKey(Tranche, on_delete=models.PROTECT, related_name="disbursements")
    kind = models.CharField(_("hình thức"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("số tiền"), **MONEY)
    paid_on = models.DateField(_("ngày chi"))
    reference = models.CharField(_("chứng từ"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lần cấp kinh phí")
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.paid_on:%d/%m/%Y})"


class ProgressReport(models.Model):
    """Periodic progress report filed by the host (báo cáo định kỳ, TT 04/2015 Đ8)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(_("kỳ báo cáo"), max_length=60)
    progress = models.PositiveSmallIntegerField(_("khối lượng hoàn thành (%)"))
    content = models.TextField(_("nội dung"))
    spent = models.DecimalField(_("kinh phí đã sử dụng"), **MONEY)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress")
        ]

    def __str__(self) -> str:
        return f"{self.period} – {self.progress}%"


class Inspection(models.Model):
    """An inspection of the task (kiểm tra, TT 04/2015): notice ≥ 5 working days ahead."""

    class Conclusion(models.TextChoices):
        ON_TRACK = "on_track", _("Đúng tiến độ")
        BEHIND = "behind", _("Chậm tiến độ")
        SERIOUS = "serious", _("Vi phạm, đề nghị xử lý")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="inspections")
    scheduled_on = models.DateField(_("ngày kiểm tra"))
    noticed_on = models.DateField(_("ngày thông báo"))
    inspectors = models.CharField(_("đoàn kiểm tra"), max_length=500)
    done_on = models.DateField(_("ngày thực hiện"), null=True, blank=True)
    findings = models.TextField(_("kết quả kiểm tra"), blank=True)
    conclusion = models.CharField(
        _("kết luận"), max_length=10, choices=Conclusion.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("kiểm tra")
        ordering = ["-scheduled_on"]

    def __str__(self) -> str:
        return f"{self.scheduled_on:%d/%m/%Y} – {self.inspectors}"


class ChangeRequest(models.Model):
    """A change or extension request; applied only once approved in writing (QĐ 05/2021 HN)."""

    class Kind(models.TextChoices):
        CONTENT = "content", _("Điều chỉnh nội dung")
        TEAM = "team", _("Thay đổi thành viên")
        BUDGET = "budget", _("Điều chỉnh dự toán")
        EXTENSION = "extension", _("Gia hạn thời gian")

    class Decision(models.TextChoices):
        PENDING = "", _("Chờ quyết định")
        APPROVED = "approved", _("Đồng ý")
        REJECTED = "rejected", _("Không đồng ý")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("loại đề nghị"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("lý do"))
    content = models.TextField(_("nội dung đề nghị"), blank=True)
    new_end_date = models.DateField(_("ngày kết thúc đề nghị"), null=True, blank=True)
    moves = models.JSONField(_("điều chuyển dự toán"), default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    decision = models.CharField(
        _("quyết định"), max_length=10, choices=Decision.choices, default="", blank=True
    )
    decision_no = models.CharField(_("số văn bản chấp thuận"), max_length=60, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đề nghị điều chỉnh")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"], condition=Q(decision=""), name="change_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.requested_at:%d/%m/%Y})"


class ApplicationReport(models.Model):
    """Where and how the results are applied (báo cáo ứng dụng kết quả, NĐ 08/2014 Đ38)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="application_reports"
    )
    place = models.CharField(_("địa chỉ ứng dụng"), max_length=500)
    confirmed_by = models.CharField(_("cơ quan xác nhận"), max_length=255, blank=True)
    description = models.TextField(_("kết quả ứng dụng"))
    reported_on = models.DateField(_("ngày báo cáo"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("báo cáo ứng dụng kết quả")
        ordering = ["-reported_on"]

    def __str__(self) -> str:
        return self.place


class Ineligibility(models.Model):
    """An organisation or person barred from new tasks until a date (TT 20/2023 Đ4)."""

    class Subject(models.TextChoices):
        ORGANISATION = "org", _("Tổ chức")
        PERSON = "person", _("Cá nhân")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("đối tượng"), max_length=10, choices=Subject.choices)
    name = models.CharField(_("tên"), max_length=255)
    key = models.CharField(max_length=255, db_index=True)
    project = models.ForeignKey(Project, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("lý do"), max_length=500)
    since = models.DateField(_("từ ngày"))
    until = models.DateField(_("đến ngày"))

    class Meta:
        verbose_name = _("không đủ điều kiện")
        ordering = ["-until"]

    def __str__(self) -> str:
        return f"{self.name} – {self.until:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.key = identity_key(self.name)
        super().save(*args, **kwargs)
