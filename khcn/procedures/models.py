"""Administrative procedures (thủ tục hành chính): the catalogue, dossiers, certificates.

A dossier's state lives on its workflow record (`Dossier.process`, rule sets
`tthc-*` under `khcn/workflow/rulesets/`); `Dossier.state`, `due_date`,
`finished_on` and `late` are copies the workflow hook (`khcn.procedures.guards`)
writes after every step, so that lists and statistics over a million dossiers
filter and group through indexes without joining the workflow tables. Nothing
else assigns them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 16, "decimal_places": 0, "validators": [MinValueValidator(Decimal(0))]}


class CertificateType(models.TextChoices):
    """The certificates the department issues as procedure results."""

    ST_ENTERPRISE = "dn_khcn", _("Giấy chứng nhận doanh nghiệp khoa học và công nghệ")
    ST_ACTIVITY = "dk_hoat_dong", _("Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ")
    TASK_RESULT = "dk_ket_qua", _("Giấy chứng nhận đăng ký kết quả thực hiện nhiệm vụ KH&CN")
    TECH_TRANSFER = "dk_cgcn", _("Giấy chứng nhận đăng ký hợp đồng chuyển giao công nghệ")
    INITIATIVE = "sang_kien", _("Giấy chứng nhận sáng kiến")


class Procedure(models.Model):
    """One administrative procedure of the catalogue, with what a user needs before filing.

    The time limits are not stored here: they are the deadlines of the rule set
    named by `ruleset_code` (e.g. `tthc-dnkhcn-2019`, NĐ 13/2019), with their
    legal source; `time_limit()` reads them.
    """

    class Level(models.TextChoices):
        PROVINCIAL = "tinh", _("Cấp tỉnh")
        MINISTRY = "bo", _("Cấp bộ")

    class CodeKind(models.TextChoices):
        NATIONAL = "national", _("Mã trên Cổng Dịch vụ công quốc gia")
        LOCAL = "local", _("Mã nội bộ của Sở (chưa đối chiếu mã quốc gia)")

    class Applicants(models.TextChoices):
        ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")
        INDIVIDUAL = "individual", _("Cá nhân")
        ANY = "any", _("Tổ chức hoặc cá nhân")

    class ResultAction(models.TextChoices):
        """What the result does to the register of certificates."""

        ISSUE = "issue", _("Cấp mới giấy chứng nhận")
        AMEND = "amend", _("Cấp thay đổi nội dung giấy chứng nhận")
        REISSUE = "reissue", _("Cấp lại giấy chứng nhận")
        REVOKE = "revoke", _("Thu hồi giấy chứng nhận")

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: thủ tục của danh mục quốc gia, mọi Sở đều giải quyết."),
    )
    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    code_kind = models.CharField(
        _("nguồn mã"), max_length=10, choices=CodeKind.choices, default=CodeKind.LOCAL
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=Level.choices)
    field = models.CharField(_("lĩnh vực"), max_length=200)
    legal_basis = models.TextField(_("căn cứ pháp lý"))
    ruleset_code = models.CharField(
        _("bộ quy tắc quy trình"),
        max_length=50,
        help_text=_("Các bước và thời hạn giải quyết, có căn cứ pháp lý (khcn rules)."),
    )
    fee = models.DecimalField(_("phí, lệ phí"), default=0, **MONEY)
    fee_note = models.CharField(_("ghi chú về phí"), max_length=255, blank=True)
    responsible_unit = models.CharField(_("đơn vị thực hiện"), max_length=255)
    applicants = models.CharField(
        _("đối tượng thực hiện"), max_length=20, choices=Applicants.choices
    )
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    steps = models.TextField(_("trình tự thực hiện"))
    result_type = models.CharField(
        _("kết quả"), max_length=20, choices=CertificateType.choices, blank=True
    )
    result_action = models.CharField(
        _("tác động lên giấy chứng nhận"),
        max_length=10,
        choices=ResultAction.choices,
        default=ResultAction.ISSUE,
    )
    # [{"name", "label", "type": text|textarea|date|number|tax_code|citizen_id|choice|email|phone,
    #   "required": bool, "choices": [[value, label], …], "help": str}] — see catalogue.py
    form_fields = models.JSONField(_("các trường của tờ khai"), default=list, blank=True)
    online = models.BooleanField(_("nộp trực tuyến"), default=True)
    active = models.BooleanField(_("đang áp dụng"), default=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def rules(self):
        """The parsed current rule set of this procedure."""
        from khcn.workflow.loader import current_version

        return current_version(self.ruleset_code).rules

    def time_limit(self):
        """The rule set's resolution deadline (`offset`, `unit`, `source`) or None."""
        return self.rules.deadline("resolution")


class RequiredDocument(models.Model):
    """A document a dossier must (or may) include, with the form to download when there is one."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="documents", verbose_name=_("thủ tục")
    )
    key = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên thành phần hồ sơ"), max_length=500)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # comma-separated extensions among khcn.core.files.ALLOWED_TYPES ("pdf,docx")
    accepted_types = models.CharField(_("định dạng chấp nhận"), max_length=100, default="pdf")
    form_code = models.CharField(
        _("mẫu đơn, tờ khai (tạo tự động)"),
        max_length=60,
        blank=True,
        help_text=_("Mẫu do hệ thống tạo (khcn.procedures.documents.FORMS)."),
    )
    form_attachment = models.ForeignKey(
        "core.Attachment",
        verbose_name=_("mẫu đơn, tờ khai (tệp tải lên)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "key"], name="required_document_key"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def extensions(self) -> list[str]:
        return [e.strip().lower() for e in self.accepted_types.split(",") if e.strip()]


class DossierSequence(models.Model):
    """The last number given to a dossier of one agency in one year (codes HP-2026-000123)."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="dossier_sequence_year"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


class Dossier(models.Model):
    """One application (hồ sơ) under one procedure, from receipt to the returned result."""

    ATTACHMENT_ACTIONS = {"view": "dossier.view", "upload": "dossier.attach"}

    class Channel(models.TextChoices):
        ONLINE = "online", _("Trực tuyến")
        COUNTER = "counter", _("Trực tiếp tại Bộ phận một cửa")

    class ApplicantKind(models.TextChoices):
        ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")
        INDIVIDUAL = "individual", _("Cá nhân")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Giải quyết (cấp kết quả)")
        REFUSED = "refused", _("Từ chối giải quyết")
        WITHDRAWN = "withdrawn", _("Rút hồ sơ")

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    process = models.OneToOneField(
        "workflow.Process", on_delete=models.PROTECT, related_name="dossier"
    )
    code = models.CharField(_("mã hồ sơ"), max_length=30, unique=True)
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=Channel.choices)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người nộp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    applicant_kind = models.CharField(
        _("loại người nộp"), max_length=20, choices=ApplicantKind.choices
    )
    applicant_name = models.CharField(_("tên tổ chức, cá nhân"), max_length=300)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True, db_index=True)
    citizen_id = models.CharField(_("số căn cước công dân"), max_length=12, blank=True)
    representative = models.CharField(_("người đại diện"), max_length=150, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    form_data = models.JSONField(_("nội dung tờ khai"), default=dict, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    received_on = models.DateField(_("ngày tiếp nhận"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # --- kept by the workflow hook (khcn.procedures.guards.dossier_sync) -----------------------
    state = models.CharField(_("bước xử lý"), max_length=30, editable=False)
    due_date = models.DateField(_("hạn giải quyết"), null=True, blank=True, editable=False)
    promised_date = models.DateField(
        _("ngày hẹn trả kết quả"), null=True, blank=True, editable=False
    )
    finished_on = models.DateField(_("ngày có kết quả"), null=True, blank=True, editable=False)
    outcome = models.CharField(
        _("kết quả giải quyết"), max_length=10, choices=Outcome.choices, blank=True, editable=False
    )
    late = models.BooleanField(_("trễ hạn"), default=False, editable=False)
    supplement_count = models.PositiveSmallIntegerField(
        _("số lần yêu cầu bổ sung"), default=0, editable=False
    )
    returned_on = models.DateField(_("ngày trả kết quả"), null=True, blank=True, editable=False)
    # ---------------------------------------------------------------------------------------------
    receipt = models.ForeignKey(
        "core.Attachment",
        verbose_name=_("giấy tiếp nhận và hẹn trả kết quả"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("hồ sơ thủ tục hành chính")
        verbose_name_plural = _("hồ sơ thủ tục hành chính")
        ordering = ["-received_at", "-pk"]
        indexes = [
            # the staff list: one procedure and step, nearest due date first
            models.Index(
                fields=["agency", "procedure", "state", "due_date"], name="dossier_list_due"
            ),
            models.Index(fields=["agency", "state", "due_date"], name="dossier_state_due"),
            models.Index(fields=["agency", "due_date"], name="dossier_agency_due"),
            # the desk's working list: dossiers without a result (a few % of all), by due date
            models.Index(
                fields=["agency", "due_date"],
                condition=Q(finished_on__isnull=True),
                name="dossier_open_due",
            ),
            models.Index(
                fields=["agency", "procedure", "due_date"],
                condition=Q(finished_on__isnull=True),
                name="dossier_open_procedure_due",
            ),
            # statistics for a period, answered from the index alone (every column the
            # aggregates read): received in the period, and finished in or after it
            models.Index(
                fields=[
                    "agency",
                    "received_on",
                    "procedure",
                    "finished_on",
                    "due_date",
                    "outcome",
                    "late",
                    "supplement_count",
                    "state",
                ],
                name="dossier_stats_received",
            ),  # fmt: skip
            models.Index(
                fields=[
                    "agency",
                    "finished_on",
                    "received_on",
                    "procedure",
                    "due_date",
                    "outcome",
                    "late",
                    "supplement_count",
                    "state",
                ],
                name="dossier_stats_finished",
            ),  # fmt: skip
            models.Index(fields=["applicant", "received_at"], name="dossier_applicant"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.procedure.short_name or self.procedure.name}"

    @property
    def is_open(self) -> bool:
        return self.finished_on is None and self.outcome == ""


class DossierDocument(models.Model):
    """A file of a dossier: one of the procedure's required documents, or another paper."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        RequiredDocument,
        verbose_name=_("thành phần hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attachment = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(
        _("lần nộp"), default=0, help_text=_("0: hồ sơ ban đầu; 1, 2…: lần bổ sung.")
    )
    added_at = models.DateTimeField(_("thời điểm nộp"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("tệp của hồ sơ")
        verbose_name_plural = _("tệp của hồ sơ")
        ordering = ["dossier", "round", "pk"]

    def __str__(self) -> str:
        return str(self.attachment)


class ApologyLetter(models.Model):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả for a dossier past (or about to pass) its due
    date (NĐ 61/2018 Đ19; mẫu TT 01/2018/TT-VPCP)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies")
    number = models.PositiveSmallIntegerField(_("lần"))
    reason = models.TextField(_("lý do chậm"))
    old_date = models.DateField(_("ngày hẹn cũ"))
    new_date = models.DateField(_("ngày hẹn mới"))
    issued_at = models.DateTimeField(_("thời điểm lập"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    attachment = models.ForeignKey(
        "core.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("phiếu xin lỗi và hẹn lại ngày trả kết quả")
        verbose_name_plural = _("phiếu xin lỗi và hẹn lại ngày trả kết quả")
        ordering = ["dossier", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="apology_number"),
            models.CheckConstraint(
                condition=Q(new_date__gt=models.F("old_date")), name="apology_later_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier.code} #{self.number}"


class Certificate(models.Model):
    """One version of a certificate. Amending or re-issuing adds a version with the same number
    that points to the one it replaces (now superseded); revoking marks the valid version."""

    class Status(models.TextChoices):
        VALID = "valid", _("Còn hiệu lực")
        SUPERSEDED = "superseded", _("Đã được thay thế")
        REVOKED = "revoked", _("Đã thu hồi")

    class Change(models.TextChoices):
        ISSUE = "issue", _("Cấp mới")
        AMEND = "amend", _("Cấp thay đổi nội dung")
        REISSUE = "reissue", _("Cấp lại")

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("cơ quan cấp"), on_delete=models.PROTECT, related_name="+"
    )
    type = models.CharField(_("loại giấy chứng nhận"), max_length=20, choices=CertificateType)
    number = models.CharField(_("số giấy chứng nhận"), max_length=40)
    version = models.PositiveSmallIntegerField(_("lần cấp"), default=1)
    change = models.CharField(
        _("hình thức cấp"), max_length=10, choices=Change.choices, default=Change.ISSUE
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("bản được thay thế"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    issued_on = models.DateField(_("ngày cấp"))
    holder_name = models.CharField(_("tên tổ chức, cá nhân được cấp"), max_length=300)
    holder_tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True, db_index=True)
    holder_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    representative = models.CharField(_("người đại diện"), max_length=150, blank=True)
    content = models.TextField(
        _("nội dung chứng nhận"), help_text=_("Ví dụ: các sản phẩm KH&CN của doanh nghiệp.")
    )
    valid_until = models.DateField(_("có hiệu lực đến"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=Status.choices, default=Status.VALID
    )
    status_changed_on = models.DateField(_("ngày đổi tình trạng"), null=True, blank=True)
    revoke_reason = models.TextField(_("lý do thu hồi"), blank=True)
    document = models.ForeignKey(
        "core.Attachment",
        verbose_name=_("bản giấy chứng nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giấy chứng nhận")
        verbose_name_plural = _("giấy chứng nhận")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "type", "number", "version"], name="certificate_version"
            ),
            models.UniqueConstraint(
                fields=["agency", "type", "number"],
                condition=Q(status="valid"),
                name="certificate_one_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["valid", "superseded", "revoked"]),
                name="certificate_status",
            ),
        ]
        indexes = [
            models.Index(fields=["type", "status", "issued_on"], name="certificate_register"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} số {self.number}"
