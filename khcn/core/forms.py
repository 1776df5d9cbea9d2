from django import forms
from django.utils.translation import gettext_lazy as _

from khcn.core.models import Attachment


class AttachmentForm(forms.Form):
    title = forms.CharField(
        label=_("Tên tài liệu"),
        max_length=255,
        required=False,
        help_text=_("Để trống để dùng tên tệp."),
    )
    category = forms.ChoiceField(label=_("Loại"), choices=Attachment.Category.choices)
    description = forms.CharField(
        label=_("Mô tả"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    file = forms.FileField(label=_("Tệp"), error_messages={"required": _("Hãy chọn một tệp.")})


class ReplaceForm(forms.Form):
    file = forms.FileField(label=_("Tệp mới"), error_messages={"required": _("Hãy chọn một tệp.")})
    note = forms.CharField(label=_("Ghi chú thay đổi"), max_length=255, required=False)
