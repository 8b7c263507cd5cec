"""Acceptance (issue 22): a town's registers kept in Excel as published — its province's power-list template (blank
codes, no department column, an empty 子项 column, 主项/子项 rows), its risk table kept per power (counts levels,
numbered risk points in one cell, one measures block per power) and its work summaries (periods for dates) — check
clean with only the documented warnings, and the pages, boards, handbook and open data show what the town published:
its text, numbering, levels and order, the measures once per power."""

from __future__ import annotations

import csv
import html
import io
import re
import subprocess
from collections import Counter

import pytest

from generator.handbook.render import HANDBOOK_PATH
from generator.records.dataset import load_dataset
from generator.records.problems import CODES

from .conftest import build
from .published_town import DELAY_SCHOOLING, POWERS_PLAIN, RISKS, TOWN, write_town

RELIEF_CHECK = "特困人员救助供养审核"
SHARED_MEASURE = "2.公开申报条件和程序，接受群众监督。"


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    return load_dataset(write_town(tmp_path_factory.mktemp("town") / "data"))


def test_checks_clean_with_only_the_documented_warnings(town):
    _, report = town
    assert report.ok, report.format("text")
    codes = Counter(p.code for p in report.warnings)
    # each one documented on the problem-code page (generated from CODES) and in the guide
    assert codes == {"derived-id": 3, "merged-cells": 3, "body-department": 2, "risk-no-post": 5}
    assert all(code in CODES for code in codes)
    derived = next(p for p in report.warnings if p.code == "derived-id" and p.sheet == "行政许可等")
    assert (derived.cell, derived.field) == ("C3", "编码") and "QL-" in derived.message


def test_blank_codes_are_derived_from_the_record_and_do_not_move(town, tmp_path):
    ds, _ = town
    codes = {p.name: p.code for p in ds.powers.values()}
    risk_ids = {(r.powers[0] if r.powers else "", r.name): r.id for r in ds.risks.values()}
    # a row added at the top of the first sheet and one removed further down; a risk row inserted first
    extra = [0, "行政检查", "", "对辖区内燃放烟花爆竹的检查", "", "《烟花爆竹安全管理条例》", "", "", "", ""]
    plain = [extra, *POWERS_PLAIN[:1], [*extra[:3], "对农家乐消防安全的检查", *extra[4:]], *POWERS_PLAIN[1:]]
    risks = [[0, "对辖区内燃放烟花爆竹的检查", 1, "1.检查风险：走过场", "低", "1.随机抽查。", "镇应急办负责人"], *RISKS]
    again, report = load_dataset(write_town(tmp_path / "data", plain=plain, risks=risks))
    assert report.ok, report.format("text")
    moved = {name: (code, codes[name]) for name, code in ((p.name, p.code) for p in again.powers.values())
             if name in codes and code != codes[name]}
    assert not moved
    assert all(again.risks[i].name == name for (_, name), i in risk_ids.items()
               if (_, name) != ("", "") and i in again.risks)
    assert set(risk_ids.values()) <= set(again.risks)
    assert re.fullmatch(r"QL-[0-9A-F]{8}", codes[DELAY_SCHOOLING])


def test_the_body_is_the_department_and_sub_items_are_kept(town):
    ds, _ = town
    (body,) = ds.departments.values()
    assert body.name == TOWN and all(p.department == body.id for p in ds.powers.values())
    main = next(p for p in ds.powers.values() if p.name == "特困人员供养")
    subs = [p for p in ds.powers.values() if p.main == "特困人员供养"]
    assert [(p.name, p.sub_item) for p in subs] == [(RELIEF_CHECK, "1.特困人员救助供养审核"),
                                                    ("特困人员救助供养终止", "2.特困人员救助供养终止")]
    assert not main.main and all(p.category == "行政给付" and p.basis == "" for p in subs)  # nothing copied but type
    assert [p.name for p in ds.powers.values()][:3] == [DELAY_SCHOOLING, "农村居民未经批准或者违反规划的规定建住宅的处罚",
                                                       "独生子女父母光荣证核发与注销"]  # published order


def test_risk_rows_become_the_numbered_points_with_one_measures_block(town):
    ds, _ = town
    by_power = {}
    for r in ds.risks.values():
        by_power.setdefault(ds.powers[r.powers[0]].name, []).append(r)
    delay = by_power[DELAY_SCHOOLING]  # a name holding 、, matched whole
    assert [(r.number, r.name, r.level, r.level_text) for r in delay] == [
        ("1.", "受理风险", "", "1中2低"), ("2.", "审查风险", "", "1中2低"), ("3.", "决定风险", "", "1中2低")]
    assert delay[1].description == "不按规审查材料。"
    assert [r.level for r in by_power[RELIEF_CHECK]] == ["中", "低"]  # one level per line, in order
    assert [r.level for r in by_power["临时救助金给付"]] == ["低", "低"]  # 2低: the one level for both
    (single,) = by_power["独生子女父母光荣证核发与注销"]
    assert (single.name, single.number, single.level) == ("不按规定审核生育情况，违规发证", "", "低")
    group = ds.risk_groups[delay[0].group]
    assert group.members == [r.id for r in delay] and len(group.controls) == 3
    assert all(r.controls == [] for r in ds.risks.values() if r.group)  # never copied onto each point
    assert {r.leader for r in delay} == {"镇社会事业办负责人"}


def test_summary_periods_mean_their_last_day(town):
    ds, _ = town
    dates = [(r.project, str(r.date), r.note) for r in ds.progress]
    assert dates == [("MS-2024-01", "2024-03-31", "完成8户改造并验收"), ("MS-2024-01", "2024-05-31", "完成15户"),
                     ("MS-2024-01", "2024-06-30", "完成21户，超序时进度"), ("MS-2024-02", "2024-06-30", "3个小区完成改造"),
                     ("MS-2024-02", "2024-09-30", "5个小区完成改造"), ("MS-2024-02", "2024-10-31", "6个小区完成改造")]
    assert ds.progress[0].evidence == "镇村建办台账"
    assert [(r.value, r.unit) for r in ds.progress][-3:] == [(3, "个小区"), (5, "个小区"), (6, "个小区")]


# A real build ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory, town):
    root = tmp_path_factory.mktemp("town-site")
    r = build(write_town(root / "data"), root / "site")
    assert r.returncode == 0, r.stderr
    return root / "site", town[0]


def _page(site, path: str) -> str:
    return (site[0] / path / "index.html").read_text(encoding="utf-8")


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_risk_list_shows_rows_as_published(site):
    page = _page(site, "risks")
    table = page[page.index("<tbody>"):page.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    assert len(rows) == len(RISKS)  # one line per published row, in published order
    first = _text(rows[0])
    assert first.index("1.受理风险") < first.index("2.审查风险") < first.index("3.决定风险")
    assert "1中2低" in first and "镇社会事业办负责人" in first and DELAY_SCHOOLING in first
    assert "办理结果及时公开。2.公开申报条件" in first and "。；" not in _text(table)  # one joining rule
    assert "共排查廉政风险点 11 个" in _text(page) and "部门</th>" not in page  # one department: no column
    levels = re.findall(r'data-label="等级" data-value="([^"]*)"', table)
    assert levels == ["中、低", "高、中", "中、低", "低", "低"]  # the filter finds a row by each level it holds
    badges = [_text(b) for b in re.findall(r'data-label="等级" data-value=[^>]*>(.*?)</td>', table, re.S)]
    assert badges == ["1中2低", "2高1中", "中风险低风险", "低风险", "低风险"]  # shown as published


def test_power_page_keeps_numbering_levels_and_one_measures_block(site):
    ds = site[1]
    code = next(p.code for p in ds.powers.values() if p.name == DELAY_SCHOOLING)
    page = _page(site, f"powers/{code}")
    assert page.count(SHARED_MEASURE) == 1
    text = _text(page)
    assert "3 个（高 0、中 1、低 2）" in text
    assert "1、受理阶段责任：公示依法应当提交的材料" in text and "实施依据" in text
    risk = next(r for r in ds.risks.values() if r.name == "审查风险")
    point = _text(_page(site, f"risks/{risk.id}"))
    assert "1中2低" in point and "原表只写了本事项 3 个风险点合计的等级" in point
    assert "本事项 3 个风险点共同的防控措施" in point and "责任人镇社会事业办负责人" in point.replace(" ", "")


def test_powers_list_keeps_sub_items_under_their_main_item(site):
    page = _page(site, "powers")
    names = [_text(n) for n in re.findall(r'data-label="事项名称">(.*?)</td>', page, re.S)]
    i = names.index("特困人员供养")
    assert names[i + 1:i + 3] == ["1.特困人员救助供养审核特困人员供养的子项", "2.特困人员救助供养终止特困人员供养的子项"]
    assert 'data-label="承诺时限"' not in page and 'data-label="部门"' not in page  # empty and one-valued columns


def test_open_data_keeps_the_measures_once(site):
    folder = site[0] / "opendata"
    rows = list(csv.reader(io.StringIO((folder / "risk_measures.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == ["编号", "关联职权", "风险点", "等级（原表）"] and len(rows) == 1 + len(RISKS)
    assert rows[1][3] == "1中2低" and rows[1][5].startswith("1.在政务窗口公开") and "及时公开。2.公开申报" in rows[1][5]
    risks = list(csv.reader(io.StringIO((folder / "risks.csv").read_text(encoding="utf-8-sig"))))
    controls, group = risks[0].index("防控措施"), risks[0].index("防控措施组")
    assert all(r[controls] == "" and r[group] for r in risks[1:])


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout


def test_board_and_handbook_print_the_measures_once(site):
    ds = site[1]
    (body,) = ds.departments.values()
    # The department's board is read from two metres (issue 26): its risk points counted by level — the rows' counts
    # added (1中2低, 2高1中, …) — and, in the space its seven powers leave, the rows with their measures once each.
    board = _pdf_text(site[0] / "posters" / "departments" / f"{body.id}.pdf")
    flat = re.sub(r"\s+", "", board)
    assert "廉政风险点（共11个）" in flat and "▲高2个▲中3个▲低6个" in flat
    assert flat.count(re.sub(r"\s+", "", SHARED_MEASURE)) == 1 and "1中2低" in flat and "2高1中" in flat
    assert flat.index("1.受理风险") < flat.index("2.审查风险")
    book = re.sub(r"\s+", "", _pdf_text(site[0] / HANDBOOK_PATH))
    assert book.count(re.sub(r"\s+", "", SHARED_MEASURE)) == 1 and "共用一组防控措施" in book


def test_a_sub_item_is_found_by_its_published_text_too(tmp_path):
    risks = [[1, "1.特困人员救助供养审核", 1, "1.审核风险：优亲厚友", "中", "1.两级公示。", "镇民政办负责人"],
             [2, "临时救助金给付（一次性）", 1, "审批风险：超标准审批", "低", "一卡通发放。", "镇民政办负责人"]]
    ds, report = load_dataset(write_town(tmp_path / "data", risks=risks))
    assert [p.code for p in report.errors] == ["unknown-power"]  # the second names no power: said, not guessed
    (first, _) = ds.risks.values()
    assert ds.powers[first.powers[0]].name == RELIEF_CHECK


def test_a_commitment_page_shows_the_period_as_written(site):
    page = _text(_page(site, "projects/MS-2024-02"))
    assert "2024年6月30日上半年" in page and "2024年9月30日第三季度" in page and "2024年10月31日1-10月" in page


def test_town_site_is_valid_html(site):
    from .test_standards import check_site

    check_site(site[0])  # the rows of a per-power risk table, sub-items and periods in valid markup
