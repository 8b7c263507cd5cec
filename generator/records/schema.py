"""JSON Schemas for editors (VS Code's YAML extension etc.), written from the field registry."""

from __future__ import annotations

import json
from pathlib import Path

from . import fields as T
from .fields import KINDS, VOCABULARIES, Field
from .values import DATE_FORMS, ID_MAX_LENGTH, ID_PATTERN, WINDOWS_RESERVED_PATTERN

_ID = {"type": "string", "pattern": ID_PATTERN, "maxLength": ID_MAX_LENGTH,
       "not": {"pattern": WINDOWS_RESERVED_PATTERN}}
# A YAML date may carry a time (2024-03-01 08:00), which the loader drops: the pattern is not anchored at the end.
_DATE = {"type": "string", "pattern": "^(" + "|".join(DATE_FORMS) + ")"}
_LIST = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}


def _value(f: Field) -> dict:
    if f.type == T.ID:
        return dict(_ID)
    if f.type == T.DATE:
        return dict(_DATE)
    if f.type == T.BOOL:
        return {"type": ["string", "boolean"]}
    if f.type in (T.INT, T.NUMBER):
        return {"type": ["string", "number"], **({"minimum": f.minimum} if f.minimum is not None else {})}
    if f.type == T.CHOICE:
        values = VOCABULARIES[f.vocab]
        # Configurable vocabularies may be replaced in site.yml, so their defaults are only suggestions.
        return {"type": "string", **({"examples": list(values.values)} if values.configurable else
                                     {"enum": list(values.values)})}
    if f.type in (T.LIST, T.PARAGRAPHS, T.REFS, T.STEP_REFS, T.CHOICES, T.STRINGS):
        return dict(_LIST)
    if f.type == T.RECORDS:
        return {"type": "array", "items": _object(f.sub)}
    if f.type == T.MAPPING:
        return _object(f.sub)
    if f.type == T.NEXT:
        return {"oneOf": [{"type": "string"}, {"type": "array", "items": {"oneOf": [{"type": "string"},
                                                                                   _object(f.sub)]}}]}
    return {"type": "string"}


def _object(fields: tuple[Field, ...]) -> dict:
    props: dict = {}
    for f in fields:
        spec = _value(f) | {"description": f"{f.label}（{f.key}）" + (f"：{f.help}" if f.help else "")}
        props[f.key] = spec
        props[f.label] = spec
    required = [f for f in fields if f.required]
    # Either spelling satisfies a required field.
    all_of = [{"anyOf": [{"required": [f.key]}, {"required": [f.label]}]} for f in required]
    out = {"type": "object", "properties": props, "additionalProperties": False}
    return out | ({"allOf": all_of} if all_of else {})


def schemas() -> dict[str, dict]:
    out = {}
    for kind in KINDS.values():
        record = _object(kind.fields)
        root = record if not kind.tabular or kind.name == "site" else {"type": "array", "items": record}
        if kind.name in ("flows", "projects"):
            root = {"oneOf": [record, {"type": "array", "items": record}]}
        out[kind.name] = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                          "title": f"{kind.label}（data/{kind.globs[0]}）"} | root
    return out


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, schema in schemas().items():
        path = out / f"{name}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
