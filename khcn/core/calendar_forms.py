from django import forms
from django.utils.translation import gettext_lazy as _

from khcn.core.calendar import MAX_YEAR, MIN_YEAR
from khcn.core.models import CalendarOverride

NATIONAL = "national"  # the scope choice for "every agency"


class OverrideForm(forms.Form):
    """A day off or make-up day. With `agencies`, the form also asks where it applies."""

    scope = forms.ChoiceField(
        label=_("Áp dụng cho"), error_messages={"required": _("Hãy chọn nơi áp dụng.")}
    )
    date = forms.DateField(
        label=_("Ngày"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
        ),
        error_messages={
            "required": _("Hãy nhập ngày."),
            "invalid": _("Ngày phải có dạng dd/mm/yyyy, ví dụ 02/01/2026."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Loại"),
        choices=CalendarOverride.Kind.choices,
        error_messages={"required": _("Hãy chọn ngày nghỉ hay ngày làm việc.")},
    )
    name = forms.CharField(
        label=_("Tên ngày"),
        max_length=150,
        help_text=_("Ví dụ: Nghỉ bù Tết Dương lịch; Làm bù cho ngày 02/01."),
        error_messages={"required": _("Hãy nhập tên ngày.")},
    )
    legal_document = forms.CharField(
        label=_("Văn bản công bố"),
        max_length=255,
        help_text=_(
            "Số, ký hiệu và ngày của văn bản, ví dụ: Thông báo 6150/TB-BNV ngày 14/11/2025."
        ),
        error_messages={"required": _("Hãy ghi văn bản công bố ngày này.")},
    )
    note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, agencies=None, national: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is None:
            del self.fields["scope"]
        else:
            choices = [(str(a.pk), str(a.name)) for a in agencies]
            if national:
                choices.append((NATIONAL, _("Mọi cơ quan (theo thông báo của Chính phủ)")))
            self.fields["scope"].choices = choices

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise forms.ValidationError(
                _("Năm phải trong khoảng %(min)s–%(max)s."),
                params={"min": MIN_YEAR, "max": MAX_YEAR},
            )
        return day
