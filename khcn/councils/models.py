"""Advisory councils (hội đồng tư vấn): members, conflict declarations, ballots, results.

A council's own small lifecycle (forming → open → closed) is the table
`Council.ALLOWED`; `services.council_set_state` is the one place that moves it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CouncilKind(models.TextChoices):
    IDENTIFICATION = "identification", _("Hội đồng tư vấn xác định nhiệm vụ")
    SELECTION = "selection", _("Hội đồng tư vấn tuyển chọn")
    ACCEPTANCE = "acceptance", _("Hội đồng đánh giá, nghiệm thu")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chủ tịch")
    VICE_CHAIR = "vice_chair", _("Phó Chủ tịch")
    REVIEWER = "reviewer", _("Ủy viên phản biện")
    SECRETARY = "secretary", _("Thư ký khoa học")
    MEMBER = "member", _("Ủy viên")


class Council(models.Model):
    ATTACHMENT_ACTIONS = {"view": "council.view", "upload": "council.manage"}

    class State(models.TextChoices):
        FORMING = "forming", _("Đang thành lập")
        OPEN = "open", _("Đang đánh giá")
        CLOSED = "closed", _("Đã kết luận")

    ALLOWED = {State.FORMING: {State.OPEN}, State.OPEN: {State.CLOSED}, State.CLOSED: set()}

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="councils"
    )
    kind = models.CharField(_("loại hội đồng"), max_length=20, choices=CouncilKind.choices)
    state = models.CharField(
        _("tình trạng"),
        max_length=10,
        choices=State.choices,
        default=State.FORMING,
        editable=False,
    )
    decision_no = models.CharField(_("số quyết định thành lập"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    meeting_date = models.DateField(_("ngày họp"))
    meeting_place = models.CharField(_("địa điểm họp"), max_length=255, blank=True)
    # the rule values in force when the council was formed (from the task's rule set version)
    rules = models.JSONField(default=dict, editable=False)
    result = models.JSONField(default=dict, blank=True, editable=False)
    outcome = models.CharField(_("kết luận"), max_length=20, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("hội đồng")
        ordering = ["-decision_date", "-pk"]
        constraints = [
            # one live council of each kind per task; a closed one stays as history
            models.UniqueConstraint(
                fields=["project", "kind"],
                condition=~Q(state="closed"),
                name="council_one_live_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.project.code}"


class CouncilMember(models.Model):
    class Conflict(models.TextChoices):
        PENDING = "pending", _("Chưa khai báo")
        NONE = "none", _("Không có xung đột lợi ích")
        DECLARED = "declared", _("Có xung đột lợi ích")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats"
    )
    role = models.CharField(_("vai trò"), max_length=12, choices=MemberRole.choices)
    degree = models.CharField(_("học hàm, học vị"), max_length=60, blank=True)
    organisation = models.CharField(_("cơ quan công tác"), max_length=255, blank=True)
    conflict = models.CharField(
        _("xung đột lợi ích"), max_length=10, choices=Conflict.choices, default=Conflict.PENDING
    )
    conflict_note = models.TextField(_("nội dung xung đột"), blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    present = models.BooleanField(_("có mặt"), null=True, blank=True)
    authorised = models.BooleanField(_("được chủ tịch ủy quyền"), default=False)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thành viên hội đồng")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "expert"],
                condition=Q(removed_at__isnull=True),
                name="council_member_once",
            )
        ]
        indexes = [models.Index(fields=["expert", "conflict"], name="member_expert")]

    def __str__(self) -> str:
        return f"{self.expert} ({self.get_role_display()})"

    @property
    def active(self) -> bool:
        return self.removed_at is None

    @property
    def cleared(self) -> bool:
        """Declared no conflict, so may read the dossier and vote."""
        return self.removed_at is None and self.conflict == self.Conflict.NONE


class Ballot(models.Model):
    """One member's ballot or score sheet; for selection, one per application."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="ballots")
    application = models.ForeignKey(
        "projects.Application", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    payload = models.JSONField(_("nội dung phiếu"))
    comment = models.TextField(_("ý kiến"), blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("phiếu đánh giá")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(application__isnull=True), name="ballot_once"
            ),
            models.UniqueConstraint(
                fields=["member", "application"],
                condition=Q(application__isnull=False),
                name="ballot_once_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.submitted_at:%d/%m/%Y %H:%M}"
