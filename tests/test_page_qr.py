"""A record page's "在手机上打开" QR code, drawn in the browser (theme/assets/javascripts/qr.js), read back with zbar
the way a phone's camera would: exactly the page's address. Without scripts the address is there as text; on a
phone the block is hidden and its encoder never fetched."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.facts.view import Facts
from generator.records.dataset import load_dataset
from generator.web.pages import PageSet

from .conftest import DATA, LocalServer

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://gh.example.org.cn/"  # 网址 in data/site.yml
RECORD_PAGES = ["powers/BZB-001/", "risks/R-BF-01/", "posts/BZB-BF/", "departments/BZB/", "projects/ZYXD/",
                "decisions/JC-2013-01/"]
ENCODER = "assets/javascripts/vendor/qrcode.js"


def open_page(browser, url: str, **context):
    """A page opened and settled, with the requests it made and any dialog a script raised."""
    ctx = browser.new_context(**({"viewport": {"width": 1280, "height": 900}} | context))
    page = ctx.new_page()
    page.requested, page.dialogs = [], []
    page.on("request", lambda r: page.requested.append(r.url))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return ctx, page


def decoded(page, tmp_path: Path) -> str:
    """The drawn code as it is on the screen, at its size on the screen, read by zbar."""
    png = tmp_path / "qr.png"
    page.locator(".ss-qr__code svg").screenshot(path=str(png))
    return subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True).stdout.strip()


@pytest.mark.parametrize("path", RECORD_PAGES)
def test_record_page_code_reads_as_exactly_its_own_address(browser, sample, path, tmp_path):
    ctx, page = open_page(browser, sample + path)
    try:
        figure = page.locator("figure.ss-qr")
        assert figure.is_visible()
        assert decoded(page, tmp_path) == BASE + path
        assert page.locator(".ss-qr__code svg").get_attribute("aria-label") == "二维码：" + BASE + path
        assert not page.locator(".ss-qr__url").is_visible()  # the code stands in for the text
        assert page.dialogs == []
    finally:
        ctx.close()


def test_print_keeps_the_drawn_code(browser, sample, tmp_path):
    ctx, page = open_page(browser, sample + "powers/BZB-001/")
    try:
        page.emulate_media(media="print")
        assert page.locator(".ss-qr__code svg").is_visible()
        assert decoded(page, tmp_path) == BASE + "powers/BZB-001/"
        pdf = tmp_path / "print.pdf"
        page.pdf(path=str(pdf), format="A4")
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "sheet")],
                       check=True)
        sheet = next(tmp_path.glob("sheet*.png"))
        read = subprocess.run(["zbarimg", "--quiet", "--raw", str(sheet)], capture_output=True, text=True).stdout
        assert read.strip() == BASE + "powers/BZB-001/"
    finally:
        ctx.close()


def test_without_scripts_the_address_is_text(browser, sample):
    ctx, page = open_page(browser, sample + "powers/BZB-001/", java_script_enabled=False)
    try:
        assert page.locator(".ss-qr__url").is_visible()
        assert page.locator(".ss-qr__url").inner_text() == BASE + "powers/BZB-001/"
        assert page.locator(".ss-qr svg").count() == 0
        assert ENCODER not in " ".join(page.requested)
        # Printed without scripts: the address is on the sheet.
        page.emulate_media(media="print")
        assert page.locator(".ss-qr__url").is_visible()
    finally:
        ctx.close()


def test_phone_hides_the_block_and_never_fetches_the_encoder(browser, sample):
    ctx, page = open_page(browser, sample + "powers/BZB-001/", viewport={"width": 390, "height": 844},
                          is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        assert page.locator("figure.ss-qr").count() == 1
        assert not page.locator("figure.ss-qr").is_visible()
        assert not [u for u in page.requested if u.endswith(ENCODER)]
    finally:
        ctx.close()


def test_pages_without_a_code_do_not_load_the_script(browser, sample):
    for path in ("powers/", "flows/KNBF/", ""):
        ctx, page = open_page(browser, sample + path)
        try:
            assert not [u for u in page.requested if "/qr.js" in u or u.endswith(ENCODER)], path
        finally:
            ctx.close()


HOSTILE_BASE = 'https://x.org/"><img src=x onerror=alert("qr-img")><script>alert("qr-script")</script>&amp;\'/'


def hostile_figure() -> tuple[str, str]:
    """The QR block of a power page whose base address got past the site.yml check with markup in it."""
    ds, _ = load_dataset(DATA)
    ds.site.base_url = HOSTILE_BASE
    source = PageSet(Facts(ds)).sources()["powers/BZB-001.md"]
    figure = re.search(r'<figure class="ss-qr".*?</figure>', source, re.S).group(0)
    return figure, HOSTILE_BASE + "powers/BZB-001/"


def test_hostile_address_stays_an_attribute_value_and_text(browser, tmp_path):
    figure, url = hostile_figure()
    assert "<img" not in figure and "<script" not in figure
    site = tmp_path / "site"
    shutil.copytree(ROOT / "theme/assets/javascripts", site / "assets/javascripts")
    (site / "index.html").write_text(
        f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>t</title>'
        f'<link rel="stylesheet" href="sunshine.css"></head><body class="md-typeset">{figure}'
        f'<script src="assets/javascripts/qr.js" defer></script></body></html>', encoding="utf-8")
    shutil.copy(ROOT / "theme/assets/stylesheets/sunshine.css", site / "sunshine.css")
    server = LocalServer(site)
    try:
        ctx, page = open_page(browser, server.base)
        try:
            assert page.locator("figure.ss-qr").get_attribute("data-ss-qr") == url
            assert page.locator(".ss-qr__url").text_content() == url
            assert page.locator("img, body > script:not([src])").count() == 0
            assert page.locator(".ss-qr__code svg").get_attribute("aria-label") == "二维码：" + url
            assert decoded(page, tmp_path) == url
            assert page.dialogs == []
        finally:
            ctx.close()
    finally:
        server.close()
