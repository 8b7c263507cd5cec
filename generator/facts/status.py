"""Commitment status, computed as of the dataset's ``as_of`` (DOMAIN.md, "Commitment status … (v2)").

One computed object per commitment (``CommitmentStatus``) says everything a reader is told about it: the status
(exactly one), the 长期无进展 flag, the 督办 mark, work and time progress, each target's figure (超额完成 beyond
it), when and how it was done, and the latest progress note. Every view (dashboard, page, board, home page, open
data, feed, handbook, ``progress``) prints from it and nothing else.

Rules, decided here and published on the method page:
- A record's cumulative value holds from its date on. A later record with a lower value is a correction: the
  newest record (by date; on one date, the one listed last) is the figure, whatever came before.
- Done: ``办结日期`` on or before ``as_of``; or every target reached by its newest figure (without targets, every
  milestone done; with sub-commitments, every one of them done). The done date is then the date from which that
  has held without a break (the record, milestone or sub-commitment that completed it).
- A done commitment is 已办结 or 逾期办结 (done after its deadline), never 逾期, 滞后 or 长期无进展.

Pure functions over the Dataset. Arithmetic uses Fractions so that the boundaries (a gap of exactly 10 points is
not "lagging") hold exactly.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ..records.model import Dataset, ProgressRecord, Project

NOT_STARTED = "未开始"
ON_TRACK = "按序时推进"
LAGGING = "进度滞后"
SERIOUS = "严重滞后"
OVERDUE = "逾期"
DONE = "已办结"
DONE_LATE = "逾期办结"
STALE = "长期无进展"
SUPERVISED = "督办"
EXCEEDED = "超额完成"

# Most urgent first: the dashboard lists items in this order.
STATUS_ORDER = (OVERDUE, SERIOUS, LAGGING, ON_TRACK, NOT_STARTED, DONE_LATE, DONE)
# Colour class of each status; the text is always shown beside the colour.
STATUS_TONE = {
    OVERDUE: "red", SERIOUS: "red", LAGGING: "yellow", ON_TRACK: "green",
    NOT_STARTED: "grey", DONE_LATE: "blue", DONE: "blue",
}
DONE_STATUSES = (DONE, DONE_LATE)
# Listed for supervision (督办) with 长期无进展 (a flag, not a status).
URGENT_STATUSES = (OVERDUE, SERIOUS)
HUNDRED = Fraction(100)

# How a commitment came to be done, as the page says it.
BY_COMPLETED, BY_TARGETS, BY_MILESTONES, BY_CHILDREN = "办结日期", "目标全部达到", "节点全部完成", "分项全部办结"


@dataclass(frozen=True)
class TargetProgress:
    metric: str
    unit: str
    target: float
    latest: float | None  # the newest cumulative figure up to the date judged
    latest_date: dt.date | None
    ratio: Fraction  # latest / target, not capped; 0 without a figure

    @property
    def share(self) -> Fraction:
        """0..1: what counts towards work progress (a target beyond 100 % counts as done, no more)."""
        return min(max(self.ratio, Fraction(0)), Fraction(1))

    @property
    def reached(self) -> bool:
        return self.ratio >= 1

    @property
    def exceeded(self) -> bool:
        return self.ratio > 1


@dataclass(frozen=True)
class CommitmentStatus:
    project: str
    status: str
    time_progress: Fraction  # 0..100
    work_progress: Fraction  # 0..100
    gap: Fraction  # points; positive = behind schedule
    stale: bool
    latest: dt.date | None  # newest progress record up to as_of (of the project or its sub-commitments)
    targets: tuple[TargetProgress, ...] = ()
    children: tuple[str, ...] = ()
    milestones_done: int = 0
    milestones_total: int = 0
    done_on: dt.date | None = None  # the date it was done, however it was
    done_by: str = ""  # BY_COMPLETED, BY_TARGETS, BY_MILESTONES, BY_CHILDREN
    note: ProgressRecord | None = None  # the newest record with a note: the reason a reader looks for
    as_of: dt.date | None = None
    deadline: dt.date | None = None

    @property
    def tone(self) -> str:
        return STATUS_TONE[self.status]

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    @property
    def supervised(self) -> bool:
        """督办: overdue, seriously behind, or without progress for long."""
        return self.status in URGENT_STATUSES or self.stale

    needs_supervision = supervised

    @property
    def completion_unmarked(self) -> bool:
        """Done by its figures, milestones or sub-commitments while ``办结日期`` is empty (``check`` warns)."""
        return self.done_by not in ("", BY_COMPLETED)

    @property
    def exceeded(self) -> tuple[TargetProgress, ...]:
        return tuple(t for t in self.targets if t.exceeded)

    @property
    def days_late(self) -> int:
        """Days past the deadline: of an overdue commitment up to as_of, of one done late up to its done date."""
        if self.status == OVERDUE:
            return (self.as_of - self.deadline).days
        if self.status == DONE_LATE:
            return (self.done_on - self.deadline).days
        return 0

    @property
    def marks(self) -> tuple[str, ...]:
        """What is shown beside the status, in this order: 长期无进展, 督办."""
        return tuple(m for m, on in ((STALE, self.stale), (SUPERVISED, self.supervised)) if on)

    @property
    def label(self) -> str:
        """The status as one line of text (CSV, feed, handbook, terminal): 逾期 · 长期无进展 · 督办."""
        return " · ".join((self.status, *self.marks))

    def as_json(self) -> dict:
        return {
            "id": self.project,
            "status": self.status,
            "time_progress": pct(self.time_progress),
            "work_progress": pct(self.work_progress),
            "gap": pct(self.gap),
            "stale": self.stale,
            "supervised": self.supervised,
            "done_on": self.done_on.isoformat() if self.done_on else None,
            "done_by": self.done_by or None,
            "days_late": self.days_late,
            "latest": self.latest.isoformat() if self.latest else None,
            "note": self.note.note if self.note else None,
            "note_date": self.note.date.isoformat() if self.note else None,
            "targets": [{"metric": t.metric, "unit": t.unit, "target": t.target, "latest": t.latest,
                         "latest_date": t.latest_date.isoformat() if t.latest_date else None,
                         "share": pct(t.ratio * 100)} for t in self.targets],
        }


@dataclass(frozen=True)
class StatusPoint:
    """One row of a commitment's status history: its status as of one progress record's date."""

    record: ProgressRecord
    status: CommitmentStatus
    child: str = ""  # the sub-commitment the record belongs to, on a parent's history


def pct(x: Fraction) -> float:
    """A percentage for people and JSON: two decimals, no float noise."""
    return float(round(x, 2))


def time_progress(start: dt.date, deadline: dt.date, as_of: dt.date) -> Fraction:
    if as_of <= start:
        return Fraction(0)
    if as_of >= deadline:
        return HUNDRED
    return HUNDRED * (as_of - start).days / (deadline - start).days


def _frac(x: float) -> Fraction:
    return Fraction(Decimal(repr(x)))


@dataclass
class _Series:
    """One commitment's own progress records in order (date, then as listed), indexed for judging at any date."""

    records: list[ProgressRecord]
    dates: list[dt.date]
    by_metric: dict[str, tuple[list[dt.date], list[ProgressRecord]]]
    noted: list[int]  # for each position, the last position up to it whose record has a note (-1: none)
    judged: list[dt.date]  # the dates with a record, each once
    reached_since: list[dt.date | None]  # after each: since when every target has been reached (None: not then)

    @classmethod
    def of(cls, project: Project, records: list[ProgressRecord]) -> _Series:
        recs = sorted((r for r in records if r.date), key=lambda r: r.date)  # stable: listed order within a date
        by_metric: dict[str, tuple[list, list]] = {}
        for r in recs:
            if r.metric and r.value is not None:
                ds, rs = by_metric.setdefault(r.metric, ([], []))
                ds.append(r.date)
                rs.append(r)
        noted, last = [], -1
        for i, r in enumerate(recs):
            last = i if r.note else last
            noted.append(last)
        return cls(recs, [r.date for r in recs], by_metric, noted, *_reached_since(project, recs))

    def upto(self, on: dt.date) -> int:
        """How many records are dated on or before ``on``."""
        return bisect.bisect_right(self.dates, on)

    def figure(self, metric: str, on: dt.date) -> ProgressRecord | None:
        dates, recs = self.by_metric.get(metric, ((), ()))
        i = bisect.bisect_right(dates, on)
        return recs[i - 1] if i else None

    def done_since(self, on: dt.date) -> dt.date | None:
        i = bisect.bisect_right(self.judged, on)
        return self.reached_since[i - 1] if i else None


def _reached_since(project: Project, recs: list[ProgressRecord]) -> tuple[list, list]:
    """The dates with a record, and after each: since when every target has been reached without a break."""
    wanted = {t.metric: _frac(t.target) for t in project.targets if t.target}
    if not wanted or len(wanted) < len(project.targets):
        return [], []
    latest: dict[str, Fraction] = {}
    dates, out, since = [], [], None
    for i, r in enumerate(recs):
        if r.metric in wanted and r.value is not None:
            latest[r.metric] = _frac(r.value)
        if i + 1 < len(recs) and recs[i + 1].date == r.date:
            continue  # judge a date once all its records are in
        reached = all(latest.get(m, Fraction(-1)) >= t for m, t in wanted.items())
        since = (since or r.date) if reached else None
        dates.append(r.date)
        out.append(since)
    return dates, out


@dataclass
class StatusEngine:
    ds: Dataset
    # Indexes by project id; built here when the caller has none (Facts passes its own).
    children_of: dict[str, list[Project]] | None = None
    progress_of: dict[str, list[ProgressRecord]] | None = None
    _cache: dict[tuple[str, dt.date], CommitmentStatus] = field(default_factory=dict)
    _series: dict[str, _Series] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.children_of is None:
            self.children_of = defaultdict(list)
            for p in self.ds.projects.values():
                self.children_of[p.parent].append(p)
        if self.progress_of is None:
            self.progress_of = defaultdict(list)
            for r in self.ds.progress:
                self.progress_of[r.project].append(r)

    def children(self, project_id: str) -> list[Project]:
        return sorted(self.children_of.get(project_id, []), key=lambda p: p.id)

    def series(self, project_id: str) -> _Series:
        if project_id not in self._series:
            self._series[project_id] = _Series.of(self.ds.projects[project_id], self.progress_of.get(project_id, []))
        return self._series[project_id]

    def status(self, project_id: str) -> CommitmentStatus:
        return self.status_at(project_id, self.ds.as_of)

    def status_at(self, project_id: str, on: dt.date) -> CommitmentStatus:
        """The status as it was on a date, from the records up to that date."""
        if (project_id, on) not in self._cache:
            # Children before parents, without recursion: a chain of thousands of sub-commitments is valid.
            order, todo = [], [project_id]
            while todo:
                pid = todo.pop()
                if (pid, on) not in self._cache:
                    order.append(pid)
                    todo += [k.id for k in self.children(pid) if (k.id, on) not in self._cache]
            for pid in reversed(order):
                if (pid, on) not in self._cache:
                    self._cache[(pid, on)] = self._compute(self.ds.projects[pid], on)
        return self._cache[(project_id, on)]

    def all(self) -> list[CommitmentStatus]:
        return [self.status(pid) for pid in sorted(self.ds.projects)]

    def history(self, project_id: str, limit: int = 60, budget: int = 20_000) -> list[StatusPoint] | None:
        """The status recomputed at each progress record's date (the newest ``limit`` records; a parent's are its
        sub-commitments'), oldest first. None when a parent's history would take more than ``budget`` judgements
        (a tree of thousands of sub-commitments): its page then points to the sub-commitments' own."""
        own = [(r, "") for r in self.series(project_id).records if r.date <= self.ds.as_of]
        kids = self.children(project_id)
        subtree = self._subtree_size(project_id, budget)
        rows = own + [(r, k.id) for k in kids for r in self.series(k.id).records if r.date <= self.ds.as_of]
        rows.sort(key=lambda rc: rc[0].date)  # stable: a sub-commitment's records after the parent's own on a date
        rows = rows[-limit:]
        if kids and subtree * len({r.date for r, _ in rows}) > budget:
            return None
        return [StatusPoint(r, self.status_at(project_id, r.date), child) for r, child in rows]

    def _subtree_size(self, project_id: str, cap: int) -> int:
        size, todo = 0, [project_id]
        while todo and size <= cap:
            pid = todo.pop()
            size += 1
            todo += [k.id for k in self.children_of.get(pid, [])]
        return size

    def _compute(self, p: Project, on: dt.date) -> CommitmentStatus:
        th = self.ds.site.thresholds
        kids = [self.status_at(k.id, on) for k in self.children(p.id)]
        weights = [_frac(k.weight) for k in self.children(p.id)]
        series = self.series(p.id)
        n = series.upto(on)
        targets = tuple(_target(t, series.figure(t.metric, on)) for t in p.targets)
        milestones = [m.done for m in p.milestones if m.done and m.done <= on]
        if kids:
            work = sum(w * k.work_progress for w, k in zip(weights, kids)) / sum(weights)
        elif targets:
            work = HUNDRED * sum(t.share for t in targets) / len(targets)
        elif p.milestones:
            work = HUNDRED * len(milestones) / len(p.milestones)
        else:
            work = HUNDRED if p.completed and p.completed <= on else Fraction(0)
        done_on, done_by = _done(p, on, kids, series, milestones)
        time = time_progress(p.start, p.deadline, on)
        gap = time - work
        status = _classify(p, on, done_on, gap, th)
        dates = [series.dates[n - 1]] if n else []
        dates += [k.latest for k in kids if k.latest]
        latest = max(dates, default=None)
        stale = status not in (NOT_STARTED, *DONE_STATUSES) and (on - (latest or p.start)).days > th.stale_days
        note = series.records[series.noted[n - 1]] if n and series.noted[n - 1] >= 0 else None
        kid_notes = [k.note for k in kids if k.note]
        if kid_notes and (note is None or max(r.date for r in kid_notes) > note.date):
            note = max(kid_notes, key=lambda r: r.date)
        return CommitmentStatus(p.id, status, time, work, gap, stale, latest, targets, tuple(k.project for k in kids),
                                len(milestones), len(p.milestones), done_on, done_by, note, on, p.deadline)


def _target(t, last: ProgressRecord | None) -> TargetProgress:
    ratio = _frac(last.value) / _frac(t.target) if last and t.target else Fraction(0)
    return TargetProgress(t.metric, t.unit, t.target, last.value if last else None, last.date if last else None,
                          max(ratio, Fraction(0)))


def _done(p: Project, on: dt.date, kids: list[CommitmentStatus], series: _Series,
          milestones: list[dt.date]) -> tuple[dt.date | None, str]:
    """When and how the commitment was done, as known on ``on`` (办结日期 first: the body said so)."""
    if p.completed and p.completed <= on:
        return p.completed, BY_COMPLETED
    if kids:
        if all(k.is_done for k in kids):
            return max(k.done_on for k in kids), BY_CHILDREN
        return None, ""
    if p.targets:
        since = series.done_since(on)
        return (since, BY_TARGETS) if since else (None, "")
    if p.milestones and len(milestones) == len(p.milestones):
        return max(milestones), BY_MILESTONES
    return None, ""


def _classify(p: Project, on: dt.date, done_on: dt.date | None, gap: Fraction, th) -> str:
    if done_on:
        return DONE if done_on <= p.deadline else DONE_LATE
    if on < p.start:
        return NOT_STARTED
    if on > p.deadline:
        return OVERDUE
    if gap > _frac(th.serious):
        return SERIOUS
    if gap > _frac(th.lagging):
        return LAGGING
    return ON_TRACK
