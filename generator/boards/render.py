"""Wall boards (公示板) as PDF, typeset by Typst.

The data goes to the Typst template as one JSON input (``sys.inputs.data``),
never pasted into Typst source, so ``#``, ``$`` or ``[`` in a record prints as
written. The template picks the largest body size that fits one sheet, down to
a 9 pt floor; what still does not fit continues on numbered sheets marked 续.
"""

from __future__ import annotations

import calendar
import json
import multiprocessing
import re
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import typst

from ..charts.flowchart import ChartError, flow_dot, render_svg
from ..charts.progress import BOARD_TEXT_UNITS, BOARD_WIDTH_UNITS, progress_svg_document
from ..charts.qr import QUIET_MODULES, qr_modules, qr_svg_document
from ..facts.paths import board_path
from ..facts.paths import page_url as page_url_of
from ..facts.status import STATUS_TONE, pct
from ..facts.view import Facts
from ..present import chart_title, cn_date, commitment_lines, level_tally, list_parts, risk_rows
from ..records.fields import RISK_LEVELS
from ..records.model import Department, Post, Project
from ..site.cache import Cache

# Header and footer size by paper. The body starts at 1.5 times that (a sparse board reads from
# further away) and shrinks in 1 pt steps to FLOOR_PT to fit one sheet.
BASE_PT = {"A4": 10.0, "A3": 14.0, "A2": 19.0}
FLOOR_PT = 9.0
# Legible from two metres: a character 10 arcminutes high at 2 m (twice what normal eyes resolve, the reserve older
# eyes and many-stroked characters need) is 5.8 mm, a font of 18 pt. A department's board, read in a corridor, sets
# its body at this size with as many rows as fit; the rest of its list is online, behind the QR code.
LEGIBLE_AT_2M_PT = 18.0
DEPARTMENT_ROWS = 30  # the most powers a department's board could list; those that fit at 18 pt are shown
DEPARTMENT_RISKS = 6  # high risks named on it when its list of risk points does not fit (the board counts them all)
DEPARTMENT_RISK_ROWS = 30  # the most risk rows it could list (in their published order), once every power is shown
PREFERRED_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei",
                   "WenQuanYi Micro Hei", "Droid Sans Fallback")
TEMPLATES = Path(__file__).resolve().parent / "templates"
# A key post's board beyond POST_WALL_ITEMS names this many of its high risks.
WALL_RISKS = 12
# A key post's board lists its powers and risks in full up to this many of each (continuation sheets as needed),
# beyond which it summarises too: one wall, not hundreds of sheets.
POST_WALL_ITEMS = 60
KINDS = {"posts": "岗位廉政风险防控公示栏", "departments": "权力运行公开栏", "projects": "承诺事项公示"}


# The smallest text in a flow chart's drawing (branch conditions, post and time limit, ▲ markers), in its own pt.
CHART_SMALLEST_PT = 10.0
# The QR code's printed side, without its quiet zone: read by a phone held at arm's length from a wall.
QR_CODE_CM = 4.3
LATEST_RECORDS = 6  # progress records on a commitment board, newest first
_VIEWBOX = re.compile(r'viewBox="[\d.-]+ [\d.-]+ ([\d.]+) ([\d.]+)"')


def _viewbox(svg: str) -> tuple[float, float]:
    m = _VIEWBOX.search(svg)
    if not m:
        raise PosterError("流程图缺少尺寸（viewBox），无法排入公示板")
    return float(m.group(1)), float(m.group(2))


def qr_side_cm(url: str) -> float:
    """The printed side of the QR image, quiet zone included, so that the code itself measures QR_CODE_CM."""
    n = qr_modules(url)
    return round(QR_CODE_CM * (n + 2 * QUIET_MODULES) / n, 3)


def short_url(url: str) -> str:
    """The address as printed under the QR code: without the scheme, so it can be typed."""
    return re.sub(r"^https?://", "", url)


class PosterError(RuntimeError):
    pass


def cjk_fonts() -> list[str]:
    """Families of the installed fonts that cover Chinese, best first; an error names what to install."""
    exe = shutil.which("fc-list")
    families: set[str] = set()
    if exe:
        out = subprocess.run([exe, ":lang=zh", "family"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            families.update(f.strip() for f in line.split(","))
    chosen = [f for f in PREFERRED_FONTS if f in families] or sorted(families)
    if not chosen:
        raise PosterError("没有找到中文字体（需要 Noto Sans CJK SC 等中文字体），公示板上的汉字会显示为方框。"
                          "请安装：apt-get install fonts-noto-cjk")
    return chosen


@dataclass
class BoardMaker:
    facts: Facts
    _compilers: dict[str, typst.Compiler] = field(default_factory=dict)

    @property
    def ds(self):
        return self.facts.ds

    @cached_property
    def fonts(self) -> list[str]:
        return cjk_fonts()

    @property
    def paper(self) -> str:
        return self.ds.site.poster.paper or "A3"

    # One board -----------------------------------------------------------------

    def pdf(self, kind: str, record) -> bytes:
        return _compile(kind, self.inputs(kind, record), self.timestamp, self._compilers)

    def inputs(self, kind: str, record) -> str:
        """The board's data as the JSON the template reads."""
        data = self.common(kind, record) | getattr(self, f"_{kind}")(record)
        return json.dumps(data, ensure_ascii=False)

    @property
    def timestamp(self) -> int:
        return calendar.timegm(self.ds.as_of.timetuple())

    def common(self, kind: str, record) -> dict:
        site, as_of = self.ds.site, self.ds.as_of
        page_url = site.url_for(page_url_of(kind, record.id))
        base = BASE_PT.get(self.paper, 14.0)
        start = 1.5 * base
        sizes = sorted({start - i for i in range(int(start - FLOOR_PT) + 1)} | {FLOOR_PT}, reverse=True)
        return {
            "board": KINDS[kind], "body": site.name, "paper": self.paper.lower(), "fonts": self.fonts,
            "base": base, "sizes": sizes, "url": page_url, "short_url": short_url(page_url),
            "qr": qr_svg_document(page_url), "qr_cm": qr_side_cm(page_url), "floor": FLOOR_PT,
            "date": [as_of.year, as_of.month, as_of.day], "date_cn": cn_date(as_of),
            # The publication the board shows (第 N 版 and its date: records/editions.py), never a hash; none for a
            # board made from data not yet committed.
            "edition": f"{edition.label}（{cn_date(edition.date)}发布）" if (edition := self.ds.edition) else "",
            "supervision": {"hotline": site.supervision.hotline, "email": site.supervision.email,
                            "address": site.supervision.address},
        }

    def _risks(self, risks) -> list[dict]:
        """Table lines: a risk point, or the points of a row of a table kept per power, numbered as published, with
        their level(s) and the measures published once for them."""
        out = []
        for row in risk_rows(risks, self.ds.risk_groups):
            r = row.first
            if row.group is None:
                names, levels = [r.name], [r.level_shown]
            else:
                names = [f"{p.number}{p.name}" for p in row.risks]
                each = all(p.level for p in row.risks) and not row.level
                levels = [p.level for p in row.risks] if each else [row.level or row.group.level_text]
            out.append({"names": names, "levels": levels, "controls": list_parts(row.controls), "leader": r.leader,
                        "post": self._post_name(r)})
        return out

    def _levels(self, risks) -> list[dict]:
        tally = level_tally(risks, self.ds.risk_groups)
        return [{"level": lv or "未逐个定级", "count": n} for lv, n in tally.items()]

    def _posts(self, post: Post) -> dict:
        powers = self.facts.powers_of_post.get(post.id, [])
        risks = self.facts.risks_of_post.get(post.id, [])
        flow = self.facts.main_flow_of_post(post)
        dept = self.ds.departments.get(post.department)
        wall = None
        if len(powers) > POST_WALL_ITEMS or len(risks) > POST_WALL_ITEMS:
            # Real key posts have tens of powers; a synthetic one with thousands made a 200-sheet board. Beyond the
            # limit the board summarises (by type, by level, the first high risks) and its QR code leads to the post's
            # page; the full list lives online and in the handbook.
            high = [r for r in risks if r.level == RISK_LEVELS[0]]
            wall = {"powers": len(powers), "risks": len(risks), "categories": _by_category(powers),
                    "levels": self._levels(risks),
                    "high": self._risks(high[:WALL_RISKS]), "more_high": max(0, len(high) - WALL_RISKS)}
            powers, risks = [], []
        return ({"wall": wall} if wall else {}) | {  # absent when not needed: the board's inputs stay the same
            "title": post.name, "subtitle": dept.name if dept else "", "tags": post.key_areas,
            "duties": list_parts(post.duties), "holders": post.holders,
            "phone": post.phone or self.ds.site.supervision.hotline,
            "powers": [{"code": p.code, "name": p.name, "basis": board_basis(p.basis),
                        "limit": p.promised_limit or p.statutory_limit} for p in powers],
            "risks": self._risks(risks),
            "flow": self._chart(flow) if flow else None, "flow_name": flow.name if flow else "",
            # When even a sheet of its own cannot show the chart with 9 pt labels, the flow is printed as its steps.
            "flow_steps": self._steps(flow) if flow else [],
            # A chart may shrink until its smallest text (10 pt in the drawing) reaches the floor, and grow to fill.
            "chart_min": FLOOR_PT / CHART_SMALLEST_PT, "chart_max": 2.0,
        }

    def _chart(self, flow) -> dict:
        """The chart drawn both ways, with each drawing's size in pt: the template sets whichever reads larger in the
        space left on the sheet (or on a sheet of its own). Steps keep their post and time limit."""
        drawings = {}
        for rankdir in ("TB", "LR"):
            dot = flow_dot(flow, self.ds.posts, self.facts.risks_of_step, rankdir=rankdir)
            try:
                svg = render_svg(dot, chart_title(flow.name), flow.name)
            except ChartError as e:
                raise PosterError(str(e)) from e
            w, h = _viewbox(svg)
            drawings[rankdir.lower()] = {"svg": svg, "w": w, "h": h}
        return drawings

    def _steps(self, flow) -> list[dict]:
        """The flow as text, as the web page lists it: each step with its post, time limit, risk marks and branches."""
        out = []
        for step in flow.steps:
            risks = self.facts.risks_of_step.get((flow.id, step.id), [])
            branches = [(f"{b.condition}：" if b.condition else "") + flow.step(b.to).name
                        for b in flow.successors(step) if flow.step(b.to)]
            post = self.ds.posts.get(step.post)
            out.append({"name": step.name, "post": post.name if post else "", "limit": step.time_limit,
                        "levels": [lv for lv in RISK_LEVELS if any(r.level == lv for r in risks)],
                        "next": branches if len(branches) > 1 or any("：" in b for b in branches) else [],
                        "end": not branches})
        return out

    def _departments(self, d: Department) -> dict:
        """Read in a corridor from two metres (LEGIBLE_AT_2M_PT): counts, the first powers and the high risks, as many
        rows as fit at that size; the board says how many more there are and its QR code leads to the whole list."""
        powers = self.facts.powers_of_department.get(d.id, [])
        risks = self.facts.risks_of_department(d)
        high = [r for r in risks if r.level == RISK_LEVELS[0]]
        posts = [p for p in self.facts.posts_of_department.get(d.id, []) if p.key_post]
        rows = self._risks(risks)
        return {
            "title": d.name, "subtitle": d.kind, "duties": d.duties, "phone": d.phone, "tags": [],
            "sizes": department_sizes(BASE_PT.get(self.paper, 14.0)),
            "levels": self._levels(risks),
            "power_count": len(powers), "risk_count": len(risks), "key_posts": len(posts),
            "categories": _by_category(powers),
            "powers": [{"name": p.name, "category": p.category, "limit": p.promised_limit or p.statutory_limit}
                       for p in powers[:DEPARTMENT_ROWS]],
            "high": [{"name": r.name, "post": self._post_name(r)} for r in high[:DEPARTMENT_RISKS]],
            # The space the powers leave lists the risk points with their measures, as many rows as fit (a small
            # body's whole register fits on its wall); the rest are behind the QR code.
            "risks": rows[:DEPARTMENT_RISK_ROWS], "risk_rows": len(rows),
        }

    def _post_name(self, r) -> str:
        return self.ds.posts[r.post].name if r.post in self.ds.posts else ""

    def _projects(self, pj: Project) -> dict:
        st = self.facts.status(pj.id)
        records = [r for r in self.facts.progress_of(pj.id) if not r.date or r.date <= self.ds.as_of]
        lead = self.ds.departments.get(self.facts.lead_of(pj))
        return {
            "title": pj.name, "subtitle": pj.category, "tags": [], "commitment": pj.commitment,
            "lead": lead.name if lead else "", "leader": pj.leader,
            "start": cn_date(pj.start), "deadline": cn_date(pj.deadline),
            "completed": cn_date(pj.completed) if pj.completed and pj.completed <= self.ds.as_of else "",
            "status": st.status, "tone": STATUS_TONE[st.status], "stale": st.stale, "marks": list(st.marks),
            "say": commitment_lines(st),
            "time_progress": pct(st.time_progress), "work_progress": pct(st.work_progress), "gap": pct(st.gap),
            "targets": [{"metric": t.metric, "unit": t.unit, "target": f"{t.target:g}",
                         "latest": "" if t.latest is None else f"{t.latest:g}", "share": pct(t.ratio * 100),
                         "exceeded": t.exceeded}
                        for t in st.targets],
            "milestones": [{"name": m.name, "due": cn_date(m.due) if m.due else "",
                            "done": cn_date(m.done) if m.done and m.done <= self.ds.as_of else ""}
                           for m in pj.milestones],
            # The progress chart of each target and the latest records fill what was the empty bottom of the sheet.
            "charts": [{"metric": t.metric, "svg": progress_svg_document(pj, t, records, self.ds.as_of)}
                       for t in pj.targets],
            "chart_text": BOARD_TEXT_UNITS, "chart_width": BOARD_WIDTH_UNITS,
            "records": [{"date": cn_date(r.date) if r.date else "", "metric": r.metric,
                         "value": "" if r.value is None else f"{r.value:g}", "note": r.note}
                        for r in records[-LATEST_RECORDS:]][::-1],
            "children": [{"name": self.ds.projects[c].name, "status": self.facts.status(c).status,
                          "work_progress": pct(self.facts.status(c).work_progress)} for c in st.children],
        }

_LAW = re.compile(r"《[^》]{1,60}》(?:第[一二三四五六七八九十百零〇\d]+条(?:至第[一二三四五六七八九十百零〇\d]+条)?)?")
BOARD_BASIS_CHARS = 80


def board_basis(basis: str) -> str:
    """A power's 依据 as a wall board prints it: a published basis may quote whole articles (pages of text); the
    board names the laws and articles (《建筑法》第七条；…) and leaves the text to the web page behind its QR code."""
    if len(basis) <= BOARD_BASIS_CHARS:
        return basis
    laws = list(dict.fromkeys(m.group() for m in _LAW.finditer(basis)))
    return "；".join(laws) if laws else basis[:BOARD_BASIS_CHARS].rstrip() + "……"


def department_sizes(base: float) -> list[float]:
    """A department board's body sizes, largest first: from twice the paper's base size down to the size legible at
    two metres (never below it)."""
    top = max(2 * base, LEGIBLE_AT_2M_PT)
    return [top - i for i in range(int(top - LEGIBLE_AT_2M_PT) + 1)]


def _by_category(powers) -> list[dict]:
    categories: dict[str, int] = {}
    for p in powers:
        categories[p.category] = categories.get(p.category, 0) + 1
    return [{"name": k, "count": v} for k, v in sorted(categories.items(), key=lambda kv: -kv[1])]


def _compile(kind: str, inputs: str, timestamp: int, compilers: dict[str, typst.Compiler]) -> bytes:
    """One board's PDF; one compiler per template is kept: it loads the fonts once and reuses its layout caches."""
    if kind not in compilers:
        compilers[kind] = typst.Compiler(str(TEMPLATES / f"{kind}.typ"), root=str(TEMPLATES))
    try:
        return compilers[kind].compile(sys_inputs={"data": inputs}, timestamp=timestamp)
    except RuntimeError as e:  # Typst reports template faults this way; data cannot cause them
        record = json.loads(inputs).get("title", "")
        raise PosterError(f"公示板排版失败（{kind}：{record}）：{e}") from e


_WORKER_COMPILERS: dict[str, typst.Compiler] = {}


def _compile_in_worker(job: tuple[str, str, int]) -> bytes:
    return _compile(*job, _WORKER_COMPILERS)


def write_boards(facts: Facts, out: Path, cache: Cache | None = None, jobs: int = 2) -> list[Path]:
    """Every board of ``facts.boards`` under ``out`` (the site's posters/ folder).

    A board whose inputs (data; the templates and Typst's version are in the cache's code version) were typeset
    before is taken from ``cache`` (site/cache.py); the others are typeset by ``jobs`` processes. Each PDF depends
    only on its inputs, so the output is the same whichever process made it, and the same as without the cache.
    """
    maker = BoardMaker(facts)
    cache = cache or Cache(None)
    todo = []  # (path, cache key, job, the PDF kept or None)
    for kind, record in facts.boards:
        path = out / board_path(kind, record.id).removeprefix("posters/")
        job = (kind, maker.inputs(kind, record), maker.timestamp)
        key = cache.key("board", kind, str(job[2]), job[1])
        todo.append((path, key, job, cache.get("boards", key, ".pdf")))
    made = iter(_typeset([job for _, _, job, kept in todo if kept is None], jobs))
    paths = []
    for path, key, _, kept in todo:
        pdf = kept if kept is not None else next(made)
        if kept is None:
            cache.put("boards", key, pdf, ".pdf")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
        paths.append(path)
    return paths


def _typeset(jobs_list: list[tuple[str, str, int]], jobs: int) -> list[bytes]:
    if jobs <= 1 or len(jobs_list) < 4:
        compilers: dict[str, typst.Compiler] = {}
        return [_compile(*job, compilers) for job in jobs_list]
    # Spawned, not forked: the serving process has threads; a worker only needs the template and the JSON.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        return list(pool.map(_compile_in_worker, jobs_list, chunksize=max(1, len(jobs_list) // (8 * jobs))))


