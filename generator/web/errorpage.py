"""The page `make serve` shows while the data has errors: every problem with its place and its fix.

A whole HTML document with its own small stylesheet (the theme's may be what is broken); every value
escaped. The preview server adds its reload script, so the page turns back into the site as soon as
the data is fixed.
"""

from __future__ import annotations

import html

from ..records.problems import Report

# On the 404 answer the preview server adds no reload script: this one asks for the same address each second
# and shows it as soon as it exists (a page served with 200 gets MkDocs' own script instead).
_POLL = ("<script>setInterval(function () { fetch(location.href, {cache: 'no-store'}).then(function (r) {"
         " if (r.ok) location.reload(); }); }, 1000);</script>")


def error_page(report: Report, poll: bool = False, subject: str = "数据", folder: str = "data/") -> str:
    """``subject`` and ``folder``: what has the errors (the data in data/, or the pages in content/)."""
    rows = []
    for p in report.sorted():
        if p.sheet:
            place = p.where() + (f"（第 {p.line} 行）" if p.line else "")
        else:
            place = p.where()
        kind = "错误" if p.severity == "error" else "警告"
        field = f"{p.field}：" if p.field else ""
        hint = f'<p class="fix">怎么改：{html.escape(p.hint)}</p>' if p.hint else ""
        rows.append(
            f'<li class="{p.severity}"><p class="where"><code>{html.escape(place)}</code> '
            f'<span class="tag">{kind} {html.escape(p.code)}</span></p>'
            f'<p class="what">{html.escape(field + p.message)}</p>{hint}</li>'
        )
    e, w = len(report.errors), len(report.warnings)
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{subject}有错误，预览没有更新</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem;
  color: #1a1a1a; line-height: 1.6; }}
h1 {{ color: #a31515; font-size: 1.5rem; }}
ol {{ padding-left: 1.2rem; }}
li {{ margin: 0 0 1rem; padding: .5rem .8rem; border-left: 4px solid #a31515; background: #fdf3f3; }}
li.warning {{ border-color: #8a6100; background: #fff8e6; }}
li p {{ margin: .2rem 0; }}
code {{ font-size: 1rem; word-break: break-all; }}
.tag {{ font-size: .8rem; color: #555; margin-left: .5rem; }}
.fix {{ color: #1b5e20; }}
</style></head>
<body><main>
<h1 id="data-errors">{subject}有错误，预览没有更新</h1>
<p>共 {e} 个错误、{w} 个警告。改好 <code>{html.escape(folder)}</code> 中的文件并保存后，本页会自动刷新为网站。</p>
<ol>
{chr(10).join(rows)}
</ol>
</main>{_POLL if poll else ""}</body></html>
"""
