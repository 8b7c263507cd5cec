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
    # Read as a browser parses HTML (html5lib), not as Python's HTMLParser did:
    "script in an iframe's srcdoc": ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
                                     [("content-script", 5)]),
    "handler in an iframe's srcdoc": ("<iframe srcdoc='<img src=x onerror=alert(1)>'></iframe>",
                                      [("content-script", 5)]),
    "noscript closed inside an attribute": ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
                                            [("content-script", 5)]),
    "textarea closed inside an attribute": ('<textarea><p title="</textarea><img src=x onerror=alert(1)>"></textarea>',
                                            [("content-script", 5)]),
    "xmp closed inside an attribute": ('<xmp><p title="</xmp><img src=x onerror=alert(1)>"></xmp>',
                                       [("content-script", 5)]),
    "noembed closed inside an attribute": ('<noembed><p title="</noembed><img src=x onerror=alert(1)>"></noembed>',
                                           [("content-script", 5)]),
    "iframe closed inside an attribute": ('<iframe><p title="</iframe><img src=x onerror=alert(1)>"></iframe>',
                                          [("content-script", 5)]),
    "style in svg is not raw text": ('<svg><style><img src=x onerror=alert(1)></style></svg>',
                                     [("content-script", 5)]),
    "abrupt empty comment": ("<!--><img src=x onerror=alert(1)>-->", [("content-script", 5)]),
    "a tag the tree builder drops": ("<select><img src=x onerror=alert(1)></select>", [("content-script", 5)]),
    "refresh without an address": ('<meta http-equiv="refresh" content="0">', [("content-script", 5)]),
    "svg animation setting a script link": ('<svg><a><animate attributeName="href" values="javascript:alert(1)"/>'
                                            '<text y="20">点</text></a></svg>', [("content-script", 5)]),
    "mathml script link": ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', [("content-script", 5)]),
    "svg document embedded as data": ('<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
                                      [("content-script", 5)]),
    "svg document in an object": ("<object data='data:image/svg+xml,<svg onload=alert(1)>'></object>",
                                  [("content-script", 5)]),
    "css image-set": ("<div style='background-image: image-set(\"https://x.example/a.png\" 1x)'>文</div>",
                      [("external-resource", 5)]),
    "css escaped url()": ('<div style="background: \\75 rl(https://x.example/a.png)">文</div>',
                          [("external-resource", 5)]),
    "css import hidden by a comment and an escape": ('<style>@im/**/port "https://x.example/a.css"; '
                                                     'a{b:u\\72l(//x.example/b.png)}</style>',
                                                     [("external-resource", 5)]),
    "link of an unknown relation": ('<link rel="x-new" href="https://x.example/a">', [("external-resource", 5)]),
    "ping on a link": ('<a href="a.html" ping="https://stats.example/p">点</a>', [("external-resource", 5)]),
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
    "svg as an image": '<img src="data:image/svg+xml,%3Csvg%20xmlns%3D%22http://www.w3.org/2000/svg%22/%3E" alt="">',
    "a font name in quotes": "<p style=\"font-family: 'Noto Sans CJK SC', serif\">文</p>",
    "noscript note": "<noscript>本页的筛选需要脚本；不用脚本也能阅读全部内容。</noscript>",
    "escaped markup in a textarea": "<textarea readonly>&lt;script&gt;alert(1)&lt;/script&gt;</textarea>",
    "inline svg drawing": '<svg viewBox="0 0 10 10"><use href="#a"/><circle id="a" r="4"/></svg>',
    "canonical link": '<link rel="canonical" href="https://www.example.gov.cn/a/">',
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_script_or_an_outside_load_is_an_error_at_its_line(name):
    placement, expected = BAD[name]
    assert sorted(set(findings(HEAD + placement + "\n"))) == sorted(expected)


@pytest.mark.parametrize("name", sorted(FINE))
def test_links_out_and_local_files_are_fine(name):
    assert findings(HEAD + FINE[name] + "\n") == []


@pytest.fixture
def project(tmp_path):
    """A copy of the project's pages (content/, theme/, mkdocs.yml) whose build the test may break."""
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path


def test_the_build_stops_with_every_finding_located_and_the_site_untouched(project, capfd):
    """A body's own page (its data folder's pages/) and a page of content/ are held to the same rules."""
    about = project / "data" / "pages" / "rules" / "supervision.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n![地图](https://map.example.com/m.png)\n",
                     encoding="utf-8")
    line = len(about.read_text(encoding="utf-8").splitlines())
    guide = project / "content" / "guide" / "index.md"
    guide.write_text('<p onclick="alert(1)">点</p>\n\n' + guide.read_text(encoding="utf-8"), encoding="utf-8")
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("上次的网站", encoding="utf-8")
    data = project / "data"
    assert build_site(load_dataset(data)[0], data, site, config_file=project / "mkdocs.yml") == 1
    said = capfd.readouterr().err
    assert f"data/pages/rules/supervision.md:{line}:7: 错误[external-resource]" in said, said  # where the address starts
    assert "content/guide/index.md:1:" in said and "错误[content-script]" in said, said
    assert "Traceback" not in said
    assert (site / "index.html").read_text(encoding="utf-8") == "上次的网站"  # nothing written over it
    assert not list(project.glob(".site-new-*"))  # the half-built site is gone too
