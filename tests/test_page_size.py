"""Record pages stay small (issue 11: every record page ≤ 30 KB), and what made them small loses the reader nothing:
a post's page shows its flows' charts as image files, each a whole, well-formed chart of that flow; the compacted
chart draws what Graphviz drew."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest

from generator.charts import flowchart
from generator.facts.view import Facts
from generator.present import chart_title
from generator.records.dataset import load_dataset

from .conftest import DATA, SECOND_BODY

RECORD_KINDS = {"powers", "risks", "posts", "departments", "flows", "projects", "decisions"}
LIMIT = 30 * 1024
SVG = "{http://www.w3.org/2000/svg}"


def record_pages(site: Path) -> list[Path]:
    """Each record's own page (``powers/BZB-001/index.html``), not the lists or their further pages."""
    return [p for p in sorted(site.rglob("index.html")) if len(rel := p.relative_to(site).parts) == 3
            and rel[0] in RECORD_KINDS and rel[1] != "page"]


@pytest.mark.parametrize("which", ["sample", "second"])
def test_every_record_page_is_at_most_30_kb(which, sample_site, second_site):
    site = sample_site if which == "sample" else second_site
    pages = record_pages(site)
    assert len(pages) > 15 and {p.parts[-3] for p in pages} >= {"powers", "posts", "flows", "risks"}
    too_big = {p.relative_to(site).as_posix(): p.stat().st_size for p in pages if p.stat().st_size > LIMIT}
    assert not too_big, too_big


@pytest.mark.parametrize("which", ["sample", "second"])
def test_post_pages_show_each_flow_chart_as_a_well_formed_file_of_that_flow(which, sample_site, second_site):
    site, data = (sample_site, DATA) if which == "sample" else (second_site, SECOND_BODY)
    ds, report = load_dataset(data)
    assert report.ok
    facts = Facts(ds)
    shown = 0
    for post in facts.posts:
        page = site / "posts" / post.id / "index.html"
        html = page.read_text(encoding="utf-8")
        flows = facts.flows_of_post(post)
        images = re.findall(r'<a class="ss-chart__link" href="([^"]+)"><img class="ss-flowchart" src="([^"]+)" '
                            r'alt="([^"]+)" loading="lazy" width="(\d+)" height="(\d+)" style="--ss-w:[\d.]+;'
                            r'--ss-text:[\d.]+"></a>', html)
        assert len(images) == len(flows), post.id
        assert '<svg aria-labelledby' not in html, post.id  # no chart inline
        for flow, (href, src, alt, width, height) in zip(flows, images):
            assert (page.parent / href / "index.html").resolve() == (site / "flows" / flow.id / "index.html")
            chart = (page.parent / src).resolve()
            assert chart == site / "flows" / flow.id / "chart.svg", (post.id, src)
            root = ET.parse(chart).getroot()  # well-formed XML, else this raises
            assert root.tag == f"{SVG}svg"
            assert root.find(f"{SVG}title").text == chart_title(flow.name)
            assert root.find(f"{SVG}desc").text == unescape(alt)  # the image's text is the chart's description
            steps = {t.text for t in root.iter(f"{SVG}text")}
            assert {s.name for s in flow.steps} <= steps and {"开始", "结束"} <= steps
            *_, w, h = (float(v) for v in root.get("viewBox").split())
            assert (int(width), int(height)) == (round(w * 4 / 3), round(h * 4 / 3))
            # The same chart the flow's own page shows inline.
            flow_page = (site / "flows" / flow.id / "index.html").read_text(encoding="utf-8")
            # The same chart the flow's own page shows inline, at its own size (opened full screen on a phone).
            alone = chart.read_text(encoding="utf-8")
            assert alone.startswith(f'<svg width="{width}" height="{height}" ')
            assert alone.replace(f'<svg width="{width}" height="{height}" ', "<svg ", 1) in flow_page
            shown += 1
        # The steps stay on the post's page as text, the post's own steps marked.
        for flow in flows:
            for step in flow.steps:
                assert f'id="step-{flow.id}:{step.id}"' in html
    assert shown >= (5 if which == "sample" else 2)


def test_compact_chart_keeps_what_a_reader_sees():
    """Risk markers in their colours, the step links and tooltips, title and description: all still there."""
    ds, report = load_dataset(DATA)
    facts = Facts(ds)
    flow = ds.flows["KNBF"]
    svg = flowchart.render_svg(flowchart.flow_dot(flow, ds.posts, facts.risks_of_step), "标题", "说明")
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "标题" and root.find(f"{SVG}desc").text == "说明"
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert sorted(links) == sorted(f"#step-{s.id}" for s in flow.steps)
    marks = [(t.text, t.get("fill")) for t in root.iter(f"{SVG}text") if t.text and t.text.startswith("▲")]
    risks = [r for s in flow.steps for r in facts.risks_of_step.get((flow.id, s.id), [])]
    assert sorted(marks) == sorted((f"▲{r.level}", flowchart.LEVEL_COLOUR[r.level]) for r in risks)
    assert "\n" not in svg and "class=\"node" not in svg and ".00\"" not in svg


def _png_of(page, svg: str, width: int, height: int) -> list[int]:
    """The SVG drawn by Chromium on a white canvas: its pixels' grey levels."""
    data = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return page.evaluate("""async ([src, w, h]) => {
        const img = new Image(); img.src = src; await img.decode();
        const c = document.createElement('canvas'); c.width = w; c.height = h;
        const g = c.getContext('2d'); g.fillStyle = '#fff'; g.fillRect(0, 0, w, h); g.drawImage(img, 0, 0, w, h);
        const d = g.getImageData(0, 0, w, h).data, out = [];
        for (let i = 0; i < d.length; i += 4) out.push((d[i] + d[i + 1] + d[i + 2]) / 3 | 0);
        return out; }""", [data, width, height])


def test_compact_chart_draws_what_graphviz_drew(page):
    """Chromium draws Graphviz's own SVG and the compacted one: the same picture, but for a few edge pixels of the
    rounded corners (arcs for Graphviz's curves) and tenths of a point."""
    ds, _ = load_dataset(DATA)
    facts = Facts(ds)
    for flow_id in ("KNBF", "CWBX"):
        flow = ds.flows[flow_id]
        dot = flowchart.flow_dot(flow, ds.posts, facts.risks_of_step)
        compact = flowchart.render_svg(dot, "标题", "说明")
        raw = flowchart._run_dot(dot)
        w, h = (round(float(v) * 2) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', compact).groups())
        # Graphviz's SVG with the same font (the compact one names it on its root; Graphviz on every text).
        raw = re.sub(r'<svg width="[^"]*" height="[^"]*"', f'<svg width="{w}" height="{h}"', raw, count=1)
        raw = raw.replace(f'font-family="{flowchart.FONT}"', f'font-family="{flowchart.FONT_STACK}"')
        compact = compact.replace("<svg ", f'<svg width="{w}" height="{h}" ', 1)
        before, after = _png_of(page, raw, w, h), _png_of(page, compact, w, h)
        assert sum(1 for x in before if x < 200) > w * h // 50, "nothing was drawn"
        differing = sum(1 for a, b in zip(before, after) if abs(a - b) > 64)
        assert differing < w * h // 500, (flow_id, differing, w * h)
