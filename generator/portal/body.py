"""One body's job in a portal: its site built into ``OUT/<id>/`` with the portal's address, and its row of the
portal's open data (``OUT/opendata/bodies/<id>.json``). The same command runs as a CI matrix job and, side by side,
on a machine's cores (``portal/run.py``).

A body whose inputs did not change is not built again: the row keeps the key of the inputs its pages were built from
(the body's files, its folder's git history, the portal's address, the generator's code and tools, ``content/``), and
a build with the same key reuses the folder as it is. A body with errors is not built: its report is printed, and its
previous pages and row stay as they were."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from ..facts.checks import load_checked
from ..facts.view import Facts
from ..records.editions import git
from ..records.fields import SITE_FIELDS
from ..records.files import map_fields
from ..records.model import Portal
from ..records.problems import Location, Report
from ..records.sources import read_text, read_yaml
from ..site.cache import PROJECT, code_version
from .summary import body_summary, dumps

ROWS = "opendata/bodies"  # each body's row of the portal's open data, written by the body's job
# What the portal itself writes at the top of its folder: a body's id may not be one of them.
PORTAL_NAMES = frozenset({"index.html", "404.html", "types", "compare", "search", "opendata", "assets", "robots.txt",
                          "sitemap.xml"})


def row_path(out: Path, body_id: str) -> Path:
    return out / ROWS / f"{body_id}.json"


def read_row(out: Path, body_id: str) -> dict | None:
    try:
        return json.loads(row_path(out, body_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def site_id(data_dir: Path) -> str:
    """The body's id as its site.yml writes it ("" when it writes none or cannot be read): the portal needs it before
    any body is built, to refuse two bodies with one id."""
    path = next((p for p in sorted(data_dir.glob("*")) if p.name.lower() in ("site.yml", "site.yaml")), None)
    if path is None:
        return ""
    quiet = Report()
    text = read_text(path, path.as_posix(), quiet)
    root = read_yaml(text, path.as_posix(), quiet) if text is not None else None
    cells = map_fields(root, SITE_FIELDS, quiet) if root is not None else None
    cell = (cells or {}).get("id")
    return cell.value.strip() if cell is not None and isinstance(cell.value, str) else ""


def id_problems(ds, data_dir: Path, report: Report) -> None:
    """A body built into a portal needs its id (its pages' address there); the portal's own names are taken."""
    site = ds.site
    if not site.id:
        where = site.loc if site.loc and site.loc.file else Location((data_dir / "site.yml").as_posix())
        report.add("no-body-id", where,
                   f"“{site.name}”的 site.yml 没有“编号”：门户中本单位的网页放在“门户网址/编号/”下", field="编号")
    elif site.id.lower() in PORTAL_NAMES:
        report.add("reserved-id", site.loc_of("id"), f"编号“{site.id}”是门户自用的名称，不能用作单位编号",
                   field="编号")


def build_key(data_dir: Path, base_url: str) -> str:
    """A hash of everything a body's pages are made from: the body's files, its folder's published history, the
    address, the generator's code and tools (the cache's code version) and the body-neutral pages (content/)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(code_version().encode() + b"\0" + base_url.encode() + b"\0")
    for root in (data_dir, PROJECT / "content"):
        for path in sorted(root.rglob("*")):
            if ".git" in path.relative_to(root).parts or not path.is_file():
                continue
            h.update(path.relative_to(root).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            h.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    # the versions (第 N 版) and the change history come from the folder's commits; uncommitted changes are none
    h.update(git(data_dir, "log", "--first-parent", "--format=%H", "--", ".") or b"-")
    h.update(git(data_dir, "status", "--porcelain", "--", ".") or b"-")
    return h.hexdigest()


def build_body(data_dir: Path, out: Path, portal: Portal, jobs: int = 0, fmt: str = "text") -> int:
    """Build one body into ``out/<id>/`` (unless its inputs are those of the pages there); the exit code."""
    from ..engine.build import build_site

    # Unchanged inputs were checked and built before with this same code: the same check would say the same.
    known = site_id(data_dir)
    if known and known.lower() not in PORTAL_NAMES and _reusable(data_dir, out, known, portal):
        print(f"{data_dir}：数据和程序都没有改动，沿用 {out / known}/")
        return 0
    ds, report = load_checked(data_dir)
    # the portal gives every body its address: a body's own 网址 (or its absence) is not this build's concern
    report.problems = [p for p in report.problems if p.code != "no-base-url"]
    if ds is not None:
        id_problems(ds, data_dir, report)
    if report.problems:
        print(report.format(fmt), file=sys.stdout if report.ok else sys.stderr)
    if not report.ok or ds is None:
        print(f"{data_dir}：数据有错误，本单位没有生成；门户中本单位原有的网页保持不变。", file=sys.stderr)
        return 1
    body_id, base_url = ds.site.id, portal.body_url(ds.site.id)
    key = build_key(data_dir, base_url)
    target = out / body_id
    ds.site.base_url = base_url  # the pages' address (the session does the same with its setting)
    code = build_site(ds, data_dir, target, base_url=base_url, jobs=jobs)
    if code:
        return code
    _write_atomic(row_path(out, body_id), dumps(body_summary(Facts(ds), body_id, key)))
    return 0


def _reusable(data_dir: Path, out: Path, body_id: str, portal: Portal) -> bool:
    row = read_row(out, body_id)
    return row is not None and row.get("build_key") == build_key(data_dir, portal.body_url(body_id)) \
        and (out / body_id / "index.html").is_file()


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_bytes(data)
    tmp.replace(path)
