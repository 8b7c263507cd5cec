"""Pagefind reads only each page's <article> (``ROOT_SELECTOR``): that loses nothing it would index, so the index
is the one it makes reading whole pages."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.site.search import ROOT_SELECTOR, canonicalise

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
    whole = tmp_path / "pagefind"
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(sample_site), "--silent", "--output-path",
                    str(whole)], check=True, capture_output=True, timeout=600)
    canonicalise(whole)
    built = sample_site / "pagefind"
    names = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(whole).as_posix() for p in whole.rglob("*") if p.is_file())
    assert len([n for n in names if n.startswith("fragment/")]) > 20
    assert [n for n in names if not filecmp.cmp(built / n, whole / n, shallow=False)] == []
