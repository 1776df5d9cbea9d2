"""Append-only, hash-chained audit events.

Each event stores the SHA-256 of its predecessor (`prev_hash`) and of itself
(`hash`, over every recorded field and `prev_hash`), and a gap-free sequence
number. Changing, deleting or inserting a row breaks the chain, which
`khcn audit verify` reports. `AuditChain` is a one-row table holding the head
of the chain; writers lock it, which serialises appends on every database.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.IntegerChoices):
    """Action codes. The numbers are stable: never renumber, only append."""

    LOGIN_SUCCEEDED = 1, _("Đăng nhập")
    LOGIN_FAILED = 2, _("Đăng nhập thất bại")
    ACCOUNT_LOCKED = 3, _("Khóa tài khoản do đăng nhập sai nhiều lần")
    ACCOUNT_UNLOCKED = 4, _("Mở khóa tài khoản")
    LOGOUT = 5, _("Đăng xuất")
    PASSWORD_CHANGED = 6, _("Đổi mật khẩu")
    PASSWORD_RESET = 7, _("Đặt lại mật khẩu")
    AGENCY_CREATED = 10, _("Tạo cơ quan")
    AGENCY_UPDATED = 11, _("Sửa thông tin cơ quan")
    USER_CREATED = 20, _("Tạo người dùng")
    USER_UPDATED = 21, _("Sửa người dùng")
    USER_DEACTIVATED = 22, _("Vô hiệu hóa người dùng")
    ROLE_GRANTED = 23, _("Giao vai trò")
    ROLE_REVOKED = 24, _("Thu hồi vai trò")
    USER_ACTIVATED = 25, _("Kích hoạt lại người dùng")
    TOKEN_CREATED = 30, _("Tạo mã truy cập API")
    TOKEN_REVOKED = 31, _("Thu hồi mã truy cập API")
    ATTACHMENT_UPLOADED = 40, _("Tải lên tài liệu")
    ATTACHMENT_VERSION_ADDED = 41, _("Thay thế tài liệu (phiên bản mới)")
    ATTACHMENT_DOWNLOADED = 42, _("Tải xuống tài liệu")
    NOTIFICATION_PREFS_CHANGED = 50, _("Đổi cài đặt thông báo")
    DEMO_LOADED = 60, _("Nạp dữ liệu mẫu")
    CALENDAR_OVERRIDE_CREATED = 70, _("Thêm ngày nghỉ/ngày làm bù")
    CALENDAR_OVERRIDE_UPDATED = 71, _("Sửa ngày nghỉ/ngày làm bù")
    CALENDAR_OVERRIDE_DELETED = 72, _("Xóa ngày nghỉ/ngày làm bù")
    AUDIT_CHAIN_BROKEN = 90, _("Phát hiện nhật ký bị sửa")
    RULESET_LOADED = 100, _("Nạp bộ quy tắc quy trình")
    PROCESS_STARTED = 101, _("Bắt đầu quy trình")
    PROCESS_TRANSITION = 102, _("Chuyển bước quy trình")
    PROCESS_MIGRATED = 103, _("Chuyển hồ sơ sang phiên bản quy tắc mới")
    DEADLINE_WAIVED = 104, _("Miễn thời hạn")
    DEADLINE_MISSED = 105, _("Quá hạn")
    PROCESS_PARTY_ADDED = 106, _("Thêm người tham gia quy trình")
    TEMPLATE_REPLACED = 110, _("Thay mẫu văn bản")
    TEMPLATE_RESET = 111, _("Khôi phục mẫu văn bản gốc")
    PROJECT_PROPOSED = 120, _("Gửi đề xuất nhiệm vụ")
    PROJECT_UPDATED = 121, _("Sửa thông tin nhiệm vụ")
    CALL_OPENED = 122, _("Mở đợt tuyển chọn")
    APPLICATION_SUBMITTED = 123, _("Nộp hồ sơ đăng ký tuyển chọn")
    APPLICATION_REVIEWED = 124, _("Kiểm tra hồ sơ đăng ký")
    APPLICATION_WITHDRAWN = 125, _("Rút hồ sơ đăng ký")
    WINNER_APPLIED = 126, _("Xác định tổ chức chủ trì trúng tuyển")
    CONTRACT_REGISTERED = 127, _("Lập hợp đồng nhiệm vụ")
    DISBURSEMENT_RECORDED = 128, _("Cấp kinh phí")
    PROGRESS_REPORTED = 129, _("Nộp báo cáo định kỳ")
    INSPECTION_SCHEDULED = 130, _("Lên lịch kiểm tra")
    INSPECTION_RECORDED = 131, _("Ghi kết quả kiểm tra")
    CHANGE_REQUESTED = 132, _("Đề nghị điều chỉnh, gia hạn")
    CHANGE_DECIDED = 133, _("Quyết định về đề nghị điều chỉnh")
    PRODUCT_CHANGED = 134, _("Cập nhật sản phẩm nhiệm vụ")
    APPLICATION_REPORTED = 135, _("Báo cáo ứng dụng kết quả")
    DOCUMENT_GENERATED = 136, _("Tạo văn bản")
    COUNCIL_FORMED = 140, _("Thành lập hội đồng")
    COUNCIL_OPENED = 141, _("Mở phiên đánh giá của hội đồng")
    COUNCIL_MEMBER_CHANGED = 142, _("Thay đổi thành viên hội đồng")
    CONFLICT_DECLARED = 143, _("Khai báo xung đột lợi ích")
    BALLOT_SUBMITTED = 144, _("Nộp phiếu đánh giá")
    ATTENDANCE_RECORDED = 145, _("Ghi danh sách có mặt")
    COUNCIL_CLOSED = 146, _("Kết luận của hội đồng")
    # S&T database (registry) 160–189
    REGISTRY_ORGANISATION_CREATED = 160, _("Thêm tổ chức vào CSDL KH&CN")
    REGISTRY_ORGANISATION_UPDATED = 161, _("Sửa thông tin tổ chức")
    REGISTRY_PERSON_CREATED = 162, _("Thêm nhà khoa học vào CSDL KH&CN")
    REGISTRY_PERSON_UPDATED = 163, _("Sửa thông tin nhà khoa học")
    REGISTRY_AFFILIATION_ADDED = 164, _("Thêm quá trình công tác")
    REGISTRY_AFFILIATION_ENDED = 165, _("Kết thúc quá trình công tác")
    REGISTRY_RESULT_CREATED = 166, _("Thêm kết quả KH&CN")
    REGISTRY_RESULT_UPDATED = 167, _("Sửa kết quả KH&CN")
    REGISTRY_IP_ASSET_CREATED = 168, _("Thêm tài sản trí tuệ")
    REGISTRY_IP_ASSET_UPDATED = 169, _("Sửa tài sản trí tuệ")
    REGISTRY_ACCESS_CHANGED = 170, _("Đổi mức truy cập bản ghi")
    REGISTRY_CONSENT_CHANGED = 171, _("Đổi đồng ý công khai thông tin cá nhân")
    REGISTRY_DUPLICATE_FLAGGED = 172, _("Phát hiện bản ghi nghi trùng")
    REGISTRY_DUPLICATE_DISMISSED = 173, _("Xác nhận không trùng")
    REGISTRY_MERGED = 174, _("Gộp bản ghi trùng")
    REGISTRY_MERGE_UNDONE = 175, _("Hoàn tác gộp bản ghi")
    REGISTRY_IMPORTED = 176, _("Nhập dữ liệu vào CSDL KH&CN")
    REGISTRY_EXPORTED = 177, _("Xuất dữ liệu CSDL KH&CN")
    REGISTRY_NATIONAL_EXPORTED = 178, _("Xuất dữ liệu gửi CSDL quốc gia")
    # administrative procedures 190–229
    PROCEDURE_SEEDED = 190, _("Nạp danh mục thủ tục hành chính")
    DOSSIER_SUBMITTED = 191, _("Nộp hồ sơ thủ tục hành chính")
    DOSSIER_REGISTERED = 192, _("Tiếp nhận hồ sơ tại Bộ phận một cửa")
    DOSSIER_SUPPLEMENTED = 193, _("Nộp bổ sung hồ sơ")
    APOLOGY_ISSUED = 194, _("Lập phiếu xin lỗi và hẹn lại ngày trả kết quả")
    CERTIFICATE_ISSUED = 195, _("Cấp giấy chứng nhận")
    CERTIFICATE_AMENDED = 196, _("Cấp thay đổi nội dung giấy chứng nhận")
    CERTIFICATE_REISSUED = 197, _("Cấp lại giấy chứng nhận")
    CERTIFICATE_REVOKED = 198, _("Thu hồi giấy chứng nhận")


class AuditChain(models.Model):
    """The head of the chain: last sequence number and hash. Exactly one row (pk=1)."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"#{self.last_seq}"


class AuditEvent(models.Model):
    seq = models.BigIntegerField(_("số thứ tự"), unique=True, editable=False)
    created_at = models.DateTimeField(_("thời điểm"), db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True, editable=False)
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.PositiveSmallIntegerField(
        _("hành động"), choices=AuditAction.choices, db_index=True
    )
    object_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký hệ thống")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["agency", "-seq"], name="audit_agency_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit events are append-only")

    @property
    def object_type_label(self) -> str:
        """The model's Vietnamese name ("người dùng") rather than its label ("accounts.user")."""
        from django.apps import apps

        if not self.object_type:
            return ""
        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except LookupError:
            return self.object_type

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field that differs."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
