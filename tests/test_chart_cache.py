"""Flow charts are drawn once and kept in the cache folder, per Graphviz version: a new Graphviz lays charts out
anew, so its drawings are made again, not taken from the old one's."""

from __future__ import annotations

from generator.charts import flowchart

DOT = 'digraph { node [shape=box]; "受理" -> "审核" -> "办结"; }\n'


def test_a_chart_is_drawn_once_and_again_under_another_graphviz(tmp_path, monkeypatch):
    monkeypatch.setattr(flowchart, "_cache_folder", tmp_path)
    drawn = []
    run_dot = flowchart._run_dot
    monkeypatch.setattr(flowchart, "_run_dot", lambda dot, *rest: drawn.append(dot) or run_dot(dot, *rest))

    first = flowchart.render_svg(DOT, "流程", "说明")
    again = flowchart.render_svg(DOT, "流程", "说明")
    assert len(drawn) == 1 and again == first and "受理" in first
    installed = flowchart.graphviz_version()
    assert [p.parent.name for p in tmp_path.rglob("*.svg")] == [installed]

    monkeypatch.setattr(flowchart, "graphviz_version", lambda: "graphviz-another")
    assert flowchart.render_svg(DOT, "流程", "说明") == first
    assert len(drawn) == 2
    assert sorted(p.parent.name for p in tmp_path.rglob("*.svg")) == sorted(["graphviz-another", installed])


def test_the_graphviz_version_names_the_installed_dot():
    version = flowchart.graphviz_version()
    assert version.startswith("graphviz-") and len(version) == len("graphviz-") + 12
    assert flowchart.graphviz_version() is version  # asked once
