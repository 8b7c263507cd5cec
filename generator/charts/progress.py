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
        f'<text x="{today:.1f}" y="{H - 26}" text-anchor="middle" class="today-label">统计截止</text>'
        f'</svg><figcaption>{e(target.metric)}（{e(target.unit)}）：实线为实际累计值，虚线为序时进度。{e(desc)}</figcaption>'
        f'</figure>'
    )
