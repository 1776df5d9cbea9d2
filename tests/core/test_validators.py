"""Tax codes, citizen IDs and ORCID iDs: canonical forms and Vietnamese errors."""

import pytest
from django.core.exceptions import ValidationError

from khcn.core.validators import clean_citizen_id, clean_orcid, clean_tax_code


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("0200167782", "0200167782"),  # Nhựa Thiếu niên Tiền Phong
        ("0300588569", "0300588569"),  # Vinamilk
        (" 0200167782 ", "0200167782"),
        ("0200167782-001", "0200167782-001"),
        ("0200167782001", "0200167782-001"),
    ],
)
def test_tax_code_accepts_published_codes(raw, clean):
    assert clean_tax_code(raw) == clean


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("0200167783", "tax_code_checksum"),
        ("020016778", "tax_code_format"),
        ("02001677820", "tax_code_format"),
        ("02001677a2", "tax_code_format"),
        ("", "tax_code_format"),
    ],
)
def test_tax_code_rejects_with_reason(raw, code):
    with pytest.raises(ValidationError) as caught:
        clean_tax_code(raw)
    assert caught.value.code == code
    assert "Mã số thuế" in caught.value.messages[0]


def test_citizen_id():
    assert clean_citizen_id("031 095 001234") == "031095001234"
    for bad in ("03109500123", "0310950012345", "03109500123a", "000095001234"):
        with pytest.raises(ValidationError):
            clean_citizen_id(bad)


@pytest.mark.parametrize(
    "raw",
    ["0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097", "0000000218250097"],
)
def test_orcid_accepts_forms(raw):
    assert clean_orcid(raw) == "0000-0002-1825-0097"


def test_orcid_with_x_check_digit():
    assert clean_orcid("0000-0002-9079-593x") == "0000-0002-9079-593X"


@pytest.mark.parametrize("raw", ["0000-0002-1825-0098", "0000-0002-1825", "abcd-0002-1825-0097"])
def test_orcid_rejects(raw):
    with pytest.raises(ValidationError) as caught:
        clean_orcid(raw)
    assert "ORCID" in caught.value.messages[0]
