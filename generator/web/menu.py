"""What the site's menu holds, computed from what the body publishes: a kind with no public records has no menu
entry, no home card and no list page; the body's own pages follow its folders; the web team's pages (the guide, the
field reference, the problem codes) are not in it.

The menu is plain data (title, page source path, children); the site engine turns it into its own navigation.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..facts.view import Facts
from ..records.pages import BodyPage

# The web team's pages: under their own path, out of the menu, the sitemap and the search index, marked noindex and
# linked from the footer (the preview shows them as every build does).
STAFF_FOLDER = "guide/"

# Sections of generated pages, in menu order: (kind, menu title, list page).
SECTIONS = (
    ("powers", "职权目录", "powers/index.md"),
    ("flows", "运行流程", "flows/index.md"),
    ("risks", "廉政风险", "risks/index.md"),
    ("posts", "岗位", "posts/index.md"),
    ("departments", "部门", "departments/index.md"),
    ("projects", "承诺事项", "projects/index.md"),
    ("decisions", "重大决策", "decisions/index.md"),
)
METHOD_PAGE = "projects/method.md"


@dataclass(frozen=True)
class MenuItem:
    title: str
    path: str = ""  # the page's source path ("" for a section without a page of its own)
    children: tuple[MenuItem, ...] = ()


def published(facts: Facts) -> frozenset[str]:
    """The sections that have something public to show: each kind with public records, and ``withheld`` when some
    powers are withheld (their names are published)."""
    kinds = {kind for kind, _, _ in SECTIONS if getattr(facts, kind)}
    if facts.withheld:
        kinds.add("withheld")
    return frozenset(kinds)


# How the home page names what the body publishes, and what one can search for, kind by kind.
PUBLISHED_WHAT = (("powers", "职权目录"), ("flows", "权力运行流程"), ("risks", "廉政风险点及防控措施"),
                  ("projects", "承诺事项的进展"), ("decisions", "重大决策"))
SEARCHABLE_WHAT = (("powers", "职权"), ("flows", "流程"), ("posts", "岗位"), ("risks", "风险点"),
                   ("projects", "承诺事项"), ("decisions", "重大决策"))


CHECKED_WHAT = (("powers", "职权"), ("risks", "风险点"), ("decisions", "重大决策"))  # the kinds with 核对日期


def in_words(shown: frozenset[str], words: tuple[tuple[str, str], ...], last: str, none: str = "部门和岗位") -> str:
    """The published kinds' words in a Chinese list: 甲、乙和丙 (``last`` joins the last two); ``none`` when the body
    publishes none of them."""
    named = [word for kind, word in words if kind in shown]
    if not named:
        return none
    return named[0] if len(named) == 1 else "、".join(named[:-1]) + last + named[-1]


def header_search_words(shown: frozenset[str]) -> str:
    """The header search box's hint: the first three kinds one can search for (a short box: 职权、岗位、风险点)."""
    words = [word for kind, word in SEARCHABLE_WHAT if kind in shown and kind != "flows"][:3]
    return "、".join(words) or "本站"


def is_staff_page(src_path: str) -> bool:
    return src_path.startswith(STAFF_FOLDER)


def site_menu(facts: Facts, *, history: bool, opendata: bool, search: bool) -> list[MenuItem]:
    """The menu: home, each section the body publishes, its own pages, then the site's own pages that have
    something to show (``history``: the change history lists versions)."""
    shown = published(facts)
    menu = [MenuItem("首页", "index.md")]
    for kind, title, page in SECTIONS:
        if kind not in shown:
            continue
        if kind == "projects":
            menu.append(MenuItem(title, children=(MenuItem("", page), MenuItem("计算方法", METHOD_PAGE))))
        else:
            menu.append(MenuItem(title, page))
    menu += page_menu(facts.ds.pages)
    if "withheld" in shown:
        menu.append(MenuItem("不予公开事项", "withheld.md"))
    menu.append(MenuItem("关于本站", "about.md"))
    if opendata:
        menu.append(MenuItem("开放数据", "opendata.md"))
    if history:
        menu.append(MenuItem("修订历史", "changes.md"))
    if search:
        menu.append(MenuItem("搜索", "search.md"))
    return menu


def page_menu(pages: tuple[BodyPage, ...] | list[BodyPage], folder: str = "") -> list[MenuItem]:
    """The body's pages as they lie in its folder: a page is an entry, a folder a section titled by its index.md (or,
    without one, by the folder's name) that opens on that page."""
    items: list[MenuItem] = []
    inside = [p for p in pages if p.folder == folder or p.folder.startswith(folder + "/" if folder else "")]
    subfolders = list(dict.fromkeys(p.folder[len(folder):].lstrip("/").split("/")[0] for p in inside
                                    if p.folder != folder))
    for page in inside:
        if page.folder == folder and not (folder and page.is_index):
            items.append(MenuItem(page.title, page.path))
    for name in subfolders:
        path = f"{folder}/{name}" if folder else name
        index = next((p for p in pages if p.folder == path and p.is_index), None)
        children = page_menu(pages, path)
        if index is not None:
            children.insert(0, MenuItem("", index.path))
        items.append(MenuItem(index.title if index else name, children=tuple(children)))
    return items


def menu_paths(menu: list[MenuItem]) -> set[str]:
    """Every page the menu links."""
    out = set()
    for item in menu:
        if item.path:
            out.add(item.path)
        out |= menu_paths(list(item.children))
    return out


def site_description(facts) -> str:
    """The pages' meta description: the body and what it publishes."""
    shown = [title for kind, title, _ in SECTIONS if getattr(facts, kind) and kind != "departments"]
    return f"{facts.ds.site.name}公开" + "、".join(shown or ["部门"])


# Pages that may exist whatever the data: while the first preview build has data errors, they answer with the errors.
ALWAYS_PAGES = sorted({"index.md", "about.md", "withheld.md", "search.md", "opendata.md", "projects/method.md",
                       "changes.md", *(page for _, _, page in SECTIONS)})
