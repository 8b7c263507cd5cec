"""Open-data downloads: every public record as CSV (Excel-friendly) and JSON, headers from the registry."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from ..facts.links import Links
from ..records.fields import KINDS, Field
from ..records.model import Dataset

# (file stem, kind, Chinese title)
TABLES = (
    ("departments", "departments", "部门"),
    ("posts", "posts", "岗位"),
    ("powers", "powers", "职权目录"),
    ("risks", "risks", "廉政风险点"),
    ("projects", "projects", "承诺事项"),
    ("progress", "progress", "进度记录"),
)
FLAT_SKIP = {"targets", "milestones", "steps"}


def _plain(value) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "；".join(str(_plain(v)) for v in value)
    return "" if value is None else value


def _json(value) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {k: _json(getattr(value, k)) for k in value.__dataclass_fields__ if k not in ("loc", "locs")}
    return value


def _rows(ds: Dataset, links: Links, kind: str) -> list:
    return {
        "departments": links.departments, "posts": links.posts, "powers": links.powers, "risks": links.risks,
        "projects": sorted(ds.projects.values(), key=lambda p: p.id),
        "progress": sorted(ds.progress, key=lambda r: (r.project, r.date or dt.date.min, r.metric)),
    }[kind]


def _fields(kind: str) -> list[Field]:
    skip = FLAT_SKIP | ({"publication", "withheld_reason"} if kind == "powers" else set())
    return [f for f in KINDS[kind].fields if f.key not in skip]


def tables(ds: Dataset) -> dict[str, bytes]:
    """File name → bytes. CSV in UTF-8 with BOM so that Excel opens Chinese correctly."""
    out: dict[str, bytes] = {}
    links = Links(ds)
    for stem, kind, _ in TABLES:
        fields, rows = _fields(kind), _rows(ds, links, kind)
        buf = io.StringIO(newline="")
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow([f.label for f in fields])
        for r in rows:
            w.writerow([_plain(getattr(r, f.key)) for f in fields])
        out[f"{stem}.csv"] = b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")
        records = [{f.key: _json(getattr(r, f.key)) for f in KINDS[kind].fields
                    if not (kind == "powers" and f.key in ("publication", "withheld_reason"))} for r in rows]
        out[f"{stem}.json"] = _dump(records)
    out["flows.json"] = _dump([_json(f) for f in links.flows])
    out["status.json"] = _dump({"as_of": ds.as_of.isoformat(), "thresholds": _json(ds.site.thresholds),
                                "commitments": [s.as_json() for s in links.engine.all()]})
    return out


def _dump(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def write_opendata(files: dict[str, bytes], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in sorted(files.items()):
        (out / name).write_bytes(data)
        paths.append(out / name)
    return paths


def opendata_page(ds: Dataset, files: dict[str, bytes]) -> str:
    """The downloads page; ``files`` is ``tables(ds)``, computed once per build for the page and the files."""
    links = Links(ds)
    rows = []
    for stem, kind, title in TABLES:
        csv_kb, json_kb = len(files[f"{stem}.csv"]) / 1024, len(files[f"{stem}.json"]) / 1024
        count = len(_rows(ds, links, kind))
        rows.append(f'<tr><td>{title}</td><td>{count}</td><td><a href="../opendata/{stem}.csv" download>CSV</a>'
                    f'（{csv_kb:.1f} KB）</td><td><a href="../opendata/{stem}.json" download>JSON</a>'
                    f'（{json_kb:.1f} KB）</td></tr>')
    rows.append(f'<tr><td>运行流程</td><td>{len(ds.flows)}</td><td></td><td><a href="../opendata/flows.json" download>'
                f'JSON</a>（{len(files["flows.json"]) / 1024:.1f} KB）</td></tr>')
    rows.append(f'<tr><td>承诺事项状态</td><td>{len(ds.projects)}</td><td></td><td><a href="../opendata/status.json" '
                f'download>JSON</a>（{len(files["status.json"]) / 1024:.1f} KB）</td></tr>')
    return (f'---\ntitle: "开放数据"\nupdated: {ds.as_of.isoformat()}\nsearch: false\n---\n\n'
            f'<h1>开放数据</h1>\n\n<p class="ss-lead">本站公开的全部数据可以下载。CSV 文件用 Excel 可直接打开（UTF-8 编码），'
            f'表头与数据格式说明中的中文名一致；JSON 文件的键是英文键。数据截止 {ds.as_of.isoformat()}。'
            f'草稿和不予公开的事项不在其中。</p>\n\n<div class="ss-table-wrap"><table class="ss-table">\n'
            f'<thead><tr><th scope="col">数据</th><th scope="col">条数</th><th scope="col">CSV</th><th scope="col">JSON</th>'
            f'</tr></thead>\n<tbody>\n' + "\n".join(rows) + "\n</tbody></table></div>\n\n"
            '<p>承诺事项状态（status.json）中的百分比是 0–100 的数值，计算方法见<a href="../projects/method/">计算方法</a>。</p>\n')

