"""The update feed (Atom, RFC 4287): one entry per published version and per new progress record.

Ids are URNs derived from the body's name and the version, so they never change when the site moves;
dates come from the commits (or, without a history, from the progress records), never from the clock.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET

from ..facts.history import History, RecordChange, Version
from ..facts.paths import page_url
from ..facts.view import Facts
from ..present import cn_date
from ..records.controls import CONTROLS
from ..records.fields import KINDS

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 100


def atom_feed(facts: Facts, history: History | None) -> bytes:
    ds = facts.ds
    entries = _entries(facts, history)[:MAX_ENTRIES]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    _sub(feed, "id", _urn(ds.site.name, "feed"))
    _sub(feed, "title", f"{ds.site.display_title}：更新")
    _sub(feed, "subtitle", f"{ds.site.name}公开内容的修订和承诺事项的进展")
    _sub(feed, "updated", entries[0]["updated"] if entries else _stamp(_midnight(ds.as_of)))
    author = _sub(feed, "author")
    _sub(author, "name", ds.site.footer.sponsor or ds.site.name)
    _link(feed, ds.site.url_for("feed.xml"), "self", "application/atom+xml")
    _link(feed, ds.site.url_for("changes/"), "alternate", "text/html")
    for e in entries:
        entry = _sub(feed, "entry")
        _sub(entry, "id", e["id"])
        _sub(entry, "title", e["title"])
        _sub(entry, "updated", e["updated"])
        _link(entry, ds.site.url_for(e["path"]), "alternate", "text/html")
        _sub(entry, "summary", e["summary"])
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8") + b"\n"


def _entries(facts: Facts, history: History | None) -> list[dict]:
    name = facts.ds.site.name
    out = []
    if history and history.available:
        for v in history.versions:
            out.append({"id": _urn(name, v.commit), "updated": _stamp(v.timestamp), "path": f"changes/#{v.anchor}",
                        "title": f"{v.label}（{cn_date(v.date)}发布）", "summary": _version_summary(v),
                        "order": (v.timestamp, "~")})
        # The current progress records by key, found once (looked up record by record, 200,000 rows took minutes).
        records = {f"{r.project}/{r.date.isoformat()}/{r.metric}": r for r in reversed(facts.ds.progress) if r.date}
        for v, c in history.new_progress:
            out.append(_progress_entry(facts, name, c, v.timestamp, v.commit, records.get(c.key)))
    else:  # no history: each current progress record, dated by its own date
        for rec in facts.ds.progress:
            if rec.date:
                key = f"{rec.project}/{rec.date.isoformat()}/{rec.metric}"
                change = RecordChange("progress", key, f"{rec.metric or '进度'} {rec.date.isoformat()}", "新增",
                                      project=rec.project)
                out.append(_progress_entry(facts, name, change, _midnight(rec.date), key, rec))
    out.sort(key=lambda e: (e["order"], e["id"]), reverse=True)  # newest first; a version before its records
    return out


def _progress_entry(facts: Facts, name: str, c: RecordChange, when: int, version: str, rec=None) -> dict:
    project = facts.ds.projects.get(c.project)
    summary = c.name
    if rec is not None:
        unit = next((t.unit for t in project.targets if t.metric == rec.metric), "") if project else ""
        value = f"累计 {rec.value:g}{(' ' + unit) if unit else ''}" if rec.value is not None else ""
        summary = "，".join(filter(None, [f"{cn_date(rec.date)} {rec.metric}".strip(), value, rec.note]))
    if project is not None:  # the status every page shows, as of the data's date
        summary += f"。当前状态（截至 {cn_date(facts.ds.as_of)}）：{facts.status(project.id).label}"
    return {"id": _urn(name, f"progress/{c.key}/{version}"), "updated": _stamp(when),
            "path": page_url("projects", c.project) if project else "projects/",
            "title": f"承诺事项进展：{project.name if project else c.project}", "summary": summary,
            "order": (when, c.key.split("/")[1] if "/" in c.key else "")}


def _version_summary(v: Version) -> str:
    if v.initial:
        first = "首次发布：" if v.number == 1 else "本版公开："
        return first + "、".join(f"{KINDS[k].label} {n} 项" for k, n in v.initial.items())
    parts = []
    for kind, changes in v.by_kind():
        counts = {a: sum(1 for c in changes if c.action == a) for a in ("新增", "修改", "撤下")}
        parts.append(KINDS[kind].label + "：" + "，".join(f"{a} {n} 项" for a, n in counts.items() if n))
    return "；".join(parts)


def _urn(name: str, key: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"sunshine:{name}:{key}").urn


def _midnight(d: dt.date) -> int:
    return int(dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC).timestamp())


def _stamp(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    if text is not None:
        el.text = CONTROLS.sub("", text)  # characters XML does not allow (an old version's, a commit's) never break it
    return el


def _link(parent: ET.Element, href: str, rel: str, mime: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"href": href, "rel": rel, "type": mime})
