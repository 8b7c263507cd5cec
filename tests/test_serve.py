"""`make serve` as the web team uses it: a data error shows in the browser, naming the file, line and fix,
and the page turns back into the site once the file is fixed. Real `mkdocs serve`, real Chromium."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect, sync_playwright

from .conftest import ARGS, CHROMIUM, ROOT, SECOND_BODY

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen) -> None:
    for _ in range(240):  # up to a minute on a busy machine; not a timing assertion
        if proc.poll() is not None:
            raise AssertionError("mkdocs serve exited: " + proc.stdout.read())
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError as e:
            if getattr(e, "code", None) == 404:
                return
            time.sleep(0.25)
    raise AssertionError("mkdocs serve did not answer")


@pytest.fixture
def served(tmp_path):
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(SECOND_BODY, tmp_path / "data")
    powers = tmp_path / "data" / "powers" / "licensing.csv"
    good = powers.read_text(encoding="utf-8")
    powers.write_text(good.replace(",行政给付,", ",行政给附,"), encoding="utf-8")  # a typo on line 2, column 3
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(base, proc)
        yield base, powers, good, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_data_error_shows_in_the_browser_and_clears_when_fixed(served):
    base, powers, good, proc = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(base + "powers/")
        expect(page.locator("h1")).to_have_text("数据有错误，预览没有更新")
        problem = page.locator("li.error").first
        expect(problem.locator(".where")).to_contain_text("data/powers/licensing.csv:2:3")
        expect(problem.locator(".what")).to_contain_text("“行政给附”不是可选的类型")
        expect(problem.locator(".what")).to_contain_text("是否应为“行政给付”")
        expect(problem.locator(".fix")).to_contain_text("怎么改：")
        record = browser.new_page()  # a record page the broken build could not make: the errors again
        record.goto(base + "powers/ZY-001/")
        expect(record.locator("h1")).to_have_text("数据有错误，预览没有更新")

        powers.write_text(good, encoding="utf-8")  # the fix: the open pages reload into the site
        expect(page.locator("h1")).to_have_text("职权目录", timeout=60_000)
        expect(page.get_by_role("link", name="职业技能培训补贴发放")).to_be_visible()
        expect(record.locator("h1")).to_have_text("职业技能培训补贴发放", timeout=60_000)
        browser.close()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def _until(check, what: str, limit: float = 120) -> None:
    """Polls ``check`` until it holds (a generous limit for a busy machine: not a timing assertion)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(what)


def test_preview_shows_an_edit_drops_a_removed_record_and_search_follows(served):
    """`make serve` re-renders only what an edit changed (`--dirty` with the page caches): the edited record's
    page and the list show the new name, a removed record's page is gone, an untouched page is still there, and
    the search index is rebuilt after the pages."""
    base, powers, good, proc = served
    powers.write_text(good, encoding="utf-8")
    _until(lambda: "职业技能培训补贴发放" in _get(base + "powers/ZY-001/")[1], "the fixed data was not served")
    _until(lambda: _get(base + "pagefind/pagefind-entry.json")[0] == 200, "no search index")
    index_before = _get(base + "pagefind/pagefind-entry.json")[1]
    lines = good.splitlines(keepends=True)
    removed = next(line for line in lines if line.startswith("ZY-002,"))
    edited = "".join(line for line in lines if line is not removed).replace(
        "ZY-001,职业技能培训补贴发放,", "ZY-001,职业技能培训补贴申领与发放,")
    powers.write_text(edited, encoding="utf-8")
    _until(lambda: "职业技能培训补贴申领与发放" in _get(base + "powers/ZY-001/")[1], "the edit did not show")
    assert "职业技能培训补贴申领与发放" in _get(base + "powers/")[1]
    # Record pages whose own data did not change but which name the power are stamped again too (the preview keeps a
    # page only while its frame and its whole article are unchanged).
    assert "职业技能培训补贴申领与发放" in _get(base + "departments/ZYJS/")[1]
    assert "职业技能培训补贴申领与发放" in _get(base + "posts/JD-SH/")[1]
    assert _get(base + "powers/ZY-002/")[0] == 404  # the removed record's page went with it
    status, untouched = _get(base + "powers/JC-001/")
    assert status == 200 and "拖欠工资行政处罚" in untouched
    # A post's page shows its flows' charts as files, which the preview serves too.
    charts = re.findall(r'<img class="ss-flowchart" src="\.\./\.\./([^"]+)"', _get(base + "posts/JC-ZF/")[1])
    assert charts and all(_get(base + c)[1].startswith("<svg ") for c in charts), charts
    _until(lambda: _get(base + "pagefind/pagefind-entry.json")[1] != index_before, "the search index did not follow")


def test_serve_watches_the_theme_overrides(served):
    base, _, _, proc = served
    proc.terminate()
    out = proc.communicate(timeout=30)[0]
    watching = next(line for line in out.splitlines() if "Watching paths for changes" in line)
    assert "'theme'" in watching and "'data'" in watching


def test_a_content_page_loading_from_another_site_shows_in_the_preview_and_clears_when_fixed(served):
    """content/ is the web team's too: a pasted embed shows as the preview's error page (content/ named, file and
    line), and after the fix every page is the site again — the pages not edited since included."""
    base, powers, good, proc = served
    said: list[str] = []  # the server's output, read as it comes
    threading.Thread(target=lambda: said.extend(proc.stdout), daemon=True).start()
    shown_errors = lambda: sum("网页内容有错误，预览页显示错误列表" in line for line in said)  # noqa: E731
    powers.write_text(good, encoding="utf-8")
    _until(lambda: "职业技能培训补贴发放" in _get(base + "powers/ZY-001/")[1], "the fixed data was not served")
    about = powers.parents[2] / "content" / "guide" / "index.md"
    fine = about.read_text(encoding="utf-8")
    about.write_text(fine + '\n<iframe src="https://map.example.com/embed"></iframe>\n', encoding="utf-8")
    line = len(fine.splitlines()) + 2
    _until(lambda: "网页内容有错误，预览没有更新" in _get(base + "powers/ZY-001/")[1], "the error page did not show")
    shown = _get(base + "powers/ZY-001/")[1]
    assert f"content/guide/index.md:{line}:" in shown and "external-resource" in shown and "content/</code>" in shown
    before = shown_errors()
    # An edit of the data alone: about.md is not converted again (--dirty), and its finding still stands.
    powers.write_text(good.replace("职业技能培训补贴发放", "职业技能培训补贴申领"), encoding="utf-8")
    _until(lambda: shown_errors() > before, "the data's edit was not rebuilt")
    assert "网页内容有错误" in _get(base + "powers/ZY-001/")[1]
    about.write_text(fine, encoding="utf-8")
    _until(lambda: "职业技能培训补贴申领" in _get(base + "powers/ZY-001/")[1], "the fix did not show")
    assert "关于本站" in _get(base + "about/")[1]


def test_a_hand_written_file_over_the_sites_own_script_shows_in_the_preview_and_is_never_served(served):
    """A file in content/ that would replace the site's script (every page would run it) is refused: the preview
    shows the located error, and what it serves at that address stays the theme's own script."""
    base, powers, good, proc = served
    powers.write_text(good, encoding="utf-8")
    _until(lambda: "职业技能培训补贴发放" in _get(base + "powers/ZY-001/")[1], "the fixed data was not served")
    own = _get(base + "assets/javascripts/sunshine.js")[1]
    planted = powers.parents[2] / "content" / "assets" / "javascripts" / "sunshine.js"
    planted.parent.mkdir(parents=True)
    planted.write_text("alert(document.domain)", encoding="utf-8")
    _until(lambda: "网页内容有错误" in _get(base + "powers/ZY-001/")[1], "the error page did not show")
    shown = _get(base + "powers/ZY-001/")[1]
    assert "content/assets/javascripts/sunshine.js" in shown, shown[shown.find("<body"):][:3000]
    assert _get(base + "assets/javascripts/sunshine.js")[1] == own
    shutil.rmtree(planted.parents[1])
    _until(lambda: "职业技能培训补贴发放" in _get(base + "powers/ZY-001/")[1], "the fix did not show")
