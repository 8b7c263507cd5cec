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
    for y in range(rule + 4, h):
        row = rows[y]
        dark = [x for x in range(int(w * 0.7), w) if row[x] < 40]
        if dark:
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
    assert "2013-11-25" in text and "确诊职工已转入治疗救助" in text
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
    assert "共 201 项" in text and "监察执法岗" in text and "第 0 号风险点" in text  # counts, key post, a high risk
    assert "另有高风险点" in text and "第 198 号职业培训" not in text  # the full list is online, behind the QR code
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
