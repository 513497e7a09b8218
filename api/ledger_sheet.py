"""The complaint ledger as a sheet staff can print: a title row (the filter and the time of export), a bold frozen
header with an autofilter, widths from the content, readable dates, landscape A4 fitted to the page width.

Written in openpyxl's write-only mode: rows stream to a temporary file instead of a cell object per value, so
100,000 rows stay in bounded memory (bench/ledger.py measures it).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

HEADERS = [
    "工单编号", "外部编号", "渠道", "诉求类型", "问题类别", "紧急程度", "标题", "小区", "诉求人", "联系电话",
    "受理时间", "状态", "承办单位", "派单时间", "办理时限", "是否超期", "办结时间", "销号时间", "重办次数",
    "吹哨次数", "最近回访满意度",
]
DATE_TIME = "yyyy-mm-dd hh:mm"
DATE_TIME_WIDTH = 17  # "2026-03-05 14:30" plus a margin: never "###"
MIN_WIDTH, MAX_WIDTH = 6, 40  # characters; longer text (titles) wraps at print time rather than widening the page
SAMPLE_ROWS = 2_000  # widths are measured on the first rows: a bounded pass, enough for a ledger's columns


def display_width(value: Any) -> int:
    """Width in Excel character units: a CJK character takes two."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return DATE_TIME_WIDTH
    text = value.isoformat() if isinstance(value, date) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    widths = [display_width(h) + 4 for h in headers]  # room for the autofilter's arrow
    for row in rows[:SAMPLE_ROWS]:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], display_width(value) + 2)
    return [min(MAX_WIDTH, max(MIN_WIDTH, w)) for w in widths]


def ledger_title(filter_words: str, exported_at: datetime) -> str:
    return f"诉求台账　筛选：{filter_words}　导出时间：{exported_at:%Y-%m-%d %H:%M}（北京时间）"


def ledger_workbook(rows: Sequence[Sequence[Any]], *, title: str = "诉求台账",
                    headers: Sequence[str] = HEADERS) -> Workbook:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("诉求台账")
    widths = column_widths(headers, rows)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    last_column = get_column_letter(len(headers))
    sheet.freeze_panes = "A3"  # the title and the header stay while scrolling
    sheet.auto_filter.ref = f"A2:{last_column}{len(rows) + 2}"
    sheet.print_title_rows = "2:2"  # the header on every printed page
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as needed
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.gridLines = True

    heading = WriteOnlyCell(sheet, value=title)
    heading.font = Font(bold=True, size=13)
    sheet.append([heading])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    header_cells = []
    for name in headers:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    return workbook


def _cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_TIME
        return cell
    return value


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
