"""Read Excel workbooks (.xlsx) into the same tables as CSV files: one table per visible worksheet.

openpyxl reads the file as Excel saved it. Three things in real registers need care:
- merged cells: only the top-left cell holds the value; every cell of the range gets it, and a
  warning names the range, because a merge often hides a mistake (a leader meant for one row only);
- formulas: the value shown is the one Excel cached when it last saved the file; a file written by
  a program that never calculated it has none, which is an error rather than a silent blank;
- typed cells: numbers, dates and booleans become the text the CSV reader would have given, so one
  converter serves both; a date cell formatted without a day (2023年10月) stays a month.

Problems are located as file › sheet › cell (Location.sheet; line = the sheet's row, column = its column).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .problems import Location, Report
from .sources import Cell

# Sheets that hold help or dropdown lists, not records (the generated templates have both).
HELP_SHEETS = {"填写说明", "填表说明", "说明", "选项", "帮助", "使用说明"}
MAX_UNPACKED = 512 * 2**20  # a 100,000-row register unpacks to well under 100 MB
EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!"}


@dataclass
class SheetTable:
    """Like sources.CsvTable, for one worksheet: every row's position is (row, row)."""

    sheet: str
    header: list[Cell]
    rows: list[list[str]]
    positions: list[tuple[int, int]]


def read_sheets(path: Path, shown: str, report: Report, pick_header) -> list[SheetTable]:
    """Every visible data sheet as a table; ``pick_header(rows)`` says which row holds the header
    (published tables often have a title row above it)."""
    import openpyxl  # imported here: only workbooks need it, and it takes a while to import

    try:
        with zipfile.ZipFile(path) as z:  # a few KB may unpack to gigabytes: look before openpyxl does
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED:
                report.add("bad-workbook", Location(shown), f"工作簿解压后超过 {MAX_UNPACKED // 2**20} MB，不会读取",
                           hint="检查文件是否正确；很大的表格请拆成几个文件")
                return []
        wb = openpyxl.load_workbook(path, data_only=False)
    # A zip whose parts are damaged (a cut sheet, broken XML, a string index out of range) fails inside openpyxl's
    # parsing with whatever that raises: the file cannot be opened, which is said, at the file.
    except Exception as e:  # noqa: BLE001
        report.add("bad-workbook", Location(shown), f"无法作为 Excel 工作簿（.xlsx）打开：{type(e).__name__}")
        return []
    cached = None  # the values Excel cached for formulas, loaded only if a formula is met
    tables = []
    for ws in wb.worksheets:
        # Hidden sheets hold the dropdowns' lists (our blank workbooks' 选项 too): not data.
        if ws.sheet_state != "visible" or ws.title.strip() in HELP_SHEETS:
            continue
        grid, formulas = _grid(ws, shown, report)
        _warn_hidden(ws, grid, shown, report)
        if formulas:
            if cached is None:
                cached = openpyxl.load_workbook(path, data_only=True)
            _fill_formulas(grid, formulas, cached[ws.title], shown, ws.title, report)
        table = _table(ws, grid, shown, report, pick_header)
        if table is not None:
            tables.append(table)
    wb.close()
    if not tables:
        report.warn("empty-file", Location(shown), "工作簿中没有读到任何表格（没有可见的、有内容的工作表）",
                    hint="把表格放在一个可见的工作表中；“说明”“填写说明”等工作表不会读取")
    return tables


def _warn_hidden(ws, grid: list[list[str]], shown: str, report: Report) -> None:
    """Hidden rows and columns are read and published like the others (hiding is how a sheet is often kept for
    print; dropping them silently would lose data): said, so nobody takes hiding for withholding."""
    from openpyxl.utils import column_index_from_string, get_column_letter

    for r, row in enumerate(grid, start=1):
        if ws.row_dimensions[r].hidden and any(v.strip() for v in row):
            report.warn("hidden-cells", Location(shown, r, 0, 0, ws.title),
                        "这一行在 Excel 中是隐藏的，但照样会读取和公开")
    for letter, dim in sorted(ws.column_dimensions.items()):
        if not dim.hidden:
            continue
        first, last = dim.min or column_index_from_string(letter), dim.max or column_index_from_string(letter)
        for c in range(first, min(last, ws.max_column) + 1):
            if any(c <= len(row) and row[c - 1].strip() for row in grid):
                report.warn("hidden-cells", Location(shown, 1, c, 0, ws.title),
                            f"第 {get_column_letter(c)} 列在 Excel 中是隐藏的，但照样会读取和公开")


# Excel keeps 15 significant digits of a number: an 18-digit ID number or a long code typed into a number cell has
# already lost its last digits (and an ID number so cut passes the privacy guard's check digit).
LONG_NUMBER = 10 ** 15


def _grid(ws, shown: str, report: Report) -> tuple[list[list[str]], list[tuple[int, int, str]]]:
    """The sheet's values as text (row-major, 0-based), and the formulas met: (row, column, formula). Error values
    (#N/A) and numbers Excel has cut to 15 digits are reported at their cells as they are met."""
    grid: list[list[str]] = []
    formulas: list[tuple[int, int, str]] = []
    for r, row in enumerate(ws.iter_rows(), start=1):
        texts = []
        for c, cell in enumerate(row, start=1):
            value = cell.value
            if cell.data_type == "f":  # a formula (an array formula is an object with .text)
                formulas.append((r, c, str(getattr(value, "text", value))))
                texts.append("")
                continue
            if cell.data_type == "e":  # an error value Excel shows (#N/A typed, or left by a deleted formula)
                report.add("formula-no-value", Location(shown, r, c, 0, ws.title), f"这一格是 Excel 的错误值 {value}",
                           hint="改为要填写的内容，或清空这一格")
                texts.append(str(value))  # kept as shown: the error is said once, at the cell, not as an empty field
                continue
            if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= LONG_NUMBER:
                digits = len(str(int(abs(value))))
                report.add("long-number", Location(shown, r, c, 0, ws.title),
                           f"这一格是 {digits} 位的数字，Excel 只保存 15 位有效数字，后面几位已经变了")
            texts.append(cell_text(value, cell.number_format))
        grid.append(texts)
    return grid, formulas


def _fill_formulas(grid, formulas, values_ws, shown: str, sheet: str, report: Report) -> None:
    for r, c, formula in formulas:
        cell = values_ws.cell(row=r, column=c)
        where = Location(shown, r, c, 0, sheet)
        if cell.value is None:
            report.add("formula-no-value", where, f"这一格是公式（{formula}），文件中没有保存它的计算结果")
        elif isinstance(cell.value, str) and cell.value in EXCEL_ERRORS:
            report.add("formula-no-value", where, f"这一格的公式（{formula}）算出的是错误值 {cell.value}",
                       hint="在 Excel 中修正公式，或把这一格改为直接填写的值")
        else:
            grid[r - 1][c - 1] = cell_text(cell.value, cell.number_format)


def _table(ws, grid: list[list[str]], shown: str, report: Report, pick_header) -> SheetTable | None:
    nonblank = [(r, row) for r, row in enumerate(grid, start=1) if any(v.strip() for v in row)]
    if not nonblank:
        return None
    header_row, header = nonblank[pick_header([row for _, row in nonblank])]
    _fill_merged(ws, grid, header_row, shown, report)
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    rows, positions = [], []
    for r in range(header_row + 1, len(grid) + 1):
        row = grid[r - 1]
        if any(v.strip() for v in row):
            rows.append(row)
            positions.append((r, r))
    cells = [Cell(v, Location(shown, header_row, c, 0, ws.title)) for c, v in enumerate(grid[header_row - 1], start=1)]
    return SheetTable(ws.title, cells, rows, positions)


def _fill_merged(ws, grid, header_row: int, shown: str, report: Report) -> None:
    """Copy each merged range's top-left value into its other cells; warn for ranges from the header down."""
    for rng in sorted(ws.merged_cells.ranges, key=lambda g: (g.min_row, g.min_col)):
        value = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(grid) else ""
        if rng.max_row < header_row:
            continue  # a title above the table
        for r in range(rng.min_row, min(rng.max_row, len(grid)) + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if c <= len(grid[r - 1]):
                    grid[r - 1][c - 1] = value
        shown_value = value if len(value) <= 20 else value[:20] + "…"
        report.warn("merged-cells", Location(shown, rng.min_row, rng.min_col, 0, ws.title),
                    f"合并单元格 {rng.coord}：每一格都按左上角的值“{shown_value}”读取")


def cell_text(value, number_format: str = "General") -> str:
    """A typed cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, dt.datetime | dt.date):
        return _date_text(value, number_format)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def _date_text(value: dt.date, number_format: str) -> str:
    fmt = (number_format or "").lower()
    # A format without a day (yyyy"年"m"月", mmm-yy) means the person typed a month.
    if "d" not in fmt.replace("[red]", "") and any(ch in fmt for ch in "my"):
        return f"{value.year}年{value.month}月"
    if isinstance(value, dt.datetime) and (value.hour or value.minute):
        return value.strftime("%Y-%m-%d %H:%M")
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
