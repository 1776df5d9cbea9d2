"""The fields an actor fills when taking a step, checked and turned into JSON values."""

import datetime as dt
import re

from django.utils.translation import gettext as _

from khcn.core.calendar import parse_date
from khcn.core.errors import DomainError
from khcn.workflow.definition import Field

MAX_TEXT = {"text": 500, "textarea": 10000}
MAX_MONEY = 10**15  # VND; larger amounts are typing mistakes


class FieldErrors(DomainError):
    """Badly filled fields: `errors` maps a field name to its message (HTTP 422)."""

    status = 422

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Thông tin nhập chưa hợp lệ: %(e)s") % {"e": " ".join(errors.values())})
        self.errors = errors


def _clean_one(spec: Field, value):
    if spec.type in ("text", "textarea"):
        text = str(value).strip()
        if "\x00" in text:
            raise ValueError(_("chứa ký tự không hợp lệ"))
        if len(text) > MAX_TEXT[spec.type]:
            raise ValueError(_("dài quá %(n)d ký tự") % {"n": MAX_TEXT[spec.type]})
        return text
    if spec.type == "date":
        try:
            parsed = value if isinstance(value, dt.date) else parse_date(str(value))
        except ValueError:
            raise ValueError(_("không phải ngày hợp lệ (dd/mm/yyyy)")) from None
        return parsed.isoformat()
    if spec.type in ("integer", "money"):
        text = str(value).strip()
        if spec.type == "money":
            text = re.sub(r"[.\s₫,]|đ$|VND$", "", text, flags=re.IGNORECASE)
        if isinstance(value, bool) or not re.fullmatch(r"-?\d{1,18}", text):
            raise ValueError(_("phải là số nguyên"))
        number = int(text)
        if number < 0 or (spec.type == "money" and number > MAX_MONEY):
            raise ValueError(_("phải là số không âm, không quá lớn"))
        return number
    if spec.type == "choice":
        if str(value) not in {c for c, _label in spec.choices}:
            raise ValueError(_("không nằm trong các lựa chọn"))
        return str(value)
    if spec.type == "boolean":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("1", "true", "on", "yes", "có"):
            return True
        if str(value).lower() in ("0", "false", "off", "no", "không", ""):
            return False
        raise ValueError(_("phải là có hoặc không"))
    raise ValueError(spec.type)


def clean_fields(specs: tuple[Field, ...], data: dict) -> dict:
    """Checked values for the step's fields; raise FieldErrors listing every problem."""
    if not isinstance(data, dict):
        raise FieldErrors({"data": _("Dữ liệu phải là một đối tượng JSON.")})
    known = {f.name for f in specs}
    errors: dict[str, str] = {}
    for name in data:
        if name not in known:
            errors[name] = _("Trường «%(f)s» không thuộc bước này.") % {"f": name}
    clean = {}
    for spec in specs:
        value = data.get(spec.name)
        empty = value is None or (isinstance(value, str) and not value.strip())
        if empty and spec.type != "boolean":
            if spec.required:
                errors[spec.name] = _("Cần nhập «%(f)s».") % {"f": spec.label}
            continue
        try:
            clean[spec.name] = _clean_one(spec, value if value is not None else False)
        except ValueError as exc:
            errors[spec.name] = _("«%(f)s» %(e)s.") % {"f": spec.label, "e": exc}
    if errors:
        raise FieldErrors(errors)
    return clean
