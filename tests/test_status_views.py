"""One status everywhere: a real build of commitments covering every v2 rule, then each view read as its reader reads
it — the dashboard row, the commitment's page, its board (PDF text), the home page's 督办 box, open data (CSV and
JSON), the feed, the handbook (PDF text) and ``progress`` — and compared with the computed status: the status, the
长期无进展 flag and the 督办 mark must be the same in every one. A view that drifts (a template that says 督办 only
for 逾期, a board that forgets the flag) fails here."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.facts.checks import load_checked
from generator.facts.view import Facts

from .conftest import ROOT, build

# as_of is 2024-06-30 (the second body's site.yml).
PROJECTS = """
- {id: DONE, name: 达标未填办结, lead: ZYJS, start: 2024-01-01, deadline: 2024-12-31,
   targets: [{metric: 户数, unit: 户, target: 160}]}
- {id: OVER, name: 超额完成车位, lead: ZYJS, start: 2024-01-01, deadline: 2024-12-31,
   targets: [{metric: 车位, unit: 个, target: 500}]}
- {id: LATE, name: 逾期无进展, lead: LDJC, start: 2023-06-01, deadline: 2024-03-31,
   targets: [{metric: 件数, unit: 件, target: 100}]}
- {id: SLOW, name: 严重滞后事项, lead: LDJC, start: 2024-01-01, deadline: 2024-08-31,
   targets: [{metric: 件数, unit: 件, target: 100}]}
- {id: QUIET, name: 正常但无进展, lead: LDJC, start: 2024-01-01, deadline: 2025-12-31,
   targets: [{metric: 件数, unit: 件, target: 100}]}
- {id: HALF, name: 一超一缺, lead: ZYJS, start: 2024-01-01, deadline: 2024-12-31,
   targets: [{metric: 甲, unit: 个, target: 10}, {metric: 乙, unit: 个, target: 10}]}
- {id: STEPS, name: 节点全部完成, lead: ZYJS, start: 2024-01-01, deadline: 2024-12-31,
   milestones: [{name: 启动, due: 2024-02-01, done: 2024-01-20}, {name: 验收, due: 2024-06-01, done: 2024-05-30}]}
- {id: LATER, name: 尚未开始事项, lead: ZYJS, start: 2024-09-01, deadline: 2024-12-31}
- {id: PARENT, name: 上级事项, lead: ZYJS, start: 2024-01-01, deadline: 2024-12-31}
- {id: KID1, name: 已办结分项, parent: PARENT, start: 2024-01-01, deadline: 2024-12-31,
   targets: [{metric: 人数, unit: 人, target: 10}]}
- {id: KID2, name: 推进中分项, parent: PARENT, start: 2024-01-01, deadline: 2024-12-31,
   targets: [{metric: 人数, unit: 人, target: 10}]}
"""

PROGRESS = """project,date,metric,value,unit,note,evidence
DONE,2024-03-31,户数,80,,摸底完成,
DONE,2024-05-20,户数,160,户,全部改造完成,
OVER,2024-06-10,车位,520,,提前超额完成,
LATE,2023-09-30,件数,40,,资金未到位,
SLOW,2024-06-15,件数,10,,施工队伍未进场,
QUIET,2024-01-31,件数,30,,首批完成,
HALF,2024-06-20,甲,12,,,
HALF,2024-06-20,乙,4,,,
KID1,2024-04-30,人数,10,,,
KID2,2024-06-01,人数,5,,,
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("views")
    data = root / "data"
    subprocess.run(["cp", "-r", str(ROOT / "tests/fixtures/second_body"), str(data)], check=True)
    subprocess.run(["rm", "-r", str(data / "decisions")], check=True)  # they name the fixture's own commitments
    (data / "projects/projects.yml").write_text(PROJECTS, encoding="utf-8")
    (data / "progress/progress.csv").write_text(PROGRESS, encoding="utf-8")
    r = build(data, root / "site")
    assert r.returncode == 0, r.stderr
    ds, _ = load_checked(data)
    facts = Facts(ds)
    want = {pid: (facts.status(pid).status, facts.status(pid).stale, facts.status(pid).supervised)
            for pid in ds.projects}
    return data, root / "site", facts, want


def test_the_cases_cover_every_status_and_mark(built):
    _, _, _, want = built
    assert {s for s, _, _ in want.values()} >= {"已办结", "逾期", "严重滞后", "按序时推进", "未开始"}
    assert want["DONE"] == ("已办结", False, False)  # 160 of 160, 办结日期 empty
    assert want["OVER"] == ("已办结", False, False)  # 520 of 500
    assert want["LATE"] == ("逾期", True, True)
    assert want["SLOW"] == ("严重滞后", False, True)
    assert want["QUIET"] == ("按序时推进", True, True)  # on time, but no record for 151 days
    assert want["HALF"][0] != "已办结" and want["STEPS"][0] == "已办结" and want["KID1"][0] == "已办结"
    assert want["PARENT"][0] != "已办结"


def _marks(html: str) -> tuple[str, bool, bool]:
    status = re.search(r'class="ss-status ss-status--(?!stale)\w+">([^<]+)</span>', html).group(1)
    return status, ">长期无进展</span>" in html, ">督办</span>" in html


def test_dashboard_rows(built):
    _, site, _, want = built
    page = (site / "projects/index.html").read_text(encoding="utf-8")
    for pid, expected in want.items():
        row = re.search(rf'<tr[^>]*><td[^>]*><a href="{pid}/">.*?</tr>', page, re.S).group(0)
        assert _marks(row) == expected, pid


def test_commitment_pages_status_line(built):
    _, site, _, want = built
    for pid, expected in want.items():
        page = (site / "projects" / pid / "index.html").read_text(encoding="utf-8")
        line = page.split('class="ss-status-line"', 1)[1].split("</div>", 1)[0]
        assert _marks(line.split("</p>", 1)[0]) == expected, pid
        assert ("列入督办" in line) is expected[2], pid


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_boards(built):
    _, site, _, want = built
    for pid, (status, stale, supervised) in want.items():
        text = re.sub(r"\s+", "", _pdf_text(site / "posters/projects" / f"{pid}.pdf"))
        line = re.search(r"当前状态：([^截]+)截至", text).group(1)
        assert line.split("·") == [status] + ["长期无进展"] * stale + ["督办"] * supervised, pid


def test_home_page_supervision_box(built):
    _, site, facts, want = built
    page = (site / "index.html").read_text(encoding="utf-8")
    box = page.split('class="ss-supervision-list"', 1)[1].split("</div>", 1)[0]
    listed = re.findall(r'projects/([A-Z0-9]+)/">', box)
    assert sorted(listed) == sorted(pid for pid, (_, _, sup) in want.items() if sup)
    for item in re.findall(r"<li>.*?</li>", box, re.S):
        pid = re.search(r'projects/([A-Z0-9]+)/">', item).group(1)
        assert _marks(item) == want[pid], pid


def test_open_data(built):
    _, site, _, want = built
    rows = list(csv.DictReader(io.StringIO((site / "opendata/status.csv").read_text(encoding="utf-8-sig"))))
    assert {r["编号"]: (r["状态"], r["长期无进展"] == "是", r["督办"] == "是") for r in rows} == want
    data = json.loads((site / "opendata/status.json").read_text(encoding="utf-8"))
    assert {c["id"]: (c["status"], c["stale"], c["supervised"]) for c in data["commitments"]} == want
    done = {r["编号"]: (r["办结日期"], r["办结依据"]) for r in rows}
    assert done["DONE"] == ("2024-05-20", "目标全部达到") and done["STEPS"] == ("2024-05-30", "节点全部完成")


def test_feed(built):
    _, site, facts, want = built
    root = ET.fromstring((site / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    seen = set()
    for entry in root.findall("a:entry", ns):
        link = entry.find("a:link", ns).get("href")
        m = re.search(r"projects/([A-Z0-9]+)/", link)
        if not m:
            continue
        pid = m.group(1)
        label = entry.find("a:summary", ns).text.rsplit("：", 1)[1]
        status, stale, supervised = want[pid]
        assert label.split(" · ") == [status] + ["长期无进展"] * stale + ["督办"] * supervised, pid
        seen.add(pid)
    assert seen == {pid for pid in want if facts.progress_of(pid)}


def test_handbook(built):
    _, site, facts, want = built
    text = _pdf_text(site / "handbook.pdf")
    part = text[re.search(r"^承诺事项进展$", text, re.M).end():]
    for pj in facts.ds.projects.values():
        line = next(ln for ln in part.splitlines() if ln.strip().startswith(pj.name))
        status, stale, supervised = want[pj.id]
        label = re.search(r"日\s+(\S+(?: · \S+)*)\s+[\d.]+%", line).group(1)
        assert label.split(" · ") == [status] + ["长期无进展"] * stale + ["督办"] * supervised, pj.id


def test_progress_command(built):
    data, _, _, want = built
    r = subprocess.run([sys.executable, "-m", "generator", "progress", "--data", str(data), "--format", "json"],
                       capture_output=True, text=True, cwd=ROOT, check=True)
    assert {o["id"]: (o["status"], o["stale"], o["supervised"]) for o in json.loads(r.stdout)} == want
    r = subprocess.run([sys.executable, "-m", "generator", "progress", "--data", str(data)],
                       capture_output=True, text=True, cwd=ROOT, check=True)
    for pj_id, (status, stale, supervised) in want.items():
        line = next(ln for ln in r.stdout.splitlines() if f"（{pj_id}）" in ln)
        marks = ["长期无进展"] * stale + ["督办"] * supervised
        assert line.split()[0] == status and all(m in line for m in marks), pj_id
        assert ("督办" in line) is supervised and ("长期无进展" in line) is stale, pj_id


def test_check_warns_where_办结日期_is_missing(built):
    data, _, _, _ = built
    _, report = load_checked(data)
    unmarked = sorted(p.message.split("“")[1].split("”")[0] for p in report.warnings
                      if p.code == "completion-unmarked")
    assert unmarked == sorted(["达标未填办结", "超额完成车位", "节点全部完成", "已办结分项"])
