"""Facts computed from a valid Dataset: two-way links between public records, URLs, dates, counts.

Everything that renders (pages, charts, boards, open data) asks this module,
so a draft or withheld record can leak nowhere by accident: only ``Site``'s
views are handed to the renderers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ..records.fields import KINDS, VOCABULARIES
from ..records.model import Dataset, Department, Flow, Post, Power, Project, RiskPoint, Step
from .status import STATUS_ORDER, CommitmentStatus, StatusEngine

LEVELS = VOCABULARIES["risk_levels"].values  # 高, 中, 低
LEVEL_CLASS = {"高": "high", "中": "medium", "低": "low"}


def url(kind: str, record_id: str = "") -> str:
    """Site-relative directory URL of a record page or a list page (``powers/CW-001/``)."""
    prefix = KINDS[kind].url
    return f"{prefix}/{record_id}/" if record_id else f"{prefix}/"


@dataclass
class Links:
    ds: Dataset
    powers_of_post: dict[str, list[Power]] = field(default_factory=lambda: defaultdict(list))
    powers_of_department: dict[str, list[Power]] = field(default_factory=lambda: defaultdict(list))
    powers_of_flow: dict[str, list[Power]] = field(default_factory=lambda: defaultdict(list))
    risks_of_power: dict[str, list[RiskPoint]] = field(default_factory=lambda: defaultdict(list))
    risks_of_post: dict[str, list[RiskPoint]] = field(default_factory=lambda: defaultdict(list))
    risks_of_step: dict[tuple[str, str], list[RiskPoint]] = field(default_factory=lambda: defaultdict(list))
    posts_of_department: dict[str, list[Post]] = field(default_factory=lambda: defaultdict(list))
    projects_of_department: dict[str, list[Project]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        ds = self.ds
        for power in self.powers:
            self.powers_of_department[power.department].append(power)
            self.powers_of_flow[power.flow].append(power)
            for post in power.posts:
                self.powers_of_post[post].append(power)
        for risk in self.risks:
            for code in risk.powers:
                self.risks_of_power[code].append(risk)
            self.risks_of_post[risk.post].append(risk)
            for ref in risk.steps:
                flow_id, _, step_id = ref.partition("/")
                self.risks_of_step[(flow_id, step_id)].append(risk)
        for post in self.posts:
            self.posts_of_department[post.department].append(post)
        for project in sorted(ds.projects.values(), key=lambda p: p.id):
            self.projects_of_department[self.lead_of(project)].append(project)

    # Public views, in display order ------------------------------------------

    @cached_property
    def powers(self) -> list[Power]:
        return sorted(self.ds.public_powers, key=lambda p: (self.department_order(p.department), p.code))

    @cached_property
    def withheld(self) -> list[Power]:
        return sorted(self.ds.withheld_powers, key=lambda p: (self.department_order(p.department), p.code))

    @cached_property
    def risks(self) -> list[RiskPoint]:
        return sorted(self.ds.risks.values(), key=lambda r: (LEVELS.index(r.level), r.id))

    @cached_property
    def posts(self) -> list[Post]:
        return sorted(self.ds.posts.values(), key=lambda p: (self.department_order(p.department), p.id))

    @cached_property
    def departments(self) -> list[Department]:
        return sorted(self.ds.departments.values(), key=lambda d: (d.order is None, d.order or 0, d.id))

    @cached_property
    def flows(self) -> list[Flow]:
        return sorted(self.ds.flows.values(), key=lambda f: f.id)

    @cached_property
    def key_posts(self) -> list[Post]:
        return [p for p in self.posts if p.key_post]

    def department_order(self, dept_id: str) -> tuple:
        d = self.ds.departments.get(dept_id)
        return (d is None, d.order if d and d.order is not None else 10**6, dept_id)

    def public_power(self, code: str) -> Power | None:
        p = self.ds.powers.get(code)
        return p if p is not None and p.is_public else None

    def power_of_record(self, code: str) -> Power | None:
        """Any non-draft power: withheld ones may be named (never linked)."""
        p = self.ds.powers.get(code)
        return None if p is None or p.is_draft else p

    def risks_of_flow(self, flow: Flow) -> list[tuple[Step, RiskPoint]]:
        return [(s, r) for s in flow.steps for r in self.risks_of_step.get((flow.id, s.id), [])]

    def step_name(self, ref: str) -> tuple[Flow, Step] | None:
        flow_id, _, step_id = ref.partition("/")
        flow = self.ds.flows.get(flow_id)
        step = flow.step(step_id) if flow else None
        return (flow, step) if step else None

    # Dates ---------------------------------------------------------------------

    def updated(self, record) -> dt.date:
        """The date a page shows: the record's review date, else the dataset's as_of."""
        return getattr(record, "reviewed", None) or self.ds.as_of

    # Commitments -------------------------------------------------------------------

    @cached_property
    def engine(self) -> StatusEngine:
        return StatusEngine(self.ds)

    def status(self, project_id: str) -> CommitmentStatus:
        return self.engine.status(project_id)

    @cached_property
    def projects(self) -> list[Project]:
        """Most urgent first, then by id."""
        return sorted(self.ds.projects.values(),
                      key=lambda p: (STATUS_ORDER.index(self.status(p.id).status), p.id))

    def lead_of(self, project: Project) -> str:
        """The lead department, inherited from the parent commitment when a sub-commitment names none."""
        seen = set()
        while project and not project.lead and project.parent and project.id not in seen:
            seen.add(project.id)
            project = self.ds.projects.get(project.parent)
        return project.lead if project else ""

    def progress_of(self, project_id: str) -> list:
        return sorted((r for r in self.ds.progress if r.project == project_id),
                      key=lambda r: (r.date or dt.date.min, r.metric, r.loc.file, r.loc.line))
