"""The code's shape, kept by tests: stage boundaries and one source of truth for field defaults."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from generator.records.fields import FIELD_INDEX
from generator.records.model import RECORD_CLASSES

PACKAGE = Path(__file__).resolve().parent.parent / "generator"


def _imports(path: Path) -> set[str]:
    """Top-level names of every module the file imports (relative imports resolved inside the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts[: len(parts) - node.level]
                names.add(".".join(base + ((node.module,) if node.module else ())))
            else:
                names.add(node.module or "")
    return names


def _modules(under: str = "") -> list[Path]:
    return sorted((PACKAGE / under).rglob("*.py"))


def test_only_the_engine_imports_mkdocs():
    offenders = [p.relative_to(PACKAGE).as_posix() for p in _modules()
                 if not p.relative_to(PACKAGE).as_posix().startswith("engine/")
                 and any(n == "mkdocs" or n.startswith("mkdocs.") for n in _imports(p))]
    assert offenders == []


@pytest.mark.parametrize("forbidden", ["jinja2", "markupsafe", "typst", "mkdocs", "generator.web", "generator.boards",
                                       "generator.engine", "generator.charts", "generator.facts"])
def test_records_stage_renders_nothing(forbidden):
    offenders = [p.name for p in _modules("records")
                 if any(n == forbidden or n.startswith(forbidden + ".") for n in _imports(p))]
    assert offenders == []


def test_the_engine_stays_a_thin_adapter():
    """The site engine's part is at most 600 lines: everything else works without MkDocs (docs/architecture.md)."""
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in _modules("engine"))
    assert lines <= 600, lines


def test_nothing_touches_a_private_mkdocs_or_material_name():
    """No import of an underscore name from mkdocs or material, and no call of one on their objects."""
    offenders = []
    for p in _modules():
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("mkdocs", "material"):
                offenders += [f"{p.name}: {a.name}" for a in node.names if a.name.startswith("_")]
                offenders += [f"{p.name}: {node.module}"] if any(part.startswith("_") for part in node.module.split(".")) else []
    assert offenders == []


def test_facts_do_not_render():
    for p in _modules("facts"):
        assert not {n for n in _imports(p) if n.split(".")[0] in ("jinja2", "typst", "mkdocs")}, p.name


def test_registry_defaults_agree_with_the_record_classes():
    """A field's default lives in the registry (docs, schema); the dataclass must not say otherwise."""
    for path, fields in FIELD_INDEX.items():
        cls = RECORD_CLASSES.get(path)
        if cls is None:
            continue
        attrs = {f.name: f for f in dataclasses.fields(cls)}
        for key, field in fields.items():
            attr = attrs[key]
            actual = attr.default if attr.default is not dataclasses.MISSING else attr.default_factory()
            if field.default is not None:
                assert actual == field.default, (path, key)
            elif dataclasses.is_dataclass(actual):
                continue  # a nested mapping: its own fields are checked under their path
            else:
                assert not actual, f"{path}.{key} has a default ({actual!r}) that the registry does not document"


def test_template_lines_stay_readable():
    """Long template lines are broken with Jinja whitespace control ({#- -#} at a line's end continues it)."""
    templates = PACKAGE / "web" / "templates"
    long = [f"{p.name}:{i}" for p in sorted(templates.glob("*.j2"))
            for i, line in enumerate(p.read_text(encoding="utf-8").split("\n"), 1) if len(line) > 200]
    assert long == []
