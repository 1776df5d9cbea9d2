"""Staff forms of the S&T database. They collect raw values only: checking (tax code, ORCID,
dates, administrative units…) is done once, in `validation.py`, through the services, whose
Vietnamese messages are put back on the form's fields (nothing is saved on error)."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from khcn.registry import selectors, units
from khcn.registry.models import Access, IPAsset, Organisation, Person, Result


def _date_input(**kwargs) -> forms.CharField:
    return forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        **kwargs,
    )


def _fields_choice(label, **kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=selectors.field_choices,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Giữ phím Ctrl (⌘ trên máy Mac) để chọn nhiều lĩnh vực."),
        **kwargs,
    )


CHOOSE = _("— Chọn —")


def _blank(choices, empty=CHOOSE):
    return [("", empty), *[(v, label) for v, label in choices if v != ""]]


class RecordForm(forms.Form):
    """Common parts: dates shown dd/mm/yyyy; the access level only when creating (later
    changes go through `access_set`, which is audited on its own)."""

    date_fields: tuple[str, ...] = ()

    def __init__(self, *args, creating: bool = True, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        self.instance = instance
        if not creating:
            self.fields.pop("access", None)

    def initial_from(self, obj) -> dict:
        data = {}
        for name in self.base_fields:
            if not hasattr(obj, name):
                continue
            value = getattr(obj, name)
            if name in self.date_fields:
                value = value.strftime("%d/%m/%Y") if value else ""
            elif hasattr(value, "all"):  # many-to-many
                value = [o.pk for o in value.all()]
            data[name] = "" if value is None else value
        return data

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        for name in data:
            if data[name] is None:
                data[name] = ""
        return data


class OrganisationForm(RecordForm):
    date_fields = ("st_registration_date", "st_enterprise_cert_date")

    name = forms.CharField(label=_("Tên tổ chức"), max_length=500)
    abbreviation = forms.CharField(label=_("Tên viết tắt"), required=False, max_length=60)
    english_name = forms.CharField(label=_("Tên tiếng Anh"), required=False, max_length=500)
    kind = forms.ChoiceField(label=_("Loại hình"), choices=_blank(Organisation.Kind.choices))
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        required=False,
        help_text=_("10 chữ số, hoặc 13 chữ số với đơn vị phụ thuộc (0200167782-001)."),
    )
    fields = _fields_choice(_("Lĩnh vực hoạt động"))
    description = forms.CharField(
        label=_("Giới thiệu"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    address = forms.CharField(label=_("Địa chỉ (số nhà, đường)"), required=False)
    province_code = forms.TypedChoiceField(
        label=_("Tỉnh/thành phố"), required=False, coerce=int, empty_value=None
    )
    ward_code = forms.TypedChoiceField(
        label=_("Phường/xã"), required=False, coerce=int, empty_value=None
    )
    st_registration_no = forms.CharField(
        label=_("Số giấy chứng nhận đăng ký hoạt động KH&CN"), required=False
    )
    st_registration_date = _date_input(label=_("Ngày cấp giấy đăng ký"))
    st_registration_issuer = forms.CharField(label=_("Cơ quan cấp"), required=False)
    st_enterprise_cert_no = forms.CharField(
        label=_("Số giấy chứng nhận doanh nghiệp KH&CN"), required=False
    )
    st_enterprise_cert_date = _date_input(label=_("Ngày cấp giấy chứng nhận doanh nghiệp KH&CN"))
    phone = forms.CharField(label=_("Điện thoại"), required=False)
    email = forms.CharField(label=_("Thư điện tử"), required=False)
    website = forms.CharField(label=_("Trang thông tin"), required=False)
    ror = forms.CharField(label=_("Mã ROR"), required=False, help_text=_("Ví dụ 05kxa7738."))
    access = forms.ChoiceField(label=_("Mức truy cập"), choices=Access.choices, initial="public")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province_code"].choices = _blank(units.province_choices())
        province = (
            self.data.get("province_code") if self.is_bound else self.initial.get("province_code")
        )
        try:
            wards = units.ward_choices(int(province)) if province else []
        except (TypeError, ValueError):
            wards = []
        self.fields["ward_code"].choices = _blank(wards)
        self.fields["province_code"].widget.attrs.update(
            {
                "hx-get": reverse("registry-wards"),
                "hx-target": "#id_ward_code",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
            }
        )


class PersonForm(RecordForm):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=255)
    title = forms.ChoiceField(label=_("Học hàm"), required=False, choices=Person.Title.choices)
    degree = forms.ChoiceField(label=_("Học vị"), required=False, choices=Person.Degree.choices)
    gender = forms.ChoiceField(label=_("Giới tính"), required=False, choices=Person.Gender.choices)
    birth_year = forms.CharField(label=_("Năm sinh"), required=False, max_length=4)
    organisation = forms.TypedChoiceField(
        label=_("Tổ chức đang công tác"), required=False, coerce=int, empty_value=None
    )
    position = forms.CharField(label=_("Chức vụ, vị trí"), required=False, max_length=255)
    fields = _fields_choice(_("Lĩnh vực nghiên cứu"))
    keywords = forms.CharField(
        label=_("Từ khóa chuyên môn"), required=False, help_text=_("Cách nhau bởi dấu phẩy.")
    )
    orcid = forms.CharField(
        label=_("ORCID"), required=False, help_text=_("Ví dụ 0000-0002-1825-0097.")
    )
    email = forms.CharField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), required=False)
    cv_text = forms.CharField(
        label=_("Tóm tắt lý lịch khoa học"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_expert = forms.BooleanField(
        label=_("Chuyên gia tư vấn, đánh giá (đưa vào danh sách chuyên gia hội đồng)"),
        required=False,
    )
    expert_fields = _fields_choice(_("Lĩnh vực tham gia đánh giá"))
    public_consent = forms.BooleanField(
        label=_("Người này đồng ý công khai thông tin cá nhân"),
        required=False,
        help_text=Person._meta.get_field("public_consent").help_text,
    )
    access = forms.ChoiceField(label=_("Mức truy cập"), choices=Access.choices, initial="public")

    def __init__(self, *args, agency=None, creating: bool = True, **kwargs):
        super().__init__(*args, creating=creating, **kwargs)
        if creating:
            orgs = Organisation.objects.active().filter(agency=agency).order_by("name_key")
            self.fields["organisation"].choices = _blank(
                [(o.pk, o.name) for o in orgs.only("pk", "name")], _("— Không —")
            )
        else:
            # organisations over time are kept on the person's page; consent has its own action
            for name in ("organisation", "position", "public_consent"):
                self.fields.pop(name)

    def data_for_service(self) -> dict:
        data = super().data_for_service()
        data.pop("organisation", None)
        data.pop("position", None)
        return data


class ResultForm(RecordForm):
    date_fields = ("registration_date",)

    kind = forms.ChoiceField(label=_("Loại kết quả"), choices=_blank(Result.Kind.choices))
    title = forms.CharField(
        label=_("Tên kết quả"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    year = forms.CharField(label=_("Năm"), max_length=4)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    abstract = forms.CharField(
        label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    keywords = forms.CharField(label=_("Từ khóa"), required=False)
    authors = forms.TypedMultipleChoiceField(
        label=_("Tác giả"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Giữ Ctrl để chọn nhiều người; thứ tự theo danh sách đã chọn."),
    )
    host = forms.TypedChoiceField(
        label=_("Tổ chức chủ trì"), required=False, coerce=int, empty_value=None
    )
    partners = forms.TypedMultipleChoiceField(
        label=_("Tổ chức phối hợp"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    project = forms.CharField(
        label=_("Mã nhiệm vụ KH&CN"),
        required=False,
        help_text=_("Để trống nếu không thuộc nhiệm vụ nào."),
    )
    registration_no = forms.CharField(label=_("Số đăng ký kết quả"), required=False)
    registration_date = _date_input(label=_("Ngày đăng ký"))
    doi = forms.CharField(label=_("DOI"), required=False)
    url = forms.CharField(label=_("Đường dẫn"), required=False)
    access = forms.ChoiceField(label=_("Mức truy cập"), choices=Access.choices, initial="public")

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = _blank(selectors.field_choices())
        people = Person.objects.active().filter(agency=agency).order_by("name_key")
        self.fields["authors"].choices = [(p.pk, p.display_name) for p in people]
        orgs = [
            (o.pk, o.name)
            for o in Organisation.objects.active().filter(agency=agency).order_by("name_key")
        ]
        self.fields["host"].choices = _blank(orgs, _("— Không —"))
        self.fields["partners"].choices = orgs

    def initial_from(self, obj) -> dict:
        data = super().initial_from(obj)
        data["field"] = obj.field_id or ""
        data["project"] = obj.project.code if obj.project_id else ""
        data["authors"] = [a.person_id for a in obj.authorships.order_by("order", "pk")]
        links = list(obj.result_orgs.all())
        hosts = [link.organisation_id for link in links if link.role == "host"]
        data["host"] = hosts[0] if hosts else ""
        data["partners"] = [link.organisation_id for link in links if link.role != "host"]
        return data


class IPAssetForm(RecordForm):
    date_fields = ("application_date", "certificate_date", "expiry_date")

    kind = forms.ChoiceField(label=_("Loại"), choices=_blank(IPAsset.Kind.choices))
    name = forms.CharField(label=_("Tên"), max_length=255)
    product = forms.CharField(label=_("Sản phẩm mang nhãn hiệu/chỉ dẫn"), required=False)
    holder = forms.TypedChoiceField(
        label=_("Chủ thể quản lý/chủ sở hữu"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("Tình trạng"), choices=IPAsset.Status.choices)
    region = forms.CharField(label=_("Khu vực địa lý"), required=False)
    province_code = forms.TypedChoiceField(
        label=_("Tỉnh/thành phố"), required=False, coerce=int, empty_value=None
    )
    description = forms.CharField(
        label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    application_no = forms.CharField(label=_("Số đơn"), required=False)
    application_date = _date_input(label=_("Ngày nộp đơn"))
    certificate_no = forms.CharField(label=_("Số văn bằng"), required=False)
    certificate_date = _date_input(label=_("Ngày cấp văn bằng"))
    expiry_date = _date_input(label=_("Hiệu lực đến"))
    project = forms.CharField(label=_("Mã nhiệm vụ hỗ trợ"), required=False)
    access = forms.ChoiceField(label=_("Mức truy cập"), choices=Access.choices, initial="public")

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.active().filter(agency=agency).order_by("name_key")
        self.fields["holder"].choices = _blank([(o.pk, o.name) for o in orgs], _("— Không —"))
        self.fields["province_code"].choices = _blank(units.province_choices())

    def initial_from(self, obj) -> dict:
        data = super().initial_from(obj)
        data["holder"] = obj.holder_id or ""
        data["project"] = obj.project.code if obj.project_id else ""
        return data


class AffiliationForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Tổ chức"), coerce=int)
    position = forms.CharField(label=_("Chức vụ, vị trí"), required=False, max_length=255)
    start = _date_input(label=_("Từ ngày"))
    end = _date_input(label=_("Đến ngày"), help_text=_("Để trống nếu đang công tác."))

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.active().filter(agency=agency).order_by("name_key")
        self.fields["organisation"].choices = _blank([(o.pk, o.name) for o in orgs])


class AccessForm(forms.Form):
    access = forms.ChoiceField(label=_("Mức truy cập"), choices=Access.choices)
