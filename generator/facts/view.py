"""Facts computed once per build from a valid Dataset, handed to every renderer.

``Facts`` keeps only the public view of the data (``public.py``): drafts and
withheld records do not exist in it, so pages, boards, open data and search
cannot show one by accident. On top of that view it indexes the links both
ways, the display order of each list, commitment status and the other facts
that more than one page or board needs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from functools import cached_property

from ..present import LEVEL_RANK
from ..records.fields import BY_CODE, RISK_LEVELS, VOCABULARIES
from ..records.model import (
    Dataset,
    Decision,
    Department,
    Flow,
    Post,
    Power,
    ProgressRecord,
    Project,
    RiskPoint,
    Step,
)
from .paths import board_path
from .public import WithheldItem, public_view, undisclosed_counts
from .status import STALE, STATUS_ORDER, STATUS_TONE, SUPERVISED, CommitmentStatus, StatusEngine, StatusPoint

KEY_AREAS = VOCABULARIES["key_areas"].values
UNRANKED = len(RISK_LEVELS)  # a risk point whose level is kept as published (1中2低) sorts after 低




class Facts:
    def __init__(self, raw: Dataset):
        self.ds, self.withheld_items = public_view(raw)
        self.undisclosed_decisions = undisclosed_counts(raw)
        self.review_interval = raw.site.review_interval_days
        withheld = {w.code: w for w in self.withheld_items}
        self.withheld_of_risk: dict[str, list[WithheldItem]] = {
            r.id: [withheld[c] for c in r.powers if c in withheld] for r in raw.risks.values()}
        self.powers_of_post: dict[str, list[Power]] = defaultdict(list)
        self.powers_of_department: dict[str, list[Power]] = defaultdict(list)
        self.powers_of_flow: dict[str, list[Power]] = defaultdict(list)
        self.risks_of_power: dict[str, list[RiskPoint]] = defaultdict(list)
        self.risks_of_post: dict[str, list[RiskPoint]] = defaultdict(list)
        self.risks_of_step: dict[tuple[str, str], list[RiskPoint]] = defaultdict(list)
        # (power code, flow id, step id) → risks: a power's page lists only its own risks at each step, looked up
        # here once instead of filtering every risk of the step on every page (quadratic at thousands of powers).
        self.risks_of_power_step: dict[tuple[str, str, str], list[RiskPoint]] = defaultdict(list)
        self.posts_of_department: dict[str, list[Post]] = defaultdict(list)
        self.projects_of_department: dict[str, list[Project]] = defaultdict(list)
        self.children_of: dict[str, list[Project]] = defaultdict(list)
        self.progress_of_project: dict[str, list[ProgressRecord]] = defaultdict(list)
        self._leads: dict[str, str] = {}
        self.decisions_of_project: dict[str, list[Decision]] = defaultdict(list)
        self.sub_items_of: dict[str, list[Power]] = defaultdict(list)  # a main item's code → its sub-items
        self.main_power_of: dict[str, Power] = {}  # a sub-item's code → its main item, when that is a power too
        self._link()

    def _link(self) -> None:
        ds = self.ds
        mains = {p.name: p for p in self.powers if not p.main}
        for power in self.powers:
            if power.main and power.main in mains:
                self.sub_items_of[mains[power.main].code].append(power)
                self.main_power_of[power.code] = mains[power.main]
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
                for code in dict.fromkeys(risk.powers):
                    self.risks_of_power_step[(code, flow_id, step_id)].append(risk)
        for post in self.posts:
            self.posts_of_department[post.department].append(post)
        for project in sorted(ds.projects.values(), key=lambda p: p.id):
            self.projects_of_department[self.lead_of(project)].append(project)
            if project.parent:
                self.children_of[project.parent].append(project)
        for rec in ds.progress:
            self.progress_of_project[rec.project].append(rec)
        for decision in self.decisions:
            for project in decision.projects:
                self.decisions_of_project[project].append(decision)

    @property
    def as_of(self) -> dt.date:
        return self.ds.as_of

    # Public lists, in display order ------------------------------------------

    # Lists keep the order the body published them in — files by name, rows as in the table (its 序号) — within the
    # department order the body set (部门 排序); site.yml 排序: 编号顺序 asks for the order by code instead.

    @property
    def by_code(self) -> bool:
        return self.ds.site.order == BY_CODE

    @cached_property
    def powers(self) -> list[Power]:
        if self.by_code:
            return sorted(self.ds.powers.values(), key=lambda p: (self.department_order(p.department), p.code))
        return self._published(self.ds.powers.values(), lambda p: p.department)

    @cached_property
    def withheld(self) -> list[WithheldItem]:
        if self.by_code:
            return sorted(self.withheld_items, key=lambda p: (self.department_order(p.department), p.code))
        return self._published(self.withheld_items, lambda p: p.department)

    @cached_property
    def risks(self) -> list[RiskPoint]:
        if self.by_code:
            return sorted(self.ds.risks.values(), key=lambda r: (LEVEL_RANK.get(r.level, UNRANKED), r.id))
        return list(self.ds.risks.values())

    @cached_property
    def posts(self) -> list[Post]:
        if self.by_code:
            return sorted(self.ds.posts.values(), key=lambda p: (self.department_order(p.department), p.id))
        return self._published(self.ds.posts.values(), lambda p: p.department)

    @cached_property
    def departments(self) -> list[Department]:
        place = {key: i for i, key in enumerate(self.ds.departments)}
        tie = (lambda d: d.id) if self.by_code else (lambda d: place[d.id])
        return sorted(self.ds.departments.values(), key=lambda d: (d.order is None, d.order or 0, tie(d)))

    @cached_property
    def flows(self) -> list[Flow]:
        """By id: a flow is a file of its own, published in no table, so it has no published order to keep."""
        return sorted(self.ds.flows.values(), key=lambda f: f.id)

    def _published(self, records, department_of) -> list:
        """In published order, within the departments' own order where the body set one (部门 排序)."""
        def rank(dept_id: str) -> tuple:
            d = self.ds.departments.get(dept_id)
            return (0, d.order) if d is not None and d.order is not None else (1, 0)
        return [r for _, r in sorted(enumerate(records), key=lambda x: (rank(department_of(x[1])), x[0]))]

    @cached_property
    def decisions(self) -> list[Decision]:
        """Public decisions, latest first."""
        return sorted(self.ds.decisions.values(), key=lambda d: (-d.date.toordinal(), d.id))

    @cached_property
    def key_posts(self) -> list[Post]:
        return [p for p in self.posts if p.key_post]

    def department_order(self, dept_id: str) -> tuple:
        d = self.ds.departments.get(dept_id)
        return (d is None, d.order if d and d.order is not None else 10**6, dept_id)

    # Links that need more than one index -------------------------------------------

    def risks_of_flow(self, flow: Flow) -> list[tuple[Step, RiskPoint]]:
        """(step, risk) in step order. Indexed once: every power page following a flow asks (made on each call, it
        was 16 s of a 10,000-power build: a flow with 5,000 risks, listed for each of its 10,000 powers)."""
        if flow.id in self._risks_of_flows:
            return self._risks_of_flows[flow.id]
        return self._flow_risks(flow)

    @cached_property
    def _risks_of_flows(self) -> dict[str, list[tuple[Step, RiskPoint]]]:
        return {flow.id: self._flow_risks(flow) for flow in self.ds.flows.values()}

    def _flow_risks(self, flow: Flow) -> list[tuple[Step, RiskPoint]]:
        return [(s, r) for s in flow.steps for r in self.risks_of_step.get((flow.id, s.id), [])]

    def step_name(self, ref: str) -> tuple[Flow, Step] | None:
        flow_id, _, step_id = ref.partition("/")
        flow = self.ds.flows.get(flow_id)
        step = flow.step(step_id) if flow else None
        return (flow, step) if step else None

    def flows_of_post(self, post: Post) -> list[Flow]:
        """Flows the post's powers follow, and flows in which the post handles a step."""
        ids = {p.flow for p in self.powers_of_post.get(post.id, []) if p.flow}
        ids |= {f.id for f in self.flows if any(s.post == post.id for s in f.steps)}
        return [f for f in self.flows if f.id in ids]

    def main_flow_of_post(self, post: Post) -> Flow | None:
        """The flow most of the post's powers follow, else one where the post handles a step (its board's chart)."""
        counts: dict[str, int] = {}
        for p in self.powers_of_post.get(post.id, []):
            if p.flow:
                counts[p.flow] = counts.get(p.flow, 0) + 1
        if counts:
            return self.ds.flows[max(sorted(counts), key=lambda f: counts[f])]
        return next((f for f in self.flows if any(s.post == post.id for s in f.steps)), None)

    def flows_of_department(self, d: Department) -> list[Flow]:
        """Flows the department's powers follow, and flows in which one of its posts handles a step."""
        ids = {p.flow for p in self.powers_of_department.get(d.id, []) if p.flow}
        posts = {p.id for p in self.posts_of_department.get(d.id, [])}
        ids |= {f.id for f in self.flows if any(s.post in posts for s in f.steps)}
        return [f for f in self.flows if f.id in ids]

    def key_areas_of_power(self, power: Power) -> list[str]:
        """人/财/物 of the power's key posts (the powers list filters by them), in the vocabulary's order."""
        posts = [self.ds.posts[x] for x in power.posts if x in self.ds.posts]
        areas = {a for post in posts if post.key_post for a in post.key_areas}
        return [a for a in KEY_AREAS if a in areas]

    def has_key_post(self, power: Power) -> bool:
        return any(self.ds.posts[x].key_post for x in power.posts if x in self.ds.posts)

    def risks_of_department(self, d: Department) -> list[RiskPoint]:
        """Risks held by the department's posts or attached to its powers."""
        posts = {p.id for p in self.posts_of_department.get(d.id, [])}
        powers = {p.code for p in self.powers_of_department.get(d.id, [])}
        return [r for r in self.risks if r.post in posts or set(r.powers) & powers]

    def supervision(self):
        """The body's ways to report (hotline, e-mail, address): asked as a method, so that a page showing them depends
        on them alone, not on the whole of site.yml (web/memo.py notes a method's answer)."""
        return self.ds.site.supervision

    def supervision_phone(self, power: Power) -> str:
        """The phone a power's page gives for complaints: its own (published tables list one), its first post's,
        else the body's hotline."""
        if power.phone:
            return power.phone
        phones = [self.ds.posts[p].phone for p in power.posts if p in self.ds.posts and self.ds.posts[p].phone]
        return phones[0] if phones else self.ds.site.supervision.hotline

    # Dates ---------------------------------------------------------------------

    def updated(self, record) -> dt.date:
        """The date a page shows: the record's review date, else the dataset's as_of."""
        return getattr(record, "reviewed", None) or self.ds.as_of

    def review_due(self, record) -> bool:
        """Last checked longer ago than site.yml's review interval: the page says 待复核 (``check`` warns)."""
        reviewed = getattr(record, "reviewed", None)
        return bool(reviewed) and (self.ds.as_of - reviewed).days > self.review_interval

    # Commitments -------------------------------------------------------------------

    @cached_property
    def engine(self) -> StatusEngine:
        return StatusEngine(self.ds, self.children_of, self.progress_of_project)

    def status(self, project_id: str) -> CommitmentStatus:
        return self.engine.status(project_id)

    def status_history(self, project_id: str) -> list[StatusPoint] | None:
        """The status at each progress record's date (None: too many sub-commitments to recompute)."""
        return self.engine.history(project_id)

    @cached_property
    def projects(self) -> list[Project]:
        """Most urgent first, then by id."""
        return sorted(self.ds.projects.values(),
                      key=lambda p: (STATUS_ORDER.index(self.status(p.id).status), p.id))

    @cached_property
    def urgent_projects(self) -> list[Project]:
        """Commitments to be supervised (督办): overdue, seriously behind, or without progress for long."""
        return [p for p in self.projects if self.status(p.id).needs_supervision]

    def status_counts(self) -> list[dict]:
        counts = Counter(self.status(p.id).status for p in self.projects)
        stale = sum(1 for p in self.projects if self.status(p.id).stale)
        out = [{"status": s, "count": counts[s], "tone": STATUS_TONE[s]} for s in STATUS_ORDER if counts[s]]
        if stale:
            out.append({"status": STALE, "count": stale, "tone": "stale"})
        if self.urgent_projects:
            out.append({"status": SUPERVISED, "count": len(self.urgent_projects), "tone": "supervise"})
        return out

    def lead_of(self, project: Project) -> str:
        """The lead department, inherited from the parent commitment when a sub-commitment names none."""
        asked = project.id
        if asked not in self._leads:
            chain = []
            while project and project.id not in self._leads and not project.lead and project.parent:
                chain.append(project.id)
                project = self.ds.projects.get(project.parent)
                if project and project.id in chain:  # a cycle (reported by check) leads nowhere
                    project = None
            lead = "" if project is None else self._leads.get(project.id, project.lead)
            for pid in chain + ([project.id] if project else []):
                self._leads.setdefault(pid, lead)
        return self._leads[asked]

    def related_of(self, project: Project) -> dict[str, list]:
        """What a commitment concerns, for its page: the powers it names (关联职权, public ones only) and the posts that
        handle them. The lead department and the decisions (decisions_of_project) are linked on their own."""
        powers = [self.ds.powers[c] for c in project.powers if c in self.ds.powers]
        post_ids = dict.fromkeys(x for p in powers for x in p.posts if x in self.ds.posts)
        return {"powers": powers, "posts": [self.ds.posts[x] for x in post_ids]}

    def progress_of(self, project_id: str) -> list[ProgressRecord]:
        return sorted(self.progress_of_project.get(project_id, []),
                      key=lambda r: (r.date or dt.date.min, r.metric, r.loc.file, r.loc.line))

    # Wall boards -------------------------------------------------------------------

    @cached_property
    def boards(self) -> list[tuple[str, object]]:
        """(kind, record) of every wall board: key posts, departments, commitments."""
        return ([("posts", p) for p in self.key_posts] + [("departments", d) for d in self.departments]
                + [("projects", self.ds.projects[p]) for p in sorted(self.ds.projects)])

    def board_paths(self) -> list[str]:
        return [board_path(kind, record.id) for kind, record in self.boards]
