from hypothesis import given, settings
from hypothesis import strategies as st

from generator.records.flowcheck import check_flow
from generator.records.model import Branch, Flow, Step
from generator.records.problems import Location, Report


def flow(*steps: Step) -> Flow:
    return Flow(id="F", name="测试流程", steps=list(steps))


def step(id, *nexts, end=False, line=0):
    return Step(id=id, name=id, next=[Branch(to=n) for n in nexts], end=end, loc=Location("f.yml", line))


def codes(f: Flow) -> list[tuple[str, int]]:
    report = Report()
    check_flow(f, report)
    return [(p.code, p.line) for p in report.problems]


def test_linear_flow_without_next_is_fine():
    assert codes(flow(step("A"), step("B"), step("C"))) == []


def test_loop_back_with_an_exit_is_fine():
    assert codes(flow(step("A"), step("B", "C", "A"), step("C"))) == []


def test_end_in_the_middle_makes_later_unreached_steps_an_error():
    assert codes(flow(step("A", "C"), step("B", line=2), step("C"))) == [("unreachable-step", 2)]


def test_cycle_without_exit_is_reported_at_the_loop():
    assert codes(flow(step("A", line=1), step("B", "C", line=2), step("C", "B", line=3))) == [("cycle-no-exit", 2)]


def test_unknown_next_is_reported_alone():
    f = flow(step("A", "Z", line=1), step("B", line=2))
    f.steps[0].next[0].loc = Location("f.yml", 1)
    assert codes(f) == [("unknown-next", 1)]


def test_duplicate_step_ids():
    assert ("duplicate-step", 2) in codes(flow(step("A", line=1), step("A", line=2)))


def test_explicit_end_stops_the_default_successor():
    assert codes(flow(step("A", "C"), step("B", end=True, line=2), step("C", "B"))) == []


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.dictionaries(st.sampled_from("abcdefgh"), st.lists(st.sampled_from("abcdefgh"), max_size=3), min_size=1))
def test_the_steps_in_cycles_are_those_that_lead_back_to_themselves(edges_of):
    """in_cycles (linear) against its definition: a node from which some successor within the set reaches it."""
    from generator.records.flowcheck import in_cycles, reachable

    graph = {n: [m for m in edges_of.get(n, []) if m in edges_of] for n in edges_of}
    nodes = set(graph)
    expected = {n for n in nodes if any(n in reachable(m, graph) for m in graph[n])}
    assert in_cycles(nodes, graph) == expected


def test_an_ending_step_with_a_next_step_is_said():
    """结束: 是 beside 下一步: the next step was dropped without a word (and then only called unreachable)."""
    assert ("end-with-next", 1) in codes(flow(step("a", "b", end=True, line=1), step("b", line=2)))


def test_backslash_escapes_in_names_stay_text_in_the_chart(tmp_path, monkeypatch):
    """Graphviz expands \\N, \\G, \\E, \\L … (the node's or the graph's name) in labels and tooltips: a step name or a
    branch condition holding them is drawn and shown as written."""
    import html
    import re

    from generator.charts import flowchart
    from generator.records.model import Branch, Flow, Step

    monkeypatch.setattr(flowchart, "_cache", None)  # drawn afresh, never from a cache
    names = ["审核\\N", "批准\\G\\E", "归档\\L\\\\"]
    steps = [Step(id=f"S{i}", name=n) for i, n in enumerate(names)]
    steps[0].next = [Branch(to="S1", condition="通过\\N\\T")]
    flow = Flow(id="F-1", name="流程\\G", steps=steps)
    svg = html.unescape(flowchart.render_svg(flowchart.flow_dot(flow, {}, {}), "标题", "说明"))
    titles = re.findall(r'title="([^"]*)"', svg)
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    for name in names:
        assert name in titles, (name, titles)  # the node's tooltip
        assert name in texts, (name, texts)  # its label
    assert "通过\\N\\T" in texts
