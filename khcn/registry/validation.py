"""Field checks shared by forms, the API, imports and the services.

Each `clean_*` takes a dict of raw values (strings from a form, a spreadsheet row or JSON)
and returns the cleaned values, or raises `FieldErrors` mapping each bad field to a
Vietnamese message. Nothing is written: an import can check every row before it saves one.
With `partial=True` only the given keys are checked (updates).
"""

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from khcn.core import clock
from khcn.core.calendar import parse_date
from khcn.core.errors import DomainError
from khcn.core.validators import clean_orcid, clean_tax_code
from khcn.registry import units
from khcn.registry.models import Access, FieldOfScience, IPAsset, Organisation, Person, Result
from khcn.workflow.fields import FieldErrors

_ROR = re.compile(r"^0[a-hj-km-np-tv-z0-9]{6}\d{2}$")
_ROR_URL = re.compile(r"^https?://ror\.org/", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_URL = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

REQUIRED = _("Trường này không được để trống.")


def _text(value, *, max_length: int, label_errors: dict, name: str, required=False) -> str:
    text = "" if value is None else str(value).strip()
    if _CONTROL.search(text):
        label_errors[name] = _("Có ký tự không hợp lệ.")
        return ""
    if required and not text:
        label_errors[name] = REQUIRED
    elif len(text) > max_length:
        label_errors[name] = _("Dài quá %(n)d ký tự.") % {"n": max_length}
    return text


def _choice(value, choices, *, errors: dict, name: str, required=True) -> str:
    value = "" if value is None else str(value).strip()
    valid = {str(v) for v, _label in choices}
    if not value and not required and "" in valid | {""}:
        return ""
    if value not in valid:
        # accept the Vietnamese label too ("Doanh nghiệp"), as spreadsheets carry it
        by_label = {str(label).lower(): v for v, label in choices}
        if value.lower() in by_label:
            return by_label[value.lower()]
        errors[name] = _("Giá trị «%(v)s» không có trong danh mục.") % {"v": value}
    return value


def _date(value, *, errors: dict, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value).strip())
    except (ValueError, TypeError) as exc:
        errors[name] = str(exc) or _("Ngày không hợp lệ (dạng dd/mm/yyyy).")
        return None


def _year(value, *, errors: dict, name: str, required=False) -> int | None:
    if value in (None, ""):
        if required:
            errors[name] = REQUIRED
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        errors[name] = _("Năm phải là số, ví dụ 2024.")
        return None
    upper = clock.today().year + 1
    if not 1900 <= year <= upper:
        errors[name] = _("Năm phải từ 1900 đến %(y)d.") % {"y": upper}
        return None
    return year


def _email(value, *, errors: dict, name: str) -> str:
    text = (value or "").strip()
    if text:
        try:
            validate_email(text)
        except ValidationError:
            errors[name] = _("Địa chỉ thư điện tử không hợp lệ.")
    return text.lower()


def _url(value, *, errors: dict, name: str) -> str:
    text = (value or "").strip()
    if text:
        if not re.match(r"^https?://", text, re.IGNORECASE):
            text = "https://" + text
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            errors[name] = _("Địa chỉ trang web không hợp lệ.")
    return text


def _fields(values, *, errors: dict, name: str) -> list[str]:
    if values in (None, ""):
        return []
    if isinstance(values, str):
        values = [v for v in re.split(r"[,;\s]+", values) if v]
    codes = [getattr(v, "pk", v) for v in values]
    codes = [str(c).strip() for c in codes]
    known = set(FieldOfScience.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        errors[name] = _("Mã lĩnh vực không có trong bảng phân loại: %(c)s.") % {
            "c": ", ".join(unknown)
        }
    return list(dict.fromkeys(c for c in codes if c in known))


def _phone(value, *, errors: dict, name: str) -> str:
    text = (value or "").strip()
    if text and not re.fullmatch(r"[+\d][\d .()\-]{5,28}", text):
        errors[name] = _("Số điện thoại chỉ gồm chữ số, dấu cách, dấu chấm, gạch nối.")
    return text


def _pick(data: dict, partial: bool, spec: dict) -> dict:
    unknown = set(data) - set(spec)
    if unknown:
        raise FieldErrors(
            {name: _("Trường không được phép sửa hoặc không tồn tại.") for name in sorted(unknown)}
        )
    return {k: data.get(k) for k in spec if (k in data or not partial)}


def _access(value, errors) -> str:
    return _choice(value or Access.PUBLIC, Access.choices, errors=errors, name="access")


ORGANISATION_FIELDS = {
    "name": 500,
    "abbreviation": 60,
    "english_name": 500,
    "kind": None,
    "tax_code": None,
    "fields": None,
    "description": 5000,
    "address": 255,
    "province_code": None,
    "ward_code": None,
    "st_registration_no": 60,
    "st_registration_date": None,
    "st_registration_issuer": 255,
    "st_enterprise_cert_no": 60,
    "st_enterprise_cert_date": None,
    "phone": None,
    "email": None,
    "website": None,
    "ror": None,
    "access": None,
}


def clean_organisation(data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """An organisation's fields; tax code by TT 105/2020/TT-BTC check digit."""
    raw = _pick(data, partial, ORGANISATION_FIELDS)
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name, value in raw.items():
        limit = ORGANISATION_FIELDS[name]
        if limit:
            out[name] = _text(
                value, max_length=limit, label_errors=errors, name=name, required=name == "name"
            )
    if "kind" in raw:
        out["kind"] = _choice(raw["kind"], Organisation.Kind.choices, errors=errors, name="kind")
    if "tax_code" in raw:
        tax = (
            (raw["tax_code"] or "").strip() if isinstance(raw["tax_code"], str) else raw["tax_code"]
        )
        out["tax_code"] = ""
        if tax not in (None, ""):
            try:
                out["tax_code"] = clean_tax_code(str(tax))
            except ValidationError as exc:
                errors["tax_code"] = exc.messages[0]
    if "fields" in raw:
        out["fields"] = _fields(raw["fields"], errors=errors, name="fields")
    for name in ("st_registration_date", "st_enterprise_cert_date"):
        if name in raw:
            out[name] = _date(raw[name], errors=errors, name=name)
    if "phone" in raw:
        out["phone"] = _phone(raw["phone"], errors=errors, name="phone")
    if "email" in raw:
        out["email"] = _email(raw["email"], errors=errors, name="email")
    if "website" in raw:
        out["website"] = _url(raw["website"], errors=errors, name="website")
    if "ror" in raw:
        ror = _ROR_URL.sub("", (raw["ror"] or "").strip()).lower()
        if ror and not _ROR.match(ror):
            errors["ror"] = _("Mã ROR gồm 9 ký tự, bắt đầu bằng số 0 (ví dụ 05kxa7738).")
        out["ror"] = ror
    if "province_code" in raw or "ward_code" in raw:
        try:
            out["province_code"], out["ward_code"] = units.clean_units(
                raw.get("province_code"), raw.get("ward_code")
            )
        except (DomainError, ValueError) as exc:
            errors["ward_code" if raw.get("ward_code") else "province_code"] = getattr(
                exc, "message", _("Mã đơn vị hành chính không hợp lệ.")
            )
    if "access" in raw:
        out["access"] = _access(raw["access"], errors)
    if (
        out.get("st_enterprise_cert_no")
        and "st_enterprise_cert_date" in raw
        and not out.get("st_enterprise_cert_date")
    ):
        errors.setdefault("st_enterprise_cert_date", _("Nhập ngày cấp giấy chứng nhận."))
    if errors:
        raise FieldErrors(errors)
    return out


PERSON_FIELDS = {
    "full_name": 255,
    "degree": None,
    "title": None,
    "gender": None,
    "birth_year": None,
    "fields": None,
    "orcid": None,
    "keywords": 500,
    "cv_text": 20000,
    "email": None,
    "phone": None,
    "is_expert": None,
    "expert_fields": None,
    "public_consent": None,
    "access": None,
}


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "x", "có", "co", "yes", "on"}
    return bool(value)


def clean_person(data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """A person's fields; ORCID by its ISO 7064 MOD 11-2 check character."""
    raw = _pick(data, partial, PERSON_FIELDS)
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in ("full_name", "keywords", "cv_text"):
        if name in raw:
            out[name] = _text(
                raw[name],
                max_length=PERSON_FIELDS[name],
                label_errors=errors,
                name=name,
                required=name == "full_name",
            )
    for name, choices in (
        ("degree", Person.Degree.choices),
        ("title", Person.Title.choices),
        ("gender", Person.Gender.choices),
    ):
        if name in raw:
            out[name] = _choice(raw[name], choices, errors=errors, name=name, required=False)
    if "birth_year" in raw:
        out["birth_year"] = _year(raw["birth_year"], errors=errors, name="birth_year")
    for name in ("fields", "expert_fields"):
        if name in raw:
            out[name] = _fields(raw[name], errors=errors, name=name)
    if "orcid" in raw:
        out["orcid"] = ""
        if (raw["orcid"] or "").strip():
            try:
                out["orcid"] = clean_orcid(raw["orcid"])
            except ValidationError as exc:
                errors["orcid"] = exc.messages[0]
    if "email" in raw:
        out["email"] = _email(raw["email"], errors=errors, name="email")
    if "phone" in raw:
        out["phone"] = _phone(raw["phone"], errors=errors, name="phone")
    for name in ("is_expert", "public_consent"):
        if name in raw:
            out[name] = _bool(raw[name])
    if "access" in raw:
        out["access"] = _access(raw["access"], errors)
    if errors:
        raise FieldErrors(errors)
    return out


RESULT_FIELDS = {
    "kind": None,
    "title": 1000,
    "abstract": 20000,
    "year": None,
    "field": None,
    "registration_no": 60,
    "registration_date": None,
    "project": None,
    "doi": None,
    "url": None,
    "keywords": 500,
    "access": None,
}


def clean_result(data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    raw = _pick(data, partial, RESULT_FIELDS)
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in ("title", "abstract", "registration_no", "keywords"):
        if name in raw:
            out[name] = _text(
                raw[name],
                max_length=RESULT_FIELDS[name],
                label_errors=errors,
                name=name,
                required=name == "title",
            )
    if "kind" in raw:
        out["kind"] = _choice(raw["kind"], Result.Kind.choices, errors=errors, name="kind")
    if "year" in raw:
        out["year"] = _year(raw["year"], errors=errors, name="year", required=True)
    if "field" in raw:
        codes = _fields([raw["field"]] if raw["field"] else [], errors=errors, name="field")
        out["field_id"] = codes[0] if codes else None
    if "registration_date" in raw:
        out["registration_date"] = _date(
            raw["registration_date"], errors=errors, name="registration_date"
        )
    if "project" in raw:
        out["project"] = raw["project"] or None
    if "doi" in raw:
        doi = _DOI_URL.sub("", (raw["doi"] or "").strip())
        if doi and not _DOI.match(doi):
            errors["doi"] = _("DOI có dạng 10.xxxx/…, ví dụ 10.1016/j.aquaculture.2020.735.")
        out["doi"] = doi
    if "url" in raw:
        out["url"] = _url(raw["url"], errors=errors, name="url")
    if "access" in raw:
        out["access"] = _access(raw["access"], errors)
    if errors:
        raise FieldErrors(errors)
    return out


IP_ASSET_FIELDS = {
    "kind": None,
    "name": 255,
    "product": 255,
    "description": 5000,
    "region": 500,
    "province_code": None,
    "holder": None,
    "status": None,
    "application_no": 60,
    "application_date": None,
    "certificate_no": 60,
    "certificate_date": None,
    "expiry_date": None,
    "project": None,
    "access": None,
}


def clean_ip_asset(data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    raw = _pick(data, partial, IP_ASSET_FIELDS)
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in ("name", "product", "description", "region", "application_no", "certificate_no"):
        if name in raw:
            out[name] = _text(
                raw[name],
                max_length=IP_ASSET_FIELDS[name],
                label_errors=errors,
                name=name,
                required=name == "name",
            )
    if "kind" in raw:
        out["kind"] = _choice(raw["kind"], IPAsset.Kind.choices, errors=errors, name="kind")
    if "status" in raw:
        out["status"] = _choice(
            raw["status"] or IPAsset.Status.PREPARING,
            IPAsset.Status.choices,
            errors=errors,
            name="status",
        )
    for name in ("application_date", "certificate_date", "expiry_date"):
        if name in raw:
            out[name] = _date(raw[name], errors=errors, name=name)
    if "province_code" in raw:
        try:
            out["province_code"], _w = units.clean_units(raw["province_code"], None)
        except (DomainError, ValueError) as exc:
            errors["province_code"] = getattr(exc, "message", _("Mã tỉnh không hợp lệ."))
    for name in ("holder", "project"):
        if name in raw:
            out[name] = raw[name] or None
    if "access" in raw:
        out["access"] = _access(raw["access"], errors)
    if (
        out.get("status") == IPAsset.Status.PROTECTED
        and not partial
        and not out.get("certificate_no")
    ):
        errors["certificate_no"] = _("Tài sản đã được bảo hộ phải có số văn bằng.")
    if errors:
        raise FieldErrors(errors)
    return out
