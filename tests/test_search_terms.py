"""Search counts right: for every word of the term table (tests/search_terms.yml), the header box and the search
page each say the number of pages that hold it and list those pages, no more and no fewer — words Chromium's segmenter
cuts (帮扶, 核发, 现场检查, 施工许可) included. scripts/searchterms.py measures it the same way for ``make bench``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

from searchterms import holders, indexed_texts, load_terms, measure  # noqa: E402

pytestmark = pytest.mark.browser
TABLE = ROOT / "tests" / "search_terms.yml"
SITES = {"示例": "sample_site", "第二": "second_site", "住建": "long_site"}


def test_the_table_holds_words_the_segmenter_cuts_and_words_no_page_holds():
    terms = [t for body in SITES for t in load_terms(TABLE, body)]
    assert len(terms) >= 60
    assert all(2 <= len(t["term"]) <= 5 for t in terms)
    assert sum(1 for t in terms if t.get("cut")) >= 30
    assert {"帮扶", "廉政", "核发", "现场检查", "施工许可"} <= {t["term"] for t in terms if t.get("cut")}
    assert any(t["pages"] == 0 for t in terms)


@pytest.mark.parametrize("body", list(SITES))
def test_the_pages_holding_each_word_are_as_the_table_says(body, request):
    texts = indexed_texts(request.getfixturevalue(SITES[body]))
    wrong = {t["term"]: (t["pages"], len(holders(texts, t["term"]))) for t in load_terms(TABLE, body)
             if len(holders(texts, t["term"])) != t["pages"]}
    assert wrong == {}, "table count, pages now: check the pages and update tests/search_terms.yml"


@pytest.mark.parametrize("body", list(SITES))
def test_search_finds_exactly_the_pages_that_hold_each_word(body, request, browser):
    site: Path = request.getfixturevalue(SITES[body])
    measures = measure(site, [t["term"] for t in load_terms(TABLE, body)], browser=browser)
    wrong = []
    for m in measures:
        truth = len(m.truth)
        shown_ok = set(m.box_shown) <= m.truth and len(m.box_shown) == min(8, truth)
        if not (m.box_count == truth == m.page_count and set(m.page_found) == m.truth and shown_ok
                and len(m.page_found) == truth):
            wrong.append(f"{m.term}: 含该词 {truth} 页；搜索框说 {m.box_count}、列出 {len(m.box_shown)}"
                         f"（{len(set(m.box_shown) - m.truth)} 个不含）；搜索页说 {m.page_count}、列出 {len(m.page_found)}"
                         f"（漏 {len(m.truth - set(m.page_found))}，多 {len(set(m.page_found) - m.truth)}）")
    assert wrong == []
