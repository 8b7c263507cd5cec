"""Commitment status, computed as of the dataset's ``as_of`` (DOMAIN.md, "Commitment status").

Pure functions over the Dataset. Arithmetic uses Fractions so that the
boundaries (a gap of exactly 10 points is not "lagging") hold exactly.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ..records.model import Dataset, ProgressRecord, Project, Thresholds

NOT_STARTED = "未开始"
ON_TRACK = "按序时推进"
LAGGING = "进度滞后"
SERIOUS = "严重滞后"
OVERDUE = "逾期"
DONE = "已办结"
DONE_LATE = "逾期办结"
STALE = "长期无进展"

# Most urgent first: the dashboard lists items in this order.
STATUS_ORDER = (OVERDUE, SERIOUS, LAGGING, ON_TRACK, NOT_STARTED, DONE_LATE, DONE)
# Colour class of each status; the text is always shown beside the colour.
STATUS_TONE = {
    OVERDUE: "red", SERIOUS: "red", LAGGING: "yellow", ON_TRACK: "green",
    NOT_STARTED: "grey", DONE_LATE: "blue", DONE: "blue",
}
DONE_STATUSES = (DONE, DONE_LATE)
# Listed for supervision (督办) on the home page and by `progress`; long silence (STALE) counts too.
URGENT_STATUSES = (OVERDUE, SERIOUS)
HUNDRED = Fraction(100)


@dataclass(frozen=True)
class TargetProgress:
    metric: str
    unit: str
    target: float
    latest: float | None
    latest_date: dt.date | None
    share: Fraction  # 0..1, capped


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

    @property
    def tone(self) -> str:
        return STATUS_TONE[self.status]

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    @property
    def needs_supervision(self) -> bool:
        return self.status in URGENT_STATUSES or self.stale

    def as_json(self) -> dict:
        return {
            "id": self.project,
            "status": self.status,
            "time_progress": pct(self.time_progress),
            "work_progress": pct(self.work_progress),
            "gap": pct(self.gap),
            "stale": self.stale,
            "latest": self.latest.isoformat() if self.latest else None,
        }


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


def target_progress(project: Project, records: list[ProgressRecord], as_of: dt.date) -> tuple[TargetProgress, ...]:
    out = []
    for t in project.targets:
        mine = [r for r in records if r.metric == t.metric and r.value is not None and r.date and r.date <= as_of]
        last = max(mine, key=lambda r: (r.date, r.value), default=None)
        share = min(_frac(last.value) / _frac(t.target), Fraction(1)) if last and t.target else Fraction(0)
        out.append(TargetProgress(t.metric, t.unit, t.target, last.value if last else None,
                                  last.date if last else None, max(share, Fraction(0))))
    return tuple(out)


def classify(p: Project, time: Fraction, gap: Fraction, as_of: dt.date, th: Thresholds) -> str:
    if p.completed and p.completed <= as_of:
        return DONE if p.completed <= p.deadline else DONE_LATE
    if as_of < p.start:
        return NOT_STARTED
    if as_of > p.deadline:
        return OVERDUE
    if gap > _frac(th.serious):
        return SERIOUS
    if gap > _frac(th.lagging):
        return LAGGING
    return ON_TRACK


@dataclass
class StatusEngine:
    ds: Dataset
    # Indexes by project id; built here when the caller has none (Facts passes its own).
    children_of: dict[str, list[Project]] | None = None
    progress_of: dict[str, list[ProgressRecord]] | None = None
    _cache: dict[str, CommitmentStatus] = field(default_factory=dict)

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

    def records(self, project_id: str) -> list[ProgressRecord]:
        return list(self.progress_of.get(project_id, []))

    def status(self, project_id: str) -> CommitmentStatus:
        if project_id not in self._cache:
            # Children before parents, without recursion: a chain of thousands of sub-commitments is valid.
            order, todo = [], [project_id]
            while todo:
                pid = todo.pop()
                if pid not in self._cache:
                    order.append(pid)
                    todo += [k.id for k in self.children(pid) if k.id not in self._cache]
            for pid in reversed(order):
                if pid not in self._cache:
                    self._cache[pid] = self._compute(self.ds.projects[pid])
        return self._cache[project_id]

    def all(self) -> list[CommitmentStatus]:
        return [self.status(pid) for pid in sorted(self.ds.projects)]

    def _compute(self, p: Project) -> CommitmentStatus:
        as_of, th = self.ds.as_of, self.ds.site.thresholds
        kids = self.children(p.id)
        records = [r for r in self.records(p.id) if r.date and r.date <= as_of]
        targets = target_progress(p, records, as_of)
        done = sum(1 for m in p.milestones if m.done and m.done <= as_of)
        if kids:
            total = sum(_frac(k.weight) for k in kids)
            work = sum(_frac(k.weight) * self.status(k.id).work_progress for k in kids) / total
        elif targets:
            work = HUNDRED * sum(t.share for t in targets) / len(targets)
        elif p.milestones:
            work = HUNDRED * done / len(p.milestones)
        else:
            work = HUNDRED if p.completed and p.completed <= as_of else Fraction(0)
        time = time_progress(p.start, p.deadline, as_of)
        gap = time - work
        status = classify(p, time, gap, as_of, th)
        dates = [r.date for r in records] + [self.status(k.id).latest for k in kids if self.status(k.id).latest]
        latest = max(dates, default=None)
        since = latest or p.start
        stale = status not in (NOT_STARTED, DONE, DONE_LATE) and (as_of - since).days > th.stale_days
        return CommitmentStatus(p.id, status, time, work, gap, stale, latest, targets,
                                tuple(k.id for k in kids), done, len(p.milestones))
