"""The columns of the import files, one list per kind of record, in the order of the template.

A column names the field it fills (`key`, as `khcn.registry.validation` knows it, or one of
the import-only keys: province, ward, organisation, position, authors, host), its Vietnamese
header, whether it is required, an example value and, where the values come from a list,
the choices offered by the template's drop-down lists. Headers are matched loosely: case,
diacritics and anything in parentheses are ignored, so "Tên tổ chức (*)" and "ten to chuc"
name the same column.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from khcn.core.text import fold
from khcn.registry import units
from khcn.registry.models import Access, Organisation, Person, Result


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    example: str = ""
    choices: Callable[[], list[str]] | None = None
    note: str = ""
    width: int = 22
    extra: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The header as written in the template ("Tên tổ chức (*)")."""
        return f"{self.header} (*)" if self.required else str(self.header)


def _labels(choices) -> Callable[[], list[str]]:
    return lambda: [str(label) for value, label in choices if value]


def _provinces() -> list[str]:
    return [name for _code, name in units.province_choices()]


def header_key(text) -> str:
    """A header folded for matching: no diacritics, no case, no "(…)", single spaces."""
    text = re.sub(r"\([^)]*\)", " ", str(text or ""))
    return " ".join(fold(text).replace("*", " ").split())


ACCESS = Column(
    "access",
    _("Mức truy cập"),
    example=str(Access.PUBLIC.label),
    choices=_labels(Access.choices),
    note=_("Để trống: Công khai."),
)

ORGANISATION = [
    Column("name", _("Tên tổ chức"), True, "Trường Đại học Hải Phòng", width=40),
    Column("abbreviation", _("Tên viết tắt"), example="ĐHHP", width=12),
    Column("english_name", _("Tên tiếng Anh"), example="Hai Phong University", width=30),
    Column(
        "kind",
        _("Loại hình"),
        True,
        str(Organisation.Kind.UNIVERSITY.label),
        choices=_labels(Organisation.Kind.choices),
        width=26,
    ),
    Column(
        "tax_code",
        _("Mã số thuế"),
        example="0200167782",
        note=_("10 chữ số, hoặc 13 chữ số với chi nhánh (0200167782-001). Nhập dạng văn bản."),
        width=16,
    ),
    Column(
        "fields",
        _("Lĩnh vực"),
        example="2, 101",
        note=_("Mã lĩnh vực theo Bảng phân loại lĩnh vực KH&CN, cách nhau bởi dấu phẩy."),
        width=14,
    ),
    Column(
        "address", _("Địa chỉ"), example="171 Phan Đăng Lưu", note=_("Số nhà, đường."), width=30
    ),
    Column(
        "province",
        _("Tỉnh/thành phố"),
        example="Thành phố Hải Phòng",
        choices=_provinces,
        note=_("Tên hoặc mã theo danh mục đơn vị hành chính hiện hành (34 tỉnh, thành phố)."),
    ),
    Column("ward", _("Phường/xã"), note=_("Tên hoặc mã phường/xã thuộc tỉnh/thành phố đã nhập.")),
    Column("st_registration_no", _("Số GCN đăng ký hoạt động KH&CN"), width=18),
    Column(
        "st_registration_date",
        _("Ngày cấp GCN đăng ký hoạt động KH&CN"),
        note=_("dd/mm/yyyy"),
        width=16,
    ),
    Column("st_registration_issuer", _("Cơ quan cấp GCN đăng ký hoạt động KH&CN")),
    Column("st_enterprise_cert_no", _("Số GCN doanh nghiệp KH&CN"), width=18),
    Column(
        "st_enterprise_cert_date",
        _("Ngày cấp GCN doanh nghiệp KH&CN"),
        note=_("dd/mm/yyyy; bắt buộc khi có số giấy chứng nhận."),
        width=16,
    ),
    Column("phone", _("Điện thoại"), example="0225 3591 100", width=16),
    Column("email", _("Thư điện tử"), example="dhhp@dhhp.edu.vn"),
    Column("website", _("Trang thông tin"), example="https://dhhp.edu.vn"),
    Column("description", _("Giới thiệu"), width=30),
    ACCESS,
]

PERSON = [
    Column("full_name", _("Họ và tên"), True, "Nguyễn Thị Thu Hà", width=28),
    Column(
        "degree",
        _("Học vị"),
        example=str(Person.Degree.DOCTOR.label),
        choices=_labels(Person.Degree.choices),
        width=16,
    ),
    Column(
        "title",
        _("Học hàm"),
        example=str(Person.Title.ASSOCIATE_PROFESSOR.label),
        choices=_labels(Person.Title.choices),
        width=14,
    ),
    Column(
        "gender",
        _("Giới tính"),
        example=str(Person.Gender.FEMALE.label),
        choices=_labels(Person.Gender.choices),
        width=10,
    ),
    Column("birth_year", _("Năm sinh"), example="1980", width=10),
    Column(
        "fields",
        _("Lĩnh vực"),
        example="4, 401",
        note=_("Mã lĩnh vực, cách nhau bởi dấu phẩy."),
        width=12,
    ),
    Column("orcid", _("ORCID"), example="0000-0002-1825-0097", width=22),
    Column(
        "keywords", _("Từ khóa chuyên môn"), example="nuôi trồng thủy sản, tôm nước lợ", width=30
    ),
    Column("email", _("Thư điện tử"), example="ha.ntt@dhhp.edu.vn"),
    Column("phone", _("Điện thoại"), width=16),
    Column(
        "organisation",
        _("Tổ chức công tác"),
        example="Trường Đại học Hải Phòng",
        note=_("Tên hoặc mã số thuế của một tổ chức đã có trong cơ sở dữ liệu."),
        width=30,
    ),
    Column("position", _("Chức vụ"), example="Giảng viên"),
    Column(
        "is_expert",
        _("Chuyên gia tư vấn, đánh giá"),
        example="x",
        note=_("Ghi x nếu là chuyên gia."),
        width=12,
    ),
    Column("expert_fields", _("Lĩnh vực đánh giá"), example="401", width=12),
    Column(
        "public_consent",
        _("Đồng ý công khai thông tin cá nhân"),
        note=_("Ghi x khi người này đã đồng ý bằng văn bản (Nghị định 13/2023/NĐ-CP)."),
        width=14,
    ),
    ACCESS,
]

RESULT = [
    Column(
        "kind",
        _("Loại kết quả"),
        True,
        str(Result.Kind.PUBLICATION.label),
        choices=_labels(Result.Kind.choices),
        width=26,
    ),
    Column(
        "title",
        _("Tên kết quả"),
        True,
        "Ứng dụng chế phẩm sinh học trong nuôi tôm thẻ chân trắng tại Hải Phòng",
        width=50,
    ),
    Column("year", _("Năm"), True, "2024", width=8),
    Column("field", _("Lĩnh vực"), example="401", note=_("Một mã lĩnh vực."), width=10),
    Column("abstract", _("Tóm tắt"), width=40),
    Column("registration_no", _("Số đăng ký kết quả"), width=16),
    Column("registration_date", _("Ngày đăng ký"), note=_("dd/mm/yyyy"), width=14),
    Column("doi", _("DOI"), example="10.1016/j.aquaculture.2020.735", width=24),
    Column("url", _("Đường dẫn")),
    Column("keywords", _("Từ khóa")),
    Column(
        "authors",
        _("Tác giả"),
        example="Nguyễn Thị Thu Hà",
        note=_(
            "Họ tên các nhà khoa học đã có trong cơ sở dữ liệu, theo thứ tự, cách nhau bởi dấu chấm phẩy."
        ),
        width=30,
    ),
    Column(
        "host",
        _("Tổ chức chủ trì"),
        example="Trường Đại học Hải Phòng",
        note=_("Tên hoặc mã số thuế của một tổ chức đã có trong cơ sở dữ liệu."),
        width=30,
    ),
    ACCESS,
]

COLUMNS: dict[str, list[Column]] = {
    "organisation": ORGANISATION,
    "person": PERSON,
    "result": RESULT,
}
