"""Pagefind reads only each page's <article> (``ROOT_SELECTOR``): that loses nothing it would index, so the index
is the one it makes reading whole pages."""

from __future__ import annotations

import filecmp
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.site.search import ROOT_SELECTOR, _fast_tmp, canonicalise, write_index_copies
from generator.web.searchtext import index_copy, spaced

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Marks(HTMLParser):
    """Each element with a data-pagefind-* attribute, and whether it lies inside an <article>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.marks: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        names = [name for name, _ in attrs if name.startswith("data-pagefind-")]
        if names:
            self.marks.append((f"<{tag} {' '.join(names)}>", "article" in self.stack or tag == "article"))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:  # close what the tag closes (HTML leaves some end tags out)
            while self.stack.pop() != tag:
                pass


def marks_outside_the_article(site: Path) -> list[str]:
    outside = []
    for page in sorted(site.rglob("*.html")):
        parser = _Marks()
        parser.feed(page.read_text(encoding="utf-8"))
        outside += [f"{page.relative_to(site)}: {mark}" for mark, inside in parser.marks if not inside]
    return outside


@pytest.mark.parametrize("site_name", ["sample_site", "second_site", "everywhere_site"])
def test_every_mark_pagefind_reads_is_inside_the_article(site_name, request):
    assert ROOT_SELECTOR == "article"
    site = request.getfixturevalue(site_name)
    assert sum(1 for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")) > 15
    assert marks_outside_the_article(site) == []


def test_the_index_equals_pagefinds_index_of_whole_pages(sample_site, tmp_path):
    """Pagefind given the whole of each page (as the index reads it: web/searchtext.py) makes the same index."""
    whole = tmp_path / "pagefind"
    # Where the build writes them: Pagefind numbers pages in the order the folder lists them.
    with tempfile.TemporaryDirectory(dir=_fast_tmp()) as copies:
        write_index_copies(sample_site, Path(copies))
        subprocess.run([sys.executable, "-m", "pagefind", "--site", copies, "--silent", "--output-path",
                        str(whole)], check=True, capture_output=True, timeout=600)
    canonicalise(whole)
    built = sample_site / "pagefind"
    names = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(whole).as_posix() for p in whole.rglob("*") if p.is_file())
    assert len([n for n in names if n.startswith("fragment/")]) > 20
    assert [n for n in names if not filecmp.cmp(built / n, whole / n, shallow=False)] == []


def test_the_index_reads_each_chinese_character_as_a_word_and_the_pages_stay_as_they_are(sample_site):
    """Index copies space out the Chinese of the article's text only: attribute values (filter values, ids, links)
    and the page a visitor gets are as written."""
    page = (sample_site / "powers" / "BZB-001" / "index.html").read_text(encoding="utf-8")
    assert "困难职工帮扶资金审批</h1>" in page and "困 难" not in page
    copy = index_copy(page)
    assert "困 难 职 工 帮 扶 资 金 审 批</h1>" in copy
    assert 'data-pagefind-filter="部门:保障工作部"' in copy and 'href="#廉政风险点"' in copy
    assert copy[:copy.index("<article")] == page[:page.index("<article")]
    assert index_copy("<html><body><p>没有正文标记</p></body></html>") is None
    assert spaced("核发证书 BZB-001，10个工作日") == "核 发 证 书 BZB-001，10个 工 作 日"
