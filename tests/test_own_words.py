"""A body's own words (DOMAIN.md, v2): everything that speaks for a body comes from its data folder and settings; a
body that is not the sample publishes none of the sample's texts, words or rules anywhere (pages, PDFs, search
index, feed, workbooks); the guard warns where a body still holds a sample text; menus, home cards and list pages
follow what the body publishes; the web team's pages stay off the public menus, sitemap and search."""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.facts.view import Facts
from generator.records.dataset import load_dataset
from generator.records.sampletexts import FINGERPRINT, _load, digest, sample_fingerprint, sentences
from generator.web.menu import SECTIONS, menu_paths, site_menu
from generator.web.pages import PageSet

from .conftest import DATA, ROOT, SECOND_BODY, build
from .sitecheck import all_text, broken_links

TOWN = Path(__file__).resolve().parent / "fixtures" / "town"
# Words that speak for the sample body (a trade-union federation) or state its rules: none may reach another body's
# site. (Its sentences are checked too, through the fingerprint.)
SAMPLE_WORDS = ("工会", "职工", "党组成员", "三重一大", "报销", "帮扶资金", "四服务", "辽宁", "经费审查", "示例文本",
                "民主集中制", "纪检组", "监督检查办法", "责任追究办法", "考核评价办法", "监督制度", "发至")


@pytest.fixture(scope="module")
def town_site(tmp_path_factory) -> Path:
    """The town's site, built from a copy outside any repository (the fixture's folder is in the project's: its
    commits would be the town's publications, and the page set would depend on the checkout)."""
    root = tmp_path_factory.mktemp("town")
    shutil.copytree(TOWN, root / "data")
    site = root / "site"
    r = build(root / "data", site)
    assert r.returncode == 0, r.stderr
    assert "sample-text" not in r.stderr
    return site


class _Text(HTMLParser):
    """A page's text nodes, each on its own (a sentence never runs from one cell into the next)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _sentences_of(path: Path, text: str) -> set[str]:
    if path.suffix == ".html":
        parser = _Text()
        parser.feed(text)
        chunks = parser.parts
    elif path.suffix == ".pdf":  # lines of a paragraph joined again
        raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
        chunks = [re.sub(r"\s+", "", raw)]
    else:
        chunks = [text]
    return {digest(u) for chunk in chunks for u in sentences(chunk)}


def sample_traces(site: Path) -> list[tuple[str, str]]:
    """(file, what) for every sample word and every sample sentence found in any output of ``site``."""
    _, known = _load()
    found = []
    for path, text in all_text(site).items():
        flat = re.sub(r"\s", "", text)
        found += [(path.relative_to(site).as_posix(), word) for word in SAMPLE_WORDS if word in flat]
        found += [(path.relative_to(site).as_posix(), "sentence " + d) for d in _sentences_of(path, text) & known]
    return found


def test_a_body_that_is_not_a_union_publishes_none_of_the_samples_words_texts_or_rules(town_site):
    texts = all_text(town_site)
    kinds = {p.suffix for p in texts}
    assert {".html", ".pdf", ".xml", ".csv", ".json", ".xlsx"} <= kinds and any(k.startswith(".pf_") for k in kinds)
    assert sample_traces(town_site) == []


def test_the_scan_finds_the_samples_words_in_the_samples_own_site(sample_site):
    """The scan above can fail: on the sample's own site it finds its words in pages, PDFs and the search index."""
    found = sample_traces(sample_site)
    files = {f for f, _ in found}
    assert any(f.endswith(".pdf") for f in files) and any(f.startswith("pagefind/") for f in files)
    assert {w for _, w in found} >= {"工会", "职工", "报销", "三重一大", "监督检查办法"}
    assert any(w.startswith("sentence ") for _, w in found)


def test_the_bodys_words_come_from_its_settings(sample_site, town_site):
    home = (town_site / "index.html").read_text(encoding="utf-8")
    assert "接受群众和社会监督" in home  # the town's 监督主体
    assert 'placeholder="例如：行政许可、' in home  # its own power categories, most used first
    risks = (town_site / "risks/index.html").read_text(encoding="utf-8")
    assert "列为高风险" not in risks  # no rating rule the town never stated
    sample_home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert "接受职工群众和社会监督" in sample_home and 'placeholder="例如：报销、帮扶资金、采购"' in sample_home
    assert "“三重一大”事项的岗位列为高风险" in (sample_site / "risks/index.html").read_text(encoding="utf-8")
    assert "民主集中制" in (sample_site / "decisions/index.html").read_text(encoding="utf-8")


def test_the_menu_home_and_lists_follow_what_the_body_publishes(town_site):
    home = (town_site / "index.html").read_text(encoding="utf-8")
    tabs = [t.strip() for t in re.findall(r'class="md-tabs__link[^"]*"[^>]*>\s*([^<]+)', home)]
    assert tabs == ["首页", "职权目录", "运行流程", "廉政风险", "岗位", "部门", "政务公开工作制度", "关于本站",
                    "开放数据", "搜索"]
    for absent in ("projects", "decisions", "withheld", "changes", "rules"):  # no commitments, decisions, history…
        assert not (town_site / absent).exists(), absent
        assert f'href="{absent}/"' not in home, absent
    assert "承诺事项" not in home and "重大决策" not in home and "督办" not in home
    about = (town_site / "about/index.html").read_text(encoding="utf-8")
    assert "承诺事项" not in about and "重大决策" not in about and "政务公开工作制度" in about
    sitemap = (town_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "projects/" not in sitemap and "openness/" in sitemap
    assert broken_links(town_site, "/gongkai/") == []


def _without(ds, kind: str):
    """The second body with no records of ``kind``, and the references to them dropped, as a valid folder without
    that kind would be. (Departments are left out: every post and power must name one.)"""
    def each(records: dict, **changes) -> dict:
        return {k: dataclasses.replace(r, **changes) for k, r in records.items()}

    if kind == "flows":
        return dataclasses.replace(ds, flows={}, powers=each(ds.powers, flow=""), risks=each(ds.risks, steps=[]))
    if kind == "posts":
        flows = {k: dataclasses.replace(f, steps=[dataclasses.replace(s, post="") for s in f.steps])
                 for k, f in ds.flows.items()}
        return dataclasses.replace(ds, posts={}, powers=each(ds.powers, posts=[]), risks=each(ds.risks, post=""),
                                   flows=flows)
    if kind == "projects":
        return dataclasses.replace(ds, projects={}, progress=[], decisions=each(ds.decisions, projects=[]))
    return dataclasses.replace(ds, **{kind: {}})


@pytest.mark.parametrize("kind", ["powers", "flows", "risks", "posts", "projects", "decisions"])
def test_a_kind_with_no_public_records_has_no_menu_entry_home_card_or_list(kind):
    ds, report = load_dataset(SECOND_BODY)
    assert report.ok
    facts = Facts(_without(ds, kind))
    menu = menu_paths(site_menu(facts, history=False, opendata=True, search=True))
    page = next(page for k, _, page in SECTIONS if k == kind)
    assert page not in menu and all(p in menu for k, _, p in SECTIONS if k != kind)
    sources = PageSet(facts).sources()
    assert page not in sources and not any(s.startswith(f"{kind}/page/") for s in sources)
    assert f"rel_path('{kind}/')" not in sources["index.md"] and f'href="{kind}/"' not in sources["index.md"]
    for other in (p for k, _, p in SECTIONS if k != kind):
        assert other in sources, other  # the others stay


def test_withheld_powers_have_a_section_only_when_there_are_some():
    ds, _ = load_dataset(SECOND_BODY)
    with_them = Facts(ds)
    assert "withheld.md" in menu_paths(site_menu(with_them, history=False, opendata=True, search=True))
    none = Facts(dataclasses.replace(ds, powers={c: p for c, p in ds.powers.items() if p.is_public}))
    assert "withheld.md" not in menu_paths(site_menu(none, history=False, opendata=True, search=True))
    assert "withheld.md" not in PageSet(none).sources()


def test_the_web_teams_pages_are_off_the_public_menus_sitemap_and_search(town_site):
    home = (town_site / "index.html").read_text(encoding="utf-8")
    assert "使用说明" not in re.sub(r"<footer.*", "", home, flags=re.S)  # not in the menu
    assert re.search(r'<a href="guide/"[^>]*>网站维护</a>', home)  # …but linked from the footer
    sitemap = (town_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "guide/" not in sitemap and "about/" in sitemap
    for page in ("guide", "guide/data", "guide/problems"):
        text = (town_site / page / "index.html").read_text(encoding="utf-8")
        assert '<meta name="robots" content="noindex">' in text, page
        assert "data-pagefind-body" not in text, page
    indexed = [gzip.decompress(p.read_bytes()) for p in (town_site / "pagefind" / "fragment").glob("*.pf_fragment")]
    urls = [json.loads(f[f.index(b"{"):])["url"] for f in indexed]
    assert urls and not any("guide/" in u for u in urls)
    assert any("openness/" in u for u in urls)  # the body's own page is searched


def test_the_preview_serves_the_web_teams_pages_from_the_same_build(town_site):
    """`make serve` builds what `build` builds: the guide is there, with its field reference and problem codes."""
    guide = (town_site / "guide/index.html").read_text(encoding="utf-8")
    assert 'href="data/"' in guide and 'href="problems/"' in guide
    assert "本单位的页面" in (town_site / "guide/data/index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- the body's pages


def test_a_bodys_pages_make_its_menu_by_folder_and_order(tmp_path):
    from generator.web.menu import page_menu

    data = tmp_path / "data"
    shutil.copytree(TOWN, data)
    pages = data / "pages"
    (pages / "zhidu").mkdir()
    (pages / "zhidu/index.md").write_text("---\ntitle: 本镇制度\n---\n\n# 本镇制度\n", encoding="utf-8")
    (pages / "zhidu/b.md").write_text("---\n排序: 1\n---\n\n# 财务制度\n", encoding="utf-8")
    (pages / "zhidu/a.md").write_text("# 考勤制度\n", encoding="utf-8")
    (pages / "notes").mkdir()
    (pages / "notes/x.md").write_text("# 说明\n", encoding="utf-8")
    ds, report = load_dataset(data)
    assert report.ok and not report.warnings
    menu = [(i.title, i.path, [(c.title, c.path) for c in i.children]) for i in page_menu(ds.pages)]
    assert menu == [("政务公开工作制度", "openness.md", []),
                    ("notes", "", [("说明", "notes/x.md")]),  # no index.md: the folder's name
                    ("本镇制度", "", [("", "zhidu/index.md"), ("财务制度", "zhidu/b.md"), ("考勤制度", "zhidu/a.md")])]


def test_a_bodys_pages_folder_is_held_to_the_hand_written_pages_guard(tmp_path):
    """The guard of issue 24 (web/handwritten.py) applies wherever a body's pages live: check and build judge the
    body's pages folder as they judge content/ — an image is published beside the pages, a script is refused."""
    data = tmp_path / "data"
    shutil.copytree(TOWN, data)
    png = b"\x89PNG\r\n\x1a\n" + bytes(32)
    (data / "pages/map.png").write_bytes(png)
    ok = build(data, tmp_path / "site")
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "site/map.png").read_bytes() == png
    (data / "pages/tracker.js").write_text("alert(1)", encoding="utf-8")
    page = data / "pages/openness.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n值班手机 13812345678\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "generator", "check", "--data", str(data), "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    found = {(p["code"], Path(p["file"]).name) for p in json.loads(proc.stdout)}
    assert {("content-file", "tracker.js"), ("private-number", "openness.md")} <= found
    refused = build(data, tmp_path / "site")
    assert refused.returncode == 1 and "tracker.js" in refused.stderr
    assert (tmp_path / "site/map.png").exists() and not (tmp_path / "site/tracker.js").exists()  # kept as it was


@pytest.mark.parametrize("name", ["about.md", "index.md", "powers/x.md", "guide/more.md", "changes.md"])
def test_a_page_at_an_address_the_site_uses_is_an_error(tmp_path, name):
    data = tmp_path / "data"
    shutil.copytree(TOWN, data)
    (data / "pages" / name).parent.mkdir(parents=True, exist_ok=True)
    (data / "pages" / name).write_text("# 页\n", encoding="utf-8")
    _, report = load_dataset(data)
    assert [(p.code, Path(p.file).name) for p in report.errors] == [("reserved-page", Path(name).name)]


def test_a_pages_settings_are_checked_where_they_are_written(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TOWN, data)
    (data / "pages/openness.md").write_text("---\n标题: 制度\n汇编本: 也许\n排序: 第一\n---\n\n# 制度\n", encoding="utf-8")
    _, report = load_dataset(data)
    assert sorted((p.code, p.line, p.field) for p in report.errors) == [("bad-bool", 3, "汇编本"), ("bad-number", 4, "排序")]


# ---------------------------------------------------------------- the guard


def _sample_sentences() -> tuple[str, str, str]:
    """A long text cell of the sample's powers, one of its site settings and a line of its rules pages."""
    ds, _ = load_dataset(DATA)
    cell = next(r for p in ds.powers.values() for r in p.responsibilities if len(r) >= 16)
    rule = next(line for line in (DATA / "pages/rules/supervision.md").read_text(encoding="utf-8").splitlines()
                if line.startswith("4. **公开监督**"))
    return cell, ds.site.texts.decisions_intro, rule


def test_check_and_build_warn_where_a_body_publishes_a_sample_text(tmp_path):
    cell, setting, rule = _sample_sentences()
    data = tmp_path / "data"
    shutil.copytree(TOWN, data)
    powers = data / "powers/镇政府权责清单.csv"
    powers.write_text(powers.read_text(encoding="utf-8").replace("受理申请；组织实地踏勘", f"{cell}；组织实地踏勘"),
                      encoding="utf-8")
    with open(data / "site.yml", "a", encoding="utf-8") as fh:
        fh.write(f"  重大决策说明: {setting}\n")
    page = data / "pages/openness.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{rule}\n", encoding="utf-8")
    line = len(page.read_text(encoding="utf-8").splitlines())
    proc = subprocess.run([sys.executable, "-m", "generator", "check", "--data", str(data), "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr  # warnings: the body may still publish
    found = {(Path(p["file"]).relative_to(data).as_posix(), p["line"], p["field"])
             for p in json.loads(proc.stdout) if p["code"] == "sample-text"}
    assert found == {("powers/镇政府权责清单.csv", 2, "责任事项"), ("site.yml", 15, "重大决策说明"),
                     ("pages/openness.md", line, "")}
    r = build(data, tmp_path / "site")
    assert r.returncode == 0, r.stderr
    said = r.stdout + r.stderr
    assert f"pages/openness.md:{line}:1: 警告[sample-text]" in said
    assert "镇政府权责清单.csv:2:7: 警告[sample-text] 责任事项" in said


def test_the_sample_itself_and_other_bodies_are_not_warned():
    for data in (DATA, SECOND_BODY, TOWN):
        _, report = load_dataset(data)
        assert not [p for p in report.problems if p.code == "sample-text"], data


def test_the_fingerprint_of_the_samples_texts_is_current():
    """Regenerate with ``python scripts/sample_fingerprint.py`` after changing the sample's texts."""
    assert sample_fingerprint(DATA) == FINGERPRINT.read_text(encoding="utf-8")


def test_the_pages_command_writes_the_bodys_own_pages_beside_the_generated_ones(tmp_path):
    """What another engine (or a portal's job) needs to build the body: every page, its own ones included."""
    out = tmp_path / "pages"
    r = subprocess.run([sys.executable, "-m", "generator", "pages", "--data", str(TOWN), "--out", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert (out / "openness.md").read_text(encoding="utf-8") == (TOWN / "pages/openness.md").read_text(encoding="utf-8")
    assert (out / "about.md").exists() and not (out / "projects").exists()


def test_the_as_of_date_may_be_written_under_its_public_name(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TOWN, data)
    site = data / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("统计截止日期:", "数据截止日期:"), encoding="utf-8")
    ds, report = load_dataset(data)
    assert report.ok and ds.as_of.isoformat() == "2024-12-31"
