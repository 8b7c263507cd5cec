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
import re
import zipfile
from dataclasses import dataclass

from .problems import Location, Report
from .sources import Cell

# Sheets that hold help or dropdown lists, not records (the generated templates have both).
HELP_SHEETS = {"填写说明", "填表说明", "说明", "选项", "帮助", "使用说明"}
MAX_UNPACKED = 256 * 2**20  # a 100,000-row register unpacks to well under 100 MB
EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!"}


@dataclass
class SheetTable:
    """Like sources.CsvTable, for one worksheet: every row's position is (row, row)."""

    sheet: str
    header: list[Cell]
    rows: list[list[str]]
    positions: list[tuple[int, int]]
    formulas: frozenset[tuple[int, int]] = frozenset()  # (row, column) of the cells whose value is a formula's
    title: str = ""  # the text of the rows above the header


# What a register needs, with room: judged in the workbook's XML before openpyxl loads a cell (one cell at XFD1048576
# or a merge A4:XFD1048576 in a 5 KB file took minutes and gigabytes, since openpyxl makes every merged cell).
MAX_COLUMN = 1024
MAX_ROW = 1_048_576  # Excel's own
MAX_CELLS = 4_000_000  # all sheets: a 100,000-row register of 40 columns
MAX_MERGED_CELLS = 200_000  # all merged ranges' cells together


def read_sheets(path, shown: str, report: Report, pick_header) -> list[SheetTable]:
    """Every visible data sheet as a table; ``pick_header(rows)`` says which row holds the header
    (published tables often have a title row above it)."""
    import openpyxl  # imported here: only workbooks need it, and it takes a while to import

    try:
        if not _within_bounds(path, shown, report):
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
                if hasattr(path, "seek"):
                    path.seek(0)
                cached = openpyxl.load_workbook(path, data_only=True)
            _fill_formulas(grid, formulas, cached[ws.title], shown, ws.title, report)
        table = _table(ws, grid, shown, report, pick_header)
        if table is not None:
            table.formulas = frozenset((r, c) for r, c, _ in formulas)
            tables.append(table)
    wb.close()
    if not tables:
        report.warn("empty-file", Location(shown), "工作簿中没有读到任何表格（没有可见的、有内容的工作表）",
                    hint="把表格放在一个可见的工作表中；“说明”“填写说明”等工作表不会读取")
    return tables


# ---------------------------------------------------------------- bounds, judged in the XML before loading


_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]{1,4})([0-9]{1,8})\"")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\sref=\"([A-Z]{1,4})([0-9]{1,8})(?::([A-Z]{1,4})([0-9]{1,8}))?\"")


def _within_bounds(path, shown: str, report: Report) -> bool:
    """Whether the workbook is small enough to load: its unpacked size, every cell's and merge's place and the
    number of cells, read from its sheets' XML in one streaming pass (each is reported at its sheet and cell)."""
    with zipfile.ZipFile(path) as z:  # a few KB may unpack to gigabytes: look before openpyxl does
        if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED:
            report.add("bad-workbook", Location(shown), f"工作簿解压后超过 {MAX_UNPACKED // 2**20} MB，不会读取",
                       hint="检查文件是否正确；很大的表格请拆成几个文件")
            return False
        names = _sheet_names(z)
        cells = merged = 0
        for info in z.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            sheet = names.get(info.filename, info.filename)
            found = _scan_sheet(z, info, shown, sheet, report)
            if found is None:
                return False
            cells, merged = cells + found[0], merged + found[1]
        if cells > MAX_CELLS or merged > MAX_MERGED_CELLS:
            what = f"{cells} 个单元格" if cells > MAX_CELLS else f"合并单元格共 {merged} 格"
            report.add("bad-workbook", Location(shown), f"工作簿有 {what}，超过能读取的范围，不会读取",
                       hint="很大的表格请拆成几个文件；合并单元格请取消合并后逐格填写")
            return False
    return True


def _scan_sheet(z: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, sheet: str, report: Report):
    """(cells, merged cells) of one sheet part, or None after reporting a cell or merge out of bounds."""
    from openpyxl.utils import column_index_from_string

    cells = merged = 0
    carry = b""
    with z.open(info) as f:
        while chunk := f.read(1 << 20):
            data = carry + chunk
            cut = data.rfind(b">") + 1  # tags are read whole: what follows the last ">" waits for the next chunk
            data, carry = data[:cut], data[cut:]
            cells += len(_CELL_TAG.findall(data))
            for m in _CELL_REF.finditer(data):
                col, row = column_index_from_string(m.group(1).decode()), int(m.group(2))
                if col > MAX_COLUMN or row > MAX_ROW:
                    return _far(shown, sheet, m.group(1).decode() + m.group(2).decode(), col, row, report)
            for m in _MERGE.finditer(data):
                first_col, first_row = column_index_from_string(m.group(1).decode()), int(m.group(2))
                last_col = column_index_from_string(m.group(3).decode()) if m.group(3) else first_col
                last_row = int(m.group(4)) if m.group(4) else first_row
                if max(first_col, last_col) > MAX_COLUMN or max(first_row, last_row) > MAX_ROW:
                    ref = m.group(0).split(b'ref="')[1].rstrip(b'"').decode()
                    report.add("bad-workbook", Location(shown, first_row, first_col, 0, sheet),
                               f"合并单元格 {ref} 超出表格的范围（最多 {MAX_COLUMN} 列），不会读取这个工作簿",
                               hint="取消这个合并单元格")
                    return None
                merged += (abs(last_col - first_col) + 1) * (abs(last_row - first_row) + 1)
    return cells, merged


def _far(shown: str, sheet: str, ref: str, col: int, row: int, report: Report) -> None:
    report.add("bad-workbook", Location(shown, row, col, 0, sheet),
               f"单元格 {ref} 离表格太远（超过 {MAX_COLUMN} 列），不会读取这个工作簿",
               hint="删除表格右边和下面多余的单元格（选中后“删除”，不是“清除内容”），再保存")
    return None


def _sheet_names(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet part (xl/worksheets/sheet1.xml) → the sheet's name, from the workbook's own XML; {} if unreadable."""
    import xml.etree.ElementTree as ET

    try:
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        book = ET.fromstring(z.read("xl/workbook.xml"))
    except (KeyError, ET.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet"):
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "").lstrip("/")
            out[target if target.startswith("xl/") else f"xl/{target}"] = sheet.get("name", "")
    return out


# ---------------------------------------------------------------- reading the cells


def _warn_hidden(ws, grid: dict[int, list[str]], shown: str, report: Report) -> None:
    """Hidden rows and columns are read and published like the others (hiding is how a sheet is often kept for
    print; dropping them silently would lose data): said, so nobody takes hiding for withholding."""
    from openpyxl.utils import column_index_from_string, get_column_letter

    for r, row in grid.items():
        if r in ws.row_dimensions and ws.row_dimensions[r].hidden and any(v.strip() for v in row):
            report.warn("hidden-cells", Location(shown, r, 0, 0, ws.title),
                        "这一行在 Excel 中是隐藏的，但照样会读取和公开")
    width = max((len(row) for row in grid.values()), default=0)
    for letter, dim in sorted(ws.column_dimensions.items()):
        if not dim.hidden:
            continue
        first, last = dim.min or column_index_from_string(letter), dim.max or column_index_from_string(letter)
        for c in range(first, min(last, width) + 1):
            if any(c <= len(row) and row[c - 1].strip() for row in grid.values()):
                report.warn("hidden-cells", Location(shown, 1, c, 0, ws.title),
                            f"第 {get_column_letter(c)} 列在 Excel 中是隐藏的，但照样会读取和公开")


# Excel keeps 15 significant digits of a number: an 18-digit ID number or a long code typed into a number cell has
# already lost its last digits (and an ID number so cut passes the privacy guard's check digit).
LONG_NUMBER = 10 ** 15


def _grid(ws, shown: str, report: Report) -> tuple[dict[int, list[str]], list[tuple[int, int, str]]]:
    """The sheet's values as text, by row number (only the rows that have cells: a cell far below the table does not
    make a million empty rows), and the formulas met: (row, column, formula). Error values (#N/A), numbers Excel has
    cut to 15 digits and cells whose format hides them (;;;) are reported at their cells as they are met."""
    grid: dict[int, list[str]] = {}
    formulas: list[tuple[int, int, str]] = []
    hidden_by_format: list[tuple[int, int, str]] = []
    for (r, c), cell in sorted(ws._cells.items()):  # the cells the file has, not every cell of the bounding box
        row = grid.setdefault(r, [])
        if len(row) < c:
            row.extend([""] * (c - len(row)))
        value = cell.value
        if cell.data_type == "f":  # a formula (an array formula is an object with .text)
            formulas.append((r, c, str(getattr(value, "text", value))))
            continue
        if cell.data_type == "e":  # an error value Excel shows (#N/A typed, or left by a deleted formula)
            report.add("formula-no-value", Location(shown, r, c, 0, ws.title), f"这一格是 Excel 的错误值 {value}",
                       hint="改为要填写的内容，或清空这一格")
            row[c - 1] = str(value)  # kept as shown: the error is said once, at the cell, not as an empty field
            continue
        if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= LONG_NUMBER:
            digits = len(str(int(abs(value))))
            report.add("long-number", Location(shown, r, c, 0, ws.title),
                       f"这一格是 {digits} 位的数字，Excel 只保存 15 位有效数字，后面几位已经变了")
        row[c - 1] = cell_text(value, cell.number_format)
        if row[c - 1].strip() and _hides_content(cell.number_format):
            hidden_by_format.append((r, c, cell.number_format))
    if hidden_by_format:
        r, c, fmt = hidden_by_format[0]
        more = f"（本表共 {len(hidden_by_format)} 格）" if len(hidden_by_format) > 1 else ""
        report.warn("hidden-cells", Location(shown, r, c, 0, ws.title),
                    f"这一格的数字格式（{fmt}）让内容在 Excel 中看不见，但照样会读取和公开{more}")
    return grid, formulas


def _hides_content(number_format: str) -> bool:
    """A format whose every section is empty (;;; and its kin): Excel shows the cell blank whatever it holds."""
    fmt = (number_format or "").strip()
    return ";" in fmt and all(not part.replace('""', "").strip() for part in fmt.split(";"))


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
            grid[r][c - 1] = cell_text(cell.value, cell.number_format)


def _table(ws, grid: dict[int, list[str]], shown: str, report: Report, pick_header) -> SheetTable | None:
    nonblank = [(r, grid[r]) for r in sorted(grid) if any(v.strip() for v in grid[r])]
    if not nonblank:
        return None
    header_row, header = nonblank[pick_header([row for _, row in nonblank])]
    _fill_merged(ws, grid, header_row, shown, report)
    rows, positions = [], []
    for r in sorted(grid):
        if r > header_row and any(v.strip() for v in grid[r]):
            rows.append(grid[r])
            positions.append((r, r))
    cells = [Cell(v, Location(shown, header_row, c, 0, ws.title)) for c, v in enumerate(grid[header_row], start=1)]
    title = " ".join(v for r in sorted(grid) if r < header_row for v in grid[r] if v.strip())
    return SheetTable(ws.title, cells, rows, positions, title=title)


def _fill_merged(ws, grid: dict[int, list[str]], header_row: int, shown: str, report: Report) -> None:
    """Copy each merged range's top-left value into its other cells; warn for ranges from the header down."""
    for rng in sorted(ws.merged_cells.ranges, key=lambda g: (g.min_row, g.min_col)):
        top = grid.get(rng.min_row, [])
        value = top[rng.min_col - 1] if rng.min_col <= len(top) else ""
        if rng.max_row < header_row:
            continue  # a title above the table
        for r in range(rng.min_row, rng.max_row + 1):  # within MAX_MERGED_CELLS in all (judged before loading)
            row = grid.get(r)
            if row is None:
                continue
            for c in range(rng.min_col, min(rng.max_col, len(row)) + 1):
                row[c - 1] = value
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
