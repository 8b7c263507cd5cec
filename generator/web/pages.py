"""Every generated page of the site, as Markdown source with HTML blocks: path → text.

Data never reaches Markdown syntax: every value sits inside an HTML block and
is escaped by Jinja's autoescape, so a name like ``[x](javascript:…)`` or
``<script>`` is shown as text. Links inside HTML are not rewritten by MkDocs,
so they are computed here, relative to the page.
"""

from __future__ import annotations

import functools
import multiprocessing as mp
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ..charts.flowchart import chart_style, describe, flow_dot, render_svg, smallest_text
from ..charts.progress import dashboard_svg, progress_svg
from ..facts.history import History
from ..facts.paths import CHART_FILE, board_path, chart_path, page_source, page_url, relative_path
from ..facts.status import STATUS_ORDER, STATUS_TONE, URGENT_STATUSES, time_progress
from ..facts.view import Facts
from ..present import (
    LEVEL_RANK,
    LEVEL_SLUG,
    amount,
    chart_title,
    cn_date,
    commitment_lines,
    controls_of,
    join_items,
    level_tally,
    list_parts,
    percent,
    risk_rows,
)
from ..records.fields import KINDS, RISK_LEVELS
from ..records.model import Flow, Power
from . import escape
from .memo import PageMemo, Reads, Tracked
from .menu import CHECKED_WHAT, PUBLISHED_WHAT, SEARCHABLE_WHAT, SECTIONS, STAFF_FOLDER, in_words, published
from .opendata import downloads
from .reference import data_reference, problem_reference

# Lists longer than this are split into pages (and record pages summarise beyond their own limits): every page
# stays under 500 KB at 10,000 records. The sample's lists are all shorter, so its pages are as before.
ROWS_PER_PAGE = 500
# On a record page, a related list shows this many rows (a post's powers, a step's risks: real bodies have fewer),
# or, for a list of plain links (a flow's powers), RECORD_LINKS; then a link to the whole list. Pages stay ≤ 30 KB.
RECORD_ROWS = 10
RECORD_LINKS = 30
CHANGE_CLASS = {"新增": "added", "撤下": "removed", "修改": "changed"}
_VIEWBOX = re.compile(r'viewBox="[\d.-]+ [\d.-]+ ([\d.]+) ([\d.]+)"')


@dataclass(frozen=True)
class Drawing:
    """A flow's chart: the SVG (inlined, or written as a file) and its description in words (an image's alt)."""
    svg: str
    description: str

    @property
    def viewbox(self) -> tuple[float, float]:
        m = _VIEWBOX.search(self.svg)
        return (float(m.group(1)), float(m.group(2))) if m else (600.0, 400.0)

    @property
    def size(self) -> tuple[int, int]:
        """Its natural size in CSS pixels, for an image's width and height (the viewBox is in points)."""
        w, h = self.viewbox
        return round(w * 4 / 3), round(h * 4 / 3)

    @property
    def style(self) -> str:
        """Its width and smallest text, by which the stylesheet sizes it (charts/flowchart.py chart_style)."""
        return chart_style(self.viewbox[0], smallest_text(self.svg))

    @property
    def standalone(self) -> str:
        """As a file of its own (flows/<id>/chart.svg, the drawing opened full screen): at its natural size, so a
        phone shows its labels at their size and scrolls, instead of shrinking it to the screen's width."""
        w, h = self.size
        return self.svg.replace("<svg ", f'<svg width="{w}" height="{h}" ', 1)


def present_columns(rows: list, **tests) -> dict[str, bool]:
    """Column name → whether any row has something in it (the whole list's, so every page of it has the same
    columns)."""
    return {name: any(test(r) for r in rows) for name, test in tests.items()}


def several(rows: list, value) -> bool:
    """Whether the rows hold more than one value (a column saying the same on every row tells nothing)."""
    return len({value(r) for r in rows} - {""}) > 1


def is_url(text: str) -> bool:
    return bool(re.match(r"^https?://[^\s<>\"]+$", text or ""))


def lines(value) -> Markup:
    """Text whose line breaks show on the page (依据 with one statute per line): each line escaped as page
    text, the breaks as <br>. Markup (a macro's output) passes unchanged."""
    if isinstance(value, Markup):
        return value
    return Markup("<br>").join(escape.page_text(line) for line in str(value).split("\n"))


# A long text folds after its first part (the rest behind 展开): beyond FOLD_CHARS characters or FOLD_ITEMS items,
# a list shows its first FOLD_SHOWN items, or as many as fit in FOLD_CHARS; a text, its first lines alike.
FOLD_CHARS = 160
FOLD_ITEMS = 4
FOLD_SHOWN = 2


def fold_at(parts: list[str], most: int | None = None) -> int | None:
    """How many of ``parts`` (items or lines) show before the fold (at most ``most``, else FOLD_SHOWN), or None when
    they all show."""
    if len(parts) <= 1 or (sum(len(p) for p in parts) <= FOLD_CHARS and len(parts) <= FOLD_ITEMS):
        return None
    shown, used = 0, 0
    while shown < min(most or FOLD_SHOWN, len(parts) - 1) and (shown == 0 or used + len(parts[shown]) <= FOLD_CHARS):
        used += len(parts[shown])
        shown += 1
    return shown if shown < len(parts) else None


# A value this short (a type, a time limit, a status, a department's or post's name) is one term: it never breaks
# across lines (业务/流程, 5个工作/日 read as two words); a longer one wraps as text does.
NOWRAP_MAX = 12


def nowrap(value) -> Markup:
    """The value as page text, kept on one line when it is one short term."""
    text = escape.page_text(value)
    if not text or len(str(value)) > NOWRAP_MAX or "\n" in str(value):
        return text
    return Markup('<span class="ss-nw">{}</span>').format(text)


def by_level(risks: list) -> list:
    """Risk points, highest level first (stable: in their listed order within a level)."""
    return sorted(risks, key=lambda r: LEVEL_RANK.get(r.level, len(LEVEL_RANK)))


@functools.cache
def _env() -> Environment:
    """One per process: its templates are compiled once, not on every rebuild of the preview."""
    env = Environment(loader=PackageLoader("generator.web", "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, finalize=escape.finalize)
    env.filters["front_matter"] = escape.front_matter
    env.filters["pf"] = escape.pagefind_filter
    env.filters["pf_meta"] = escape.pagefind_meta
    env.filters["join"] = escape.join
    env.filters["lines"] = lines
    env.filters["items_text"] = join_items
    env.filters["nw"] = nowrap
    env.globals.update(levels=RISK_LEVELS, level_class=LEVEL_SLUG, cn_date=cn_date, is_url=is_url,
                       commitment_lines=commitment_lines, amount=amount, percent=percent,
                       list_parts=list_parts, chart_title=chart_title, status_order=list(STATUS_ORDER),
                       risk_rows=risk_rows, level_tally=level_tally, controls_of=controls_of,
                       urgent=URGENT_STATUSES, record_rows=RECORD_ROWS,
                       record_links=RECORD_LINKS, fold_at=fold_at, by_level=by_level)
    return env


@dataclass
class PageSet:
    """Renders the pages of one dataset's facts; ``posters`` says which boards exist, so pages can link them."""

    facts: Facts
    posters: frozenset[str] = frozenset()  # site paths such as "posters/posts/CW-KJ.pdf"
    opendata: dict[str, bytes] = field(default_factory=dict)  # the open-data files, for the downloads page
    history: History | None = None  # the public change history of data/ (None: not looked up)
    handbook: str | None = None  # site path of the compiled handbook PDF, when one is built
    handbook_volumes: list = field(default_factory=list)  # its volumes (handbook.volumes.Volume), when it has them
    rows_per_page: int = ROWS_PER_PAGE
    jobs: int = 1  # processes for the record pages (the plugin uses both cores for a `mkdocs build`)
    memo: PageMemo | None = None  # the last build's pages and what they read: unchanged pages are not rendered
    _charts: dict[str, tuple] = field(default_factory=dict, init=False, repr=False)  # flow id → (Drawing, reads)

    @property
    def ds(self):
        """The public view: drafts and withheld records are not in it."""
        return self.facts.ds

    @cached_property
    def env(self) -> Environment:
        return _env()

    # Page list ------------------------------------------------------------------

    def sources(self) -> dict[str, str]:
        """src path (relative to docs) → Markdown; sorted for deterministic builds."""
        L = self.facts
        if self.memo is not None:
            self.memo.begin(self.ds, self.facts, self.history_or_none)
        shown = published(L)
        pages: dict[str, str] = {
            "index.md": self.render("home.md.j2", "", handbook=self.handbook, volumes=self.handbook_volumes,
                                    shown=shown, **self._home()),
            "about.md": self.render("about.md.j2", "about/", shown=shown, handbook=self.handbook,
                                    handbook_holds=self._handbook_holds(shown), posters=bool(self.posters),
                                    checked_kinds=in_words(shown, CHECKED_WHAT, "和", ""),
                                    published_what=in_words(shown, PUBLISHED_WHAT, "和"),
                                    history=self.history_or_none),
            "search.md": self.render("search.md.j2", "search/", shown=shown, sections=SECTIONS,
                                     searchable_what=in_words(shown, SEARCHABLE_WHAT, "、")),
        }
        if "powers" in shown:
            pages.update(self.list_pages("powers", "powers_index.md.j2", L.powers, cols=self._power_columns(),
                                         depts_with_powers={p.department for p in L.powers}))
        if "risks" in shown:
            pages.update(self.list_pages("risks", "risks_index.md.j2", risk_rows(L.risks, self.ds.risk_groups),
                                         points=len(L.risks), level_counts=level_tally(L.risks, self.ds.risk_groups),
                                         cols=self._risk_columns()))
        if "posts" in shown:
            pages.update(self.list_pages("posts", "posts_index.md.j2", L.posts, key_post_count=len(L.key_posts),
                                         cols={**present_columns(L.posts, 重点类别=lambda p: p.key_areas),
                                               "部门": several(L.posts, lambda p: p.department)},
                                         poster_posts=any(p.startswith("posters/posts/") for p in self.posters)))
        if "departments" in shown:
            pages["departments/index.md"] = self.render("departments_index.md.j2", "departments/")
        if "flows" in shown:
            pages["flows/index.md"] = self.render("flows_index.md.j2", "flows/")
        if "projects" in shown:
            pages.update(self.list_pages("projects", "projects_index.md.j2", L.projects, **self._dashboard()))
            pages["projects/method.md"] = self.render("method.md.j2", "projects/method/", th=self.ds.site.thresholds,
                                                      example=self._worked_example(), badge=self._badge)
        if "withheld" in shown:
            pages["withheld.md"] = self.render("withheld.md.j2", "withheld/")
        if "decisions" in shown:
            pages.update(self.list_pages("decisions", "decisions_index.md.j2", L.decisions,
                                         undisclosed=self.facts.undisclosed_decisions))
        if self.history_or_none.versions:
            pages["changes.md"] = self.render("changes.md.j2", "changes/", history=self.history,
                                              kind_label={k: v.label for k, v in KINDS.items()},
                                              change_class=CHANGE_CLASS)
        pages.update(self._record_pages())
        pages = dict(sorted(pages.items()))
        # Reference pages last: the order MkDocs lists the files in, and so the sitemap's order.
        pages[f"{STAFF_FOLDER}data.md"] = self.render("reference.md.j2", f"{STAFF_FOLDER}data/", title="数据格式",
                                                     body=data_reference())
        pages[f"{STAFF_FOLDER}problems.md"] = self.render(
            "reference.md.j2", f"{STAFF_FOLDER}problems/", title="问题代码", body=problem_reference(),
            exceptions=self.ds.site.privacy_exceptions)
        if self.opendata:
            pages["opendata.md"] = self.render("opendata.md.j2", "opendata/",
                                               downloads=downloads(self.facts, self.opendata),
                                               handbook=self.handbook, volumes=self.handbook_volumes)
        return pages

    def _record_tasks(self) -> list[tuple[str, str, str, int]]:
        L = self.facts
        return [(kind, template, name, i) for kind, template, name, records in (
            ("powers", "power.md.j2", "p", L.powers), ("risks", "risk.md.j2", "r", L.risks),
            ("posts", "post.md.j2", "post", L.posts), ("departments", "department.md.j2", "d", L.departments),
            ("flows", "flow.md.j2", "f", L.flows), ("projects", "project.md.j2", "pj", L.projects),
            ("decisions", "decision.md.j2", "d", L.decisions),
        ) for i in range(len(records))]

    def _record_call(self, task: tuple[str, str, str, int]) -> tuple[str, str, str, dict]:
        kind, template, name, i = task
        record = getattr(self.facts, kind)[i]
        return (page_source(kind, record.id), template, page_url(kind, record.id),
                {name: record, "poster_url": self._poster(kind, record.id)})

    def record_page(self, task: tuple[str, str, str, int]) -> tuple[str, str]:
        src, template, path, context = self._record_call(task)
        return src, self.render(template, path, **context)

    def _kept(self, task: tuple[str, str, str, int]) -> tuple[str, str] | None:
        """The record page as the memo keeps it, if it still holds."""
        assert self.memo is not None
        src, template, path, context = self._record_call(task)
        context = self._page_context(path, context)
        text = self.memo.reuse((template, path), self.memo.context(template, path, context))
        return None if text is None else (src, text)

    def _record_pages(self) -> dict[str, str]:
        """Every record's page: kept from the memo where it holds; the rest, with ``jobs`` > 1 and many pages,
        rendered in that many forked processes, each taking every jobs-th page (the same text either way: a page
        depends only on the facts)."""
        tasks, pages = self._record_tasks(), {}
        if self.memo is not None:
            left = []
            for task in tasks:
                kept = self._kept(task)
                if kept is None:
                    left.append(task)
                else:
                    pages[kept[0]] = kept[1]
            tasks = left
        if self.jobs <= 1 or len(tasks) < PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
            pages.update(self.record_page(t) for t in tasks)
            return pages
        global _FORKED
        _FORKED = (self, tasks)
        try:
            with mp.get_context("fork").Pool(self.jobs) as pool:
                parts = pool.map(_render_share, [(k, self.jobs) for k in range(self.jobs)])
        finally:
            _FORKED = None
        if self.memo is not None:
            for _, fresh, kept, rendered in parts:
                self.memo.adopt(fresh, kept, rendered)
        pages.update((src, text) for part, *_ in parts for src, text in part)
        return pages

    def list_pages(self, kind: str, template: str, records: list, **context) -> dict[str, str]:
        """A list of ``kind``: one page while it has at most ``rows_per_page`` rows (the sample's lists, unchanged),
        else pages of that many rows (``kind/``, ``kind/page/2/``…), each a plain table with links to the
        others; with scripts, filtering or sorting fetches the other pages' rows into the table first."""
        size = max(1, self.rows_per_page)
        chunks = [records[i:i + size] for i in range(0, len(records), size)]
        # The count, not the whole list: a page of the list then depends on its own rows only.
        context["count"] = len(records)
        if len(chunks) <= 1:
            return {f"{kind}/index.md": self.render(template, f"{kind}/", rows=records, pager=None, **context)}
        paths = [f"{kind}/"] + [f"{kind}/page/{n}/" for n in range(2, len(chunks) + 1)]
        pages = {}
        for n, (chunk, path) in enumerate(zip(chunks, paths), 1):
            here = path.rstrip("/")
            pager = {"number": n, "count": len(chunks), "total": len(records), "per_page": size,
                     "urls": [relative_path(p.rstrip("/"), here) + "/" for p in paths]}
            src = f"{kind}/index.md" if n == 1 else f"{kind}/page/{n}.md"
            pages[src] = self.render(template, path, rows=chunk, pager=pager, **context)
        return pages

    # Rendering ------------------------------------------------------------------

    @staticmethod
    def _page_context(page_path: str, context: dict) -> dict:
        if context.get("poster_url"):
            context["poster_url"] = relative_path(context["poster_url"], page_path.rstrip("/") or ".")
        return context

    def render(self, template: str, page_path: str, **context) -> str:
        """One page's source. With a memo, a page whose context and every lookup are as last time keeps its text."""
        context = self._page_context(page_path, context)
        if self.memo is None:
            return self._render(template, page_path, self.ds, self.facts, None, context)
        key = (template, page_path)
        fp = self.memo.context(template, page_path, context)
        text = self.memo.reuse(key, fp)
        if text is None:
            reads = self.memo.reads()
            text = self._render(template, page_path, Tracked("ds", self.ds, reads),
                                Tracked("facts", self.facts, reads), reads, context)
            self.memo.keep(key, fp, reads, text)
        return text

    def _render(self, template: str, page_path: str, ds, links, reads: Reads | None, context: dict) -> str:
        """``ds`` and ``links`` are the dataset and facts, or their stand-ins noting what the page reads: every
        helper below reads through them, never through ``self``."""
        here = page_path.rstrip("/") or "."

        def rel_path(target: str) -> str:
            target = target.strip("/")
            relative = relative_path(target or ".", here)
            return "./" if relative == "." else relative + "/"

        def rel_file(target: str) -> str:
            return relative_path(target, here)

        def revisions_of(kind: str, key: str) -> list:
            found = self.history_or_none.revisions(kind, key)
            if reads is not None:
                reads.note(("history", "revisions", "()", (("=", kind), ("=", key))), found)
            return found

        helpers = dict(
            ds=ds, links=links, page_url=page_path,
            rel=lambda kind, record_id="": rel_path(page_url(kind, record_id)),
            rel_path=rel_path,
            flow_section=lambda flow, highlight_post=None, full=False, power=None: self._flow_section(
                ds, links, flow, rel_path, highlight_post, full, power),
            progress_chart=lambda pj, t: Markup(progress_svg(pj, t, links.progress_of(pj.id), ds.as_of)),
            supervision_phone=links.supervision_phone, post_flows=links.flows_of_post,
            dept_risks=links.risks_of_department, rel_file=rel_file, revisions_of=revisions_of,
            record_link=lambda kind, change: self._record_link(ds, kind, change, rel_path),
            record_name=lambda kind, key: self._record_name(ds, kind, key),
        )
        return self.env.get_template(template).render(**helpers, **context)

    @cached_property
    def history_or_none(self) -> History:
        return self.history or History(available=False)

    def _flow_section(self, ds, links, flow: Flow, rel_path, highlight_post: str | None, full: bool,
                      power: Power | None = None) -> Markup:
        """The chart and the steps; on a power's page a step lists only that power's risk points.

        Chart nodes link to the steps' text (``#step-<step>``). A post's page shows several flows, whose
        step ids may repeat, so there the anchors also name the flow (``#step-<flow>:<step>``; ids never hold ``:``).
        """
        marked = links.risks_of_flow(flow)
        drawing = self.chart(flow, ds, links)
        prefix, chart = "step-", Markup(drawing.svg)
        if highlight_post is not None:
            # A post's page shows several flows: their charts as image files (each written once, chart_files) keep
            # the page small; the image links to the flow's page, whose inline chart links to its steps.
            prefix = f"step-{flow.id}:"
            flow_page = rel_path(page_url("flows", flow.id))
            chart = Markup('<a class="ss-chart__link" href="{}"><img class="ss-flowchart" src="{}" alt="{}" '
                           'loading="lazy" width="{}" height="{}" style="{}"></a>').format(
                flow_page, flow_page + CHART_FILE, drawing.description, *drawing.size, drawing.style)
        html = self.env.get_template("_flow.j2").render(
            ds=ds, links=links, f=flow, chart=chart, marked=marked, anchor=prefix,
            chart_file=rel_path(page_url("flows", flow.id)) + CHART_FILE,
            highlight_post=highlight_post, full=full, power=power,
            rel=lambda kind, record_id="": rel_path(page_url(kind, record_id)))
        return Markup(html)

    def chart(self, flow: Flow, ds=None, links=None) -> Drawing:
        """The flow's chart, drawn once per build (Graphviz once per different DOT text; render_svg keeps its
        drawings in the cache folder). Each page showing it still notes what the chart read: the lookups of its
        first drawing are added to the page's own (making the DOT text on every page was quadratic: a flow with
        5,000 risks on 10,000 power pages)."""
        reads = getattr(links, "_reads", None)
        if flow.id in self._charts:
            drawing, seen, opaque = self._charts[flow.id]
        else:
            mine = Reads(reads.fps) if reads is not None else None
            d, f = (Tracked("ds", self.ds, mine), Tracked("facts", self.facts, mine)) if mine else (self.ds, self.facts)
            drawing = self._draw(flow, d, f)
            seen, opaque = (mine.seen, mine.opaque) if mine else ({}, False)
            self._charts[flow.id] = (drawing, seen, opaque)
        if reads is not None:
            reads.seen.update(seen)
            reads.opaque = reads.opaque or opaque
        return drawing

    @staticmethod
    def _draw(flow: Flow, ds, facts) -> Drawing:
        title, description = chart_title(flow.name), describe(flow, facts.risks_of_flow(flow))
        return Drawing(render_svg(flow_dot(flow, ds.posts, facts.risks_of_step), title, description), description)

    def chart_files(self) -> dict[str, str]:
        """Site path → SVG of every flow's chart as a file of its own (``flows/<id>/chart.svg``, the chart its page
        inlines), for the posts' pages to show as images. Drawn anew only where no page of this build drew it
        (Graphviz's drawings are cached by their DOT text), and never kept for pages: nothing notes what it read."""
        files = {}
        for flow in self.facts.flows:
            known = self._charts.get(flow.id)
            drawing = known[0] if known is not None else self._draw(flow, self.ds, self.facts)
            files[chart_path(flow.id)] = drawing.standalone
        return files

    def _record_name(self, ds, kind: str, key: str) -> str:
        record = getattr(ds, kind).get(key)
        return record.name if record is not None else key

    def _record_link(self, ds, kind: str, change, rel_path) -> Markup:
        """A changed record on the history page: a link while it is public now, else its name and id."""
        if kind == "progress":
            project = self._record_name(ds, "projects", change.project)
            kind, key, text = "projects", change.project, f"{project}：{change.name}"
        else:
            key, text = change.key, change.name or change.key
        if key in getattr(ds, kind):
            href = escape.page_text(rel_path(page_url(kind, key)))
            return Markup('<a href="{}">{}</a>').format(href, escape.page_text(text))
        return Markup("{} <code>{}</code>").format(escape.page_text(text), escape.page_text(key))

    def _poster(self, kind: str, record_id: str) -> str | None:
        path = board_path(kind, record_id)
        return path if path in self.posters else None

    def _badge(self, status: str) -> Markup:
        return Markup('<span class="ss-status ss-status--{}">{}</span>').format(STATUS_TONE[status], status)

    # Page-specific context ------------------------------------------------------------

    # A list's columns that hold something: a body without 类别 or 责任岗位 gets no empty column squeezing the names,
    # and a town, its own only department, no 部门 column saying its name on every row.

    def _power_columns(self) -> dict[str, bool]:
        powers = self.facts.powers
        return {**present_columns(powers, 类型=lambda p: p.category,
                                  承诺时限=lambda p: p.promised_limit or p.statutory_limit),
                "部门": several(powers, lambda p: p.department)}

    def _risk_columns(self) -> dict[str, bool]:
        risks, groups, ds = self.facts.risks, self.ds.risk_groups, self.ds

        def department(r) -> str:
            post = ds.posts.get(r.post)
            power = ds.powers.get(r.powers[0]) if r.powers else None
            return post.department if post else power.department if power else ""

        cols = present_columns(risks, 类别=lambda r: r.category, 责任岗位=lambda r: r.post, 关联职权=lambda r: r.powers,
                               防控措施=lambda r: controls_of(r, groups))
        cols["部门"] = several(risks, department)
        cols["责任领导"] = not cols["责任岗位"] and any(r.leader for r in risks)  # who answers, when no post does
        return cols

    def _dashboard(self) -> dict:
        projects = self.facts.projects
        done = sum(1 for p in projects if self.facts.status(p.id).is_done)
        rows = [{"name": p.name, "status": (st := self.facts.status(p.id)).status, "tone": st.tone,
                 "time": float(st.time_progress), "work": float(st.work_progress)} for p in projects]
        return {"status_counts": self.facts.status_counts(), "done_count": done,
                "done_rate": 100 * done / len(projects) if projects else 0,
                "chart": Markup(dashboard_svg(rows)) if rows else ""}

    def _home(self) -> dict:
        L = self.facts
        by_cat = Counter(p.category for p in L.powers)
        updates = []
        for p in L.powers:
            if p.reviewed:
                updates.append({"date": p.reviewed, "kind": "职权", "name": p.name, "href": page_url("powers", p.code)})
        for r in L.risks:
            if r.reviewed:
                updates.append({"date": r.reviewed, "kind": "风险点", "name": r.name, "href": page_url("risks", r.id)})
        for pj in L.projects:
            latest = L.status(pj.id).latest
            if latest:
                updates.append({"date": latest, "kind": "承诺事项进展", "name": pj.name,
                                "href": page_url("projects", pj.id)})
        updates.sort(key=lambda u: (u["date"], u["href"]), reverse=True)
        by_category = sorted(by_cat.items(), key=lambda kv: (-kv[1], kv[0]))
        # The catalogue as a map (职权类型 × 部门, as provincial 权责清单 portals lay it out): each count links to the
        # list filtered to it.
        cells = Counter((p.department, p.category) for p in L.powers)
        power_map = {"categories": [{"name": c, "count": n} for c, n in by_category], "total": len(L.powers),
                     "rows": [{"name": d.name, "counts": [cells[(d.id, c)] for c, _ in by_category],
                               "total": sum(cells[(d.id, c)] for c, _ in by_category)}
                              for d in L.departments if any(cells[(d.id, c)] for c, _ in by_category)]}
        shown = published(L)
        return {"powers_by_category": by_category, "power_map": power_map,
                "published_what": in_words(shown, PUBLISHED_WHAT, "和"),
                "searchable_what": in_words(shown, SEARCHABLE_WHAT, "或"),
                # the body's own examples (site.yml 页面文字: 搜索示例), else its most used power categories
                "search_examples": list(self.ds.site.texts.search_examples) or [c for c, _ in by_category[:3]],
                "status_counts": self.facts.status_counts(), "updates": updates[:10],
                "urgent_projects": L.urgent_projects}

    def _handbook_holds(self, shown: frozenset[str]) -> str:
        """What the handbook holds, in words: the catalogue, what goes with it, the body's pages marked for it."""
        parts = [word for kind, word in (("powers", "职权目录"), ("flows", "运行流程"), ("risks", "廉政风险防控措施"))
                 if kind in shown or kind == "powers"]
        parts += [page.title for page in self.ds.pages if page.handbook]
        return "、".join(parts[:-1]) + "和" + parts[-1] if len(parts) > 1 else parts[0]

    def _worked_example(self) -> dict | None:
        """An in-progress commitment with targets, explained step by step on the method page."""
        for pj in sorted(self.ds.projects.values(), key=lambda p: p.id):
            st = self.facts.status(pj.id)
            if pj.targets and not st.children and 0 < st.time_progress < 100 and not st.is_done:
                as_of = min(self.ds.as_of, pj.deadline)
                assert time_progress(pj.start, pj.deadline, as_of) == st.time_progress
                return {"project": pj, "status": st, "total_days": (pj.deadline - pj.start).days,
                        "elapsed_days": (as_of - pj.start).days}
        return None


# The page set a forked worker renders from, and the pages left to render (inherited, never pickled).
_FORKED: tuple[PageSet, list] | None = None
PARALLEL_FROM = 400  # fewer record pages than this render faster in one process than a pool starts


def _render_share(share: tuple[int, int]) -> tuple[list[tuple[str, str]], dict, int, int]:
    """One forked process's pages, and what it added to the memo (its copy dies with it)."""
    k, n = share
    assert _FORKED is not None
    pageset, tasks = _FORKED
    memo = pageset.memo
    if memo is not None:  # counted afresh here, added to the parent's counts
        memo.fresh, memo.kept, memo.rendered = {}, 0, 0
    pages = [pageset.record_page(t) for t in tasks[k::n]]
    return pages, (memo.fresh if memo else {}), (memo.kept if memo else 0), (memo.rendered if memo else 0)


def write_pages(facts: Facts, out: Path) -> int:
    """The generated pages as files, and the body's own pages beside them as written, for use with another site
    engine (``python -m generator pages``)."""
    pages = PageSet(facts)
    sources = pages.sources() | {page.path: page.text() for page in facts.ds.pages}
    for rel, text in {**sources, **pages.chart_files()}.items():  # the posts' pages show the charts' files
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(sources)
