"""Spreadsheets written by the system: the import templates and the list exports.

Exports stream: XLSX through openpyxl's write-only mode (rows go to a temporary file, never
all in memory as cells), CSV row by row to the response (UTF-8 with BOM, so Excel shows the
Vietnamese letters)."""

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from khcn.registry.interop.columns import COLUMNS
from khcn.registry.interop.imports import DATA_SHEET

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
LISTS_SHEET = "Danh mục"
GUIDE_SHEET = "Hướng dẫn"
VALIDATED_ROWS = 5000


def template_xlsx(kind: str) -> bytes:
    """The import template: the data sheet (headers, one example row, drop-down lists for
    the columns with fixed values), a guide sheet and a hidden sheet with the lists."""
    columns = COLUMNS[kind]
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    lists = book.create_sheet(LISTS_SHEET)
    guide = book.create_sheet(GUIDE_SHEET)
    for position, column in enumerate(columns, start=1):
        letter = get_column_letter(position)
        cell = sheet.cell(row=1, column=position, value=column.title)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        example = sheet.cell(row=2, column=position, value=column.example or None)
        example.number_format = "@"
        sheet.column_dimensions[letter].width = column.width
        if column.key in ("tax_code", "orcid", "fields", "expert_fields", "field"):
            for row in range(2, 3):
                sheet.cell(row=row, column=position).number_format = "@"
        if column.choices:
            values = column.choices()
            for i, value in enumerate(values, start=1):
                lists.cell(row=i, column=position, value=value)
            validation = DataValidation(
                type="list",
                formula1=f"='{LISTS_SHEET}'!${letter}$1:${letter}${len(values)}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Giá trị không có trong danh mục"),
                error=_("Chọn một giá trị trong danh sách."),
            )
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 32
    lists.sheet_state = "hidden"
    guide.append([_("Cột"), _("Bắt buộc"), _("Ghi chú")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in columns:
        guide.append([column.title, _("Có") if column.required else "", str(column.note or "")])
    guide.append([])
    guide.append(
        [
            _(
                "Xóa dòng ví dụ trước khi tải lên. Mỗi dòng là một bản ghi; ngày ghi dạng "
                "dd/mm/yyyy. Không ghi gì vào cơ sở dữ liệu cho đến khi cán bộ xác nhận."
            )
        ]
    )
    guide.column_dimensions["A"].width = 40
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(kind: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.title for c in COLUMNS[kind]])
    writer.writerow([c.example for c in COLUMNS[kind]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- streaming exports -----------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "x" if value else ""
    return str(value)


def csv_stream(headers: list[str], rows: Iterable[list]) -> Iterator[str]:
    """CSV text chunk by chunk: BOM, header line, one line per row."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers)
    for row in rows:
        yield writer.writerow([_text(v) for v in row])


def xlsx_file(headers: list[str], rows: Iterable[list], *, title: str):
    """An XLSX export written in write-only mode to a temporary file; returns the open file
    (positioned at 0) to stream from. Dates stay dates (shown dd/mm/yyyy)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    from openpyxl.cell import WriteOnlyCell

    head = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        head.append(cell)
    sheet.append(head)
    for row in rows:
        out = []
        for value in row:
            if isinstance(value, dt.datetime):
                value = value.replace(tzinfo=None)
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "dd/mm/yyyy"
                out.append(cell)
            elif isinstance(value, bool):
                out.append("x" if value else "")
            else:
                out.append(value)
        sheet.append(out)
    handle = tempfile.TemporaryFile()
    book.save(handle)
    handle.seek(0)
    return handle
