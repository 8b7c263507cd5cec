"""Everything published that a person wrote by hand (content/, or wherever a body keeps its own pages) is held to the
data's rules: links out of the folder refused unread, private numbers and control characters located, files limited
to kinds that run no script, none taking a path the site writes itself, front matter escaped where the theme prints
it. Each case names its code and where it is reported; a real build shows the guard stops it and leaves the site."""

from __future__ import annotations

import os
import shutil
import zlib
from pathlib import Path

import html5lib
import pytest
import typst

from generator.engine.build import build_site
from generator.records.dataset import load_dataset
from generator.records.problems import Report
from generator.web.handwritten import Reserved, check_folder, page_texts

from .conftest import DATA, ROOT

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
CLEAN_SVG = ('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
             '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
             '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 9 9">\n'
             '<style>circle { fill: #c00 }</style><defs><circle id="c" r="3"/></defs>\n'
             '<use xlink:href="#c"/><a href="https://www.gov.cn/"><text>链接</text></a></svg>\n')


def clean_pdf() -> bytes:
    return typst.compile(b'#set page(width: 5cm, height: 3cm)\n= Hello')


def pdf_with(action: bytes, compressed: bool = False) -> bytes:
    """A one-page PDF whose catalogue runs ``action`` when opened; in an object stream when ``compressed``."""
    body = b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S " + action + b" >> >>"
    if compressed:
        stream = zlib.compress(b"1 0 " + body)
        return (b"%PDF-1.7\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
                + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream\nendobj\n%%EOF\n")
    return b"%PDF-1.4\n1 0 obj\n" + body + b"\nendobj\n%%EOF\n"


def run(folder: Path, reserved: Reserved | None = None, allowed=frozenset()):
    report = Report()
    check = check_folder(folder, "content", report, reserved or Reserved(), allowed)
    return check, sorted((p.code, p.file, p.line) for p in report.problems)


CASES = {  # file → (content, [(code, line)]): each in a folder of its own
    "page.md": ("# 标题\n\n正文。\n", []),
    "img/a.png": (PNG, []),
    "drawing.svg": (CLEAN_SVG, []),
    "report.pdf": (clean_pdf(), []),
    "script.js": ("alert(1)", [("content-file", 0)]),
    "page.html": ("<script>alert(1)</script>", [("content-file", 0)]),
    "page.htm": ("<script>alert(1)</script>", [("content-file", 0)]),
    "style.css": ("body{}", [("content-file", 0)]),
    "noext": ("x", [("content-file", 0)]),
    "fake.png": ("<html><script>alert(1)</script></html>", [("content-file", 0)]),
    "fake.pdf": ("<script>alert(1)</script>", [("content-file", 0)]),
    "fake.svg": ("<html><body>x</body></html>", [("content-file", 0)]),
    "script.svg": ('<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script></svg>',
                   [("content-script", 2)]),
    "onload.svg": ('<svg xmlns="http://www.w3.org/2000/svg"\n onload="alert(1)"/>', [("content-script", 2)]),
    "xhtml.svg": ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject>\n<iframe xmlns="http://www.w3.org/1999/xhtml"'
                  ' srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"/></foreignObject></svg>', [("content-script", 2)]),
    "link.svg": ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
                 '<a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', [("content-script", 2)]),
    "remote.svg": ('<svg xmlns="http://www.w3.org/2000/svg">\n<image href="https://x.example/a.png"/></svg>',
                   [("external-resource", 2)]),
    "css.svg": ('<svg xmlns="http://www.w3.org/2000/svg"><style>\n@import "//x.example/a.css";</style></svg>',
                [("external-resource", 2)]),
    "sheet.svg": ('<?xml-stylesheet href="https://x.example/a.css"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
                  [("external-resource", 1)]),
    "entity.svg": ('<!DOCTYPE svg [<!ENTITY a "aaaa">]>\n<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
                   [("content-file", 0)]),
    "number.svg": ('<svg xmlns="http://www.w3.org/2000/svg">\n<text>王某 138 0013 8000</text></svg>',
                   [("private-number", 2)]),
    "js.pdf": (pdf_with(b"/JavaScript /JS (app.alert(1))"), [("content-script", 0)]),
    "hex.pdf": (pdf_with(b"/J#61vaScript /J#53 (app.alert(1))"), [("content-script", 0)]),
    "hidden.pdf": (pdf_with(b"/JavaScript /JS (app.alert(1))", compressed=True), [("content-script", 0)]),
    "launch.pdf": (pdf_with(b"/Launch /F (calc.exe)"), [("content-script", 0)]),
    "numbers.md": ("# 联系\n\n值班 1380 013 8000；\n身份证 11010519491231002X。\n", [("private-number", 3),
                                                                               ("private-number", 4)]),
    "control.md": ("# 标题\n\n文字\x1b[31m红\n", [("control-char", 3)]),
    "gbk.md": ("# 标题".encode("gbk"), [("content-file", 0)]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_file_kind_is_judged_and_located(tmp_path, name):
    content, expected = CASES[name]
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    check, found = run(tmp_path)
    assert [(code, line) for code, _, line in found] == expected
    assert all(file == f"content/{name}" for _, file, _ in found)
    # Refused (never copied) unless only its text is at fault: then it is read, and its errors stop the build.
    assert check.allows(name) == all(code in ("private-number", "control-char") for code, _ in expected)


def test_an_allowed_number_passes_in_a_page(tmp_path):
    (tmp_path / "a.md").write_text("值班手机 137 0000 1111\n", encoding="utf-8")
    assert run(tmp_path, allowed=frozenset({"13700001111"}))[1] == []


def test_links_out_of_the_folder_are_refused_unread(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("身份证 11010519491231002X\n", encoding="utf-8")
    folder = tmp_path / "content"
    (folder / "rules").mkdir(parents=True)
    (folder / "rules" / "passwd.md").symlink_to("/etc/passwd")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    (folder / "gone.png").symlink_to(tmp_path / "missing.png")
    (folder / "rules" / "real.md").write_text("# 制度\n", encoding="utf-8")
    (folder / "inside.md").symlink_to(folder / "rules" / "real.md")  # a link that stays inside is fine
    os.mkfifo(folder / "pipe.md")
    check, found = run(folder)
    assert found == [("special-file", "content/pipe.md", 0), ("symlink-outside", "content/elsewhere", 0),
                     ("symlink-outside", "content/gone.png", 0), ("symlink-outside", "content/rules/passwd.md", 0)]
    assert sorted(check.pages) == ["inside.md", "rules/real.md"]  # nothing behind the links was read
    assert not check.allows("elsewhere/secret.md") and not check.allows("rules/passwd.md")
    assert [p.name for p, _ in page_texts(folder / "rules")] == ["real.md"]  # the handbook's reader too


def test_no_file_takes_a_path_the_site_writes_itself_in_any_case(tmp_path):
    reserved = Reserved(files=frozenset({"assets/javascripts/sunshine.js", "powers/ZY-001/index.html"}),
                        folders=("posters",))
    for name in ("Assets/Images/x.png", "posters/a.pdf", "powers/ZY-001.md", "powers/zy-001/index.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(PNG if name.endswith(".png") else b"%PDF-1.4\n" if name.endswith("pdf")
                                      else "# 页\n".encode())
    (tmp_path / "assets/javascripts").mkdir(parents=True)
    (tmp_path / "assets/javascripts/SunShine.js").write_text("alert(1)", encoding="utf-8")
    _, found = run(tmp_path, Reserved(reserved.files, ("posters", "assets/images")))
    assert [(c, f) for c, f, _ in found] == [
        ("content-clash", "content/Assets/Images/x.png"), ("content-clash", "content/assets/javascripts/SunShine.js"),
        ("content-clash", "content/posters/a.pdf"), ("content-clash", "content/powers/ZY-001.md"),
        ("content-clash", "content/powers/zy-001/index.md")]


# ---------------------------------------------------------------- real builds


@pytest.fixture
def project(tmp_path):
    """A copy of the project's pages (content/, theme/, mkdocs.yml) whose build the test may break."""
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(DATA, tmp_path / "data")  # the body's own pages (data/pages/) are guarded too
    return tmp_path


def test_the_build_stops_on_what_the_guard_refuses_and_keeps_the_site(project, capfd):
    content = project / "content"
    (content / "assets/javascripts").mkdir(parents=True)
    (content / "assets/javascripts/sunshine.js").write_text("alert(document.domain)", encoding="utf-8")
    (content / "x.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    data = project / "data"
    (data / "pages/rules/passwd.md").symlink_to("/etc/passwd")
    about = data / "pages/rules/supervision.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n联系人手机 138·0013·8000\n", encoding="utf-8")
    line = len(about.read_text(encoding="utf-8").splitlines())
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("上次的网站", encoding="utf-8")
    assert build_site(load_dataset(data)[0], data, site, config_file=project / "mkdocs.yml") == 1
    said = capfd.readouterr().err
    for expected in ("content/assets/javascripts/sunshine.js: 错误[content-clash]", "content/x.html: 错误[content-file]",
                     "data/pages/rules/passwd.md: 错误[symlink-outside]",
                     f"data/pages/rules/supervision.md:{line}:7: 错误[private-number]"):
        assert expected in said, said
    assert "root:x:" not in said and "Traceback" not in said
    assert (site / "index.html").read_text(encoding="utf-8") == "上次的网站"


def test_published_files_pass_and_front_matter_is_text(project):
    """Allowed files are published beside the pages; a page's title and description from its front matter show as
    the text written (Material printed them as HTML), and the site's own script stays the site's."""
    content = project / "content"
    (content / "img").mkdir()
    (content / "img" / "a.png").write_bytes(PNG)
    (content / "img" / "d.svg").write_text(CLEAN_SVG, encoding="utf-8")
    (content / "report.pdf").write_bytes(clean_pdf())
    about = project / "data" / "pages" / "rules" / "supervision.md"  # a body's page, named in every page's menu
    payload = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
    text = about.read_text(encoding="utf-8").split("---\n", 2)[2]
    about.write_text(f"---\ntitle: '关于{payload.replace(chr(39), chr(39) * 2)}'\n"
                     f"description: '说明{payload.replace(chr(39), chr(39) * 2)}'\n---\n\n" + text, encoding="utf-8")
    site = project / "site"
    data = project / "data"
    assert build_site(load_dataset(data)[0], data, site, config_file=project / "mkdocs.yml") == 0
    for name in ("img/a.png", "img/d.svg", "report.pdf"):
        assert (site / name).read_bytes() == (content / name).read_bytes()
    assert (site / "assets/javascripts/sunshine.js").read_bytes() == (
        ROOT / "theme/assets/javascripts/sunshine.js").read_bytes()
    for page in (site / "rules/supervision/index.html", site / "index.html"):  # the page, and a page naming it
        tree = html5lib.parse(page.read_text(encoding="utf-8"), namespaceHTMLElements=False)
        assert not [e for e in tree.iter() if any(a.startswith("on") for a in e.attrib)], page
        assert not [e for e in tree.iter("script") if "alert" in (e.text or "")], page
    about_tree = html5lib.parse((site / "rules/supervision/index.html").read_text(encoding="utf-8"),
                                namespaceHTMLElements=False)
    assert payload in about_tree.find(".//title").text  # shown as the text written
