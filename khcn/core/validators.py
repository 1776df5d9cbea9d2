"""Identifiers Vietnamese records carry: tax codes, citizen IDs, ORCID iDs.

Each `clean_*` function returns the canonical form or raises Django's
`ValidationError` with a Vietnamese message, so forms, imports and the API
share one rule. The `validate_*` aliases suit model and form `validators=`.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.iso7064 import mod_11_2
from stdnum.vn import mst

_CCCD = re.compile(r"^\d{12}$")
_ORCID = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")
_ORCID_URL = re.compile(r"^https?://(www\.)?orcid\.org/", re.IGNORECASE)


def clean_tax_code(value: str) -> str:
    """Mã số thuế: 10 digits with a check digit, or 13 for a branch ("0200167782-001").

    The check digit is the weighted sum of the first nine digits (31, 29, 23,
    19, 17, 13, 7, 5, 3) subtracted from 10 modulo 11 (TT 105/2020/TT-BTC;
    python-stdnum's `vn.mst`, verified against published codes such as
    0200167782, Nhựa Thiếu niên Tiền Phong).
    """
    raw = (value or "").strip()
    digits = re.sub(r"[\s.\-]", "", raw)
    if not digits.isdigit() or len(digits) not in (10, 13):
        raise ValidationError(
            _("Mã số thuế phải gồm 10 chữ số (hoặc 13 chữ số với chi nhánh)."),
            code="tax_code_format",
        )
    try:
        mst.validate(digits)
    except StdnumError:
        raise ValidationError(
            _("Mã số thuế %(value)s không đúng (sai chữ số kiểm tra).") % {"value": raw},
            code="tax_code_checksum",
        ) from None
    return digits if len(digits) == 10 else f"{digits[:10]}-{digits[10:]}"


def clean_citizen_id(value: str) -> str:
    """Căn cước công dân: 12 digits (Luật Căn cước 2023 Đ12); the first three name the province."""
    digits = re.sub(r"\s", "", value or "")
    if not _CCCD.match(digits):
        raise ValidationError(
            _("Số căn cước công dân phải gồm đúng 12 chữ số."), code="citizen_id_format"
        )
    if int(digits[:3]) == 0 or int(digits[:3]) > 96:
        raise ValidationError(
            _("Số căn cước công dân %(value)s có mã tỉnh không hợp lệ.") % {"value": digits},
            code="citizen_id_province",
        )
    return digits


def clean_orcid(value: str) -> str:
    """ORCID iD "0000-0002-1825-0097", with or without the https://orcid.org/ prefix.

    The last character is an ISO 7064 MOD 11-2 check over the other 15 digits.
    """
    raw = _ORCID_URL.sub("", (value or "").strip()).upper()
    match = _ORCID.match(raw)
    if not match:
        raise ValidationError(
            _("ORCID phải có dạng 0000-0000-0000-0000 (16 ký tự, ký tự cuối có thể là X)."),
            code="orcid_format",
        )
    compact = "".join(match.groups())
    if not mod_11_2.is_valid(compact):
        raise ValidationError(
            _("ORCID %(value)s không đúng (sai chữ số kiểm tra).") % {"value": raw},
            code="orcid_checksum",
        )
    return "-".join(match.groups())


def validate_tax_code(value: str) -> None:
    clean_tax_code(value)


def validate_citizen_id(value: str) -> None:
    clean_citizen_id(value)


def validate_orcid(value: str) -> None:
    clean_orcid(value)
