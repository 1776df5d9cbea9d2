from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from khcn.accounts.models import Agency, Role, User
from khcn.accounts.services import AGENCY_FIELDS


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị vô hiệu hóa."),
        "locked": _(
            "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. "
            "Hãy thử lại sau hoặc liên hệ quản trị viên."
        ),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "khcn_login_locked", False):
                raise ValidationError(self.error_messages["locked"], code="locked") from None
            raise


class AgencyForm(forms.ModelForm):
    website = forms.URLField(label=_("trang thông tin"), required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = AGENCY_FIELDS


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Tên đăng nhập"),
        max_length=150,
        regex=r"^[A-Za-z0-9_.-]+$",
        error_messages={"invalid": _("Chỉ dùng chữ không dấu, số và các ký tự . _ -")},
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    organisation = forms.CharField(label=_("Đơn vị công tác"), max_length=255, required=False)
    position = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=Agency.objects.none())
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    password = forms.CharField(
        label=_("Mật khẩu ban đầu"),
        widget=forms.PasswordInput,
        required=False,
        min_length=8,
        help_text=_("Để trống nếu người dùng sẽ tự đặt mật khẩu qua “Quên mật khẩu”."),
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("Tên đăng nhập này đã có người dùng."))
        return username


class UserEditForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "organisation", "position", "is_active"]
        labels = {"email": _("Thư điện tử"), "is_active": _("Đang hoạt động")}
        help_texts = {
            "is_active": _(
                "Bỏ chọn để vô hiệu hóa tài khoản (người dùng không đăng nhập được); "
                "dữ liệu và nhật ký của họ vẫn được giữ."
            )
        }


class GrantRoleForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=Agency.objects.none())
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Tên mã truy cập"),
        max_length=100,
        help_text=_("Ví dụ: “Kết nối phần mềm kế toán”."),
    )
