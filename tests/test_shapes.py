"""Published shapes (issue 22), as tables of cases: levels as counts or one per line, risk points numbered in one
cell, derived codes, periods for dates, the one joining rule."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.present import join_items
from generator.records.fields import KINDS
from generator.records.shapes import _levels_for, derived_id, level_counts, risk_items
from generator.records.values import BadValue, NeedsYear, parse_date_or_month, period_end


@pytest.mark.parametrize("text,counts", [
    ("1中2低", {"中": 1, "低": 2}), ("2高1中", {"高": 2, "中": 1}), ("2个高风险、1个中风险", {"高": 2, "中": 1}),
    ("三低", {"低": 3}), ("1 高 1 中 1 低", {"高": 1, "中": 1, "低": 1}), ("1较高2一般", {"高": 1, "中": 2}),
    ("中", {}), ("一级", {}), ("", {}), ("高中低", {}), ("1中2低，见附表", {}),
])
def test_level_counts(text, counts):
    assert level_counts(text) == counts


@pytest.mark.parametrize("text,n,levels,published", [
    ("1中2低", 3, ["", "", ""], "1中2低"),  # which point is 中 the row does not say: kept as published
    ("3低", 3, ["低"] * 3, ""), ("2低", 3, [""] * 3, "2低"),  # 2低 for 3 points: the third is not said
    ("中\n低", 2, ["中", "低"], ""), ("1.中；2.低", 2, ["中", "低"], ""), ("中\n低", 3, [""] * 3, "中\n低"),
    ("中", 3, ["中"] * 3, ""), ("一级", 2, ["一级"] * 2, ""),  # one value for all: the converter reads it
    ("", 2, ["", ""], ""),
])
def test_levels_only_where_the_row_says_them(text, n, levels, published):
    assert _levels_for(text, n) == (levels, published)


def test_risk_items_as_published():
    cell = ("存在以下风险：1.受理风险：对符合条件不予受理；收受财物。\n2.审查风险：不按规审查材料。"
            "3.不按程序履行决定职责，决定超时，造成申请人多次往返：影响办事效率")
    assert risk_items(cell) == [
        ("1.", "受理风险", "对符合条件不予受理；收受财物。"), ("2.", "审查风险", "不按规审查材料。"),
        ("3.", "不按程序履行决定职责，决定超时，造成申请人多次往返：影响办事效率", ""),  # no short lead-in
    ]
    assert risk_items("不按规定审核，违规发证") == [("", "不按规定审核，违规发证", "")]  # one point, unnumbered
    assert risk_items("调查环节：不按程序调查；应当回避的未回避") == [("", "调查环节", "不按程序调查；应当回避的未回避")]
    assert risk_items("") == []


def test_derived_ids_depend_on_the_record_only():
    powers = KINDS["powers"]
    a = derived_id(powers, ["", "特困人员供养"])
    assert a == derived_id(powers, ["", " 特困人员 供养"]) == derived_id(powers, ["", "特困人员供养"])  # spaces, NFKC
    assert a.startswith("QL-") and len(a) == 11 and a != derived_id(powers, ["", "临时救助金给付"])
    assert derived_id(powers, ["特困人员供养", "审核"]) != derived_id(powers, ["", "审核"])  # a sub-item's main counts
    assert a == "QL-C5920FE2"  # the rule is the address: it may never change (URLs printed on boards)


@pytest.mark.parametrize("text,end", [
    ("2024年1-6月", (2024, 6)), ("2024年1—6月", (2024, 6)), ("上半年", (None, 6)), ("下半年", (None, 12)),
    ("第三季度", (None, 9)), ("2024年第三季度", (2024, 9)), ("三季度", (None, 9)), ("第4季度", (None, 12)),
    ("前三季度", (None, 9)), ("1-10月", (None, 10)), ("1-11月份", (None, 11)), ("1至9月", (None, 9)),
    ("2024年1月-6月", (2024, 6)), ("截至6月底", (None, 6)), ("6月", (None, 6)), ("2024年度", (2024, 12)),
    ("全年", (None, 12)), ("2024年", (2024, 12)), ("2024-10", None), ("近期", None), ("2024.10", None),
])
def test_periods_as_summaries_write_them(text, end):
    assert period_end(text) == end


def test_a_period_means_its_last_day_and_needs_a_year():
    assert parse_date_or_month("2024年1-6月") == dt.date(2024, 6, 30)
    assert parse_date_or_month("第一季度", 2024) == dt.date(2024, 3, 31)
    assert parse_date_or_month("1-2月", 2024) == dt.date(2024, 2, 29)
    assert parse_date_or_month("截至2024年6月30日") == dt.date(2024, 6, 30)
    with pytest.raises(NeedsYear):
        parse_date_or_month("上半年")
    with pytest.raises(BadValue):
        parse_date_or_month("1-13月", 2024)


@pytest.mark.parametrize("items,text", [
    (["1.公开办理依据。", "2.接受群众监督。"], "1.公开办理依据。2.接受群众监督。"),  # never "。；"
    (["实名制比对", "随机抽查"], "实名制比对；随机抽查"),
    (["有下列情形之一的：", "（一）不予受理的", "（二）超期的"], "有下列情形之一的：（一）不予受理的；（二）超期的"),
    (["ZY-001", " ", "JC-001"], "ZY-001；JC-001"), ([], ""),
])
def test_one_joining_rule(items, text):
    assert join_items(items) == text
