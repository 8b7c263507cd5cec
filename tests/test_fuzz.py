"""Property-based fuzzing of the loaders and checks: whatever the files hold, a report — never a traceback.

Hypothesis mutates the second body's real files (bytes inserted, deleted, replaced; whole files made of the
characters that matter to CSV, YAML, our separators and dates; other encodings) and asserts that loading and
checking end with a report whose every problem has a known code and a file, and that a dataset which checks
clean also derives its facts and renders its pages. Derandomised, so CI runs the same cases every time.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.facts.view import Facts
from generator.records.dataset import load_dataset
from generator.records.problems import CODES
from generator.web.pages import PageSet

from .conftest import SECOND_BODY

TARGETS = ["powers/licensing.csv", "risks/risks.csv", "posts.csv", "departments.csv", "progress/progress.csv",
           "flows/bt.yml", "projects/projects.yml", "site.yml", "powers/extra.csv", "flows/extra.yml"]
# Characters that mean something to a CSV or YAML parser, to our splitters, dates, numbers and booleans.
ALPHABET = list(",\"\n\r;；、：:-[]{}&*!|>#'\t %@=+.\\/年月日是否高中低") + list("0123456789aXy") + [
    "编码", "名称", "类型", "部门", "id", "name", "code", "steps", "next", "parent", "草稿", "公开", "2024-02-30",
    "2024-01-01", "\x00", "\ufeff", "\u3000", "- ", ": ", "&a ", "*a", "!!python/object", "~", "null"]
# Text made of those pieces (words as well as single characters).
PIECES = st.lists(st.sampled_from(ALPHABET), max_size=12).map("".join)
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"]
SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _run(target: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(SECOND_BODY, data)
        (data / target).parent.mkdir(parents=True, exist_ok=True)
        (data / target).write_bytes(content)
        ds, report = load_dataset(data)
        for p in report.problems:
            assert p.code in CODES and p.file, p
            assert p.message and "Traceback" not in p.message
        if report.ok:
            assert ds is not None
            pages = PageSet(Facts(ds)).sources()
            assert "index.md" in pages


@st.composite
def mutated(draw):
    target = draw(st.sampled_from(TARGETS[:8]))
    data = bytearray((SECOND_BODY / target).read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = draw(PIECES).encode("utf-8")
        if op == "insert":
            data[at:at] = chunk
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        else:
            data[at:at + len(chunk)] = chunk or draw(st.binary(min_size=1, max_size=4))
    return target, bytes(data)


@st.composite
def invented(draw):
    target = draw(st.sampled_from(TARGETS))
    text = draw(st.lists(st.sampled_from(ALPHABET), max_size=150).map("".join))
    encoding = draw(st.sampled_from(ENCODINGS))
    return target, text.encode(encoding, errors="replace")


@SETTINGS
@given(mutated())
def test_mutated_files_give_a_report_never_a_crash(case):
    _run(*case)


@SETTINGS
@given(invented())
def test_invented_files_give_a_report_never_a_crash(case):
    _run(*case)
