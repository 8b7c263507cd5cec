"""Where each record lives: its page URL, its page source and its wall board. The one home of these schemes."""

from __future__ import annotations

from ..records.fields import KINDS

BOARD_DIR = "posters"
BOARD_KINDS = ("posts", "departments", "projects")


def page_url(kind: str, record_id: str = "") -> str:
    """Site-relative directory URL of a record page or a list page (``powers/CW-001/``)."""
    prefix = KINDS[kind].url
    return f"{prefix}/{record_id}/" if record_id else f"{prefix}/"


def page_source(kind: str, record_id: str) -> str:
    """The generated Markdown source of a record page (``powers/CW-001.md``)."""
    return f"{KINDS[kind].url}/{record_id}.md"


def board_path(kind: str, record_id: str) -> str:
    """Site path of a record's wall board (``posters/posts/CW-KJ.pdf``)."""
    return f"{BOARD_DIR}/{kind}/{record_id}.pdf"
