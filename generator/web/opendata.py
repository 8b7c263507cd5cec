"""Open-data downloads: every public record as CSV (Excel-friendly) and JSON, headers from the registry."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from ..facts.public import PRIVATE_FIELDS
from ..facts.status import pct
from ..facts.view import Facts
from ..present import join_items
from ..records.fields import KINDS, Field, label_of
from .memo import Fingerprints

# (file stem, kind, Chinese title)
TABLES = (
    ("departments", "departments", "部门"),
    ("posts", "posts", "岗位"),
    ("powers", "powers", "职权目录"),
    ("risks", "risks", "廉政风险点"),
    ("projects", "projects", "承诺事项"),
    ("progress", "progress", "进度记录"),
    ("decisions", "decisions", "重大决策"),
)

FLAT_SKIP = {"targets", "milestones", "steps"}


# A cell Excel would evaluate as a formula (or DDE) starts with one of these; such text gets a leading
# apostrophe, which Excel shows as nothing and treats as "this is text" (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def inert(text: str) -> str:
    """A CSV text cell that no spreadsheet will run."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _plain(value) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return inert(join_items(_plain(v) for v in value))  # the renderers' one joining rule (…公开。2.…)
    if isinstance(value, str):
        return inert(value)
    return "" if value is None else value


def _json(value) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {k: _json(getattr(value, k)) for k in value.__dataclass_fields__ if k not in ("loc", "locs")}
    return value


def _rows(facts: Facts, kind: str) -> list:
    ds = facts.ds
    return {
        "departments": facts.departments, "posts": facts.posts, "powers": facts.powers, "risks": facts.risks,
        "projects": sorted(ds.projects.values(), key=lambda p: p.id),
        "progress": sorted(ds.progress, key=lambda r: (r.project, r.date or dt.date.min, r.metric)),
        "decisions": facts.decisions,
    }[kind]


def _fields(kind: str) -> list[Field]:
    skip = FLAT_SKIP | PRIVATE_FIELDS.get(kind, frozenset())
    return [f for f in KINDS[kind].fields if f.key not in skip]


def tables(facts: Facts, keep: dict | None = None) -> dict[str, bytes]:
    """File name → bytes. CSV in UTF-8 with BOM so that Excel opens Chinese correctly. ``keep`` (the preview's, from
    rebuild to rebuild): each row's CSV line and JSON text by a fingerprint of its record, so an edit re-writes only
    the rows it changed."""
    out: dict[str, bytes] = {}
    ds = facts.ds
    fps, last = Fingerprints(), (keep or {}).get("rows", {})
    rows_now: dict[str, tuple[str, str]] = {}
    for stem, kind, _ in TABLES:
        out.update(_table(stem, kind, _rows(facts, kind), fps if keep is not None else None, last, rows_now,
                          grouped=bool(ds.risk_groups) and kind == "risks"))
    if keep is not None:
        keep["rows"] = rows_now
    if ds.risk_groups:
        out.update(_measures(facts))
    out["flows.json"] = _dump([_json(f) for f in facts.flows])
    statuses = facts.engine.all()
    out["status.json"] = _dump({"as_of": ds.as_of.isoformat(), "thresholds": _json(ds.site.thresholds),
                                "commitments": [s.as_json() for s in statuses]})
    out["status.csv"] = _status_csv(facts, statuses)
    return out


# The computed status of each commitment, as every page shows it (CommitmentStatus): one row each.
STATUS_COLUMNS = ("编号", "名称", "状态", "长期无进展", "督办", "时间进度", "工作进度", "差距", "办结日期", "办结依据",
                  "逾期天数", "最近进度记录", "最新进展", "最新进展日期", "统计截止日期")


def _status_csv(facts: Facts, statuses) -> bytes:
    lines = [_csv_line(list(STATUS_COLUMNS))]
    for st in statuses:
        note = st.note
        lines.append(_csv_line([inert(v) if isinstance(v, str) else v for v in (
            st.project, facts.ds.projects[st.project].name, st.status, _plain(st.stale), _plain(st.supervised),
            f"{pct(st.time_progress):g}", f"{pct(st.work_progress):g}", f"{pct(st.gap):g}", _plain(st.done_on),
            st.done_by, st.days_late, _plain(st.latest), note.note if note else "", _plain(note.date if note else None),
            facts.ds.as_of.isoformat())]))
    return b"\xef\xbb\xbf" + "".join(lines).encode("utf-8")


# Risk points split from a table kept per power: their row's measures are in MEASURES, once, and each point names its
# row there (the column is there only when the data has such rows, so other bodies' files stay as they were).
GROUP_COLUMN = ("group", "防控措施组")
MEASURES = ("risk_measures", "廉政风险防控措施（按事项公布的）")


def _table(stem: str, kind: str, rows: list, fps: Fingerprints | None, last: dict, now: dict,
           grouped: bool = False) -> dict[str, bytes]:
    """The same bytes as csv.writer over the whole table and json.dumps(indent=1) of the list, made row by row."""
    fields = _fields(kind)
    private = PRIVATE_FIELDS.get(kind, frozenset())
    json_keys = [f.key for f in KINDS[kind].fields if f.key not in private] + ([GROUP_COLUMN[0]] if grouped else [])
    extra = [GROUP_COLUMN] if grouped else []
    csv_lines, json_items = [_csv_line([f.label for f in fields] + [label for _, label in extra])], []
    for r in rows:
        fp = fps.of(r) if fps is not None else None
        row = last.get(fp) if fp is not None else None
        if row is None:
            row = (_csv_line([_plain(getattr(r, f.key)) for f in fields] + [_plain(getattr(r, k)) for k, _ in extra]),
                   _json_item({k: _json(getattr(r, k)) for k in json_keys}))
        if fp is not None:
            now[fp] = row
        csv_lines.append(row[0])
        json_items.append(row[1])
    listed = "[\n" + ",\n".join(json_items) + "\n]" if json_items else "[]"
    return {f"{stem}.csv": b"\xef\xbb\xbf" + "".join(csv_lines).encode("utf-8"),
            f"{stem}.json": (listed + "\n").encode("utf-8")}


def _measures(facts: Facts) -> dict[str, bytes]:
    """The rows of risk tables kept per power as published: their points, their level as written, their measures."""
    ds = facts.ds
    header = [("id", "编号"), ("powers", label_of("risks", "powers")), ("risks", "风险点"),
              ("level", "等级（原表）"), ("count", label_of("risks", "count")),
              ("controls", label_of("risks", "controls")), ("leader", label_of("risks", "leader"))]
    records = []
    for group in ds.risk_groups.values():
        points = [ds.risks[m] for m in group.members if m in ds.risks]
        if points:
            first = points[0]
            records.append({"id": group.id, "powers": first.powers, "risks": [p.id for p in points],
                            "level": group.level_text, "count": group.count, "controls": group.controls,
                            "leader": first.leader})
    lines = [_csv_line([label for _, label in header])]
    lines += [_csv_line([_plain(r[k]) for k, _ in header]) for r in records]
    listed = "[\n" + ",\n".join(_json_item(r) for r in records) + "\n]" if records else "[]"
    return {f"{MEASURES[0]}.csv": b"\xef\xbb\xbf" + "".join(lines).encode("utf-8"),
            f"{MEASURES[0]}.json": (listed + "\n").encode("utf-8")}


def _csv_line(values: list) -> str:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerow(values)
    return buf.getvalue()


def _json_item(record: dict) -> str:
    """A record as json.dumps(indent=1) writes it inside a list: one level deeper (strings never hold a raw line
    break in JSON, so every line is indented)."""
    return "\n".join(" " + line for line in json.dumps(record, ensure_ascii=False, indent=1).split("\n"))


def _dump(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def write_opendata(files: dict[str, bytes], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in sorted(files.items()):
        (out / name).write_bytes(data)
        paths.append(out / name)
    return paths


def downloads(facts: Facts, files: dict[str, bytes]) -> list[dict]:
    """One row per download on the open-data page: title, record count, and each file with its size in KB. A table
    with no rows is not offered (its files are still written, so the set of files stays the same for programs)."""
    def file(name: str) -> dict:
        return {"name": name, "kb": f"{len(files[name]) / 1024:.1f}"}

    rows = [{"title": title, "count": len(_rows(facts, kind)), "csv": file(f"{stem}.csv"), "json": file(f"{stem}.json")}
            for stem, kind, title in TABLES]
    if f"{MEASURES[0]}.csv" in files:
        rows.append({"title": MEASURES[1], "count": len(facts.ds.risk_groups), "csv": file(f"{MEASURES[0]}.csv"),
                     "json": file(f"{MEASURES[0]}.json")})
    rows.append({"title": "运行流程", "count": len(facts.ds.flows), "csv": None, "json": file("flows.json")})
    rows.append({"title": "承诺事项状态", "count": len(facts.ds.projects), "csv": file("status.csv"),
                 "json": file("status.json")})
    return [row for row in rows if row["count"]]
