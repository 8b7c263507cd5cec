"""Wall boards as staff print them: the paper size, real fonts, the text on them and a QR code that scans."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys

import pytest

from generator.boards.render import BoardMaker, PosterError, cjk_fonts
from generator.charts.flowchart import flow_dot, render_svg
from generator.facts.view import Facts
from generator.records.dataset import load_dataset

from .conftest import PAYLOAD, ROOT, SECOND_BODY, make_hostile

A3 = "841.89 x 1190.55 pts (A3)"


def pdfinfo(path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line) | {}


def text_of(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


def qr_of(path, tmp_path) -> str:
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
                   check=True, capture_output=True)
    png = next(tmp_path.glob("page*.png"))
    return subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def second_boards(tmp_path_factory):
    out = tmp_path_factory.mktemp("boards")
    r = subprocess.run([sys.executable, "-m", "generator", "posters", "--data", str(SECOND_BODY), "--out", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return out


def test_one_board_per_key_post_department_and_commitment(second_boards):
    ds, _ = load_dataset(SECOND_BODY)
    names = sorted(p.relative_to(second_boards).as_posix() for p in second_boards.rglob("*.pdf"))
    expected = sorted([f"posts/{p.id}.pdf" for p in ds.posts.values() if p.key_post]
                      + [f"departments/{d}.pdf" for d in ds.departments] + [f"projects/{p}.pdf" for p in ds.projects])
    assert names == expected


def test_key_post_board_is_a3_with_embedded_fonts_and_every_risk(second_boards):
    pdf = second_boards / "posts/JC-ZF.pdf"
    info = pdfinfo(pdf)
    assert info["Page size"].strip() == A3 and info["Pages"].strip() == "1"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+yes\s+yes\b", f) for f in fonts), fonts
    assert any("CJK" in f for f in fonts)
    text = text_of(pdf)
    assert "监察执法岗" in text and "岗位廉政风险防控公示栏" in text
    assert "选择性执法" in text  # its only risk point
    assert "2024年6月30日" in re.sub(r"\s", "", text)


def test_qr_decodes_to_exactly_the_record_url(second_boards, tmp_path):
    assert qr_of(second_boards / "posts/JC-ZF.pdf", tmp_path) == "https://rsj.example.gov.cn/gongshi/posts/JC-ZF/"


def test_commitment_board_shows_status_and_targets(second_boards):
    text = re.sub(r"\s", "", text_of(second_boards / "projects/PX2024.pdf"))
    for word in ("承诺事项公示", "全年开展补贴性职业技能培训", "当前状态：", "培训人次", "20000", "9800"):
        assert word in text, word


def test_forty_risks_continue_on_a_second_sheet_marked_continued(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SECOND_BODY, data)
    with open(data / "risks/many.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["编号", "风险点", "风险等级", "防控措施", "责任岗位", "责任领导"])
        for i in range(1, 41):
            w.writerow([f"M{i:02d}", f"第{i:02d}号风险点较长的名称用于测试换页", "高中低"[i % 3],
                        "；".join(f"第{i}号风险的第{k}条防控措施，写得比较长以便占满版面" for k in range(1, 4)),
                        "JC-ZF", "支队长"])
    ds, report = load_dataset(data)
    assert report.ok, report.format("text")
    pdf = tmp_path / "board.pdf"
    pdf.write_bytes(BoardMaker(Facts(ds)).pdf("posts", ds.posts["JC-ZF"]))
    assert int(pdfinfo(pdf)["Pages"]) >= 2
    pages = text_of(pdf).split("\f")
    assert "（续）" not in pages[0] and "（续）" in pages[1]
    text = re.sub(r"\s", "", text_of(pdf))
    for i in range(1, 41):
        assert f"第{i:02d}号风险点" in text, i
    assert "第40号风险的第3条防控措施" in text


def test_hostile_text_prints_literally(tmp_path):
    ds, report = load_dataset(make_hostile(tmp_path / "data"))
    assert report.ok
    pdf = tmp_path / "board.pdf"
    pdf.write_bytes(BoardMaker(Facts(ds)).pdf("posts", ds.posts["JD-SH"]))
    text = re.sub(r"\s", "", text_of(pdf))
    assert re.sub(r"\s", "", PAYLOAD) in text


@pytest.mark.parametrize("paper,size", [("A4", "595.276 x 841.89 pts (A4)"), ("A2", "1190.55 x 1683.78 pts (A2)")])
def test_paper_size_comes_from_site_yml(tmp_path, paper, size):
    data = tmp_path / "data"
    shutil.copytree(SECOND_BODY, data)
    site = (data / "site.yml").read_text(encoding="utf-8").replace("paper: A3", f"paper: {paper}")
    (data / "site.yml").write_text(site, encoding="utf-8")
    ds, _ = load_dataset(data)
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(BoardMaker(Facts(ds)).pdf("departments", ds.departments["LDJC"]))
    assert pdfinfo(pdf)["Page size"].strip() == size


def test_boards_are_byte_identical_between_runs():
    ds, _ = load_dataset(SECOND_BODY)
    assert BoardMaker(Facts(ds)).pdf("posts", ds.posts["JC-ZF"]) == BoardMaker(Facts(ds)).pdf("posts", ds.posts["JC-ZF"])


def test_missing_cjk_font_is_a_clear_error(monkeypatch):
    monkeypatch.setattr("generator.boards.render.shutil.which", lambda name: None)
    with pytest.raises(PosterError, match="Noto Sans CJK SC.*fonts-noto-cjk"):
        cjk_fonts()


def test_flow_chart_marks_each_linked_risk_and_labels_each_branch():
    ds, _ = load_dataset(ROOT / "data")
    links = Facts(ds)
    flow = ds.flows["KNBF"]
    svg = render_svg(flow_dot(flow, ds.posts, links.risks_of_step), flow.name, "说明")
    linked = links.risks_of_flow(flow)
    assert svg.count("▲") == len(linked) == 5
    for _step, risk in linked:
        assert f"▲{risk.level}" in svg
    conditions = [b.condition for s in flow.steps for b in s.next if b.condition]
    for c in conditions:
        assert svg.count(f">{c}<") == 1, c
    assert "<title" in svg and "<desc" in svg and "<?xml" not in svg


def test_a_step_with_very_many_risks_is_summarised_by_level():
    from generator.records.model import Branch, Flow, RiskPoint, Step

    flow = Flow(id="F", name="流程", steps=[Step(id="A", name="甲"), Step(id="B", name="乙", next=[Branch(to="A")],
                                                                            end=False), Step(id="C", name="丙")])
    flow.steps[1].next = []
    risks = [RiskPoint(id=f"R{i}", name=f"很长的风险点名称{i}" * 5, level="高中低"[i % 3]) for i in range(1500)]
    svg = render_svg(flow_dot(flow, {}, {("F", "B"): risks}), "流程", "说明")
    assert "▲高×500" in svg and "▲中×500" in svg and "▲低×500" in svg
    assert "等 1500 个" in svg


# Boards read from two metres: no text below 9 pt, a QR code of at least 4 cm, charts that fill their sheet ---------

FLOOR_PT = 9.0


def word_boxes(pdf) -> list[tuple[int, float, float, float, str]]:
    """(page, yMin, yMax, height, text) of every word; a word's box is exactly as high as its font size."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    words, page = [], 0
    for line in xml.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            y0, y1 = float(m.group(1)), float(m.group(2))
            words.append((page, y0, y1, y1 - y0, m.group(3)))
    return words


def qr_side_cm(pdf, tmp_path, dpi=150) -> float:
    """The printed side of the QR code on sheet 1, quiet zone excluded: rendered in grey at a known resolution, the
    topmost black row in the footer's right-hand part runs across the tops of the two upper finder patterns."""
    stem = tmp_path / "qr"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", "1", str(pdf), str(stem)], check=True)
    raw = next(tmp_path.glob("qr*.pgm")).read_bytes()
    magic, w, h, maxval, pixels = raw.split(maxsplit=4)
    w, h = int(w), int(h)
    assert magic == b"P5" and int(maxval) == 255
    rows = [pixels[y * w:(y + 1) * w] for y in range(h)]
    # The footer begins under the last rule drawn across the sheet.
    rule = max(y for y in range(h // 2, h) if sum(1 for x in range(w // 10, w * 9 // 10) if rows[y][x] < 160) > 0.75 * w)
    run = round(0.6 / 2.54 * dpi)  # a finder pattern's top edge: seven modules of unbroken black (text has no such run)
    for y in range(rule + 4, h):
        row = rows[y]
        dark = [x for x in range(int(w * 0.7), w) if row[x] < 40]
        if dark and any(all(row[x] < 40 for x in range(start, start + run)) for start in dark if start + run < w):
            return (dark[-1] - dark[0] + 1) / dpi * 2.54
    raise AssertionError("no QR code in the footer")


@pytest.fixture(scope="module")
def sample_boards(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample-boards")
    r = subprocess.run([sys.executable, "-m", "generator", "posters", "--data", str(ROOT / "data"), "--out", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return out


def test_no_text_on_any_sample_board_is_smaller_than_9pt(sample_boards):
    pdfs = sorted(sample_boards.rglob("*.pdf"))
    assert len(pdfs) > 30
    for pdf in pdfs:
        smallest = min(word_boxes(pdf), key=lambda w: w[3])
        assert smallest[3] >= FLOOR_PT - 0.01, (pdf.name, smallest)


@pytest.mark.parametrize("board", ["posts/BZB-BF.pdf", "departments/BGS.pdf", "projects/DYYJ-FZX1.pdf"])
def test_qr_code_is_at_least_4cm_and_its_short_address_is_printed_under_it(sample_boards, tmp_path, board):
    pdf = sample_boards / board
    assert 4.0 <= qr_side_cm(pdf, tmp_path) <= 5.0
    url = qr_of(pdf, tmp_path)
    short = url.removeprefix("https://")
    assert short in text_of(pdf).split("\f")[0]


def test_key_post_board_chart_shows_each_step_with_its_post_and_time_limit(sample_boards):
    text = re.sub(r"\s", "", text_of(sample_boards / "posts/BZB-BF.pdf"))
    for words in ("入户核查", "帮扶资金管理岗·时限：5个工作日", "资金发放", "出纳岗·时限：5个工作日"):
        assert words in text, words


def test_commitment_board_has_its_progress_chart_and_latest_records(sample_boards):
    pdf = sample_boards / "projects/WKXD.pdf"
    text = re.sub(r"\s", "", text_of(pdf))
    assert "进度走势" in text and "统计截止" in text and "最新进度记录" in text
    assert "2013年11月25日" in text and "确诊职工已转入治疗救助" in text
    assert pdfinfo(pdf)["Pages"].strip() == "1"


LONG_FLOW = """\
编号: WZCG
名称: 政府采购项目实施流程
说明: 依照《政府采购法》及实施条例，机关货物和服务采购从需求到支付的全过程。
环节:
  - {编号: XQ, 名称: 使用部门提出采购需求并编制年度采购计划, 岗位: BGS-ZC, 时限: 每年第四季度}
  - 编号: SH
    名称: 办公室审核采购需求、预算和采购方式
    岗位: BGS-ZR
    时限: 3个工作日
    下一步: [{到: LZ, 条件: 达到公开招标数额标准}, {到: XJ, 条件: 限额以下}]
  - {编号: LZ, 名称: 党组会集体研究采购事项和采购方式, 时限: 下次党组会, 下一步: ZB}
  - {编号: ZB, 名称: 委托采购代理机构发布公开招标公告, 岗位: BGS-CG, 时限: 不少于20日, 下一步: PB}
  - {编号: XJ, 名称: 向三家以上供应商询价并两人以上比价, 岗位: BGS-CG, 时限: 5个工作日, 下一步: PB}
  - 编号: PB
    名称: 随机抽取评审专家进行评标或评审
    岗位: BGS-CG
    时限: 开标当日
    下一步: [{到: HT, 条件: 评审有效}, {到: SH, 条件: 投标不足三家，重新确定采购方式}]
  - {编号: HT, 名称: 公示中标结果后签订政府采购合同, 岗位: BGS-CG, 时限: 中标通知书发出后30日内}
  - 编号: YS
    名称: 使用部门、资产管理岗和采购岗共同组织履约验收
    岗位: BGS-ZC
    时限: 到货后5个工作日
    下一步: [{到: RK, 条件: 验收合格}, {到: HT, 条件: 不合格，按合同退换}]
  - {编号: RK, 名称: 登记固定资产卡片并办理入库手续, 岗位: BGS-ZC, 时限: 3个工作日}
  - {编号: FK, 名称: 财务部门审核发票和验收单后支付合同价款, 岗位: CWB-CN, 时限: 5个工作日}
"""


def test_a_long_real_flow_gets_a_full_sheet_readable_at_9pt(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "flows/物资采购.yml").write_text(LONG_FLOW, encoding="utf-8")
    ds, report = load_dataset(data)
    assert report.ok, report.format("text")
    pdf = tmp_path / "board.pdf"
    pdf.write_bytes(BoardMaker(Facts(ds)).pdf("posts", ds.posts["BGS-CG"]))
    (tmp_path / "long-flow-board.pdf").write_bytes(pdf.read_bytes())
    words = word_boxes(pdf)
    assert min(w[3] for w in words) >= FLOOR_PT - 0.01
    text = re.sub(r"\s", "", text_of(pdf))
    assert "随机抽取评审专家进行评标或评审" in text and "政府采购岗·时限：开标当日" in text
    # The chart's sheet is a full sheet, not a strip: its steps spread over most of the sheet's height.
    chart_page = max(w[0] for w in words if w[4] == "登记固定资产卡片并办理入库手续")
    height = float(pdfinfo(pdf)["Page size"].split()[2])
    ys = [w[1] for w in words if w[0] == chart_page and w[4] in {"开始", "结束"}]
    assert len(ys) == 2 and (max(ys) - min(ys)) > 0.5 * height, ys


def test_department_with_hundreds_of_powers_gets_a_wall_sized_board(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    from synthetic import make_dataset

    ds, report = load_dataset(make_dataset(tmp_path / "data", powers=400, risks_per_power=0.5))
    assert report.ok
    from generator.boards.render import write_boards

    paths = {p.name: p for p in write_boards(Facts(ds), tmp_path / "posters")}
    dept = paths["LDJC.pdf"]
    assert int(pdfinfo(dept)["Pages"]) == 1
    text = text_of(dept)
    assert "共 201 项" in text and "重点岗位 1 个" in text and "第 0 号风险点" in text  # counts, key posts, a high risk
    assert "扫描二维码查看完整目录" in text and "第 198 号职业培训" not in text  # the full list is online, behind the QR
    assert qr_of(dept, tmp_path).endswith("/departments/LDJC/")
    # A key post with 201 powers and 200 risks (real ones have tens) summarises too: counts, high risks, QR code.
    post = paths["JC-ZF.pdf"]
    assert int(pdfinfo(post)["Pages"]) <= 2  # the summary, and its flow chart on a sheet of its own
    text = text_of(post).replace("\n", "")
    assert "岗位职权（共 201 项）" in text and "第 0 号风险点" in text and "另有高风险点" in text
    assert "第 398 号职业培训与劳动监察事项" not in text
    assert qr_of(post, tmp_path).endswith("/posts/JC-ZF/")


def test_cached_boards_are_the_boards_typeset_afresh(tmp_path, monkeypatch):
    import generator.boards.render as render
    from generator.site.cache import Cache

    ds, _ = load_dataset(SECOND_BODY)
    facts = Facts(ds)
    fresh = [p.read_bytes() for p in render.write_boards(facts, tmp_path / "a", jobs=1)]
    render.write_boards(facts, tmp_path / "b", cache=Cache(tmp_path / "cache"))  # fills it, in two processes

    def no_typesetting(*args):
        raise AssertionError("typeset although cached")

    monkeypatch.setattr(render, "_compile", no_typesetting)
    cached = [p.read_bytes() for p in render.write_boards(facts, tmp_path / "c", cache=Cache(tmp_path / "cache"))]
    assert cached == fresh


# The measure of a board's text (issue 26): every text's size as set on the sheet, and the flow and progress charts'
# text computed from their drawings — the drawing's smallest font times the scale it is placed at on the sheet, read
# from the PDF's transformation matrices — so a chart drawn as paths is measured too. ------------------------------

def text_runs(pdf) -> list[tuple[int, float, float, str]]:
    """(sheet, size in pt, height of its baseline above the sheet's foot, text) of every run of text: its font size
    times the text and transformation matrices."""
    from pypdf import PdfReader

    out = []
    for n, page in enumerate(PdfReader(pdf).pages, 1):
        def seen(text, cm, tm, font, size, n=n):
            if text.strip():
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                out.append((n, round(size * abs(tm[3]) * abs(cm[3]), 2), round(y, 1), text.strip()))
        page.extract_text(visitor_text=seen)
    return out


def text_sizes(pdf) -> list[tuple[int, float, str]]:
    return [(n, size, text) for n, size, _, text in text_runs(pdf)]


def legible_parts(pdf) -> list[tuple[float, str]]:
    """A board's text but its small print: the body above the footer, and the footer's 监督举报 line (the date, the
    version, the QR code's instruction and address, and the sheet count stay smaller)."""
    runs = [r for r in text_runs(pdf) if r[0] == 1]
    report = next(y for _, _, y, t in runs if t.startswith("监督举报"))
    body = [(s, t) for _, s, y, t in runs if y > report + 1 and not re.search(r"二维码|完整内容|最新情况|张|^\d+$", t)]
    return body + [(s, t) for _, s, y, t in runs if abs(y - report) <= 1]


def placed_scales(pdf) -> list[set[float]]:
    """Per sheet, the scales the drawings are placed at: every uniform scaling in its content stream (SVG images
    become groups whose matrix is the image's width on the sheet over the drawing's own)."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(pdf)
    scales = []
    for page in reader.pages:
        found = set()
        for args, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"cm":
                a, b, _, d = (float(x) for x in args[:4])
                if b == 0 and abs(a + d) < 1e-6 and abs(abs(a) - 1) > 1e-3:
                    found.add(round(abs(a), 4))
        scales.append(found)
    return scales


def chart_text_pt(pdf, inputs: str) -> float | None:
    """The smallest chart text on the board, in pt: each placed drawing's smallest font × its scale. The QR code (its
    modules drawn at 4 units) is told apart by its known scale."""
    import json

    from generator.boards.render import qr_side_cm
    from generator.charts.flowchart import smallest_text

    data = json.loads(inputs)
    qr_units = float(re.search(r'width="([\d.]+)"', data["qr"]).group(1))
    qr_scale = round(qr_side_cm(data["url"]) / 2.54 * 72 / qr_units * 4, 4)
    svgs = [dr["svg"] for dr in (data.get("flow") or {}).values()] + [c["svg"] for c in data.get("charts", [])]
    if not svgs:
        return None
    smallest = min(smallest_text(svg) for svg in svgs)
    scales = [s for page in placed_scales(pdf) for s in page if abs(s - qr_scale) > 1e-3]
    return round(smallest * min(scales), 2) if scales else None


def body_size(sizes) -> float:
    """The body text's size: the size most characters of the first sheet are set in."""
    weight: dict[float, int] = {}
    for page, size, text in sizes:
        if page == 1:
            weight[size] = weight.get(size, 0) + len(text)
    return max(weight, key=weight.get)


@pytest.fixture(scope="module")
def long_boards(tmp_path_factory):
    """The register as real ones are published (tests/fixtures/long_register): long laws, a long flow, long names."""
    from .conftest import LONG_REGISTER

    ds, report = load_dataset(LONG_REGISTER)
    assert report.ok
    maker = BoardMaker(Facts(ds))
    out = tmp_path_factory.mktemp("long-boards")
    boards = {}
    for kind, record in Facts(ds).boards:
        inputs = maker.inputs(kind, record)
        pdf = out / f"{kind}-{record.id}.pdf"
        pdf.write_bytes(maker.pdf(kind, record))
        boards[f"{kind}/{record.id}"] = (pdf, inputs)
    return boards


@pytest.fixture(scope="module")
def sample_board_inputs():
    ds, _ = load_dataset(ROOT / "data")
    maker = BoardMaker(Facts(ds))
    return {f"{kind}/{record.id}": (maker, kind, record) for kind, record in Facts(ds).boards}


def test_every_board_kind_keeps_all_its_text_and_its_charts_text_at_9pt(long_boards, sample_boards,
                                                                          sample_board_inputs):
    measured = {}
    for name, (pdf, inputs) in long_boards.items():
        measured[f"住建 {name}"] = (pdf, inputs)
    for name in ("posts/BZB-BF", "posts/CWB-CN", "projects/ZYXD", "projects/WKXD", "departments/BZB"):
        maker, kind, record = sample_board_inputs[name]
        measured[f"示例 {name}"] = (sample_boards / f"{name}.pdf", maker.inputs(kind, record))
    charts = 0
    for name, (pdf, inputs) in measured.items():
        smallest = min(s for _, s, _ in text_sizes(pdf))
        assert smallest >= FLOOR_PT - 0.01, (name, smallest)
        chart = chart_text_pt(pdf, inputs)
        if chart is not None:
            charts += 1
            assert chart >= FLOOR_PT - 0.01, (name, "chart text", chart)
    assert charts >= 5  # flow charts on key-post boards, progress charts on commitment boards


def test_the_chart_measure_agrees_with_the_charts_text_where_the_pdf_has_it(sample_boards, sample_board_inputs):
    """This Typst keeps an SVG's text as text: there the computed chart size must be the smallest size pdftotext's
    words of the chart have (the measure holds where the chart is drawn as paths, which no text check could see)."""
    maker, kind, record = sample_board_inputs["posts/BZB-BF"]
    pdf = sample_boards / "posts/BZB-BF.pdf"
    computed = chart_text_pt(pdf, maker.inputs(kind, record))
    chart_words = [s for page, s, t in text_sizes(pdf) if page == 2 and ("时限" in t or t.startswith("▲"))]
    assert chart_words and abs(min(chart_words) - computed) < 0.05, (computed, sorted(set(chart_words))[:5])


def test_the_report_line_is_at_least_the_body_size_and_the_qr_instruction_stands_beside_the_code(long_boards,
                                                                                                   tmp_path):
    for name, (pdf, _) in long_boards.items():
        sizes = text_sizes(pdf)
        report = [s for page, s, t in sizes if page == 1 and t.startswith("监督举报")]
        assert report and report[0] >= body_size(sizes), (name, report, body_size(sizes))
        words = word_boxes(pdf)
        width, height = (float(x) for x in pdfinfo(pdf)["Page size"].split()[0:3:2])
        hint = [w for w in words if w[0] == 1 and "扫描右侧二维码" in w[4]]
        url = [w for w in words if w[0] == 1 and "zjj.example.gov.cn" in w[4]]
        assert hint and url, name
        # In the footer's right-hand column, with the code (and the address under it) right below it.
        assert hint[0][1] > 0.75 * height and url[0][1] - hint[0][2] < 7 / 2.54 * 72, (name, hint, url)
        box = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                             text=True).stdout
        x_hint = float(re.search(r'xMin="([\d.]+)"[^>]*>[^<]*扫描右侧二维码', box).group(1))
        assert x_hint > 0.5 * width, (name, x_hint)


def test_a_department_board_reads_from_two_metres(long_boards, sample_boards):
    """Body and report line at 18 pt or more (a character 10 arcminutes high at 2 m); as many powers as fit at that
    size, the rest counted and online behind the QR code. Only the small print (date, version, address under the QR
    code, the sheet count) is smaller."""
    boards = [pdf for name, (pdf, _) in long_boards.items() if name.startswith("departments/")]
    boards += sorted((sample_boards / "departments").glob("*.pdf"))
    for pdf in boards:
        assert int(pdfinfo(pdf)["Pages"]) == 1, pdf.name
        parts = legible_parts(pdf)
        assert len(parts) > 10 and min(parts)[0] >= 18 - 0.01, (pdf.name, min(parts))


def test_a_department_with_more_powers_than_fit_counts_them_and_points_online(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    from synthetic import make_dataset

    ds, report = load_dataset(make_dataset(tmp_path / "data", powers=120, risks_per_power=0.5))
    assert report.ok
    pdf = tmp_path / "dept.pdf"
    pdf.write_bytes(BoardMaker(Facts(ds)).pdf("departments", ds.departments["LDJC"]))
    text = re.sub(r"\s", "", text_of(pdf))
    shown = len(re.findall(r"第\d+号职业培训与劳动监察事项", text)) + ("拖欠工资行政处罚" in text)
    more = re.search(r"另有(\d+)项，扫描二维码查看完整目录", text)
    assert "职权目录（共61项）" in text and 3 <= shown < 61 and more and shown + int(more[1]) == 61, shown
    assert min(legible_parts(pdf))[0] >= 18 - 0.01


def test_a_flow_that_cannot_keep_9pt_labels_becomes_its_list_of_steps(tmp_path):
    """A flow of 40 steps, every fourth one branching, cannot be drawn on a key post's sheet with 9 pt labels: the sheet
    lists its steps, each with post, time limit, risk marks and branches, instead of a chart too small to read."""
    from .conftest import LONG_REGISTER

    data = tmp_path / "data"
    shutil.copytree(LONG_REGISTER, data)
    steps = []
    for i in range(40):
        step = {"id": f"S{i}", "name": f"第{i + 1}环节审查申请材料并记录意见", "post": "SP-SL", "time_limit": "1个工作日"}
        if i % 4 == 1 and i + 2 < 40:
            step["next"] = [{"to": f"S{i + 1}", "condition": "符合条件"}, {"to": f"S{i + 2}", "condition": "需要补正"}]
        steps.append(step)
    import yaml

    text = (data / "flows/施工许可.yml").read_text(encoding="utf-8")
    flow = yaml.safe_load(text)
    flow["steps"] = steps
    (data / "flows/施工许可.yml").write_text(yaml.safe_dump(flow, allow_unicode=True), encoding="utf-8")
    risks = (data / "risks/风险点.csv").read_text(encoding="utf-8").replace("SGXK/SL", "SGXK/S1").replace(
        "SGXK/XC", "SGXK/S5").replace("SGXK/SP", "SGXK/S9")
    (data / "risks/风险点.csv").write_text(risks, encoding="utf-8")
    ds, report = load_dataset(data)
    assert report.ok, report.format("text")
    maker = BoardMaker(Facts(ds))
    pdf = tmp_path / "board.pdf"
    pdf.write_bytes(maker.pdf("posts", ds.posts["SP-SL"]))
    sheets = text_of(pdf).split("\f")
    text = re.sub(r"\s", "", "".join(sheets[1:]))  # the sheets after the first: the steps (two sheets of them)
    assert "运行流程：建筑工程施工许可证核发流程" in text
    for words in ("1.第1环节审查申请材料并记录意见·施工许可综合受理窗口岗·时限：1个工作日", "→符合条件：第3环节审查申请材料并记录意见；→需要补正：第4环节",
                  "40.第40环节审查申请材料并记录意见", "（流程结束）"):
        assert words in text, words
    assert "开始" not in text and chart_text_pt(pdf, maker.inputs("posts", ds.posts["SP-SL"])) is None  # no drawing
    assert min(s for _, s, _ in text_sizes(pdf)) >= FLOOR_PT - 0.01


def test_one_date_format_on_every_board(long_boards, sample_boards):
    for pdf in [p for p, _ in long_boards.values()] + sorted(sample_boards.rglob("*.pdf")):
        text = text_of(pdf)
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), (pdf.name, re.findall(r"\d{4}-\d{2}-\d{2}", text)[:3])
        assert re.search(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", text), pdf.name
