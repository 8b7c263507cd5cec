"""Acceptance: a body's real published tables — 权责清单 saved from Excel as .xlsx (and the same as GB18030 CSV),
岗位 and 廉政风险点 tables as GB18030 CSV, with their own column names and numbering — check clean and render
with their numbering and line breaks as published, on pages and boards."""

from __future__ import annotations

import re
import subprocess

import pytest

from generator.records.dataset import load_dataset

from .conftest import build
from .published import XK_ACCOUNTABILITY, write_published


def _loaded(tmp_path, powers_as):
    ds, report = load_dataset(write_published(tmp_path / powers_as, powers_as))
    return ds, report


def test_workbook_and_csv_check_clean_and_read_alike(tmp_path):
    xlsx, report_x = _loaded(tmp_path, "xlsx")
    csv, report_c = _loaded(tmp_path, "csv")
    assert report_x.ok and report_c.ok, report_x.format("text") + report_c.format("text")
    assert not report_c.problems  # the CSV has no merged cells
    (merged,) = report_x.problems  # the workbook's merged 实施主体 is read, and said so
    assert (merged.code, merged.sheet, merged.cell) == ("merged-cells", "行政许可", "E3")
    assert merged.file.endswith("powers/权责清单.xlsx")
    for code in ("XK-001", "XK-002", "CF-001"):
        a, b = xlsx.powers[code], csv.powers[code]
        assert (a.name, a.category, a.department, a.basis, a.implementing_basis, a.responsibilities, a.accountability,
                a.statutory_limit, a.promised_limit, a.phone, a.posts) == \
               (b.name, b.category, b.department, b.basis, b.implementing_basis, b.responsibilities, b.accountability,
                b.statutory_limit, b.promised_limit, b.phone, b.posts)


def test_published_values_are_read_as_meant(tmp_path):
    ds, _ = _loaded(tmp_path, "xlsx")
    p = ds.powers["XK-001"]
    assert p.department == "SPJY" and ds.powers["XK-002"].department == "SPJY"  # merged range filled
    assert len(p.responsibilities) == 6 and p.responsibilities[0].startswith("1.受理责任：公示应当提交的材料；一次性告知")
    assert p.accountability[0].endswith("应承担相应责任：") and p.accountability[1].startswith("（一）")
    assert len(p.accountability) == 6
    assert "\n《中华人民共和国行政许可法》" in p.basis
    assert ds.powers["XK-002"].accountability == ["对符合条件的不予登记的", "对不符合条件的予以登记的", "其他违法违规行为"]
    levels = {r.id: (r.level, r.category) for r in ds.risks.values()}
    assert levels == {"FX-01": ("高", "岗位职责"), "FX-02": ("中", "业务流程"), "FX-03": ("低", "制度机制")}
    assert ds.risks["FX-01"].powers == ["XK-001"]  # referenced by its published name
    assert [str(r.date) for r in ds.progress] == ["2024-03-31", "2024-05-31"]  # months mean their last day


@pytest.fixture(scope="module")
def published_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("published")
    data = write_published(root / "data", "xlsx")
    r = build(data, root / "site")
    assert r.returncode == 0, r.stderr
    return root / "site"


def _row(html: str, label: str) -> str:
    m = re.search(rf'<th scope="row">{label}</th><td>(.*?)</td></tr>', html, re.S)
    assert m, label
    return m.group(1)


def test_power_page_shows_published_numbers_lead_in_and_line_breaks(published_site):
    html = (published_site / "powers" / "XK-001" / "index.html").read_text(encoding="utf-8")
    duties = _row(html, "责任事项")
    assert '<ol class="ss-items ss-items--own">' in duties
    assert "<li>1.受理责任：公示应当提交的材料；一次性告知补正材料；依法受理或不予受理（不予受理的应当告知理由）。</li>" in duties
    assert duties.count("<li>") == 6
    cases = _row(html, "追责情形")
    lead = XK_ACCOUNTABILITY.split("（一）")[0]
    assert cases.startswith(f'<p class="ss-lead">{lead}</p><ol class="ss-items ss-items--own">')
    assert "<li>（一）对符合法定条件的行政许可申请不予受理的</li>" in cases
    assert _row(html, "设定依据") == ("《中华人民共和国食品安全法》第三十五条第一款：国家对食品生产经营实行许可制度。<br>"
                                  "《中华人民共和国行政许可法》第十二条第一款第（一）项")
    assert _row(html, "实施依据") == "《食品经营许可和备案管理办法》第二条、第九条"
    assert _row(html, "投诉监督").startswith('监督电话 <span class="ss-nw">0000-12315</span>')
    # an unnumbered list is still numbered by the page
    other = (published_site / "powers" / "XK-002" / "index.html").read_text(encoding="utf-8")
    assert '<ol class="ss-items"><li>对符合条件的不予登记的</li>' in _row(other, "追责情形")
    assert '<th scope="row">依据</th>' in other  # one 依据 column: shown as 依据


def test_post_board_keeps_numbers_and_line_breaks(published_site):
    pdf = published_site / "posters" / "posts" / "SP-SC.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    lines = [line.strip() for line in text.splitlines()]
    for duty in ("1.负责食品经营许可申请材料的受理和审查", "2.负责许可现场核查", "3.负责许可档案的整理归档"):
        assert any(line.startswith(duty) for line in lines), text  # one per line, the published number only
    assert not any(re.match(r"^\d\.\s*\d\.", line) for line in lines)  # never numbered twice
    assert any(re.search(r"(^|\s)①严格执行审查标准", line) for line in lines)  # the circled number, not 1. ①
    assert any(re.search(r"(^|\s)②许可结果在网站公示$", line) for line in lines)
    # 依据 keeps its line break: the second statute starts a line of its own, right after the first one's end
    i = next(i for i, line in enumerate(lines) if line.startswith("《中华人民共和国行政许可法》"))
    assert lines[i - 1].endswith("生产经营实行许可制度。")


def test_handbook_keeps_numbers_lead_in_and_line_breaks(published_site):
    from generator.handbook.render import HANDBOOK_PATH

    text = subprocess.run(["pdftotext", "-layout", str(published_site / HANDBOOK_PATH), "-"],
                          capture_output=True, text=True).stdout
    lines = [line.strip() for line in text.splitlines()]
    assert any(line.startswith("（一）对符合法定条件的行政许可申请不予受理的") for line in lines)
    assert any(re.search(r"(^|\s)2\.审查责任：", line) for line in lines)
    assert not any(re.search(r"\d\.\s+\d\.", line) for line in lines)  # never numbered twice
    i = next(i for i, line in enumerate(lines) if line.startswith("《中华人民共和国行政许可法》"))
    assert lines[i - 1].endswith("国家对食品生产经营实行许可制度。")
    assert sum("监督电话" in line for line in lines if "0000-12315" in line) >= 1
