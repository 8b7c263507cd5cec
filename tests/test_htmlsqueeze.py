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
