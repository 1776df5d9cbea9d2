"""The form for one workflow step, built from the fields the rule set declares."""

from django import forms
from django.utils.translation import gettext_lazy as _

from khcn.workflow.definition import Transition

DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]


def _field(spec) -> forms.Field:
    common = {"label": spec.label, "required": spec.required, "help_text": spec.help}
    if spec.type == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=10000, **common)
    if spec.type == "date":
        return forms.DateField(
            input_formats=DATE_INPUTS,
            widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
            error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
            **common,
        )
    if spec.type == "integer":
        return forms.IntegerField(min_value=0, **common)
    if spec.type == "money":
        return forms.CharField(
            max_length=30, widget=forms.TextInput(attrs={"inputmode": "numeric"}), **common
        )
    if spec.type == "choice":
        return forms.ChoiceField(choices=[("", "—"), *spec.choices], **common)
    if spec.type == "boolean":
        return forms.BooleanField(**{**common, "required": False})
    return forms.CharField(max_length=500, **common)


class StepForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, transition: Transition, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        for spec in transition.fields:
            self.fields[spec.name] = _field(spec)
        if transition.remark != "none":
            self.fields["remark"] = forms.CharField(
                label=_("Ý kiến / lý do") if transition.remark == "required" else _("Ghi chú"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=transition.remark == "required",
                max_length=5000,
            )

    def step_data(self) -> dict:
        """The cleaned values in the engine's terms (dates as ISO text)."""
        data = {}
        for spec in self.transition.fields:
            value = self.cleaned_data.get(spec.name)
            if value in (None, "") and spec.type != "boolean":
                continue
            data[spec.name] = value.isoformat() if hasattr(value, "isoformat") else value
        return data


class WaiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do miễn thời hạn"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
