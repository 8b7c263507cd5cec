"""Invisible control characters in data, and data in the terminal and CI log.

Every cell of every file, every YAML key and scalar, and a column the registry does not know, gets each kind of
hazard: the check names each one at its place (a build would otherwise crash writing the open-data workbook or
write a feed that is not XML), and no problem report, in any format, lets a value start a line of its own (a forged
``::error`` annotation) or reach the terminal as a control sequence — file names included.
"""

from __future__ import annotations

import copy as copy_module
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


# ---------------------------------------------------------------- ids as file and folder names


def _kinds_with_pages() -> list[str]:
    return [k.name for k in KINDS.values() if k.url and k.id_field]


@pytest.mark.parametrize("kind", _kinds_with_pages())
def test_ids_differing_only_in_case_are_duplicates(kind, tmp_path):
    """An id is a folder (powers/ZY-001/) and a board's file name: on a server or disk that ignores case (Windows,
    macOS, IIS) ZY-001 and zy-001 are one page. Each kind's first record, copied with its id's case swapped."""
    data = tmp_path / "data"
    shutil.copytree(SECOND_BODY, data)
    k = KINDS[kind]
    path = next(p for pattern in k.globs for p in sorted(data.glob(pattern)))
    if path.suffix == ".csv":
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        col = next(i for i, h in enumerate(rows[0]) if h in (k.id_field, "编号", "编码"))
        copy = list(rows[1])
        copy[col] = copy[col].swapcase()
        rows.append(copy)
        buf = io.StringIO(newline="")
        csv.writer(buf, lineterminator="\n").writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
        swapped, line = copy[col], len(rows)
    else:
        items = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        one = isinstance(items, dict)  # a flow: one record per file, so the copy is a file of its own
        copy = copy_module.deepcopy(items if one else items[0])
        copy[k.id_field] = swapped = copy[k.id_field].swapcase()
        if one:
            path = path.with_name("copy" + path.name)
        path.write_text(yaml.safe_dump(copy if one else [*items, copy], allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if swapped in t)
    assert swapped.lower() != swapped or swapped.upper() != swapped  # the id has letters
    _, report = load_dataset(data)
    dup = [p for p in report.errors if p.code == "duplicate-id"]
    assert [(Path(p.file).name, p.line) for p in dup] == [(path.name, line)], report.format("text")
    assert "大小写" in dup[0].message


def test_a_volume_never_takes_another_departments_file_name(tmp_path):
    """A department cut into volumes (ZYJS-1, ZYJS-2) beside a department whose id is ZYJS-1: every volume has a
    file of its own."""
    from generator.facts.view import Facts
    from generator.handbook.volumes import plan_volumes

    data = tmp_path / "data"
    shutil.copytree(SECOND_BODY, data)
    with open(data / "departments.csv", "a", encoding="utf-8") as fh:
        fh.write("\nZYJS-1,培训中心,直属单位,0000-1003,3,培训\n")
    path = data / "powers/licensing.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    extra = list(next(r for r in rows[1:] if r[rows[0].index("department")] == "ZYJS"))
    extra[0], extra[rows[0].index("department")] = "PX-001", "ZYJS-1"
    rows.append(extra)
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    ds, report = load_dataset(data)
    assert report.ok, report.format("text")
    volumes = plan_volumes(Facts(ds), threshold=1, per_volume=1)
    names = [v.path.lower() for v in volumes]
    assert "handbook/zyjs-1.pdf" in names and sum(v.department.id == "ZYJS" for v in volumes) >= 2
    assert len(set(names)) == len(names), names
