"""Spreadsheets (.xlsx via openpyxl, .csv/.tsv via the csv module) to table sections.

Each sheet is split into table regions (runs of non-empty rows; a blank row
ends a region). A region's first row is its header; the region is cut into
sections of at most :data:`ROWS_PER_SECTION` rows, each starting with the
header row again, so every chunk can be read on its own. A section's
``heading_path`` is ``('Sheet "Q3" A1:F20',)``: the sheet and the exact cell
range it covers, which is what a citation shows. Formulas give their cached
values (what Excel last showed). Sheets over :data:`SHEET_MAX_ROWS` rows, or
a workbook over :data:`SHEET_MAX_CELLS` cells, are read up to the cap, with
a visible note saying so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .base import DocumentBuilder, ParsedDocument, ParseError
from .detect import APPLICATION_XLSX, TEXT_CSV
from .limits import SHEET_MAX_CELLS, SHEET_MAX_ROWS, zip_check
from .plain import filename_stem

ROWS_PER_SECTION = 20  # data rows under one repeated header


def xlsx_parse(*, data: bytes, filename: str) -> ParsedDocument:
    """Parse every visible worksheet. Raises ``ParseError("corrupt XLSX: ...")`` when
    openpyxl cannot open it. ``title``: core properties title, else the file name."""
    zip_check(data, name=filename, kind="XLSX").close()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for bad packages
        raise ParseError(f"corrupt XLSX: {exc or type(exc).__name__}") from exc
    builder = DocumentBuilder(media_type=APPLICATION_XLSX)
    budget = [SHEET_MAX_CELLS]
    try:
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            _sheet_add(builder, name=sheet.title, rows=sheet.iter_rows(values_only=True), budget=budget)
        title = (workbook.properties.title or "").strip() if workbook.properties else ""
    finally:
        workbook.close()
    return builder.build(title=title or filename_stem(filename))


def csv_parse(*, text: str, filename: str) -> ParsedDocument:
    """Parse a CSV or TSV file as one sheet named after the file; the dialect
    (delimiter, quoting) is sniffed from the first lines."""
    sample = text[:64 * 1024]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel_tab if filename.lower().endswith(".tsv") else csv.excel
    builder = DocumentBuilder(media_type=TEXT_CSV)
    stem = filename_stem(filename)
    reader = csv.reader(io.StringIO(text), dialect)
    _sheet_add(builder, name=stem, rows=reader, budget=[SHEET_MAX_CELLS])
    return builder.build(title=stem)


def _sheet_add(builder: DocumentBuilder, *, name: str, rows: Iterable[tuple], budget: list[int]) -> None:
    region: list[tuple[int, list[str]]] = []  # (1-based row number, cells)
    for number, row in enumerate(rows, start=1):
        cells = [_cell_text(value) for value in row]
        while cells and not cells[-1]:
            cells.pop()
        if number > SHEET_MAX_ROWS or budget[0] - len(cells) < 0:
            _region_add(builder, name=name, region=region)
            limit = "row" if number > SHEET_MAX_ROWS else "cell"
            builder.note(f'sheet "{name}" was cut at row {number - 1} (the {limit} limit); later rows are not indexed',
                         heading_path=(f'Sheet "{name}"',))
            return
        budget[0] -= len(cells)
        if any(cells):
            region.append((number, cells))
        elif region:
            _region_add(builder, name=name, region=region)
            region = []
    _region_add(builder, name=name, region=region)


def _region_add(builder: DocumentBuilder, *, name: str, region: list[tuple[int, list[str]]]) -> None:
    if not region:
        return
    width = max(len(cells) for _, cells in region)
    first_column = min(next(i for i, c in enumerate(cells) if c) for _, cells in region)
    header_number, header = region[0]
    body = region[1:]
    columns = (get_column_letter(first_column + 1), get_column_letter(width))

    def line(cells: list[str]) -> str:
        return " | ".join(cells[first_column:width])

    if not body:
        builder.add(line(header), heading_path=(_range(name, columns, header_number, header_number),), kind="table")
        return
    for batch in _batches(body, ROWS_PER_SECTION):
        start, end = batch[0][0], batch[-1][0]
        text = "\n".join([line(header)] + [line(cells) for _, cells in batch])
        first = header_number if start == body[0][0] else start
        builder.add(text, heading_path=(_range(name, columns, first, end),), kind="table")


def _range(name: str, columns: tuple[str, str], first: int, last: int) -> str:
    return f'Sheet "{name}" {columns[0]}{first}:{columns[1]}{last}'


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return " ".join(str(value).split())
