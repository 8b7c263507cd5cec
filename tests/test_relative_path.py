"""Pages link each other by relative paths; ``relative_path`` is ``posixpath.relpath`` for the site's own paths."""

import posixpath

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.facts.paths import relative_path

segment = st.sampled_from(["powers", "risks", "page", "2", "BZB-001", "posts", ".", "报告"])
site_path = st.lists(segment, max_size=5).map("/".join) | st.lists(segment, min_size=1, max_size=5).map(lambda p: "/".join(p) + "/")


@given(site_path.filter(lambda p: p.strip("/")), site_path)
@settings(max_examples=2000, deadline=None)
def test_relative_path_is_posix_relpath_for_site_paths(target, here):
    assert relative_path(target, here) == posixpath.relpath(target, here or ".")


def test_examples_a_reader_follows():
    assert relative_path("risks/R-01", "powers/BZB-001") == "../../risks/R-01"
    assert relative_path("powers", "powers/page/2") == "../.."
    assert relative_path("powers/page/3", "powers/page/2") == "../3"
    assert relative_path(".", "powers/BZB-001") == "../.."
    assert relative_path("posters/posts/CW.pdf", ".") == "posters/posts/CW.pdf"
