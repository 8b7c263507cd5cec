"""A target's cumulative value over time against the time-proportional line, drawn as SVG at build time."""

from __future__ import annotations

import datetime as dt
import html

from ..present import cn_date
from ..records.model import ProgressRecord, Project, Target
from .flowchart import chart_style

# Drawn narrow, with its text large in its own units: on a 390 px phone the drawing fills the column (358 px) and
# its 13-unit labels read at 12.9 px; the stylesheet keeps it between 11 and 14 px a label elsewhere (sunshine.css).
W, H = 360, 224
TEXT = 13
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 14, 46


def _x(day: dt.date, start: dt.date, end: dt.date) -> float:
    span = max((end - start).days, 1)
    return LEFT + (W - LEFT - RIGHT) * min(max((day - start).days, 0), span) / span


def _y(value: float, top: float) -> float:
    return H - BOTTOM - (H - TOP - BOTTOM) * (min(value, top) / top if top else 0)


def _num(v: float) -> str:
    return f"{v:g}"


def progress_svg(project: Project, target: Target, records: list[ProgressRecord], as_of: dt.date) -> str:
    start, end = project.start, project.deadline
    mine = sorted((r for r in records if r.metric == target.metric and r.value is not None and r.date
                   and r.date <= as_of), key=lambda r: r.date)
    top = max([target.target or 1] + [r.value for r in mine])
    points = [(start, 0.0)] + [(r.date, r.value) for r in mine if start <= r.date]
    path = " ".join(f"{_x(d, start, end):.1f},{_y(v, top):.1f}" for d, v in points)
    title = f"{project.name}：{target.metric}累计值与序时进度"
    latest = f"最新累计 {_num(mine[-1].value)}{target.unit}（{cn_date(mine[-1].date)}）" if mine else "尚无记录"
    desc = f"目标 {_num(target.target)}{target.unit}，{latest}。虚线为按时间均匀推进应达到的累计值。"
    today = _x(min(max(as_of, start), end), start, end)
    ticks = "".join(
        f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{(y := _y(top * k / 4, top)):.1f}" y2="{y:.1f}" class="grid"/>'
        f'<text x="{LEFT - 5}" y="{y + 4:.1f}" text-anchor="end">{_num(round(top * k / 4, 1))}</text>'
        for k in range(5))
    dots = "".join(f'<circle cx="{_x(r.date, start, end):.1f}" cy="{_y(r.value, top):.1f}" r="3.5"><title>'
                   f'{cn_date(r.date)}：{_num(r.value)}{html.escape(target.unit)}</title></circle>' for r in mine
                   if start <= r.date)
    e = html.escape
    return (
        f'<figure class="ss-progress-chart"><svg viewBox="0 0 {W} {H}" role="img" aria-label="{e(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="{TEXT}" style="{chart_style(W, TEXT)}">'
        f'<title>{e(title)}</title><desc>{e(desc)}</desc>'
        f'<g class="axes">{ticks}'
        f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{H - BOTTOM}" y2="{H - BOTTOM}" class="axis"/></g>'
        f'<line x1="{_x(start, start, end):.1f}" y1="{_y(0, top):.1f}" x2="{_x(end, start, end):.1f}" '
        f'y2="{_y(target.target or 0, top):.1f}" class="plan"/>'
        f'<line x1="{today:.1f}" x2="{today:.1f}" y1="{TOP}" y2="{H - BOTTOM}" class="today"/>'
        f'<polyline points="{path}" class="actual"/>{dots}'
        f'<text x="{LEFT}" y="{H - 6}">{cn_date(start)}</text>'
        f'<text x="{W - RIGHT}" y="{H - 6}" text-anchor="end">{cn_date(end)}</text>'
        f'<text x="{today:.1f}" y="{H - BOTTOM + TEXT + 4}" text-anchor="{_anchor(today)}" '
        f'class="today-label">统计截止</text>'
        f'</svg><figcaption>{e(target.metric)}（{e(target.unit)}）：实线为实际累计值，虚线为序时进度。{e(desc)}</figcaption>'
        f'</figure>'
    )


def _anchor(x: float) -> str:
    """Where the 统计截止 label stands against its line: inside the drawing at either end."""
    return "start" if x < LEFT + 2 * TEXT else "end" if x > W - RIGHT - 2 * TEXT else "middle"


# The dashboard: time progress against work progress, one pair of bars per commitment -----------------------

BAR_W, BAR_H, GAP = 400, 12, 10
DASH_TEXT = 14  # every text of the drawing, in its units: 12.5 px on a 390 px phone (the drawing fills 358 px)
LINE_H = 18
NAME_LINES = 2  # a long name wraps onto a second line, then ends in … (the table under the chart has it whole)
TONE_FILL = {"red": "#c62828", "yellow": "#f9a825", "green": "#2e7d32", "blue": "#1565c0", "grey": "#90a4ae"}


# Rows per drawing: a picture cannot break across printed sheets, so the chart is a stack of drawings of a few rows
# each (the first under the status cards on the first A4 sheet; the chart in one piece left that sheet 60 % empty).
DASHBOARD_ROWS_PER_DRAWING = 6


def dashboard_svg(rows: list[dict]) -> str:
    """rows: name, status, tone, time, work (percent). The page's table says the same in text (the figure says so).

    Drawn narrow (400 units, text 14) so that on a 390 px phone its labels read at 12.5 px. The first drawing carries
    the legend, the title and a description of all rows; the ones after it are hidden from screen readers, which have
    read them in that description and in the table."""
    e = html.escape
    behind = [r["name"] for r in rows if r["work"] < r["time"]]
    title = "各承诺事项的时间进度与工作进度"
    desc = (f"共 {len(rows)} 项；" + (f"工作进度落后于时间进度的有：{'、'.join(behind)}。" if behind
                                      else "没有工作进度落后于时间进度的事项。") + "各项数值见下表。")
    n = DASHBOARD_ROWS_PER_DRAWING
    drawings = []
    for start in range(0, len(rows), n):
        y = 30 if start == 0 else 4
        parts = _legend() if start == 0 else []
        for r in rows[start:start + n]:
            part, y = _dashboard_row(r, y)
            parts.append(part)
        height = y + (4 if start + n >= len(rows) else 0)
        head = (f'role="img" aria-labelledby="ss-dash-t ss-dash-d"><title id="ss-dash-t">{e(title)}</title>'
                f'<desc id="ss-dash-d">{e(desc)}</desc>' if start == 0 else 'aria-hidden="true">')
        drawings.append(f'<svg viewBox="0 0 {BAR_W} {height}" xmlns="http://www.w3.org/2000/svg" '
                        f'font-size="{DASH_TEXT}" style="{chart_style(BAR_W, DASH_TEXT)}" {head}'
                        f'{"".join(parts)}</svg>')
    return (
        f'<figure class="ss-dashboard-chart">{"".join(drawings)}'
        f'<figcaption>{e(title)}：灰色为时间进度（按期限已过去的比例），彩色为工作进度；彩色短于灰色即落后。'
        f'数值见下表。</figcaption></figure>'
    )


_SPAN = BAR_W - 60  # the bars' length: the percentages stand right of them


def text_width(text: str, size: float) -> float:
    """About how wide a text draws: a Chinese character (or full-width sign) is one em, other characters 0.6."""
    return size * sum(1.0 if ord(c) > 0x2E7F else 0.6 for c in text)


def wrap(text: str, width: float, size: float, lines: int) -> list[str]:
    """The text cut into at most ``lines`` lines that each fit ``width``; what is left ends in …."""
    out, line = [], ""
    for c in text:
        if text_width(line + c, size) > width:
            out.append(line)
            line = ""
        line += c
    out.append(line)
    if len(out) > lines:
        last = out[lines - 1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        out = out[:lines - 1] + [last + "…"]
    return out


def _legend() -> list[str]:
    return [
        f'<rect x="0" y="6" width="14" height="{BAR_H}" class="time"/><text x="18" y="{5 + BAR_H + 1}">时间进度</text>',
        f'<rect x="104" y="6" width="14" height="{BAR_H}" fill="#2e7d32"/>'
        f'<text x="122" y="{5 + BAR_H + 1}">工作进度（颜色表示状态）</text>',
    ]


def _dashboard_row(r: dict, y: float) -> tuple[str, float]:
    """One commitment's name (one or two lines) and its two bars from ``y``; the part and where the next begins."""
    e = html.escape
    tw = _SPAN * min(max(r["time"], 0), 100) / 100
    ww = _SPAN * min(max(r["work"], 0), 100) / 100
    fill = TONE_FILL.get(r["tone"], "#90a4ae")
    lines = wrap(f"{r['name']}（{r['status']}）", BAR_W, DASH_TEXT, NAME_LINES)
    name = "".join(f'<text x="0" y="{y + 14 + i * LINE_H}" class="name">{e(line)}</text>'
                   for i, line in enumerate(lines))
    bars = y + LINE_H * len(lines) + 2
    part = (f'<g>{name}'
            f'<rect x="0" y="{bars}" width="{_SPAN}" height="{2 * BAR_H + 2}" class="track"/>'
            f'<rect x="0" y="{bars}" width="{tw:.1f}" height="{BAR_H}" class="time"/>'
            f'<rect x="0" y="{bars + BAR_H + 2}" width="{ww:.1f}" height="{BAR_H}" fill="{fill}"/>'
            f'<text x="{BAR_W}" y="{bars + BAR_H - 1}" text-anchor="end" class="num">{r["time"]:.1f}%</text>'
            f'<text x="{BAR_W}" y="{bars + 2 * BAR_H + 1}" text-anchor="end" class="num">{r["work"]:.1f}%</text></g>')
    return part, bars + 2 * BAR_H + 2 + GAP


# On a wall board the chart stands alone: the site's stylesheet is not there, so the look travels inside the SVG.
BOARD_STYLE = (
    "<style>text{font-size:13px;fill:#37474f;font-family:'Noto Sans CJK SC',sans-serif}"
    ".grid{stroke:#e0e0e0}.axis{stroke:#78909c}.plan{stroke:#78909c;stroke-dasharray:6 4;stroke-width:1.5}"
    ".actual{fill:none;stroke:#a31515;stroke-width:2.5}circle{fill:#a31515}"
    ".today{stroke:#f9a825;stroke-width:1.5}</style>"
)
# Text in the drawing is as on the web, 13 units high in a 360-unit-wide picture; the board scales it to no less
# than its floor.
BOARD_TEXT_UNITS, BOARD_WIDTH_UNITS = TEXT, W


def progress_svg_document(project: Project, target: Target, records: list[ProgressRecord], as_of: dt.date) -> str:
    figure = progress_svg(project, target, records, as_of)
    svg = figure[figure.index("<svg"):figure.index("</svg>") + len("</svg>")]
    return svg.replace("<desc>", BOARD_STYLE + "<desc>", 1)
