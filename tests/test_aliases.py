"""Published column names and value spellings: the alias table, header normalisation, vocabulary synonyms."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.records.choices import choose, refusal
from generator.records.fields import FIELD_INDEX, KINDS, find_header, header_key, header_map, is_ignored_header
from generator.records.values import BadValue, parse_date_or_month

ALIASES = [
    # (kind, header as published, field key)
    ("powers", "事项名称", "name"), ("powers", "职权名称", "name"), ("powers", "职权类型", "category"),
    ("powers", "权力类型", "category"), ("powers", "实施主体", "department"), ("powers", "承办机构", "department"),
    ("powers", "设定依据", "basis"), ("powers", "实施依据", "implementing_basis"), ("powers", "责任事项", "responsibilities"),
    ("powers", "追责情形", "accountability"), ("powers", "监督电话", "phone"), ("powers", "职权编码", "code"),
    ("powers", "法定办结时限", "statutory_limit"), ("powers", "承诺办结时限", "promised_limit"),
    # 办事指南 (issue 26): where and how to apply, as service guides head their columns
    ("powers", "办理地点", "place"), ("powers", "受理地点", "place"), ("powers", "受理窗口", "place"),
    ("powers", "办理时间", "hours"), ("powers", "受理时间", "hours"), ("powers", "申请材料", "materials"),
    ("powers", "所需材料", "materials"), ("powers", "申报材料", "materials"), ("powers", "收费标准", "fees"),
    ("powers", "收费依据及标准", "fees"), ("powers", "是否收费", "fees"), ("powers", "咨询电话", "consult_phone"),
    ("powers", "咨询方式", "consult_phone"),
    ("risks", "风险点", "name"), ("risks", "风险点名称", "name"), ("risks", "风险等级", "level"),
    ("risks", "风险类别", "category"), ("risks", "防控措施", "controls"), ("risks", "防范措施", "controls"),
    ("risks", "责任人", "leader"), ("risks", "岗位名称", "post"), ("risks", "职权名称", "powers"),
    ("posts", "岗位名称", "name"), ("posts", "所在部门", "department"), ("posts", "职责", "duties"),
    ("departments", "部门名称", "name"), ("progress", "统计日期", "date"), ("progress", "累计完成", "value"),
    # normalisation: Alt+Enter, spaces, full-width brackets and spaces, a note in brackets, a required star, case
    ("risks", "风险\n等级", "level"), ("risks", "风险\r\n等级", "level"), ("powers", " 事项 名称 ", "name"),
    ("powers", "法定时限（工作日）", "statutory_limit"), ("powers", "法定时限(工作日)", "statutory_limit"),
    ("powers", "*事项名称", "name"), ("powers", "事项\u3000名称", "name"), ("powers", "\ufeffcode", "code"),
    ("powers", "CODE", "code"),
]


@pytest.mark.parametrize("kind,header,key", ALIASES)
def test_published_header_names_a_field(kind, header, key):
    f = find_header(header_map(KINDS[kind].fields), header)
    assert f is not None and f.key == key


@pytest.mark.parametrize("header", ["序号", "序 号", "序\n号", "No."])
def test_row_number_column_is_ignored(header):
    assert is_ignored_header(header)


@pytest.mark.parametrize("path", sorted(FIELD_INDEX))
def test_every_spelling_names_one_field(path):
    """An alias may not shadow another field's key or label in the same table."""
    seen: dict[str, str] = {}
    for f in FIELD_INDEX[path].values():
        for name in {header_key(n) for n in (f.key, f.label, *f.aliases)}:
            assert seen.setdefault(name, f.key) == f.key, f"{path}: “{name}” names {seen[name]} and {f.key}"
            assert name not in {header_key(h) for h in ("序号",)}


VALUES = [
    # (vocabulary, as written, graded, value)
    ("risk_levels", "高风险", "", "高"), ("risk_levels", "低 风险", "", "低"), ("risk_levels", "较高", "", "高"),
    ("risk_levels", "一级", "一级为高", "高"), ("risk_levels", "三级", "一级为高", "低"),
    ("risk_levels", "一级", "一级为低", "低"), ("risk_levels", "Ⅱ级", "一级为高", "中"), ("risk_levels", "1级", "一级为低", "低"),
    ("risk_categories", "岗位职责风险", "", "岗位职责"), ("risk_categories", "业务流程", "", "业务流程"),
    ("power_categories", "其他权力", "", "其他行政权力"), ("paper", "a3", "", "A3"),
]


@pytest.mark.parametrize("vocab,text,graded,value", VALUES)
def test_vocabulary_spellings(vocab, text, graded, value):
    from generator.records.fields import VOCABULARIES

    assert choose(vocab, text, VOCABULARIES[vocab].values, graded) == value


def test_grades_need_the_site_setting():
    from generator.records.fields import VOCABULARIES

    assert choose("risk_levels", "一级", VOCABULARIES["risk_levels"].values) is None


def test_suffix_works_the_other_way_when_a_body_lists_categories_with_it():
    assert choose("risk_categories", "岗位职责", ("岗位职责风险", "业务流程风险")) == "岗位职责风险"


def test_refusal_suggests_the_nearest_value():
    f = FIELD_INDEX["powers"]["category"]
    code, message, hint = refusal(f, "行政许诺", ("行政许可", "行政处罚"))
    assert code == "bad-value" and "是否应为“行政许可”" in message
    assert "site.yml" in hint and "词表" in hint  # this vocabulary can be changed there


@pytest.mark.parametrize("text", ["特高", "一级"])
def test_risk_level_hint_promises_no_setting_that_does_not_exist(text):
    f = FIELD_INDEX["risks"]["level"]
    _, _, hint = refusal(f, text, ("高", "中", "低"))
    assert "词表" not in hint  # 风险等级 is fixed; only 等级对应 exists, and only for grades
    assert ("等级对应" in hint) == (text == "一级")


def test_fixed_vocabularies_say_so():
    f = FIELD_INDEX["powers"]["publication"]
    _, _, hint = refusal(f, "公布", ("公开", "不予公开", "草稿"))
    assert "site.yml" not in hint and "固定" in hint


@pytest.mark.parametrize("text,day", [("2023年10月", dt.date(2023, 10, 31)), ("2024年2月", dt.date(2024, 2, 29)),
                                      ("2023-10", dt.date(2023, 10, 31)), ("2023/2", dt.date(2023, 2, 28)),
                                      ("2023年10月份", dt.date(2023, 10, 31)), ("2023-10-05", dt.date(2023, 10, 5))])
def test_month_dates_mean_the_last_day(text, day):
    assert parse_date_or_month(text) == day


@pytest.mark.parametrize("text", ["2023年13月", "2023.10", "10月"])
def test_bad_months(text):
    with pytest.raises(BadValue):
        parse_date_or_month(text)
