"""A table's header row → field columns, as published tables write them.

Shared by CSV files and workbook sheets. Headers are compared after ``fields.header_key``
(full-width brackets, spaces and Alt+Enter line breaks do not matter) against each field's key,
label and aliases; a 序号 column is skipped. Published tables often put a title row
("某某局权责清单") above the header: the header is the first of the first rows that names at least
two known columns, else the first row (and its unknown names are reported). A column no field has is an error
when it holds something (it would be lost), and ignored with a warning when it is empty everywhere (a provincial
template's 子项 or 备注 column a body leaves blank).

An unknown name gets a suggestion only when it means the same field (``same_meaning``): 风险点数量 is a count of
risk points, not the risk point, and 承办单位 is a department, not the 承办岗位 it is one character away from.
"""

from __future__ import annotations

import difflib
import re

from .fields import Field, Kind, find_header, header_key, header_map, is_ignored_header
from .problems import Location, Report
from .sources import Cell

HEADER_SEARCH_ROWS = 10


def pick_header(fields: tuple[Field, ...]):
    """A function: the non-blank rows of a table → the index of its header row."""
    names = header_map(fields)

    def pick(rows: list[list[str]]) -> int:
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            known = sum(1 for v in row if v.strip() and (find_header(names, v) or is_ignored_header(v)))
            if known >= 2:
                return i
        return 0

    return pick


def map_columns(kind: Kind, header: list[Cell], report: Report, rows: list[list[str]] = ()) -> dict[str, int]:
    """Field key → 0-based column; unknown and duplicate columns are reported at their header cell (an unknown one
    that is empty in every row of ``rows`` as a warning: it is ignored, and nothing is lost)."""
    names = header_map(kind.fields)
    columns: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = cell.value.strip().lstrip("\ufeff")
        f = find_header(names, name)
        if f is None:
            if name and not is_ignored_header(name):
                if rows and not any(i < len(row) and row[i].strip() for row in rows):
                    report.warn("empty-column", cell.loc, f"“{_one_line(name)}”列每一行都是空的，已忽略")
                    continue
                report.add("unknown-column", cell.loc, f"无法识别的列名“{_one_line(name)}”{_did_you_mean(name, kind)}",
                           hint=known_names(kind.fields))
        elif f.key in columns:
            report.add("duplicate-column", cell.loc, f"“{_one_line(name)}”与第 {columns[f.key] + 1} 列是同一列",
                       field=f.label)
        else:
            columns[f.key] = i
    return columns


def known_names(fields: tuple[Field, ...]) -> str:
    return "可用的列名：" + "、".join(f"{f.label}（{f.key}）" for f in fields)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _did_you_mean(name: str, kind: Kind) -> str:
    close = suggestion(name, kind.fields)
    return f"；是否应为“{close}”？" if close else ""


SUGGEST_FROM = 0.6  # difflib's ratio: one character in three may differ


def suggestion(name: str, fields: tuple[Field, ...]) -> str | None:
    """The nearest spelling of a field that means what ``name`` means, or None. Following a suggestion must never
    change what a column says: a count, a date, a person or another field sharing a stem is not offered, and
    neither is anything when two fields are as near as each other (某责事项: 权责事项 or 追责事项?)."""
    text = _bare(name)
    scored = [(difflib.SequenceMatcher(None, text, _bare(s)).ratio(), s, f.key)
              for f in fields for s in (f.label, *f.aliases) if same_meaning(text, _bare(s))]
    best = max((score for score, _, _ in scored), default=0.0)
    if best < SUGGEST_FROM:
        return None
    nearest = [(s, key) for score, s, key in scored if score == best]
    return nearest[0][0] if len({key for _, key in nearest}) == 1 else None


def _bare(text: str) -> str:
    return re.sub(r"\([^()]*\)$", "", header_key(text))


# What the last word of a column name says it holds (the head of a Chinese compound is its last word): two names
# mean the same kind of thing only when their heads do. Longest first.
HEADS: dict[str, str] = {
    **dict.fromkeys(("数量", "个数", "次数", "件数", "项数", "总数", "人数", "数"), "count"),
    **dict.fromkeys(("日期", "时间", "月份", "年月", "年度", "年份", "时点"), "date"),
    **dict.fromkeys(("时限", "期限", "期间"), "limit"),
    **dict.fromkeys(("编码", "编号", "代码", "序号", "码", "号"), "code"),
    **dict.fromkeys(("名称", "名"), "name"),
    **dict.fromkeys(("类型", "类别", "种类", "分类", "性质"), "kind"),
    **dict.fromkeys(("等级", "级别", "级次", "程度"), "level"),
    **dict.fromkeys(("部门", "单位", "主体", "机构", "机关", "科室", "处室", "股室"), "body"),
    **dict.fromkeys(("岗位", "职位"), "post"),
    **dict.fromkeys(("人", "人员", "领导", "负责人", "责任人", "联系人"), "person"),
    **dict.fromkeys(("电话", "手机", "邮箱", "网址"), "contact"),
    **dict.fromkeys(("依据", "条款", "法规"), "basis"),
    **dict.fromkeys(("措施", "办法", "对策"), "measure"),
    **dict.fromkeys(("比例", "率", "百分比", "进度"), "ratio"),
    **dict.fromkeys(("金额", "资金", "经费"), "money"),
    **dict.fromkeys(("理由", "原因"), "reason"),
    **dict.fromkeys(("状态", "情形"), "state"),
    **dict.fromkeys(("环节", "流程", "步骤"), "step"),
    **dict.fromkeys(("值", "目标值", "累计值", "完成值"), "value"),
}
_HEADS_LONGEST = sorted(HEADS, key=len, reverse=True)


def _last_word(text: str) -> str:
    return next((w for w in _HEADS_LONGEST if text.endswith(w)), "")


def head_of(text: str) -> str | None:
    """The kind of thing a column name holds, from its last word; None when its last word names none."""
    return next((HEADS[w] for w in _HEADS_LONGEST if text.endswith(w)), None)


def same_meaning(name: str, spelling: str) -> bool:
    """Whether a suggestion of ``spelling`` for the header ``name`` keeps its meaning: both end in the same kind of
    word, and neither is the other with words added at either end (风险点 + 数量, 岗位 + 类别, 部门 + 负责人). A
    header whose last word names nothing may be that word mistyped (风险等极, 事项名秤): one character off the
    spelling's last word of two or more."""
    if head_of(name) != head_of(spelling):
        last = _last_word(spelling)
        if head_of(name) is not None or len(last) < 2:
            return False
        if sum(a != b for a, b in zip(name[-len(last):], last)) != 1:
            return False
    # one is the other and more: 岗位类别 is not 类别, 部门负责人 is not 负责人
    return name == spelling or (spelling not in name and name not in spelling)


def header_location(header: list[Cell]) -> Location:
    """Where a missing column is reported: the header row, no column."""
    return header[0].loc._replace(column=0)
