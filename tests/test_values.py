import datetime as dt

import pytest

from generator.records.fields import PARAGRAPH_SEPARATORS
from generator.records.problems import Report
from generator.records.sources import DecodeError, decode, read_csv, read_yaml
from generator.records.values import BadValue, check_id, parse_bool, parse_date, parse_number, split_items


@pytest.mark.parametrize("text", ["2024-03-01", "2024/3/1", "2024.3.1", "2024年3月1日", "2024 年 3 月 1 日", "２０２４-03-01",
                                  "2024-03-01 08:30"])
def test_accepted_date_forms(text):
    assert parse_date(text) == dt.date(2024, 3, 1)


@pytest.mark.parametrize("text", ["2024-02-30", "2023-02-29", "2024年13月1日", "2024-00-10"])
def test_impossible_dates_are_errors(text):
    with pytest.raises(BadValue, match="不是真实存在的日期"):
        parse_date(text)


@pytest.mark.parametrize("text", ["3/1/2024", "2024-3", "三月一日", "20240301", ""])
def test_unreadable_dates_are_errors(text):
    with pytest.raises(BadValue, match="不是可识别的日期"):
        parse_date(text)


def test_leap_day_is_a_date():
    assert parse_date("2024-02-29") == dt.date(2024, 2, 29)


@pytest.mark.parametrize("text,value", [("是", True), ("否", False), ("Y", True), ("n", False), ("TRUE", True), ("no", False)])
def test_yes_no(text, value):
    assert parse_bool(text) is value


def test_yes_no_rejects_other_words():
    with pytest.raises(BadValue):
        parse_bool("可能")


@pytest.mark.parametrize("text,value", [("25", 25), ("12.5", 12.5), ("1,000", 1000), ("１２", 12), (" 7 ", 7)])
def test_numbers(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["二万", "10人", "1,00", "", "1e5"])
def test_non_numbers(text):
    with pytest.raises(BadValue):
        parse_number(text)


@pytest.mark.parametrize("text", ["../etc", "a/b", ".hidden", "中文", "a b", "x" * 65, "a..b"])
def test_identifiers_refuse_path_tricks_and_non_ascii(text):
    with pytest.raises(BadValue):
        check_id(text)


def test_identifier_keeps_leading_zeros():
    assert check_id("0012") == "0012"


def test_list_separators():
    assert split_items("甲；乙;丙、丁\n戊") == ["甲", "乙", "丙", "丁", "戊"]


def test_paragraphs_keep_enumeration_commas():
    assert split_items("实行集体研究、公示公开；两人签字\n定期抽查", PARAGRAPH_SEPARATORS) == ["实行集体研究、公示公开", "两人签字", "定期抽查"]


def test_decode_order():
    assert decode("职权".encode()) == ("职权", "UTF-8")
    assert decode(b"\xef\xbb\xbf" + "职权".encode()) == ("职权", "UTF-8")
    # Tiny GBK texts can happen to be valid UTF-8 ("职权" is); real files are long enough not to be.
    assert decode("职权目录，风险点".encode("gbk")) == ("职权目录，风险点", "GB18030")
    assert decode("职权".encode("utf-16")) == ("职权", "UTF-16")


def test_decode_refuses_other_bytes_with_the_line():
    with pytest.raises(DecodeError) as e:
        decode(b"a,b\nc,d\n\xff\xfe\xfd\n"[0:8] + b"\x80\n")
    assert e.value.line == 3


def test_csv_rows_know_their_physical_start_line():
    table = read_csv('a,b\n1,"x\ny"\n\n2,z\n', "f.csv")
    assert [(row[0], pos) for row, pos in zip(table.rows, table.positions)] == [("1", (2, 2)), ("2", (5, 4))]


def test_yaml_does_no_type_guessing():
    root = read_yaml("a: 0012\nb: no\nc: 2024-03-01\nd: 1.50\ne: ~\n", "f.yml", Report())
    values = {k: v.value for k, (_, v) in root.value.items()}
    assert values == {"a": "0012", "b": "no", "c": "2024-03-01", "d": "1.50", "e": None}


def test_yaml_keeps_positions_and_rejects_duplicate_keys():
    report = Report()
    root = read_yaml("x: 1\ny:\n  - 2\nx: 3\n", "f.yml", report)
    assert root.value["y"][1].value[0].loc.line == 3
    assert [(p.code, p.line) for p in report.problems] == [("duplicate-key", 4)]


@pytest.mark.parametrize("hidden,name", [("\ufeff", "字节顺序标记"), ("\u200b", "零宽空格"), ("\u00a0", "不换行空格")])
def test_an_id_with_a_character_nobody_sees_says_which(hidden, name):
    """BGS-ZC with a BOM in front (two UTF-8 CSV files joined) looked like a good id in its message."""
    with pytest.raises(BadValue, match=f"U\\+{ord(hidden):04X}（{name}"):
        check_id(f"BGS{hidden}-ZC")
