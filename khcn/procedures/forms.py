"""Forms of the procedure pages. The filing form is built from the procedure's field specs
(`catalogue.field_specs`) and checked by the same `catalogue.clean_form` the service uses, so
the page and the API give the same Vietnamese messages."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from khcn.core.validators import clean_citizen_id, clean_tax_code
from khcn.procedures import catalogue
from khcn.procedures.models import Dossier, Procedure

DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]
APPLICANT_PREFIX = "nguoi_nop"


def _spec_field(spec: catalogue.FieldSpec) -> forms.Field:
    """A form field that shows the spec; the value is checked by `catalogue.clean_form`."""
    common = {
        "label": spec.label,
        "required": spec.required,
        "help_text": spec.help,
        "error_messages": {"required": _("Cần nhập «%(f)s».") % {"f": spec.label}},
    }
    attrs = {}
    if spec.type == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4, **attrs}), **common)
    if spec.type == "date":
        return forms.CharField(
            widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", **attrs}), **common
        )
    if spec.type == "choice":
        return forms.ChoiceField(choices=[("", "—"), *spec.choices], **common)
    if spec.type == "number":
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "numeric"}), **common)
    if spec.type in ("tax_code", "citizen_id"):
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "numeric"}), **common)
    if spec.type == "email":
        return forms.CharField(widget=forms.EmailInput(attrs=attrs), **common)
    return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)


class FilingForm(forms.Form):
    """The applicant's details and the procedure's form (tờ khai)."""

    agency = forms.ChoiceField(label=_lazy("Nộp đến"), required=True)
    kind = forms.ChoiceField(label=_lazy("Người nộp là"), choices=Dossier.ApplicantKind.choices)
    name = forms.CharField(label=_lazy("Tên tổ chức, cá nhân"), max_length=300)
    tax_code = forms.CharField(
        label=_lazy("Mã số thuế"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_lazy("Tổ chức, doanh nghiệp: 10 chữ số (chi nhánh: 10 số, gạch ngang, 3 số)."),
    )
    citizen_id = forms.CharField(
        label=_lazy("Số căn cước công dân"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_lazy("Cá nhân: 12 chữ số."),
    )
    representative = forms.CharField(
        label=_lazy("Người đại diện theo pháp luật"), max_length=150, required=False
    )
    address = forms.CharField(label=_lazy("Địa chỉ"), max_length=500)
    phone = forms.CharField(label=_lazy("Điện thoại"), max_length=30, required=False)
    email = forms.EmailField(label=_lazy("Thư điện tử"), required=False)

    APPLICANT_FIELDS = (
        "kind",
        "name",
        "tax_code",
        "citizen_id",
        "representative",
        "address",
        "phone",
        "email",
    )

    def __init__(self, *args, procedure: Procedure, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.specs = catalogue.field_specs(procedure)
        self.fields["agency"].choices = [(str(a.pk), a.name) for a in agencies]
        if len(agencies) == 1:  # the only department the user files to: nothing to choose
            self.fields["agency"].widget = forms.HiddenInput()
            self.fields["agency"].required = False
            self.fields["agency"].initial = str(agencies[0].pk)
        if procedure.applicants != Procedure.Applicants.ANY:
            self.fields["kind"].choices = [
                (v, lbl) for v, lbl in Dossier.ApplicantKind.choices if v == procedure.applicants
            ]
        for spec in self.specs:
            self.fields[f"f_{spec.name}"] = _spec_field(spec)

    def applicant_fields(self):
        return [self[name] for name in ("kind", *self.APPLICANT_FIELDS[1:])]

    def spec_fields(self):
        return [(spec, self[f"f_{spec.name}"]) for spec in self.specs]

    def clean(self):
        data = super().clean()
        if not data.get("agency") and len(self.fields["agency"].choices) == 1:
            data["agency"] = self.fields["agency"].choices[0][0]
        kind = data.get("kind")
        if kind == Dossier.ApplicantKind.ORGANISATION or data.get("tax_code"):
            try:
                data["tax_code"] = clean_tax_code(data.get("tax_code") or "")
            except ValidationError as exc:
                self.add_error("tax_code", exc.messages[0])
        if kind == Dossier.ApplicantKind.INDIVIDUAL or data.get("citizen_id"):
            try:
                data["citizen_id"] = clean_citizen_id(data.get("citizen_id") or "")
            except ValidationError as exc:
                self.add_error("citizen_id", exc.messages[0])
        raw = {s.name: data.get(f"f_{s.name}", "") for s in self.specs}
        clean, errors = catalogue.clean_form(self.specs, raw)
        for name, message in errors.items():
            field = f"f_{name}"
            if field in self.fields and field in self.errors:
                continue  # already "Cần nhập …" from the field itself
            self.add_error(field if field in self.fields else None, message)
        data["form_data"] = clean
        return data

    def applicant(self) -> dict:
        return {k: self.cleaned_data.get(k, "") for k in self.APPLICANT_FIELDS}

    def display_form_data(self) -> list[tuple[str, str]]:
        """(label, value as shown) for the review page: dates dd/mm/yyyy, choices by label."""
        return form_data_rows(self.specs, self.cleaned_data.get("form_data", {}))


def form_data_rows(specs, values: dict) -> list[tuple[str, str]]:
    rows = []
    for spec in specs:
        value = values.get(spec.name)
        if value in (None, ""):
            continue
        if spec.type == "date":
            try:
                value = dt.date.fromisoformat(value).strftime("%d/%m/%Y")
            except (TypeError, ValueError):
                pass
        elif spec.type == "choice":
            value = dict(spec.choices).get(value, value)
        elif spec.type == "number":
            value = f"{int(value):,}".replace(",", ".")
        rows.append((spec.label, str(value)))
    return rows


class CounterForm(FilingForm):
    """A paper dossier registered at the one-stop counter: the same fields, the agency is the
    staff member's own."""


class SupplementForm(forms.Form):
    remark = forms.CharField(
        label=_lazy("Ghi chú gửi kèm"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class CertificateIssueForm(forms.Form):
    content = forms.CharField(
        label=_lazy("Nội dung chứng nhận"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=10000,
        help_text=_lazy("Để trống: dùng các sản phẩm KH&CN người nộp đã kê khai."),
    )
    remark = forms.CharField(
        label=_lazy("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ApologyForm(forms.Form):
    new_date = forms.DateField(
        label=_lazy("Ngày hẹn trả kết quả mới"),
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _lazy("Nhập ngày theo dạng dd/mm/yyyy.")},
    )
    reason = forms.CharField(
        label=_lazy("Lý do chậm trả kết quả"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_lazy("Mã hồ sơ"),
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "HP-2026-000123", "autocomplete": "off"}),
    )


def parse_period(params) -> tuple[dt.date, dt.date, str]:
    """(from, to, label) from ?nam=&quy=&thang= or ?tu=&den= (dd/mm/yyyy); the current year
    when nothing usable is given. Raises ValueError with a Vietnamese message on a bad range."""
    from khcn.core import clock
    from khcn.core.calendar import parse_date

    today = clock.today()
    start, end = params.get("tu", "").strip(), params.get("den", "").strip()
    if start or end:
        try:
            a = parse_date(start) if start else dt.date(today.year, 1, 1)
            b = parse_date(end) if end else today
        except ValueError:
            raise ValueError(_("Nhập ngày theo dạng dd/mm/yyyy.")) from None
        if b < a:
            raise ValueError(_("Ngày cuối kỳ phải sau ngày đầu kỳ."))
        return a, b, _("từ %(a)s đến %(b)s") % {"a": f"{a:%d/%m/%Y}", "b": f"{b:%d/%m/%Y}"}
    try:
        year = int(params.get("nam") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), today.year + 1)
    quarter = params.get("quy", "")
    month = params.get("thang", "")
    if month.isdigit() and 1 <= int(month) <= 12:
        m = int(month)
        a = dt.date(year, m, 1)
        b = (dt.date(year + (m == 12), m % 12 + 1, 1)) - dt.timedelta(days=1)
        return a, b, _("tháng %(m)02d/%(y)d") % {"m": m, "y": year}
    if quarter.isdigit() and 1 <= int(quarter) <= 4:
        q = int(quarter)
        a = dt.date(year, 3 * q - 2, 1)
        b = (dt.date(year + (q == 4), (3 * q) % 12 + 1, 1)) - dt.timedelta(days=1)
        return a, b, _("quý %(q)d/%(y)d") % {"q": q, "y": year}
    return dt.date(year, 1, 1), dt.date(year, 12, 31), _("năm %(y)d") % {"y": year}
