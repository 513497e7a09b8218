"""The printed ledger: title row, bold frozen header with autofilter, widths from the content, readable dates,
landscape A4 fitted to the width, write-only streaming; demo order numbers rise with their dates."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from openpyxl import load_workbook

from api.ledger_sheet import DATE_TIME_WIDTH, HEADERS, display_width, ledger_title, ledger_workbook, \
    workbook_bytes
from api.seed import seed_demo
from domain.complaints.models import Complaint


def _row(n: int, compound: str = "阳光小区") -> list:
    at = datetime(2026, 3, 5, 14, 30)
    return [f"TS-2026-{n:06d}", "", "12345热线", "投诉", "环境卫生", "一般", "楼道堆物", compound, "张*",
            "138****5678", at, "已派单", "某物业服务有限公司", at, at, "否", None, None, 0, 0, ""]


def _sheet(rows: list, title: str = "诉求台账") -> tuple:
    workbook = ledger_workbook(rows, title=title)
    assert workbook.write_only  # streamed rows, bounded memory
    loaded = load_workbook(BytesIO(workbook_bytes(workbook)))
    return loaded, loaded.active


def test_title_row_then_a_bold_frozen_header_with_an_autofilter_over_all_rows():
    title = ledger_title("状态=已派单；超期=是", datetime(2026, 12, 2, 12, 15))
    _, sheet = _sheet([_row(1), _row(2), _row(3)], title)

    assert sheet["A1"].value == "诉求台账　筛选：状态=已派单；超期=是　导出时间：2026-12-02 12:15（北京时间）"
    assert sheet["A1"].font.bold
    assert [c.value for c in sheet[2]] == HEADERS and all(c.font.bold for c in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:U5"
    assert sheet.max_row == 5


def test_landscape_a4_fitted_to_one_page_wide_with_the_header_on_every_page():
    _, sheet = _sheet([_row(1)])

    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (int(sheet.page_setup.fitToWidth), int(sheet.page_setup.fitToHeight)) == (1, 0)
    assert sheet.print_title_rows == "$2:$2"


def test_dates_are_readable_and_their_columns_wide_enough_never_hashes():
    _, sheet = _sheet([_row(1)])

    for column in ("K", "N", "O"):
        cell = sheet[f"{column}3"]
        assert cell.value == datetime(2026, 3, 5, 14, 30)
        assert cell.number_format == "yyyy-mm-dd hh:mm"
        assert sheet.column_dimensions[column].width >= DATE_TIME_WIDTH >= len("2026-03-05 14:30")


def test_widths_come_from_the_content_counting_chinese_characters_double():
    long_name = "北京市东城区和平里街道第一社区幸福家园小区"  # 21 characters, 42 units
    _, narrow = _sheet([_row(1)])
    _, wide = _sheet([_row(1), _row(2, compound=long_name)])

    assert display_width(long_name) == 42
    assert narrow.column_dimensions["H"].width < wide.column_dimensions["H"].width
    assert wide.column_dimensions["H"].width == 40  # capped: longer text wraps instead of widening the page
    assert narrow.column_dimensions["H"].width >= display_width("阳光小区")


async def test_demo_order_numbers_rise_with_their_dates(db):
    await seed_demo(scale=1, seed=7)

    orders = await Complaint.all().order_by("sequence").values_list("received_at", flat=True)
    assert len(orders) >= 10
    assert orders == sorted(orders)
