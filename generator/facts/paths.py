"""Where each record lives: its page URL, its page source and its wall board. The one home of these schemes."""

from __future__ import annotations

from ..records.fields import KINDS

BOARD_DIR = "posters"
BOARD_KINDS = ("posts", "departments", "projects")


def page_url(kind: str, record_id: str = "") -> str:
    """Site-relative directory URL of a record page or a list page (``powers/CW-001/``)."""
    prefix = KINDS[kind].url
    return f"{prefix}/{record_id}/" if record_id else f"{prefix}/"


CHART_FILE = "chart.svg"


def chart_path(flow_id: str) -> str:
    """Site path of a flow's chart as a file of its own, beside its page (``flows/CWBX/chart.svg``)."""
    return page_url("flows", flow_id) + CHART_FILE


def page_source(kind: str, record_id: str) -> str:
    """The generated Markdown source of a record page (``powers/CW-001.md``)."""
    return f"{KINDS[kind].url}/{record_id}.md"


def board_path(kind: str, record_id: str) -> str:
    """Site path of a record's wall board (``posters/posts/CW-KJ.pdf``)."""
    return f"{BOARD_DIR}/{kind}/{record_id}.pdf"


def relative_path(target: str, here: str) -> str:
    """``posixpath.relpath(target, here)`` for the site's own paths (relative, with no ``..``), without the two
    ``abspath`` calls (each asks the system for the working folder) it makes: pages ask this hundreds of thousands of
    times in a large build."""
    to = [part for part in target.split("/") if part and part != "."]
    base = [part for part in here.split("/") if part and part != "."]
    common = 0
    while common < len(to) and common < len(base) and to[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."
