"""Administrative units (đơn vị hành chính) for addresses, from the `vietnam-provinces` package.

Since 1/7/2025 (Nghị quyết 202/2025/QH15 and the Standing Committee's resolutions on
rearranging commune-level units) there are 34 provinces and, under them, wards and communes
directly: no district tier. An address stores the province code, the ward code and the
package's data version (`UNITS_VERSION`) it was checked against, plus the names as they were
then, so a record stays readable if a later edition renames or merges units. Nothing is
downloaded at run time: the data ship with the package.
"""

from functools import lru_cache

from django.utils.translation import gettext as _
from vietnam_provinces import Province, Ward
from vietnam_provinces import __data_version__ as UNITS_VERSION

from khcn.core.errors import DomainError

__all__ = [
    "UNITS_VERSION",
    "clean_units",
    "province_choices",
    "province_name",
    "ward_choices",
    "ward_name",
]


@lru_cache(maxsize=1)
def _provinces() -> dict[int, str]:
    return {int(p.code): p.name for p in Province.iter_all()}


@lru_cache(maxsize=64)
def _wards(province_code: int) -> dict[int, str]:
    try:
        code = Province.from_code(province_code).code
    except (ValueError, KeyError):
        return {}
    return {int(w.code): w.name for w in Ward.iter_by_province(code)}


def province_choices() -> list[tuple[int, str]]:
    """The 34 provinces and centrally-run cities, in the package's (official code) order."""
    return list(_provinces().items())


def ward_choices(province_code: int) -> list[tuple[int, str]]:
    return list(_wards(int(province_code)).items())


def province_name(code: int | None) -> str:
    return _provinces().get(int(code), "") if code else ""


def ward_name(province_code: int | None, ward_code: int | None) -> str:
    if not (province_code and ward_code):
        return ""
    return _wards(int(province_code)).get(int(ward_code), "")


def province_by_name(name: str) -> int | None:
    """The code of a province named loosely ("Hải Phòng", "TP. Hải Phòng", "hai phong")."""
    from khcn.core.text import fold

    wanted = " ".join(fold(name).replace("tp.", "").replace("thanh pho", "").split())
    wanted = wanted.replace("tinh ", "", 1) if wanted.startswith("tinh ") else wanted
    for code, full in _provinces().items():
        short = " ".join(fold(full).replace("thanh pho", "").replace("tinh", "", 1).split())
        if wanted in (short, " ".join(fold(full).split())):
            return code
    return None


def clean_units(province_code, ward_code) -> tuple[int | None, int | None]:
    """Check that the ward lies in the province; DomainError in Vietnamese otherwise."""
    province_code = int(province_code) if province_code not in (None, "") else None
    ward_code = int(ward_code) if ward_code not in (None, "") else None
    if province_code is None:
        if ward_code is not None:
            raise DomainError(_("Chọn tỉnh/thành phố trước khi chọn phường/xã."))
        return None, None
    if province_code not in _provinces():
        raise DomainError(
            _("Mã tỉnh/thành phố %(code)s không có trong danh mục đơn vị hành chính hiện hành.")
            % {"code": province_code}
        )
    if ward_code is not None and ward_code not in _wards(province_code):
        raise DomainError(
            _("Phường/xã mã %(ward)s không thuộc %(province)s.")
            % {"ward": ward_code, "province": province_name(province_code)}
        )
    return province_code, ward_code
