"""Commitment status at every boundary of DOMAIN.md's rules, table-driven."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from fractions import Fraction

import pytest

from generator.facts.status import StatusEngine, time_progress
from generator.records.model import Dataset, Milestone, ProgressRecord, Project, Site, Target, Thresholds

from .conftest import ROOT, SECOND_BODY

D = dt.date
START = D(2023, 1, 1)
DEADLINE = START + dt.timedelta(days=100)  # one day is one point of time progress


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def project(pid="P", targets=(("件数", 100),), **kw) -> Project:
    return Project(id=pid, name=pid, start=kw.pop("start", START), deadline=kw.pop("deadline", DEADLINE),
                   targets=[Target(metric=m, target=t) for m, t in targets], **kw)


def rec(value, on, pid="P", metric="件数") -> ProgressRecord:
    return ProgressRecord(project=pid, date=on, metric=metric, value=value)


def status(projects, progress, as_of, pid="P", **th):
    site = Site(name="测试", as_of=as_of, thresholds=Thresholds(**th))
    ds = Dataset(site=site, departments={}, posts={}, powers={}, risks={}, flows={},
                 projects={p.id: p for p in projects}, progress=progress)
    return StatusEngine(ds).status(pid)


@pytest.mark.parametrize("value,expected", [
    (40, "按序时推进"),      # gap exactly 10: not lagging
    (39.9, "进度滞后"),      # gap 10.1
    (20, "进度滞后"),        # gap exactly 30: lagging, not serious
    (19.9, "严重滞后"),      # gap 30.1
    (60, "按序时推进"),      # ahead of time
])
def test_gap_boundaries(value, expected):
    st = status([project()], [rec(value, day(50))], day(50))
    assert st.time_progress == 50
    assert st.status == expected


@pytest.mark.parametrize("as_of,completed,expected", [
    (DEADLINE, None, "按序时推进"),               # the deadline day itself, 90 of 100: on schedule (gap 10)
    (DEADLINE + dt.timedelta(days=1), None, "逾期"),
    (DEADLINE + dt.timedelta(days=5), DEADLINE, "已办结"),
    (DEADLINE + dt.timedelta(days=5), DEADLINE + dt.timedelta(days=1), "逾期办结"),
    (day(-1), None, "未开始"),
    (day(50), day(60), "按序时推进"),             # completion recorded after as_of is not yet known
])
def test_dates(as_of, completed, expected):
    st = status([project(completed=completed)], [rec(90, day(40))], as_of)
    assert st.status == expected


def test_deadline_day_time_progress_is_full():
    assert time_progress(START, DEADLINE, DEADLINE) == 100
    assert time_progress(START, DEADLINE, START) == 0
    assert time_progress(START, DEADLINE, day(-10)) == 0


def test_leap_year():
    # 2024-02-28 to 2024-03-01 is two days because of 29 February.
    assert time_progress(D(2024, 2, 28), D(2024, 3, 1), D(2024, 2, 29)) == 50


def test_no_targets_uses_milestones():
    p = project(targets=(), milestones=[Milestone(name=str(i), due=day(10 * i), done=day(10 * i) if i <= 2 else None)
                                        for i in range(1, 5)])
    st = status([p], [], day(50))
    assert st.work_progress == 50 and st.status == "按序时推进"


def test_milestone_done_after_as_of_does_not_count():
    p = project(targets=(), milestones=[Milestone(name="a", due=day(10), done=day(60)), Milestone(name="b", due=day(90))])
    assert status([p], [], day(50)).work_progress == 0


def test_targets_exceeded_are_capped_in_work_progress_and_shown_as_such():
    st = status([project()], [rec(150, day(50))], day(50))
    assert st.work_progress == 100 and st.gap == -50
    assert st.targets[0].exceeded and st.targets[0].ratio == Fraction(3, 2)


def test_two_targets_are_averaged():
    p = project(targets=(("甲", 100), ("乙", 10)))
    st = status([p], [rec(50, day(50), metric="甲"), rec(10, day(50), metric="乙")], day(50))
    assert st.work_progress == 75


def test_weighted_parent_and_children_that_disagree():
    parent = project("PARENT", targets=())
    done = project("A", parent="PARENT", weight=3.0)
    idle = project("B", parent="PARENT", weight=1.0)
    progress = [rec(100, day(50), pid="A"), rec(0, day(50), pid="B")]
    st = status([parent, done, idle], progress, day(50), pid="PARENT")
    assert st.work_progress == 75 and st.children == ("A", "B")
    assert st.status == "按序时推进"
    assert status([parent, done, idle], progress, day(50), pid="B").status == "严重滞后"


@pytest.mark.parametrize("days_since,stale", [(90, False), (91, True)])
def test_stale_after_ninety_days(days_since, stale):
    st = status([project()], [rec(90, day(0))], day(days_since))
    assert st.stale is stale


def test_stale_counts_from_the_start_when_there_is_no_record_and_not_before():
    assert status([project()], [], day(91)).stale is True
    assert status([project()], [], day(90)).stale is False
    assert status([project(start=day(10))], [], day(5)).stale is False  # not started


def test_thresholds_come_from_settings():
    st = status([project()], [rec(40, day(50))], day(50), lagging=5, serious=8)
    assert st.status == "严重滞后"


def test_records_after_as_of_are_ignored():
    st = status([project()], [rec(10, day(10)), rec(100, day(80))], day(50))
    assert st.work_progress == 10 and st.latest == day(10)


def test_a_gap_of_exactly_ten_is_exact_even_where_floats_are_not():
    # Floats give 100*10/30 - 100*0.7/3 = 10.000000000000004, which would wrongly read as lagging.
    p = project(targets=(("件数", 3),), deadline=START + dt.timedelta(days=30))
    st = status([p], [rec(0.7, day(10))], day(10))
    assert st.gap == 10 and isinstance(st.gap, Fraction)
    assert st.status == "按序时推进"


def test_progress_command_json_for_the_second_body():
    r = subprocess.run([sys.executable, "-m", "generator", "progress", "--data", str(SECOND_BODY), "--format", "json"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    got = {o["id"]: o for o in json.loads(r.stdout)}
    # PX2024: 2024 is a leap year, so 30 June is 181 of 365 days → 49.59 %; 9,800 of 20,000 → 49 %.
    want = {"id": "PX2024", "status": "按序时推进", "time_progress": 49.59, "work_progress": 49.0, "gap": 0.59,
            "stale": False, "supervised": False, "done_on": None, "done_by": None, "days_late": 0,
            "latest": "2024-06-28"}
    assert {k: got["PX2024"][k] for k in want} == want
    # QX2024: past its deadline with one of two milestones done and no progress record since it started.
    qx = got["QX2024"]
    assert (qx["status"], qx["work_progress"], qx["stale"], qx["supervised"]) == ("逾期", 50.0, True, True)
    assert set(qx) == {"id", "status", "time_progress", "work_progress", "gap", "stale", "supervised", "done_on",
                       "done_by", "days_late", "latest", "note", "note_date", "targets"}


def test_sample_site_shows_every_status(sample_site):
    page = (sample_site / "projects/index.html").read_text(encoding="utf-8")
    for s in ("未开始", "按序时推进", "进度滞后", "严重滞后", "逾期", "已办结", "逾期办结", "长期无进展"):
        assert f">{s}</span>" in page, s


def test_project_page_shows_the_same_status_as_the_command(second_site):
    r = subprocess.run([sys.executable, "-m", "generator", "progress", "--data", str(SECOND_BODY), "--format", "json"],
                       capture_output=True, text=True, cwd=ROOT)
    for o in json.loads(r.stdout):
        page = (second_site / "projects" / o["id"] / "index.html").read_text(encoding="utf-8")
        line = page.split('class="ss-status-line"', 1)[1].split("</div>", 1)[0]
        assert f">{o['status']}</span>" in line, o["id"]
        assert (">长期无进展</span>" in line) is o["stale"], o["id"]
