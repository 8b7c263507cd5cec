"""How values read to people, the same on pages, boards, charts and in the theme.

One home for the Chinese date format and the look of risk levels (their CSS
slug and chart colours), so a page, a chart and a board never disagree.
"""

from __future__ import annotations

import datetime as dt

from .records.fields import RISK_LEVELS

# CSS class suffix of each risk level (ss-level--high); the text label is always shown beside the colour.
LEVEL_SLUG: dict[str, str] = dict(zip(RISK_LEVELS, ("high", "medium", "low")))
LEVEL_RANK: dict[str, int] = {level: i for i, level in enumerate(RISK_LEVELS)}
# Flow-chart marker and fill colours (AA contrast on white); boards use the print palette in common.typ.
CHART_LEVEL_COLOUR: dict[str, str] = dict(zip(RISK_LEVELS, ("#c62828", "#ef6c00", "#1565c0")))
CHART_LEVEL_FILL: dict[str, str] = dict(zip(RISK_LEVELS, ("#fdecea", "#fff3e0", "#e8f0fb")))


def cn_date(d: dt.date) -> str:
    """2024年3月1日: how every page, board and footer writes a date."""
    return f"{d.year}年{d.month}月{d.day}日"
