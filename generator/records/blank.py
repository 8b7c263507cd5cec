"""Blank Excel workbooks for the web team, one per table kind, written from the field registry.

Each has the Chinese headers (a comment on each says what goes there), a frozen header row, column
widths, dropdown lists for every vocabulary, 是/否 and reference (departments, posts, flows, powers,
commitments — from the current data when there is any), date formats, a 填写说明 sheet with each
field's meaning, and a hidden 选项 sheet holding the lists. The reader skips both sheets, so a filled
template goes into data/ as it is. Output is byte-identical for the same data: the workbook's dates
are fixed and the zip entries carry one timestamp.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from collections import Counter
from pathlib import Path

from . import fields as T
from .fields import KINDS, VOCABULARIES, Field, Kind
from .model import Dataset

ROWS = 500  # rows prepared with formats and dropdowns
LONG = {T.PARAGRAPHS, T.LIST}
LONG_KEYS = {"basis", "implementing_basis", "description", "notes", "duties", "commitment", "note"}
FIXED_TIME = dt.datetime(2000, 1, 1)


def place(kind: Kind) -> str:
    """Where a filled workbook goes in data/: the kind's file (departments.xlsx) or folder (powers/)."""
    stem = kind.globs[0].rsplit(".", 1)[0]
    return f"data/{stem.removesuffix('*')}" if stem.endswith("*") else f"data/{stem}.xlsx"


def file_name(kind: Kind) -> str:
    return f"{kind.name}.xlsx"


def template_kinds() -> list[Kind]:
    """Kinds kept as tables (flows and commitments are nested YAML; site.yml is settings)."""
    return [k for k in KINDS.values() if k.tabular and k.name != "site"]


def _choices(f: Field, ds: Dataset | None) -> tuple[list[str], bool] | None:
    """A field's dropdown values and whether other text is allowed (several values, or a name not listed)."""
    if f.type in (T.CHOICE, T.CHOICES):
        values = ds.site.vocabularies.get(f.vocab) if ds is not None else None
        return list(values or VOCABULARIES[f.vocab].values), f.type == T.CHOICES
    if f.type == T.BOOL:
        return ["是", "否"], False
    if f.type in (T.REF, T.REFS) and ds is not None:
        records = getattr(ds, f.ref, {})
        names = Counter(r.name for r in records.values())
        # A record is named when its name is unique (references accept it), else by its id.
        values = [r.name if names[r.name] == 1 else key for key, r in records.items()]
        return (values, True) if values else None
    return None


def _width(f: Field) -> float:
    if f.type in LONG or f.key in LONG_KEYS:
        return 42
    if f.type in (T.ID, T.BOOL, T.INT, T.NUMBER):
        return 12
    if f.type == T.DATE:
        return 14
    return 20


def workbook(kind: Kind, ds: Dataset | None = None) -> bytes:
    """The blank workbook of one kind, its dropdowns filled from ``ds``: made once per different set of choices
    (the preview asks for every kind on every rebuild; an edit seldom changes a dropdown)."""
    return _workbook(kind.name, workbook_choices(kind, ds))


def workbook_choices(kind: Kind, ds: Dataset | None = None) -> tuple:
    """What a kind's blank workbook is made from besides the registry: each field's dropdown (a build keeps the
    workbook by these, site/session.py)."""
    return tuple((f.key, None if c is None else (tuple(c[0]), c[1])) for f in kind.fields for c in [_choices(f, ds)])


def workbook_from(kind: Kind, choices: tuple) -> bytes:
    return _workbook(kind.name, choices)


@functools.lru_cache(maxsize=16)
def _workbook(kind_name: str, choices: tuple) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    kind, choice_of = KINDS[kind_name], dict(choices)
    wb = Workbook()
    ws = wb.active
    ws.title = kind.label
    lists = wb.create_sheet("选项")
    lists.sheet_state = "hidden"
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="FCE4E4")
    list_col = 0
    for c, f in enumerate(kind.fields, start=1):
        letter = get_column_letter(c)
        cell = text_cell(ws, 1, c, f.label)
        cell.font = Font(bold=True, color="A31515") if f.required else head_font
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.comment = Comment(f"{f.label}（{f.key}）{'，必填' if f.required else ''}：{f.help or f.label}", "阳光公示")
        ws.column_dimensions[letter].width = _width(f)
        body = f"{letter}2:{letter}{ROWS + 1}"
        if f.type == T.DATE:
            for (c2,) in ws[body]:
                c2.number_format = "yyyy-mm-dd"
        elif f.type in LONG or f.key in LONG_KEYS:
            for (c2,) in ws[body]:
                c2.alignment = Alignment(wrap_text=True, vertical="top")
        choices = choice_of[f.key]
        if choices:
            values, free = choices
            list_col += 1
            col = get_column_letter(list_col)
            text_cell(lists, 1, list_col, f.label)
            for r, v in enumerate(values, start=2):
                text_cell(lists, r, list_col, v)  # the data's names: =HYPERLINK(…) must stay text
            dv = DataValidation(type="list", formula1=f"'选项'!${col}$2:${col}${len(values) + 1}", allow_blank=True)
            dv.showErrorMessage = not free
            dv.errorTitle, dv.error = f.label, f"请从下拉列表中选择{f.label}"
            dv.promptTitle, dv.prompt = f.label, (f.help or f.label)[:250]
            dv.showInputMessage = True
            ws.add_data_validation(dv)
            dv.add(body)
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 30
    _help_sheet(wb.create_sheet("填写说明", 1), kind)
    wb.properties.creator = "阳光公示"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return _stable_zip(buf.getvalue())


def _help_sheet(ws, kind: Kind) -> None:
    from openpyxl.styles import Alignment, Font

    lines = [
        f"{kind.label}表的填写说明",
        f"填好后保存为 .xlsx，放到 {place(kind)}（可以有多个工作表，每个工作表一张表）；"
        "“填写说明”和隐藏的“选项”工作表不会被读取。",
        "不要合并单元格（合并的格子会按左上角的值读取并给出警告）；"
        "公式的结果会被读取，但文件须在 Excel 或 WPS 中保存过。",
        "多条内容（如责任事项）用分号或换行分隔；已编号（1. 2. 或（一）（二））时按编号分条并保留编号。",
        "",
    ]
    for r, text in enumerate(lines, start=1):
        text_cell(ws, r, 1, text).font = Font(bold=(r == 1), size=14 if r == 1 else 11)
    header = ["列名", "英文键", "必填", "填写内容", "说明"]
    start = len(lines) + 1
    for c, text in enumerate(header, start=1):
        text_cell(ws, start, c, text).font = Font(bold=True)
    for r, f in enumerate(kind.fields, start=start + 1):
        row = [f.label, f.key, "是" if f.required else "", _kind_of(f), f.help]
        for c, text in enumerate(row, start=1):
            text_cell(ws, r, c, text).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (16, 18, 6, 30, 70)):
        ws.column_dimensions[letter].width = width


def _kind_of(f: Field) -> str:
    if f.type in (T.CHOICE, T.CHOICES):
        values = "、".join(VOCABULARIES[f.vocab].values)
        return ("从下拉列表选择（可多选，用分号分隔）：" if f.type == T.CHOICES else "从下拉列表选择：") + values
    if f.type in (T.REF, T.REFS):
        what = KINDS[f.ref].label
        return f"{what}的编号或名称" + ("，多个用分号分隔" if f.type == T.REFS else "")
    return {T.DATE: "日期，如 2024-03-01" + ("；可只写月份，如 2023年10月" if f.months else ""),
            T.BOOL: "是 或 否", T.ID: "编号：英文字母、数字和 - _ .", T.INT: "整数", T.NUMBER: "数字",
            T.PARAGRAPHS: "多条用分号或换行分隔", T.LIST: "多项用分号、顿号或换行分隔", T.STEP_REFS: "流程编号/环节编号"
            }.get(f.type, "文字")


def text_cell(ws, row: int, column: int, text: str):
    """A cell holding ``text`` as text: openpyxl writes a string starting with = as a formula, so a department
    named =HYPERLINK(…) or =cmd|' /C calc'!A0 would become a live formula in the workbook we publish."""
    cell = ws.cell(row=row, column=column)
    cell.value = text
    if isinstance(text, str):
        cell.data_type = "s"
    return cell


def _stable_zip(data: bytes) -> bytes:
    """The same bytes for the same workbook: one timestamp for every entry, and for the document
    (openpyxl stamps the time of saving into docProps/core.xml)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content)
            dst.writestr(entry, content)
    return out.getvalue()


def write_templates(out: Path, ds: Dataset | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in template_kinds():
        path = out / file_name(kind)
        path.write_bytes(workbook(kind, ds))
        paths.append(path)
    return paths
