"""A copy of a dataset with hostile text in every text field of every kind, generated from the field registry.

A field added to the registry is covered without touching this file: every field whose type holds free text
(text, lists, paragraphs) gets the payload appended, in CSV and YAML files alike, in site.yml too. So does every
value of every vocabulary site.yml may replace (categories, meetings …: they become filters, facets, query
strings and board labels), site.yml naming the new lists and every record using the new value. Ids, references,
dates and numbers are left valid so that the build goes through and every page with the payload is made.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import yaml

from generator.records import fields as T
from generator.records.fields import KINDS, VOCABULARIES, Field, header_map
from generator.records.sources import decode
from generator.records.values import split_items

# Script in HTML, in an attribute, as a Markdown link, as an attr_list, as SVG; Jinja, Typst and Markdown
# syntax. No digits run long enough to look like a phone number, no list separators, no commas, no
# control characters (tests/test_controls.py).
PAYLOAD = ('<script>alert("x-script")</script><img src=x onerror=alert("x-img")>'
           '[点我](javascript:alert("x-md")) "><svg onload=alert("x-svg")> \' onmouseover=\'alert("x-attr")\' '
           '{: onclick="alert(\'x-attrlist\')" } {{7*7}} #set $x$ *斜* _下_ `码` \\ |表|'
           # Entities without their semicolon (HTML still decodes &lt) for anything that decodes twice; what
           # a query string or a URL decodes (filter values live in the address).
           ' &ltimg src=x onerror=alert("x-ent")&gt %3Cb%3E+?q=1&amp=2#h'
           # A character beyond U+FFFF, as in names (CJK Extension B): a JSON surrogate pair fails YAML.
           ' 𠮷')
TEXT_TYPES = (T.TEXT, T.LIST, T.PARAGRAPHS, T.STRINGS)  # STRINGS: site.yml 搜索示例, 曾用名
REF_TYPES = (T.REF, T.REFS)


# Vocabularies site.yml may replace, with their values; a record's value that is one of them gets the payload.
CONFIGURABLE = {k: v.values for k, v in VOCABULARIES.items() if v.configurable}


def hostile_vocabularies() -> dict[str, list[str]]:
    """site.yml's 词表: every configurable vocabulary with the payload after each value."""
    return {k: [v + PAYLOAD for v in values] for k, values in CONFIGURABLE.items()}


class Hostile:
    """Payload in every text field; a reference by name follows its record's new name."""

    def __init__(self, names: set[str]):
        self.names = names  # record names that may be used as references

    def text(self, f: Field, value: str) -> str:
        if f.type in (T.CHOICE, T.CHOICES) and f.vocab in CONFIGURABLE:
            items = split_items(value)
            return "；".join(v + PAYLOAD if v in CONFIGURABLE[f.vocab] else v for v in items) if items else value
        if f.type in REF_TYPES:
            items = split_items(value)
            return "；".join(v + PAYLOAD if v in self.names else v for v in items) if items else value
        if f.type in TEXT_TYPES:
            return (value + PAYLOAD) if value.strip() else value
        return value

    def csv(self, path: Path, fields: tuple[Field, ...]) -> None:
        text, encoding = decode(path.read_bytes())
        rows = list(csv.reader(io.StringIO(text, newline="")))
        names = header_map(fields)
        columns = {i: f for i, h in enumerate(rows[0]) if (f := names.get(h.strip()))}
        for row in rows[1:]:
            for i, f in columns.items():
                if i < len(row):
                    row[i] = self.text(f, row[i])
        buf = io.StringIO(newline="")
        csv.writer(buf, lineterminator="\n").writerows(rows)
        path.write_bytes(buf.getvalue().encode("gb18030" if encoding == "GB18030" else "utf-8"))

    def walk(self, node, fields: tuple[Field, ...]):
        """A YAML value read with every scalar as a string (BaseLoader), with payload in its text fields."""
        if isinstance(node, list):
            return [self.walk(item, fields) for item in node]
        if not isinstance(node, dict):
            return node
        names = header_map(fields)
        out = {}
        for key, value in node.items():
            f = names.get(str(key).strip())
            if f is None:
                out[key] = value
            elif f.sub and f.type != T.NEXT:
                out[key] = self.walk(value, f.sub)
            elif isinstance(value, str):
                out[key] = self.text(f, value)
            elif isinstance(value, list) and f.type in TEXT_TYPES + REF_TYPES:
                out[key] = [self.text(f, v) if isinstance(v, str) else v for v in value]
            else:
                out[key] = value
        return out


def _names(root: Path) -> set[str]:
    """Every record's name, as written: references may name a record instead of giving its id."""
    names: set[str] = set()
    for kind in KINDS.values():
        labels = header_map(kind.fields)
        for pattern in kind.globs:
            for path in root.glob(pattern):
                if path.suffix == ".csv":
                    text, _ = decode(path.read_bytes())
                    rows = list(csv.reader(io.StringIO(text, newline="")))
                    cols = [i for i, h in enumerate(rows[0]) if (f := labels.get(h.strip())) and f.key == "name"]
                    names |= {row[i].strip() for row in rows[1:] for i in cols if i < len(row)}
                elif path.suffix in (".yml", ".yaml"):
                    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
                    for item in data if isinstance(data, list) else [data]:
                        if isinstance(item, dict):
                            names |= {v.strip() for k, v in item.items()
                                      if isinstance(v, str) and (f := labels.get(k)) and f.key == "name"}
    return names - {""}


def make_hostile_everywhere(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    hostile = Hostile(_names(dest))
    for kind in KINDS.values():
        for pattern in kind.globs:
            for path in sorted(dest.glob(pattern)):
                if path.suffix == ".csv":
                    hostile.csv(path, kind.fields)
                elif path.suffix in (".yml", ".yaml"):
                    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
                    if data is None:
                        continue
                    keep = {k: data.pop(k) for k in ("base_url", "网址")
                            if isinstance(data, dict) and k in data}
                    data = hostile.walk(data, kind.fields)
                    if isinstance(data, dict):
                        data.update(keep)
                    if kind.name == "site":
                        data["vocabularies"] = hostile_vocabularies()
                    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dest
