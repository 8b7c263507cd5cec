"""Wall boards (PDF) — placeholder until the Typst boards land."""

from __future__ import annotations

from pathlib import Path

from .derive import Links
from .model import Dataset


class PosterError(RuntimeError):
    pass


def poster_paths(ds: Dataset) -> list[str]:
    links = Links(ds)
    return ([f"posters/posts/{p.id}.pdf" for p in links.key_posts]
            + [f"posters/departments/{d.id}.pdf" for d in links.departments]
            + [f"posters/projects/{p}.pdf" for p in sorted(ds.projects)])


def write_posters(ds: Dataset, out: Path) -> list[Path]:
    return []
