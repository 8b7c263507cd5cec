"""Keys for the theme's parts that are rendered once per folder (``ss_memo`` in the templates).

Record pages are kept out of the navigation: for them, Material's navigation, tabs, footer, head links and scripts
differ only in their relative links, which depend on the page's folder alone, so each part is rendered for the first
page of a folder and copied for the rest. Other pages (in the navigation: an active item, previous/next links) get
no key and are rendered in full. ``tests/test_paged_lists.py`` builds with and without and compares every page.
"""

from __future__ import annotations


def part_key(page, part: str, *extra) -> str:
    """The memo key of a theme part on this page, or "" where the part must be rendered for the page itself."""
    if page is None or not page.url or not page.file.inclusion.is_not_in_nav():
        return ""
    # The folder and the depth: a folder's own page (guide/) and a page inside it (guide/data/) share the folder
    # but not their relative links.
    folder = page.url.rstrip("/").rsplit("/", 1)[0]
    return " ".join([part, folder, str(page.url.count("/")), *map(str, extra)])


def toc_key(page) -> str:
    """The table of contents is the same on all pages with the same headings below the title (theme/partials/toc.html
    leaves out the one top-level heading)."""
    toc = list(page.toc) if page is not None else []
    if len(toc) == 1 and toc[0].level == 1:
        toc = list(toc[0].children)
    return part_key(page, "toc", repr(_shape(toc)))


def _shape(items) -> tuple:
    return tuple((item.title, item.url, item.level, _shape(item.children)) for item in items)
