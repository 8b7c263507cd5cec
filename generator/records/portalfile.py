"""A portal's settings file (portal.yml): read and checked through the field registry (``PORTAL_FIELDS``) like a
body's site.yml, every problem located in the same report."""

from __future__ import annotations

import re
from pathlib import Path

from .controls import visible
from .convert import Converter, default_vocabularies
from .fields import PORTAL_FIELDS
from .files import map_fields
from .model import Portal
from .privacy import Guard
from .problems import Location, Report
from .sources import read_text, read_yaml

# The same rule as a body's 网址 (records/dataset.py): nothing that could leave an HTML attribute.
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?(/[A-Za-z0-9._~%/-]*)?$")


def load_portal(path: Path) -> tuple[Portal | None, Report]:
    report = Report()
    shown = path.as_posix()
    if not path.is_file():
        report.add("missing-file", Location(shown), "找不到门户设置文件（至少要写门户的名称和网址）",
                   hint="用 --portal 指定门户设置文件，写法见 docs/portal.md")
        return None, report
    text = read_text(path, shown, report)
    root = read_yaml(text, shown, report) if text is not None else None
    if root is None:
        if report.ok:
            report.add("empty-file", Location(shown, 1, 1), "门户设置文件没有内容")
        return None, report
    cells = map_fields(root, PORTAL_FIELDS, report)
    if cells is None:
        return None, report
    guard = Guard(report, set())
    for key, cell in cells.items():
        guard.cells(cell, next(f for f in PORTAL_FIELDS if f.key == key))
    portal = Converter(report, default_vocabularies()).record("portal", PORTAL_FIELDS, cells, root.loc)
    if portal.base_url and not _URL.match(portal.base_url):
        report.add("bad-url", portal.loc_of("base_url"), f"“{visible(portal.base_url)}”不是网址", field="网址")
    return (portal if report.ok else None), report
