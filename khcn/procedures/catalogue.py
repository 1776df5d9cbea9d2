"""The department's administrative procedures, as seed data, and the form-field checks.

Codes: the national procedure codes (Cổng Dịch vụ công quốc gia, "1.00xxxx") could not be
verified while writing this seed, so every code here is a department-local code
(`code_kind = "local"`); a department replaces it with the national code when it checks
its province's published list. Time limits are not here: each procedure names the rule
set (`ruleset_code`) whose deadlines carry the limit and its legal source.

Form fields (`FieldSpec`) are checked by `clean_form` with one Vietnamese message per
problem; types: text, textarea, date, number, tax_code, citizen_id, choice, email, phone.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from khcn.core.calendar import parse_date
from khcn.core.files import ALLOWED_TYPES
from khcn.core.validators import clean_citizen_id, clean_tax_code

FIELD_TYPES = (
    "text",
    "textarea",
    "date",
    "number",
    "tax_code",
    "citizen_id",
    "choice",
    "email",
    "phone",
)
MAX_TEXT = {"text": 500, "textarea": 10000}
_PHONE = re.compile(r"^\+?[\d .()-]{8,20}$")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    type: str = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""

    @classmethod
    def from_json(cls, item: dict) -> "FieldSpec":
        return cls(
            name=item["name"],
            label=item["label"],
            type=item.get("type", "text"),
            required=bool(item.get("required", False)),
            choices=tuple(tuple(c) for c in item.get("choices", ())),
            help=item.get("help", ""),
        )


def field_specs(procedure) -> list[FieldSpec]:
    return [FieldSpec.from_json(item) for item in procedure.form_fields or []]


def _clean_one(spec: FieldSpec, value):
    text = value.strip() if isinstance(value, str) else value
    if spec.type in MAX_TEXT:
        text = str(text)
        if "\x00" in text:
            raise ValueError(_("chứa ký tự không hợp lệ"))
        if len(text) > MAX_TEXT[spec.type]:
            raise ValueError(_("dài quá %(n)d ký tự") % {"n": MAX_TEXT[spec.type]})
        return text
    if spec.type == "date":
        try:
            day = text if isinstance(text, dt.date) else parse_date(str(text))
        except ValueError:
            raise ValueError(_("không phải ngày hợp lệ (dd/mm/yyyy)")) from None
        return day.isoformat()
    if spec.type == "number":
        raw = str(text).replace(".", "").replace(" ", "") if isinstance(text, str) else text
        if isinstance(raw, bool) or not re.fullmatch(r"\d{1,15}", str(raw)):
            raise ValueError(_("phải là số nguyên không âm"))
        return int(raw)
    if spec.type in ("tax_code", "citizen_id"):
        cleaner = clean_tax_code if spec.type == "tax_code" else clean_citizen_id
        try:
            return cleaner(str(text))
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None
    if spec.type == "choice":
        if str(text) not in {c for c, _label in spec.choices}:
            raise ValueError(_("không nằm trong các lựa chọn"))
        return str(text)
    if spec.type == "email":
        try:
            validate_email(str(text))
        except ValidationError:
            raise ValueError(_("không phải địa chỉ thư điện tử hợp lệ")) from None
        return str(text)
    if spec.type == "phone":
        if not _PHONE.match(str(text)):
            raise ValueError(_("không phải số điện thoại hợp lệ"))
        return str(text)
    raise ValueError(spec.type)


def clean_form(specs: list[FieldSpec], data) -> tuple[dict, dict[str, str]]:
    """(clean values, errors by field name) for a procedure's form; unknown names are errors."""
    if not isinstance(data, dict):
        return {}, {"form_data": _("Tờ khai phải là một đối tượng JSON.")}
    known = {s.name for s in specs}
    errors = {
        name: _("Trường «%(f)s» không có trong tờ khai của thủ tục.") % {"f": name}
        for name in data
        if name not in known
    }
    clean = {}
    for spec in specs:
        value = data.get(spec.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if spec.required:
                errors[spec.name] = _("Cần nhập «%(f)s».") % {"f": spec.label}
            continue
        try:
            clean[spec.name] = _clean_one(spec, value)
        except ValueError as exc:
            errors[spec.name] = _("«%(f)s» %(e)s.") % {"f": spec.label, "e": exc}
    return clean, errors


def check_seed() -> list[str]:
    """Problems in the seed itself (used by the tests): unknown field types, file types."""
    problems = []
    for proc in PROCEDURES:
        for item in proc["form_fields"]:
            if item.get("type", "text") not in FIELD_TYPES:
                problems.append(f"{proc['code']}: {item['name']} type {item.get('type')}")
        for doc in proc["documents"]:
            for ext in doc.get("accepted_types", "pdf").split(","):
                if ext not in ALLOWED_TYPES:
                    problems.append(f"{proc['code']}: {doc['key']} accepts {ext}")
    return problems


# --- the seed --------------------------------------------------------------------------------------

ST_UNIT = "Phòng Quản lý công nghệ và Thị trường công nghệ"
SCIENCE_UNIT = "Phòng Quản lý khoa học"
STEPS = (
    "Bước 1: Tổ chức, cá nhân nộp hồ sơ trực tuyến trên Hệ thống thông tin giải quyết thủ tục "
    "hành chính hoặc trực tiếp tại Bộ phận Một cửa của Sở Khoa học và Công nghệ; nhận giấy "
    "tiếp nhận hồ sơ và hẹn trả kết quả có mã hồ sơ.\n"
    "Bước 2: Sở kiểm tra tính hợp lệ của hồ sơ; nếu chưa đầy đủ, hợp lệ thì thông báo một "
    "lần bằng văn bản để tổ chức, cá nhân bổ sung, hoàn thiện (thời gian bổ sung không tính "
    "vào thời hạn giải quyết).\n"
    "Bước 3: Sở thẩm định hồ sơ (lấy ý kiến chuyên gia, hội đồng tư vấn khi cần) và trình "
    "lãnh đạo Sở quyết định.\n"
    "Bước 4: Sở cấp kết quả hoặc trả lời bằng văn bản, nêu rõ lý do nếu từ chối; tổ chức, "
    "cá nhân nhận kết quả trực tuyến hoặc tại Bộ phận Một cửa."
)
APPLICATION = {"key": "don", "mandatory": True, "accepted_types": "pdf,docx", "form_code": "don"}

CERT_NUMBER = {
    "name": "certificate_number",
    "label": "Số giấy chứng nhận đã được cấp",
    "type": "text",
    "required": True,
}
ENTERPRISE_FIELDS = [
    {
        "name": "business_reg_no",
        "label": "Số Giấy chứng nhận đăng ký doanh nghiệp",
        "type": "text",
        "required": True,
    },
    {
        "name": "founded_on",
        "label": "Ngày thành lập doanh nghiệp",
        "type": "date",
        "required": True,
    },
    {
        "name": "st_results",
        "label": "Kết quả khoa học và công nghệ doanh nghiệp sở hữu hoặc được chuyển giao",
        "type": "textarea",
        "required": True,
    },
    {
        "name": "st_products",
        "label": "Sản phẩm hình thành từ kết quả khoa học và công nghệ",
        "type": "textarea",
        "required": True,
        "help": "Mỗi sản phẩm một dòng; nội dung này được ghi trên giấy chứng nhận.",
    },
    {
        "name": "st_revenue_share",
        "label": "Tỷ lệ doanh thu từ sản phẩm KH&CN năm trước (%)",
        "type": "number",
        "help": "Doanh nghiệp thành lập từ 5 năm trở lên: tối thiểu 30% (NĐ 13/2019).",
    },
]

PROCEDURES: list[dict] = [
    {
        "code": "KHCN-DNKHCN-01",
        "name": "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
        "short_name": "Cấp GCN doanh nghiệp KH&CN",
        "field": "Hoạt động khoa học và công nghệ",
        "legal_basis": (
            "Luật Khoa học và Công nghệ số 29/2013/QH13;\n"
            "Nghị định số 13/2019/NĐ-CP ngày 01/02/2019 của Chính phủ về doanh nghiệp khoa học "
            "và công nghệ."
        ),
        "ruleset_code": "tthc-dnkhcn-2019",
        "fee_note": "Không thu phí",
        "responsible_unit": ST_UNIT,
        "applicants": "organisation",
        "conditions": (
            "Được thành lập và hoạt động theo Luật Doanh nghiệp; có khả năng tạo ra hoặc ứng "
            "dụng kết quả khoa học và công nghệ được cơ quan có thẩm quyền đánh giá, thẩm định, "
            "công nhận; doanh nghiệp thành lập từ 5 năm trở lên có doanh thu từ sản phẩm hình "
            "thành từ kết quả KH&CN đạt tối thiểu 30% tổng doanh thu."
        ),
        "result_type": "dn_khcn",
        "result_action": "issue",
        "form_fields": ENTERPRISE_FIELDS,
        "documents": [
            {**APPLICATION, "name": "Đơn đề nghị cấp Giấy chứng nhận doanh nghiệp KH&CN"},
            {
                "key": "ket_qua_khcn",
                "name": "Văn bản xác nhận, công nhận kết quả KH&CN hoặc hợp đồng chuyển giao "
                "công nghệ, văn bằng bảo hộ",
                "mandatory": True,
                "accepted_types": "pdf",
            },
            {
                "key": "phuong_an",
                "name": "Phương án sản xuất, kinh doanh sản phẩm hình thành từ kết quả KH&CN",
                "mandatory": True,
                "accepted_types": "pdf,docx",
            },
            {
                "key": "bao_cao_tai_chinh",
                "name": "Báo cáo tài chính năm gần nhất (doanh nghiệp thành lập từ 5 năm)",
                "mandatory": False,
                "accepted_types": "pdf,xlsx",
            },
        ],
    },
    {
        "code": "KHCN-DNKHCN-02",
        "name": "Cấp thay đổi nội dung Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
        "short_name": "Thay đổi GCN doanh nghiệp KH&CN",
        "field": "Hoạt động khoa học và công nghệ",
        "legal_basis": "Nghị định số 13/2019/NĐ-CP ngày 01/02/2019 của Chính phủ.",
        "ruleset_code": "tthc-dnkhcn-thaydoi-2019",
        "fee_note": "Không thu phí",
        "responsible_unit": ST_UNIT,
        "applicants": "organisation",
        "result_type": "dn_khcn",
        "result_action": "amend",
        "form_fields": [
            CERT_NUMBER,
            {
                "name": "changes",
                "label": "Nội dung đề nghị thay đổi",
                "type": "textarea",
                "required": True,
            },
            {
                "name": "st_products",
                "label": "Sản phẩm hình thành từ kết quả KH&CN (sau thay đổi)",
                "type": "textarea",
            },
        ],
        "documents": [
            {**APPLICATION, "name": "Đơn đề nghị thay đổi nội dung Giấy chứng nhận"},
            {
                "key": "tai_lieu_thay_doi",
                "name": "Tài liệu chứng minh nội dung thay đổi",
                "mandatory": True,
                "accepted_types": "pdf",
            },
        ],
    },
    {
        "code": "KHCN-DNKHCN-03",
        "name": "Cấp lại Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
        "short_name": "Cấp lại GCN doanh nghiệp KH&CN",
        "field": "Hoạt động khoa học và công nghệ",
        "legal_basis": "Nghị định số 13/2019/NĐ-CP ngày 01/02/2019 của Chính phủ.",
        "ruleset_code": "tthc-dnkhcn-thaydoi-2019",
        "fee_note": "Không thu phí",
        "responsible_unit": ST_UNIT,
        "applicants": "organisation",
        "result_type": "dn_khcn",
        "result_action": "reissue",
        "form_fields": [
            CERT_NUMBER,
            {
                "name": "reason",
                "label": "Lý do đề nghị cấp lại (bị mất, hư hỏng)",
                "type": "textarea",
                "required": True,
            },
        ],
        "documents": [{**APPLICATION, "name": "Đơn đề nghị cấp lại Giấy chứng nhận"}],
    },
    {
        "code": "KHCN-DNKHCN-04",
        "name": "Thu hồi Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
        "short_name": "Thu hồi GCN doanh nghiệp KH&CN",
        "field": "Hoạt động khoa học và công nghệ",
        "legal_basis": "Nghị định số 13/2019/NĐ-CP ngày 01/02/2019 của Chính phủ.",
        "ruleset_code": "tthc-dnkhcn-thuhoi-2019",
        "fee_note": "Không thu phí",
        "responsible_unit": ST_UNIT,
        "applicants": "organisation",
        "result_type": "dn_khcn",
        "result_action": "revoke",
        "form_fields": [
            CERT_NUMBER,
            {"name": "reason", "label": "Lý do thu hồi", "type": "textarea", "required": True},
        ],
        "documents": [{**APPLICATION, "name": "Văn bản đề nghị thu hồi Giấy chứng nhận"}],
    },
    {
        "code": "KHCN-DKHD-01",
        "name": "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
        "short_name": "Đăng ký hoạt động KH&CN",
        "field": "Hoạt động khoa học và công nghệ",
        "legal_basis": (
            "Luật Khoa học và Công nghệ số 29/2013/QH13;\n"
            "Nghị định số 08/2014/NĐ-CP ngày 27/01/2014 của Chính phủ (Điều 9);\n"
            "Thông tư số 03/2014/TT-BKHCN ngày 31/3/2014 của Bộ Khoa học và Công nghệ."
        ),
        "ruleset_code": "tthc-dkhd-2014",
        "fee_note": "Theo biểu phí thẩm định do Bộ Tài chính quy định",
        "responsible_unit": SCIENCE_UNIT,
        "applicants": "organisation",
        "result_type": "dk_hoat_dong",
        "result_action": "issue",
        "form_fields": [
            {
                "name": "org_kind",
                "label": "Loại hình tổ chức KH&CN",
                "type": "choice",
                "required": True,
                "choices": [["cong_lap", "Công lập"], ["ngoai_cong_lap", "Ngoài công lập"]],
            },
            {
                "name": "founding_decision",
                "label": "Quyết định thành lập (số, ngày, cơ quan ban hành)",
                "type": "text",
                "required": True,
            },
            {
                "name": "activity_fields",
                "label": "Lĩnh vực hoạt động KH&CN",
                "type": "textarea",
                "required": True,
            },
            {
                "name": "director",
                "label": "Người đứng đầu tổ chức",
                "type": "text",
                "required": True,
            },
            {"name": "staff_count", "label": "Số nhân lực KH&CN chính thức", "type": "number"},
        ],
        "documents": [
            {**APPLICATION, "name": "Đơn đăng ký hoạt động KH&CN"},
            {
                "key": "quyet_dinh",
                "name": "Quyết định thành lập tổ chức KH&CN",
                "mandatory": True,
                "accepted_types": "pdf",
            },
            {
                "key": "dieu_le",
                "name": "Điều lệ tổ chức và hoạt động",
                "mandatory": True,
                "accepted_types": "pdf,docx",
            },
            {
                "key": "nhan_luc",
                "name": "Danh sách nhân lực KH&CN, lý lịch người đứng đầu",
                "mandatory": True,
                "accepted_types": "pdf,docx,xlsx",
            },
        ],
    },
    {
        "code": "KHCN-DKHD-02",
        "name": "Cấp thay đổi, bổ sung nội dung Giấy chứng nhận đăng ký hoạt động khoa học và "
        "công nghệ",
        "short_name": "Thay đổi đăng ký hoạt động KH&CN",
        "field": "Hoạt động khoa học và công nghệ",
        "legal_basis": "Nghị định số 08/2014/NĐ-CP ngày 27/01/2014 của Chính phủ; Thông tư số "
        "03/2014/TT-BKHCN.",
        "ruleset_code": "tthc-dkhd-2014",
        "fee_note": "Theo biểu phí thẩm định do Bộ Tài chính quy định",
        "responsible_unit": SCIENCE_UNIT,
        "applicants": "organisation",
        "result_type": "dk_hoat_dong",
        "result_action": "amend",
        "form_fields": [
            CERT_NUMBER,
            {
                "name": "changes",
                "label": "Nội dung thay đổi, bổ sung",
                "type": "textarea",
                "required": True,
            },
        ],
        "documents": [
            {**APPLICATION, "name": "Đơn đề nghị thay đổi, bổ sung"},
            {
                "key": "tai_lieu_thay_doi",
                "name": "Tài liệu chứng minh nội dung thay đổi",
                "mandatory": True,
                "accepted_types": "pdf",
            },
        ],
    },
    {
        "code": "KHCN-KQNV-01",
        "name": "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ sử dụng ngân sách nhà "
        "nước",
        "short_name": "Đăng ký kết quả nhiệm vụ KH&CN",
        "field": "Thông tin khoa học và công nghệ",
        "legal_basis": (
            "Luật Khoa học và Công nghệ số 29/2013/QH13;\n"
            "Thông tư số 14/2014/TT-BKHCN ngày 11/6/2014 của Bộ Khoa học và Công nghệ."
        ),
        "ruleset_code": "tthc-ketqua-2014",
        "fee_note": "Không thu phí",
        "responsible_unit": SCIENCE_UNIT,
        "applicants": "any",
        "result_type": "dk_ket_qua",
        "result_action": "issue",
        "form_fields": [
            {"name": "task_code", "label": "Mã số nhiệm vụ", "type": "text", "required": True},
            {"name": "task_title", "label": "Tên nhiệm vụ", "type": "text", "required": True},
            {
                "name": "acceptance_date",
                "label": "Ngày nghiệm thu chính thức",
                "type": "date",
                "required": True,
            },
            {
                "name": "rating",
                "label": "Kết quả đánh giá",
                "type": "choice",
                "required": True,
                "choices": [["XUAT_SAC", "Xuất sắc"], ["DAT", "Đạt"]],
            },
        ],
        "documents": [
            {**APPLICATION, "name": "Phiếu đăng ký kết quả thực hiện nhiệm vụ KH&CN"},
            {
                "key": "bao_cao_tong_hop",
                "name": "Báo cáo tổng hợp kết quả nhiệm vụ (bản điện tử)",
                "mandatory": True,
                "accepted_types": "pdf,docx",
            },
            {
                "key": "bien_ban",
                "name": "Biên bản họp hội đồng đánh giá, nghiệm thu",
                "mandatory": True,
                "accepted_types": "pdf",
            },
        ],
    },
    {
        "code": "KHCN-CGCN-01",
        "name": "Đăng ký hợp đồng chuyển giao công nghệ",
        "short_name": "Đăng ký chuyển giao công nghệ",
        "field": "Chuyển giao công nghệ",
        "legal_basis": (
            "Luật Chuyển giao công nghệ số 07/2017/QH14 (Điều 31);\n"
            "Nghị định số 76/2018/NĐ-CP ngày 15/5/2018 của Chính phủ."
        ),
        "ruleset_code": "tthc-cgcn-2018",
        "fee_note": "Theo biểu phí thẩm định do Bộ Tài chính quy định",
        "responsible_unit": ST_UNIT,
        "applicants": "any",
        "result_type": "dk_cgcn",
        "result_action": "issue",
        "form_fields": [
            {"name": "contract_no", "label": "Số hợp đồng", "type": "text", "required": True},
            {
                "name": "contract_date",
                "label": "Ngày ký hợp đồng",
                "type": "date",
                "required": True,
            },
            {"name": "transferor", "label": "Bên giao công nghệ", "type": "text", "required": True},
            {"name": "transferee", "label": "Bên nhận công nghệ", "type": "text", "required": True},
            {
                "name": "technology",
                "label": "Tên, nội dung công nghệ được chuyển giao",
                "type": "textarea",
                "required": True,
            },
            {"name": "contract_value", "label": "Giá trị hợp đồng (đồng)", "type": "number"},
        ],
        "documents": [
            {**APPLICATION, "name": "Văn bản đề nghị đăng ký chuyển giao công nghệ"},
            {
                "key": "hop_dong",
                "name": "Hợp đồng chuyển giao công nghệ (bản gốc hoặc bản sao chứng thực)",
                "mandatory": True,
                "accepted_types": "pdf",
            },
        ],
    },
    {
        "code": "KHCN-SK-01",
        "name": "Xét công nhận sáng kiến",
        "short_name": "Công nhận sáng kiến",
        "field": "Hoạt động khoa học và công nghệ",
        "legal_basis": (
            "Nghị định số 13/2012/NĐ-CP ngày 02/3/2012 của Chính phủ ban hành Điều lệ Sáng kiến;\n"
            "Thông tư số 18/2013/TT-BKHCN ngày 01/8/2013 của Bộ Khoa học và Công nghệ."
        ),
        "ruleset_code": "tthc-sangkien-2012",
        "fee_note": "Không thu phí",
        "responsible_unit": SCIENCE_UNIT,
        "applicants": "any",
        "result_type": "sang_kien",
        "result_action": "issue",
        "form_fields": [
            {
                "name": "initiative_title",
                "label": "Tên sáng kiến",
                "type": "text",
                "required": True,
            },
            {
                "name": "authors",
                "label": "Tác giả, đồng tác giả",
                "type": "textarea",
                "required": True,
            },
            {
                "name": "applied_since",
                "label": "Ngày áp dụng lần đầu hoặc áp dụng thử",
                "type": "date",
                "required": True,
            },
            {
                "name": "benefits",
                "label": "Lợi ích thu được do áp dụng sáng kiến",
                "type": "textarea",
                "required": True,
            },
        ],
        "documents": [
            {**APPLICATION, "name": "Đơn yêu cầu công nhận sáng kiến"},
            {
                "key": "mo_ta",
                "name": "Bản mô tả sáng kiến và tài liệu chứng minh hiệu quả áp dụng",
                "mandatory": True,
                "accepted_types": "pdf,docx",
            },
        ],
    },
]


def procedures_seed(Procedure=None, RequiredDocument=None) -> int:
    """Create or update the seeded procedures and their documents (idempotent).

    Takes the model classes so that the data migration can pass its historical models.
    """
    if Procedure is None:
        from khcn.procedures.models import Procedure, RequiredDocument
    count = 0
    for position, spec in enumerate(PROCEDURES, start=1):
        values = {k: v for k, v in spec.items() if k not in ("code", "documents")}
        values.setdefault("steps", STEPS)
        values.setdefault("conditions", "")
        values.update(level="tinh", code_kind="local", position=position)
        procedure, _created = Procedure.objects.update_or_create(code=spec["code"], defaults=values)
        for doc_position, doc in enumerate(spec["documents"], start=1):
            RequiredDocument.objects.update_or_create(
                procedure=procedure,
                key=doc["key"],
                defaults={
                    "name": doc["name"],
                    "mandatory": doc.get("mandatory", True),
                    "accepted_types": doc.get("accepted_types", "pdf"),
                    "form_code": doc.get("form_code", ""),
                    "note": doc.get("note", ""),
                    "position": doc_position,
                },
            )
        count += 1
    return count
