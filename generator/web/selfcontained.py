"""What in a page the web team wrote would run a script or load something from another site.

The site must work on an intranet and send its readers to no third party (no CDN, web font, counter or embedded
map), and no script but the site's own may run. Generated pages are safe by construction (web/escape.py); the
hand-written pages may hold any HTML, so their converted HTML is judged here, and each finding located in the
page's source.

The HTML is read as a browser reads it: by html5lib, which follows the WHATWG parsing algorithm (raw-text
elements such as ``<textarea>``, ``<xmp>``, ``<noembed>``, ``<iframe>``; ``<!-->`` comments; foreign SVG and
MathML). It is read twice, with scripting on (``<noscript>`` content is text, as in a browser that runs scripts)
and off (it is markup, as in one that does not), and every start tag the tokenizer meets is judged, including the
ones the tree builder then drops (a browser on a newer version of the standard may keep them). ``<iframe srcdoc>``
is judged as the page it is. CSS (``style`` attributes and elements) is read by tinycss2, so escapes (``\\75 rl(``),
comments and ``image-set()`` strings are seen as the browser sees them.

Links to other sites (``<a href>``) are fine: following one is the reader's choice, and loads nothing until then.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit

import html5lib
import tinycss2
from html5lib.constants import tokenTypes

from ..records.problems import Location, Report

# Attributes whose URL the browser fetches as the page loads (or as the element shows).
_LOADING = {"src", "srcset", "poster", "data", "background", "imagesrcset", "lowsrc", "dynsrc", "ping", "manifest",
            "codebase", "archive", "longdesc", "profile", "icon"}
# <link> relations that fetch nothing: any other relation with an outside href loads it.
_LINK_INERT = {"alternate", "author", "bookmark", "canonical", "help", "license", "me", "next", "prev", "search",
               "tag", "nofollow", "noopener", "noreferrer", "external", "privacy-policy", "terms-of-service"}
# Elements whose href a click follows (a navigation, the reader's choice); on any other element an outside href is
# fetched (SVG's image, use, feImage, script, pattern, gradients…) or moves every relative address (<base>).
_NAVIGATING = {"a", "area"}
# Elements that show a document of their own: a data: URL there is a page (it runs its scripts, loads what it names).
_EMBEDDING = {"iframe", "frame", "object", "embed", "portal", "fencedframe", "applet"}
# Elements that show an image: an SVG there runs no script and loads nothing.
_IMAGES = {"img", "image", "source", "input"}
_RASTER = ("data:image/png", "data:image/jpeg", "data:image/jpg", "data:image/gif", "data:image/webp",
           "data:image/avif", "data:image/bmp", "data:image/x-icon", "data:image/vnd.microsoft.icon")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:", "mocha:", "data:text/html", "data:application/xhtml",
                   "data:text/xml", "data:application/xml", "data:image/svg+xml", "data:text/javascript",
                   "data:application/javascript", "data:application/x-javascript", "data:application/ecmascript")
# CSS functions whose string arguments are URLs the browser fetches.
_CSS_URL_FUNCTIONS = {"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade", "-webkit-cross-fade"}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside a URL's scheme (java\tscript:)
_EVENT = re.compile(r"^on[a-z]")
MAX_SRCDOC_DEPTH = 3


class Finding(NamedTuple):
    code: str  # content-script or external-resource
    needles: tuple[str, ...]  # what to look for in the source, first found wins
    message: str


def check_content_page(html: str, source: str, file: str, report: Report) -> None:
    """Adds an error to ``report`` for each script and each outside load in a content page's converted HTML;
    ``source`` is the page's Markdown, where each finding is located (file:line:column)."""
    report_findings(judge_html(html), source, file, report)


def report_findings(findings: list[Finding], source: str, file: str, report: Report) -> None:
    lines = source.splitlines()
    for code, needles, message in findings:
        report.add(code, locate(lines, needles, file), message)


def locate(lines: list[str], needles: tuple[str, ...], file: str) -> Location:
    """The first line of the source holding the first of ``needles`` found there (the URL or attribute as written,
    then the element's tag: an entity in the source hides the decoded URL); else the file."""
    for needle in filter(None, needles):
        for number, line in enumerate(lines, start=1):
            column = line.lower().find(needle.lower())
            if column >= 0:
                return Location(file, number, column + 1)
    return Location(file)


# ---------------------------------------------------------------- HTML


def judge_html(html: str, depth: int = 0) -> list[Finding]:
    """Every script and outside load in an HTML fragment, as a browser with or without scripting reads it."""
    return judge_elements([e for scripting in (True, False) for e in _start_tags(html, scripting)], depth)


def judge_elements(elements, depth: int = 0) -> list[Finding]:
    """Every script and outside load among ``elements``: (tag, attributes, "") for each element as it starts, and
    (None, {}, css) for the text of each style element (an SVG file's elements are judged as a page's are)."""
    judge = _Judge(depth)
    for name, attrs, text in elements:
        if name is None:
            judge.css("style", text)
        else:
            judge.tag(name, attrs)
    return judge.found


def _start_tags(html: str, scripting: bool):
    """(name, attributes, "") for each start tag the tokenizer emits while html5lib parses ``html`` (the tree builder
    switches the tokenizer's state, as in a browser), and (None, {}, text) for the text of each <style>."""
    seen: list[tuple] = []
    parser = _RecordingParser(seen)
    parser.parseFragment(html, container="div", scripting=scripting)
    return seen


class _RecordingTokenizer(html5lib._tokenizer.HTMLTokenizer):
    def __iter__(self):
        style: list[str] | None = None
        for token in super().__iter__():
            kind = token["type"]
            if kind == tokenTypes["StartTag"]:
                self.seen.append((token["name"], dict(token["data"]), ""))
                if token["name"] == "style":
                    style = []
            elif kind in (tokenTypes["Characters"], tokenTypes["SpaceCharacters"]) and style is not None:
                style.append(token["data"])
            elif kind == tokenTypes["EndTag"] and token["name"] == "style" and style is not None:
                self.seen.append((None, {}, "".join(style)))
                style = None
            yield token
        if style is not None:
            self.seen.append((None, {}, "".join(style)))


class _RecordingParser(html5lib.HTMLParser):
    def __init__(self, seen: list):
        super().__init__(namespaceHTMLElements=False)
        self.seen = seen

    def mainLoop(self):
        self.tokenizer.__class__ = _RecordingTokenizer  # the same tokenizer, recording what it emits
        self.tokenizer.seen = self.seen
        super().mainLoop()


class _Judge:
    def __init__(self, depth: int = 0):
        self.found: list[Finding] = []
        self.depth = depth

    def add(self, finding: Finding) -> None:
        if finding not in self.found:
            self.found.append(finding)

    def tag(self, tag: str, attrs: dict[str, str]) -> None:
        tag = tag.rpartition(":")[2]
        if tag == "script":
            self._script(("<script",), "页面中有 <script> 脚本")
        rel = set(attrs.get("rel", "").lower().split())
        for raw_name, value in attrs.items():
            name = raw_name.lower().rpartition(":")[2]  # xlink:href is an href
            url = _INVISIBLE.sub("", value).lower()
            if _EVENT.match(name):
                self._script((raw_name, f"<{tag}"), f"<{tag}> 有事件处理属性 {raw_name}，会在读者的浏览器中执行脚本")
            elif url.startswith(_SCRIPT_SCHEMES) and not (url.startswith("data:image/svg+xml") and tag in _IMAGES):
                self._script((value.strip()[:20], f"<{tag}"),
                             f"<{tag} {raw_name}> 的地址是脚本或一个页面（{value.strip()[:40]}），点击或加载时会执行")
            elif name == "srcdoc":
                self._srcdoc(tag, value)
            elif name == "style":
                self.css(tag, value, inline=True)
            elif tag in _EMBEDDING and name in ("src", "data") and url.startswith("data:") \
                    and not url.startswith(_RASTER):
                self._script((value.strip()[:20], f"<{tag}"), f"<{tag}> 嵌入了 data: 内容，它会作为页面运行")
            elif self._loads(tag, name, rel):
                for u in filter(_is_outside, _urls(name, value)):
                    self._outside(tag, u.strip())
                    break
        if tag in ("animate", "set", "animatetransform", "animatemotion"):
            target = attrs.get("attributename", "").lower().rpartition(":")[2]
            if target == "href" or _EVENT.match(target):
                self._script((f"<{tag}", "attributeName"), f"<{tag}> 会把 {target} 改成别的内容（可被用来执行脚本）")
        equiv = attrs.get("http-equiv", "").strip().lower()
        if tag == "meta" and equiv in ("refresh", "set-cookie", "content-security-policy", "default-style"):
            self._script((equiv, "<meta"), f"<meta http-equiv={equiv}> 会改变页面的行为（如把读者自动转到别处或刷新）")

    @staticmethod
    def _loads(tag: str, name: str, rel: set[str]) -> bool:
        if name in _LOADING:
            return True
        if name == "href":
            if tag == "link":
                return not rel or bool(rel - _LINK_INERT)
            return tag not in _NAVIGATING
        return False

    def _srcdoc(self, tag: str, value: str) -> None:
        if self.depth >= MAX_SRCDOC_DEPTH:
            self._script(("srcdoc", f"<{tag}"), f"<{tag} srcdoc> 嵌套太深")
            return
        for code, _, message in judge_html(value, self.depth + 1):
            self.add(Finding(code, ("srcdoc", f"<{tag}"), f"<{tag} srcdoc> 中的页面：{message}"))

    def css(self, tag: str, css: str, inline: bool = False) -> None:
        for kind, url in judge_css(css):
            if kind == "script":
                self._script((url[:20], f"<{tag}", "style"), f"<{tag}> 的样式会执行脚本（{url[:40]}）")
            else:
                self._outside(tag, url)

    def _script(self, needles: tuple[str, ...], message: str) -> None:
        self.add(Finding("content-script", needles, message))

    def _outside(self, tag: str, url: str) -> None:
        self.add(Finding("external-resource", (url, f"<{tag}"), f"<{tag}> 会从其他网站加载 {url[:80]}："
                         "在内部网络或断网时无法显示，还会把读者的访问告诉对方"))


def _is_outside(url: str) -> bool:
    """A URL that leaves the site: another host (``//host``, ``https://…``) or any scheme but data:."""
    url = _INVISIBLE.sub("", url)
    if url.startswith(("//", "\\\\", "/\\", "\\/")):
        return True
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # a malformed address ([ unclosed): the browser may still fetch it
        return True
    return bool(scheme) and scheme != "data"


def _urls(name: str, value: str) -> list[str]:
    """The URLs an attribute names: a srcset lists several, each before its width or density; ping and archive
    are lists separated by spaces (or commas)."""
    if "srcset" in name:
        return [part.strip().split()[0] for part in value.split(",") if part.strip()]
    if name in ("ping", "archive"):
        return [u for u in re.split(r"[\s,]+", value) if u]
    return [value]


# ---------------------------------------------------------------- CSS


def judge_css(css: str) -> list[tuple[str, str]]:
    """("outside", url) for each URL the CSS fetches from another site, ("script", what) for what runs script
    (expression(), javascript: URLs, behaviors and bindings)."""
    found: list[tuple[str, str]] = []
    try:
        _walk_css(tinycss2.parse_component_value_list(css, skip_comments=True), found)
    except RecursionError:  # brackets nested thousands deep: no style needs that
        found.append(("script", "嵌套过深的样式"))
    return found


def _walk_css(tokens, found: list, in_url_function: bool = False) -> None:
    after_import = False  # the string after @import is a URL
    for t in tokens:
        kind = t.type
        if kind == "url" or (kind == "string" and (in_url_function or after_import)):
            _css_url(t.value, found)
        elif kind == "function":
            if t.lower_name == "expression":
                found.append(("script", "expression()"))
            _walk_css(t.arguments, found, t.lower_name in _CSS_URL_FUNCTIONS)
        elif kind in ("() block", "[] block", "{} block"):
            _walk_css(t.content, found, in_url_function)
        elif kind == "ident" and t.lower_value in ("behavior", "-moz-binding", "-ms-behavior"):
            found.append(("script", t.value))
        if kind == "at-keyword":
            after_import = t.lower_value == "import"
        elif kind != "whitespace":
            after_import = False


def _css_url(url: str, found: list) -> None:
    plain = _INVISIBLE.sub("", url).lower()
    if plain.startswith(("javascript:", "vbscript:")):
        found.append(("script", url))
    elif _is_outside(url):
        found.append(("outside", url.strip()))
