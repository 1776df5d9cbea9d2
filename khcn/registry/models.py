"""The province's S&T database (cơ sở dữ liệu KH&CN): organisations, people, results and
intellectual-property assets, the fields-of-science tree, and the duplicate flags and merges
that keep the records clean.

Information groups follow TT 10/2017/TT-BKHCN (thông tin KH&CN: tổ chức, cán bộ nghiên cứu,
nhiệm vụ, kết quả, công bố, sở hữu trí tuệ) and NĐ 11/2014/NĐ-CP on S&T information.
Every record belongs to one agency and carries an access level (public, restricted,
confidential). Merged records are never deleted: `merged_into` hides them and a `Merge`
keeps what moved, so staff can undo it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khcn.core.text import fold
from khcn.registry import units


def name_key(name: str) -> str:
    """A name folded for duplicate matching: "Trường Đại học  Hải Phòng" -> "truong dai hoc hai phong"."""
    return " ".join(fold(name or "").split())


class Access(models.TextChoices):
    """Who may read a record (NĐ 11/2014 Đ12: public S&T information vs. restricted)."""

    PUBLIC = "public", _("Công khai")
    RESTRICTED = "restricted", _("Hạn chế (cán bộ của Sở)")
    CONFIDENTIAL = "confidential", _("Mật (lãnh đạo Sở)")


class FieldOfScience(models.Model):
    """One node of the classification of S&T fields (QĐ 12/2008/QĐ-BKHCN)."""

    code = models.CharField(_("mã"), max_length=8, primary_key=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("cấp"), default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("lĩnh vực KH&CN")
        verbose_name_plural = _("lĩnh vực KH&CN")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    @property
    def group_code(self) -> str:
        """The first-level group ("1"…"6"), as `projects.ScienceField` stores it."""
        return self.code[:1]


class RecordQuerySet(models.QuerySet):
    def active(self):
        """Records not merged into another one."""
        return self.filter(merged_into__isnull=True)


class Record(models.Model):
    """What every registry record carries: its agency, access level and history."""

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("cơ quan quản lý"), on_delete=models.PROTECT
    )
    access = models.CharField(
        _("mức truy cập"), max_length=12, choices=Access.choices, default=Access.PUBLIC
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        abstract = True


class AddressMixin(models.Model):
    """An address against the current administrative units (34 provinces, wards/communes)."""

    address = models.CharField(_("địa chỉ (số nhà, đường)"), max_length=255, blank=True)
    province_code = models.PositiveSmallIntegerField(_("tỉnh/thành phố"), null=True, blank=True)
    ward_code = models.PositiveIntegerField(_("phường/xã"), null=True, blank=True)
    province_name = models.CharField(max_length=100, blank=True, editable=False)
    ward_name = models.CharField(max_length=100, blank=True, editable=False)
    units_version = models.CharField(
        _("phiên bản danh mục đơn vị hành chính"), max_length=20, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def refresh_unit_names(self) -> None:
        """Names and data version as of now; kept when a later edition drops the codes."""
        if self.province_code:
            self.province_name = units.province_name(self.province_code) or self.province_name
            self.ward_name = units.ward_name(self.province_code, self.ward_code) or (
                self.ward_name if self.ward_code else ""
            )
            self.units_version = units.UNITS_VERSION
        else:
            self.province_name = self.ward_name = self.units_version = ""

    @property
    def full_address(self) -> str:
        return ", ".join(p for p in (self.address, self.ward_name, self.province_name) if p)


class Organisation(Record, AddressMixin):
    """An S&T organisation, university, institute, enterprise or state agency."""

    ATTACHMENT_ACTIONS = {"view": "registry.view", "upload": "registry.manage"}

    class Kind(models.TextChoices):
        ST_ORG = "st_org", _("Tổ chức KH&CN")
        UNIVERSITY = "university", _("Trường đại học, cao đẳng")
        INSTITUTE = "institute", _("Viện, trung tâm nghiên cứu")
        ENTERPRISE = "enterprise", _("Doanh nghiệp")
        STATE = "state", _("Cơ quan nhà nước")
        OTHER = "other", _("Khác")

    name = models.CharField(_("tên tổ chức"), max_length=500)
    name_key = models.CharField(max_length=500, editable=False, db_index=True)
    abbreviation = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    english_name = models.CharField(_("tên tiếng Anh"), max_length=500, blank=True)
    kind = models.CharField(_("loại hình"), max_length=12, choices=Kind.choices)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True, db_index=True)
    fields = models.ManyToManyField(
        FieldOfScience, verbose_name=_("lĩnh vực hoạt động"), blank=True, related_name="+"
    )
    description = models.TextField(_("giới thiệu"), blank=True)
    # Giấy chứng nhận đăng ký hoạt động KH&CN (NĐ 08/2014/NĐ-CP Đ4–6, TT 03/2014/TT-BKHCN)
    st_registration_no = models.CharField(
        _("số giấy chứng nhận đăng ký hoạt động KH&CN"), max_length=60, blank=True
    )
    st_registration_date = models.DateField(_("ngày cấp"), null=True, blank=True)
    st_registration_issuer = models.CharField(_("cơ quan cấp"), max_length=255, blank=True)
    # Giấy chứng nhận doanh nghiệp KH&CN (NĐ 13/2019/NĐ-CP Đ6–7)
    st_enterprise_cert_no = models.CharField(
        _("số giấy chứng nhận doanh nghiệp KH&CN"), max_length=60, blank=True
    )
    st_enterprise_cert_date = models.DateField(
        _("ngày cấp giấy chứng nhận doanh nghiệp KH&CN"), null=True, blank=True
    )
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    website = models.URLField(_("trang thông tin"), blank=True)
    ror = models.CharField(_("mã ROR"), max_length=9, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["agency", "kind"], name="registry_org_agency_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        self.refresh_unit_names()
        if kwargs.get("update_fields"):
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "name_key",
                "province_name",
                "ward_name",
                "units_version",
            }
        super().save(*args, **kwargs)

    @property
    def is_st_enterprise(self) -> bool:
        return bool(self.st_enterprise_cert_no)


class Person(Record):
    """A researcher or expert. Personal data beyond name, degree, title, organisation and
    fields are shown publicly only with the person's consent (NĐ 13/2023/NĐ-CP Đ11)."""

    ATTACHMENT_ACTIONS = {"view": "registry.view", "upload": "registry.manage"}

    class Degree(models.TextChoices):
        NONE = "", _("—")
        BACHELOR = "CN", _("Cử nhân/Kỹ sư")
        MASTER = "ThS", _("Thạc sĩ")
        DOCTOR = "TS", _("Tiến sĩ")
        DSC = "TSKH", _("Tiến sĩ khoa học")

    class Title(models.TextChoices):
        NONE = "", _("—")
        ASSOCIATE_PROFESSOR = "PGS", _("Phó Giáo sư")
        PROFESSOR = "GS", _("Giáo sư")

    class Gender(models.TextChoices):
        UNSPECIFIED = "", _("Không nêu")
        MALE = "M", _("Nam")
        FEMALE = "F", _("Nữ")

    full_name = models.CharField(_("họ và tên"), max_length=255)
    name_key = models.CharField(max_length=255, editable=False, db_index=True)
    degree = models.CharField(
        _("học vị"), max_length=4, choices=Degree.choices, blank=True, default=""
    )
    title = models.CharField(
        _("học hàm"), max_length=3, choices=Title.choices, blank=True, default=""
    )
    gender = models.CharField(
        _("giới tính"), max_length=1, choices=Gender.choices, blank=True, default=""
    )
    birth_year = models.PositiveSmallIntegerField(
        _("năm sinh"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    fields = models.ManyToManyField(
        FieldOfScience, verbose_name=_("lĩnh vực nghiên cứu"), blank=True, related_name="+"
    )
    orcid = models.CharField(_("ORCID"), max_length=19, blank=True, db_index=True)
    keywords = models.CharField(_("từ khóa chuyên môn"), max_length=500, blank=True)
    cv_text = models.TextField(_("tóm tắt lý lịch khoa học"), blank=True)
    cv_attachment = models.ForeignKey(
        "core.Attachment",
        verbose_name=_("lý lịch khoa học (tệp)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    is_expert = models.BooleanField(_("chuyên gia tư vấn, đánh giá"), default=False)
    expert_fields = models.ManyToManyField(
        FieldOfScience,
        verbose_name=_("lĩnh vực tham gia đánh giá"),
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registry_people",
    )
    public_consent = models.BooleanField(
        _("đồng ý công khai thông tin cá nhân"),
        default=False,
        help_text=_(
            "Khi được đồng ý, trang công khai hiển thị thêm thư điện tử, điện thoại, năm sinh, "
            "giới tính, ORCID và lý lịch khoa học (Nghị định 13/2023/NĐ-CP)."
        ),
    )
    consent_at = models.DateTimeField(_("thời điểm đồng ý"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects = RecordQuerySet.as_manager()

    # Shown on public pages and indexed for anonymous search whatever the consent.
    PUBLIC_FIELDS = ("full_name", "degree", "title", "fields", "keywords", "organisations")
    # Shown publicly only with `public_consent`.
    CONSENT_FIELDS = ("email", "phone", "birth_year", "gender", "orcid", "cv_text", "cv_attachment")

    class Meta:
        verbose_name = _("nhà khoa học")
        verbose_name_plural = _("nhà khoa học")
        ordering = ["name_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(user__isnull=False, merged_into__isnull=True),
                name="registry_person_one_user",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.full_name)
        if kwargs.get("update_fields"):
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """ "PGS.TS. Nguyễn Văn A": title and degree before the name, as Vietnamese custom."""
        prefix = ".".join(p for p in (self.title, self.degree if self.degree != "CN" else "") if p)
        return f"{prefix}. {self.full_name}" if prefix else self.full_name


class Affiliation(models.Model):
    """A person's work at an organisation over a period (end empty: still there)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("tổ chức"),
        on_delete=models.PROTECT,
        related_name="affiliations",
    )
    position = models.CharField(_("chức vụ, vị trí"), max_length=255, blank=True)
    start = models.DateField(_("từ ngày"), null=True, blank=True)
    end = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="registry_affiliation_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} – {self.organisation.name}"

    @property
    def is_current(self) -> bool:
        return self.end is None


class Result(Record):
    """A result (kết quả) of S&T activity: report, publication, patent, variety, software…

    Results of state-funded tasks are registered and kept (NĐ 11/2014 Đ22; TT 14/2014/TT-BKHCN
    on registering results); `registration_no` is the certificate of registration."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Báo cáo kết quả nhiệm vụ")
        PUBLICATION = "publication", _("Bài báo, công bố khoa học")
        BOOK = "book", _("Sách, giáo trình")
        PATENT = "patent", _("Sáng chế")
        UTILITY = "utility", _("Giải pháp hữu ích")
        VARIETY = "variety", _("Giống cây trồng, vật nuôi")
        SOFTWARE = "software", _("Phần mềm")
        STANDARD = "standard", _("Tiêu chuẩn, quy chuẩn")
        PROTOTYPE = "prototype", _("Mẫu máy, thiết bị, sản phẩm")
        PROCESS = "process", _("Quy trình công nghệ")
        OTHER = "other", _("Khác")

    kind = models.CharField(_("loại kết quả"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("tên kết quả"), max_length=1000)
    abstract = models.TextField(_("tóm tắt"), blank=True)
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    field = models.ForeignKey(
        FieldOfScience,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registration_no = models.CharField(_("số đăng ký kết quả"), max_length=60, blank=True)
    registration_date = models.DateField(_("ngày đăng ký"), null=True, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("nhiệm vụ KH&CN"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registry_results",
    )
    doi = models.CharField(_("DOI"), max_length=255, blank=True)
    url = models.URLField(_("đường dẫn"), max_length=500, blank=True)
    keywords = models.CharField(_("từ khóa"), max_length=500, blank=True)
    authors = models.ManyToManyField(
        Person, through="Authorship", verbose_name=_("tác giả"), related_name="results"
    )
    organisations = models.ManyToManyField(
        Organisation,
        through="ResultOrganisation",
        verbose_name=_("tổ chức"),
        related_name="results",
    )

    class Meta:
        verbose_name = _("kết quả KH&CN")
        verbose_name_plural = _("kết quả KH&CN")
        ordering = ["-year", "title", "pk"]
        indexes = [models.Index(fields=["agency", "year"], name="registry_result_agency_year")]

    def __str__(self) -> str:
        return self.title


class Authorship(models.Model):
    """A person among a result's authors, in order; `name` keeps the name as printed."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="authorships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="authorships")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tên như ghi trên kết quả"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tác giả")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["result", "person"], name="registry_author_once")
        ]

    def __str__(self) -> str:
        return self.name or self.person.full_name


class ResultOrganisation(models.Model):
    """An organisation behind a result: host (chủ trì), partner or owner of the rights."""

    class Role(models.TextChoices):
        HOST = "host", _("Chủ trì")
        PARTNER = "partner", _("Phối hợp")
        OWNER = "owner", _("Chủ sở hữu")

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="result_orgs")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="result_links"
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices, default=Role.HOST)

    class Meta:
        verbose_name = _("tổ chức của kết quả")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["result", "organisation", "role"], name="registry_result_org_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class IPAsset(Record):
    """An intellectual-property asset of the province: geographical indication, collective or
    certification mark (Luật Sở hữu trí tuệ 2005, sửa đổi 2022, Đ4, Đ79, Đ87)."""

    class Kind(models.TextChoices):
        GEOGRAPHICAL_INDICATION = "gi", _("Chỉ dẫn địa lý")
        COLLECTIVE_MARK = "collective", _("Nhãn hiệu tập thể")
        CERTIFICATION_MARK = "certification", _("Nhãn hiệu chứng nhận")
        TRADEMARK = "trademark", _("Nhãn hiệu")
        OTHER = "other", _("Khác")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Đang xây dựng hồ sơ")
        APPLIED = "applied", _("Đã nộp đơn")
        PROTECTED = "protected", _("Đã được bảo hộ")
        REFUSED = "refused", _("Bị từ chối")
        EXPIRED = "expired", _("Hết hiệu lực")

    kind = models.CharField(_("loại"), max_length=14, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=255)
    product = models.CharField(_("sản phẩm mang nhãn hiệu/chỉ dẫn"), max_length=255, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    region = models.CharField(_("khu vực địa lý"), max_length=500, blank=True)
    province_code = models.PositiveSmallIntegerField(_("tỉnh/thành phố"), null=True, blank=True)
    holder = models.ForeignKey(
        Organisation,
        verbose_name=_("chủ thể quản lý/chủ sở hữu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ip_assets",
    )
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status.choices, default=Status.PREPARING
    )
    application_no = models.CharField(_("số đơn"), max_length=60, blank=True)
    application_date = models.DateField(_("ngày nộp đơn"), null=True, blank=True)
    certificate_no = models.CharField(_("số văn bằng"), max_length=60, blank=True)
    certificate_date = models.DateField(_("ngày cấp văn bằng"), null=True, blank=True)
    expiry_date = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("nhiệm vụ hỗ trợ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registry_ip_assets",
    )

    class Meta:
        verbose_name = _("tài sản trí tuệ")
        verbose_name_plural = _("tài sản trí tuệ")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def province_name(self) -> str:
        return units.province_name(self.province_code)


class Merge(models.Model):
    """One merge of two organisations or two people, with what moved, so it can be undone."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Tổ chức")
        PERSON = "person", _("Nhà khoa học")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    keep_id = models.PositiveBigIntegerField(_("bản ghi giữ lại"))
    remove_id = models.PositiveBigIntegerField(_("bản ghi gộp vào"))
    keep_repr = models.CharField(max_length=500)
    remove_repr = models.CharField(max_length=500)
    moved = models.JSONField(_("các tham chiếu đã chuyển"), default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm gộp"))
    undone_at = models.DateTimeField(_("thời điểm hoàn tác"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("lần gộp bản ghi")
        verbose_name_plural = _("lần gộp bản ghi")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.remove_repr} → {self.keep_repr}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


class DuplicateFlag(models.Model):
    """Two records that are likely the same organisation or person, for staff to decide."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Tổ chức")
        PERSON = "person", _("Nhà khoa học")

    class Reason(models.TextChoices):
        TAX_CODE = "tax_code", _("Trùng mã số thuế")
        NAME = "name", _("Trùng tên")
        NAME_ORGANISATION = "name_org", _("Trùng họ tên và tổ chức")
        ORCID = "orcid", _("Trùng ORCID")

    class Status(models.TextChoices):
        OPEN = "open", _("Chờ xử lý")
        DISMISSED = "dismissed", _("Không trùng")
        MERGED = "merged", _("Đã gộp")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("lý do"), max_length=10, choices=Reason.choices)
    org_a = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    org_b = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person_a = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person_b = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("phát hiện lúc"))
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    merge = models.ForeignKey(
        Merge, null=True, blank=True, on_delete=models.SET_NULL, related_name="flags"
    )

    class Meta:
        verbose_name = _("nghi trùng lặp")
        verbose_name_plural = _("nghi trùng lặp")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="organisation", org_a__isnull=False, org_b__isnull=False)
                    & Q(person_a__isnull=True, person_b__isnull=True)
                )
                | (
                    Q(kind="person", person_a__isnull=False, person_b__isnull=False)
                    & Q(org_a__isnull=True, org_b__isnull=True)
                ),
                name="registry_flag_pair",
            ),
            models.CheckConstraint(
                condition=Q(org_a__lt=models.F("org_b")) | Q(person_a__lt=models.F("person_b")),
                name="registry_flag_ordered",
            ),
            models.UniqueConstraint(
                fields=["org_a", "org_b", "reason"], name="registry_flag_org_once"
            ),
            models.UniqueConstraint(
                fields=["person_a", "person_b", "reason"], name="registry_flag_person_once"
            ),
        ]
        indexes = [models.Index(fields=["agency", "status"], name="registry_flag_agency_status")]

    def __str__(self) -> str:
        return f"{self.a} ≈ {self.b} ({self.get_reason_display()})"

    @property
    def a(self):
        return self.org_a if self.kind == self.Kind.ORGANISATION else self.person_a

    @property
    def b(self):
        return self.org_b if self.kind == self.Kind.ORGANISATION else self.person_b
