"""What the search index reads of a page: its text with every Chinese character a word of its own.

Pagefind cuts Chinese text into words with a dictionary when it builds the index, and the browser cuts the query
with another (``Intl.Segmenter``); where they disagree a page that says the word is not found (帮扶, 核发, 廉政 are
one word to the index and two to Chromium), and searching a word by its characters finds pages that merely hold
them. Indexed as single characters, a page holds a word exactly when the word's characters stand at consecutive
positions, which is Pagefind's phrase search: the search front-end (``theme/assets/javascripts/search/``) asks for
``"核 发"`` and gets the pages that say 核发, no more and no fewer, whatever a dictionary knows
(``scripts/searchterms.py`` measures it; ``tests/test_search_terms.py`` holds the table).

The pages themselves are not changed: the index is built from a copy in which a space stands between two Chinese
characters inside the ``<article>`` Pagefind reads (text only; attributes such as filter values stay as written).
The front-end removes those spaces from the titles and excerpts it shows.
"""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_PAIR = re.compile(f"([{HAN}])(?=[{HAN}])")
# Where a mark must not stay: inside a tag (attribute values such as filter values and ids), a script or a style.
_MARKED_CODE = re.compile("<(script|style)\\b[^\x01]*?\x01.*?</\\1>|<[^>]*\x01[^>]*>", re.S)
MARK = "\x01"  # never in a page: the privacy guard refuses control characters in the data


def spaced(text: str) -> str:
    """A space between every two neighbouring Chinese characters: 核发证书 → 核 发 证 书."""
    return _PAIR.sub(r"\1 ", text)


def _unmark(match: re.Match) -> str:
    return match.group().replace(MARK, "")


def _spaced_markup(markup: str) -> str:
    # Marked everywhere in one pass, then unmarked where it is not text: far faster than walking the text nodes.
    marked = _PAIR.sub("\\1" + MARK, markup)
    return _MARKED_CODE.sub(_unmark, marked).replace(MARK, " ")


def index_copy(html: str) -> str | None:
    """The page as the index reads it, or None when the page is not indexed (nothing marked data-pagefind-body).
    Only the <article> changes: Pagefind reads nothing else (engine/search.py ROOT_SELECTOR)."""
    if "data-pagefind-body" not in html:
        return None
    start = html.find("<article")
    end = html.rfind("</article>")
    if start < 0 or end < start:
        return _spaced_markup(html)
    return html[:start] + _spaced_markup(html[start:end]) + html[end:]
