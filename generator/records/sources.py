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


class CsvError(Exception):
    """A CSV file the csv module cannot split; ``line`` is where reading stopped."""

    def __init__(self, line: int, code: str, message: str):
        super().__init__(message)
        self.line, self.code, self.message = line, code, message


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
    except UnicodeDecodeError as e:
        # The bytes neither encoding reads: past the first non-UTF-8 byte when the file is GB18030 up to there.
        raise DecodeError(data.count(b"\n", 0, max(bad, e.start)) + 1) from None


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
    title: str = ""  # the text of the title rows above the header (某镇2024年上半年工作推进情况)


# The csv module's own limit on one cell; longer cells are reported, never read.
MAX_CELL = csv.field_size_limit()


def read_csv(text: str, shown: str) -> CsvTable | None:
    """Rows with the physical line each starts on; blank rows are skipped. Raises CsvError."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[Cell] | None = None
    rows: list[list[str]] = []
    positions: list[tuple[int, int]] = []
    line_before = 0
    excel_row = 0
    for raw in _rows(reader):
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
    if rows and any("\n" in v for v in rows[-1]) and text.count('"') % 2:
        # A quote opened and never closed ("资产管理岗 typed without its pair): the csv module reads the rest of the
        # file as that one cell, and the rows after it vanished, said only as errors where they are referenced.
        raise CsvError(positions[-1][0], "csv-syntax", '这一行有一个没有配对的英文双引号（"）：从它到文件末尾都被读成了'
                       '一格。在那一格的文字后补上双引号，或删掉这个双引号')
    return CsvTable(header, rows, positions)


def _rows(reader):
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            if "field larger than field limit" in str(e):
                raise CsvError(max(reader.line_num, 1), "cell-too-long", f"有单元格超过 {MAX_CELL} 个字符") from None
            raise CsvError(max(reader.line_num, 1), "csv-syntax", f"CSV 无法解析（{e}）") from None
        yield row


# ---------------------------------------------------------------- YAML


def _loc(shown: str, mark) -> Location:
    return Location(shown, mark.line + 1, mark.column + 1)


def read_yaml(text: str, shown: str, report: Report) -> Cell | None:
    try:
        if ("*" in text or "&" in text) and _aliases(text, shown, report):
            return None
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
    return _Walk(shown, report).cell(node, 0)


def _aliases(text: str, shown: str, report: Report) -> bool:
    """Report every alias (``*name``): the file is refused, since one alias can expand a million-fold."""
    found = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            found += 1
            if found <= 10:
                report.add("yaml-alias", _loc(shown, event.start_mark),
                           f"别名“*{event.anchor}”引用了前面用“&”定义的内容")
    return found > 0


_NULLS = {"", "~", "null", "Null", "NULL"}
MAX_DEPTH = 50  # the deepest real file nests four levels (flow → steps → next → branch)


class _Walk:
    """Composed nodes → Cells. An alias makes the composer hand out a node it already gave (and a
    self-reference, a node inside itself): each node is visited once, so an alias bomb costs nothing."""

    def __init__(self, shown: str, report: Report):
        self.shown, self.report, self.seen = shown, report, set()

    def cell(self, node, depth: int) -> Cell:
        loc = _loc(self.shown, node.start_mark)
        if id(node) in self.seen:
            self.report.add("yaml-alias", loc, "这里引用了前面用“&”定义的内容（别名“*”）")
            return Cell(None, loc)
        if depth > MAX_DEPTH:
            self.report.add("yaml-structure", loc, f"嵌套超过 {MAX_DEPTH} 层")
            return Cell(None, loc)
        if not isinstance(node, yaml.ScalarNode):
            self.seen.add(id(node))
        return _cell(node, self, depth, loc)


def _cell(node, walk: _Walk, depth: int, loc: Location) -> Cell:
    report = walk.report
    if isinstance(node, yaml.ScalarNode):
        plain = node.style is None or node.style == ""
        if plain and node.value in _NULLS:
            return Cell(None, loc)
        if len(node.value) > MAX_CELL:  # capped as a CSV cell is: a 100-million-character value passed check
            report.add("cell-too-long", loc, f"这一项超过 {MAX_CELL} 个字符（有 {len(node.value)} 个），不会读取")
            return Cell(None, loc)
        return Cell(node.value, loc)
    if isinstance(node, yaml.SequenceNode):
        return Cell([walk.cell(n, depth + 1) for n in node.value], loc)
    mapping: dict[str, tuple[Cell, Cell]] = {}
    for key_node, value_node in node.value:
        key = walk.cell(key_node, depth + 1)
        if not isinstance(key.value, str):
            report.add("yaml-structure", key.loc, "键必须是文字")
            continue
        name = key.value.strip()
        if name in mapping:
            first = mapping[name][0].loc.line
            report.add("duplicate-key", key.loc, f"键“{name}”在第 {first} 行已经出现过")
            continue
        mapping[name] = (key, walk.cell(value_node, depth + 1))
    return Cell(mapping, loc)
