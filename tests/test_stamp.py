"""Record pages stamped into their folder's frame (site/stamp.py) are the pages MkDocs renders for each record:
the sample, the second body, the every-field-hostile data and the town are built both ways (``stamp: false`` has
MkDocs render every record page itself, the reference) and compared byte for byte, every file of the site."""

from __future__ import annotations

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.site.stamp import PROBES, Shell, ShellError, TocEntry, shell_source

from .conftest import DATA, ROOT, SECOND_BODY
from .hostile import make_hostile_everywhere


def _site(data, site, stamp: bool) -> dict:
    cfg = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), strict=True)
    plugin = cfg.plugins["sunshine"]
    plugin.config.data_dir = str(data)
    plugin.config.rows_per_page = 4  # paged lists too
    plugin.config.posters = plugin.config.handbook = plugin.config.search = False
    plugin.config.stamp = stamp
    build(cfg)
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.mark.parametrize("body", ["sample", "second", "everywhere", "town"])
def test_stamped_pages_are_the_pages_mkdocs_renders(body, tmp_path):
    data = {"sample": DATA, "second": SECOND_BODY, "town": ROOT / "tests/fixtures/town"}.get(body)
    if body == "everywhere":
        data = make_hostile_everywhere(DATA, tmp_path / "data")
    stamped, rendered = _site(data, tmp_path / "stamped", True), _site(data, tmp_path / "rendered", False)
    assert stamped.keys() == rendered.keys()
    assert sum(1 for p in stamped if p.count("/") == 2 and p.endswith("/index.html")) >= 10  # records are in it
    assert [p for p in stamped if stamped[p] != rendered[p]] == []
    assert not [p for p in stamped if "ss-shell-" in p]  # the frames are gone


FRAME = ("<html><head><title>SSSLOTTITLE - 站</title><link rel=canonical href=https://x.cn/powers/ss-shell-1/>"
         '</head><body><a href="#ssslottoc" class="md-skip">跳</a>\n<ul>\n<li class="md-nav__item">\n'
         '<a href="#ssslottoc" class="md-nav__link">\nSSSLOTTOC\n</a>\n</li>\n</ul>\n'
         '<article><!--ss:article <h1 -->\n<h2 id="ssslottoc">SSSLOTTOC</h2></article></body></html>')


def test_a_frame_is_filled_at_each_of_its_slots():
    shell = Shell.parse(FRAME, "powers", "ss-shell-1", with_toc=True)
    page = shell.stamp("ZY-001", "培训补贴", "", "<h1>培训补贴</h1><h2 id=\"依据\">依据</h2>",
                       [TocEntry("依据", "依据"), TocEntry("风险", "风险")])
    assert "<title>培训补贴 - 站</title>" in page and "/powers/ZY-001/" in page and "ss-shell" not in page
    assert '<a href="#依据" class="md-skip">' in page  # the skip link goes to the first heading
    assert page.count('class="md-nav__link"') == 2 and "SSSLOT" not in page
    assert "<article><h1>培训补贴</h1>" in page


def test_a_frame_without_its_slots_is_refused():
    with pytest.raises(ShellError):
        Shell.parse(FRAME.replace("<!--ss:article", "<!--"), "powers", "ss-shell-1", with_toc=True)


def test_the_frame_source_says_what_the_theme_looks_for():
    source = shell_source(['title: "SSSLOTTITLE"'], True, PROBES)
    assert source.startswith('---\ntitle: "SSSLOTTITLE"\n---\n') and "<h1 ss-updated -->" in source
