"""The v2 status rules (DOMAIN.md, "Commitment status … (v2)") as one table, each rule at its boundary.

Each row: the commitments, the records, the date judged, and what a reader must be told: the status, the 长期无进展
flag, the 督办 mark, the done date and how it was done. A row fails when a rule is broken (checked by breaking
each rule in ``facts/status.py`` by hand).
"""

from __future__ import annotations

import datetime as dt

import pytest

from generator.facts.status import StatusEngine
from generator.records.model import Dataset, Milestone, ProgressRecord, Project, Site, Target, Thresholds

START = dt.date(2024, 1, 1)
DEADLINE = START + dt.timedelta(days=100)  # one day is one point of time progress


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


AFTER = DEADLINE + dt.timedelta(days=1)


def pj(pid="P", targets=(("户数", 160),), **kw) -> Project:
    return Project(id=pid, name=pid, start=kw.pop("start", START), deadline=kw.pop("deadline", DEADLINE),
                   targets=[Target(metric=m, unit="户", target=t) for m, t in targets], **kw)


def rec(value, on, pid="P", metric="户数", note="") -> ProgressRecord:
    return ProgressRecord(project=pid, date=on, metric=metric, value=value, note=note)


def ms(name, due, done=None) -> Milestone:
    return Milestone(name=name, due=due, done=done)


def judge(projects, records, as_of, pid="P"):
    site = Site(name="测试", as_of=as_of, thresholds=Thresholds())
    ds = Dataset(site=site, departments={}, posts={}, powers={}, risks={}, flows={},
                 projects={p.id: p for p in projects}, progress=records)
    return StatusEngine(ds).status(pid)


# (case, projects, records, as_of, pid, status, stale, 督办, done_on, done_by)
CASES = [
    # Done when every target is reached, 办结日期 empty: the date of the record that reached it.
    ("reached before the deadline", [pj()], [rec(80, day(30)), rec(160, day(60))], AFTER + dt.timedelta(days=200),
     "P", "已办结", False, False, day(60), "目标全部达到"),
    ("reached on the deadline day", [pj()], [rec(80, day(30)), rec(160, DEADLINE)], AFTER,
     "P", "已办结", False, False, DEADLINE, "目标全部达到"),
    ("reached the day after the deadline", [pj()], [rec(80, day(30)), rec(160, AFTER)], AFTER,
     "P", "逾期办结", False, False, AFTER, "目标全部达到"),
    ("over target (520 of 500) before the deadline", [pj(targets=(("车位", 500),))],
     [rec(520, day(70), metric="车位")], day(80), "P", "已办结", False, False, day(70), "目标全部达到"),
    ("one target over, one short", [pj(targets=(("甲", 100), ("乙", 100)))],
     [rec(120, day(40), metric="甲"), rec(60, day(40), metric="乙")], day(50), "P", "按序时推进", False, False,
     None, ""),
    ("one target over, one short, past the deadline", [pj(targets=(("甲", 100), ("乙", 100)))],
     [rec(120, day(40), metric="甲"), rec(60, day(40), metric="乙")], AFTER, "P", "逾期", False, True, None, ""),
    ("both targets reached on different dates", [pj(targets=(("甲", 100), ("乙", 100)))],
     [rec(100, day(40), metric="甲"), rec(100, day(45), metric="乙")], day(90), "P", "已办结", False, False,
     day(45), "目标全部达到"),
    # A later, lower figure is a correction: it undoes a reach.
    ("reached, then corrected below the target", [pj()], [rec(160, day(30)), rec(150, day(40))], day(50),
     "P", "按序时推进", False, False, None, ""),
    ("corrected, then reached again: the second reach counts", [pj()],
     [rec(160, day(30)), rec(150, day(40)), rec(160, day(70))], day(80), "P", "已办结", False, False, day(70),
     "目标全部达到"),
    ("two records on one date: the one listed last counts", [pj()], [rec(160, day(30)), rec(10, day(30))], day(50),
     "P", "严重滞后", False, True, None, ""),
    # 办结日期 is the body's word: done on it, whatever the figures.
    ("办结日期 set, figures short", [pj(completed=day(90))], [rec(100, day(80))], AFTER, "P", "已办结", False,
     False, day(90), "办结日期"),
    ("办结日期 after the deadline", [pj(completed=AFTER)], [rec(100, day(80))], AFTER, "P", "逾期办结", False,
     False, AFTER, "办结日期"),
    ("办结日期 after the date judged is not yet known", [pj(completed=day(60))], [rec(100, day(40))], day(50),
     "P", "按序时推进", False, False, None, ""),
    # Done is never 长期无进展: a finished item's last record may be long ago.
    ("done, no record for 200 days", [pj()], [rec(160, day(10))], day(210), "P", "已办结", False, False, day(10),
     "目标全部达到"),
    ("not done, no record for 91 days: stale and 督办", [pj(deadline=day(300))], [rec(100, day(10))], day(101),
     "P", "按序时推进", True, True, None, ""),
    ("not done, no record for exactly 90 days", [pj(deadline=day(300))], [rec(100, day(10))], day(100),
     "P", "按序时推进", False, False, None, ""),
    ("overdue, not done, records recent", [pj()], [rec(100, DEADLINE)], AFTER, "P", "逾期", False, True, None, ""),
    ("lagging: not 督办", [pj()], [rec(80, day(50))], day(50), "P", "按序时推进", False, False, None, ""),
    ("lagging by more than 10: not 督办", [pj()], [rec(60, day(50))], day(50), "P", "进度滞后", False, False, None,
     ""),
    ("seriously behind: 督办", [pj()], [rec(30, day(50))], day(50), "P", "严重滞后", False, True, None, ""),
    # No records at all.
    ("no records, before the start", [pj(start=day(10))], [], day(5), "P", "未开始", False, False, None, ""),
    ("no records, 50 days in", [pj()], [], day(50), "P", "严重滞后", False, True, None, ""),
    ("no records, past the deadline", [pj()], [], AFTER, "P", "逾期", True, True, None, ""),
    # Without targets: milestones.
    ("milestones only, all done", [pj(targets=(), milestones=[ms("甲", day(30), day(20)), ms("乙", day(60), day(55))])],
     [], day(70), "P", "已办结", False, False, day(55), "节点全部完成"),
    ("milestones only, one left", [pj(targets=(), milestones=[ms("甲", day(30), day(20)), ms("乙", day(60))])],
     [], day(50), "P", "按序时推进", False, False, None, ""),
    ("milestones only, last done after the deadline",
     [pj(targets=(), milestones=[ms("甲", day(30), day(20)), ms("乙", day(90), AFTER)])], [], AFTER,
     "P", "逾期办结", False, False, AFTER, "节点全部完成"),
    # Sub-commitments.
    ("a parent whose one child is done, the other not",
     [pj("PARENT", targets=()), pj("A", parent="PARENT"), pj("B", parent="PARENT")],
     [rec(160, day(30), pid="A"), rec(40, day(30), pid="B")], day(50), "PARENT", "按序时推进", False, False, None, ""),
    ("the child that is done", [pj("PARENT", targets=()), pj("A", parent="PARENT"), pj("B", parent="PARENT")],
     [rec(160, day(30), pid="A"), rec(40, day(30), pid="B")], day(50), "A", "已办结", False, False, day(30),
     "目标全部达到"),
    ("a parent whose children are all done",
     [pj("PARENT", targets=()), pj("A", parent="PARENT"), pj("B", parent="PARENT")],
     [rec(160, day(30), pid="A"), rec(160, day(45), pid="B")], day(50), "PARENT", "已办结", False, False, day(45),
     "分项全部办结"),
]


@pytest.mark.parametrize("case,projects,records,as_of,pid,status,stale,supervised,done_on,done_by", CASES,
                         ids=[c[0] for c in CASES])
def test_rule(case, projects, records, as_of, pid, status, stale, supervised, done_on, done_by):
    st = judge(projects, records, as_of, pid)
    assert (st.status, st.stale, st.supervised, st.done_on, st.done_by) == (status, stale, supervised, done_on,
                                                                              done_by)
    # Exactly one status, and the flags never contradict it.
    assert not (st.is_done and (st.stale or st.supervised))
    assert st.label.split(" · ")[0] == status


def test_over_target_is_shown_with_its_figure():
    st = judge([pj(targets=(("车位", 500),))], [rec(520, day(70), metric="车位")], day(80))
    (t,) = st.targets
    assert t.exceeded and t.latest == 520 and t.share == 1 and round(float(t.ratio) * 100) == 104
    assert st.exceeded == (t,)


def test_days_late_of_an_overdue_and_a_late_commitment():
    assert judge([pj()], [rec(10, day(5))], DEADLINE + dt.timedelta(days=7)).days_late == 7
    assert judge([pj()], [rec(160, AFTER + dt.timedelta(days=2))], AFTER + dt.timedelta(days=9)).days_late == 3
    assert judge([pj()], [rec(160, day(5))], AFTER).days_late == 0


def test_the_latest_note_is_the_reason_shown():
    records = [rec(40, day(20), note="已摸底"), rec(50, day(40)), rec(50, day(45), note="资金未到位，暂停")]
    st = judge([pj()], records, day(50))
    assert (st.note.note, st.note.date) == ("资金未到位，暂停", day(45))
    assert judge([pj()], records, day(44)).note.note == "已摸底"  # as known then


def test_a_parent_shows_its_childrens_newest_note():
    projects = [pj("PARENT", targets=()), pj("A", parent="PARENT"), pj("B", parent="PARENT")]
    records = [rec(40, day(20), pid="A", note="甲的说明"), rec(40, day(30), pid="B", note="乙的说明")]
    assert judge(projects, records, day(50), "PARENT").note.note == "乙的说明"


def test_history_recomputes_the_status_at_each_record():
    records = [rec(30, day(20), note="起步"), rec(30, day(50), note="落后"), rec(100, day(60), note="追上"),
               rec(160, day(80), note="完成")]
    site = Site(name="测试", as_of=day(90), thresholds=Thresholds())
    ds = Dataset(site=site, departments={}, posts={}, powers={}, risks={}, flows={}, projects={"P": pj()},
                 progress=records)
    rows = StatusEngine(ds).history("P")
    assert [(r.record.note, r.status.status) for r in rows] == [
        ("起步", "按序时推进"), ("落后", "严重滞后"), ("追上", "按序时推进"), ("完成", "已办结")]
    assert [float(r.status.work_progress) for r in rows] == [18.75, 18.75, 62.5, 100.0]
