"""The bad-input corpus: each case in tests/bad/ names the problems it must raise, by code, file and line."""

from __future__ import annotations

import pytest

from generator.facts.checks import load_checked
from generator.records.problems import CODES

from .conftest import bad_cases, make_case


def _triples(problems, prefix: str) -> list[tuple[str, str, int]]:
    return sorted((p.code, p.file.removeprefix(prefix), p.line) for p in problems)


@pytest.mark.parametrize("name", bad_cases())
def test_bad_case_reports_exactly_its_problems(name, tmp_path):
    expect = make_case(name, tmp_path / "data")
    _, report = load_checked(tmp_path / "data")
    prefix = (tmp_path / "data").as_posix() + "/"
    assert _triples(report.errors, prefix) == sorted(tuple(e) for e in expect["errors"])
    if "warnings" in expect:
        assert _triples(report.warnings, prefix) == sorted(tuple(w) for w in expect["warnings"])


@pytest.mark.parametrize("name", bad_cases())
def test_every_problem_is_explained_in_chinese(name, tmp_path):
    make_case(name, tmp_path / "data")
    _, report = load_checked(tmp_path / "data")
    for p in report.problems:
        assert p.code in CODES
        assert any("\u4e00" <= ch <= "\u9fff" for ch in p.message), p
        assert p.hint, p


def test_multiline_cell_reports_physical_line_and_excel_row(tmp_path):
    make_case("multiline-cell-line-number", tmp_path / "data")
    _, report = load_checked(tmp_path / "data")
    (problem,) = report.errors
    assert (problem.line, problem.excel_row) == (4, 3)
    assert "（Excel 第 3 行）" in problem.text()


def test_unknown_column_message_names_the_column_and_the_accepted_ones(tmp_path):
    make_case("unknown-column", tmp_path / "data")
    _, report = load_checked(tmp_path / "data")
    (problem,) = report.errors
    assert "wechat" in problem.message
    assert "在岗人员（holders）" in problem.hint
    assert problem.column == 9


def test_draft_problems_do_not_block_but_are_reported(tmp_path):
    make_case("draft-problems-are-warnings", tmp_path / "data")
    _, report = load_checked(tmp_path / "data")
    assert report.ok
    assert any("草稿" in p.message for p in report.warnings)


def test_a_word_line_break_is_named_with_what_to_type_instead(tmp_path):
    make_case("word-line-break", tmp_path / "data")
    _, report = load_checked(tmp_path / "data")
    (problem,) = report.errors
    assert (problem.line, problem.column, problem.field) == (2, 7, "责任事项")
    assert "Word 的手动换行符" in problem.message and "Alt+Enter" in problem.message
