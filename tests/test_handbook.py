"""The compiled handbook (汇编成册) as a reader checks it: outline, contents page numbers, every public power,
no draft or withheld one, the body's own pages marked for it, an index whose page numbers are right, embedded fonts;
the cover in the body's words (site.yml 汇编本)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.handbook.markdown import convert
from generator.records.dataset import load_dataset

from .conftest import DATA, ROOT, SECOND_BODY


def page_text(pdf, n: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def all_pages(pdf) -> list[str]:
    return [page_text(pdf, n) for n in range(1, len(PdfReader(pdf).pages) + 1)]


# The second body's own rules page, marked for the book (its pages/ folder), with what a rules page holds: a note,
# lists, emphasis, a link.
RULES_PAGE = """---
标题: 执法监督办法
汇编本: 是
---

# 执法监督办法

!!! note "适用范围"
    本办法适用于劳动保障监察执法。

## 一、日常监督

1. **日常监督**：科室负责人每月抽查案卷；
2. 群众可以通过[监督电话](../../about.md)反映。
"""


def second_body_with_rules(dest):
    shutil.copytree(SECOND_BODY, dest)
    (dest / "pages/rules").mkdir(parents=True)
    (dest / "pages/rules/supervision.md").write_text(RULES_PAGE, encoding="utf-8")
    (dest / "pages/intro.md").write_text("# 单位简介\n\n不印入汇编本的页面。\n", encoding="utf-8")
    return dest


def make_book(data, out):
    r = subprocess.run([sys.executable, "-m", "generator", "handbook", "--data", str(data), "--out", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def book_data(tmp_path_factory):
    return second_body_with_rules(tmp_path_factory.mktemp("handbook-data") / "data")


@pytest.fixture(scope="module")
def book(tmp_path_factory, book_data):
    return make_book(book_data, tmp_path_factory.mktemp("handbook") / "handbook.pdf")


def _contents(pdf) -> list[tuple[str, int]]:
    """(title, page) of each line of the contents pages, as printed."""
    entries, n = [], 2
    while True:
        text = page_text(pdf, n)
        found = re.findall(r"^\s*(\S.*?)\s*(?:\.\s*){3,}[\s\u2060]*(\d+)\s*$", text, re.M)
        if not found:
            break
        entries += [(title.strip(), int(page)) for title, page in found]
        n += 1
    return entries


def test_a4_with_embedded_fonts_and_a_cover(book):
    reader = PdfReader(book)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = subprocess.run(["pdffonts", str(book)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
    cover = page_text(book, 1)
    for text in ("示范市人力资源和社会保障局", "职权目录和廉政风险防控手册", "数据截止日期", "2024 年 6 月 30 日",
                 "附：执法监督办法"):
        assert text in cover, text
    # not a publication (the folder is not in git): no version is claimed, and no one else's words are printed
    assert "版本" not in cover and "发至" not in cover and "党组" not in cover


def test_contents_page_numbers_are_the_pages_the_headings_are_on(book):
    pages = all_pages(book)
    entries = _contents(book)
    assert len(entries) >= 6
    for title, n in entries:
        assert title in pages[n - 1].replace(" ", ""), (title, n)
    titles = [t for t, _ in entries]
    assert "职业能力建设科" in titles and "编码索引" in titles and "执法监督办法" in titles


def test_outline_bookmarks_point_where_the_contents_say(book):
    reader = PdfReader(book)
    outline = reader.outline
    assert outline, "no bookmarks"

    def flat(items):
        for item in items:
            if isinstance(item, list):
                yield from flat(item)
            else:
                yield item.title, reader.get_destination_page_number(item) + 1

    marks = dict(flat(outline))
    for title, n in _contents(book):
        assert marks.get(title) == n, (title, n, marks.get(title))
    assert "ZY-001　职业技能培训补贴发放" in marks  # powers are bookmarked too


def test_every_public_power_is_in_it_and_no_draft_or_withheld_one(book):
    ds, _ = load_dataset(SECOND_BODY)
    text = "\n".join(all_pages(book))
    for p in ds.public_powers:
        assert p.code in text and p.name in text, p.code
    for secret in ("JC-003", "劳动用工备案检查", "JC-002", "举报投诉线索", "涉及举报人信息"):
        assert secret not in text, secret
    squeezed = re.sub(r"\s+", "", text)  # Typst spaces Chinese from digits: 10 个工作日
    for field_text in ("《职业技能提升行动方案》", "虚报冒领未发现的", "10个工作日", "2024年1月15日", "技能鉴定审核岗"):
        assert field_text in squeezed, field_text


def test_flows_have_a_chart_and_their_steps_as_text(book):
    pages = [re.sub(r"\s+", "", t) for t in all_pages(book)]
    page = next(t for t in pages if "培训补贴发放流程" in t and "开始" in t)
    assert "开始" in page and "结束" in page  # the chart's own nodes, drawn as text (not an image of text)
    assert "审核—技能鉴定审核岗，时限：5个工作日" in page  # the step as text
    assert "材料不全：转“申请”" in page


def test_index_gives_the_page_of_each_code(book):
    pages = all_pages(book)
    index = pages[-1]
    rows = re.findall(r"^\s*([A-Za-z][\w.-]*)\s+\S.*?\s(\d+)\s*$", index, re.M)
    assert len(rows) >= 5
    for code, n in rows:
        assert code in pages[int(n) - 1], (code, n)


def test_the_bodys_pages_marked_for_the_book_are_converted_from_markdown(book):
    text = "\n".join(all_pages(book)).replace(" ", "")
    for part in ("执法监督办法", "适用范围", "日常监督：", "一、日常监督", "监督电话"):
        assert part in text, part
    assert "!!!" not in text and "**" not in text and "](" not in text
    assert "单位简介" not in text  # a page not marked 汇编本: 是
    # the sample's rules pages are the sample's: never in another body's book
    assert "监督检查办法" not in text and "示例文本" not in text


def test_the_cover_says_what_site_yml_says(book_data, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(book_data, data)
    with open(data / "site.yml", "a", encoding="utf-8") as fh:
        fh.write("handbook:\n  title: 权责清单汇编\n  recipients: 各科室和直属单位\n")
    cover = re.sub(r"\s", "", page_text(make_book(data, tmp_path / "book.pdf"), 1))
    assert "权责清单汇编" in cover and "发至各科室和直属单位" in cover
    assert "职权目录和廉政风险防控手册" not in cover


def test_markdown_the_book_cannot_typeset_is_kept_as_text_and_reported():
    src = "# 办法\n\n正文 **加粗**。\n\n<div>原样</div>\n\n![图](x.png)\n"
    page = convert(src, "content/rules/x.md", "rules/x.md", lambda p: "https://e.org/" + p)
    kinds = {(u.kind, u.line) for u in page.unrendered}
    assert ("html_block", 5) in kinds and ("image", 7) in kinds
    flat = repr(page.blocks)
    assert "<div>原样</div>" in flat and "加粗" in flat
    assert page.title == "办法"


def test_site_build_writes_the_handbook_and_links_it(sample_site):
    pdf = sample_site / "handbook.pdf"
    assert pdf.exists()
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert 'href="handbook.pdf"' in home
    assert 'href="../handbook.pdf"' in (sample_site / "about/index.html").read_text(encoding="utf-8")
    assert not (sample_site / "handbook").exists() and "ss-volumes" not in home  # one book: below the volume threshold
    ds, _ = load_dataset(DATA)
    text = "\n".join(all_pages(pdf))
    assert all(p.code in text for p in ds.public_powers)


def test_the_same_data_gives_the_same_book(book, book_data, tmp_path):
    again = make_book(book_data, tmp_path / "again.pdf")
    assert again.read_bytes() == book.read_bytes()


def test_tables_of_any_shape_in_a_rules_page_are_typeset(tmp_path):
    """A Markdown table in a rules page (one row short a cell, one with a cell too many, a table of a header alone,
    cells with code, emphasis and links) is typeset as a table: it once failed the whole handbook, and every build,
    with a message that named no file."""
    data = second_body_with_rules(tmp_path / "data")
    page = data / "pages/rules/supervision.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\n| 项目 | 说明 |\n|---|---|\n| 甲项 | 乙项 |\n| 单独一格 |\n"
                    "| 多 | 一 | 格 |\n\n| 只有表头 |\n|---|\n\n| 空 | |\n|:-:|--:|\n| `代码格` | **粗体格** [链接格](https://www.gov.cn/) |\n",
                    encoding="utf-8")
    out = tmp_path / "handbook.pdf"
    make_book(data, out)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for cell in ("甲项", "乙项", "单独一格", "只有表头", "代码格", "粗体格", "链接格"):
        assert cell in text, cell
# Reading on paper (issue 26): a record's heading never sits at a sheet's foot with one row of its table, and no sheet
# holds a scrap (a row spilled from the sheet before). ------------------------------------------------------------

def body_lines(pdf) -> list[list[tuple[float, str]]]:
    """Per sheet, its lines between the running header and the footer: (top, text), top to bottom."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    sheets = []
    for page in xml.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        words = [(float(y0), float(x0), w) for x0, y0, w in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', page)]
        words = sorted(w for w in words if 2.4 / 2.54 * 72 < w[0] < height - 2.2 / 2.54 * 72)
        lines: list[tuple[float, str]] = []
        for y, _, w in words:
            if lines and abs(lines[-1][0] - y) < 3:
                lines[-1] = (lines[-1][0], lines[-1][1] + " " + w)
            else:
                lines.append((y, w))
        sheets.append(lines)
    return sheets


def _handbook_of(tmp_path_factory, name: str, data) -> Path:
    out = tmp_path_factory.mktemp(name) / "handbook.pdf"
    r = subprocess.run([sys.executable, "-m", "generator", "handbook", "--data", str(data), "--out", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def long_book(tmp_path_factory):
    from .conftest import LONG_REGISTER

    return _handbook_of(tmp_path_factory, "long-handbook", LONG_REGISTER)


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory):
    return _handbook_of(tmp_path_factory, "sample-handbook", DATA)


@pytest.mark.parametrize("which", ["book", "sample_book", "long_book"])
def test_no_sheet_ends_with_a_record_heading_and_its_first_row_alone(which, request):
    pdf = request.getfixturevalue(which)
    codes = {e.code for e in load_dataset(DATA)[0].powers.values()} | {"ZY-001", "ZY-002", "JC-001"} | {
        c for c in re.findall(r"ZJ-[A-Z]+-\d+", "".join(all_pages(pdf)))}
    for n, lines in enumerate(body_lines(pdf), 1):
        tail = [text for _, text in lines[-2:]]
        # A power's table begins 编码, 名称, 类型: its heading and those rows share a sheet.
        assert not any(t.startswith("编码 ") for t in tail), (n, tail)
        assert not (tail and tail[-1].split()[0] in codes and len(tail[-1].split()) > 1), (n, tail)


@pytest.mark.parametrize("which", ["book", "sample_book", "long_book"])
def test_no_sheet_is_nearly_empty(which, request):
    """Every sheet but the cover holds at least a tenth of its text area (a risk table's last row alone on a sheet
    was 2 %; a part's two-line introduction alone on its sheet 8 %)."""
    pdf = request.getfixturevalue(which)
    area = (29.7 - 2.4 - 2.2) / 2.54 * 72
    for n, lines in enumerate(body_lines(pdf)[1:], 2):
        used = (lines[-1][0] - lines[0][0]) if lines else 0
        assert used >= 0.1 * area or n == len(PdfReader(pdf).pages) and not lines, (n, lines[:3])
