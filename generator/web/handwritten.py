"""One guard for everything published that a person wrote by hand: a folder of pages and files (content/, or the
folder a body keeps its own pages in), held to the rules the data is held to.

- links that lead out of the folder are refused without reading what is behind them (a link to /etc/passwd was
  published, typeset into the handbook and served by the preview); pipes and devices are refused;
- pages (``.md``) are read as UTF-8 and scanned for private numbers and control characters, located at file:line;
  their converted HTML is judged in web/selfcontained.py, where the engine converts them;
- other files are limited to kinds that run no script: PNG, JPEG, GIF, WebP, AVIF, ICO and BMP images whose bytes
  are what their name says, SVG drawings that pass the same judge as pages (no script, event handler or outside
  load), and PDFs without JavaScript, launch actions or embedded files. Scripts, HTML pages, stylesheets and
  anything else are refused: the site's own ones live in theme/, reviewed with the code;
- no file may take a path the site writes itself (its theme's scripts, styles and images, a generated page, the
  boards, the handbook, open data, the feed, the search index), compared without case (a Windows or IIS server
  ignores it): content/assets/javascripts/sunshine.js replaced the site's script on every page.

Pure: a folder in, problems out (and the relative paths that must not be published); the engine drops those.
"""

from __future__ import annotations

import os
import re
import stat
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..records.controls import CONTROLS, describe, first_control, visible
from ..records.privacy import find_with_positions, mask
from ..records.problems import Location, Report
from .selfcontained import Finding, judge_elements, report_findings

PAGE = ".md"
# Image kinds and the bytes each starts with (an .png that is HTML would be sniffed as a page by some servers).
IMAGES = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
          ".gif": (b"GIF87a", b"GIF89a"), ".webp": (b"RIFF",), ".avif": (b"\x00\x00\x00",),
          ".ico": (b"\x00\x00\x01\x00",), ".bmp": (b"BM",)}
SVG, PDF = ".svg", ".pdf"
ALLOWED = frozenset({PAGE, SVG, PDF, *IMAGES})
MAX_PAGE = 2 * 2**20  # a page of 2 MB is not a page
MAX_SVG = 8 * 2**20
MAX_FILE = 200 * 2**20  # a PDF, an image
MAX_INFLATED = 256 * 2**20  # a PDF's compressed streams, read to look for scripts
# Files MkDocs itself leaves out of the site (its exclude_docs default): not published, so not judged.
_SKIPPED = re.compile(r"(^|/)\.|^templates/")
# PDF names that run something: scripts, launching programs, embedded files and forms that send data.
_PDF_ACTIVE = {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"XFA",
               b"SubmitForm", b"ImportData"}
_PDF_NAME = re.compile(rb"/([A-Za-z0-9#]+)")
_PDF_STREAM = re.compile(rb"stream\r?\n")


@dataclass(frozen=True)
class Reserved:
    """Where the site writes its own files (site paths, ``/`` separated): a hand-written file may take none."""

    files: frozenset[str] = frozenset()
    folders: tuple[str, ...] = ()  # every path under these

    @property
    def folded_files(self) -> frozenset[str]:
        return frozenset(f.casefold() for f in self.files)

    @property
    def folded_folders(self) -> tuple[str, ...]:
        return tuple(f.casefold().rstrip("/") + "/" for f in self.folders)


@dataclass
class FolderCheck:
    """What the guard found: the relative paths that must not be published (files, or folders whose whole
    content), and the pages it read."""

    refused: set[str] = field(default_factory=set)
    pages: dict[str, str] = field(default_factory=dict)  # relative path → text

    def allows(self, rel: str) -> bool:
        return rel not in self.refused and not any(rel.startswith(r + "/") for r in self.refused)


def check_folder(folder: Path, shown: str, report: Report, reserved: Reserved = Reserved(),
                 allowed: frozenset[str] = frozenset(), directory_urls: bool = True) -> FolderCheck:
    """Every file of ``folder`` (``shown``: how messages name it, e.g. ``content``) against the rules above;
    ``allowed``: the canonical numbers site.yml's 隐私例外 allows. Problems go to ``report``."""
    check = FolderCheck()
    root = folder.resolve()
    reserved_files = reserved.folded_files
    reserved_folders = reserved.folded_folders
    for rel, path in _walk(folder, root, shown, report, check):
        where = Location(f"{shown}/{rel}")
        if (ch := first_control(rel)) is not None:
            report.add("control-char", where, f"文件名含有不可见的字符 {describe(ch)}")
            check.refused.add(rel)
            continue
        dest = site_path(rel, directory_urls)
        folded = dest.casefold()
        if folded in reserved_files or folded.startswith(reserved_folders):
            report.add("content-clash", where, f"这个文件会占用网站自己的 {dest}（网站的脚本、样式、图片或生成的"
                       "页面），不会发布")
            check.refused.add(rel)
            continue
        if not _judge_file(rel, path, where, report, check, allowed):
            check.refused.add(rel)
    return check


def page_texts(folder: Path, pattern: str = "*.md") -> list[tuple[Path, str]]:
    """The pages of one folder (not below it) that the guard lets be read: regular files inside the folder, UTF-8.
    The build's guard reports the others; a reader of the pages alone (the handbook) skips them."""
    if not folder.is_dir():
        return []
    root, out = folder.resolve(), []
    for path in sorted(folder.glob(pattern)):
        if not _inside(path, root) or not _regular(path):
            continue
        try:
            out.append((path, _read_page(path)))
        except (OSError, UnicodeDecodeError, ValueError):
            continue
    return out


# ---------------------------------------------------------------- walking


def _walk(folder: Path, root: Path, shown: str, report: Report, check: FolderCheck,
          rel: str = "", seen: frozenset[Path] = frozenset()) -> Iterable[tuple[str, Path]]:
    """(relative path, path) of every regular file MkDocs would publish, following links that stay inside (as MkDocs
    does) but not those that leave: those are reported and refused unread, as are pipes, devices and loops."""
    here = folder / rel if rel else folder
    try:
        entries = sorted(os.scandir(here), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        child = f"{rel}/{entry.name}" if rel else entry.name
        if _SKIPPED.search(child):
            continue
        path = Path(entry.path)
        where = Location(f"{shown}/{child}")
        if entry.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                report.add("symlink-outside", where, "这个链接指向的文件不存在")
                check.refused.add(child)
                continue
            if not target.is_relative_to(root):
                report.add("symlink-outside", where, f"这个链接指向 {shown}/ 之外，不会读取，也不会发布")
                check.refused.add(child)
                continue
        try:
            mode = path.stat().st_mode
        except OSError:
            check.refused.add(child)
            continue
        if stat.S_ISDIR(mode):
            real = path.resolve()
            if real in seen:  # a link back up: MkDocs would go round for ever
                report.add("symlink-outside", where, "这个链接指向它所在的上级文件夹，形成了循环")
                check.refused.add(child)
                continue
            yield from _walk(folder, root, shown, report, check, child, seen | {real})
        elif stat.S_ISREG(mode):
            yield child, path
        else:
            report.add("special-file", where, "这不是普通文件（可能是管道或设备文件），不会读取")
            check.refused.add(child)


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve(strict=True).is_relative_to(root)
    except (OSError, RuntimeError):
        return False


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def site_path(rel: str, directory_urls: bool = True) -> str:
    """Where MkDocs writes a file: a page ``a/b.md`` as ``a/b/index.html`` (``a/index.md``, ``a/README.md`` as
    ``a/index.html``), any other file at its own path."""
    p = PurePosixPath(rel)
    if p.suffix.lower() != PAGE:
        return rel
    stem = p.stem
    if stem.lower() in ("index", "readme"):
        return str(p.parent / "index.html") if str(p.parent) != "." else "index.html"
    base = p.parent / stem
    return str(base / "index.html") if directory_urls else str(base) + ".html"


# ---------------------------------------------------------------- files


def _judge_file(rel: str, path: Path, where: Location, report: Report, check: FolderCheck,
                allowed: frozenset[str]) -> bool:
    suffix = PurePosixPath(rel).suffix.lower()
    if suffix not in ALLOWED:
        kind = suffix or "没有扩展名的文件"
        report.add("content-file", where, f"这种文件（{kind}）不能放在网页文件夹中：只能放 Markdown 页面、图片和 PDF")
        return False
    size = path.stat().st_size
    limit = {PAGE: MAX_PAGE, SVG: MAX_SVG}.get(suffix, MAX_FILE)
    if size > limit:
        report.add("content-file", where, f"文件有 {size // 2**20} MB，超过 {limit // 2**20} MB，不会发布")
        return False
    try:
        if suffix == PAGE:  # a page with a private number is still read (its errors stop the build)
            check.pages[rel] = text = _read_page(path)
            _judge_text(text, where, report, allowed)
            return True
        if suffix == SVG:
            return _judge_svg(path.read_bytes(), where, report, allowed)
        if suffix == PDF:
            return _judge_pdf(path, where, report)
        return _judge_image(path, suffix, where, report)
    except UnicodeDecodeError:
        report.add("content-file", where, "页面不是 UTF-8 编码，无法读取", hint="用编辑器另存为 UTF-8")
    except OSError as e:
        report.add("content-file", where, f"无法读取这个文件：{e.strerror}")
    return False


def _read_page(path: Path) -> str:
    data = path.read_bytes()
    if len(data) > MAX_PAGE:
        raise ValueError("too large")
    return data.decode("utf-8-sig")


def _judge_text(text: str, where: Location, report: Report, allowed: frozenset[str]) -> None:
    """Private numbers and control characters, each at its line and column (errors: they stop the build)."""
    for number, line in enumerate(text.split("\n"), start=1):  # splitlines() would take some controls for breaks
        if (m := CONTROLS.search(line)) is not None:
            report.add("control-char", where._replace(line=number, column=m.start() + 1),
                       f"含有不可见的字符 {describe(m.group(0))}")
        for start, _, f in find_with_positions(line):
            if f.canonical in allowed:
                continue
            report.add("private-number", where._replace(line=number, column=start + 1),
                       f"疑似{f.kind}“{mask(f.number)}”：个人号码不得公开（网页文件也保存在 git 中）")


def _judge_image(path: Path, suffix: str, where: Location, report: Report) -> bool:
    with path.open("rb") as f:
        head = f.read(16)
    starts = IMAGES[suffix]
    good = head.startswith(starts)
    if suffix == ".webp":
        good = good and head[8:12] == b"WEBP"
    elif suffix == ".avif":
        good = head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis")
    if not good:
        report.add("content-file", where, f"文件名是 {suffix}，内容却不是这种图片（{visible(repr(head[:8]))}）",
                   hint="用图片软件另存为正确的格式")
    return good


def _judge_svg(data: bytes, where: Location, report: Report, allowed: frozenset[str]) -> bool:
    """An SVG opened on its own runs its scripts in the site's pages: judged as a page's HTML is, element by
    element (no DTD with entities; XHTML inside is judged the same)."""
    try:
        text = data.decode("utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig")
    except UnicodeDecodeError:
        report.add("content-file", where, "SVG 不是 UTF-8 编码，无法检查")
        return False
    if re.search(r"<!ENTITY|<!DOCTYPE[^>]*\[", text, re.I):
        report.add("content-file", where, "SVG 中定义了实体（<!ENTITY>），不会发布",
                   hint="用绘图软件重新导出为普通 SVG")
        return False
    elements: list[tuple] = []
    try:
        parser = ET.XMLPullParser(events=("start", "end", "pi"))
        parser.feed(text)
        parser.close()
        root = None
        for event, item in parser.read_events():
            if event == "pi":
                href = re.search(r"""href\s*=\s*["']([^"']*)""", item.text or "")
                elements.append(("link", {"rel": "stylesheet", "href": href.group(1) if href else ""}, ""))
            elif event == "start":
                root = item if root is None else root
                elements.append((_local(item.tag), {_attr_name(k): v for k, v in item.attrib.items()}, ""))
            elif event == "end" and _local(item.tag) == "style":
                elements.append((None, {}, "".join(item.itertext())))
    except ET.ParseError as e:
        report.add("content-file", where._replace(line=e.position[0], column=e.position[1] + 1),
                   f"SVG 无法解析（{e}）")
        return False
    if root is None or _local(root.tag) != "svg":
        report.add("content-file", where, "文件名是 .svg，内容却不是 SVG 图形")
        return False
    findings: list[Finding] = judge_elements(elements)
    report_findings(findings, text, where.file, report)
    _judge_text(text, where, report, allowed)
    return not findings


def _local(tag: str) -> str:
    return tag.rpartition("}")[2].lower() if isinstance(tag, str) else ""


def _attr_name(name: str) -> str:
    """{http://www.w3.org/1999/xlink}href → xlink:href; other namespaces keep their local name."""
    ns, _, local = name.rpartition("}")
    return f"xlink:{local}" if ns.endswith("xlink") else local.lower()


def _judge_pdf(path: Path, where: Location, report: Report) -> bool:
    """A PDF that runs scripts, launches programs or carries files: its names, in the file and in its compressed
    streams (object streams hide them), hex escapes (/J#61vaScript) decoded."""
    data = path.read_bytes()
    if not data.startswith(b"%PDF-"):
        report.add("content-file", where, "文件名是 .pdf，内容却不是 PDF")
        return False
    found = _pdf_active(data) or _pdf_active_in_streams(data)
    if found:
        report.add("content-script", where, f"PDF 中有会执行的内容（/{found}）：脚本、启动程序或嵌入的文件",
                   hint="用“打印为 PDF”或“另存为 PDF/A”重新生成这个文件")
        return False
    return True


def _pdf_active(data: bytes) -> str:
    for m in _PDF_NAME.finditer(data):
        name = m.group(1)
        if b"#" in name:
            name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda h: bytes([int(h.group(1), 16)]), name)
        if name in _PDF_ACTIVE:
            return name.decode("latin-1")
    return ""


def _pdf_active_in_streams(data: bytes) -> str:
    """The names in each stream Flate can inflate, within MAX_INFLATED in all; each stream read once (linear)."""
    budget, pos, view = MAX_INFLATED, 0, memoryview(data)
    while (m := _PDF_STREAM.search(data, pos)) is not None:
        end = data.find(b"endstream", m.end())
        end = len(data) if end < 0 else end
        pos = end + len(b"endstream")
        try:
            out = zlib.decompressobj().decompress(view[m.end():end], budget)
        except zlib.error:
            continue  # not Flate (an image's DCT, say)
        budget -= len(out)
        found = _pdf_active(out)
        if found:
            return found
        if budget <= 0:
            return "（压缩内容过大，无法检查）"
    return ""
