"""Pages people can read and use (issue 26), measured in Chromium on a phone (390 × 844) and a desktop (1280 × 900),
for every kind of page, on the sample and on a register as real ones are published (tests/fixtures/long_register:
long laws, a long flow, long names): the facts a visitor came for on the first screen, chart text no smaller than
11 px (12 px on a phone), "跳到正文" the first thing the keyboard reaches, 大字 making text, tables and charts at least
1.5 times as large with nothing cut off, no short term broken across lines in a cell, every tap target at least
24 px, every list filter reachable on a phone, 当前位置 on every page."""

from __future__ import annotations

import re

import pytest

from .conftest import LocalServer

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
SIZES = {"390": PHONE, "1280": DESKTOP}

# One page of every kind: the sample's, and the long register's where its texts are the long ones.
SAMPLE_KINDS = ["", "powers/", "powers/BZB-001/", "flows/", "flows/KNBF/", "risks/", "risks/R-BF-01/", "posts/",
                "posts/CWB-CN/", "departments/", "departments/BZB/", "projects/", "projects/ZYXD/", "projects/method/",
                "decisions/", "decisions/JC-2013-01/", "withheld/", "search/", "changes/", "opendata/", "guide/",
                "guide/data/", "rules/supervision/", "about/"]
LONG_KINDS = ["", "powers/", "powers/ZJ-XK-001/", "powers/ZJ-JC-001/", "flows/SGXK/", "risks/ZJ-R02/",
              "posts/SP-SL/", "posts/ZA-JC/", "departments/ZAK/", "projects/", "projects/YSHJ/"]


@pytest.fixture(scope="module")
def sites(sample_site, long_site):
    servers = {"sample": LocalServer(sample_site), "long": LocalServer(long_site)}
    yield {name: s.base for name, s in servers.items()}
    for s in servers.values():
        s.close()


def open_page(browser, base: str, path: str, size: str, large: bool = False):
    context = browser.new_context(**SIZES[size])
    if large:
        context.add_init_script("localStorage.setItem('ss-large', '1')")
    page = context.new_page()
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    return context, page


ALL = [("sample", p) for p in SAMPLE_KINDS] + [("long", p) for p in LONG_KINDS]


# ---------------------------------------------------------------------------------------------- the keyboard, 当前位置

@pytest.mark.parametrize("size", SIZES)
def test_skip_to_the_text_is_the_first_stop_of_every_page_and_every_page_says_where_it_is(browser, sites, size):
    wrong = []
    for site, path in ALL:
        context, page = open_page(browser, sites[site], path, size)
        page.keyboard.press("Tab")
        first = page.evaluate("[document.activeElement.textContent.trim(), document.activeElement.getAttribute('href'),"
                              " document.activeElement.getBoundingClientRect().height > 0]")
        if first != ["跳到正文", "#ss-main", True]:
            wrong.append((path, "first stop", first))
        page.keyboard.press("Enter")
        if page.evaluate("document.activeElement.id") != "ss-main":
            wrong.append((path, "skip link leads to", page.evaluate("document.activeElement.id")))
        crumbs = page.locator("nav.ss-crumbs[aria-label='当前位置'] > *").all_inner_texts()
        if not crumbs or crumbs[0] != "首页" or page.locator("nav.ss-crumbs [aria-current=page]").count() != 1:
            wrong.append((path, "当前位置", crumbs))
        context.close()
    assert wrong == []


def test_the_breadcrumb_names_the_list_a_record_belongs_to(browser, sites):
    expected = {"powers/BZB-001/": ["首页", "职权目录", "困难职工帮扶资金审批"], "projects/method/": ["首页", "承诺事项", "状态计算方法"],
                "rules/supervision/": ["首页", "监督制度", "监督检查办法"], "": ["首页"]}
    context, page = open_page(browser, sites["sample"], "", "1280")
    for path, said in expected.items():
        page.goto(sites["sample"] + path)
        assert page.locator("nav.ss-crumbs > *").all_inner_texts() == said
        # "当前位置：" and the separators are drawn by the stylesheet (the nav's label says it to screen readers).
        assert page.evaluate("getComputedStyle(document.querySelector('nav.ss-crumbs'), '::before').content") == '"当前位置："'
    page.goto(sites["sample"] + "powers/BZB-001/")
    assert page.locator("nav.ss-crumbs > a").evaluate_all("as => as.map(a => a.getAttribute('href'))") == ["../..", "../"]
    context.close()


# ---------------------------------------------------------------------------------------------- the first screen

# The rows of a record's first table a visitor must see without scrolling (the answer first).
FIRST_SCREEN = {
    ("long", "powers/ZJ-XK-001/"): ["实施主体", "承办岗位", "办理时限", "办理地点", "投诉监督", "廉政风险点"],
    ("sample", "powers/BZB-001/"): ["实施主体", "承办岗位", "办理时限", "投诉监督", "廉政风险点"],
    ("long", "posts/SP-SL/"): ["所在部门", "在岗人员", "承办职权", "廉政风险点", "投诉监督"],
    ("sample", "risks/R-BF-01/"): ["风险等级", "责任岗位", "关联职权", "防控措施", "投诉监督"],
    ("long", "risks/ZJ-R02/"): ["风险等级", "责任岗位", "关联职权", "防控措施", "投诉监督"],
    ("sample", "departments/BZB/"): ["公开职权", "廉政风险点"],
}
# A row is seen when its first line is: its name and the start of its value (the count of risk points, say).
ROWS_SEEN = """() => [...document.querySelectorAll(".ss-fields tr")]
    .filter(r => { const th = r.querySelector("th").getBoundingClientRect();
                   return th.height > 0 && th.top + Math.min(th.height, 40) <= window.innerHeight; })
    .map(r => r.querySelector("th").innerText.trim())"""


@pytest.mark.parametrize("size", SIZES)
def test_the_answer_is_on_the_first_screen(browser, sites, size):
    wrong = {}
    for (site, path), rows in FIRST_SCREEN.items():
        context, page = open_page(browser, sites[site], path, size)
        seen = page.evaluate(ROWS_SEEN)
        if not set(rows) <= set(seen):
            wrong[path] = sorted(set(rows) - set(seen))
        context.close()
    assert wrong == {}
    # The legal texts follow the answer, folded when long: 依据 and 追责情形 are not above 投诉监督.
    context, page = open_page(browser, sites["long"], "powers/ZJ-XK-001/", size)
    order = page.evaluate("[...document.querySelectorAll('.ss-fields th')].map(th => th.innerText.trim())")
    assert order.index("投诉监督") < order.index("设定依据") < order.index("追责情形")
    folded = page.locator("tr:has(th:text-is('追责情形')) details.ss-fold")
    assert folded.count() == 1 and not folded.evaluate("d => d.open")
    context.close()


def test_a_commitments_status_and_a_flows_first_steps_are_on_the_first_phone_screen(browser, sites):
    context, page = open_page(browser, sites["long"], "projects/YSHJ/", "390")
    box = page.locator(".ss-status-line__progress").bounding_box()
    assert box["y"] + box["height"] <= 844
    page.goto(sites["long"] + "flows/SGXK/")
    first = page.locator(".ss-steps > li").nth(1).bounding_box()
    assert first["y"] + first["height"] <= 844  # on a phone the flow is its steps (the chart behind a link)
    assert not page.locator(".ss-flow > .ss-chart").is_visible()
    assert page.get_by_role("link", name="全屏查看流程图").is_visible()
    context.close()


# ---------------------------------------------------------------------------------------------- charts

CHART_TEXT = """() => {
    const out = [];
    for (const svg of document.querySelectorAll(".ss-chart svg, .ss-progress-chart svg, .ss-dashboard-chart svg")) {
        const r = svg.getBoundingClientRect();
        if (!r.width || !svg.checkVisibility()) continue;
        for (const t of svg.querySelectorAll("text")) {
            const m = t.getScreenCTM();
            if (m) out.push(parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b));
        }
    }
    for (const img of document.querySelectorAll(".ss-chart img.ss-flowchart")) {
        if (!img.checkVisibility()) continue;
        const w = parseFloat(img.style.getPropertyValue("--ss-w")), t = parseFloat(img.style.getPropertyValue("--ss-text"));
        out.push(t * img.getBoundingClientRect().width / w);
    }
    return out.length ? Math.min(...out) : null;
}"""
CHART_PAGES = [("sample", "projects/"), ("sample", "projects/ZYXD/"), ("sample", "flows/KNBF/"),
               ("sample", "powers/BZB-001/"), ("sample", "posts/CWB-CN/"), ("long", "flows/SGXK/"),
               ("long", "powers/ZJ-XK-001/"), ("long", "projects/YSHJ/"), ("long", "projects/")]


@pytest.mark.parametrize("size", SIZES)
def test_chart_text_is_never_too_small_and_grows_with_large_text(browser, sites, size):
    floor = 12 if size == "390" else 11
    measured = {}
    for site, path in CHART_PAGES:
        context, page = open_page(browser, sites[site], path, size)
        normal = page.evaluate(CHART_TEXT)
        context.close()
        context, page = open_page(browser, sites[site], path, size, large=True)
        large = page.evaluate(CHART_TEXT)
        wide = page.evaluate("document.documentElement.scrollWidth")
        context.close()
        measured[(site, path)] = (normal, large)
        if normal is None:  # a phone shows a flow as its steps
            assert size == "390" and "flows/" in path or "powers/" in path or "posts/" in path, path
            continue
        assert normal >= floor - 0.05, (path, normal)
        assert large >= 1.5 * normal - 0.05, (path, normal, large)
        assert wide <= SIZES[size]["viewport"]["width"], (path, wide)  # a wide chart scrolls in its figure
    assert sum(1 for n, _ in measured.values() if n) >= (4 if size == "390" else 9), measured


def test_the_full_screen_chart_reads_at_its_own_size_on_a_phone(browser, sites):
    context, page = open_page(browser, sites["long"], "flows/SGXK/", "390")
    page.get_by_role("link", name="全屏查看流程图").click()
    page.wait_for_load_state()
    assert page.url.endswith("flows/SGXK/chart.svg")
    smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll("text")].map(t => {
        const m = t.getScreenCTM(); return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); }))""")
    assert smallest >= 12, smallest
    context.close()


# ---------------------------------------------------------------------------------------------- 大字

# The size of each kind of text on the page: running text, table cells, field names, headings, the breadcrumb, cards.
TEXT_SIZES = """() => {
    const pick = {p: "article p:not(.ss-updated)", td: "article td", th: "article th", li: "article li", h1: "article h1",
                  h2: "article h2", crumbs: ".ss-crumbs", card: ".ss-card__label", step: ".ss-step__head"};
    const out = {};
    for (const [k, sel] of Object.entries(pick)) {
        const e = [...document.querySelectorAll(sel)].find(x => x.checkVisibility() && x.textContent.trim());
        if (e) out[k] = parseFloat(getComputedStyle(e).fontSize);
    }
    return out;
}"""
CLIPPED = """() => {
    const out = [];
    const header = document.querySelector(".md-header").getBoundingClientRect();
    const topic = document.querySelector(".md-header__topic");
    const range = document.createRange();
    range.selectNodeContents(topic);
    const text = range.getBoundingClientRect();
    const ellipsis = topic.querySelector(".md-ellipsis");
    if (topic.scrollWidth > topic.clientWidth + 1 || text.top < header.top - 1 || text.bottom > header.bottom + 1
        || (ellipsis.clientWidth && ellipsis.scrollWidth > ellipsis.clientWidth + 1)) out.push("site name");
    for (const e of document.querySelectorAll(".md-header__inner > *")) {
        const r = e.getBoundingClientRect();
        if (r.width && (r.bottom > header.bottom + 1 || r.right > innerWidth + 1)) out.push(e.className);
    }
    if (document.documentElement.scrollWidth > innerWidth) out.push("page " + document.documentElement.scrollWidth);
    return out;
}"""


@pytest.mark.parametrize("size", SIZES)
def test_large_text_makes_every_page_kind_half_as_large_again_and_cuts_nothing_off(browser, sites, size):
    wrong = []
    for site, path in ALL:
        context, page = open_page(browser, sites[site], path, size)
        normal = page.evaluate(TEXT_SIZES)
        context.close()
        context, page = open_page(browser, sites[site], path, size, large=True)
        large = page.evaluate(TEXT_SIZES)
        clipped = page.evaluate(CLIPPED)
        context.close()
        small = {k: round(large[k] / v, 2) for k, v in normal.items() if k in large and large[k] < 1.495 * v}
        if small or clipped or len(normal) < 3:
            wrong.append((site, path, small, clipped, sorted(normal)))
    assert wrong == []


def test_nothing_is_cut_off_in_normal_text_either(browser, sites):
    wrong = []
    for site, path in ALL:
        for size in SIZES:
            context, page = open_page(browser, sites[site], path, size)
            if clipped := page.evaluate(CLIPPED):
                wrong.append((site, path, size, clipped))
            context.close()
    assert wrong == []


# ---------------------------------------------------------------------------------------------- cells and targets

BROKEN_TERMS = """() => {
    const lines = e => {  // the lines its text runs on (text only: a badge's or a link's own box is not a line)
        const tops = [], walk = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
            if (!n.textContent.trim()) continue;
            const r = document.createRange(); r.selectNodeContents(n);
            for (const x of r.getClientRects()) if (x.width > 1) tops.push(x.bottom);
        }
        return tops.sort((a, b) => a - b).filter((t, i, all) => i === 0 || t - all[i - 1] > 3).length;
    };
    const out = [];
    // The site's lists and field tables (hand-written pages' tables are prose): a cell holding one short term (a
    // type, a time limit, a status, a metric: six characters or fewer) stays on one line; so does every value the
    // pages mark as one term (.ss-nw: names and limits up to twelve characters).
    const cells = "article table:is(.ss-table, .ss-fields, .ss-map) :is(td, th)";
    for (const cell of document.querySelectorAll(cells)) {
        if (!cell.checkVisibility()) continue;
        const text = cell.textContent.trim();
        if (text && text.length <= 6 && !/\\s/.test(text) && lines(cell) > 1) out.push(text);
    }
    for (const e of document.querySelectorAll(".ss-nw")) if (e.checkVisibility() && lines(e) > 1) out.push(e.textContent);
    return out;
}"""


@pytest.mark.parametrize("size", SIZES)
def test_no_short_term_breaks_inside_a_cell(browser, sites, size):
    wrong = {}
    for site, path in ALL:
        for large in (False, True):
            context, page = open_page(browser, sites[site], path, size, large)
            if broken := page.evaluate(BROKEN_TERMS):
                wrong[(site, path, large)] = broken[:5]
            context.close()
    assert wrong == {}


# WCAG 2.2's target size (2.5.8): 24 × 24 px, except a link inside a sentence (its size is the line's).
SMALL_TARGETS = """() => {
    const out = [];
    for (const e of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, summary, label[for]")) {
        if (!e.checkVisibility() || e.closest(".md-sidebar, .md-footer, svg, .md-tabs, .ss-visually-hidden")) continue;
        const r = e.getBoundingClientRect();
        if (!r.width || !r.height) continue;
        if (r.height >= 23.5 && r.width >= 23.5) continue;
        const block = e.closest("p, li, td, dd, figcaption, .ss-status-line, .ss-lead");
        const inSentence = block && block.textContent.trim().length > e.textContent.trim().length + 1;
        if (!inSentence) out.push(`${e.tagName} ${e.textContent.trim().slice(0, 12)} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
}"""


@pytest.mark.parametrize("size", SIZES)
def test_every_tap_target_is_at_least_24px(browser, sites, size):
    wrong = {}
    for site, path in ALL:
        context, page = open_page(browser, sites[site], path, size)
        if small := page.evaluate(SMALL_TARGETS):
            wrong[(site, path)] = small[:6]
        context.close()
    assert wrong == {}


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_every_filter_of_every_list_is_reachable_on_a_phone(browser, sites, large):
    for path in ["powers/", "risks/", "posts/", "departments/", "projects/", "decisions/"]:
        context, page = open_page(browser, sites["sample"], path, "390", large)
        selects = page.locator(".ss-toolbar select")
        assert selects.count() >= 1, path
        for i in range(selects.count()):
            select = selects.nth(i)
            select.focus()  # the keyboard reaches it
            assert page.evaluate("document.activeElement.tagName") == "SELECT", (path, i)
            select.scroll_into_view_if_needed()  # and the row, scrolled sideways, shows it whole
            box = select.bounding_box()
            assert box and box["x"] >= -0.5 and box["x"] + box["width"] <= 390 + 0.5, (path, i, box)
            values = select.locator("option").evaluate_all("os => os.map(o => o.value).filter(Boolean)")
            select.select_option(values[0])
            assert page.locator("table.ss-filterable tbody tr:not([hidden])").count() >= 1, (path, values[0])
            select.select_option("")
        context.close()


# ---------------------------------------------------------------------------------------------- the home page's map

def test_the_home_page_maps_types_by_department_and_every_count_opens_its_list(browser, sites):
    context, page = open_page(browser, sites["sample"], "", "1280")
    cells = page.locator("table.ss-map tbody td a")
    assert cells.count() >= 10
    for i in [0, cells.count() // 2, cells.count() - 1]:
        link = cells.nth(i)
        n = int(link.inner_text())
        page.goto(link.evaluate("a => a.href"))
        page.wait_for_selector("table.ss-ready")
        assert page.locator("tbody tr:not([hidden])").count() == n
        page.goto(sites["sample"])
    total = page.locator("table.ss-map tfoot td a").last
    assert int(total.inner_text()) == 44
    # Level and status badges open their filtered lists.
    page.locator("a.ss-level-link").first.click()
    page.wait_for_selector("table.ss-ready")
    levels = page.locator("tbody tr:not([hidden]) td[data-label='等级']").evaluate_all("cs => cs.map(c => c.dataset.value)")
    assert levels and set(levels) == {"高"}
    page.goto(sites["sample"])
    page.locator(".ss-card", has_text="督办").click()
    page.wait_for_selector("table.ss-ready")
    shown = page.locator("tbody tr:not([hidden])")
    assert shown.count() == 4 and all("督办" in t for t in shown.locator("td[data-label='状态']").all_inner_texts())
    context.close()


# ---------------------------------------------------------------------------------------------- paper

def printed(browser, base: str, path: str, tmp_path) -> tuple[list[str], list[list[tuple[float, str]]], float]:
    """The page printed on A4 (the browser's 打印): each sheet's text, its words (top, text), the sheet's height."""
    import subprocess

    context, page = open_page(browser, base, path, "1280")
    pdf = tmp_path / "print.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    context.close()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    box = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    sheets = [[(float(y), w) for y, w in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', p)]
              for p in box.split("<page ")[1:]]
    return text, sheets, float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', box).group(1))


def test_a_record_with_long_laws_prints_from_the_top_of_its_first_sheet(browser, sites, tmp_path):
    """A field row as long as a sheet, kept whole, left two-thirds of the first sheet blank: rows run on now."""
    text, sheets, height = printed(browser, sites["long"], "powers/ZJ-XK-001/", tmp_path)
    assert max(y for y, _ in sheets[0]) > 0.8 * height
    first = re.sub(r"\s", "", text[0])
    assert all(row in first for row in ("实施主体", "办理时限", "投诉监督", "廉政风险点", "编码")), first[:300]
    assert len(sheets) <= 6


def test_a_long_list_repeats_its_headings_on_every_sheet_and_its_values_never_run_together(browser, sites, tmp_path):
    text, sheets, _ = printed(browser, sites["sample"], "powers/", tmp_path)
    with_rows = [i for i, t in enumerate(text) if re.search(r"\b[A-Z]{2,4}-\d{3}\b", t)]
    assert len(with_rows) >= 2  # 44 powers run over two sheets at least
    for i in with_rows:
        assert any(w == "事项名称" for _, w in sheets[i]), f"sheet {i + 1} continues the list without its headings"
    # The dashboard: a share, the next column's date and a status badge each stand apart ("100.0%2024-05-31").
    text, _, _ = printed(browser, sites["sample"], "projects/", tmp_path)
    runs = re.findall(r"\d%\d|日\d|%\d{4}年|%\d{4}-|\d%[\u4e00-\u9fff]", "".join(text))
    assert runs == [], "values run together on paper"


def test_the_service_guide_fields_show_only_when_filled(browser, sites):
    context, page = open_page(browser, sites["long"], "powers/ZJ-XK-001/", "1280")
    rows = page.evaluate("[...document.querySelectorAll('.ss-fields--answer th')].map(th => th.innerText.trim())")
    assert rows == ["实施主体", "承办岗位", "办理时限", "办理地点", "办理时间", "收费标准", "咨询电话", "申请材料", "投诉监督",
                    "廉政风险点"]
    page.goto(sites["long"] + "powers/ZJ-JC-001/")  # a power its register gives none of them
    rows = page.evaluate("[...document.querySelectorAll('.ss-fields--answer th')].map(th => th.innerText.trim())")
    assert rows == ["实施主体", "承办岗位", "投诉监督", "廉政风险点"]
    context.close()
