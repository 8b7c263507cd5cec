"""Units of progress figures: a record's unit (its 单位 column, or written after the number) must be its target's,
or declared the same in site.yml's 同一单位; figures in another unit are never added to the target's."""

from __future__ import annotations

import pytest

from generator.facts.view import Facts
from generator.records.dataset import load_dataset

PROJECT = """- id: ZZ
  name: 老旧小区改造
  lead: LDJC
  start: 2024-01-01
  deadline: 2024-12-31
  targets:
    - {指标: 改造小区, 单位: 处, 目标值: 10}
"""


def _body(second_body, progress: str, synonyms: str = ""):
    (second_body / "projects/zz.yml").write_text(PROJECT, encoding="utf-8")
    (second_body / "progress/zz.csv").write_text("事项,日期,指标,累计值,单位,说明\n" + progress, encoding="utf-8")
    if synonyms:
        with (second_body / "site.yml").open("a", encoding="utf-8") as f:
            f.write(synonyms)
    return load_dataset(second_body)


def test_a_figure_in_another_unit_is_an_error_naming_both(second_body):
    ds, report = _body(second_body, "ZZ,2024-06-30,改造小区,7,个小区,上半年\n")
    (p,) = report.errors
    assert (p.code, p.line, p.field) == ("unit-mismatch", 2, "单位")
    assert "“个小区”" in p.message and "“处”" in p.message


@pytest.mark.parametrize("cell,unit", [("7个小区", ""), ("7 个小区", "个小区"), ("７个小区", "")])
def test_units_declared_the_same_are_read_and_counted(second_body, cell, unit):
    ds, report = _body(second_body, f"ZZ,2024-06-30,改造小区,{cell},{unit},上半年\n", "同一单位:\n  - 处=个小区\n")
    assert report.ok, report.format("text")
    (rec,) = [r for r in ds.progress if r.project == "ZZ"]
    assert (rec.value, rec.unit) == (7, "个小区")
    assert Facts(ds).status("ZZ").work_progress == 70


def test_a_figure_with_its_targets_unit_is_read(second_body):
    ds, report = _body(second_body, "ZZ,2024-06-30,改造小区,7处,,上半年\n")
    assert report.ok, report.format("text")
    assert Facts(ds).status("ZZ").targets[0].latest == 7


def test_the_unit_written_in_the_cell_must_agree_with_its_column(second_body):
    _, report = _body(second_body, "ZZ,2024-06-30,改造小区,7处,个,上半年\n")
    (p,) = report.errors
    assert (p.code, p.line, p.column, p.field) == ("unit-mismatch", 2, 4, "累计值")


def test_a_unit_against_a_target_without_one_is_an_error(second_body):
    (second_body / "projects/yy.yml").write_text(PROJECT.replace("ZZ", "YY").replace("单位: 处, ", ""), encoding="utf-8")
    _, report = _body(second_body, "YY,2024-06-30,改造小区,7,个,\n")
    (p,) = report.errors
    assert p.code == "unit-mismatch" and "目标没有写单位" in p.message
