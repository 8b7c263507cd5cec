"""The upstream surface in one place: the MkDocs and Material versions this project was tested with, and what of
theirs it overrides.

Everything else in ``engine/`` uses MkDocs' public plugin API only (events, ``File.generated``, ``InclusionLevel``,
the config). The theme overrides in ``theme/`` replace whole Material templates; ``tests/test_theme_drift.py`` diffs
each against the installed Material's and fails on a difference not recorded in ``tests/theme_drift/``, so an
upgrade says which override to look at again. ``docs/architecture.md`` says what moving off MkDocs takes.
"""

from __future__ import annotations

import logging
import sys
from importlib.metadata import version

# The versions the tests ran on; another is used, but said once, so a failure after an upgrade is traced quickly.
TESTED = {"mkdocs": "1.6.1", "mkdocs-material": "9.8.2"}

# Material's templates overridden in theme/ (theme path → why). main.html extends Material's base.html and 404.html
# replaces Material's; the partials replace Material's own.
OVERRIDES = {
    "main.html": "blocks: the notice, the article marked for Pagefind, large-text switch, Pagefind's UI on /search/, "
                 "跳到正文 as the first stop and 当前位置 on every page",
    "404.html": "a Chinese page with a search box that works without scripts, 当前位置 and 正文 as on every page",
    "sitemap.xml": "the web team's pages left out",
    "partials/copyright.html": "the government-site footer (主办单位, 备案号, 监督举报) from site.yml",
    "partials/header.html": "Pagefind's search box instead of lunr's (search/pagefind.js), the large-text switch",
    "partials/logo.html": "the image sized (no layout shift), empty alt inside the named link",
    "partials/nav-item.html": "no empty tabindex on section labels (invalid HTML)",
    "partials/toc.html": "the title a <label> only where the __toc switch exists (invalid HTML elsewhere)",
}

_said: set[str] = set()


def check_versions() -> list[str]:
    """The installed versions that differ from the tested ones, said once per process."""
    out = []
    for package, tested in TESTED.items():
        found = version(package)
        if found != tested:
            out.append(f"{package} {found}（本项目用 {tested} 测试）")
    for note in out:
        if note not in _said:
            _said.add(note)
            print(f"提示：{note}；如页面异常，先看 tests/test_theme_drift.py 的结果", file=sys.stderr)
    return out


def quiet_dirty_warning() -> None:
    """`mkdocs serve --dirty` warns that a dirty build may leave stale pages, and a strict build counts the warning:
    ours rewrites every generated page and frame on each rebuild, so the warning is left out (a log filter on
    MkDocs' own logger, by the message's opening words)."""
    logging.getLogger("mkdocs.commands.build").addFilter(_not_dirty_warning)


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")
