"""Typed, cross-linked records. Attribute names are the field keys of ``fields.py``."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .fields import AS_PUBLISHED, DRAFT, HANDBOOK_TITLE, OPEN_TO_ALL, PUBLIC, SUPERVISORS, WITHHELD
from .problems import Location

if TYPE_CHECKING:
    from .editions import Edition
    from .pages import BodyPage


def derived(default=""):
    """An attribute the program works out (records/shapes.py, the checks), not a field people write: it is in no
    file, export or schema, and the registry does not list it."""
    return field(default=default, metadata={"derived": True})


class RowLocs:
    """Positions of a CSV row's cells, computed on demand (a dict per row would cost more than the row)."""

    __slots__ = ("file", "line", "excel_row", "columns", "row", "sheet", "shown")

    def __init__(self, file: str, line: int, excel_row: int, columns: dict[str, int], row: list[str], sheet: str = "",
                 shown: dict[str, int] | None = None):
        self.file, self.line, self.excel_row, self.columns, self.row = file, line, excel_row, columns, row
        self.sheet = sheet
        self.shown = shown  # a value the program placed (a derived code, a split risk point): the cell it came from

    def __contains__(self, key: str) -> bool:
        col = self.columns.get(key)
        return col is not None and col < len(self.row) and bool(self.row[col].strip())

    def get(self, key: str, default: Location | None = None) -> Location | None:
        col = self.shown.get(key, self.columns.get(key)) if self.shown else self.columns.get(key)
        if col is None:
            return default
        return Location(self.file, self.line, col + 1, 0 if self.sheet else self.excel_row, self.sheet)


@dataclass
class Record:
    loc: Location = field(default=Location(""), repr=False, compare=False)
    # Location of each field's cell (and of list items, as "key[i]"), for messages.
    locs: dict[str, Location] = field(default_factory=dict, repr=False, compare=False)

    def loc_of(self, key: str, index: int | None = None) -> Location:
        if index is not None and f"{key}[{index}]" in self.locs:
            return self.locs[f"{key}[{index}]"]
        return self.locs.get(key, self.loc)


@dataclass
class Supervision(Record):
    hotline: str = ""
    email: str = ""
    address: str = ""


@dataclass
class Footer(Record):
    sponsor: str = ""
    contact: str = ""
    site_code: str = ""
    icp: str = ""
    police_record: str = ""
    address: str = ""


@dataclass
class Thresholds(Record):
    lagging: float = 10
    serious: float = 30
    stale_days: int = 90


@dataclass
class PosterSettings(Record):
    paper: str = "A3"


@dataclass
class HandbookSettings(Record):
    title: str = HANDBOOK_TITLE
    recipients: str = ""


@dataclass
class SiteTexts(Record):
    """What the pages say in the body's own words (site.yml 页面文字); the defaults speak for no body in particular."""

    supervisors: str = SUPERVISORS
    search_examples: tuple[str, ...] = ()
    risk_rating: str = ""
    decisions_intro: str = ""
    update_promise: str = ""


@dataclass
class PrivacyException(Record):
    value: str = ""
    reason: str = ""


def unit_key(unit: str) -> str:
    """A unit as compared: NFKC (full-width letters), without spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", unit or ""))


@dataclass
class Site(Record):
    name: str = ""
    short_name: str = ""
    title: str = ""
    base_url: str = ""
    id: str = ""  # the body's id in a portal: its pages live at the portal's address + id
    as_of: dt.date | None = None
    notice: str = ""
    robots: bool = True
    supervision: Supervision = field(default_factory=Supervision)
    footer: Footer = field(default_factory=Footer)
    vocabularies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    thresholds: Thresholds = field(default_factory=Thresholds)
    privacy_exceptions: list[PrivacyException] = field(default_factory=list)
    unit_synonyms: tuple[str, ...] = ()
    graded_levels: str = ""
    order: str = AS_PUBLISHED
    review_interval_days: int = 365
    poster: PosterSettings = field(default_factory=PosterSettings)
    handbook: HandbookSettings = field(default_factory=HandbookSettings)
    texts: SiteTexts = field(default_factory=SiteTexts)
    former_names: tuple[str, ...] = ()

    def same_unit(self, a: str, b: str) -> bool:
        """Two spellings of one unit: written alike (width and spaces aside) or declared equal in 同一单位."""
        a, b = unit_key(a), unit_key(b)
        return a == b or any(a in group and b in group for group in self._unit_groups)

    @property
    def _unit_groups(self) -> list[set[str]]:
        return [{unit_key(u) for u in re.split(r"[=、]", unicodedata.normalize("NFKC", g)) if unit_key(u)}
                for g in self.unit_synonyms]

    @property
    def display_title(self) -> str:
        return self.title or f"{self.name}阳光公示"

    def url_for(self, path: str) -> str:
        """Absolute URL of a site path such as ``posts/CW-01/``."""
        base = self.base_url.rstrip("/")
        return f"{base}/{path.lstrip('/')}" if base else "/" + path.lstrip("/")


@dataclass
class Portal(Record):
    """A portal's settings (portal.yml): its own name, address and words; each body speaks for itself."""

    name: str = ""
    base_url: str = ""
    intro: str = ""
    notice: str = ""
    search_hint: str = ""
    footer: Footer = field(default_factory=Footer)
    order: tuple[str, ...] = ()

    def body_url(self, body_id: str) -> str:
        """Where a body's site is published inside the portal."""
        return f"{self.base_url.rstrip('/')}/{body_id}/"


@dataclass
class Department(Record):
    id: str = ""
    name: str = ""
    kind: str = ""
    phone: str = ""
    order: int | None = None
    duties: str = ""


@dataclass
class Post(Record):
    id: str = ""
    name: str = ""
    department: str = ""
    key_post: bool = False
    key_areas: list[str] = field(default_factory=list)
    duties: list[str] = field(default_factory=list)
    holders: list[str] = field(default_factory=list)
    phone: str = ""


@dataclass
class Power(Record):
    code: str = ""
    name: str = ""
    main: str = ""  # a sub-item's main item (its name as published)
    sub_item: str = ""  # the published 子项 text: set on a sub-item's row
    category: str = ""
    department: str = ""
    posts: list[str] = field(default_factory=list)
    basis: str = ""
    implementing_basis: str = ""
    responsibilities: list[str] = field(default_factory=list)
    accountability: list[str] = field(default_factory=list)
    statutory_limit: str = ""
    promised_limit: str = ""
    flow: str = ""
    place: str = ""
    hours: str = ""
    materials: list[str] = field(default_factory=list)
    fees: str = ""
    consult_phone: str = ""
    publication: str = PUBLIC
    withheld_reason: str = ""
    reviewed: dt.date | None = None
    phone: str = ""
    notes: str = ""

    @property
    def id(self) -> str:
        return self.code

    @property
    def is_public(self) -> bool:
        return self.publication == PUBLIC

    @property
    def is_withheld(self) -> bool:
        return self.publication == WITHHELD

    @property
    def is_draft(self) -> bool:
        return self.publication == DRAFT


@dataclass
class RiskPoint(Record):
    id: str = ""
    name: str = ""
    category: str = ""
    description: str = ""
    level: str = ""
    controls: list[str] = field(default_factory=list)
    post: str = ""
    leader: str = ""
    powers: list[str] = field(default_factory=list)
    count: int | None = None
    steps: list[str] = field(default_factory=list)  # "FLOW-ID/STEP-ID"
    indicator: str = ""
    reviewed: dt.date | None = None
    # A risk point split from a table kept one row per power (records/shapes.py): its row's group, which holds the
    # measures published once for the power; the level as published when it does not say this point's; its number.
    group: str = derived()
    level_text: str = derived()
    number: str = derived()

    @property
    def level_shown(self) -> str:
        """The level a page shows: 高/中/低, or the row's level as published (1中2低) when it names no single one."""
        return self.level or self.level_text


@dataclass
class RiskGroup:
    """One row of a risk table kept per power: several risk points, one measures block, one level as published.
    Not a data kind: made from the row (records/shapes.py), referenced by its points' ``group``."""

    id: str
    loc: Location
    controls: list[str]
    level_text: str = ""  # the published level (1中2低), also when each point's level could be read from it
    count: int | None = None
    members: list[str] = field(default_factory=list)  # risk point ids, in published order

    @property
    def level_counts(self) -> dict[str, int]:
        """高/中/低 → how many, as the published level says (1中2低 → 中 1, 低 2); empty when it cannot be read."""
        from .shapes import level_counts  # noqa: PLC0415 - the parser lives with the rest of the shaping

        return level_counts(self.level_text)


@dataclass
class Branch(Record):
    to: str = ""
    condition: str = ""


@dataclass
class Step(Record):
    id: str = ""
    name: str = ""
    post: str = ""
    time_limit: str = ""
    description: str = ""
    next: list[Branch] = field(default_factory=list)
    end: bool = False


@dataclass
class Flow(Record):
    id: str = ""
    name: str = ""
    description: str = ""
    steps: list[Step] = field(default_factory=list)

    def step(self, step_id: str) -> Step | None:
        return _step_index(self.steps)[0].get(step_id)

    def successors(self, step: Step) -> list[Branch]:
        """Where a step leads: its ``next``, else the following step, unless it ends the flow."""
        if step.end:
            return []
        if step.next:
            return step.next
        i = _step_index(self.steps)[1][id(step)]
        return [Branch(to=self.steps[i + 1].id)] if i + 1 < len(self.steps) else []


# A flow's steps by id (the first of a duplicated id, as a scan finds it) and by position, made once per steps list:
# looking them up by scanning made checking a flow of 5,000 steps take 14 s. Kept beside the records, not on them
# (the page memo fingerprints a record's attributes); the list is held, so its id is not reused while cached.
_STEP_INDEXES: dict[int, tuple[list, int, dict[str, Step], dict[int, int]]] = {}


def _step_index(steps: list[Step]) -> tuple[dict[str, Step], dict[int, int]]:
    hit = _STEP_INDEXES.get(id(steps))
    if hit is None or hit[0] is not steps or hit[1] != len(steps):
        if len(_STEP_INDEXES) > 4096:
            _STEP_INDEXES.clear()
        by_id: dict[str, Step] = {}
        for s in steps:
            by_id.setdefault(s.id, s)
        hit = _STEP_INDEXES[id(steps)] = (steps, len(steps), by_id, {id(s): i for i, s in enumerate(steps)})
    return hit[2], hit[3]


@dataclass
class Target(Record):
    metric: str = ""
    unit: str = ""
    target: float | None = None


@dataclass
class Milestone(Record):
    name: str = ""
    due: dt.date | None = None
    done: dt.date | None = None


@dataclass
class Project(Record):
    id: str = ""
    name: str = ""
    category: str = ""
    commitment: str = ""
    lead: str = ""
    leader: str = ""
    start: dt.date | None = None
    deadline: dt.date | None = None
    parent: str = ""
    weight: float = 1.0
    targets: list[Target] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    completed: dt.date | None = None
    powers: list[str] = field(default_factory=list)


@dataclass
class ProgressRecord(Record):
    project: str = ""
    date: dt.date | None = None
    metric: str = ""
    value: float | None = None
    unit: str = ""
    note: str = ""
    evidence: str = ""
    period: str = derived()  # the date as written when it names a period (上半年, 1-6月): pages show it beside the day


@dataclass
class Decision(Record):
    id: str = ""
    date: dt.date | None = None
    meeting: str = ""
    name: str = ""
    category: str = ""
    content: str = ""
    consultation: str = ""
    result: str = ""
    execution: str = ""
    execution_status: str = ""
    projects: list[str] = field(default_factory=list)
    disclosure: str = OPEN_TO_ALL
    disclosure_reason: str = ""
    reviewed: dt.date | None = None

    @property
    def is_public(self) -> bool:
        return self.disclosure == OPEN_TO_ALL


RECORD_CLASSES = {
    "site": Site,
    "portal": Portal,
    "portal.footer": Footer,
    "departments": Department,
    "posts": Post,
    "powers": Power,
    "risks": RiskPoint,
    "flows": Flow,
    "projects": Project,
    "progress": ProgressRecord,
    "decisions": Decision,
    "site.supervision": Supervision,
    "site.footer": Footer,
    "site.thresholds": Thresholds,
    "site.poster": PosterSettings,
    "site.handbook": HandbookSettings,
    "site.texts": SiteTexts,
    "site.privacy_exceptions": PrivacyException,
    "flows.steps": Step,
    "flows.steps.next": Branch,
    "projects.targets": Target,
    "projects.milestones": Milestone,
}


@dataclass
class Dataset:
    site: Site
    departments: dict[str, Department]
    posts: dict[str, Post]
    powers: dict[str, Power]  # every power, drafts included; use the views below
    risks: dict[str, RiskPoint]
    flows: dict[str, Flow]
    projects: dict[str, Project]
    progress: list[ProgressRecord]
    decisions: dict[str, Decision] = field(default_factory=dict)  # every decision; the public view keeps 社会公开
    risk_groups: dict[str, RiskGroup] = field(default_factory=dict)  # rows of risk tables kept per power
    pages: tuple[BodyPage, ...] = ()  # the body's own pages (records/pages.py), in menu order
    edition: Edition | None = None  # the publication the folder holds (records/editions.py); None: not one

    @property
    def as_of(self) -> dt.date:
        assert self.site.as_of is not None
        return self.site.as_of

    def url_for(self, path: str) -> str:
        """Absolute URL of a site path. Pages ask the dataset, not ``site``, so that a page memo notes this answer
        alone (web/memo.py) and an edit elsewhere in site.yml does not re-render every record page."""
        return self.site.url_for(path)

    @property
    def public_powers(self) -> list[Power]:
        return [p for p in self.powers.values() if p.is_public]

    @property
    def withheld_powers(self) -> list[Power]:
        return [p for p in self.powers.values() if p.is_withheld]
