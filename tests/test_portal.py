"""The portal (issue 27): three bodies — the bundled sample, the second body and the hostile one — built each into
its own folder at the portal's address, the portal's pages and open data made from their rows, one search across
them in a real browser; a body's id, reuse by content hash, and a failing body leaving every published page as it
was."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import html5lib
import pytest

from generator.web.escape import filter_text

from .conftest import DATA, ROOT, SECOND_BODY, LocalServer
from .hostile import PAYLOAD, make_hostile_everywhere
from .sitecheck import broken_links, external_resources, live_payloads

PORTAL_URL = "https://gongshi.example.gov.cn/"
PORTAL_YML = f"""\
名称: 示范省阳光公示门户
网址: {PORTAL_URL}
说明: 门户自己的说明文字：示范省各单位的职权目录，一处查看。
公告: 门户自己的公告
页脚:
  主办单位: 示范省门户办公室
单位顺序: [shifan-rsj, lnsgh]
"""
IDS = {"sample": "lnsgh", "second": "shifan-rsj", "hostile": "hostile-body"}
# A word only each body holds, and the record page a search for it lands on.
ONLY = {"sample": ("胃康", "projects/"), "second": ("拖欠", "powers/JC-001/"), "hostile": ("萤火虫", "powers/JC-001/")}


def portal(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "portal", *args], capture_output=True, text=True,
                          cwd=cwd, env=os.environ.copy())


def make_hostile_body(dest: Path) -> Path:
    """The second body with the payload in every text field, site.yml and its vocabularies too (tests/hostile.py),
    an id of its own, and 拖欠 (the second body's word) said as 萤火虫 (this body's own word)."""
    make_hostile_everywhere(SECOND_BODY, dest)
    for path in dest.rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".yml"):
            text = path.read_text(encoding="utf-8")
            text = text.replace("拖欠", "萤火虫").replace("id: shifan-rsj", f"id: {IDS['hostile']}")
            path.write_text(text, encoding="utf-8")
    assert f"id: {IDS['hostile']}" in (dest / "site.yml").read_text(encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("portal")
    hostile = make_hostile_body(root / "hostile")
    (root / "portal.yml").write_text(PORTAL_YML, encoding="utf-8")
    before = sorted(p.relative_to(DATA) for p in DATA.rglob("*"))
    r = portal(str(DATA), str(SECOND_BODY), str(hostile), "--site-dir", str(root / "out"), "--portal",
               str(root / "portal.yml"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert sorted(p.relative_to(DATA) for p in DATA.rglob("*")) == before  # nothing written into a body's folder
    return root / "out"


def _rows(out: Path) -> dict[str, dict]:
    return {name: json.loads((out / "opendata" / "bodies" / f"{i}.json").read_text(encoding="utf-8"))
            for name, i in IDS.items()}


def _own(out: Path, body: str, table: str) -> list[dict]:
    """A body's own open data, as its own site publishes it: the independent source of every count."""
    return json.loads((out / IDS[body] / "opendata" / f"{table}.json").read_text(encoding="utf-8"))


def _text(path: Path) -> str:
    """A page's text as a reader gets it (entities decoded, tags gone)."""
    doc = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
    return re.sub(r"\s+", " ", "".join(doc.find("body").itertext()))


def test_each_body_is_a_complete_site_under_its_id(built):
    for i in IDS.values():
        site = built / i
        for part in ("index.html", "powers/index.html", "pagefind/pagefind.js", "pagefind/pagefind-ui.js",
                     "handbook.pdf", "opendata/powers.csv", "feed.xml", "sitemap.xml", "search/index.html"):
            assert (site / part).is_file(), f"{i}/{part}"
        assert list((site / "posters").rglob("*.pdf")), i
    for page in ("index.html", "types/index.html", "compare/index.html", "search/index.html", "opendata/index.html"):
        assert (built / page).is_file(), page


def test_a_bodys_addresses_are_the_portals_address_and_its_id(built):
    """Canonical links, QR codes, the sitemap, the feed and the boards' QR codes point under the portal's address +
    the body's id; the body's own 网址 (the second body's rsj.example.gov.cn/gongshi) is nowhere."""
    site = built / IDS["second"]
    base = PORTAL_URL + IDS["second"] + "/"
    page = (site / "powers/JC-001/index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{base}powers/JC-001/">' in page
    assert f'data-ss-qr="{base}powers/JC-001/"' in page
    assert f"<loc>{base}powers/JC-001/</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f'href="{base}feed.xml"' in (site / "feed.xml").read_text(encoding="utf-8")
    board = next((site / "posters" / "posts").glob("*.pdf"))
    text = subprocess.run(["pdftotext", str(board), "-"], capture_output=True, text=True).stdout
    assert base.removeprefix("https://") in text.replace("\n", "")
    own = "rsj.example.gov.cn/gongshi"
    assert not [p for p in site.rglob("*") if p.suffix in (".html", ".xml", ".txt") and own in p.read_text("utf-8")]


def test_the_home_names_every_body_with_its_counts(built):
    home = (built / "index.html").read_text(encoding="utf-8")
    text = _text(built / "index.html")
    rows = _rows(built)
    # the portal's order: 单位顺序 (shifan-rsj, lnsgh), then the others by id
    order = [home.index(f'<h3><a href="{i}/">') for i in ("shifan-rsj", "lnsgh", "hostile-body")]
    assert order == sorted(order)
    for body, i in IDS.items():
        powers, risks = _own(built, body, "powers"), _own(built, body, "risks")
        statuses = json.loads((built / i / "opendata/status.json").read_text(encoding="utf-8"))["commitments"]
        assert f'href="{i}/"' in home
        assert f'href="{i}/powers/">{len(powers)} 项</a>' in home
        for category in {p["category"] for p in powers}:
            n = sum(1 for p in powers if p["category"] == category)
            assert f'href="{i}/powers/?类型={quote(category, safe="")}">' in home
            assert rows[body]["powers"]["by_type"][category] == n
        for level in ("高", "中", "低"):
            assert rows[body]["risks"]["by_level"].get(level, 0) == sum(1 for r in risks if r["level"] == level)
        for status in {s["status"] for s in statuses}:
            assert rows[body]["commitments"]["by_status"][status] == sum(1 for s in statuses if s["status"] == status)
        assert rows[body]["as_of"] in home  # the last update, as a <time>
    # the portal's own words, from its settings file, and only on its own pages
    assert "门户自己的说明文字" in text and "门户自己的公告" in text and "示范省门户办公室" in text
    for i in IDS.values():
        assert not [p for p in (built / i).rglob("*.html") if "示范省阳光公示门户" in p.read_text("utf-8")]


def test_the_type_table_counts_each_bodys_powers_and_links_its_filtered_list(built):
    page = (built / "types/index.html").read_text(encoding="utf-8")
    with open(built / "opendata/types.csv", encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    for body, i in IDS.items():
        powers = _own(built, body, "powers")
        row = next(r for r in table if r["编号"] == i)
        assert int(row["合计"]) == len(powers)
        for category in {p["category"] for p in powers}:
            n = sum(1 for p in powers if p["category"] == category)
            assert int(row[category]) == n
            assert f'<a href="../{i}/powers/?类型={quote(category, safe="")}"' in page
    total = next(r for r in table if r["单位"] == "合计")
    assert int(total["合计"]) == sum(len(_own(built, b, "powers")) for b in IDS)


def test_the_comparison_matches_each_bodys_own_status_and_risks(built):
    data = {r["编号"]: r for r in json.loads((built / "opendata/compare.json").read_text(encoding="utf-8"))}
    for body, i in IDS.items():
        statuses = json.loads((built / i / "opendata/status.json").read_text(encoding="utf-8"))["commitments"]
        risks = _own(built, body, "risks")
        row = data[i]
        assert row["逾期"] == sum(1 for s in statuses if s["status"] == "逾期")
        assert row["督办"] == sum(1 for s in statuses if s["supervised"])
        assert row["高风险点"] == sum(1 for r in risks if r["level"] == "高")
        assert row["督办占比"] == round(100 * row["督办"] / row["承诺事项"], 1)
    assert data[IDS["sample"]]["待复核记录"] >= 1  # 年度决算编制, last checked in 2011 (check warns review-overdue)
    page = (built / "compare/index.html").read_text(encoding="utf-8")
    assert f'href="../{IDS["sample"]}/risks/?风险等级={quote("高")}"' in page
    supervised = [s for s in _rows(built)["sample"]["supervised"]]
    assert supervised and all(f'href="../{IDS["sample"]}/{s["path"]}"' in page for s in supervised)


def test_the_portals_open_data_is_csv_for_excel_and_json(built):
    for stem in ("bodies", "types", "compare", "supervised"):
        raw = (built / "opendata" / f"{stem}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        listed = json.loads((built / "opendata" / f"{stem}.json").read_text(encoding="utf-8"))
        assert len(rows) == len(listed)
    bodies = json.loads((built / "opendata/bodies.json").read_text(encoding="utf-8"))
    assert [b["编号"] for b in bodies] == ["shifan-rsj", "lnsgh", "hostile-body"]
    # text a spreadsheet would run is made inert, as in each body's open data
    hostile = next(r for r in csv.DictReader(io.StringIO((built / "opendata/bodies.csv").read_text("utf-8-sig")))
                   if r["编号"] == IDS["hostile"])
    assert PAYLOAD in hostile["单位"]


def test_escaping_holds_across_the_bodies_and_in_the_portals_pages(built):
    assert live_payloads(built) == {}
    name = _rows(built)["hostile"]["name"]
    assert PAYLOAD in name
    for page in ("index.html", "types/index.html", "compare/index.html", "search/index.html", "opendata/index.html"):
        assert name in _text(built / page), page  # shown as the text it is
    assert external_resources(built) == []
    assert broken_links(built) == []


def test_the_portals_pages_are_valid_html(built, tmp_path):
    from .test_standards import check_site

    pages = tmp_path / "portal"
    for page in ("index.html", "types/index.html", "compare/index.html", "search/index.html", "opendata/index.html"):
        (pages / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built / page, pages / page)
    assert check_site(pages) == set()


def test_the_robots_file_names_every_bodys_sitemap(built):
    robots = (built / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {PORTAL_URL}sitemap.xml" in robots
    for i in IDS.values():
        assert f"Sitemap: {PORTAL_URL}{i}/sitemap.xml" in robots


# ---------------------------------------------------------------- one search across the bodies, in Chromium

@pytest.mark.browser
@pytest.mark.parametrize("body", list(ONLY))
def test_the_portal_search_finds_a_record_of_each_body(built, browser, body):
    word, landing = ONLY[body]
    holders = [b for b, i in IDS.items() if any(word in p.read_text("utf-8") for p in (built / i).rglob("*.html"))]
    assert holders == [body]  # the word is this body's alone
    server = LocalServer(built)
    try:
        page = browser.new_page()
        page.dialogs = []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(server.base)
        page.fill("#pt-q", word)
        page.press("#pt-q", "Enter")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=20_000)
        links = page.locator(".pagefind-ui__result-link")
        hrefs = [links.nth(k).get_attribute("href") for k in range(links.count())]
        assert hrefs and all(h.startswith(f"/{IDS[body]}/") for h in hrefs), hrefs
        # each result names its body (the name's markup characters shown full-width, as in the bodies' filters)
        tags = page.locator(".pagefind-ui__result-tag").all_inner_texts()
        shown = filter_text(_rows(built)[body]["name"])
        assert tags and all(shown in t for t in tags), tags
        assert shown.split("\\")[0] in page.inner_text(".pagefind-ui__filter-panel")  # Pagefind doubles a \\
        # the hostile body's name (a filter value and a tag, which Pagefind's UI shows as HTML) stays text
        live = page.locator(".pagefind-ui script, .pagefind-ui img, .pagefind-ui svg[onload], .pagefind-ui [onerror], "
                            ".pagefind-ui [onmouseover], .pagefind-ui [onclick]")
        assert live.count() == 0, live.first.evaluate("e => e.outerHTML")
        assert page.dialogs == []
        target = next(k for k, h in enumerate(hrefs) if h.startswith(f"/{IDS[body]}/{landing}"))
        links.nth(target).click()
        page.wait_for_url(f"**/{IDS[body]}/{landing}**")
        assert word in page.inner_text("article")
        assert all(u.startswith(server.base) for u in requests), [u for u in requests if not u.startswith(server.base)]
        page.close()
    finally:
        server.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "types/", "compare/", "search/?q=%E6%8B%96%E6%AC%A0", "opendata/"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_portals_pages_have_no_serious_accessibility_violations(built, browser, path, width):
    from axe_playwright_python.sync_playwright import Axe

    server = LocalServer(built)
    try:
        page = browser.new_page(viewport={"width": width, "height": 844})
        page.goto(server.base + path)
        page.wait_for_load_state("networkidle")
        violations = Axe().run(page).response["violations"]
        serious = [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in violations
                   if v["impact"] in ("serious", "critical")]
        assert serious == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing pushes the page sideways
        page.close()
    finally:
        server.close()


# ---------------------------------------------------------------- ids, reuse, failure

def _body(src: Path, dest: Path, body_id: str | None, name: str | None = None) -> Path:
    shutil.copytree(src, dest)
    site = (dest / "site.yml").read_text(encoding="utf-8")
    site = re.sub(r"(?m)^id: .*\n", "", site)
    if body_id is not None:
        site += f"id: {body_id}\n"
    if name:
        site = re.sub(r"(?m)^name: .*$", f"name: {name}", site)
    (dest / "site.yml").write_text(site, encoding="utf-8")
    return dest


def _portal_file(tmp_path: Path) -> Path:
    path = tmp_path / "portal.yml"
    path.write_text(PORTAL_YML, encoding="utf-8")
    return path


def test_a_body_without_an_id_or_with_a_taken_one_is_not_built(tmp_path):
    none = _body(SECOND_BODY, tmp_path / "none", None)
    search = _body(SECOND_BODY, tmp_path / "search", "search")
    a = _body(SECOND_BODY, tmp_path / "a", "same")
    b = _body(SECOND_BODY, tmp_path / "b", "SAME")
    out = tmp_path / "out"
    r = portal(str(none), "--site-dir", str(out), "--portal", str(_portal_file(tmp_path)), "--no-assemble")
    assert r.returncode == 1
    assert re.search(r"none/site\.yml:\d+:\d+: 错误\[no-body-id\] 编号：", r.stderr), r.stderr
    r = portal(str(search), "--site-dir", str(out), "--portal", str(_portal_file(tmp_path)), "--no-assemble")
    assert r.returncode == 1 and re.search(r"search/site\.yml:\d+:\d+: 错误\[reserved-id\]", r.stderr), r.stderr
    r = portal(str(a), str(b), "--site-dir", str(out), "--portal", str(_portal_file(tmp_path)))
    assert r.returncode == 1 and "错误[duplicate-id]" in r.stderr and str(b) in r.stderr, r.stderr
    assert not (out / "same").exists() and not (out / "SAME").exists()


@pytest.mark.parametrize("text, code, where", [
    ("名称: 门户\n", "required", ":1:1:"),
    ("名称: 门户\n网址: gongshi.example\n", "bad-url", ":2:5:"),
    ("名称: 门户\n网址: https://g.example/\n页角: x\n", "unknown-column", ":3:1:"),
])
def test_the_portal_settings_are_checked_with_located_problems(tmp_path, text, code, where):
    (tmp_path / "portal.yml").write_text(text, encoding="utf-8")
    r = portal(str(SECOND_BODY), "--site-dir", str(tmp_path / "out"), "--portal", str(tmp_path / "portal.yml"))
    assert r.returncode == 1
    assert f"portal.yml{where} 错误[{code}]" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


def test_an_unchanged_body_is_reused_and_a_failing_one_leaves_every_page_as_it_was(tmp_path):
    """Two bodies side by side; again with nothing changed (nothing built); then one of them broken: it fails with
    its report, its pages and row stay, the other is rebuilt with its change, the portal is assembled, exit 1."""
    portal_file = _portal_file(tmp_path)
    a = _body(SECOND_BODY, tmp_path / "a", "body-a", "甲单位")
    b = _body(SECOND_BODY, tmp_path / "b", "body-b", "乙单位")
    out = tmp_path / "out"
    args = [str(a), str(b), "--site-dir", str(out), "--portal", str(portal_file)]
    r = portal(*args)
    assert r.returncode == 0, r.stdout + r.stderr
    first = {p: p.read_bytes() for p in (out / "body-a").rglob("*") if p.is_file()}
    stamp = (out / "body-a" / "index.html").stat().st_mtime_ns

    r = portal(*args)
    assert r.returncode == 0 and r.stdout.count("数据和程序都没有改动") == 2, r.stdout
    assert (out / "body-a" / "index.html").stat().st_mtime_ns == stamp

    with open(a / "powers" / "licensing.csv", "a", encoding="utf-8") as fh:
        fh.write("BAD-1,坏的职权,不存在的类型,LDJC,JC-ZF,,,,,,,\n")
    (b / "site.yml").write_text((b / "site.yml").read_text(encoding="utf-8").replace("乙单位", "乙单位（改名）"),
                                encoding="utf-8")
    r = portal(*args)
    assert r.returncode == 1
    assert re.search(r"a/powers/licensing\.csv:\d+:\d+: 错误\[bad-value\]", r.stdout + r.stderr), r.stdout + r.stderr
    assert {p: p.read_bytes() for p in (out / "body-a").rglob("*") if p.is_file()} == first
    assert "乙单位（改名）" in (out / "body-b" / "index.html").read_text(encoding="utf-8")
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "甲单位" in home and "乙单位（改名）" in home  # the failed body keeps its previous pages in the portal


def test_a_matrix_job_builds_one_body_and_the_last_job_assembles(tmp_path):
    """What the CI samples run: one job per body (--no-assemble), then the portal from their outputs."""
    portal_file = _portal_file(tmp_path)
    a = _body(SECOND_BODY, tmp_path / "a", "body-a", "甲单位")
    jobs = tmp_path / "job-a"
    r = portal(str(a), "--site-dir", str(jobs), "--portal", str(portal_file), "--no-assemble")
    assert r.returncode == 0, r.stderr
    assert (jobs / "body-a/index.html").is_file() and (jobs / "opendata/bodies/body-a.json").is_file()
    assert not (jobs / "index.html").exists()
    r = portal(str(a), "--site-dir", str(jobs), "--portal", str(portal_file), "--assemble-only")
    assert r.returncode == 0, r.stderr
    assert "甲单位" in (jobs / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- the CI samples

@pytest.mark.parametrize("sample, schema", [("docs/ci/portal.github.yml", "vendor.github-workflows"),
                                            ("docs/ci/portal.gitlab-ci.yml", "vendor.gitlab-ci"),
                                            (".github/workflows/site.yml", "vendor.github-workflows"),
                                            (".gitlab-ci.yml", "vendor.gitlab-ci")])
def test_the_ci_samples_are_valid_workflow_files(sample, schema):
    """check-jsonschema ships the GitHub workflow and GitLab CI schemas: checked offline."""
    r = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(ROOT / sample)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_ci_samples_build_each_body_in_its_own_job_and_assemble_last():
    import yaml

    github = yaml.safe_load((ROOT / "docs/ci/portal.github.yml").read_text(encoding="utf-8"))
    body = github["jobs"]["body"]
    assert "matrix" in body["strategy"] and body["strategy"]["fail-fast"] is False
    steps = " ".join(s.get("run", "") for s in body["steps"])
    assert "generator portal" in steps and "--no-assemble" in steps
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in body["steps"])
    last = github["jobs"]["portal"]
    assert "body" in last["needs"] and "--assemble-only" in " ".join(s.get("run", "") for s in last["steps"])
    gitlab = yaml.safe_load((ROOT / "docs/ci/portal.gitlab-ci.yml").read_text(encoding="utf-8"))
    assert "matrix" in gitlab["body"]["parallel"]
    assert "--no-assemble" in " ".join(gitlab["body"]["script"])
    assert "--assemble-only" in " ".join(gitlab["pages"]["script"])


def test_every_portal_setting_is_documented():
    from generator.records.fields import PORTAL_FIELDS

    doc = (ROOT / "docs/portal.md").read_text(encoding="utf-8")
    for f in PORTAL_FIELDS:
        assert f"| {f.key} | {f.label} |" in doc, f.key
