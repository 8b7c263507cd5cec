"""A real build of the sample, the second body and a hostile dataset, read back as a visitor's browser would."""

from __future__ import annotations

import hashlib
import re
import shutil

from generator.records.dataset import load_dataset

from .conftest import DATA, SECOND_BODY, build
from .sitecheck import all_text, broken_links, external_resources, live_payloads


def html(site, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_every_public_record_has_a_page_at_its_url(second_site):
    ds, _ = load_dataset(SECOND_BODY)
    for p in ds.public_powers:
        assert (second_site / "powers" / p.code / "index.html").exists()
    for kind, records in (("risks", ds.risks), ("posts", ds.posts), ("departments", ds.departments),
                          ("flows", ds.flows), ("projects", ds.projects)):
        for rid in records:
            assert (second_site / kind / rid / "index.html").exists(), (kind, rid)
    for section in ("", "powers/", "risks/", "posts/", "departments/", "flows/", "projects/", "projects/method/",
                    "withheld/", "search/", "opendata/", "guide/", "guide/data/", "about/"):
        assert (second_site / section / "index.html").exists(), section


def test_power_page_shows_every_field_and_links_both_ways(sample_site):
    page = html(sample_site, "powers/BZB-001")
    for text in ("困难职工帮扶资金审批", "资金分配", "《全国总工会关于加强困难职工帮扶工作的意见》", "入户核查", "优亲厚友的",
                 "20个工作日", "10个工作日", "2013年8月20日", "024-0000 0000"):
        assert text in page, text
    for link in ('href="../../departments/BZB/"', 'href="../../posts/BZB-BF/"', 'href="../../flows/KNBF/"',
                 'href="../../risks/R-BF-01/"'):
        assert link in page, link
    assert 'href="../../powers/BZB-001/"' in html(sample_site, "risks/R-BF-01")
    assert 'href="../../powers/BZB-001/"' in html(sample_site, "departments/BZB")
    assert 'href="../../powers/BZB-001/"' in html(sample_site, "posts/BZB-BF")
    assert 'href="../../powers/BZB-001/"' in html(sample_site, "flows/KNBF")


def test_risk_page_links_its_step_post_and_power(sample_site):
    page = html(sample_site, "risks/R-BF-01")
    assert 'href="../../flows/KNBF/#step-HC"' in page
    assert 'href="../../posts/BZB-BF/"' in page
    assert "高风险" in page
    assert 'id="step-HC"' in html(sample_site, "flows/KNBF")
    assert 'href="../../risks/R-BF-01/"' in html(sample_site, "posts/BZB-BF")


def test_key_posts_are_marked_with_their_areas(sample_site):
    page = html(sample_site, "posts/CWB-CN")
    assert "重点岗位" in page and '<span class="ss-area">财</span>' in page
    assert "秦某（出纳）" in page


def test_no_broken_internal_links(sample_site, second_site):
    assert broken_links(sample_site) == []
    assert broken_links(second_site, base_path="/gongshi/") == []  # its base_url ends in /gongshi


def test_nothing_is_loaded_from_outside(sample_site):
    assert external_resources(sample_site) == []
    for css in sample_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css
    assert "fonts.googleapis" not in "".join(p.read_text(encoding="utf-8") for p in sample_site.rglob("*.html"))


def test_drafts_appear_nowhere_and_withheld_only_by_name_and_reason(second_site):
    texts = all_text(second_site)
    assert any(p.suffix.startswith(".pf_") for p in texts), "search index not found"
    for path, text in texts.items():
        assert "劳动用工备案检查" not in text and "JC-003" not in text, path
    holders = [p.relative_to(second_site).as_posix() for p, t in texts.items() if "举报投诉线索" in t]
    assert holders == ["withheld/index.html"]
    withheld = html(second_site, "withheld")
    assert "涉及举报人信息" in withheld and "JC-002" not in withheld


def test_record_pages_stay_out_of_the_navigation(sample_site):
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert "powers/BZB-001/" not in home
    assert "职权目录" in home


def test_every_page_is_dated(sample_site):
    for page in sample_site.rglob("index.html"):
        if page.parent.name in ("404",):
            continue
        text = page.read_text(encoding="utf-8")
        assert "数据截止日期：" in text or "核对日期：" in text, page


def test_footer_carries_the_government_site_fields(second_site):
    page = (second_site / "index.html").read_text(encoding="utf-8")
    for text in ("主办单位：示范市人力资源和社会保障局", "网站标识码：0000000001", "示ICP备12345678号", "示公网安备 00000000000001号"):
        assert text in page, text


def test_hostile_text_stays_text(hostile_site):
    pages = {p: p.read_text(encoding="utf-8") for p in [*hostile_site.rglob("*.html"), *hostile_site.rglob("*.svg")]}
    assert any(p.name == "chart.svg" for p in pages)  # the flow charts as files are read too
    joined = "\n".join(pages.values())
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in joined or "&lt;script&gt;alert(&quot;x&quot;)" in joined
    for path, text in pages.items():
        assert '<script>alert("x")' not in text, path
        assert "onerror=alert" not in text.replace("onerror=alert(1)&gt;", ""), path
        assert not re.search(r'href="\s*javascript:', text, re.I), path
        assert "<em>斜</em>" not in text, path
    power = (hostile_site / "powers/ZY-001/index.html").read_text(encoding="utf-8")
    assert "#set $x$ \\ {{7*7}} *斜*" in power
    assert "<title>培训补贴&lt;script&gt;" in power


def test_failed_build_keeps_the_previous_site_and_never_writes_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SECOND_BODY, data)
    site = tmp_path / "site"
    assert build(data, site).returncode == 0
    before = _tree_hash(site)
    (data / "risks/risks.csv").write_text((data / "risks/risks.csv").read_text(encoding="utf-8")
                                          .replace(",高,", ",特高,"), encoding="utf-8")
    data_before = _tree_hash(data)
    r = build(data, site)
    assert r.returncode == 1
    assert "特高" in r.stderr and "原有网站保持不变" in r.stderr and "Traceback" not in r.stderr
    assert _tree_hash(site) == before
    assert _tree_hash(data) == data_before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-")]


def test_same_data_gives_a_byte_identical_site(sample_site, tmp_path):
    again = tmp_path / "again"
    assert build(DATA, again, cache=tmp_path / "new-cache").returncode == 0  # nothing reused
    assert _tree_hash(again) == _tree_hash(sample_site)


def _tree_hash(root) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_hostile_text_in_every_field_stays_text(everywhere_site):
    """No <script> with the payload, no on* handler, no javascript: link on any page (tests/hostile.py)."""
    assert live_payloads(everywhere_site) == {}
    csv_cells = (everywhere_site / "opendata/powers.csv").read_text(encoding="utf-8-sig")
    assert "<script>" in csv_cells  # the payload is in the data, as text


def test_a_name_beyond_the_basic_plane_is_the_pages_title(everywhere_site):
    """Every record's name ends in 𠮷 (tests/hostile.py): each page's <title> and description keep it (a JSON
    surrogate pair in the front matter once made YAML fail, and the page fell back to its file name)."""
    for kind in ("powers", "posts", "risks", "departments", "flows", "projects"):
        pages = sorted(everywhere_site.glob(f"{kind}/*/index.html"))
        assert pages, kind
        for path in pages[:20]:
            text = path.read_text(encoding="utf-8")
            title = re.search(r"<title>(.*?)</title>", text).group(1).split(" - ", 1)[0]  # then the site's name
            assert "𠮷" in title, (path, title)
            assert "&#55" not in text, path  # no lone surrogate written as a character reference
