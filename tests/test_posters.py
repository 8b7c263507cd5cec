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
