"""The one cache (site/cache.py): flow charts are drawn once and kept; a new Graphviz (or any change of the code, the
theme or a tool) is a new code version, under which nothing made before is looked up: charts are drawn anew."""

from __future__ import annotations

from generator.charts import flowchart
from generator.site import cache as cache_module
from generator.site.cache import Cache

DOT = 'digraph { node [shape=box]; "受理" -> "审核" -> "办结"; }\n'


def test_a_chart_is_drawn_once_and_again_under_another_code_version(tmp_path, monkeypatch):
    drawn = []
    run_dot = flowchart._run_dot
    monkeypatch.setattr(flowchart, "_run_dot", lambda dot, *rest: drawn.append(dot) or run_dot(dot, *rest))
    flowchart.use_cache(Cache(tmp_path, version="one"))
    try:
        first = flowchart.render_svg(DOT, "流程", "说明")
        again = flowchart.render_svg(DOT, "流程", "说明")
        assert len(drawn) == 1 and again == first and "受理" in first
        assert len(list((tmp_path / "charts").rglob("*.svg"))) == 1
        flowchart.use_cache(Cache(tmp_path, version="another Graphviz"))
        assert flowchart.render_svg(DOT, "流程", "说明") == first
        assert len(drawn) == 2
    finally:
        flowchart.use_cache(None)


def test_the_code_version_follows_graphviz(monkeypatch):
    version = cache_module.code_version.__wrapped__
    now = version()
    monkeypatch.setattr(cache_module, "graphviz_version", lambda: "graphviz-another")
    assert version() != now


def test_an_entry_is_written_whole_or_not_at_all(tmp_path):
    cache = Cache(tmp_path, version="v")
    key = cache.key("x", "y")
    cache.put("kind", key, b"data", ".bin")
    assert cache.get("kind", key, ".bin") == b"data"
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert Cache(tmp_path, version="w").key("x", "y") != key
    assert Cache(None).get("kind", key, ".bin") is None
