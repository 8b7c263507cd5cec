"""How values read to people, the same on pages, boards, charts and in the theme.

One home for the Chinese date format and the look of risk levels (their CSS
slug and chart colours), so a page, a chart and a board never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from .records.fields import RISK_LEVELS
from .records.model import RiskGroup, RiskPoint
from .records.numbering import ITEM_NUMBER

# CSS class suffix of each risk level (ss-level--high); the text label is always shown beside the colour.
LEVEL_SLUG: dict[str, str] = dict(zip(RISK_LEVELS, ("high", "medium", "low")))
LEVEL_RANK: dict[str, int] = {level: i for i, level in enumerate(RISK_LEVELS)}
# Flow-chart marker and fill colours (AA contrast on white); boards use the print palette in common.typ.
CHART_LEVEL_COLOUR: dict[str, str] = dict(zip(RISK_LEVELS, ("#c62828", "#ef6c00", "#1565c0")))
CHART_LEVEL_FILL: dict[str, str] = dict(zip(RISK_LEVELS, ("#fdecea", "#fff3e0", "#e8f0fb")))


# An item that ends like this needs no separator after it: "…公开。" + "2.…", never "…公开。；2.…".
_ENDED = ("。", "！", "？", "；", ";", "!", "?", "…", "：", ":")


def join_items(items) -> str:
    """A list written on one line — a risk list's measures, a flow step's risks, an open-data cell: the items joined
    with ；, except after an item that already ends its sentence or introduces the next (…公开。2.…, 有下列情形之一的：
    （一）…). The one joining rule of every renderer."""
    out = ""
    for item in (str(i).strip() for i in items):
        if item:
            out += ("" if not out or out.endswith(_ENDED) else "；") + item
    return out


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


def percent(x) -> str:
    """62.5%: one decimal, as every page, board and table writes a share."""
    return f"{float(round(x, 1)):.1f}%"


def amount(value: float, unit: str = "") -> str:
    """7 处, 3,000 人次: a figure with its unit."""
    return f"{value:,g}{(' ' + unit) if unit else ''}"


def commitment_lines(st) -> dict[str, str | list[str]]:
    """What a commitment's first screen (page, board) and every text view say beside its status, in the order a
    reader asks: how far (progress), how late, done when and how, beyond which target, and why (the latest note).
    ``st`` is a ``facts.status.CommitmentStatus``; every view prints these same sentences."""
    if st.status == "逾期":
        late = f"已逾期 {st.days_late} 天"
    elif st.status == "逾期办结":
        late = f"晚于完成时限 {st.days_late} 天办结"
    elif not st.is_done and st.gap > 0:
        late = f"工作进度落后时间进度 {float(round(st.gap, 1)):.1f} 个百分点"
    else:
        late = ""
    return {
        "progress": f"工作进度 {percent(st.work_progress)}，时间进度 {percent(st.time_progress)}",
        "late": late,
        "done": f"{cn_date(st.done_on)}办结（{st.done_by}）" if st.done_on else "",
        "exceeded": [f"{t.metric}超额完成：{amount(t.latest, t.unit)}，目标 {amount(t.target, t.unit)}"
                     f"（{percent(t.ratio * 100)}）" for t in st.exceeded],
        "note": f"{cn_date(st.note.date)}：{st.note.note}" if st.note else "",
    }


# Risk points as tables show them. Plain functions of the risks and the groups mapping (``ds.risk_groups``), so a
# page's memo notes each group it reads (web/memo.py), and boards and the handbook share them.


@dataclass(frozen=True)
class RiskRow:
    """A line of a risk table: one risk point, or the points of one row of a table kept per power (``group``), shown
    together with their one measures block and their level as published."""

    risks: tuple[RiskPoint, ...]
    group: RiskGroup | None = None

    @property
    def first(self) -> RiskPoint:
        return self.risks[0]

    @property
    def controls(self) -> list[str]:
        return self.group.controls if self.group is not None else self.first.controls

    @property
    def level(self) -> str:
        """The row's one level, or "" when its points differ or have none (then each point or the group says)."""
        levels = {r.level for r in self.risks}
        return levels.pop() if len(levels) == 1 else ""

    @property
    def level_words(self) -> list[str]:
        """The levels the row holds, most serious first, for a list's level filter (a row of 1中2低 holds 中 and 低);
        a level as published that names none of them, as written."""
        if all(r.level for r in self.risks):
            return [lv for lv in RISK_LEVELS if any(r.level == lv for r in self.risks)]
        if self.group is not None and self.group.level_counts:
            return list(self.group.level_counts)
        return [t for t in {self.group.level_text if self.group else self.first.level_shown} if t]


def risk_rows(risks, groups) -> list[RiskRow]:
    """``risks`` as table lines: the points of one row of a table kept per power together where the first of them
    stands, with the measures published once for them; every other point a line of its own."""
    rows: list[RiskRow] = []
    at: dict[str, int] = {}
    for r in risks:
        group = groups.get(r.group) if r.group else None
        if group is None:
            rows.append(RiskRow((r,)))
        elif r.group in at:
            i = at[r.group]
            rows[i] = RiskRow(rows[i].risks + (r,), group)
        else:
            at[r.group] = len(rows)
            rows.append(RiskRow((r,), group))
    return rows


def controls_of(risk: RiskPoint, groups) -> list[str]:
    """A risk point's measures: its own, or those published once for the points of its row."""
    group = groups.get(risk.group) if risk.group else None
    return group.controls if group is not None else risk.controls


def level_tally(risks, groups) -> dict[str, int]:
    """高/中/低 → how many of ``risks``, and "" → how many no level can be given to. Points whose row gives only
    counts (1中2低) are counted by those counts when all of the row's points are among ``risks``."""
    tally: Counter = Counter({lv: 0 for lv in RISK_LEVELS})
    unleveled: dict[str, list[RiskPoint]] = defaultdict(list)
    for r in risks:
        if r.level:
            tally[r.level] += 1
        else:
            unleveled[r.group].append(r)
    for gid, points in unleveled.items():
        group = groups.get(gid) if gid else None
        counts = group.level_counts if group is not None else {}
        if counts and sum(counts.values()) == len(points) == len(group.members):
            tally.update(counts)
        else:
            tally[""] += len(points)
    return {lv: tally[lv] for lv in (*RISK_LEVELS, "") if lv or tally[lv]}
