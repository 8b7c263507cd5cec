"""A content/ page that would run a script or load from another site fails the build, located in its Markdown.

Each case is a placement a web team could paste from another site (an embedded map, a CDN's stylesheet, a web
font, a counter's pixel, a link that runs script); each names the code and the line it is reported at. Links to
other sites stay allowed. The cases go through the real Markdown conversion, with mkdocs.yml's extensions.
"""

from __future__ import annotations

import shutil

import markdown
import pytest
import yaml

from generator.engine.build import build_site
from generator.records.dataset import load_dataset
from generator.records.problems import Report
from generator.web.selfcontained import check_content_page

from .conftest import DATA, ROOT


def _extensions():
    """mkdocs.yml's Markdown extensions by name (the slugify option needs MkDocs' own YAML loader, and is not
    what these cases test)."""
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    return [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]


def findings(source: str) -> list[tuple[str, int]]:
    html = markdown.markdown(source, extensions=_extensions())
    report = Report()
    check_content_page(html, source, "content/x.md", report)
    assert all(p.file == "content/x.md" for p in report.problems)
    return [(p.code, p.line) for p in report.problems]


HEAD = "# 标题\n\n正文第一段。\n\n"  # the placement stands on line 5

BAD = {
    "markdown image from a CDN": ("![图](https://cdn.example.com/a.png)", [("external-resource", 5)]),
    "protocol-relative image": ('<img src="//cdn.example.com/a.png" alt="图">', [("external-resource", 5)]),
    "backslashed host": ('<img src="/\\cdn.example.com/a.png" alt="图">', [("external-resource", 5)]),
    "stylesheet": ('<link rel="stylesheet" href="https://fonts.example.com/css">', [("external-resource", 5)]),
    "web font in a style element": ('<style>@import "https://fonts.example.com/x.css";</style>',
                                    [("external-resource", 5)]),
    "background image in a style attribute": ('<div style="background: url(\'http://x.example/y.png\')">文</div>',
                                              [("external-resource", 5)]),
    "embedded map": ('<iframe src="https://map.example.com/embed?x=1"></iframe>', [("external-resource", 5)]),
    "video poster": ('<video src="v.mp4" poster="https://x.example/p.jpg"></video>', [("external-resource", 5)]),
    "srcset's second candidate": ('<img src="a.png" srcset="a.png 1x, https://x.example/b.png 2x" alt="">',
                                  [("external-resource", 5)]),
    "svg image": ('<svg><image href="https://x.example/i.png"/></svg>', [("external-resource", 5)]),
    "base elsewhere": ('<base href="https://x.example/">', [("external-resource", 5)]),
    "ftp object": ('<object data="ftp://x.example/f.swf"></object>', [("external-resource", 5)]),
    "remote script": ('<script src="https://stats.example.com/c.js"></script>',
                      [("content-script", 5), ("external-resource", 5)]),
    "inline script": ("<script>\nalert(1)\n</script>", [("content-script", 5)]),
    "javascript link": ("[点我](javascript:alert(1))", [("content-script", 5)]),
    "javascript link hidden by a tab entity": ('<a href="java&#x09;script:alert(1)">点我</a>',
                                               [("content-script", 5)]),
    "upper-case vbscript": ('<a href="VBScript:msgbox(1)">点</a>', [("content-script", 5)]),
    "event handler": ('<p onclick="alert(1)">点</p>', [("content-script", 5)]),
    "event handler by attr_list": ('段落\n{: onmouseover="alert(1)" }', [("content-script", 6)]),
    "html page as data url": ('<iframe src="data:text/html,<b>x</b>"></iframe>', [("content-script", 5)]),
    "refresh to elsewhere": ('<meta http-equiv="refresh" content="0;url=https://x.example/">',
                             [("content-script", 5)]),
}

FINE = {
    "link to another site": "[中国政府网](https://www.gov.cn/)",
    "html link to another site": '<a href="https://www.gov.cn/" target="_blank" rel="noopener">中国政府网</a>',
    "local image": "![图](img/a.png)",
    "page link": "[计算方法](projects/method.md)",
    "data image": '<img src="data:image/png;base64,iVBORw0KGgo=" alt="点">',
    "mail and phone": "<mailto:jw@example.org> 与 [电话](tel:0571-12345678)",
    "local style": '<div style="background: url(img/a.png)">文</div>',
    "the words in text": "不要写 `<script>` 或 javascript:alert(1)，onclick 也不行。",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_script_or_an_outside_load_is_an_error_at_its_line(name):
    placement, expected = BAD[name]
    assert sorted(findings(HEAD + placement + "\n")) == sorted(expected)


@pytest.mark.parametrize("name", sorted(FINE))
def test_links_out_and_local_files_are_fine(name):
    assert findings(HEAD + FINE[name] + "\n") == []


@pytest.fixture
def project(tmp_path):
    """A copy of the project's pages (content/, theme/, mkdocs.yml) whose build the test may break."""
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "data").symlink_to(DATA)
    return tmp_path


def test_the_build_stops_with_every_finding_located_and_the_site_untouched(project, capfd):
    about = project / "content" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n![地图](https://map.example.com/m.png)\n",
                     encoding="utf-8")
    line = len(about.read_text(encoding="utf-8").splitlines())
    guide = project / "content" / "guide" / "index.md"
    guide.write_text('<p onclick="alert(1)">点</p>\n\n' + guide.read_text(encoding="utf-8"), encoding="utf-8")
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("上次的网站", encoding="utf-8")
    assert build_site(load_dataset(DATA)[0], DATA, site, config_file=project / "mkdocs.yml") == 1
    said = capfd.readouterr().err
    assert f"content/about.md:{line}:7: 错误[external-resource]" in said, said  # where the address starts
    assert "content/guide/index.md:1:" in said and "错误[content-script]" in said, said
    assert "Traceback" not in said
    assert (site / "index.html").read_text(encoding="utf-8") == "上次的网站"  # nothing written over it
    assert not list(project.glob(".site-new-*"))  # the half-built site is gone too
