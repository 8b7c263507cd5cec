import pytest

from generator.site.squeeze import squeeze


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
    from generator.site.rawhtml import put_back, set_aside
    md = '<div class="a">\n<p>x</p>\n</div>\n\n## 标题\n\n\n<table><tr><td>1</td></tr></table>\n\n<span>inline</span>\n'
    text, blocks = set_aside(md)
    assert blocks == ['<div class="a">\n<p>x</p>\n</div>', "<table><tr><td>1</td></tr></table>"]
    assert "## 标题" in text and "<span>inline</span>" in text  # Markdown and inline HTML still go to Markdown
    html = text.replace("SSRAWHTML000000ZZ", "<p>SSRAWHTML000000ZZ</p>").replace("SSRAWHTML000001ZZ", "<p>SSRAWHTML000001ZZ</p>")
    assert put_back(html, blocks).startswith('<div class="a">\n<p>x</p>\n</div>')
    # A value shaped like a placeholder: nothing is set aside, so nothing can be swapped in for it.
    assert set_aside("<p>SSRAWHTML000000ZZ</p>\n") == ("<p>SSRAWHTML000000ZZ</p>\n", [])


@pytest.mark.parametrize("md", [
    '<div class="r">\n<table class="f">\n\n<tr><td>1</td></tr>\n\n</table>\n</div>\n\n## 下一节\n',  # blank lines inside a block
    '<p class="a">下载</p>\n<div class="r">\n<p>x</p>\n\n<p>y</p>\n</div>\n',  # a <div> on the line after a closed <p>
    '<p class="lead">说明</p><div class="w"><table><tr><td>1</td></tr></table></div>\n\n<p>尾</p>\n',  # two on one line
    '<div id="s"></div>\n<noscript><p>需要脚本</p></noscript>\n',
])
def test_setting_html_aside_gives_what_python_markdown_gives(md):
    """Up to the whitespace between tags that squeeze() takes out of every page anyway."""
    import markdown

    from generator.site.rawhtml import put_back, set_aside

    def convert(text):
        return markdown.Markdown(extensions=["tables", "attr_list", "admonition", "toc"]).convert(text)

    text, blocks = set_aside(md)
    assert blocks
    assert squeeze(put_back(convert(text), blocks)).strip() == squeeze(convert(md)).strip()
