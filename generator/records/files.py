"""Find the data files and read them into raw records: field key → Cell, with positions."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

from .fields import KINDS, Field, Kind, header_map
from .problems import Location, Report
from .sources import Cell, CsvError, read_csv, read_text, read_yaml

# Files that may sit in data/ without being data.
IGNORED_NAMES = {"README.md", "readme.md", ".gitkeep", ".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass
class RawRecord:
    kind: str
    loc: Location
    cells: dict[str, Cell]


@dataclass
class CsvBlock:
    """A CSV file's rows, converted column by column (see Converter.table)."""

    kind: str
    file: str
    columns: dict[str, int]  # field key -> 0-based column
    rows: list[list[str]]
    positions: list[tuple[int, int]]  # (line, Excel row) of each row
    missing: frozenset[str]  # required columns reported missing at the header


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
            for path in sorted(data_dir.glob(pattern)):
                if path not in claimed and not path.name.startswith("~$") and _readable(root, data_dir, path, report):
                    found[kind.name].append(path)
                claimed.add(path)
        found[kind.name].sort()
    for path in sorted(data_dir.rglob("*")):
        if path in claimed or _ignorable(data_dir, path) or path.is_dir() and not path.is_symlink():
            continue
        if _readable(root, data_dir, path, report) and not path.is_dir():
            report.warn("unknown-file", Location(display_path(data_dir, path)), "这个文件不属于任何一类数据，已忽略")
    return found


def _readable(root: Path, data_dir: Path, path: Path, report: Report) -> bool:
    """A regular file inside data/ (after following links); anything else is reported."""
    shown = Location(display_path(data_dir, path))
    try:
        target = path.resolve(strict=True)
        mode = target.stat().st_mode
    except (OSError, RuntimeError):  # a dangling link or a loop of links
        report.add("symlink-outside", shown, "这个链接指向的文件不存在")
        return False
    if path.is_symlink() and not target.is_relative_to(root):
        report.add("symlink-outside", shown, "这个链接指向数据文件夹之外的文件，不会读取")
        return False
    if stat.S_ISDIR(mode):
        return True
    if not stat.S_ISREG(mode):
        report.add("special-file", shown, "这不是普通文件（可能是管道或设备文件），不会读取")
        return False
    return True


def _ignorable(data_dir: Path, path: Path) -> bool:
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
        text = read_text(path, shown, report)
        if text is not None:
            records += parse_text(kind, text, shown, path.suffix.lower() == ".csv", report)
    return records


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
    names = header_map(kind.fields)
    columns: dict[str, int] = {}
    for i, cell in enumerate(table.header):
        name = cell.value.strip().lstrip("\ufeff")
        f = names.get(name) or names.get(name.lower())
        if f is None:
            if name:
                report.add("unknown-column", cell.loc, f"无法识别的列名“{name}”", hint=_known_names(kind.fields))
        elif f.key in columns:
            report.add("duplicate-column", cell.loc, f"“{name}”与第 {columns[f.key] + 1} 列是同一列", field=f.label)
        else:
            columns[f.key] = i
    header_loc = table.header[0].loc
    missing = frozenset(f.key for f in kind.fields if f.required and f.key not in columns)
    for f in kind.fields:
        if f.key in missing:
            report.add("missing-column", Location(shown, header_loc.line, 0),
                       f"缺少必填列“{f.label}”（{f.key}）", field=f.label)
    width = len(table.header)
    for row, (line, excel_row) in zip(table.rows, table.positions):
        for i in range(width, len(row)):
            if row[i].strip():
                report.add("unknown-column", Location(shown, line, i + 1, excel_row), f"第 {i + 1} 列有内容但没有表头")
    return CsvBlock(kind.name, shown, columns, table.rows, table.positions, missing)


def _known_names(fields: tuple[Field, ...]) -> str:
    return "可用的列名：" + "、".join(f"{f.label}（{f.key}）" for f in fields)


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
        cells = map_fields(item, kind.fields, report)
        if cells is not None:
            out.append(RawRecord(kind.name, item.loc, cells))
    return out


def map_fields(item: Cell, fields: tuple[Field, ...], report: Report) -> dict[str, Cell] | None:
    """A YAML mapping's keys (English or Chinese) → field keys; unknown keys are reported."""
    if not isinstance(item.value, dict):
        report.add("yaml-structure", item.loc, "这里应当是一组“键: 值”")
        return None
    names = header_map(fields)
    cells: dict[str, Cell] = {}
    spelled: dict[str, str] = {}
    for name, (key_cell, value) in item.value.items():
        f = names.get(name) or names.get(name.lower())
        if f is None:
            report.add("unknown-column", key_cell.loc, f"无法识别的键“{name}”", hint=_known_names(fields))
        elif f.key in cells:
            report.add("duplicate-key", key_cell.loc, f"“{name}”与“{spelled[f.key]}”是同一项", field=f.label)
        else:
            cells[f.key] = value
            spelled[f.key] = name
    return cells
