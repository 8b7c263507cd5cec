"""Excel workbooks as input: several sheets, title rows, merged cells, formulas, Alt+Enter headers, typed cells;
problems located as file › sheet › cell."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import openpyxl
import pytest
import xlsxwriter

from generator.records.dataset import load_dataset

from .conftest import ROOT

HEADER = ["序号", "职权编码", "事项名称", "职权\n类型", "实施主体", "设定依据", "法定时限", "核对日期"]


def _write(path, sheets: dict[str, list[list]], merges=(), formulas=()) -> None:
    """A workbook as Excel saves it (XlsxWriter stores each formula's result, as Excel does)."""
    wb = xlsxwriter.Workbook(str(path))
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        ws.write(0, 0, "示范市人社局权责清单")  # a title row above the header
        ws.write_row(1, 0, HEADER)
        for r, row in enumerate(rows, start=2):
            for c, v in enumerate(row):
                if isinstance(v, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(v, dt.time()), date)
                elif v is not None:
                    ws.write(r, c, v)
        for sheet, first, last, value in merges:
            if sheet == name:
                ws.merge_range(f"{first}:{last}", value)
        for sheet, cell, formula, value in formulas:
            if sheet == name:
                ws.write_formula(cell, formula, None, value)
    wb.close()


ROWS = {
    "审批类": [
        [1, "XK-901", "职业培训机构设立审批", "行政许可", "职业能力建设科", "《民办教育促进法》第十二条\n《职业教育法》第二十八条",
         None, dt.date(2024, 1, 15)],
        [2, "XK-902", "技能鉴定机构备案", "行政许可", None, "《职业技能鉴定规定》", "10个工作日", None],
        [3, "XK-903", "培训补贴复核", "行政给付", "职业能力建设科", "", "15个工作日", None],
        [4, "XK-904", "补贴资金拨付", "行政给付", "职业能力建设科", "", "", None],
        [5, "XK-905", "职业资格证书补发", "行政许诺", "职业能力建设科", "", "", None],  # row 7: a typo in 类型
    ],
    "处罚类": [
        [1, "CF-901", "拒不支付劳动报酬的处罚", "行政处罚", "劳动保障监察支队", "《劳动保障监察条例》第二十六条", "60日", None],
    ],
}


@pytest.fixture
def workbook_data(second_body):
    path = second_body / "powers" / "权责清单.xlsx"
    _write(path, ROWS, merges=[("审批类", "E3", "E4", "职业能力建设科")],
           formulas=[("审批类", "G3", '="20"&"个工作日"', "20个工作日")])
    return second_body, path


def test_sheets_are_tables_and_cells_are_read_as_typed(workbook_data):
    data, _ = workbook_data
    ds, report = load_dataset(data)
    assert {"XK-901", "XK-902", "XK-903", "XK-904", "CF-901"} <= set(ds.powers)
    p = ds.powers["XK-901"]
    assert p.category == "行政许可"  # the Alt+Enter header 职权\n类型 is 类型
    assert p.statutory_limit == "20个工作日"  # the formula's cached result
    assert p.reviewed == dt.date(2024, 1, 15)  # a date cell
    assert p.basis == "《民办教育促进法》第十二条\n《职业教育法》第二十八条"  # the line break kept
    assert ds.powers["XK-902"].department == "ZYJS"  # filled from the merged range
    assert ds.powers["CF-901"].department == "LDJC"
    assert "XK-905" in ds.powers and ds.powers["XK-905"].category == ""


def test_problems_are_located_by_sheet_and_cell(workbook_data):
    data, _ = workbook_data
    _, report = load_dataset(data)
    (error,) = report.errors
    assert (error.code, error.sheet, error.cell, error.line, error.column) == ("bad-value", "审批类", "D7", 7, 4)
    assert error.file.endswith("powers/权责清单.xlsx")
    assert "powers/权责清单.xlsx › 审批类 › D7" in error.text() and "（第 7 行）" in error.text()
    assert "是否应为“行政许可”" in error.message
    (merged,) = [w for w in report.warnings if w.code == "merged-cells"]
    assert (merged.sheet, merged.cell) == ("审批类", "E3") and "E3:E4" in merged.message


def test_outputs_name_the_sheet_and_cell(workbook_data):
    data, _ = workbook_data

    def run(fmt):
        return subprocess.run([sys.executable, "-m", "generator", "check", "--data", str(data), "--format", fmt],
                              capture_output=True, text=True, cwd=ROOT)

    rows = json.loads(run("json").stdout)
    (error,) = [r for r in rows if r["severity"] == "error"]
    assert (error["sheet"], error["cell"], error["line"]) == ("审批类", "D7", 7)
    github = run("github")
    line = next(x for x in (github.stdout + github.stderr).splitlines() if x.startswith("::error"))
    assert "审批类 › D7" in line and "line=" not in line  # no line numbers into a binary file
    text = run("text")
    assert "权责清单.xlsx › 审批类 › D7: 错误[bad-value]" in text.stderr


def test_formula_without_a_cached_value_is_an_error(second_body):
    """openpyxl writes formulas without results, as any program that never calculated the sheet does."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "审批类"
    ws.append(["编码", "名称", "类型", "部门", "法定时限"])
    ws.append(["XK-911", "职业培训机构设立审批", "行政许可", "ZYJS", '="20"&"个工作日"'])
    wb.save(second_body / "powers" / "公式.xlsx")
    _, report = load_dataset(second_body)
    (error,) = report.errors
    assert (error.code, error.sheet, error.cell) == ("formula-no-value", "审批类", "E2")
    assert "保存" in error.hint


def test_help_and_hidden_sheets_are_skipped_and_a_month_cell_stays_a_month(second_body):
    wb = xlsxwriter.Workbook(str(second_body / "progress" / "进度.xlsx"))
    ws = wb.add_worksheet("进度")
    ws.write_row(0, 0, ["事项", "统计日期", "指标", "累计完成"])
    month = wb.add_format({"num_format": 'yyyy"年"m"月"'})
    ws.write_row(1, 0, ["PX2024"])
    ws.write_datetime(1, 1, dt.datetime(2024, 4, 1), month)  # typed as 2024年4月: the month, not its 1st day
    ws.write_row(1, 2, ["培训人次", 7000])
    wb.add_worksheet("填写说明").write(0, 0, "这里不是数据")
    hidden = wb.add_worksheet("列表")
    hidden.write(0, 0, "不读")
    hidden.hide()
    wb.close()
    ds, report = load_dataset(second_body)
    assert report.ok, report.format("text")
    (record,) = [p for p in ds.progress if p.loc.file.endswith(".xlsx")]
    assert record.date == dt.date(2024, 4, 30)


def test_a_file_that_is_not_a_workbook_is_reported(second_body):
    (second_body / "powers" / "坏.xlsx").write_bytes(b"not a zip file")
    _, report = load_dataset(second_body)
    (error,) = report.errors
    assert error.code == "bad-workbook" and error.file.endswith("坏.xlsx")


def test_hidden_rows_and_columns_are_read_and_said_and_a_sheet_without_a_table_is_said(second_body):
    """Hiding is not withholding: hidden rows and columns are published like the others, with a warning at each;
    a workbook that yields no table at all (its one sheet named 说明) is not passed over in silence."""
    path = second_body / "powers" / "隐藏.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "职权"
    ws.append(["编码", "名称", "类型", "部门", "备注"])
    ws.append(["XZ-001", "公开的职权", "行政许可", "ZYJS", ""])
    ws.append(["XZ-002", "藏起来的职权", "行政许可", "ZYJS", ""])
    ws.append(["XZ-003", "另一职权", "行政许可", "ZYJS", "隐藏列中的备注"])
    ws.row_dimensions[3].hidden = True
    ws.column_dimensions["E"].hidden = True
    wb.save(path)
    only_help = openpyxl.Workbook()
    only_help.active.title = "说明"
    only_help.active.append(["编码", "名称"])
    only_help.save(second_body / "powers" / "说明.xlsx")
    ds, report = load_dataset(second_body)
    assert report.ok, report.format("text")
    assert ds.powers["XZ-002"].name == "藏起来的职权" and ds.powers["XZ-003"].notes == "隐藏列中的备注"
    hidden = sorted((p.sheet, p.line, p.cell) for p in report.warnings if p.code == "hidden-cells")
    assert hidden == [("职权", 1, "E1"), ("职权", 3, "")]
    assert [p.file.endswith("说明.xlsx") for p in report.warnings if p.code == "empty-file"] == [True]


def test_a_long_number_excel_has_cut_is_an_error_at_its_cell(second_body):
    """An 18-digit ID number typed into a number cell keeps 15 digits (110101199003071233 → …071200): the cut number
    passed the privacy guard's check digit and was published."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "职权"
    ws.append(["编码", "名称", "类型", "部门", "备注"])
    ws.append(["XZ-001", "某职权", "行政许可", "ZYJS", 110101199003071233])
    wb.save(second_body / "powers" / "长数字.xlsx")
    _, report = load_dataset(second_body)
    (error,) = report.errors
    assert (error.code, error.sheet, error.cell) == ("long-number", "职权", "E2"), error
    assert "15 位" in error.message


@pytest.mark.parametrize("damage", ["cut sheet", "broken workbook part", "string index out of range"])
def test_a_workbook_with_a_damaged_part_is_reported_at_the_file_alone(second_body, damage):
    """The zip is whole, one part inside it is not: openpyxl's parser fails with what it raises (check crashed), and
    the risks naming the file's powers are not flooded with unknown-power errors."""
    import re
    import zipfile

    path = second_body / "powers" / "licensing.xlsx"
    rows = (second_body / "powers" / "licensing.csv").read_text(encoding="utf-8").splitlines()
    (second_body / "powers" / "licensing.csv").unlink()
    wb = openpyxl.Workbook()
    for line in rows:
        wb.active.append(line.split(","))
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    if damage == "cut sheet":
        parts[sheet] = parts[sheet][:500]
    elif damage == "broken workbook part":
        parts["xl/workbook.xml"] = b"<not xml"
    else:
        parts[sheet] = re.sub(rb'<c r="B2"[^>]*>.*?</c>', b'<c r="B2" t="s"><v>999</v></c>', parts[sheet], count=1)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    _, report = load_dataset(second_body)
    assert [(p.code, p.file.endswith("licensing.xlsx")) for p in report.errors] == [("bad-workbook", True)]


def test_file_names_in_capitals_are_read(second_body):
    """Windows tools write 职权.CSV and 清单.XLSX: read as their lower-case names are (they were passed over)."""
    powers = second_body / "powers"
    (powers / "licensing.csv").rename(powers / "LICENSING.CSV")
    ds, report = load_dataset(second_body)
    assert report.ok, report.format("text")
    assert "ZY-001" in ds.powers and not [p for p in report.warnings if p.code == "unknown-file"]


def test_an_error_value_in_a_cell_is_an_error_there_and_a_fill_in_guide_sheet_is_not_data(second_body):
    """A literal #N/A (an error cell) was taken as a name; a sheet called 填表说明 was read as a table."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "职权"
    ws.append(["编码", "名称", "类型", "部门"])
    ws.append(["XZ-001", "#N/A", "行政许可", "ZYJS"])
    ws["B2"].data_type = "e"
    wb.create_sheet("填表说明").append(["编码：按部门编号", "名称：写全称"])
    wb.save(second_body / "powers" / "错误值.xlsx")
    _, report = load_dataset(second_body)
    (error,) = report.errors
    assert (error.code, error.sheet, error.cell) == ("formula-no-value", "职权", "B2") and "#N/A" in error.message


# ---------------------------------------------------------------- bounds, formulas, hidden formats


def _sheet_xml(path, cells: str, merges: str = "") -> None:
    """A workbook written by hand (a few KB) whose one sheet holds ``cells`` (XML <c> elements of row 2) after a
    header row, and ``merges`` (<mergeCell> elements): what no spreadsheet program would write, but a file may hold."""
    import zipfile

    header = '<row r="1"><c r="A1" t="inlineStr"><is><t>职权编码</t></is></c><c r="B1" t="inlineStr"><is><t>事项名称' \
             '</t></is></c><c r="C1" t="inlineStr"><is><t>职权类型</t></is></c><c r="D1" t="inlineStr"><is><t>实施主体' \
             '</t></is></c></row>'
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + header
             + cells + "</sheetData>" + (f"<mergeCells>{merges}</mergeCells>" if merges else "") + "</worksheet>")
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   f'xmlns:r="{ns}"><sheets><sheet name="职权" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   f'relationships"><Relationship Id="rId1" Type="{ns}/worksheet" Target="worksheets/sheet1.xml"/>'
                   "</Relationships>")
        z.writestr("xl/worksheets/sheet1.xml", sheet)


ROW2 = ('<row r="2"><c r="A2" t="inlineStr"><is><t>XK-1</t></is></c><c r="B2" t="inlineStr"><is><t>审批</t></is></c>'
        '<c r="C2" t="inlineStr"><is><t>行政许可</t></is></c><c r="D2" t="inlineStr"><is><t>ZYJS</t></is></c></row>')


@pytest.mark.parametrize("cells,merges,cell", [
    (ROW2 + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>远</t></is></c></row>', "", "XFD1048576"),
    (ROW2 + '<row r="3"><c r="ZZZ3"><v>1</v></c></row>', "", "ZZZ3"),
    (ROW2, '<mergeCell ref="A4:XFD1048576"/>', "A4"),
])
def test_a_cell_or_merge_far_beyond_the_table_is_refused_before_loading(second_body, cells, merges, cell):
    """One cell at XFD1048576, or a merge to it, in a few KB: openpyxl made every merged cell (minutes, gigabytes)."""
    _sheet_xml(second_body / "powers" / "远.xlsx", cells, merges)
    _, report = load_dataset(second_body)
    bad = [p for p in report.errors if p.code == "bad-workbook"]
    assert [(p.file.rsplit("/", 1)[-1], p.sheet, p.cell) for p in bad] == [("远.xlsx", "职权", cell)], report.format("text")


def test_a_far_row_makes_no_empty_rows(second_body):
    """A value a million rows down is read as one more row: the sheet is read by its cells, not its bounding box."""
    far = '<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>XK-2</t></is></c><c r="B1000000" t="inlineStr">' \
          '<is><t>远处的职权</t></is></c><c r="C1000000" t="inlineStr"><is><t>行政许可</t></is></c>' \
          '<c r="D1000000" t="inlineStr"><is><t>ZYJS</t></is></c></row>'
    _sheet_xml(second_body / "powers" / "远.xlsx", ROW2 + far)
    ds, report = load_dataset(second_body)
    assert report.ok, report.format("text")
    assert ds.powers["XK-2"].loc.line == 1000000


def test_too_many_cells_or_bytes_are_refused(second_body, monkeypatch):
    from generator.records import workbook

    _sheet_xml(second_body / "powers" / "大.xlsx", ROW2)
    monkeypatch.setattr(workbook, "MAX_CELLS", 6)
    assert any(p.code == "bad-workbook" and "单元格" in p.message for p in load_dataset(second_body)[1].errors)
    monkeypatch.setattr(workbook, "MAX_CELLS", 10**6)
    monkeypatch.setattr(workbook, "MAX_UNPACKED", 100)
    assert any(p.code == "bad-workbook" and "解压" in p.message for p in load_dataset(second_body)[1].errors)


def test_a_formula_deciding_publication_is_refused_and_others_said(second_body):
    """A 公开状态 whose cached value says 公开 while its formula says 草稿 would be published without a word: no
    one here can compute Excel's formulas, so a formula is refused where it decides publication, and said elsewhere."""
    path = second_body / "powers" / "公式.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("职权")
    ws.write_row(0, 0, ["职权编码", "事项名称", "职权类型", "实施主体", "公开状态", "法定时限"])
    ws.write_row(1, 0, ["XK-7", "审批", "行政许可", "ZYJS"])
    ws.write_formula("E2", '=IF(1=1,"草稿","公开")', None, "公开")  # cached 公开, computes 草稿
    ws.write_formula("F2", '="20"&"个工作日"', None, "20个工作日")
    ws.write_row(2, 0, ["XK-8", "备案", "行政许可", "ZYJS", "公开"])
    ws.write_formula("F3", '="10"&"个工作日"', None, "10个工作日")
    wb.close()
    _, report = load_dataset(second_body)
    found = sorted((p.severity, p.code, p.cell) for p in report.problems if p.code.startswith("formula"))
    assert found == [("error", "formula-status", "E2"), ("warning", "formula-value", "F2")]
    assert "共 2 格" in next(p.message for p in report.problems if p.code == "formula-value")


def test_a_cell_formatted_to_show_nothing_is_said(second_body):
    path = second_body / "powers" / "隐藏.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("职权")
    ws.write_row(0, 0, ["职权编码", "事项名称", "职权类型", "实施主体", "备注"])
    ws.write_row(1, 0, ["XK-7", "审批", "行政许可", "ZYJS"])
    ws.write(1, 4, "内部意见：暂缓", wb.add_format({"num_format": ";;;"}))
    wb.close()
    _, report = load_dataset(second_body)
    hidden = [p for p in report.warnings if p.code == "hidden-cells"]
    assert [(p.cell, ";;;" in p.message) for p in hidden] == [("E2", True)]
