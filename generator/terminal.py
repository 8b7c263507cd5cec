"""The 督办 view for the web team: every commitment with its computed status, most urgent first."""

from __future__ import annotations

import json
import unicodedata

from .facts.status import pct
from .facts.view import Facts


def _pad(text: str, width: int, right: bool = False) -> str:
    """Pad for a terminal, where a Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    space = " " * max(width - used, 0)
    return space + text if right else text + space


def format_progress(facts: Facts, fmt: str) -> str:
    links, ds = facts, facts.ds
    statuses = [links.status(p.id) for p in links.projects]
    if fmt == "json":
        return json.dumps([s.as_json() for s in statuses], ensure_ascii=False, indent=2)
    lines = [f"承诺事项进度（截至 {ds.as_of.isoformat()}；阈值：滞后 > {ds.site.thresholds.lagging:g} 个百分点，"
             f"严重滞后 > {ds.site.thresholds.serious:g}，无进展 > {ds.site.thresholds.stale_days} 天）", ""]
    cols = (("状态", 10, False), ("标记", 18, False), ("时间进度", 8, True), ("工作进度", 8, True), ("差距", 7, True),
            ("最近记录", 10, False))
    lines.append("  ".join(_pad(t, w, r) for t, w, r in cols) + "  事项")
    for p, s in zip(links.projects, statuses):
        latest = s.latest.isoformat() if s.latest else "无记录"
        cells = (s.status, " · ".join(s.marks), f"{pct(s.time_progress):.1f}%", f"{pct(s.work_progress):.1f}%",
                 f"{pct(s.gap):+.1f}", latest)
        lines.append("  ".join(_pad(c, w, r) for c, (_, w, r) in zip(cells, cols)) + f"  {p.name}（{p.id}）")
    urgent = links.urgent_projects
    lines += ["", f"督办：{len(urgent)} 项" + ("：" + "、".join(p.name for p in urgent) if urgent else "")]
    return "\n".join(lines)
