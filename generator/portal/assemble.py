"""The portal's own pages and open data, made from the rows the bodies' jobs wrote (``OUT/opendata/bodies/``).

A small builder of its own (Jinja, autoescaped), not MkDocs: the portal is five pages whose every line is a table or
a list of the bodies, with no Markdown, no menu from data and no pages of its own to guard, and the project's MkDocs
configuration is one body's site (its plugin loads a data folder). It uses the bodies' colours and system fonts and
loads nothing from outside its folder; its search runs Pagefind's UI from the first body's bundle with every other
body's index merged in (docs/portal.md)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from urllib.parse import quote, urlparse
from xml.sax.saxutils import escape as xml_escape

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..present import cn_date
from ..records.model import Portal
from ..site.cache import PROJECT
from ..web.escape import filter_text
from . import tables
from .body import read_row

HERE = Path(__file__).resolve().parent
NAV = (("", "首页"), ("types/", "职权类型"), ("compare/", "比较"), ("search/", "搜索"), ("opendata/", "开放数据"))
# (file stem, title, frame maker)
OPEN_DATA = (("bodies", "各单位概况", tables.bodies_frame), ("types", "各单位职权（按职权类型）", tables.types_frame),
             ("compare", "各单位需要关注的事项", tables.compare_frame),
             ("supervised", "督办的承诺事项", tables.supervised_frame))


def ordered(ids: list[str], portal: Portal) -> list[str]:
    """The portal's order (单位顺序), then the other bodies by id: the same however the folders were listed."""
    listed = [i for i in portal.order if i in ids]
    return listed + sorted(i for i in set(ids) if i not in listed)


def assemble(out: Path, portal: Portal, ids: list[str]) -> list[str]:
    """Writes the portal's pages for the bodies of ``ids`` that have a row; returns the ids that have none (a body
    never built: its job failed the first time)."""
    ids = ordered(ids, portal)
    rows = [row for i in ids if (row := read_row(out, i)) is not None]
    missing = [i for i in ids if read_row(out, i) is None]
    frames = {stem: make(rows) for stem, _, make in OPEN_DATA}
    env = _environment()
    latest = max((dt.date.fromisoformat(r["as_of"]) for r in rows), default=None)
    common = {"portal": portal, "rows": rows, "nav": NAV, "portal_url": portal.base_url.rstrip("/") + "/",
              "latest": cn_date(latest) if latest else "—"}
    files: dict[str, bytes] = {}
    totals = {"powers": sum(r["powers"]["total"] for r in rows), "risks": sum(r["risks"]["total"] for r in rows),
              "commitments": sum(r["commitments"]["total"] for r in rows),
              "supervised": sum(r["commitments"]["supervised"] for r in rows)}
    types = [c for c in frames["types"].columns if c not in ("编号", "单位", tables.TOTAL)]
    pages = {
        "": ("index", "", {"totals": totals}),
        "types/": ("types", "职权类型", {"types": types, "matrix": _matrix(frames["types"], types)}),
        "compare/": ("compare", "比较", {"compare": frames["compare"].to_dict(orient="records"),
                                        "supervised": _supervised(rows)}),
        "search/": ("search", "搜索", {"bundles": [_bundle(r) for r in rows]}),
        "opendata/": ("opendata", "开放数据", {"downloads": _downloads(frames)}),
    }
    for path, (template, title, context) in pages.items():
        html = env.get_template(f"{template}.html.j2").render(
            **common, **context, title=title, path=path, root="../" * path.count("/"))
        files[f"{path}index.html"] = html.encode("utf-8")
    for stem, _, _ in OPEN_DATA:
        files[f"opendata/{stem}.csv"] = tables.csv_bytes(frames[stem])
        files[f"opendata/{stem}.json"] = tables.json_bytes(frames[stem])
    for asset in ("portal.css", "portal.js"):
        files[f"assets/{asset}"] = (HERE / "assets" / asset).read_bytes()
    files["assets/favicon.svg"] = (PROJECT / "theme" / "assets" / "images" / "favicon.svg").read_bytes()
    files["sitemap.xml"] = _sitemap(common["portal_url"], [p for p in pages], latest)
    files["robots.txt"] = _robots(common["portal_url"], rows)
    for rel, data in files.items():
        _write(out / rel, data)
    return missing


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=False)
    env.filters["q"] = lambda text: quote(str(text), safe="")
    env.filters["cn_date"] = lambda iso: cn_date(dt.date.fromisoformat(iso)) if iso else ""
    env.filters["share"] = lambda value, whole: "—" if not whole or pd.isna(value) else f"{value:g}%"
    return env


def _bundle(row: dict) -> dict:
    """A body's search bundle and result address, relative to the search page, and its name as a filter value."""
    return {"id": row["id"], "name": row["name"], "bundle": f"../{row['id']}/pagefind/", "base": f"../{row['id']}/",
            "filter": filter_text(row["name"])}


def _matrix(frame: pd.DataFrame, types: list[str]) -> list[dict]:
    rows = []
    for rec in frame.to_dict(orient="records"):
        total = not rec["编号"]
        rows.append({"id": rec["编号"], "name": rec["单位"], "total": total, "sum": rec[tables.TOTAL],
                     "counts": {t: rec[t] for t in types}})
    return rows


def _supervised(rows: list[dict]) -> list[dict]:
    return [{"id": r["id"], "name": r["name"], "items": r["supervised"],
             "more": r["commitments"]["supervised"] - len(r["supervised"])}
            for r in rows if r["commitments"]["supervised"]]


def _downloads(frames: dict[str, pd.DataFrame]) -> list[dict]:
    out = []
    for stem, title, _ in OPEN_DATA:
        frame = frames[stem]
        count = len(frame) - (1 if stem == "types" and len(frame) else 0)  # its total row is not a body
        out.append({"stem": stem, "title": title, "count": count,
                    "csv_kb": f"{len(tables.csv_bytes(frame)) / 1024:.1f}",
                    "json_kb": f"{len(tables.json_bytes(frame)) / 1024:.1f}"})
    return out


def _sitemap(base: str, paths: list[str], latest: dt.date | None) -> bytes:
    lastmod = f"<lastmod>{latest.isoformat()}</lastmod>" if latest else ""
    urls = "".join(f"<url><loc>{xml_escape(base + p)}</loc>{lastmod}</url>\n" for p in paths)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n").encode()


def _robots(base: str, rows: list[dict]) -> bytes:
    """Crawlers read robots.txt only at a host's root: the portal's names each body's sitemap, and keeps out the
    bodies that keep crawlers out of their own site (搜索引擎收录：否)."""
    lines = ["User-agent: *"]
    prefix = urlparse(base).path or "/"
    lines += [f"Disallow: {prefix}{r['id']}/" if not r.get("robots", True) else "" for r in rows]
    lines = [line for line in lines if line] + ["Allow: /", "", f"Sitemap: {base}sitemap.xml"]
    lines += [f"Sitemap: {r['url']}sitemap.xml" for r in rows if r.get("robots", True)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _write(path: Path, data: bytes) -> None:
    """Each file replaced whole (written beside it, then renamed): a reader never sees half a page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.read_bytes() == data:
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_bytes(data)
    tmp.replace(path)
