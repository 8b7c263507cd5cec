"""How values read to people, the same on pages, boards, charts and in the theme.

One home for the Chinese date format and the look of risk levels (their CSS
slug and chart colours), so a page, a chart and a board never disagree.
"""

from __future__ import annotations

import datetime as dt

from .records.fields import RISK_LEVELS
from .records.numbering import ITEM_NUMBER

# CSS class suffix of each risk level (ss-level--high); the text label is always shown beside the colour.
LEVEL_SLUG: dict[str, str] = dict(zip(RISK_LEVELS, ("high", "medium", "low")))
LEVEL_RANK: dict[str, int] = {level: i for i, level in enumerate(RISK_LEVELS)}
# Flow-chart marker and fill colours (AA contrast on white); boards use the print palette in common.typ.
CHART_LEVEL_COLOUR: dict[str, str] = dict(zip(RISK_LEVELS, ("#c62828", "#ef6c00", "#1565c0")))
CHART_LEVEL_FILL: dict[str, str] = dict(zip(RISK_LEVELS, ("#fdecea", "#fff3e0", "#e8f0fb")))


def chart_title(flow_name: str) -> str:
    """A flow chart's title: "…流程图", without doubling 流程 when the flow's name already ends in it."""
    return f"{flow_name}图" if flow_name.endswith("流程") else f"{flow_name}流程图"


def cn_date(d: dt.date) -> str:
    """2024年3月1日: how every page, board and footer writes a date."""
    return f"{d.year}年{d.month}月{d.day}日"


def list_parts(items: list[str]) -> dict:
    """How a sentence list reads: {"lead": a lead-in sentence or "", "entries": the items, "own": whether the
    items carry their published numbers (then a renderer must not number them again)}."""
    items = list(items)
    lead = ""
    if len(items) >= 2:
        first_numbered = ITEM_NUMBER.match(items[0]) is not None
        rest_numbered = all(ITEM_NUMBER.match(i) for i in items[1:])
        if items[0].rstrip().endswith(("：", ":")) or (not first_numbered and rest_numbered):
            lead, items = items[0], items[1:]
    own = bool(items) and all(ITEM_NUMBER.match(i) for i in items)
    return {"lead": lead, "entries": items, "own": own}
