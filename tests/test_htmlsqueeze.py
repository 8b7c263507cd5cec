from generator.engine.squeeze import squeeze


def test_indentation_and_blank_lines_go():
    assert squeeze("<ul>\n\n    <li>a</li>\n\n\n    <li>b</li>\n</ul>\n") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"


def test_whitespace_between_inline_elements_still_renders_as_a_space():
    assert squeeze("<span>甲</span>\n      <span>乙</span>") == "<span>甲</span>\n<span>乙</span>"


def test_pre_and_textarea_are_untouched():
    html = "<div>\n  <pre>  a\n\n    b\n</pre>\n  <textarea>\n  x\n</textarea>\n</div>"
    assert squeeze(html) == "<div>\n<pre>  a\n\n    b\n</pre>\n<textarea>\n  x\n</textarea>\n</div>"


def test_text_without_line_breaks_is_unchanged():
    assert squeeze("<p>a  b</p>") == "<p>a  b</p>"


def test_generated_html_set_aside_and_put_back():
    from generator.engine.rawhtml import put_back, set_aside
    md = '<div class="a">\n<p>x</p>\n</div>\n\n## 标题\n\n\n<table><tr><td>1</td></tr></table>\n\n<span>inline</span>\n'
    text, blocks = set_aside(md)
    assert blocks == ['<div class="a">\n<p>x</p>\n</div>', "<table><tr><td>1</td></tr></table>"]
    assert "## 标题" in text and "<span>inline</span>" in text  # Markdown and inline HTML still go to Markdown
    html = text.replace("SSRAWHTML000000ZZ", "<p>SSRAWHTML000000ZZ</p>").replace("SSRAWHTML000001ZZ", "<p>SSRAWHTML000001ZZ</p>")
    assert put_back(html, blocks).startswith('<div class="a">\n<p>x</p>\n</div>')
    # A value shaped like a placeholder: nothing is set aside, so nothing can be swapped in for it.
    assert set_aside("<p>SSRAWHTML000000ZZ</p>\n") == ("<p>SSRAWHTML000000ZZ</p>\n", [])
