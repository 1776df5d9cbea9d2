"""Importing organisations, people and results from the spreadsheets departments keep (XLSX, CSV).

The steps (issue 5, "Import and export"):
1. `import_upload`: the file is checked (type, size, name: `khcn.core.files`) and stored;
   an `ImportBatch` is created and the check job is queued.
2. `import_check` (the background job `jobs.check_import`): every row is read and validated
   with the registry's own field checks (`khcn.registry.validation`), so a row accepted here
   is a row the forms would accept; references (organisation, authors) are resolved against
   the agency's records; likely duplicates are looked for in the file and in the database
   (`khcn.registry.dedupe`). Nothing is written but the batch's report and progress.
3. Staff read the preview. While any row has an error, nothing can be written.
4. `import_confirm` queues `import_write`, which checks the file again and writes every row
   in ONE transaction (all or nothing), flags the duplicates, indexes the new records for
   search in bulk and records one audit event with the counts.

Legal frame: information groups of TT 10/2017/TT-BKHCN; personal data of researchers are
imported with the consent column as given (NĐ 13/2023/NĐ-CP Đ11: consent is recorded, not
assumed).
"""

import csv
import datetime as dt
import hashlib
import io
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from khcn.audit.models import AuditAction
from khcn.audit.services import record
from khcn.core import clock
from khcn.core.errors import DomainError
from khcn.core.files import FileRejected, blob_path, clean_name, store_upload
from khcn.core.permissions import require
from khcn.core.text import fold
from khcn.core.validators import clean_orcid
from khcn.registry import dedupe, units
from khcn.registry.interop.columns import COLUMNS, Column, header_key
from khcn.registry.interop.models import ImportBatch
from khcn.registry.models import (
    Access,
    Affiliation,
    Authorship,
    FieldOfScience,
    Organisation,
    Person,
    Result,
    ResultOrganisation,
    name_key,
)
from khcn.registry.permissions import can_set_access
from khcn.registry.validation import clean_organisation, clean_person, clean_result
from khcn.workflow.fields import FieldErrors

ACCEPTED = ("xlsx", "csv")
DATA_SHEET = "Dữ liệu"
CHUNK = 1000


class ImportProblem(DomainError):
    """The file as a whole cannot be read (wrong type, encoding, missing columns)."""

    status = 422


# --- upload ----------------------------------------------------------------------------------


def _store_csv(upload, *, max_bytes: int):
    """CSV has no magic bytes for `khcn.core.files` to check: it is accepted when it decodes as
    UTF-8 text (with or without BOM) and holds no NUL byte, then stored in the same store."""
    name = clean_name(getattr(upload, "name", ""))
    data = upload.read() if not hasattr(upload, "chunks") else b"".join(upload.chunks())
    if len(data) > max_bytes:
        raise FileRejected(
            _("Tệp quá lớn: tối đa %(limit)s.") % {"limit": f"{max_bytes / (1024 * 1024):.0f} MB"}
        )
    if not data.strip():
        raise FileRejected(_("Tệp rỗng."))
    if b"\x00" in data:
        raise FileRejected(_("Tệp .csv này không phải là văn bản (có thể là tệp khác bị đổi tên)."))
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected(
            _(
                "Tệp CSV phải được lưu với bảng mã UTF-8. Trong Excel chọn "
                "“Lưu thành” → “CSV UTF-8 (phân cách bằng dấu phẩy)”."
            )
        ) from None
    sha = hashlib.sha256(data).hexdigest()
    final = blob_path(sha)
    if not final.exists():
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=final.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o640)
        os.replace(tmp, final)
    return sha, len(data), name


@transaction.atomic
def import_upload(*, actor, agency, kind: str, upload) -> ImportBatch:
    """Store an uploaded spreadsheet and queue its check. Only .xlsx and .csv are accepted."""
    require(actor, "registry.manage", agency)
    if kind not in ImportBatch.Kind.values:
        raise DomainError(_("Loại dữ liệu nhập không hợp lệ."), status=422)
    name = getattr(upload, "name", "") or ""
    ext = Path(name).suffix.lower().lstrip(".")
    if ext not in ACCEPTED:
        raise FileRejected(
            _("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv); tệp “%(name)s” không đúng loại.")
            % {"name": name or "?"}
        )
    max_bytes = settings.KHCN_MAX_UPLOAD_BYTES
    if ext == "xlsx":
        stored = store_upload(upload, max_bytes=max_bytes)
        sha, size, name = stored.sha256, stored.size, stored.original_name
    else:
        sha, size, name = _store_csv(upload, max_bytes=max_bytes)
    batch = ImportBatch.objects.create(
        agency=agency,
        owner=actor,
        kind=kind,
        file_name=name,
        file_ext=ext,
        file_sha256=sha,
        file_size=size,
        created_at=clock.now(),
    )
    from khcn.registry.interop.jobs import check_import

    transaction.on_commit(lambda: check_import.enqueue(batch.pk))
    return batch


def batches_visible(user):
    """Import batches of the agencies where `user` manages the database."""
    from khcn.registry.permissions import MANAGERS

    return ImportBatch.objects.filter(agency_id__in=user.agency_ids_with(MANAGERS)).select_related(
        "owner", "agency"
    )


# --- reading ---------------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, tuple]]  # (spreadsheet row number, values)
    total: int
    close: Callable[[], None] = lambda: None


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _declared_rows(sheet) -> int:
    """Data rows as the sheet's <dimension> declares them (for the progress bar); 0 when the
    file does not say. `max_row` would read the whole sheet once more to find out."""
    try:
        dimension = sheet.calculate_dimension(force=False)
    except ValueError:
        return 0
    match = re.search(r"(\d+)$", dimension or "")
    return max(0, int(match.group(1)) - 1) if match else 0


def open_table(path: Path, ext: str) -> Table:
    """The header row and the data rows of the first sheet (or the sheet "Dữ liệu")."""
    if ext == "xlsx":
        import openpyxl

        handle = open(path, "rb")  # noqa: SIM115 (closed by Table.close)
        try:
            # a file object: the store keeps no extension, which openpyxl checks on paths
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception:  # a corrupt workbook: openpyxl raises many kinds
            handle.close()
            raise ImportProblem(
                _("Không đọc được tệp Excel (tệp hỏng hoặc không phải .xlsx).")
            ) from None

        def close():
            book.close()
            handle.close()

        sheet = book[DATA_SHEET] if DATA_SHEET in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        numbered = ((n, row) for n, row in enumerate(rows, start=2))
        return Table([str(h or "").strip() for h in header], numbered, _declared_rows(sheet), close)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem(_("Tệp CSV phải được lưu với bảng mã UTF-8.")) from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None) or []
    total = max(0, text.count("\n") - (0 if text.endswith("\n") else -1) - 1)
    numbered = ((n, tuple(row)) for n, row in enumerate(reader, start=2))
    return Table([h.strip() for h in header], numbered, total)


def map_columns(kind: str, headers: list[str]) -> tuple[dict[int, Column], list[str]]:
    """{position: Column} for the headers of a file; ImportProblem for missing or repeated ones.
    Returns also the headers that match no column (ignored)."""
    by_key = {header_key(c.header): c for c in COLUMNS[kind]}
    found: dict[int, Column] = {}
    seen: set[str] = set()
    unknown = []
    for position, text in enumerate(headers):
        if not text:
            continue
        column = by_key.get(header_key(text))
        if column is None:
            unknown.append(text)
            continue
        if column.key in seen:
            raise ImportProblem(_("Cột “%(c)s” xuất hiện hai lần.") % {"c": column.title})
        seen.add(column.key)
        found[position] = column
    missing = [c.title for c in COLUMNS[kind] if c.required and c.key not in seen]
    if missing:
        raise ImportProblem(
            _("Tệp thiếu cột bắt buộc: %(cols)s. Hãy dùng tệp mẫu.") % {"cols": ", ".join(missing)}
        )
    return found, unknown


# --- checking --------------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    values: dict  # cleaned, ready for the model
    extra: dict = field(default_factory=dict)  # m2m and links
    duplicate: bool = False


@dataclass
class Checked:
    rows: list[Row]
    errors: list[dict]
    error_rows: int
    duplicates: list[dict]
    total: int
    ignored_columns: list[str]


class _Context:
    """What the checks look up, read once per file (not once per row)."""

    def __init__(self, *, agency, actor, kind: str):
        self.agency, self.actor, self.kind = agency, actor, kind
        self.field_codes = set(FieldOfScience.objects.values_list("code", flat=True))
        orgs = Organisation.objects.active().filter(agency=agency)
        self.org_by_tax: dict[str, list[int]] = defaultdict(list)
        self.org_by_name: dict[str, list[int]] = defaultdict(list)
        self.org_by_abbreviation: dict[str, list[int]] = defaultdict(list)
        for pk, tax, key, abbreviation in orgs.values_list(
            "pk", "tax_code", "name_key", "abbreviation"
        ):
            if tax:
                self.org_by_tax[tax].append(pk)
            self.org_by_name[key].append(pk)
            if abbreviation:
                self.org_by_abbreviation[name_key(abbreviation)].append(pk)
        self.person_by_name: dict[str, list[int]] = defaultdict(list)
        self.person_by_orcid: dict[str, list[int]] = defaultdict(list)
        self.results: dict[tuple[str, int], list[int]] = defaultdict(list)
        if kind in ("person", "result"):
            for pk, key, orcid in (
                Person.objects.active().filter(agency=agency).values_list("pk", "name_key", "orcid")
            ):
                self.person_by_name[key].append(pk)
                if orcid:
                    self.person_by_orcid[orcid].append(pk)
        if kind == "result":
            for pk, title, year in Result.objects.filter(agency=agency).values_list(
                "pk", "title", "year"
            ):
                self.results[(name_key(title), year)].append(pk)
        self.choice_maps: dict[str, dict[str, str]] = {}
        self.may_confidential = bool(
            actor is not None
            and can_set_access(actor, Organisation(agency=agency), Access.CONFIDENTIAL)
        )


CHOICES = {
    "kind:organisation": Organisation.Kind.choices,
    "kind:result": Result.Kind.choices,
    "access": Access.choices,
    "degree": Person.Degree.choices,
    "title": Person.Title.choices,
    "gender": Person.Gender.choices,
}


def _choice_value(ctx: _Context, name: str, value):
    """A Vietnamese label ("Doanh nghiệp") as its stored value ("enterprise"), looked up in a
    table made once per file; anything else is left for the registry's check to judge."""
    if name not in ctx.choice_maps:
        table = {}
        for stored, label in CHOICES[name]:
            table[str(stored).lower()] = stored
            table[str(label).lower()] = stored
        ctx.choice_maps[name] = table
    text = str(value or "").strip()
    return ctx.choice_maps[name].get(text.lower(), text)


def _codes(value, ctx: _Context, errors: dict, key: str) -> list[str]:
    codes = [c for c in re.split(r"[,;\s]+", str(value or "")) if c]
    unknown = [c for c in codes if c not in ctx.field_codes]
    if unknown:
        errors[key] = _("Mã lĩnh vực không có trong bảng phân loại: %(c)s.") % {
            "c": ", ".join(unknown)
        }
    return list(dict.fromkeys(c for c in codes if c in ctx.field_codes))


def _tax_text(value) -> str:
    if isinstance(value, int):  # typed as a number in Excel: the leading zero is lost
        return str(value).zfill(10) if value < 10**10 else str(value)
    return str(value or "")


_PROVINCES: dict[str, int | None] = {}


def _province_code(text: str) -> int | None:
    """`units.province_by_name`, remembered: a file names the same few provinces many times."""
    if text not in _PROVINCES:
        if len(_PROVINCES) > 10_000:
            _PROVINCES.clear()
        _PROVINCES[text] = units.province_by_name(text)
    return _PROVINCES[text]


def _province(values: dict, errors: dict) -> tuple[int | None, int | None]:
    raw_p, raw_w = values.get("province", ""), values.get("ward", "")
    province = ward = None
    if raw_p not in ("", None):
        text = str(raw_p).strip()
        province = int(text) if text.isdigit() else _province_code(text)
        if province is None:
            errors["province"] = _(
                "Không có tỉnh/thành phố “%(v)s” trong danh mục đơn vị hành chính hiện hành."
            ) % {"v": text}
    if raw_w not in ("", None):
        text = str(raw_w).strip()
        if text.isdigit():
            ward = int(text)
        elif province:
            wanted = fold(text)
            for code, wname in units.ward_choices(province):
                folded = fold(wname)
                if folded == wanted or folded.endswith(" " + wanted):
                    ward = code
                    break
            if ward is None:
                errors["ward"] = _("Không có phường/xã “%(v)s” thuộc %(p)s.") % {
                    "v": text,
                    "p": units.province_name(province),
                }
    return province, ward


def _organisation_ref(value, ctx: _Context, errors: dict, key: str) -> int | None:
    """A stored organisation named by tax code, by name or by abbreviation (folded)."""
    text = _tax_text(value).strip()
    if not text:
        return None
    digits = re.sub(r"[\s.\-]", "", text)
    matches = []
    if digits.isdigit() and len(digits) in (10, 13):
        canonical = digits if len(digits) == 10 else f"{digits[:10]}-{digits[10:]}"
        matches = ctx.org_by_tax.get(canonical, [])
    if not matches:
        matches = ctx.org_by_name.get(name_key(text), [])
    if not matches:
        matches = ctx.org_by_abbreviation.get(name_key(text), [])
    if len(matches) == 1:
        return matches[0]
    if not matches:
        errors[key] = _(
            "Không tìm thấy tổ chức “%(v)s” trong cơ sở dữ liệu; hãy nhập tổ chức trước."
        ) % {"v": text}
    else:
        errors[key] = _("Có %(n)d tổ chức tên “%(v)s”; hãy ghi mã số thuế để chỉ rõ.") % {
            "n": len(matches),
            "v": text,
        }
    return None


def _authors(value, ctx: _Context, errors: dict) -> list[tuple[int, str]]:
    out, problems = [], []
    for name in [n.strip() for n in str(value or "").split(";") if n.strip()]:
        by_orcid = True
        try:
            matches = ctx.person_by_orcid.get(clean_orcid(name), [])
        except ValidationError:
            by_orcid, matches = False, ctx.person_by_name.get(name_key(name), [])
        if len(matches) == 1:
            if matches[0] not in [pk for pk, _n in out]:
                out.append((matches[0], name))
        elif not matches:
            problems.append(_("không tìm thấy nhà khoa học “%(v)s”") % {"v": name})
        elif by_orcid:
            problems.append(
                _("có %(n)d nhà khoa học có ORCID %(v)s (cần gộp bản ghi trùng trước)")
                % {"n": len(matches), "v": name}
            )
        else:
            problems.append(
                _("có %(n)d nhà khoa học tên “%(v)s” (ghi ORCID để chỉ rõ)")
                % {"n": len(matches), "v": name}
            )
    if problems:
        text = "; ".join(problems)
        errors["authors"] = text[:1].upper() + text[1:] + "."
    return out


def _validate(cleaner, data: dict, errors: dict, renames: dict) -> dict:
    try:
        return cleaner(data)
    except FieldErrors as exc:
        for name, message in exc.errors.items():
            errors.setdefault(renames.get(name, name), message)
        return {}


def _check_access(cleaned: dict, ctx: _Context, errors: dict) -> None:
    if cleaned.get("access") == Access.CONFIDENTIAL and not ctx.may_confidential:
        errors["access"] = _("Chỉ lãnh đạo Sở hoặc quản trị viên được đặt mức Mật.")


_TEXT_KEYS = {
    "organisation": (
        "name abbreviation english_name kind description address st_registration_no "
        "st_registration_date st_registration_issuer st_enterprise_cert_no "
        "st_enterprise_cert_date phone email website access"
    ).split(),
    "person": (
        "full_name degree title gender birth_year orcid keywords email phone is_expert "
        "public_consent access"
    ).split(),
    "result": (
        "kind title abstract year registration_no registration_date doi url keywords access"
    ).split(),
}


def _organisation_row(values: dict, ctx: _Context, errors: dict) -> Row | None:
    data = {k: values.get(k, "") for k in _TEXT_KEYS["organisation"]}
    data["kind"] = _choice_value(ctx, "kind:organisation", data["kind"])
    data["access"] = _choice_value(ctx, "access", data["access"])
    data["tax_code"] = _tax_text(values.get("tax_code", ""))
    province, ward = _province(values, errors)
    data["province_code"] = None if "province" in errors else province
    data["ward_code"] = None if {"province", "ward"} & errors.keys() else ward
    codes = _codes(values.get("fields"), ctx, errors, "fields")
    cleaned = _validate(
        clean_organisation, data, errors, {"province_code": "province", "ward_code": "ward"}
    )
    _check_access(cleaned, ctx, errors)
    if errors:
        return None
    cleaned.pop("fields", None)
    return Row(0, cleaned, {"fields": codes})


def _person_row(values: dict, ctx: _Context, errors: dict) -> Row | None:
    data = {k: values.get(k, "") for k in _TEXT_KEYS["person"]}
    for name in ("degree", "title", "gender", "access"):
        data[name] = _choice_value(ctx, name, data[name])
    codes = _codes(values.get("fields"), ctx, errors, "fields")
    expert_codes = _codes(values.get("expert_fields"), ctx, errors, "expert_fields")
    org = _organisation_ref(values.get("organisation"), ctx, errors, "organisation")
    position = str(values.get("position") or "").strip()
    if len(position) > 255:
        errors["position"] = _("Dài quá %(n)d ký tự.") % {"n": 255}
    cleaned = _validate(clean_person, data, errors, {})
    _check_access(cleaned, ctx, errors)
    if errors:
        return None
    for name in ("fields", "expert_fields"):
        cleaned.pop(name, None)
    extra = {
        "fields": codes,
        "expert_fields": expert_codes,
        "organisation": org,
        "position": position,
    }
    return Row(0, cleaned, extra)


def _result_row(values: dict, ctx: _Context, errors: dict) -> Row | None:
    data = {k: values.get(k, "") for k in _TEXT_KEYS["result"]}
    data["kind"] = _choice_value(ctx, "kind:result", data["kind"])
    data["access"] = _choice_value(ctx, "access", data["access"])
    field_code = None
    if values.get("field") not in ("", None):
        codes = _codes(values.get("field"), ctx, errors, "field")
        if len(codes) > 1:
            errors["field"] = _("Chỉ ghi một mã lĩnh vực.")
        field_code = codes[0] if codes else None
    authors = _authors(values.get("authors"), ctx, errors)
    host = _organisation_ref(values.get("host"), ctx, errors, "host")
    cleaned = _validate(clean_result, data, errors, {"field_id": "field"})
    _check_access(cleaned, ctx, errors)
    if errors:
        return None
    cleaned.pop("field_id", None)
    cleaned["field_id"] = field_code
    return Row(0, cleaned, {"authors": authors, "host": host})


ROW_CHECKS = {"organisation": _organisation_row, "person": _person_row, "result": _result_row}


def _label(kind: str, key: str) -> str:
    for column in COLUMNS[kind]:
        if column.key == key:
            return str(column.header)
    return ""


def _find_duplicates(kind: str, rows: list[Row], ctx: _Context) -> list[dict]:
    """Likely duplicates: rows that repeat one another, and rows that match stored records
    (the registry's rules, `khcn.registry.dedupe`)."""
    Reason = dedupe.Reason
    found: dict[int, list[dict]] = defaultdict(list)
    if kind == "organisation":
        in_file = [
            (Reason.TAX_CODE, [r.values.get("tax_code", "") for r in rows]),
            (Reason.NAME, [name_key(r.values["name"]) for r in rows]),
        ]
    elif kind == "person":
        in_file = [
            (Reason.ORCID, [r.values.get("orcid", "") for r in rows]),
            (
                Reason.NAME_ORGANISATION,
                [
                    f"{name_key(r.values['full_name'])}|{r.extra['organisation']}"
                    if r.extra["organisation"]
                    else ""
                    for r in rows
                ],
            ),
        ]
    else:
        in_file = [(None, [f"{name_key(r.values['title'])}|{r.values['year']}" for r in rows])]
    for reason, keys in in_file:
        label = str(Reason(reason).label) if reason else _("Trùng tên và năm")
        for indexes in dedupe.rows_duplicates(keys).values():
            for i in indexes:
                others = [rows[j].number for j in indexes if j != i]
                found[i].append({"reason": label, "rows": others})
    for i, row in enumerate(rows):
        stored = []
        if kind == "organisation":
            name, tax = row.values["name"], row.values.get("tax_code", "")
            if (tax and tax in ctx.org_by_tax) or name_key(name) in ctx.org_by_name:
                stored = dedupe.organisation_candidates(agency=ctx.agency, name=name, tax_code=tax)
        elif kind == "person":
            name, orcid = row.values["full_name"], row.values.get("orcid", "")
            if (orcid and orcid in ctx.person_by_orcid) or name_key(name) in ctx.person_by_name:
                org_ids = [row.extra["organisation"]] if row.extra["organisation"] else []
                stored = dedupe.person_candidates(
                    agency=ctx.agency, full_name=name, orcid=orcid, organisation_ids=org_ids
                )
        else:
            ids = ctx.results.get((name_key(row.values["title"]), row.values["year"]), [])
            for pk in ids:
                found[i].append(
                    {
                        "reason": _("Trùng tên và năm"),
                        "with": [{"id": pk, "name": row.values["title"]}],
                    }
                )
        for cand in stored:
            found[i].append(
                {
                    "reason": cand.reason_label,
                    "with": [{"id": cand.record.pk, "name": str(cand.record)}],
                }
            )
    out = []
    for i in sorted(found):
        rows[i].duplicate = True
        for item in found[i]:
            out.append({"row": rows[i].number, **item})
    return out


def batch_path(batch: ImportBatch) -> Path:
    return blob_path(batch.file_sha256)


def import_check(batch: ImportBatch, *, progress: Callable[[int], None] | None = None) -> Checked:
    """Read and check every row of the batch's file. Writes nothing; ImportProblem when the
    file as a whole is unusable."""
    kind = batch.kind
    table = open_table(batch_path(batch), batch.file_ext)
    try:
        mapping, ignored = map_columns(kind, table.headers)
        ctx = _Context(agency=batch.agency, actor=batch.owner, kind=kind)
        check = ROW_CHECKS[kind]
        rows: list[Row] = []
        errors: list[dict] = []
        error_rows = 0
        total = 0
        step = max(500, table.total // 50) if table.total else 500
        for number, raw in table.rows:
            values = {}
            for position, column in mapping.items():
                values[column.key] = _cell(raw[position]) if position < len(raw) else ""
            if all(v in ("", None) for v in values.values()):
                continue
            total += 1
            row_errors: dict[str, str] = {}
            missing = [c for c in COLUMNS[kind] if c.required and values.get(c.key) in ("", None)]
            for column in missing:
                row_errors[column.key] = _("Trường này không được để trống.")
            row = None if missing else check(values, ctx, row_errors)
            if row_errors:
                error_rows += 1
                for key, message in row_errors.items():
                    if len(errors) < ImportBatch.ERRORS_KEPT:
                        errors.append(
                            {"row": number, "column": _label(kind, key), "message": str(message)}
                        )
            elif row is not None:
                row.number = number
                rows.append(row)
            if progress and total % step == 0:
                progress(min(95, int(95 * total / max(table.total, total, 1))))
        if total == 0:
            raise ImportProblem(_("Tệp không có dòng dữ liệu nào (ngoài dòng tiêu đề)."))
        duplicates = _find_duplicates(kind, rows, ctx)
    finally:
        table.close()
    return Checked(rows, errors, error_rows, duplicates, total, ignored)


# --- writing ---------------------------------------------------------------------------------


def _write_organisations(rows: list[Row], *, agency, actor) -> list[Organisation]:
    objs = []
    for row in rows:
        org = Organisation(agency=agency, created_by=actor, **row.values)
        org.name_key = name_key(org.name)
        org.refresh_unit_names()
        objs.append(org)
    Organisation.objects.bulk_create(objs, batch_size=CHUNK)
    Through = Organisation.fields.through
    Through.objects.bulk_create(
        [
            Through(organisation_id=o.pk, fieldofscience_id=code)
            for o, row in zip(objs, rows, strict=True)
            for code in row.extra["fields"]
        ],
        batch_size=CHUNK,
    )
    return objs


def _write_people(rows: list[Row], *, agency, actor) -> list[Person]:
    now = clock.now()
    objs = []
    for row in rows:
        person = Person(agency=agency, created_by=actor, **row.values)
        person.name_key = name_key(person.full_name)
        if person.public_consent:
            person.consent_at = now
        objs.append(person)
    Person.objects.bulk_create(objs, batch_size=CHUNK)
    for name in ("fields", "expert_fields"):
        Through = getattr(Person, name).through
        Through.objects.bulk_create(
            [
                Through(person_id=p.pk, fieldofscience_id=code)
                for p, row in zip(objs, rows, strict=True)
                for code in row.extra[name]
            ],
            batch_size=CHUNK,
        )
    Affiliation.objects.bulk_create(
        [
            Affiliation(
                person=p, organisation_id=row.extra["organisation"], position=row.extra["position"]
            )
            for p, row in zip(objs, rows, strict=True)
            if row.extra["organisation"]
        ],
        batch_size=CHUNK,
    )
    return objs


def _write_results(rows: list[Row], *, agency, actor) -> list[Result]:
    objs = [Result(agency=agency, created_by=actor, **row.values) for row in rows]
    Result.objects.bulk_create(objs, batch_size=CHUNK)
    Authorship.objects.bulk_create(
        [
            Authorship(result=r, person_id=pk, order=order, name=name)
            for r, row in zip(objs, rows, strict=True)
            for order, (pk, name) in enumerate(row.extra["authors"], start=1)
        ],
        batch_size=CHUNK,
    )
    ResultOrganisation.objects.bulk_create(
        [
            ResultOrganisation(result=r, organisation_id=row.extra["host"])
            for r, row in zip(objs, rows, strict=True)
            if row.extra["host"]
        ],
        batch_size=CHUNK,
    )
    return objs


WRITERS = {
    "organisation": _write_organisations,
    "person": _write_people,
    "result": _write_results,
}


def _index(kind: str, objs: list) -> None:
    """Index the new records for search in bulk, with the type's own prefetching."""
    from khcn.search.registry import TYPES
    from khcn.search.services import index_objects

    search_type = TYPES[kind]
    ids = [o.pk for o in objs]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        base = search_type.queryset() if search_type.queryset else search_type.model.objects
        index_objects(key=kind, objects=base.filter(pk__in=chunk))


def _flag(objs: list, rows: list[Row], *, actor) -> int:
    """Store the registry's duplicate flags for the new records that looked like duplicates."""
    flagged = 0
    if not objs or not isinstance(objs[0], Organisation | Person):
        return 0
    for obj, row in zip(objs, rows, strict=True):
        if not row.duplicate:
            continue
        for flag in dedupe.flag_duplicates(obj, actor=actor):
            flagged += 1
            record(
                actor=actor,
                action=AuditAction.REGISTRY_DUPLICATE_FLAGGED,
                obj=flag,
                agency=obj.agency,
                after={"a": str(flag.a), "b": str(flag.b), "reason": flag.reason},
            )
    return flagged


def _report(batch: ImportBatch, checked: Checked) -> None:
    batch.total_rows = checked.total
    batch.error_rows = checked.error_rows
    batch.errors = checked.errors
    batch.duplicates = checked.duplicates[: ImportBatch.ERRORS_KEPT]
    batch.duplicate_rows = len({d["row"] for d in checked.duplicates})
    batch.message = (
        _("Các cột không dùng đến (bỏ qua): %(c)s.") % {"c": ", ".join(checked.ignored_columns)}
        if checked.ignored_columns
        else ""
    )


def _save_progress(batch_id: int):
    def save(percent: int) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(progress=percent)

    return save


def import_run_check(batch_id: int) -> ImportBatch | None:
    """The check job: idempotent (a batch already checked is left as it is)."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.PENDING).update(
        status=ImportBatch.Status.VALIDATING, progress=0
    )
    if not claimed:
        return None
    batch = ImportBatch.objects.select_related("agency", "owner").get(pk=batch_id)
    try:
        checked = import_check(batch, progress=_save_progress(batch_id))
    except (ImportProblem, FileNotFoundError) as exc:
        batch.status = ImportBatch.Status.FAILED
        batch.message = getattr(exc, "message", None) or _("Không đọc được tệp đã tải lên.")
        batch.progress = 100
        batch.validated_at = clock.now()
        batch.save()
        return batch
    _report(batch, checked)
    batch.status = ImportBatch.Status.INVALID if checked.error_rows else ImportBatch.Status.READY
    batch.progress = 100
    batch.validated_at = clock.now()
    batch.save()
    return batch


@transaction.atomic
def import_confirm(*, actor, batch: ImportBatch, request=None) -> ImportBatch:
    """Staff confirm a checked batch: the writing job is queued. Refused while any row has an
    error, and for a batch already written or cancelled."""
    require(actor, "registry.manage", batch.agency)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportBatch.Status.INVALID or batch.error_rows:
        raise DomainError(
            _("Tệp còn %(n)d dòng lỗi: sửa tệp rồi tải lên lại; chưa có dòng nào được ghi.")
            % {"n": batch.error_rows},
            status=409,
        )
    if batch.status != ImportBatch.Status.READY:
        raise DomainError(
            _("Lần nhập này đang ở tình trạng “%(s)s”, không thể ghi.")
            % {"s": batch.get_status_display()},
            status=409,
        )
    batch.status = ImportBatch.Status.IMPORTING
    batch.imported_by = actor
    batch.progress = 0
    batch.save(update_fields=["status", "imported_by", "progress"])
    from khcn.registry.interop.jobs import write_import

    transaction.on_commit(lambda: write_import.enqueue(batch.pk))
    return batch


@transaction.atomic
def import_cancel(*, actor, batch: ImportBatch) -> ImportBatch:
    require(actor, "registry.manage", batch.agency)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status not in (
        ImportBatch.Status.READY,
        ImportBatch.Status.INVALID,
        ImportBatch.Status.FAILED,
    ):
        raise DomainError(
            _("Lần nhập này đang chạy, đã ghi hoặc đã hủy: không hủy được."), status=409
        )
    batch.status = ImportBatch.Status.CANCELLED
    batch.save(update_fields=["status"])
    return batch


def import_write(batch_id: int) -> ImportBatch | None:
    """The writing job: check the file again (the database may have changed since the
    preview) and write every row in one transaction; any error writes nothing.

    Idempotent: only a batch in "importing" is written, and its status changes in the same
    transaction as the rows."""
    try:
        with transaction.atomic():
            batch = (
                ImportBatch.objects.select_for_update(of=("self",))
                .select_related("agency", "owner", "imported_by")
                .filter(pk=batch_id, status=ImportBatch.Status.IMPORTING)
                .first()
            )
            if batch is None:
                return None
            actor = batch.imported_by or batch.owner
            checked = import_check(batch)
            if checked.error_rows:
                raise _Refused(checked)
            objs = WRITERS[batch.kind](checked.rows, agency=batch.agency, actor=actor)
            flagged = _flag(objs, checked.rows, actor=actor)
            _index(batch.kind, objs)
            _report(batch, checked)
            batch.created_count = len(objs)
            batch.status = ImportBatch.Status.IMPORTED
            batch.progress = 100
            batch.imported_at = clock.now()
            batch.save()
            record(
                actor=actor,
                action=AuditAction.REGISTRY_IMPORTED,
                obj=batch,
                agency=batch.agency,
                after={
                    "kind": batch.kind,
                    "file": batch.file_name,
                    "rows": checked.total,
                    "created": len(objs),
                    "duplicates_flagged": flagged,
                    "duplicate_rows": batch.duplicate_rows,
                },
            )
            return batch
    except _Refused as refused:
        batch = ImportBatch.objects.get(pk=batch_id)
        _report(batch, refused.checked)
        batch.status = ImportBatch.Status.INVALID
        batch.progress = 100
        batch.save()
        return batch
    except Exception as exc:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.Status.FAILED,
            progress=100,
            message=getattr(exc, "message", "")
            or _(
                "Có lỗi khi ghi; không có bản ghi nào được ghi. Hãy thử lại hoặc báo quản trị viên."
            ),
        )
        if isinstance(exc, ImportProblem):
            return ImportBatch.objects.get(pk=batch_id)
        raise


class _Refused(Exception):
    def __init__(self, checked: Checked):
        super().__init__("rows with errors")
        self.checked = checked
