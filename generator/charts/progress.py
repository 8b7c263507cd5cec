"""A target's cumulative value over time against the time-proportional line, drawn as SVG at build time."""

from __future__ import annotations

import datetime as dt
import html

from ..records.model import ProgressRecord, Project, Target

W, H = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40


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
    latest = f"最新累计 {_num(mine[-1].value)}{target.unit}（{mine[-1].date.isoformat()}）" if mine else "尚无记录"
    desc = f"目标 {_num(target.target)}{target.unit}，{latest}。虚线为按时间均匀推进应达到的累计值。"
    today = _x(min(max(as_of, start), end), start, end)
    ticks = "".join(
        f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{(y := _y(top * k / 4, top)):.1f}" y2="{y:.1f}" class="grid"/>'
        f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_num(round(top * k / 4, 1))}</text>'
        for k in range(5))
    dots = "".join(f'<circle cx="{_x(r.date, start, end):.1f}" cy="{_y(r.value, top):.1f}" r="3.5"><title>'
                   f'{r.date.isoformat()}：{_num(r.value)}{html.escape(target.unit)}</title></circle>' for r in mine
                   if start <= r.date)
    e = html.escape
    return (
        f'<figure class="ss-progress-chart"><svg viewBox="0 0 {W} {H}" role="img" aria-label="{e(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{e(title)}</title><desc>{e(desc)}</desc>'
        f'<g class="axes">{ticks}'
        f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{H - BOTTOM}" y2="{H - BOTTOM}" class="axis"/></g>'
        f'<line x1="{_x(start, start, end):.1f}" y1="{_y(0, top):.1f}" x2="{_x(end, start, end):.1f}" '
        f'y2="{_y(target.target or 0, top):.1f}" class="plan"/>'
        f'<line x1="{today:.1f}" x2="{today:.1f}" y1="{TOP}" y2="{H - BOTTOM}" class="today"/>'
        f'<polyline points="{path}" class="actual"/>{dots}'
        f'<text x="{LEFT}" y="{H - 12}">{start.isoformat()}</text>'
        f'<text x="{W - RIGHT}" y="{H - 12}" text-anchor="end">{end.isoformat()}</text>'
        f'<text x="{today:.1f}" y="{H - 26}" text-anchor="{"end" if today > W - RIGHT - 40 else "middle"}" '
        f'class="today-label">统计截止</text>'
        f'</svg><figcaption>{e(target.metric)}（{e(target.unit)}）：实线为实际累计值，虚线为序时进度。{e(desc)}</figcaption>'
        f'</figure>'
    )


# The dashboard: time progress against work progress, one pair of bars per commitment -----------------------

BAR_W, NAME_H, BAR_H, GAP = 400, 17, 9, 10
TONE_FILL = {"red": "#c62828", "yellow": "#f9a825", "green": "#2e7d32", "blue": "#1565c0", "grey": "#90a4ae"}


# Rows per drawing: a picture cannot break across printed sheets, so the chart is a stack of drawings of a few rows
# each (the first under the status cards on the first A4 sheet; the chart in one piece left that sheet 60 % empty).
DASHBOARD_ROWS_PER_DRAWING = 6


def dashboard_svg(rows: list[dict]) -> str:
    """rows: name, status, tone, time, work (percent). The page's table says the same in text (the figure says so).

    Drawn narrow (400 units) so that on a 390 px phone the 13-unit labels still read at about 12 px. The first
    drawing carries the legend, the title and a description of all rows; the ones after it are hidden from screen
    readers, which have read them in that description and in the table."""
    e = html.escape
    behind = [r["name"] for r in rows if r["work"] < r["time"]]
    title = "各承诺事项的时间进度与工作进度"
    desc = (f"共 {len(rows)} 项；" + (f"工作进度落后于时间进度的有：{'、'.join(behind)}。" if behind
                                      else "没有工作进度落后于时间进度的事项。") + "各项数值见下表。")
    n = DASHBOARD_ROWS_PER_DRAWING
    drawings = []
    for start in range(0, len(rows), n):
        top = 30 if start == 0 else 4
        parts = _legend() if start == 0 else []
        parts += [_dashboard_row(r, top + i * _ROW_H) for i, r in enumerate(rows[start:start + n])]
        height = top + _ROW_H * len(rows[start:start + n]) + (4 if start + n >= len(rows) else 0)
        head = (f'role="img" aria-labelledby="ss-dash-t ss-dash-d"><title id="ss-dash-t">{e(title)}</title>'
                f'<desc id="ss-dash-d">{e(desc)}</desc>' if start == 0 else 'aria-hidden="true">')
        drawings.append(f'<svg viewBox="0 0 {BAR_W} {height}" xmlns="http://www.w3.org/2000/svg" {head}'
                        f'{"".join(parts)}</svg>')
    return (
        f'<figure class="ss-dashboard-chart">{"".join(drawings)}'
        f'<figcaption>{e(title)}：灰色为时间进度（按期限已过去的比例），彩色为工作进度；彩色短于灰色即落后。'
        f'数值见下表。</figcaption></figure>'
    )


_ROW_H = NAME_H + 2 * BAR_H + 2 + GAP
_SPAN = BAR_W - 52  # the bars' length: the percentages stand right of them


def _legend() -> list[str]:
    return [
        f'<rect x="0" y="4" width="14" height="{BAR_H}" class="time"/><text x="18" y="{4 + BAR_H}">时间进度</text>',
        f'<rect x="96" y="4" width="14" height="{BAR_H}" fill="#2e7d32"/>'
        f'<text x="114" y="{4 + BAR_H}">工作进度（颜色表示状态）</text>',
    ]


def _dashboard_row(r: dict, y: float) -> str:
    e = html.escape
    tw = _SPAN * min(max(r["time"], 0), 100) / 100
    ww = _SPAN * min(max(r["work"], 0), 100) / 100
    fill = TONE_FILL.get(r["tone"], "#90a4ae")
    return (f'<g><text x="0" y="{y + 12}" class="name">{e(r["name"])}（{e(r["status"])}）</text>'
            f'<rect x="0" y="{y + NAME_H}" width="{_SPAN}" height="{2 * BAR_H + 2}" class="track"/>'
            f'<rect x="0" y="{y + NAME_H}" width="{tw:.1f}" height="{BAR_H}" class="time"/>'
            f'<rect x="0" y="{y + NAME_H + BAR_H + 2}" width="{ww:.1f}" height="{BAR_H}" fill="{fill}"/>'
            f'<text x="{BAR_W}" y="{y + NAME_H + BAR_H - 1}" text-anchor="end" class="num">{r["time"]:.1f}%</text>'
            f'<text x="{BAR_W}" y="{y + NAME_H + 2 * BAR_H + 1}" text-anchor="end" class="num">'
            f'{r["work"]:.1f}%</text></g>')


# On a wall board the chart stands alone: the site's stylesheet is not there, so the look travels inside the SVG.
BOARD_STYLE = (
    "<style>text{font-size:16px;fill:#37474f;font-family:'Noto Sans CJK SC',sans-serif}"
    ".grid{stroke:#e0e0e0}.axis{stroke:#78909c}.plan{stroke:#78909c;stroke-dasharray:6 4;stroke-width:1.5}"
    ".actual{fill:none;stroke:#a31515;stroke-width:2.5}circle{fill:#a31515}"
    ".today{stroke:#f9a825;stroke-width:1.5}</style>"
)
# Text in the drawing is 16 units high in a 640-unit-wide picture (larger than on the web: a board may set two charts
# side by side); the board scales it to no less than its floor.
BOARD_TEXT_UNITS, BOARD_WIDTH_UNITS = 16, W


def progress_svg_document(project: Project, target: Target, records: list[ProgressRecord], as_of: dt.date) -> str:
    figure = progress_svg(project, target, records, as_of)
    svg = figure[figure.index("<svg"):figure.index("</svg>") + len("</svg>")]
    return svg.replace("<desc>", BOARD_STYLE + "<desc>", 1)
