"""Find the data files and read them into raw records: field key → Cell, with positions."""

from __future__ import annotations

import fnmatch
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .fields import KINDS, Field, Kind, find_header, header_map
from .headers import header_location, known_names, map_columns, pick_header
from .problems import Location, Report
from .shapes import Shaped, supplied
from .sources import Cell, CsvError, CsvTable, read_csv, read_text, read_yaml
from .workbook import read_sheets

# The folder of the body's own pages (records/pages.py, which says where it is: pages_dir).
PAGES_FOLDER = "pages"
# Files that may sit in data/ without being data.
IGNORED_NAMES = {"README.md", "readme.md", ".gitkeep", ".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass
class RawRecord:
    kind: str
    loc: Location
    cells: dict[str, Cell]
    # keys no field has, with their values: reported, never converted, but scanned by the guard like every cell
    unknown: list[tuple[Cell, Cell]] = field(default_factory=list)


@dataclass
class CsvBlock:
    """A CSV file's rows, converted column by column (see Converter.table)."""

    kind: str
    file: str
    columns: dict[str, int]  # field key -> 0-based column
    rows: list[list[str]]
    positions: list[tuple[int, int]]  # (line, Excel row) of each row
    missing: frozenset[str]  # required columns reported missing at the header
    sheet: str = ""  # a workbook's worksheet; then each position is (sheet row, sheet row)
    year: int | None = None  # the one year its title, sheet or file name names: the year of 上半年, 1-6月
    shown: dict[str, int] = field(default_factory=dict)  # a placed value's key → the column it came from
    optional: set[str] = field(default_factory=set)  # required fields this table's shape may leave blank
    shaped: Shaped = field(default_factory=Shaped)  # what records/shapes.py added
    header: Location = Location("")  # where the header row is: a remark about the whole table is made there

    def loc(self, line: int, column: int, excel_row: int = 0) -> Location:
        return Location(self.file, line, column, 0 if self.sheet else excel_row, self.sheet)


def display_path(data_dir: Path, path: Path) -> str:
    return (data_dir / path.relative_to(data_dir)).as_posix()


def discover(data_dir: Path, report: Report) -> dict[str, list[Path]]:
    """Files of each kind, sorted so that every build reads them in the same order.

    Only regular files inside data/ are read: a symbolic link that leads out of data/ (to
    /etc/passwd, or to a table kept elsewhere) is refused, and so is anything that is not a
    regular file (a FIFO would block the build, a device would never end).
    """
    found: dict[str, list[Path]] = {name: [] for name in KINDS}
    claimed: set[Path] = set()
    root = data_dir.resolve()
    for kind in KINDS.values():
        for pattern in kind.globs:
            for path in _glob_any_case(data_dir, pattern):
                if path not in claimed and not path.name.startswith("~$") and readable(root, data_dir, path, report):
                    found[kind.name].append(path)
                claimed.add(path)
        found[kind.name].sort()
    for path in sorted(data_dir.rglob("*")):
        if path in claimed or ignorable(data_dir, path) or path.is_dir() and not path.is_symlink():
            continue
        if path.relative_to(data_dir).parts[0] == PAGES_FOLDER:  # the body's own pages: records/pages.py reads them
            continue
        if not readable(root, data_dir, path, report) or path.is_dir():
            continue
        if path.suffix.lower() in OTHER_SPREADSHEETS:
            report.add("bad-workbook", Location(display_path(data_dir, path)),
                       f"{path.suffix} 格式的表格不能读取，这个文件没有读入")
        else:
            report.warn("unknown-file", Location(display_path(data_dir, path)), "这个文件不属于任何一类数据，已忽略")
    return found


def _glob_any_case(data_dir: Path, pattern: str) -> list[Path]:
    """The files of a folder whose names match, in any case: Windows tools write 职权.CSV and 清单.XLSX."""
    folder, _, name = pattern.rpartition("/")
    base = data_dir / folder if folder else data_dir
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if fnmatch.fnmatchcase(p.name.lower(), name))


# Spreadsheet formats that are not .xlsx: refused by name, with what to do (an unknown file is only a warning, and
# a register kept as .xls would vanish from the site without an error).
OTHER_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".ods", ".et", ".numbers", ".wps")


def readable(root: Path, data_dir: Path, path: Path, report: Report) -> bool:
    """A regular file inside data/ (after following links); anything else is reported."""
    shown = Location(display_path(data_dir, path))
    try:
        target = path.resolve(strict=True)
        mode = target.stat().st_mode
    except (OSError, RuntimeError):  # a dangling link or a loop of links
        report.add("symlink-outside", shown, "这个链接指向的文件不存在")
        return False
    if not target.is_relative_to(root):
        if path.is_symlink():
            report.add("symlink-outside", shown, "这个链接指向数据文件夹之外，不会读取")
        # else: a file inside a linked folder, which is reported once, at the link, and never read
        return False
    if stat.S_ISDIR(mode):
        return True
    if not stat.S_ISREG(mode):
        report.add("special-file", shown, "这不是普通文件（可能是管道或设备文件），不会读取")
        return False
    return True


def ignorable(data_dir: Path, path: Path) -> bool:
    rel = path.relative_to(data_dir)
    return (
        path.name in IGNORED_NAMES
        or path.name.startswith("~$")  # Excel's lock files
        or any(part.startswith(".") for part in rel.parts)
    )


def read_kind(kind: Kind, paths: list[Path], data_dir: Path, report: Report) -> list[RawRecord | CsvBlock]:
    records: list[RawRecord | CsvBlock] = []
    for path in paths:
        shown = display_path(data_dir, path)
        if path.suffix.lower() == ".xlsx":
            records += workbook_blocks(kind, path, shown, report)
            continue
        text = read_text(path, shown, report)
        if text is not None:
            records += parse_text(kind, text, shown, path.suffix.lower() == ".csv", report)
    return records


def workbook_blocks(kind: Kind, source, shown: str, report: Report) -> list[CsvBlock]:
    """A workbook's tables (``source``: its path, or its bytes as a file object, as read from git history)."""
    blocks = []
    for sheet in read_sheets(source, shown, report, pick_header(kind.fields)):
        table = CsvTable(sheet.header, sheet.rows, sheet.positions, sheet.title)
        block = _block(kind, table, shown, report, sheet.sheet)
        _judge_formulas(kind, block, sheet.formulas, report)
        blocks.append(block)
    return blocks


def _judge_formulas(kind: Kind, block: CsvBlock, formulas: frozenset[tuple[int, int]], report: Report) -> None:
    """Published values that a formula computed: Excel's cached result is what is read, and it may not be what the
    formula computes now (a cell cached 公开 whose formula gives 草稿). Nobody here can compute Excel formulas, so a
    formula is refused where it decides whether a record is published (公开状态, 公开范围), and said once per column
    elsewhere."""
    if not formulas:
        return
    rows = {r for r, _ in block.positions}
    by_column: dict[int, list[int]] = {}
    for r, c in sorted(formulas):
        if r in rows:
            by_column.setdefault(c, []).append(r)
    fields = {col + 1: f for f in kind.fields if (col := block.columns.get(f.key)) is not None}
    for c, formula_rows in sorted(by_column.items()):
        f = fields.get(c)
        if f is not None and f.decides_publication:
            for r in formula_rows:
                report.add("formula-status", block.loc(r, c), f"{f.label}是公式：是否公开必须直接写明，不能由公式算出",
                           field=f.label)
        else:
            more = f"（这一列共 {len(formula_rows)} 格是公式）" if len(formula_rows) > 1 else ""
            report.warn("formula-value", block.loc(formula_rows[0], c),
                        f"这一格是公式，公开的是 Excel 上次保存时算出的结果{more}", field=f.label if f else "")


def parse_text(kind: Kind, text: str, shown: str, is_csv: bool, report: Report) -> list[RawRecord | CsvBlock]:
    """One file's decoded text; also used on files read from git history, which are never on disk."""
    if is_csv:
        block = _csv_block(kind, text, shown, report)
        return [] if block is None else [block]
    return _yaml_records(kind, text, shown, report)


def _csv_block(kind: Kind, text: str, shown: str, report: Report) -> CsvBlock | None:
    try:
        table = read_csv(text, shown)
    except CsvError as e:
        report.add(e.code, Location(shown, e.line, 1), e.message)
        return None
    if table is None:
        report.warn("empty-file", Location(shown, 1, 1), "文件没有内容")
        return None
    return _block(kind, _below_title(table, kind), shown, report)


def _below_title(table: CsvTable, kind: Kind) -> CsvTable:
    """The table from its real header row down, when title rows stand above it."""
    first = pick_header(kind.fields)([[c.value for c in table.header], *table.rows])
    if first == 0:
        return table
    line, excel_row = table.positions[first - 1]
    header = [Cell(v, Location(table.header[0].loc.file, line, i + 1, excel_row))
              for i, v in enumerate(table.rows[first - 1])]
    title = " ".join(v for row in [[c.value for c in table.header], *table.rows[:first - 1]] for v in row if v.strip())
    return CsvTable(header, table.rows[first:], table.positions[first:], title)


def _block(kind: Kind, table: CsvTable, shown: str, report: Report, sheet: str = "") -> CsvBlock:
    columns = map_columns(kind, table.header, report, table.rows)
    missing = frozenset(f.key for f in kind.fields if f.required and f.key not in columns)
    for f in kind.fields:
        if f.key in missing - supplied(kind, columns):
            report.add("missing-column", header_location(table.header), f"缺少必填列“{f.label}”（{f.key}）",
                       field=f.label, hint=_missing_hint(f))
    block = CsvBlock(kind.name, shown, columns, table.rows, table.positions, missing, sheet,
                     year_named(table.title, sheet, shown.rpartition("/")[2]), header=header_location(table.header))
    width = len(table.header)
    while width and not str(table.header[width - 1].value).strip():
        width -= 1
    for row, (line, excel_row) in zip(table.rows, table.positions):
        for i in range(width, len(row)):
            if row[i].strip():
                report.add("unknown-column", block.loc(line, i + 1, excel_row), f"第 {i + 1} 列有内容但没有表头")
    return block


def year_named(*texts: str) -> int | None:
    """The year a table's title, sheet or file name names (2024年上半年工作推进情况), when it names exactly one."""
    years = {int(y) for text in texts for y in re.findall(r"(?<!\d)((?:19|20)\d\d)\s*年", text or "")}
    return years.pop() if len(years) == 1 else None


def _missing_hint(f: Field) -> str:
    names = "、".join(f"“{a}”" for a in (f.label, *f.aliases[:3]))
    if f.type == "id":  # published tables rarely carry one: say why it is needed
        return f"在表头加上这一列（列名可写{names}）；编号用作网址，应保持不变"
    return f"在表头加上这一列（列名可写{names}）"


def _yaml_records(kind: Kind, text: str, shown: str, report: Report) -> list[RawRecord]:
    before = len(report.problems)
    root = read_yaml(text, shown, report)
    if root is None:
        if len(report.problems) == before:  # no syntax error: the file is empty
            report.warn("empty-file", Location(shown, 1, 1), "文件没有内容")
        return []
    if kind.name == "site" or (not kind.tabular and isinstance(root.value, dict)):
        items = [root]
    elif isinstance(root.value, list):
        items = root.value
    else:
        report.add("yaml-structure", root.loc, f"{kind.label}文件应当是一个列表（每项以“- ”开头）")
        return []
    out = []
    for item in items:
        unknown: list[tuple[Cell, Cell]] = []
        cells = map_fields(item, kind.fields, report, unknown)
        if cells is not None:
            out.append(RawRecord(kind.name, item.loc, cells, unknown))
    return out


def map_fields(item: Cell, fields: tuple[Field, ...], report: Report,
               unknown: list[tuple[Cell, Cell]] | None = None) -> dict[str, Cell] | None:
    """A YAML mapping's keys (English or Chinese) → field keys; unknown keys are reported (and added to
    ``unknown`` with their values when it is given)."""
    if not isinstance(item.value, dict):
        report.add("yaml-structure", item.loc, "这里应当是一组“键: 值”")
        return None
    names = header_map(fields)
    cells: dict[str, Cell] = {}
    spelled: dict[str, str] = {}
    for name, (key_cell, value) in item.value.items():
        f = find_header(names, name)
        if f is None:
            report.add("unknown-column", key_cell.loc, f"无法识别的键“{name}”", hint=known_names(fields))
            if unknown is not None:
                unknown.append((key_cell, value))
        elif f.key in cells:
            report.add("duplicate-key", key_cell.loc, f"“{name}”与“{spelled[f.key]}”是同一项", field=f.label)
        else:
            cells[f.key] = value
            spelled[f.key] = name
    return cells
