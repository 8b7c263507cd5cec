"""Invisible control characters in data, and data in the terminal and CI log.

Every cell of every file, every YAML key and scalar, and a column the registry does not know, gets each kind of
hazard: the check names each one at its place (a build would otherwise crash writing the open-data workbook or
write a feed that is not XML), and no problem report, in any format, lets a value start a line of its own (a forged
``::error`` annotation) or reach the terminal as a control sequence — file names included.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.records.dataset import load_dataset
from generator.records.fields import KINDS

from .conftest import ROOT, SECOND_BODY, build

# One of each class: C0 (NUL, BEL, ESC with a CSI sequence, VT), DEL, C1 (the 8-bit CSI), the bidi override and
# isolate controls, a non-character; a lone surrogate (only a YAML escape can write one).
HAZARDS = {"nul": "\x00", "bel": "\x07", "esc": "\x1b[2J", "vt": "\x0b", "del": "\x7f", "c1": "\x9b31m",
           "rlo": "\u202e", "isolate": "\u2067", "nonchar": "\uffff"}
# What must never reach a terminal or a CI log raw: controls (line breaks included), bidi controls, surrogates.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def _data_files(root: Path) -> list[Path]:
    return sorted({p for kind in KINDS.values() for pattern in kind.globs for p in root.glob(pattern)})


def _plant_csv(path: Path, hazard: str) -> set[tuple[int, int]]:
    """The hazard in every non-empty cell of the first data row, and in a column no field has; their places."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[0].append("备忘")
    rows[1].append("甲")
    for row in rows[2:]:
        row.append("")
    rows[1] = [cell + hazard if cell.strip() else cell for cell in rows[1]]
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return {(2, i + 1) for i, cell in enumerate(rows[1]) if cell.strip()}


def _add(node, hazard: str):
    """Every scalar of a YAML value (read with BaseLoader) with the hazard appended, and one key of each mapping."""
    if isinstance(node, list):
        return [_add(item, hazard) for item in node]
    if isinstance(node, dict):
        out = {k: _add(v, hazard) for k, v in node.items()}
        out["备忘" + hazard] = "甲"
        return out
    return node + hazard if isinstance(node, str) and node.strip() else node


def _plant_yaml(path: Path, hazard: str) -> set[tuple[int, int]]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    data = [_add(data[0], hazard), *data[1:]] if isinstance(data, list) else _add(data, hazard)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # the hazard written as an escape
    path.write_text(text, encoding="utf-8")
    places: set[tuple[int, int]] = set()

    def walk(node):
        if isinstance(node, yaml.ScalarNode):
            if hazard in node.value:
                places.add((node.start_mark.line + 1, node.start_mark.column + 1))
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(key)
                walk(value)

    walk(yaml.compose(text))
    return places


@pytest.mark.parametrize("hazard", HAZARDS)
def test_every_cell_and_key_with_a_control_character_is_named_at_its_place(hazard, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SECOND_BODY, data)
    text = HAZARDS[hazard]
    planted: set[tuple[str, int, int]] = set()
    for path in _data_files(data):
        places = _plant_csv(path, text) if path.suffix == ".csv" else _plant_yaml(path, text)
        planted |= {(path.relative_to(data).as_posix(), line, col) for line, col in places}
    assert {f for f, _, _ in planted} >= {"site.yml", "flows/bt.yml", "projects/projects.yml"}
    _, report = load_dataset(data)
    found = {(Path(p.file).relative_to(data).as_posix(), p.line, p.column)
             for p in report.errors if p.code == "control-char"}
    assert found == planted
    for p in report.problems:  # every report format stays one line per problem, with no raw control in it
        assert not RAW.search(p.text()) and not RAW.search(p.github()), p


def test_a_lone_surrogate_escape_in_yaml_is_refused_where_it_stands(tmp_path):
    """Only a YAML escape (\\uD800) can write a lone surrogate; it cannot be printed or saved as UTF-8."""
    data = tmp_path / "data"
    shutil.copytree(SECOND_BODY, data)
    places = _plant_yaml(data / "flows/bt.yml", "\ud800")
    _, report = load_dataset(data)
    (problem,) = [p for p in report.errors if p.file.endswith("bt.yml")]
    assert problem.code == "yaml-syntax" and problem.line == min(places)[0]  # the first one, where reading stops
    assert not RAW.search(problem.text())


def test_a_build_with_a_control_character_stops_with_the_report_and_keeps_the_site(tmp_path):
    """NUL and ESC in a power's name once crashed the build (openpyxl refuses them in the open-data workbook)."""
    data = tmp_path / "data"
    shutil.copytree(SECOND_BODY, data)
    path = data / "powers/licensing.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("职业技能培训补贴发放", "职业技能\x00培训\x1b[2J补贴发放"),
                    encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("before", encoding="utf-8")
    r = build(data, site)
    assert r.returncode == 1, r.stderr
    assert "[control-char]" in r.stderr and "内部错误" not in r.stderr
    assert "licensing.csv:2:2" in r.stderr and "U+0000" in r.stderr
    assert not RAW.search(r.stderr.replace("\n", "")) and "\x1b" not in r.stdout
    assert (site / "index.html").read_text(encoding="utf-8") == "before"


def _check(data: Path, fmt: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "generator", "check", "--data", str(data), "--format", fmt],
                          capture_output=True, text=True, cwd=ROOT, errors="surrogateescape")
    assert proc.returncode == 1, proc.stderr
    return proc.stdout + proc.stderr


FORGE = "\n::error file=x.py,line=1::forged\r\n::warning::forged\x1b]0;title\x07\x1b[2J\u202e%0A"


@pytest.fixture
def forging_data(tmp_path) -> Path:
    """A value, a column name, a YAML key and a file name, each holding line breaks, annotation commands, terminal
    sequences and a bidi override."""
    data = tmp_path / "data"
    shutil.copytree(SECOND_BODY, data)
    path = data / "powers/licensing.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[1][rows[0].index("reviewed")] = "2024-13-01" + FORGE  # a bad date: the message quotes the value
    rows[1][rows[0].index("code")] = "ZY 001" + FORGE  # a bad id
    rows[0].append("col" + FORGE)  # an unknown column: its name is quoted
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    (data / "site.yml").write_text((data / "site.yml").read_text(encoding="utf-8")
                                   + f"{json.dumps('key' + FORGE)}: x\n", encoding="utf-8")
    shutil.copyfile(path, data / "powers" / ("file" + FORGE.replace("/", "") + ".csv"))
    return data


def test_text_report_is_one_line_per_problem_and_no_value_drives_the_terminal(forging_data):
    out = _check(forging_data, "text")
    lines = out.rstrip("\n").split("\n")
    assert lines[-1].startswith("共 ")
    assert all(line.startswith(str(forging_data)) for line in lines[:-1]), lines
    assert not RAW.search(out.replace("\n", ""))
    assert "forged" in out and "\\x1b" in out  # shown, as escapes


def test_github_annotations_cannot_be_forged_by_a_value_or_a_file_name(forging_data):
    out = _check(forging_data, "github")
    lines = out.rstrip("\n").split("\n")
    assert all(re.match(r"::(error|warning) file=[^:]*,title=[a-z-]+::", line) for line in lines[:-1]), lines
    assert lines[-1].startswith("共 ")
    assert not RAW.search(out.replace("\n", ""))


def test_json_report_is_json_with_no_raw_control_or_bidi_character(forging_data):
    out = _check(forging_data, "json")
    problems = json.loads(out)
    assert any("forged" in p["message"] for p in problems)
    assert any("\u202e" in p["file"] for p in problems)  # the values are kept, only written as escapes
    assert not RAW.search(out.replace("\n", ""))
