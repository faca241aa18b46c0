"""Sheets to files: CSV in the French convention (Pix's), XLSX with real dates and numbers.

CSV: `;` between values, decimal comma, UTF-8 with a BOM (Excel then reads accents), every text
quoted, dates `dd/mm/yyyy`, CRLF line ends. XLSX: one sheet per `Sheet`, bold frozen header,
a filter on the table, dates as real dates in local time (`dd/mm/yyyy`), percentages as
fractions shown `0,0 %`, several lines in a cell wrapped. Text is always `safe_text`'d.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from course.coordinator.sheets import Column, Sheet, Value, safe_text

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
PERCENT_FORMAT = "0.0%"
TEXT = Column("", "text")


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def csv_value(value: Value, column: Column) -> str:
    """One CSV field as written between the separators."""
    if value is None or value == "":
        return ""
    if column.kind == "text" or isinstance(value, str):
        return _quoted(value)
    if column.kind == "date" or (isinstance(value, date) and not isinstance(value, datetime)):
        return value.strftime("%d/%m/%Y")  # type: ignore[union-attr]
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if column.kind == "percent":
        return _number(float(value) * 100)
    if column.kind == "integer":
        return str(int(value))
    return _number(float(value))


def _quoted(text: object) -> str:
    return '"' + safe_text(text).replace('"', '""') + '"'


def csv_title(column: Column) -> str:
    return _quoted(column.title + (" (%)" if column.kind == "percent" else ""))


def to_csv(sheet: Sheet) -> str:
    lines = [f"{_quoted(label)};{_quoted(value)}" for label, value in sheet.intro]
    if sheet.intro:
        lines.append("")
    lines.append(";".join(csv_title(c) for c in sheet.columns))
    for row in sheet.rows:
        lines.append(";".join(csv_value(v, c) for v, c in zip(row, sheet.columns, strict=True)))
    return "\r\n".join(lines) + "\r\n"


def write_csv(path: Path, sheet: Sheet) -> None:
    path.write_text(to_csv(sheet), encoding="utf-8-sig", newline="")


def csv_paths(output: Path, sheets: Sequence[Sheet]) -> list[Path]:
    """The first sheet goes to `output`, the others beside it (`resultats-questions.csv`)."""
    paths = [output]
    for sheet in sheets[1:]:
        paths.append(output.with_name(f"{output.stem}-{sheet.slug or sheet.name}{output.suffix}"))
    return paths


def write_csvs(output: Path, sheets: Sequence[Sheet]) -> list[Path]:
    paths = csv_paths(output, sheets)
    for path, sheet in zip(paths, sheets, strict=True):
        write_csv(path, sheet)
    return paths


def write_xlsx(path: Path, sheets: Sequence[Sheet]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        _fill(book.create_sheet(sheet.name[:31]), sheet)
    book.save(path)


def _fill(ws: Any, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    for r, (label, value) in enumerate(sheet.intro, start=1):
        _put(ws.cell(r, 1), label, TEXT)
        _put(ws.cell(r, 2), value, TEXT)
        ws.cell(r, 1).font = bold
    header_row = len(sheet.intro) + 2 if sheet.intro else 1
    for n, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(header_row, n)
        _put(cell, column.title, TEXT)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(sheet.rows, start=header_row + 1):
        for n, (item, column) in enumerate(zip(row, sheet.columns, strict=True), start=1):
            _put(ws.cell(r, n), item, column)
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + len(sheet.rows)}"
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    for n, column in enumerate(sheet.columns, start=1):
        width = column.width or max(10, min(40, len(column.title) + 2))
        ws.column_dimensions[get_column_letter(n)].width = width


def _put(cell: Any, value: Value, column: Column) -> None:
    from openpyxl.styles import Alignment

    if value is None or value == "":
        cell.value = None
        return
    if column.kind == "text" or isinstance(value, str):
        text = safe_text(value)
        cell.value = text
        cell.data_type = "s"  # never a formula, whatever openpyxl would guess
        if "\n" in text:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return
    if isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)  # already local time (Europe/Paris)
        cell.number_format = DATETIME_FORMAT
        return
    if isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
        return
    cell.value = value
    if column.kind == "percent":
        cell.number_format = PERCENT_FORMAT
