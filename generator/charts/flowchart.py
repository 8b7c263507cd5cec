"""Flow charts: a Flow with its risk points → DOT → SVG by Graphviz ``dot``, cached by a hash of the DOT and kept
apart per Graphviz version.

Risk points are marked on their steps twice: by border colour and by a text
marker (▲ and the level) that survives grayscale printing.
"""

from __future__ import annotations

import functools
import hashlib
import html
import os
import re
import shutil
import subprocess

from ..present import CHART_LEVEL_COLOUR as LEVEL_COLOUR
from ..present import CHART_LEVEL_FILL as LEVEL_FILL
from ..present import LEVEL_RANK
from ..records.model import Flow, Post, RiskPoint, Step

FONT = "Noto Sans CJK SC"
# What browsers use when the visitor lacks Noto (the chart was laid out with Noto's metrics).
FONT_STACK = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','WenQuanYi Micro Hei',sans-serif"
# Up to this many risk points a step shows one ▲ each; beyond it, one ▲ per level with a count.
MAX_MARKERS = 6
MAX_TOOLTIP_NAMES = 10


class ChartError(RuntimeError):
    pass


# A risk point whose level is kept as published (1中2低): drawn in grey, its level written as published.
NO_LEVEL_COLOUR, NO_LEVEL_FILL = "#455a64", "#eceff1"


def _colour(level: str) -> str:
    return LEVEL_COLOUR.get(level, NO_LEVEL_COLOUR)


def _esc(text: str) -> str:
    """Text inside a Graphviz HTML-like label. Graphviz expands \\N, \\G … (the node's or graph's name) in labels,
    entities decoded first: a backslash is written doubled."""
    return html.escape(text, quote=True).replace("\\", "\\\\")


def _node_label(step: Step, post: Post | None, risks: list[RiskPoint], compact: bool) -> str:
    rows = [f'<TR><TD><B>{_esc(step.name)}</B></TD></TR>']
    details = [p for p in ((post.name if post else ""), (f"时限：{step.time_limit}" if step.time_limit else "")) if p]
    if details and not compact:
        rows.append(f'<TR><TD><FONT POINT-SIZE="10" COLOR="#444444">{_esc(" · ".join(details))}</FONT></TD></TR>')
    if risks:
        if len(risks) <= MAX_MARKERS:
            marks = " ".join(f'<FONT COLOR="{_colour(r.level)}">▲{_esc(r.level_shown)}</FONT>' for r in risks)
        else:
            counts = {lv: sum(1 for r in risks if r.level == lv) for lv in (*LEVEL_RANK, "")}
            marks = " ".join(f'<FONT COLOR="{_colour(lv)}">▲{lv or "未定级"}×{n}</FONT>'
                             for lv, n in counts.items() if n)
        rows.append(f'<TR><TD><FONT POINT-SIZE="10">{marks}</FONT></TD></TR>')
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def _tooltip(risks: list[RiskPoint]) -> str:
    names = "；".join(f"{r.name}（{r.level_shown}）" for r in risks[:MAX_TOOLTIP_NAMES])
    more = f"等 {len(risks)} 个" if len(risks) > MAX_TOOLTIP_NAMES else ""
    return f"风险点：{names}{more}"


def _attr(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _node_tooltip(value: str) -> str:
    """A node's tooltip: Graphviz expands its escapes (\\N, \\G) twice, so a backslash is doubled twice."""
    return _attr(value.replace("\\", "\\\\"))


def flow_dot(flow: Flow, posts: dict[str, Post], risks_of_step: dict[tuple[str, str], list[RiskPoint]],
             compact: bool = False, rankdir: str = "TB") -> str:
    """The DOT source: pure data in, text out (so the cache key is the chart's whole input)."""
    lines = [
        f"digraph {_attr(flow.name)} {{",
        f'  graph [rankdir={rankdir}, fontname="{FONT}", nodesep=0.35, ranksep=0.35, bgcolor="transparent", pad=0.1];',
        f'  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#5f6b7a", fontname="{FONT}", '
        'fontsize=12, margin="0.12,0.06"];',
        f'  edge [fontname="{FONT}", fontsize=10, color="#5f6b7a", arrowsize=0.7];',
        '  "__start" [label="开始", shape=oval, style=filled, fillcolor="#e8f5e9", color="#2e7d32"];',
        '  "__end" [label="结束", shape=oval, style=filled, fillcolor="#eceff1", color="#455a64"];',
    ]
    order = {s.id: i for i, s in enumerate(flow.steps)}
    for step in flow.steps:
        risks = sorted(risks_of_step.get((flow.id, step.id), []), key=lambda r: (LEVEL_RANK.get(r.level, 3), r.id))
        # The node links to the step's text on the same page (its risk points are listed there); the
        # page, not the chart, owns the id, so the chart carries none of its own.
        attrs = [f"label={_node_label(step, posts.get(step.post), risks, compact)}", f"URL={_attr('#step-' + step.id)}",
                 f"tooltip={_node_tooltip(_tooltip(risks) if risks else step.name)}"]
        if risks:
            top = risks[0].level
            attrs += [f'color="{_colour(top)}"', f'fillcolor="{LEVEL_FILL.get(top, NO_LEVEL_FILL)}"', "penwidth=2.2"]
        lines.append(f"  {_attr(step.id)} [{', '.join(attrs)}];")
    if flow.steps:
        lines.append(f"  \"__start\" -> {_attr(flow.steps[0].id)};")
    for step in flow.steps:
        successors = flow.successors(step)
        if not successors:
            lines.append(f"  {_attr(step.id)} -> \"__end\";")
        for b in successors:
            if b.to not in order:
                continue
            attrs = []
            if b.condition:
                attrs.append(f"label={_attr(b.condition)}")
            if order[b.to] <= order[step.id]:  # drawn back up: a loop such as 补正 → 受理
                attrs += ["constraint=false", "style=dashed", 'color="#8d6e63"']
            lines.append(f"  {_attr(step.id)} -> {_attr(b.to)}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    lines.append("}")
    return "\n".join(lines) + "\n"


_cache = None  # the build's (site/cache.py), set by its session; without one, drawings are not kept


def use_cache(cache) -> None:
    global _cache
    _cache = cache


def render_svg(dot: str, title: str, description: str) -> str:
    """SVG for inlining: no XML prolog or comments, scalable, with <title>/<desc>; kept in the build's cache by the
    DOT (the Graphviz version that drew it is in the cache's code version: another lays out differently)."""
    key = hashlib.sha256(dot.encode()).hexdigest()[:32]
    cache_key = _cache.key("chart", dot) if _cache is not None else None
    kept = _cache.get("charts", cache_key, ".svg") if cache_key else None
    if kept is not None:
        raw = kept.decode("utf-8")
    else:
        raw = _run_dot(dot, title)
        if cache_key:
            _cache.put("charts", cache_key, raw.encode("utf-8"), ".svg")
    # The ids of its title and description need only differ from another chart's on the same page.
    return _clean_svg(raw, title, description, key[:12])


def _dot() -> str:
    exe = shutil.which("dot")
    if exe is None:
        raise ChartError("找不到 Graphviz 的 dot 命令；请安装 graphviz（Debian/Ubuntu：apt-get install graphviz）")
    return exe


@functools.cache
def graphviz_version() -> str:
    """A name for the installed Graphviz: its version line (``dot -V``, on stderr) hashed, asked once. Without
    Graphviz, "graphviz-none": drawing a chart then says what to install."""
    exe = shutil.which("dot")
    if exe is None:
        return "graphviz-none"
    proc = subprocess.run([exe, "-V"], capture_output=True, timeout=60)
    line = (proc.stderr or proc.stdout).decode(errors="replace").strip()
    return "graphviz-" + hashlib.sha256(line.encode()).hexdigest()[:12]


# Seconds Graphviz may take for one chart (SUNSHINE_DOT_TIMEOUT): a flow of hundreds of steps with many branches
# back and forth can take it minutes; the build then stops naming the flow.
DOT_TIMEOUT = float(os.environ.get("SUNSHINE_DOT_TIMEOUT") or 120)


def _run_dot(dot: str, title: str = "") -> str:
    exe = _dot()
    try:
        proc = subprocess.run([exe, "-Tsvg"], input=dot.encode(), capture_output=True, timeout=DOT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ChartError(f"“{title}”太复杂，Graphviz 在 {DOT_TIMEOUT:g} 秒内没有画完；请把这个流程拆成几个流程，"
                         "或减少跨越多个环节的分支") from None
    if proc.returncode != 0:
        raise ChartError("Graphviz 画图失败：" + proc.stderr.decode(errors="replace")[:500])
    return proc.stdout.decode("utf-8")


_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
# Graphviz calls every chart's root group "graph0": two charts on a page would share the id.
_GRAPH_TITLE = re.compile(r'<g id="graph0" (class="graph"[^>]*>)\s*<title>.*?</title>', re.S)
# Graphviz names every node and edge in a <title> and an id; nothing refers to them, and they
# cost a third of the chart's bytes on every page that shows it.
_PART_TITLE = re.compile(r"<title>[^<]*</title>\n?")
_PART_ID = re.compile(r' id="(?:node|edge|a_node|a_edge)\d+"')
# SVG 2's plain href: what browsers and crawlers read as the link (xlink:href is deprecated).
_XLINK_HREF = re.compile(r'<a xlink:href="')


_FONT_SIZE = re.compile(r'font-size="([\d.]+)"')
DEFAULT_TEXT = 14.0  # Graphviz's default font size, for a text without its own


def smallest_text(svg: str) -> float:
    """The smallest font size of the drawing's texts, in its own units (points for Graphviz): what a reader must
    still read once the drawing is scaled to the page or the sheet."""
    sizes = [float(m) for m in _FONT_SIZE.findall(svg)]  # a compacted drawing names its usual size on the root
    return min(sizes) if sizes else DEFAULT_TEXT


def chart_style(width: float, text: float) -> str:
    """The CSS custom properties a page's stylesheet sizes a drawing by: its width and smallest text, in its units."""
    return f"--ss-w:{_tenths(width)};--ss-text:{_tenths(text)}"


def _clean_svg(raw: str, title: str, description: str, key: str) -> str:
    svg = _COMMENT.sub("", _PROLOG.sub("", raw, count=1))
    m = _SIZE.search(svg)
    width = float(m.group(1)) if m else 600.0
    svg = _SIZE.sub(
        # No role="img": the steps are links into the page's text, which an image role would hide. The drawing's
        # width and smallest text (in its own units) let the stylesheet size it so that no label reads smaller than
        # it should (sunshine.css: .ss-chart), at either text size.
        f'<svg aria-labelledby="t-{key}" aria-describedby="d-{key}" class="ss-flowchart" '
        f'style="{chart_style(width, smallest_text(raw))}"', svg, count=1)
    svg = _GRAPH_TITLE.sub(r"<g \1", svg, count=1)
    svg = _PART_ID.sub("", _PART_TITLE.sub("", svg))
    svg = _XLINK_HREF.sub('<a href="', svg)
    # One font declaration on the root, inherited by every text, instead of one per text.
    svg = svg.replace(f' font-family="{FONT}"', "")
    svg = svg.replace('class="ss-flowchart" style="', f'class="ss-flowchart" font-family="{FONT_STACK}" style="', 1)
    head = f'<title id="t-{key}">{html.escape(title)}</title><desc id="d-{key}">{html.escape(description)}</desc>'
    svg = re.sub(r"(<svg\b[^>]*>)", lambda mm: mm.group(1) + head, svg, count=1)
    # Graphviz writes xlink:title for tooltips; browsers show it, screen readers read our <desc>.
    return _compact(svg)


# What makes the drawing, not what Graphviz says about it: a chart is inlined on every page showing its flow, and
# these cut it by about a third with nothing drawn differently (tests/test_page_size.py compares the drawings).
_ROOT_GROUP = re.compile(r'<g class="graph" transform="scale\(1 1\) rotate\(0\) (translate\([^)]*\))">')
# A linked node: <g class="node…"><g><a …>…</a></g></g>. The groups carry nothing (no CSS or test reads the
# classes); the link keeps its target and tooltip.
_LINK_GROUP = re.compile(r"<g>\s*(<a\b[^>]*>.*?</a>)\s*</g>", re.S)
_PART_GROUP = re.compile(r'<g class="(?:node|edge)[^"]*">((?:(?!<g\b).)*?)</g>', re.S)
_GEOMETRY = re.compile(r' (d|points|x|y|cx|cy|rx|ry|viewBox|transform)="([^"]*)"')
_NUMBER = re.compile(r"-?\d+\.\d+")
# Graphviz's "rounded" box: four edges and four corner curves, as one path.
_ROUNDED = re.compile(r'<path ([^>]*?)d="M([^"]*)"/>')
# Inherited from the root instead of written on every text: the usual anchor and size.
ROOT_TEXT = ' font-size="10" text-anchor="start"'


def _tenths(value: float) -> str:
    """Tenths of a point (a chart is drawn at 4/3 px per point: 0.07 px at most), without trailing zeros."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _number(match: re.Match) -> str:
    return _tenths(float(match.group()))


def _geometry(match: re.Match) -> str:
    name, value = match.groups()
    value = _NUMBER.sub(_number, value)
    if name == "points":  # a polygon closes itself: Graphviz repeats the first point at the end
        pts = value.split(" ")
        if len(pts) > 2 and pts[0] == pts[-1]:
            value = " ".join(pts[:-1])
    return f' {name}="{value}"'


def _rounded_rect(match: re.Match) -> str:
    """The rounded box as <rect rx>: its straight edges exactly, its corners as arcs of the same radius (Graphviz's
    curves sit within a few hundredths of a point of them). Any other path is left as it was."""
    attrs, d = match.groups()
    nums = [float(n) for n in re.findall(r"-?[\d.]+", d)]
    if len(nums) != 50:
        return match.group()
    xs, ys = nums[0::2], nums[1::2]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    r = right - nums[0]
    if nums[1] != top or r <= 0 or 2 * r > min(right - left, bottom - top) + 1e-6:
        return match.group()
    if any(abs(a - b) > 0.005 for a, b in zip(nums, _rounded_path(left, top, right, bottom, r))):
        return match.group()
    f = _tenths
    return (f'<rect {attrs}x="{f(left)}" y="{f(top)}" width="{f(right - left)}" height="{f(bottom - top)}" '
            f'rx="{f(r)}"/>')


def _rounded_path(left: float, top: float, right: float, bottom: float, r: float) -> list[float]:
    """The numbers of Graphviz's rounded-box path for this box (its shape, in order, from the top right)."""
    h = r / 2
    pts = [(right - r, top),
           (right - r, top), (left + r, top), (left + r, top),
           (left + h, top), (left, top + h), (left, top + r),
           (left, top + r), (left, bottom - r), (left, bottom - r),
           (left, bottom - h), (left + h, bottom), (left + r, bottom),
           (left + r, bottom), (right - r, bottom), (right - r, bottom),
           (right - h, bottom), (right, bottom - h), (right, bottom - r),
           (right, bottom - r), (right, top + r), (right, top + r),
           (right, top + h), (right - h, top), (right - r, top)]
    return [v for pt in pts for v in pt]


def _compact(svg: str) -> str:
    svg = _ROOT_GROUP.sub(r'<g transform="\1">', svg, count=1)
    svg = _LINK_GROUP.sub(r"\1", svg)
    svg = _PART_GROUP.sub(r"\1", svg)
    svg = _ROUNDED.sub(_rounded_rect, svg)
    svg = _GEOMETRY.sub(_geometry, svg)
    svg = re.sub(r' font-size="(\d+)\.00"', r' font-size="\1"', svg)
    svg = svg.replace(' font-size="10"', "").replace(' text-anchor="start"', "")
    svg = svg.replace('class="ss-flowchart" ', f'class="ss-flowchart"{ROOT_TEXT} ', 1)
    svg = re.sub(r'="#([0-9a-f])\1([0-9a-f])\2([0-9a-f])\3"', r'="#\1\2\3"', svg)  # #ffffff → #fff
    # No whitespace between tags; line breaks inside a tag become spaces.
    return re.sub(r">\s+<", "><", svg).replace("\n", " ").strip()


def describe(flow: Flow, risks: list[tuple[Step, RiskPoint]]) -> str:
    """The chart in words, for screen readers: steps in order, then the risk points on each step."""
    steps = "，".join(s.name for s in flow.steps)
    parts = []
    for step in flow.steps:
        mine = [r for s, r in risks if s is step]
        if len(mine) > MAX_MARKERS:
            counts = "、".join(f"{lv} {n}" for lv in LEVEL_RANK if (n := sum(1 for r in mine if r.level == lv)))
            parts.append(f"“{step.name}”有风险点 {len(mine)} 个（{counts}）")
        else:
            parts += [f"“{step.name}”有{r.level}风险点“{r.name}”" if r.level else
                      f"“{step.name}”有风险点“{r.name}”（等级按原表：{r.level_text}）" for r in mine]
    return f"{flow.name}：依次为{steps}。" + (f"风险点标注：{'；'.join(parts)}。" if parts else "")
