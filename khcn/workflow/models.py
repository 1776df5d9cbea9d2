"""Rule set versions, the records that follow them, their history and deadlines.

A `Process` is one record's journey through a rule set (an S&T task, a
dossier); the domain record points to it. Its `state` is written only by the
engine (`khcn.workflow.engine`). It is pinned to the `RuleSetVersion` it
started under; a newer version changes nothing until staff migrate it.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class RuleSetVersion(models.Model):
    code = models.CharField(_("mã bộ quy tắc"), max_length=50)
    version = models.PositiveIntegerField(_("phiên bản"))
    title = models.CharField(_("tên"), max_length=255)
    definition = models.JSONField(_("nội dung"))
    checksum = models.CharField(max_length=64)
    source_file = models.CharField(_("tệp nguồn"), max_length=255, blank=True)
    loaded_at = models.DateTimeField(_("thời điểm nạp"), auto_now_add=True)
    is_current = models.BooleanField(_("phiên bản hiện hành"), default=True)

    class Meta:
        verbose_name = _("phiên bản bộ quy tắc")
        verbose_name_plural = _("bộ quy tắc quy trình")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="ruleset_code_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(is_current=True), name="ruleset_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def rules(self):
        """The parsed rule set (cached per version: versions never change once stored)."""
        from khcn.workflow.loader import parsed

        return parsed(self)


class Process(models.Model):
    ATTACHMENT_ACTIONS = {"view": "workflow.view", "upload": "workflow.attach"}

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT
    )
    ruleset = models.ForeignKey(
        RuleSetVersion,
        verbose_name=_("bộ quy tắc"),
        on_delete=models.PROTECT,
        related_name="processes",
    )
    title = models.CharField(_("tên hồ sơ"), max_length=500)
    reference = models.CharField(_("số hiệu"), max_length=60, blank=True)
    state = models.CharField(_("trạng thái"), max_length=50, db_index=True, editable=False)
    state_entered_at = models.DateTimeField(_("vào trạng thái lúc"), editable=False)
    data = models.JSONField(_("dữ liệu quy trình"), default=dict, blank=True)
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.CharField(max_length=64, null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    started_at = models.DateTimeField(_("bắt đầu lúc"), auto_now_add=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)
    # The soonest running (open or missed, not paused) deadline, kept by the engine so that
    # lists of 100,000 records sort and filter by it through an index, without a join.
    next_due = models.DateField(_("hạn gần nhất"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("hồ sơ quy trình")
        verbose_name_plural = _("hồ sơ quy trình")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["agency", "ruleset", "state"], name="process_agency_state"),
            models.Index(fields=["subject_type", "subject_id"], name="process_subject"),
            models.Index(fields=["agency", "closed_at", "next_due"], name="process_agency_due"),
            # a step's records, nearest deadline first (the task list filtered by step)
            models.Index(fields=["state", "next_due"], name="process_state_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @cached_property
    def rules(self):
        return self.ruleset.rules

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("rules", None)
        super().refresh_from_db(*args, **kwargs)

    @property
    def state_label(self) -> str:
        return self.rules.state(self.state).label

    @property
    def public_state_label(self) -> str:
        return self.rules.state(self.state).public_label

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ProcessParty(models.Model):
    """An outside person's role on one record (the host organisation's user, the applicant)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="parties")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="process_roles"
    )
    role = models.CharField(_("vai trò"), max_length=20)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("người tham gia")
        verbose_name_plural = _("người tham gia")
        constraints = [
            models.UniqueConstraint(fields=["process", "user", "role"], name="party_unique"),
        ]
        indexes = [models.Index(fields=["user", "role"], name="party_user_role")]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class ProcessEvent(models.Model):
    """One step in a record's history: who did what, when, from which state to which."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(_("hành động"), max_length=60)
    label = models.CharField(_("bước"), max_length=255)
    from_state = models.CharField(_("từ trạng thái"), max_length=50, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    data = models.JSONField(default=dict, blank=True)
    remark = models.TextField(_("ý kiến"), blank=True)
    ruleset = models.ForeignKey(RuleSetVersion, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = _("lịch sử xử lý")
        ordering = ["process", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["process", "seq"], name="process_event_seq"),
        ]
        indexes = [models.Index(fields=["process", "action"], name="process_event_action")]

    def __str__(self) -> str:
        return f"{self.process_id}#{self.seq} {self.action}"


class Deadline(models.Model):
    """A legal time limit of one record, kept as a row so lists can sort and filter by it.

    `closed_on` is empty while the rule applies (the record is in one of the
    rule's states); an open deadline whose date has passed becomes `missed`
    (by the daily job, or when the record moves on late).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Đang chạy")
        MET = "met", _("Đúng hạn")
        MISSED = "missed", _("Quá hạn")
        WAIVED = "waived", _("Được miễn")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="deadlines")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("mã thời hạn"), max_length=60)
    label = models.CharField(_("thời hạn"), max_length=255)
    due = models.DateField(_("hạn"))
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    responsible = models.CharField(_("trách nhiệm"), max_length=20)
    remind_on = models.DateField(_("nhắc từ ngày"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    auto_done_at = models.DateTimeField(null=True, blank=True)
    opened_on = models.DateField(_("bắt đầu tính"))
    missed_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(_("kết thúc"), null=True, blank=True)
    paused_since = models.DateField(_("tạm dừng từ"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("số ngày làm việc đã tạm dừng"), default=0)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("thời hạn")
        verbose_name_plural = _("thời hạn")
        ordering = ["due", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "key"],
                condition=Q(closed_on__isnull=True),
                name="deadline_one_active_per_key",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "due"],
                condition=Q(closed_on__isnull=True),
                name="deadline_active_due",
            ),
            models.Index(
                fields=["remind_on"],
                condition=Q(closed_on__isnull=True, reminded_at__isnull=True),
                name="deadline_to_remind",
            ),
            models.Index(fields=["agency", "due"], name="deadline_agency_due"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.due:%d/%m/%Y})"

    @property
    def is_active(self) -> bool:
        return self.closed_on is None
