"""The portal's cross-body tables, made with pandas from the bodies' rows (``summary.py``): one row per body with its
counts, the body × 职权类型 matrix with totals, the comparison (overdue and 督办 commitments, high risks, records due
for review, each also as a share), and every 督办 commitment of every body. The pages show them and the portal's open
data is written from them (CSV for Excel, JSON for programs)."""

from __future__ import annotations

import json

import pandas as pd

from ..facts.status import STATUS_ORDER
from ..records.fields import RISK_LEVELS, VOCABULARIES
from ..web.opendata import inert

UNLEVELED = "未定级"
TOTAL = "合计"


def bodies_frame(rows: list[dict]) -> pd.DataFrame:
    """One row per body: who it is, its last update and its counts."""
    statuses = [s for s in STATUS_ORDER if any(r["commitments"]["by_status"].get(s) for r in rows)]
    levels = [*RISK_LEVELS, *([UNLEVELED] if any(r["risks"]["by_level"].get(UNLEVELED) for r in rows) else [])]
    records = []
    for r in rows:
        c = r["commitments"]
        records.append({
            "编号": r["id"], "单位": r["name"], "数据截止日期": r["as_of"], "版本": r["edition"],
            "发布日期": r["published"],
            "公开职权": r["powers"]["total"], "不予公开职权": r["powers"]["withheld"], "风险点": r["risks"]["total"],
            **{f"风险等级{lv}": r["risks"]["by_level"].get(lv, 0) for lv in levels},
            "承诺事项": c["total"], **{s: c["by_status"].get(s, 0) for s in statuses},
            "督办": c["supervised"], "长期无进展": c["stale"], "重大决策": r["decisions"],
            "待复核记录": r["review_due"]["total"], "网址": r["url"],
        })
    return pd.DataFrame.from_records(records, columns=_columns(records, ["编号", "单位"]))


def types_frame(rows: list[dict]) -> pd.DataFrame:
    """Bodies × 职权类型: public powers counted, the types in the vocabulary's order (then any other a body names),
    with a total per body and per type."""
    long = pd.DataFrame.from_records(
        [(r["id"], t, n) for r in rows for t, n in r["powers"]["by_type"].items()],
        columns=["编号", "类型", "职权"])
    ids = [r["id"] for r in rows]
    types = _type_order(rows)
    if long.empty:  # no body yet, or none publishes a power
        matrix = pd.DataFrame(0, index=ids, columns=types)
    else:
        matrix = long.pivot_table(index="编号", columns="类型", values="职权", aggfunc="sum", fill_value=0)
    matrix = matrix.reindex(index=ids, columns=types, fill_value=0).astype(int)
    matrix[TOTAL] = matrix.sum(axis=1)
    matrix.loc[TOTAL] = matrix.sum(axis=0)
    matrix.columns.name = None
    matrix.insert(0, "单位", [*(r["name"] for r in rows), TOTAL])
    matrix = matrix.reset_index().rename(columns={"index": "编号"})
    matrix.loc[matrix.index[-1], "编号"] = ""  # the totals: no body's id
    return matrix


COUNTS = ["承诺事项", "逾期", "督办", "长期无进展", "风险点", "高风险点", "可核对记录", "待复核记录"]


def compare_frame(rows: list[dict]) -> pd.DataFrame:
    """What needs attention, per body: counts and shares, so bodies of different sizes compare."""
    df = pd.DataFrame.from_records([{
        "编号": r["id"], "单位": r["name"], "数据截止日期": r["as_of"],
        "承诺事项": r["commitments"]["total"], "逾期": r["commitments"]["overdue"],
        "督办": r["commitments"]["supervised"], "长期无进展": r["commitments"]["stale"],
        "风险点": r["risks"]["total"], "高风险点": r["risks"]["by_level"].get(RISK_LEVELS[0], 0),
        "可核对记录": r["powers"]["total"] + r["risks"]["total"] + r["decisions"],
        "待复核记录": r["review_due"]["total"],
    } for r in rows], columns=["编号", "单位", "数据截止日期", *COUNTS])
    df = df.astype(dict.fromkeys(COUNTS, "int64"))
    df["督办占比"] = _share(df["督办"], df["承诺事项"])
    df["高风险占比"] = _share(df["高风险点"], df["风险点"])
    df["待复核占比"] = _share(df["待复核记录"], df["可核对记录"])
    return df


def supervised_frame(rows: list[dict]) -> pd.DataFrame:
    """Every commitment listed for supervision (督办), body by body, most urgent first as each body lists them."""
    return pd.DataFrame.from_records([{
        "单位编号": r["id"], "单位": r["name"], "编号": s["id"], "名称": s["name"], "状态": s["status"],
        "标记": "、".join(s["marks"]), "逾期天数": s["days_late"], "网址": r["url"] + s["path"],
    } for r in rows for s in r["supervised"]],
        columns=["单位编号", "单位", "编号", "名称", "状态", "标记", "逾期天数", "网址"])


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    """Per cent to one decimal; a body with nothing to count has no share (empty), not 0 %."""
    return (part / whole.where(whole > 0) * 100).round(1)


def _columns(records: list[dict], first: list[str]) -> list[str]:
    seen = dict.fromkeys(first)
    for r in records:
        seen.update(dict.fromkeys(r))
    return list(seen)


def _type_order(rows: list[dict]) -> list[str]:
    """The default vocabulary's order, then each body's own types in its order."""
    named = dict.fromkeys(t for r in rows for t in r["powers"]["by_type"])
    default = [t for t in VOCABULARIES["power_categories"].values if t in named]
    return default + [t for t in named if t not in default]


def csv_bytes(df: pd.DataFrame) -> bytes:
    """As the bodies' open data: UTF-8 with BOM (Excel), CRLF, text no spreadsheet runs as a formula."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: inert(v) if isinstance(v, str) else v)
    return b"\xef\xbb\xbf" + out.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def json_bytes(df: pd.DataFrame) -> bytes:
    records = [{k: (None if isinstance(v, float) and v != v else v) for k, v in rec.items()}
               for rec in df.to_dict(orient="records")]
    return (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
