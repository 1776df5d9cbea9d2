"""Forms of the task pages: they parse what people type (dd/mm/yyyy, 1.250.000) and leave
the business rules to the services."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from khcn.core.calendar import parse_date
from khcn.projects.models import (
    BudgetLine,
    ChangeRequest,
    Contract,
    Disbursement,
    Inspection,
    Kind,
    Level,
    ScienceField,
)


class VNDateField(forms.CharField):
    """A date typed as dd/mm/yyyy (or yyyy-mm-dd)."""

    widget = forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def prepare_value(self, value):
        return f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else value


class MoneyField(forms.CharField):
    """An amount in đồng typed with or without thousands dots; checked by the services."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "0"})


class ProposalForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=None, label=_("Gửi đến"), empty_label=None)
    title = forms.CharField(label=_("Tên nhiệm vụ đề xuất"), max_length=500)
    kind = forms.ChoiceField(label=_("Loại nhiệm vụ"), choices=Kind.choices)
    level = forms.ChoiceField(label=_("Cấp"), choices=Level.choices, initial=Level.PROVINCIAL)
    field = forms.ChoiceField(label=_("Lĩnh vực"), choices=ScienceField.choices)
    year = forms.IntegerField(label=_("Năm kế hoạch"))
    proposer_org = forms.CharField(label=_("Đơn vị đề xuất"), max_length=255)
    problem = forms.CharField(
        label=_("Vấn đề cần giải quyết"), widget=forms.Textarea(attrs={"rows": 3})
    )
    objectives = forms.CharField(label=_("Mục tiêu"), widget=forms.Textarea(attrs={"rows": 3}))
    expected_products = forms.CharField(
        label=_("Sản phẩm dự kiến"), widget=forms.Textarea(attrs={"rows": 3})
    )
    application_place = forms.CharField(
        label=_("Nơi dự kiến ứng dụng kết quả"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ApplicationForm(forms.Form):
    organisation = forms.CharField(label=_("Tổ chức đăng ký chủ trì"), max_length=255)
    leader_name = forms.CharField(label=_("Chủ nhiệm nhiệm vụ"), max_length=255)
    leader_degree = forms.CharField(label=_("Học hàm, học vị"), max_length=60, required=False)
    months = forms.IntegerField(label=_("Thời gian thực hiện (tháng)"), min_value=1, max_value=60)
    summary = forms.CharField(
        label=_("Tóm tắt thuyết minh"), widget=forms.Textarea(attrs={"rows": 4})
    )
    recent_excellent = forms.BooleanField(
        label=_("Chủ nhiệm có nhiệm vụ cấp quốc gia xếp loại «Xuất sắc» trong 5 năm gần đây"),
        required=False,
    )
    description_file = forms.FileField(label=_("Thuyết minh nhiệm vụ (PDF, DOCX)"))


BUDGET_ROWS = [(c, s) for c in BudgetLine.Category.values for s in BudgetLine.Source.values]
TEAM_ROWS = 6


def budget_rows(data) -> list[dict]:
    """Budget grid inputs `budget-<category>-<source>` as service rows."""
    rows = []
    for category, source in BUDGET_ROWS:
        value = (data.get(f"budget-{category}-{source}") or "").strip()
        if value:
            rows.append({"category": category, "source": source, "amount": value})
    return rows


def team_rows(data, files) -> tuple[list[dict], dict]:
    members, cvs = [], {}
    for i in range(TEAM_ROWS):
        name = (data.get(f"team-{i}-name") or "").strip()
        if not name:
            continue
        if files.get(f"team-{i}-cv"):
            cvs[len(members)] = files[f"team-{i}-cv"]
        members.append(
            {
                "name": name,
                "degree": data.get(f"team-{i}-degree", ""),
                "role": data.get(f"team-{i}-role", ""),
                "organisation": data.get(f"team-{i}-organisation", ""),
            }
        )
    return members, cvs


class ReviewForm(forms.Form):
    complete = forms.TypedChoiceField(
        label=_("Kết quả kiểm tra"),
        choices=[("1", _("Hồ sơ hợp lệ")), ("0", _("Hồ sơ không hợp lệ"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ContractForm(forms.Form):
    number = forms.CharField(label=_("Số hợp đồng"), max_length=60)
    signed_date = VNDateField(label=_("Ngày ký"))
    lump_sum = forms.ChoiceField(label=_("Phương thức khoán chi"), choices=Contract.LumpSum.choices)
    host_representative = forms.CharField(
        label=_("Đại diện tổ chức chủ trì (bên B)"), max_length=255, required=False
    )


TRANCHE_ROWS = 5


def tranche_rows(data) -> tuple[list[dict], dict]:
    rows, errors = [], {}
    for i in range(TRANCHE_ROWS):
        milestone = (data.get(f"tranche-{i}-milestone") or "").strip()
        amount = (data.get(f"tranche-{i}-amount") or "").strip()
        planned = (data.get(f"tranche-{i}-planned") or "").strip()
        if not (milestone or amount or planned):
            continue
        try:
            planned_date = parse_date(planned) if planned else None
        except ValueError as exc:
            errors[f"tranches.{i}"] = str(exc)
            planned_date = None
        rows.append({"milestone": milestone, "amount": amount, "planned_date": planned_date})
    return rows, errors


class DisbursementForm(forms.Form):
    tranche = forms.ModelChoiceField(queryset=None, label=_("Đợt"), empty_label=None)
    kind = forms.ChoiceField(label=_("Hình thức"), choices=Disbursement.Kind.choices)
    amount = MoneyField(label=_("Số tiền (đồng)"))
    paid_on = VNDateField(label=_("Ngày chi"))
    reference = forms.CharField(label=_("Số chứng từ"), max_length=60, required=False)

    def __init__(self, *args, tranches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tranche"].queryset = tranches
        self.fields["tranche"].label_from_instance = lambda t: f"{t.seq}. {t.milestone}"


class ProgressReportForm(forms.Form):
    period = forms.CharField(label=_("Kỳ báo cáo"), max_length=60)
    progress = forms.IntegerField(label=_("Khối lượng hoàn thành (%)"), min_value=0, max_value=100)
    spent = MoneyField(label=_("Kinh phí đã sử dụng (đồng)"))
    content = forms.CharField(
        label=_("Nội dung đã thực hiện"), widget=forms.Textarea(attrs={"rows": 4})
    )


class InspectionForm(forms.Form):
    scheduled_on = VNDateField(label=_("Ngày kiểm tra"))
    noticed_on = VNDateField(label=_("Ngày thông báo cho tổ chức chủ trì"))
    inspectors = forms.CharField(label=_("Thành phần đoàn kiểm tra"), max_length=500)


class InspectionResultForm(forms.Form):
    done_on = VNDateField(label=_("Ngày thực hiện"))
    conclusion = forms.ChoiceField(label=_("Kết luận"), choices=Inspection.Conclusion.choices)
    findings = forms.CharField(
        label=_("Kết quả kiểm tra"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại đề nghị"), choices=ChangeRequest.Kind.choices)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))
    content = forms.CharField(
        label=_("Nội dung điều chỉnh (nội dung, sản phẩm, thành viên)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    new_end_date = VNDateField(label=_("Ngày kết thúc đề nghị (gia hạn)"), required=False)
    move_from = forms.ChoiceField(label=_("Điều chuyển từ khoản"), required=False)
    move_to = forms.ChoiceField(label=_("sang khoản"), required=False)
    move_amount = MoneyField(label=_("Số tiền điều chuyển (đồng)"), required=False)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        mine = [("", "—")] + [
            (
                f"{ln.category}/{ln.source}",
                f"{ln.get_category_display()} ({ln.get_source_display()})",
            )
            for ln in lines
        ]
        every = [("", "—")] + [
            (f"{c}/{s}", f"{BudgetLine.Category(c).label} ({BudgetLine.Source(s).label})")
            for c, s in BUDGET_ROWS
        ]
        self.fields["move_from"].choices = mine
        self.fields["move_to"].choices = every


class ChangeDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Quyết định"),
        choices=[("1", _("Chấp thuận")), ("0", _("Không chấp thuận"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decision_no = forms.CharField(label=_("Số văn bản chấp thuận"), max_length=60, required=False)
    remark = forms.CharField(
        label=_("Ý kiến / lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Tên sản phẩm"), max_length=500)
    unit = forms.CharField(label=_("Đơn vị"), max_length=40, required=False)
    quantity = forms.IntegerField(label=_("Số lượng"), min_value=1, initial=1)
    requirement = forms.CharField(label=_("Yêu cầu khoa học, kỹ thuật"), required=False)


class ApplicationReportForm(forms.Form):
    place = forms.CharField(label=_("Địa chỉ ứng dụng"), max_length=500)
    confirmed_by = forms.CharField(label=_("Cơ quan xác nhận"), max_length=255, required=False)
    reported_on = VNDateField(label=_("Ngày báo cáo"))
    description = forms.CharField(
        label=_("Kết quả ứng dụng"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CallForm(forms.Form):
    code = forms.CharField(label=_("Mã đợt"), max_length=40)
    title = forms.CharField(label=_("Tên đợt tuyển chọn"), max_length=500)
    year = forms.IntegerField(label=_("Năm kế hoạch"))
    open_date = VNDateField(label=_("Ngày đăng thông báo"))
    close_date = VNDateField(label=_("Hạn nhận hồ sơ"))
    decision_no = forms.CharField(
        label=_("Số quyết định phê duyệt danh mục"), max_length=60, required=False
    )
    projects = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Nhiệm vụ đưa vào đợt"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, ordered, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = ordered
        self.fields["projects"].label_from_instance = lambda p: f"{p.code} – {p.title}"


class DirectHostForm(forms.Form):
    host_user = forms.ModelChoiceField(queryset=None, label=_("Tài khoản đại diện tổ chức chủ trì"))
    host_org = forms.CharField(label=_("Tổ chức chủ trì"), max_length=255)
    leader_name = forms.CharField(label=_("Chủ nhiệm nhiệm vụ"), max_length=255)

    def __init__(self, *args, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_user"].queryset = hosts
        self.fields["host_user"].label_from_instance = lambda u: (
            f"{u.full_name} ({u.organisation or u.username})"
        )
