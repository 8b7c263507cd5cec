"""robots.txt: which crawlers may index the site, and where its sitemap is."""

from __future__ import annotations

from ..records.model import Site


def robots_txt(site: Site) -> str:
    """Everything open and the sitemap named (it needs the site's address), or, for a staging site
    (搜索引擎收录：否), nothing open to any crawler."""
    if not site.robots:
        return "# 本站设置为不被搜索引擎收录（site.yml：搜索引擎收录：否）\nUser-agent: *\nDisallow: /\n"
    lines = ["User-agent: *", "Allow: /"]
    if site.base_url:
        lines.append(f"Sitemap: {site.url_for('sitemap.xml')}")
    return "\n".join(lines) + "\n"
