"""Incremental builds: after edits of every kind, what the memo keeps plus what it renders is exactly a fresh render.

``EDITS`` change one thing each in the sample's files, the way the web team edits them, chosen so that every kind
of record changes and each change shows on other records' pages (a department's name on its powers' pages, a post's
name in flow charts, a risk's level on power pages, progress on the dashboard). They are applied one after
another; after each, the page sources from the memo must equal a render without one, page for page, and most pages
must have been kept (else the memo would pass by never keeping anything). A whole build with the caches is
compared with a clean build in ``test_incremental_build_is_byte_identical``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.facts.view import Facts
from generator.records.dataset import load_dataset
from generator.web.memo import PageMemo
from generator.web.pages import PageSet

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

# (file under data/, old text, new text): each old text occurs in the file.
EDITS = [
    ("departments.csv", "BGS,办公室,", "BGS,综合办公室,"),
    ("posts.csv", "BGS-ZR,办公室主任,", "BGS-ZR,办公室负责人,"),
    ("risks/资金类.csv", "超标准的不予报销,CWB-KJ", "超标准的一律不予报销,CWB-KJ"),
    ("risks/资金类.csv", "差旅、会议、接待费用超出规定标准,中,", "差旅、会议、接待费用超出规定标准,高,"),
    ("flows/财务报销.yml", "name: 部门负责人审核", "name: 部门负责人初审"),
    ("powers/办公室.csv", "BGS-001,机关公务支出审核,", "BGS-001,机关公务支出审查,"),
    ("powers/办公室.csv", "BGS-003,固定资产配置,资产管理,BGS,BGS-ZC,", "BGS-003,固定资产配置,资产管理,BGS,BGS-ZR,"),
    ("progress/2013年进度.csv", "WKXD,2013-09-30,免费胃病筛查,4500,", "WKXD,2013-09-30,免费胃病筛查,5500,"),
    ("projects/四件实事.yml", "      计划日期: 2013-12-20", "      计划日期: 2013-12-20\n      完成日期: 2013-11-20"),
    ("decisions/2013年.csv", "按季度向经审会报告执行情况。", "按月向经审会报告执行情况。"),
    ("powers/办公室.csv", "BGS-002,政府采购组织实施,物资采购,BGS,BGS-CG；BGS-ZR,《中华人民共和国政府采购法》第二十六条,"
     "依法确定采购方式；公开采购信息；组织验收,规避公开招标的；与供应商串通的；验收不严造成损失的,,,WZCG,,",
     "BGS-002,政府采购组织实施,物资采购,BGS,BGS-CG；BGS-ZR,《中华人民共和国政府采购法》第二十六条,"
     "依法确定采购方式；公开采购信息；组织验收,规避公开招标的；与供应商串通的；验收不严造成损失的,,,WZCG,不予公开,涉及采购底价"),
    ("powers/办公室.csv", "BGS-001,", "BGS-099,新增的示例职权,财务管理,BGS,BGS-ZR,《示例条例》,审核,失职的,,3个工作日,CWBX,,,"
     "2013-09-01,\nBGS-001,"),
    ("risks/资金类.csv", "R-CW-02,", "R-CW-09,新增风险点,业务流程,示例,低,示例措施,CWB-KJ,分管财务副主席,CWB-002,CWBX/CWSH,,"
     "2013-09-01\nR-CW-02,"),
    NOTICE := ("site.yml", "公告: 本站为演示站点", "公告: 本站为演示站点（已更新）"),  # in the theme, not the sources
    ("site.yml", "统计截止日期: 2013-11-30", "统计截止日期: 2013-12-15"),
]


def apply_edit(data: Path, edit: tuple[str, str, str]) -> None:
    file, old, new = edit
    path = data / file
    text = path.read_text(encoding="utf-8-sig")
    assert old in text, (file, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def sources(data: Path, memo: PageMemo | None = None) -> dict[str, str]:
    ds, report = load_dataset(data)
    assert report.ok, report.format("text")
    return PageSet(Facts(ds), memo=memo).sources()


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DATA, tmp_path / "data"))


def test_memo_keeps_only_what_did_not_change(data: Path):
    memo = PageMemo("this version")
    before = sources(data, memo)
    assert memo.kept == 0 and memo.rendered == len(before)
    for edit in EDITS:
        apply_edit(data, edit)
        fresh = sources(data)
        assert fresh != before or edit is NOTICE, f"{edit[0]}: the edit changed no page, so it tests nothing"
        kept = sources(data, memo)
        differing = sorted(src for src in fresh.keys() | kept.keys() if fresh.get(src) != kept.get(src))
        assert not differing, f"after editing {edit[0]} ({edit[2][:20]}…) the memo kept stale pages: {differing[:5]}"
        assert memo.kept > len(fresh) // 2, f"{edit[0]}: only {memo.kept} of {len(fresh)} pages kept"
        before = fresh


def test_unchanged_data_renders_nothing(data: Path):
    memo = PageMemo("this version")
    first = sources(data, memo)
    assert sources(data, memo) == first
    assert (memo.kept, memo.rendered) == (len(first), 0)


def test_memo_survives_a_save_and_a_new_version_discards_it(data: Path, tmp_path: Path):
    memo = PageMemo("this version")
    first = sources(data, memo)
    memo.save(tmp_path / "memo")
    again = PageMemo.load(tmp_path / "memo", "this version")
    assert sources(data, again) == first and again.rendered == 0
    other = PageMemo.load(tmp_path / "memo", "another version")
    assert sources(data, other) == first and other.kept == 0
    (tmp_path / "memo").write_bytes(b"damaged")
    assert PageMemo.load(tmp_path / "memo", "this version").entries == {}


def build(data: Path, site: Path, cache: Path) -> str:
    """``python -m generator build`` as the web team runs it, with its caches in ``cache``; returns what it printed."""
    env = {**os.environ, "SUNSHINE_CACHE": str(cache)}
    proc = subprocess.run([sys.executable, "-m", "generator", "build", "--data", str(data), "--site", str(site)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_site(one: Path, other: Path) -> None:
    a, b = tree(one), tree(other)
    assert a.keys() == b.keys(), sorted(a.keys() ^ b.keys())[:10]
    differing = [name for name in a if a[name] != b[name]]
    assert not differing, differing[:10]


def test_incremental_build_is_byte_identical(data: Path, tmp_path: Path):
    """Build, edit every kind of record, build again with the same caches: the site equals a clean build's, byte
    for byte (pages, charts, boards, handbook, search index, open data), and most pages came from the caches. Then
    the settings every page shows (as_of, the notice): again the same as a clean build."""
    cache = tmp_path / "cache"
    build(data, tmp_path / "first", cache)
    for edit in EDITS:
        if edit[0] != "site.yml":
            apply_edit(data, edit)
    said = build(data, tmp_path / "incremental", cache)
    build(data, tmp_path / "clean", tmp_path / "fresh-cache")
    assert_same_site(tmp_path / "incremental", tmp_path / "clean")
    kept = re.search(r"页面 (\d+) 个：(\d+) 个的内容与上次相同未重新生成", said)
    assert kept, said
    pages, sources_kept = map(int, kept.groups())
    assert sources_kept > pages // 2, said
    first, clean = tree(tmp_path / "first"), tree(tmp_path / "clean")
    assert first != clean  # the edits showed
    # …also in the flow charts' files the posts' pages show (a step renamed in 财务报销).
    assert first["flows/CWBX/chart.svg"] != clean["flows/CWBX/chart.svg"]
    assert "部门负责人初审" in clean["flows/CWBX/chart.svg"].decode()

    for edit in EDITS:
        if edit[0] == "site.yml":
            apply_edit(data, edit)
    build(data, tmp_path / "incremental-2", cache)
    build(data, tmp_path / "clean-2", tmp_path / "fresh-cache-2")
    assert_same_site(tmp_path / "incremental-2", tmp_path / "clean-2")


def test_a_new_site_address_reaches_every_record_page(data: Path):
    """Record pages carry their own address (for the QR code drawn in the browser): a new 网址 must re-render them."""
    memo = PageMemo("this version")
    sources(data, memo)
    apply_edit(data, ("site.yml", "网址: https://gh.example.org.cn/", "网址: https://gh.example.org.cn/gongshi/"))
    fresh, kept = sources(data), sources(data, memo)
    assert kept == fresh
    assert 'data-ss-qr="https://gh.example.org.cn/gongshi/powers/BZB-001/"' in kept["powers/BZB-001.md"]
    assert memo.rendered >= sum('data-ss-qr="' in text for text in fresh.values()) > 50
