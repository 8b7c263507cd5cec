"""Published numbering: a sentence list that numbers its own items is split at those numbers and keeps them."""

from __future__ import annotations

import pytest

from generator.present import list_parts
from generator.records.numbering import chinese_number, split_paragraphs

CASES = [
    # (what, text, items)
    ("1. style, clauses inside an item stay with it",
     "1.受理责任：公示材料；一次性告知补正材料；依法受理。2.审查责任：审查材料；3.决定责任：作出决定",
     ["1.受理责任：公示材料；一次性告知补正材料；依法受理。", "2.审查责任：审查材料", "3.决定责任：作出决定"]),
    ("1、 style", "1、立案；2、调查；3、决定", ["1、立案", "2、调查", "3、决定"]),
    ("full-width 1．", "1．受理\n2．审查", ["1．受理", "2．审查"]),
    ("1) style", "1)受理；2)审查", ["1)受理", "2)审查"]),
    ("（一） with a lead-in", "有下列情形之一的：（一）不予受理的；（二）超越职权的；（三）其他。",
     ["有下列情形之一的：", "（一）不予受理的", "（二）超越职权的", "（三）其他。"]),
    ("(一) ASCII brackets", "(一)甲；(二)乙", ["(一)甲", "(二)乙"]),
    ("（一） after a comma or a space", "甲，（一）乙 （二）丙", ["甲", "（一）乙", "（二）丙"]),
    ("a cited item is not a number", "《行政许可法》第十二条第（一）项、第（二）项", ["《行政许可法》第十二条第（一）项、第（二）项"]),
    ("code-like text is not numbered", "alert(1)>x(javascript:alert(2))", ["alert(1)>x(javascript:alert(2))"]),
    ("一、 style on lines", "一、受理\n二、审查\n三、决定", ["一、受理", "二、审查", "三、决定"]),
    ("（1） style", "（1）甲；（2）乙", ["（1）甲", "（2）乙"]),
    ("circled", "①严格审查；②结果公示；③案卷评查。", ["①严格审查", "②结果公示", "③案卷评查。"]),
    ("lead-in on its own line, numbered lines", "有下列情形之一的：\n1、甲\n2、乙", ["有下列情形之一的：", "1、甲", "2、乙"]),
    ("nested: the outer numbers split, the inner stay",
     "（一）受理：1.登记；2.告知；（二）审查", ["（一）受理：1.登记；2.告知", "（二）审查"]),
    ("line breaks inside an item stay", "1. 甲\n   续行\n2. 乙", ["1. 甲\n   续行", "2. 乙"]),
    ("unnumbered: split on ；; and breaks as before", "审核名单;按标准发放\n抽查", ["审核名单", "按标准发放", "抽查"]),
    ("a decimal or a date is not a number", "依据第3.2条办理；2024.3.1起执行", ["依据第3.2条办理", "2024.3.1起执行"]),
    ("a lone 1. is not a list", "1.只有一条；另一句", ["1.只有一条", "另一句"]),
    ("enumeration commas stay inside", "实行集体研究、公示公开；两人签字", ["实行集体研究、公示公开", "两人签字"]),
    ("numbers out of order: the run stops at the gap", "1.甲；3.丙；2.乙", ["1.甲；3.丙", "2.乙"]),
    ("tenth and later Chinese numbers", "；".join(f"（{n}）项" for n in "一二三四五六七八九十") + "；（十一）末项",
     [f"（{n}）项" for n in "一二三四五六七八九十"] + ["（十一）末项"]),
]


@pytest.mark.parametrize("what,text,items", CASES, ids=[c[0] for c in CASES])
def test_split_paragraphs(what, text, items):
    assert split_paragraphs(text) == items


PARTS = [
    # (items, lead, entries, own)
    (["有下列情形之一的：", "（一）甲", "（二）乙"], "有下列情形之一的：", ["（一）甲", "（二）乙"], True),
    (["1.甲", "2.乙"], "", ["1.甲", "2.乙"], True),
    (["甲", "乙"], "", ["甲", "乙"], False),
    (["应当做到：", "甲", "乙"], "应当做到：", ["甲", "乙"], False),  # a lead-in before unnumbered lines
    (["前言", "1.甲", "2.乙"], "前言", ["1.甲", "2.乙"], True),  # text before numbered items is a lead-in
    (["1.甲", "乙"], "", ["1.甲", "乙"], False),  # mixed: numbered by the page
    (["只有一条"], "", ["只有一条"], False),
]


@pytest.mark.parametrize("items,lead,entries,own", PARTS)
def test_list_parts(items, lead, entries, own):
    assert list_parts(items) == {"lead": lead, "entries": entries, "own": own}


@pytest.mark.parametrize("text,value", [("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23)])
def test_chinese_numbers(text, value):
    assert chinese_number(text) == value
