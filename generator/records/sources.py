"""Read data files into position-carrying cells, without guessing types.

CSV: bytes decoded strictly (UTF-16 with BOM → UTF-8 with or without BOM →
GB18030); every value stays a string. We use the standard ``csv`` module rather
than pandas because it tells on which physical line each row starts (a quoted
cell may hold line breaks), which is what the web team needs in an error.

YAML: composed, not constructed, so every scalar stays the text the person
wrote (``0012`` is not 10, ``no`` is not False) and every node keeps its line
and column; duplicate keys are reported instead of the last one silently
winning.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

import yaml

from .problems import Location, Report

try:  # libyaml is much faster and keeps the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader


@dataclass
class Cell:
    """A value read from a file: a string, None, a list of Cells or a dict of key → (key Cell, value Cell)."""

    value: object
    loc: Location


class DecodeError(Exception):
    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name), or raise DecodeError with the first bad line."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as e:
            raise DecodeError(data.count(b"\n", 0, e.start) + 1) from None
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as e:
        bad = e.start
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError:
        raise DecodeError(data.count(b"\n", 0, bad) + 1) from None


def read_text(path, shown: str, report: Report) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as e:
        report.add("encoding", Location(shown), f"无法读取文件：{e.strerror}", hint="检查文件权限")
        return None
    try:
        text, _ = decode(data)
    except DecodeError as e:
        report.add(
            "encoding",
            Location(shown, e.line, 1),
            "文件既不是 UTF-8 也不是 GBK/GB18030 编码，无法读取",
        )
        return None
    return text


# ---------------------------------------------------------------- CSV


@dataclass
class CsvTable:
    header: list[Cell]
    rows: list[list[str]]  # plain strings: a Cell per value would dominate the time on large tables
    positions: list[tuple[int, int]]  # (physical line where the row starts, Excel row number)


def read_csv(text: str, shown: str) -> CsvTable | None:
    """Rows with the physical line each starts on; blank rows are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[Cell] | None = None
    rows: list[list[str]] = []
    positions: list[tuple[int, int]] = []
    line_before = 0
    excel_row = 0
    for raw in reader:
        start, line_before = line_before + 1, reader.line_num
        excel_row += 1
        if not any(v.strip() for v in raw):
            continue
        if header is None:
            header = [Cell(v, Location(shown, start, i + 1, excel_row)) for i, v in enumerate(raw)]
        else:
            rows.append(raw)
            positions.append((start, excel_row))
    if header is None:
        return None
    return CsvTable(header, rows, positions)


# ---------------------------------------------------------------- YAML


def _loc(shown: str, mark) -> Location:
    return Location(shown, mark.line + 1, mark.column + 1)


def read_yaml(text: str, shown: str, report: Report) -> Cell | None:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = _loc(shown, mark) if mark else Location(shown)
        detail = " ".join(filter(None, [e.context, e.problem]))
        report.add("yaml-syntax", where, f"YAML 无法解析（{detail}）")
        return None
    except yaml.YAMLError as e:
        report.add("yaml-syntax", Location(shown), f"YAML 无法解析（{e}）")
        return None
    if node is None:
        return None
    return _cell(node, shown, report)


_NULLS = {"", "~", "null", "Null", "NULL"}


def _cell(node, shown: str, report: Report) -> Cell:
    loc = _loc(shown, node.start_mark)
    if isinstance(node, yaml.ScalarNode):
        plain = node.style is None or node.style == ""
        if plain and node.value in _NULLS:
            return Cell(None, loc)
        return Cell(node.value, loc)
    if isinstance(node, yaml.SequenceNode):
        return Cell([_cell(n, shown, report) for n in node.value], loc)
    mapping: dict[str, tuple[Cell, Cell]] = {}
    for key_node, value_node in node.value:
        key = _cell(key_node, shown, report)
        if not isinstance(key.value, str):
            report.add("yaml-structure", key.loc, "键必须是文字")
            continue
        name = key.value.strip()
        if name in mapping:
            first = mapping[name][0].loc.line
            report.add("duplicate-key", key.loc, f"键“{name}”在第 {first} 行已经出现过")
            continue
        mapping[name] = (key, _cell(value_node, shown, report))
    return Cell(mapping, loc)
