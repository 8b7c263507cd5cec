"""A table's header row → field columns, as published tables write them.

Shared by CSV files and workbook sheets. Headers are compared after ``fields.header_key``
(full-width brackets, spaces and Alt+Enter line breaks do not matter) against each field's key,
label and aliases; a 序号 column is skipped. Published tables often put a title row
("某某局权责清单") above the header: the header is the first of the first rows that names at least
two known columns, else the first row (and its unknown names are reported).
"""

from __future__ import annotations

import difflib

from .fields import Field, Kind, find_header, header_map, is_ignored_header
from .problems import Location, Report
from .sources import Cell

HEADER_SEARCH_ROWS = 10


def pick_header(fields: tuple[Field, ...]):
    """A function: the non-blank rows of a table → the index of its header row."""
    names = header_map(fields)

    def pick(rows: list[list[str]]) -> int:
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            known = sum(1 for v in row if v.strip() and (find_header(names, v) or is_ignored_header(v)))
            if known >= 2:
                return i
        return 0

    return pick


def map_columns(kind: Kind, header: list[Cell], report: Report) -> dict[str, int]:
    """Field key → 0-based column; unknown and duplicate columns are reported at their header cell."""
    names = header_map(kind.fields)
    columns: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = cell.value.strip().lstrip("\ufeff")
        f = find_header(names, name)
        if f is None:
            if name and not is_ignored_header(name):
                report.add("unknown-column", cell.loc, f"无法识别的列名“{_one_line(name)}”{_did_you_mean(name, kind)}",
                           hint=known_names(kind.fields))
        elif f.key in columns:
            report.add("duplicate-column", cell.loc, f"“{_one_line(name)}”与第 {columns[f.key] + 1} 列是同一列",
                       field=f.label)
        else:
            columns[f.key] = i
    return columns


def known_names(fields: tuple[Field, ...]) -> str:
    return "可用的列名：" + "、".join(f"{f.label}（{f.key}）" for f in fields)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _did_you_mean(name: str, kind: Kind) -> str:
    spellings = {s: f for f in kind.fields for s in (f.label, *f.aliases)}
    close = difflib.get_close_matches(_one_line(name), list(spellings), n=1, cutoff=0.6)
    return f"；是否应为“{close[0]}”？" if close else ""


def header_location(header: list[Cell]) -> Location:
    """Where a missing column is reported: the header row, no column."""
    return header[0].loc._replace(column=0)
