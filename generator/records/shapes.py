"""Tables in the shapes bodies publish them → the rows the converter reads. Runs on a table's text, before any value
is converted, so the checks, the pages and the change history (which parses old versions the same way) see one
record per published item.

- **Blank codes** (a provincial template's 项目编码 column, or none at all): the id is derived from the record's own
  text — the kind's ``identity`` fields in the registry (a power's 主项 and 名称; a risk point's 关联职权, 责任岗位 and
  name) — as the kind's prefix and the first 8 hex digits of its SHA-1: ``QL-1F3A9C02``. Rows added, removed or
  moved elsewhere never change it; renaming the record does (write the code to keep an address for good).
- **主项/子项**: a row with a 子项 is a sub-item of the item named in its 名称 cell (or the nearest row above that
  names one, when the cell is blank or merged): it becomes a record of its own named by its 子项 (without the
  number it may carry: 1.特困人员救助供养审核 is named 特困人员救助供养审核), its 主项 the item's name; a row
  without one is an item (or a main item) as before. A 主项 column may say it directly.
- **Risk tables kept per power** (no 风险点 column, a 关联职权 and a 表现形式 column): each numbered item of a row's
  表现形式 (1.受理风险：…；2.审查风险：…) is a risk point named by its lead-in (受理风险), or by its text when it has
  none; the row's measures stay one block, held by the row's group, not copied onto each point; its level is given to
  each point only where the row says it unambiguously — one level (中, 3中), or one level per item (中/低/低 on lines)
  — and otherwise kept as published (1中2低) for every point to show.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .fields import KINDS, RISK_LEVELS, VOCABULARIES, Kind, label_of
from .numbering import ITEM_NUMBER, numbered_starts, split_paragraphs
from .problems import Report
from .values import clean_text

HASH_DIGITS = 8


def supplied(kind: Kind, columns) -> set[str]:
    """Required fields a table may leave out, because this stage (or, for a department, the dataset: the body
    itself) fills them in."""
    out = {f.key for f in kind.fields if f.body_default}
    if kind.identity:
        out.add(kind.id_field)
    if per_power(kind.name, columns):
        out.add("name")
    return out


def per_power(kind: str, columns) -> bool:
    """A risk table kept one row per power: it names the power and how risks show, and has no risk-point column."""
    return kind == "risks" and "name" not in columns and "powers" in columns and "description" in columns


@dataclass
class Shaped:
    """What shaping added to a table, beside its rows: attributes of each row's record, the groups of risk points,
    the ids it derived (so a duplicate can say it was derived)."""

    extras: list[dict] = field(default_factory=list)
    groups: dict = field(default_factory=dict)  # group id → RiskGroup
    derived_ids: set[str] = field(default_factory=set)


def shape(kind: Kind, block, report: Report) -> None:
    """Rewrite one table (a files.CsvBlock) in place; problems are reported as found."""
    if kind.name == "powers":
        _sub_items(block)
    if per_power(kind.name, block.columns):
        _split_risk_rows(block, report)
    if kind.identity:
        _derive_ids(kind, block, report)


# Cells ------------------------------------------------------------------------------------------------------


def _get(row: list[str], col: int | None) -> str:
    return clean_text(row[col]) if col is not None and col < len(row) else ""


def _put(row: list[str], col: int, value: str) -> None:
    if col >= len(row):
        row.extend([""] * (col + 1 - len(row)))
    row[col] = value


def _column(block, key: str, shown_from: str | None = None) -> int:
    """The column of ``key``, added after the last when the table has none; problems about a value placed there are
    shown at the cell of ``shown_from``'s column."""
    if key not in block.columns:
        block.columns[key] = max([len(r) for r in block.rows] + [c + 1 for c in block.columns.values()] + [0])
        if shown_from is not None and shown_from in block.columns:
            block.shown[key] = block.shown.get(shown_from, block.columns[shown_from])
    return block.columns[key]


# 主项/子项 ---------------------------------------------------------------------------------------------------

_INHERITED = ("category", "department")  # what a sub-item's row leaves blank under its main item's merged cells


def _sub_items(block) -> None:
    cols = block.columns
    sub = cols.get("sub_item")
    if sub is None or not any(_get(row, sub) for row in block.rows):
        return
    name_col = _column(block, "name", "sub_item")
    main_col = _column(block, "main", "name")
    above: list[str] | None = None  # the nearest row above that names an item
    for row in block.rows:
        name, main, text = _get(row, name_col), _get(row, main_col), _get(row, sub)
        if not text:
            if not name and main:  # a 主项 column, and no 子项 on this row: the row is that item itself
                _put(row, name_col, main)
                _put(row, main_col, "")
            if _get(row, name_col):
                above = row
            continue
        if name or main:
            above = row if name else above
        main = main or name or (_get(above, name_col) if above else "")
        if above is not None and not name:
            for key in _INHERITED:
                if key in cols and not _get(row, cols[key]):
                    _put(row, cols[key], _get(above, cols[key]))
        _put(row, main_col, main)
        _put(row, name_col, ITEM_NUMBER.sub("", text, count=1).strip() or text)  # 1.特困人员救助供养审核: named
        # without its number, so a risk table can name it; the 子项 keeps the number it was published with


# Derived ids -------------------------------------------------------------------------------------------------


def derived_id(kind: Kind, parts: list[str]) -> str:
    """The id a record without one gets: the kind's prefix and a hash of its identity fields' text (NFKC, no spaces).
    Nothing but that text goes in, so it is the same in every build, whatever else the table holds."""
    text = "\x1f".join(re.sub(r"\s+", "", unicodedata.normalize("NFKC", p)) for p in parts)
    return kind.id_prefix + hashlib.sha1(text.encode("utf-8")).hexdigest()[:HASH_DIGITS].upper()


def _derive_ids(kind: Kind, block, report: Report) -> None:
    id_col = block.columns.get(kind.id_field)
    blank = [r for r, row in enumerate(block.rows) if not _get(row, id_col)]
    if not blank:
        return
    identity = [block.columns.get(k) for k in kind.identity]
    name_key = "name" if "name" in block.columns else next((k for k in kind.identity if k in block.columns), None)
    id_col = _column(block, kind.id_field, name_key)
    made = []
    for r in blank:
        row = block.rows[r]
        parts = [_get(row, c) for c in identity]
        if not parts[-1]:  # no name: the name's own error says so; an id made of nothing would hide it
            continue
        # two points of one name in one row's cell: the second one's number of that name tells them apart
        again = block.shaped.extras[r].pop("_identity", []) if block.shaped.extras else []
        code = derived_id(kind, parts + again)
        _put(row, id_col, code)
        block.shaped.derived_ids.add(code)
        made.append((r, code))
    if not made:
        return
    line, excel = block.positions[made[0][0]]
    label = label_of(kind.name, kind.id_field)
    names = "、".join(label_of(kind.name, k) for k in kind.identity)
    examples = "、".join(f"第 {block.positions[r][0]} 行 {code}" for r, code in made[:3])
    more = f" 等 {len(made)} 行" if len(made) > 3 else ""
    report.warn("derived-id", block.loc(line, (block.shown.get(kind.id_field, id_col)) + 1, excel),
                f"{len(made)} 行没有{label}，已按{names}生成（{examples}{more}）；"
                f"这些文字改动时{label}（网址）随之改变",
                field=label)


# Risk tables kept per power ---------------------------------------------------------------------------------

_LEVEL_WORDS = {**{v: v for v in RISK_LEVELS}, **dict(VOCABULARIES["risk_levels"].synonyms)}
_WORD = "|".join(sorted(_LEVEL_WORDS, key=len, reverse=True))
_COUNT = re.compile(rf"(\d+|[一二三四五六七八九十]+)\s*个?\s*({_WORD})(?:风险)?")
_COUNTS = re.compile(rf"^(?:\s*(?:\d+|[一二三四五六七八九十]+)\s*个?\s*(?:{_WORD})(?:风险)?\s*[、，,；;和及\s]*)+$")
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_LEVEL_PARTS = re.compile(r"[\n；;、，,/]+")
# A lead-in names the risk point: 受理风险：…, 调查环节：… (short, no sentence inside it).
_LEAD = re.compile(r"^(?P<name>[^：:，,。；;]{1,20})[：:]\s*(?P<rest>.+)$", re.S)


def _count(text: str) -> int:
    return int(text) if text.isdigit() else _CN.get(text, 0)


def level_counts(text: str) -> dict[str, int]:
    """高/中/低 → count, as a level written as counts says (1中2低, 2个高风险、1个中风险); {} for anything else."""
    s = unicodedata.normalize("NFKC", text or "").strip()
    if not s or not _COUNTS.match(s):
        return {}
    out: Counter = Counter()
    for n, word in _COUNT.findall(s):
        out[_LEVEL_WORDS[word]] += _count(n)
    return {lv: out[lv] for lv in RISK_LEVELS if out[lv]}


def _levels_for(text: str, n: int) -> tuple[list[str], str]:
    """Each point's level cell, and the level as published when it names none of them alone."""
    if not text:
        return [""] * n, ""
    counts = level_counts(text)
    if counts:
        if len(counts) == 1 and next(iter(counts.values())) == n:
            return [next(iter(counts))] * n, ""
        return [""] * n, text
    parts = [ITEM_NUMBER.sub("", p).strip() for p in _LEVEL_PARTS.split(text) if p.strip()]
    if len(parts) > 1:
        return (parts, "") if len(parts) == n else ([""] * n, text)
    return [text] * n, ""  # one level for all (the converter reads it, and says if it cannot)


def risk_items(text: str) -> list[tuple[str, str, str]]:
    """A 表现形式 cell → (number as published, name, description) of each risk point in it."""
    if not text:
        return []
    parts = split_paragraphs(text) if numbered_starts(text) else [text.strip()]
    out = []
    for part in parts:
        m = ITEM_NUMBER.match(part)
        number = m.group(0).strip() if m else ""
        body = part[m.end():].strip() if m else part
        if not number and len(parts) > 1 and part is parts[0]:
            continue  # a sentence before the numbered items (存在以下风险：) names no risk point
        lead = _LEAD.match(body)
        out.append((number, lead.group("name").strip(), lead.group("rest").strip()) if lead else (number, body, ""))
    return out


def _split_risk_rows(block, report: Report) -> None:
    from .model import RiskGroup  # model imports this module for RiskGroup.level_counts

    cols = block.columns
    desc, controls_col = cols["description"], cols.get("controls")
    name_col = _column(block, "name", "description")
    level_col = _column(block, "level", "description")
    rows, positions, extras = [], [], []
    for row, (line, excel) in zip(block.rows, block.positions):
        items = risk_items(_get(row, desc))
        where = block.loc(line, desc + 1, excel)
        if not items:
            report.add("required", where, "这一行没有列出风险点（“表现形式”为空）",
                       field=label_of("risks", "description"))
            continue
        published = _get(row, level_col)
        levels, level_text = _levels_for(published, len(items))
        _check_count(block, row, (line, excel), len(items), published, report)
        powers, post = _get(row, cols.get("powers")), _get(row, cols.get("post"))
        count = _get(row, cols.get("count"))
        group = RiskGroup(id=derived_id(KINDS["risks"], [powers, post, "\x1e"]), loc=block.loc(line, 1, excel),
                          controls=split_paragraphs(_get(row, controls_col)), level_text=published,
                          count=int(count) if count.isdigit() else None)
        if not group.controls:
            report.add("required", block.loc(line, (controls_col if controls_col is not None else desc) + 1, excel),
                       "“防控措施”不能为空", field=label_of("risks", "controls"))
        seen: Counter = Counter()
        for (number, name, text), level in zip(items, levels):
            member = list(row)
            _put(member, name_col, name)
            _put(member, desc, text)
            _put(member, level_col, level)
            if controls_col is not None:
                _put(member, controls_col, "")
            seen[name] += 1
            rows.append(member)
            positions.append((line, excel))
            extras.append({"group": group.id, "level_text": level_text, "number": number,
                           "_identity": [str(seen[name])] if seen[name] > 1 else []})
        block.shaped.groups[group.id] = group
    block.rows[:], block.positions[:] = rows, positions
    block.shaped.extras = extras
    block.optional |= {"level", "controls"}


def _check_count(block, row: list[str], position: tuple[int, int], n: int, level: str, report: Report) -> None:
    """风险点数量 and the level's counts say how many points the row lists: a difference is said, never mended."""
    line, excel = position
    col = block.columns.get("count")
    written = _get(row, col)
    if written.isdigit() and int(written) != n:
        report.warn("risk-count", block.loc(line, col + 1, excel),
                    f"风险点数量写的是 {written}，“表现形式”中列出了 {n} 项", field=label_of("risks", "count"))
    counted = sum(level_counts(level).values())
    if counted and counted != n:
        report.warn("risk-count", block.loc(line, block.shown.get("level", block.columns["level"]) + 1, excel),
                    f"等级“{level}”合计 {counted} 个，“表现形式”中列出了 {n} 项", field=label_of("risks", "level"))
