"""The built site in headless Chromium (Debian's browser driven by Playwright), as a visitor uses it."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import LocalServer
from .test_posters import qr_of

pytestmark = pytest.mark.browser

PAGE_KINDS = ["", "powers/", "powers/BZB-001/", "risks/R-BF-01/", "posts/BZB-BF/", "departments/BZB/",
              "projects/", "projects/ZYXD/", "flows/KNBF/", "risks/", "posts/", "withheld/", "search/"]
LIST_PAGES = ["powers/", "risks/", "posts/", "departments/", "flows/", "projects/", "withheld/", "decisions/"]


def header_search(page, base: str, query: str) -> list[str]:
    page.goto(base)
    box = page.locator(".ss-header-search input")
    box.fill(query)
    page.wait_for_selector(".ss-header-search .ss-header-results__link", timeout=10_000)
    return page.locator(".ss-header-search .ss-header-results__link").all_inner_texts()


def test_chinese_query_in_the_header_finds_the_power_and_the_project(page, sample):
    titles = header_search(page, sample, "帮扶资金")
    assert any("困难职工帮扶资金审批" in t for t in titles), titles
    assert any(t.startswith("【职权 · 保障工作部】") for t in titles), titles
    titles = header_search(page, sample, "胃康")
    assert any("胃康行动" in t and "承诺事项" in t for t in titles), titles


def test_a_word_the_browser_cannot_segment_ranks_the_pages_that_say_it_first(page, sample):
    """Chromium's Intl.Segmenter cuts 帮扶 and 廉政 into single characters: Pagefind alone found only the pages with
    a word starting with each (15 of the 36 that say 帮扶) and ranked 扶持… and 政务… first."""
    titles = header_search(page, sample, "帮扶")
    assert all("帮扶" in t for t in titles[:5]), titles
    found = int(re.search(r"找到 (\d+) 条", page.locator(".ss-header-results__summary").inner_text()).group(1))
    assert found >= 30, found  # 15 before: only the pages with a word starting with 扶 as well
    titles = header_search(page, sample, "帮扶资金")
    assert "帮扶资金" in titles[0] and any("困难职工帮扶资金审批" in t for t in titles[:3]), titles
    header_search(page, sample, "廉政")
    shown = page.locator(".ss-header-search .ss-header-results li").all_inner_texts()
    assert all("廉政" in t for t in shown[:5]), shown  # in the excerpt: no name says 廉政
    page.goto(sample + "search/?q=" + urllib.parse.quote("帮扶"))
    link = page.locator("#ss-search-page .pagefind-ui__result-link").first
    link.wait_for(timeout=10_000)
    assert "帮扶" in link.inner_text(), link.inner_text()


def test_search_has_facets_for_kind_department_category_and_level(page, sample):
    page.goto(sample + "search/")
    filters = page.evaluate("""async () => {
        const pf = await import(new URL("../pagefind/pagefind.js", document.baseURI).href);
        await pf.init();
        return await pf.filters();
    }""")
    assert {"类型", "部门", "类别", "风险等级"} <= set(filters)
    assert {"职权", "风险点", "岗位", "承诺事项"} <= set(filters["类型"])
    assert set(filters["风险等级"]) == {"高", "中", "低"}


def test_search_page_takes_the_query_from_the_address(page, sample):
    page.goto(sample + "search/?q=%E9%87%87%E8%B4%AD")  # 采购
    page.wait_for_selector("#ss-search-page .pagefind-ui__result-link", timeout=10_000)
    assert any("采购" in t for t in page.locator("#ss-search-page .pagefind-ui__result-link").all_inner_texts())


def test_second_body_is_found_by_words_from_its_names(page, second_site):
    server = LocalServer(second_site)
    try:
        titles = header_search(page, server.base, "拖欠工资")
        assert any("拖欠工资行政处罚" in t for t in titles), titles
    finally:
        server.close()


def test_list_filter_narrows_the_table(page, sample):
    page.goto(sample + "powers/")
    rows = page.locator("table.ss-filterable tbody tr")
    total = rows.count()
    page.locator(".ss-toolbar label", has_text="部门").locator("select").select_option("财务部")
    visible = page.locator("table.ss-filterable tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    assert all(t == "财务部" for t in visible.locator("td:nth-child(3)").all_inner_texts())
    expect(page.locator(".ss-count")).to_have_text(f"显示 {visible.count()} / {total} 项")


def test_sorting_by_a_column(page, sample):
    page.goto(sample + "projects/")
    page.get_by_role("button", name="工作进度").click()
    values = [float(v.rstrip("%")) for v in page.locator("tbody tr td:nth-child(6)").all_inner_texts()]
    assert values == sorted(values)


def test_tables_show_everything_without_scripts(browser, sample):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(sample + "powers/")
    assert pg.locator("tbody tr").count() >= 40
    assert pg.locator(".ss-toolbar").count() == 0
    context.close()


@pytest.mark.parametrize("path", PAGE_KINDS)
def test_every_request_stays_on_this_machine(page, sample, path):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(sample + path)
    page.wait_for_load_state("networkidle")
    assert requests and all(u.startswith(sample) for u in requests), [u for u in requests if not u.startswith(sample)]


@pytest.mark.parametrize("path", PAGE_KINDS[:-1])
def test_no_serious_accessibility_violations(page, sample, path):
    page.goto(sample + path)
    page.wait_for_load_state("networkidle")
    violations = Axe().run(page).response["violations"]
    serious = [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in violations
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_large_text_switch_persists(page, sample):
    page.goto(sample + "powers/")
    page.locator(".ss-large-toggle").click()
    assert "ss-large" in page.evaluate("document.documentElement.className")
    page.goto(sample + "risks/")
    assert "ss-large" in page.evaluate("document.documentElement.className")
    expect(page.locator(".ss-large-toggle")).to_have_attribute("aria-pressed", "true")


def test_hostile_text_is_inert_on_the_page_and_in_search_results(page, hostile_site):
    server = LocalServer(hostile_site)
    try:
        page.goto(server.base + "powers/ZY-001/")
        page.wait_for_load_state("networkidle")
        assert '<script>alert("x")</script>' in page.locator("h1").inner_text()
        titles = header_search(page, server.base, "培训补贴")
        assert any('<script>alert("x")</script>' in t for t in titles), titles
        page.wait_for_timeout(300)
        assert page.dialogs == []
        assert page.locator(".ss-header-search img[src=x]").count() == 0
    finally:
        server.close()


@pytest.mark.parametrize("path,must", [("posts/CWB-KJ/", ["会计岗", "虚假票据报销", "超标准报销"]),
                                       ("departments/CWB/", ["财务部", "财务报销审核"]),
                                       ("projects/ZYXD/", ["痔愈行动", "进度滞后"])])
def test_record_pages_print_cleanly_on_a4(page, sample, path, must, tmp_path):
    import subprocess

    page.goto(sample + path)
    page.wait_for_load_state("networkidle")
    pdf = tmp_path / "print.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "595.92 x 842.88 pts (A4)" in info
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    text = "".join(pages)
    for word in must:
        assert word in text, word
    for chrome in ("搜索职权", "不予公开事项", "下载公示板", "打印本页", "主办单位"):
        assert chrome not in text, chrome
    # Whose sheet it is and where it lives, as text: the body's name heads it, the address is under the QR code.
    assert pages[0].lstrip().startswith("辽宁省总工会阳光公示"), pages[0][:80]
    assert f"https://gh.example.org.cn/{path}" in "".join(text.split()), "the page's address is not printed"
    # A chart's start and end nodes are lines of their own in the text; both must be on one sheet.
    lines = [set(line.strip() for line in p.splitlines()) for p in pages]
    charts = [p for p in lines if "开始" in p or "结束" in p]
    assert all("开始" in p and "结束" in p for p in charts), "a flow chart was split across sheets"
    if path.startswith("posts/"):
        assert charts, "the post's flow chart is missing from the print"


def test_a_printed_list_has_no_sort_marks(page, sample, tmp_path):
    import subprocess

    page.goto(sample + "powers/")
    page.wait_for_selector(".ss-sort")  # the script made the sortable headings into buttons
    pdf = tmp_path / "list.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "事项名称" in text and "BGS-001" in text
    assert not set("⇅▲▼") & set(text), "sort marks on paper"


def test_hostile_text_in_every_field_runs_nowhere(browser, everywhere_site):
    """Every page of a site whose every text field carries script, opened, then searched with its facets."""
    server = LocalServer(everywhere_site)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    try:
        paths = sorted(p.parent.relative_to(everywhere_site).as_posix() for p in everywhere_site.rglob("index.html"))
        assert len(paths) > 100
        for path in paths:
            page.goto(server.base + ("" if path == "." else path + "/"), wait_until="load")
        page.goto(server.base + "search/?q=%E7%82%B9%E6%88%91")  # 点我, a word of the payload
        page.wait_for_selector("#ss-search-page .pagefind-ui__result-link", timeout=10_000)
        for label in page.locator("#ss-search-page .pagefind-ui__filter-name").all()[:3]:
            label.click()  # open the facet groups: their labels are departments' and categories' names
        page.locator("#ss-search-page input[type=checkbox]").first.check()
        page.wait_for_timeout(500)
        header_search(page, server.base, "斜")
        page.wait_for_timeout(300)
        assert dialogs == []
        assert page.locator("img[src=x], svg[onload]").count() == 0
    finally:
        context.close()
        server.close()


def test_hostile_filter_values_survive_the_address_and_run_nowhere(browser, everywhere_site):
    """Every filter of every list page set to a value carrying the payload (site.yml's vocabularies and the
    records' names hold it: tests/hostile.py): the address a visitor shares brings the same rows back, and
    nothing runs. The payload has what query strings decode: & = + % ? #."""
    server = LocalServer(everywhere_site)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    tried = 0
    try:
        for path in LIST_PAGES:
            page.goto(server.base + path)
            for i in range(page.locator(".ss-toolbar select").count()):
                select = page.locator(".ss-toolbar select").nth(i)
                values = [v for v in select.locator("option").evaluate_all("os => os.map(o => o.value)") if "x-" in v]
                if not values:
                    continue
                page.goto(server.base + path)
                select = page.locator(".ss-toolbar select").nth(i)
                select.select_option(values[0])
                count = page.locator(".ss-count").inner_text()
                fresh = context.new_page()
                fresh.on("dialog", lambda d: (dialogs.append(f"reloaded: {d.message}"), d.dismiss()))
                fresh.goto(page.url)
                expect(fresh.locator(".ss-toolbar select").nth(i)).to_have_value(values[0])
                expect(fresh.locator(".ss-count")).to_have_text(count)
                assert not count.startswith("显示 0 ")
                fresh.close()
                tried += 1
        assert tried >= 8  # departments, categories, meetings … on several lists
        assert dialogs == []
    finally:
        context.close()
        server.close()


# Phones (390 px, an iPhone 12–15): cards instead of squeezed tables, results before facets, filters in the address ---

@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    pg = context.new_page()
    yield pg
    context.close()


NARROW_CELLS = """() => {
    const out = [];
    for (const cell of document.querySelectorAll("table td, table th")) {
        const r = cell.getBoundingClientRect();
        if (r.width === 0 || getComputedStyle(cell).display === "none") continue;
        const em = parseFloat(getComputedStyle(cell).fontSize);
        if (r.width < 2 * em) out.push(cell.tagName + ": " + cell.textContent.trim().slice(0, 20) + " " + r.width);
    }
    return out;
}"""


@pytest.mark.parametrize("path", LIST_PAGES)
def test_list_pages_fit_a_phone_without_sideways_scrolling_or_squeezed_cells(phone, sample, path):
    phone.goto(sample + path)
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.evaluate(NARROW_CELLS) == []
    # Each row is a card whose first line is the record's name
    first = phone.locator("table.ss-table tbody tr").first
    title = first.locator("td.ss-cell-title")
    assert title.count() == 1
    assert title.bounding_box()["y"] <= min(c.bounding_box()["y"] for c in first.locator("td:visible").all())


RECORD_PAGES = ["", "powers/BZB-001/", "risks/R-BF-01/", "posts/BZB-BF/", "departments/BZB/", "projects/ZYXD/",
                "flows/KNBF/", "decisions/JC-2013-01/", "changes/", "opendata/", "search/", "guide/data/"]


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_every_page_kind_fits_a_phone_in_both_text_sizes(phone, sample, large):
    """Record pages hold the longest unbroken things (codes, flow charts, tables of fields, URLs in the field
    reference): none may push the page sideways, with the 大字 switch on or off."""
    if large:
        phone.add_init_script("localStorage.setItem('ss-large', '1')")
    wide = {}
    for path in RECORD_PAGES:
        phone.goto(sample + path)
        phone.wait_for_load_state("networkidle")
        assert ("ss-large" in phone.evaluate("document.documentElement.className")) == large
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    assert wide == {}


TOOLBAR_HINT = "(() => document.querySelector('.ss-toolbar').classList.contains('ss-toolbar--more'))()"


def test_filters_that_do_not_fit_a_phone_fade_at_the_edge_until_swiped_to_the_end(phone, page, sample):
    """The filter row scrolls sideways on a phone: while more filters lie beyond its right edge, the edge fades."""
    phone.goto(sample + "decisions/")
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate(TOOLBAR_HINT)
    assert phone.evaluate("getComputedStyle(document.querySelector('.ss-toolbar')).maskImage").startswith("linear")
    phone.evaluate("(() => { const b = document.querySelector('.ss-toolbar'); b.scrollLeft = b.scrollWidth; })()")
    phone.wait_for_function("!" + TOOLBAR_HINT)
    page.goto(sample + "decisions/")  # on a wide screen they fit: no fade
    page.wait_for_load_state("networkidle")
    assert not page.evaluate(TOOLBAR_HINT)


def test_codes_do_not_break_inside_on_a_phone(phone, sample):
    phone.goto(sample + "powers/")
    lines = phone.evaluate("""() => [...document.querySelectorAll("tbody code")]
        .map(c => [c.textContent, c.getClientRects().length])""")
    assert lines and all(n == 1 for _, n in lines), [c for c in lines if c[1] != 1]


def test_site_name_is_readable_in_the_phone_header(phone, sample):
    phone.goto(sample + "projects/")
    phone.wait_for_load_state("networkidle")
    name = phone.locator(".md-header__topic").first
    assert name.inner_text().strip() == "辽宁省总工会阳光公示"
    assert name.evaluate("e => e.querySelector('.md-ellipsis').scrollWidth <= e.querySelector('.md-ellipsis').clientWidth")


def test_first_search_result_is_on_the_first_phone_screen(phone, sample):
    phone.goto(sample + "search/?q=%E9%87%87%E8%B4%AD")  # 采购
    first = phone.locator("#ss-search-page .pagefind-ui__result-link").first
    first.wait_for(timeout=10_000)
    assert first.bounding_box()["y"] + first.bounding_box()["height"] <= 844
    assert not phone.locator(".pagefind-ui__filter-panel").is_visible()
    phone.get_by_role("button", name="筛选：类型、部门、类别、等级").click()
    assert phone.locator(".pagefind-ui__filter-panel").is_visible()


# What a board's QR code opens, on the phone that scanned it: the first screen (844 px) must say what this is,
# who handles it and how it can go wrong (risk points by level) or whether the promise is on track.
FIRST_SCREEN_ROWS = """() => Object.fromEntries([...document.querySelectorAll(".ss-fields tr")]
    .filter(r => r.getBoundingClientRect().bottom <= window.innerHeight)
    .map(r => [r.querySelector("th").innerText.trim(), r.querySelector("td").innerText.trim()]))"""
# The count by level, then the first names, highest level first ("：高 优亲厚友、…").
RISK_COUNT = re.compile(r"(\d+) 个（高 (\d+)、中 (\d+)、低 (\d+)）(：.+)?")


def on_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] + box["height"] <= 844


@pytest.mark.parametrize("board, rows", [
    ("posts/BZB-BF.pdf", {"所在部门", "在岗人员", "投诉监督", "廉政风险点"}),
    ("departments/BZB.pdf", {"电话", "公开职权", "廉政风险点"}),
    ("projects/ZYXD.pdf", {"承诺内容"}),
    ("projects/JCLXD.pdf", set()),
])
def test_a_boards_qr_code_opens_a_page_that_answers_on_the_first_phone_screen(phone, sample, sample_site, tmp_path,
                                                                               board, rows):
    url = qr_of(sample_site / "posters" / board, tmp_path)
    assert url.startswith("https://gh.example.org.cn/"), url
    phone.goto(sample + urllib.parse.urlsplit(url).path.lstrip("/"))
    phone.wait_for_load_state("networkidle")
    assert on_first_screen(phone.locator("h1"))
    seen = phone.evaluate(FIRST_SCREEN_ROWS)
    assert rows <= set(seen), seen
    if "廉政风险点" in rows:
        count = RISK_COUNT.fullmatch(seen["廉政风险点"])
        assert count and int(count[1]) == sum(map(int, count.groups()[1:4])) > 0, seen["廉政风险点"]
        listed = phone.locator("h2#廉政风险点 ~ .ss-table-wrap").first.locator("tbody tr").count()
        assert int(count[1]) == listed
        phone.locator(".ss-fields a[href='#廉政风险点']").click()
        assert on_first_screen(phone.locator("h2#廉政风险点"))
    else:  # a commitment: is it late, by how much, and why — its status, progress, latest note and 督办
        assert on_first_screen(phone.locator(".ss-status-line .ss-status").first)
        progress = phone.locator(".ss-status-line__progress")
        assert on_first_screen(progress)
        said = re.fullmatch(r"工作进度 (\d+\.\d%)，时间进度 (\d+\.\d%)(；(已逾期 \d+ 天|工作进度落后时间进度 [\d.]+ 个百分点))?。",
                            progress.inner_text())
        assert said, progress.inner_text()
        bars = phone.locator(".ss-bar__value").all_inner_texts()
        assert (said[1], said[2]) == (bars[1], bars[0])
        note = phone.locator(".ss-status-line__note")
        assert on_first_screen(note) and re.match(r"最新进展 \d{4}年\d+月\d+日：\S", note.inner_text()), note.inner_text()
        if "JCLXD" in board:  # overdue: 督办, and how late, on the first screen
            assert said[4] == "已逾期 30 天"
            assert on_first_screen(phone.locator(".ss-status-line__supervise"))
            assert phone.locator(".ss-status-line .ss-supervise").first.inner_text() == "督办"


def test_a_powers_first_phone_screen_counts_its_risk_points(phone, sample):
    """The power page's own QR code (shown on wide screens and paper) opens it on a phone: its risks are counted
    on the first screen, above the long basis and duty lists."""
    phone.goto(sample + "powers/BZB-001/")
    seen = phone.evaluate(FIRST_SCREEN_ROWS)
    assert {"实施主体", "承办岗位"} <= set(seen)
    assert seen.get("廉政风险点") == "5 个（高 2、中 2、低 1）：优亲厚友（高）、现金发放被截留（高）、审核把关不严（中） 等", seen


def test_every_item_of_the_phone_menu_is_a_full_row_to_tap(phone, sample):
    """A section with a page of its own (承诺事项) is a link and a chevron in one row: each must fill the row's
    height, and the chevron be wide enough for a thumb, as every other item of the drawer is."""
    phone.goto(sample + "posts/BZB-BF/")
    phone.locator("label.md-header__button[for=__drawer]").tap()
    phone.wait_for_function("document.querySelector('.md-sidebar--primary').getBoundingClientRect().x >= 0")  # slid in
    targets = phone.evaluate("""() => [...document.querySelectorAll(
            ".md-nav--primary > .md-nav__list > .md-nav__item > .md-nav__link, .md-nav--primary .md-nav__container > *")]
        .map(e => { const r = e.getBoundingClientRect(); return [e.tagName + " " + e.innerText.trim(), r.x, r.width, r.height]; })
        .filter(([, x, w]) => w > 0 && x >= 0)""")
    assert {"A 承诺事项", "LABEL "} <= {t[0] for t in targets}, targets
    small = [t for t in targets if t[3] < 44 or t[2] < 44]
    assert small == [], small


def test_the_facets_button_is_for_phones_only(page, sample):
    """On a wide screen the facets stand beside the results: the phone's 筛选 button, which only folds them away on
    a narrow screen, would be a button that does nothing."""
    page.goto(sample + "search/?q=%E9%87%87%E8%B4%AD")  # 采购
    page.locator("#ss-search-page .pagefind-ui__result").first.wait_for(timeout=10_000)
    assert page.locator(".pagefind-ui__filter-panel").is_visible()
    assert page.locator(".ss-facets-toggle").count() == 1
    assert not page.locator(".ss-facets-toggle").is_visible()


def test_search_results_use_the_full_phone_width(phone, sample):
    """Pagefind's result list is an <ol> without numbers: it must line up with the search box, not be indented
    as a numbered list in the page's text would be."""
    phone.goto(sample + "search/?q=%E9%87%87%E8%B4%AD")  # 采购
    first = phone.locator("#ss-search-page .pagefind-ui__result").first
    first.wait_for(timeout=10_000)
    box = phone.locator("#ss-search-page .pagefind-ui__search-input").bounding_box()
    result = first.bounding_box()
    assert abs(result["x"] - box["x"]) < 1 and abs(result["width"] - box["width"]) < 1, (result, box)


def test_phone_cards_can_still_be_sorted(phone, sample):
    phone.goto(sample + "projects/")
    phone.get_by_role("button", name="工作进度").click()
    values = [float(v) for v in phone.locator("tbody tr td:nth-child(6)").evaluate_all(
        "cells => cells.map(c => c.getAttribute('data-value'))")]
    assert values == sorted(values)


def test_filters_and_sort_survive_in_the_address(page, sample):
    page.goto(sample + "projects/")
    page.locator(".ss-toolbar label", has_text="状态").locator("select").select_option("进度滞后")
    page.get_by_role("button", name="工作进度").click()
    page.get_by_role("button", name="工作进度").click()  # descending
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query == {"状态": ["进度滞后"], "排序": ["工作进度"], "顺序": ["降"]}
    shared = page.url
    fresh = page.context.new_page()
    fresh.goto(shared)
    expect(fresh.locator(".ss-toolbar label", has_text="状态").locator("select")).to_have_value("进度滞后")
    visible = fresh.locator("tbody tr:not([hidden])")
    assert visible.count() >= 2
    # The status cell carries the status, then 长期无进展 and 督办 where they apply (each a filter value of its own).
    assert {v.split("、")[0] for v in visible.locator("td:nth-child(2)").evaluate_all(
        "cells => cells.map(c => c.dataset.value)")} == {"进度滞后"}
    values = [float(v) for v in visible.locator("td:nth-child(6)").evaluate_all(
        "cells => cells.map(c => c.getAttribute('data-value'))")]
    assert values == sorted(values, reverse=True)
    expect(fresh.get_by_role("button", name="工作进度")).to_have_attribute("data-dir", "desc")


def test_powers_can_be_filtered_by_key_posts_and_their_areas(page, sample):
    page.goto(sample + "powers/?" + urllib.parse.urlencode({"人财物": "财"}))
    rows = page.locator("tbody tr")
    visible = page.locator("tbody tr:not([hidden])")
    assert 0 < visible.count() < rows.count()
    facets = visible.evaluate_all("rows => rows.map(r => JSON.parse(r.getAttribute('data-facet-values')))")
    assert all("财" in f["人财物"] and f["重点岗位"] == "是" for f in facets)
    page.locator(".ss-toolbar label", has_text="重点岗位").locator("select").select_option("否")
    page.locator(".ss-toolbar label", has_text="人财物").locator("select").select_option("")
    assert "%E9%87%8D%E7%82%B9%E5%B2%97%E4%BD%8D=%E5%90%A6" in page.url  # 重点岗位=否
    assert "人财物" not in urllib.parse.unquote(page.url)


def test_dashboard_chart_is_an_accessible_picture_with_the_table_as_its_text(page, sample):
    page.goto(sample + "projects/")
    drawings = page.locator(".ss-dashboard-chart svg")  # a stack of drawings of a few rows each, for print
    chart = drawings.first
    assert chart.get_attribute("role") == "img"
    assert "时间进度与工作进度" in chart.locator("title").text_content()
    assert all(d.get_attribute("aria-hidden") == "true" for d in drawings.all()[1:])  # the first describes all
    assert page.locator(".ss-dashboard-chart svg g").count() == page.locator("tbody tr").count()
    # Stacked without gaps: each drawing starts where the one above it ends
    boxes = [d.bounding_box() for d in drawings.all()]
    assert len(boxes) > 1 and all(abs(b["y"] - (a["y"] + a["height"])) < 1 for a, b in zip(boxes, boxes[1:]))
    # The status cards wrap into even columns: the last card is as wide as the first
    widths = [c.bounding_box()["width"] for c in page.locator(".ss-cards .ss-card").all()]
    assert max(widths) - min(widths) < 1


def test_unknown_address_gets_a_chinese_page_with_search(page, sample):
    page.goto(sample + "404.html")  # what the web server sends for an unknown address
    assert page.locator("h1").inner_text() == "页面不存在"
    page.locator("#ss-404-q").fill("采购")
    page.locator("#ss-404-q").press("Enter")
    page.wait_for_selector("#ss-search-page .pagefind-ui__result-link", timeout=10_000)
    assert "search/" in page.url



# Layout shift as Chromium measures it (the Layout Instability API), summed from the first paint on;
# shifts right after the visitor's own input do not count, as in Core Web Vitals.
CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
  .observe({type: "layout-shift", buffered: true});
"""


@pytest.fixture
def slow_phone(browser):
    """A phone on a slow network with a slow CPU, watching layout shifts."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    pg = context.new_page()
    pg.add_init_script(CLS_OBSERVER)
    # A phone on a slow mobile network (Lighthouse's "slow 4G"): the page paints before every file has
    # arrived, which is when late scripts and unsized images move things about.
    cdp = context.new_cdp_session(pg)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 150,
                                                  "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    yield pg
    context.close()


# Every kind of page: the lists and pages the other tests leave out too.
ALL_KINDS = PAGE_KINDS + ["flows/", "risks/", "posts/", "departments/", "decisions/", "decisions/JC-2013-01/", "changes/",
                          "guide/"]


@pytest.mark.parametrize("path", ALL_KINDS)
def test_phone_page_holds_still_and_every_link_goes_somewhere(slow_phone, sample, path):
    slow_phone.goto(sample + path)
    slow_phone.wait_for_load_state("networkidle")
    # Layout-shift entries arrive after the frame that shifted: wait two frames, then read.
    slow_phone.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert slow_phone.evaluate("window.__cls") < 0.05
    without_href = slow_phone.evaluate("[...document.querySelectorAll('a:not([href])')].map(a => a.outerHTML.slice(0, 120))")
    assert without_href == []
    dangling = slow_phone.evaluate("""[...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href'))
        .filter(h => h.length > 1 && !document.getElementById(decodeURIComponent(h.slice(1))))""")
    assert dangling == []


@pytest.mark.parametrize("path", ["", "powers/BZB-001/", "flows/KNBF/", "posts/CWB-CN/", "projects/"])
def test_search_ui_loads_only_when_the_header_box_is_used(page, sample, path):
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(sample + path)
    page.wait_for_load_state("networkidle")
    assert [u for u in requested if "/pagefind/" in u] == []  # nothing render-blocking, nothing at all
    assert page.locator("link[href*='pagefind'], script[src*='pagefind']").count() == 0
    header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().height")
    page.locator(".ss-header-search input").focus()
    page.keyboard.type("采购")
    page.wait_for_selector(".ss-header-search .ss-header-results__link", timeout=10_000)
    # The results open over the page: the header keeps its height, the visitor keeps typing where they were.
    assert page.evaluate("document.querySelector('.md-header').getBoundingClientRect().height") == header
    assert page.evaluate("document.activeElement.id") == "ss-q"
    pagefind = [u.split("/pagefind/")[1] for u in requested if "/pagefind/" in u]
    assert "pagefind.js" in pagefind
    # The header box shows no facets: neither Pagefind's UI nor a single filter file is fetched for it.
    assert not [u for u in pagefind if u.startswith("pagefind-ui") or u.startswith("filter/")], pagefind
    page.keyboard.press("Escape")
    expect(page.locator(".ss-header-results")).to_be_hidden()
    assert page.locator(".ss-header-search input").input_value() == ""


def test_chart_step_takes_the_visitor_to_its_text(page, sample):
    page.goto(sample + "flows/KNBF/")
    link = page.locator("svg.ss-flowchart a[href]").last
    target = link.get_attribute("href")
    link.click()
    assert page.evaluate("location.hash") == target
    expect(page.locator(f"li[id='{target[1:]}']")).to_be_in_viewport()


def test_post_page_charts_are_images_that_load_and_lead_to_the_flow(page, sample):
    """A post's page shows its three flows' charts as image files (lazily loaded): each one draws, at its natural
    size or the column's width, and takes the visitor to the flow's page, whose chart links to its steps."""
    page.goto(sample + "posts/CWB-CN/")
    images = page.locator("figure.ss-chart img.ss-flowchart")
    assert images.count() == 3
    for i in range(images.count()):
        images.nth(i).scroll_into_view_if_needed()
        expect(images.nth(i)).to_have_js_property("complete", True)
        box = images.nth(i).bounding_box()
        assert images.nth(i).evaluate("img => img.naturalWidth") > 0 and box["width"] > 100 and box["height"] > 100
    images.first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/flows/CWBX/")
    assert page.locator("svg.ss-flowchart a[href]").count() > 3
