"""Long lists split into pages (issue 11): plain page links without scripts, the whole list filterable with them.

The sample's lists are short, so the site is built with 4 rows per page: the same code paths a 10,000-record body
takes at 500."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import expect

from generator.facts.view import Facts
from generator.records.dataset import load_dataset

from .conftest import DATA, ROOT, LocalServer

PER_PAGE = 4


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("paged") / "site"
    cfg = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), strict=True)
    plugin = cfg.plugins["sunshine"]
    plugin.config.data_dir = str(DATA)
    plugin.config.rows_per_page = PER_PAGE
    plugin.config.posters = plugin.config.handbook = plugin.config.search = False
    build(cfg)
    return site


@pytest.fixture(scope="module")
def paged(paged_site):
    server = LocalServer(paged_site)
    yield server.base
    server.close()


def public_powers():
    return Facts(load_dataset(DATA)[0]).powers


def rows(html: str) -> list[str]:
    return re.findall(r'<td class="ss-cell-code" data-label="编码"><code>([^<]+)</code>', html)


def test_every_power_is_on_exactly_one_page_and_the_pages_link_each_other(paged_site):
    public = sorted(p.code for p in public_powers())
    first = (paged_site / "powers/index.html").read_text(encoding="utf-8")
    count = -(-len(public) // PER_PAGE)
    pages = [first] + [(paged_site / f"powers/page/{n}/index.html").read_text(encoding="utf-8")
                       for n in range(2, count + 1)]
    assert not (paged_site / f"powers/page/{count + 1}").exists()
    seen = [code for html in pages for code in rows(html)]
    assert sorted(seen) == public and len(seen) == len(set(seen))
    assert all(0 < len(rows(html)) <= PER_PAGE for html in pages)
    assert f'<a href="page/{count}/">{count}</a>' in first
    second = pages[1]
    assert '<a href="../../">1</a>' in second and '<span aria-current="page">2</span>' in second
    assert "<title>职权目录（第 2 页）" in second
    # Links in a later page point at the records from where that page is.
    code = rows(second)[0]
    assert f'href="../../{code}/"' in second


def test_without_scripts_the_page_links_walk_the_list(browser, paged):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(paged + "powers/")
    first = pg.locator("tbody tr").all_inner_texts()
    assert len(first) == PER_PAGE
    pg.locator("nav.ss-pager a", has_text="2").click()
    assert pg.url.endswith("/powers/page/2/")
    assert pg.locator("tbody tr").count() == PER_PAGE and pg.locator("tbody tr").all_inner_texts() != first
    pg.locator("tbody tr a").first.click()
    assert pg.locator("h1").count() == 1 and "/powers/page/" not in pg.url
    context.close()


def test_filtering_a_paged_list_fetches_every_row(page, paged, paged_site):
    facts = Facts(load_dataset(DATA)[0])
    total = len(facts.powers)
    page.goto(paged + "powers/page/2/")
    page.get_by_role("button", name=f"筛选、排序全部 {total} 项").click()
    expect(page.locator(".ss-count")).to_have_text(f"显示 {total} / {total} 项")
    expect(page.locator("nav.ss-pager")).to_be_hidden()
    page.locator(".ss-toolbar label", has_text="部门").locator("select").select_option("财务部")
    visible = page.locator("tbody tr:not([hidden])")
    finance = sum(1 for p in facts.powers if facts.ds.departments[p.department].name == "财务部")
    expect(page.locator(".ss-count")).to_have_text(f"显示 {finance} / {total} 项")
    # Rows fetched from the first page keep working links from this one.
    hrefs = visible.locator("td.ss-cell-title a").evaluate_all("links => links.map(a => a.href)")
    assert len(hrefs) == finance
    for href in hrefs:
        path = urllib.parse.urlsplit(href).path
        assert (paged_site / path.lstrip("/") / "index.html").is_file(), href
    # The choice is in the address: a fresh visit loads every row and filters at once.
    fresh = page.context.new_page()
    fresh.goto(page.url)
    expect(fresh.locator(".ss-count")).to_have_text(f"显示 {finance} / {total} 项")


def test_record_pages_list_the_first_rows_and_link_to_the_whole_list(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from synthetic import make_dataset

    from generator.web.pages import RECORD_ROWS, PageSet

    ds, report = load_dataset(make_dataset(tmp_path / "data", powers=200, risks_per_power=0.5))
    assert report.ok
    pages = PageSet(Facts(ds)).sources()
    post = pages["posts/JC-ZF.md"]  # 101 powers, 101 risks
    assert len(re.findall(r'<td class="ss-cell-code" data-label="编码">', post)) == RECORD_ROWS
    assert f"共 101 项职权，此处列出前 {RECORD_ROWS} 项。" in post
    dept = urllib.parse.quote("劳动保障监察支队")
    assert f'<a href="../../powers/?%E9%83%A8%E9%97%A8={dept}">在职权目录中查看全部</a>' in post
    assert f"共 101 个风险点，此处列出前 {RECORD_ROWS} 个。" in post
    assert "另有 91 个，见" in post  # the flow's step with every risk
    flow = pages["flows/CF.md"]
    assert "此处列出前" in flow


def test_record_pages_rendered_in_two_processes_are_the_same_pages(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from synthetic import make_dataset

    from generator.web.pages import PARALLEL_FROM, PageSet

    ds, report = load_dataset(make_dataset(tmp_path / "data", powers=PARALLEL_FROM, risks_per_power=0.5))
    assert report.ok
    facts = Facts(ds)
    one, two = PageSet(facts).sources(), PageSet(facts, jobs=2).sources()
    assert list(one) == list(two) and one == two
