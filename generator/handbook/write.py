"""Writing the handbook: one book, or a front volume and volumes (volumes.py) when the catalogue is large.

Each PDF is kept in the one cache (site/cache.py), by a hash of its inputs, so an unchanged book or volume is copied,
not typeset again. Volumes are typeset in spawned processes, one volume per process: Typst keeps its layout caches
for the life of a process, so a process that typeset one volume would carry its memory into the next. The build
typesets them after the pages (``typeset_books``).
"""

from __future__ import annotations

import calendar
import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..facts.view import Facts
from ..site.cache import Cache
from . import VOLUME_POWERS, VOLUME_THRESHOLD
from .markdown import Unrendered
from .render import TEMPLATE, HandbookError, HandbookMaker
from .typeset import TypesetFault, compile_book
from .volumes import VolumeMaker, plan_volumes

TEMPLATES = TEMPLATE.parent
SINGLE_BOOK = TEMPLATE.name


@dataclass(frozen=True)
class Book:
    """One PDF still to typeset: where it goes, its template, its data (JSON) and its cache key."""

    path: Path
    template: str
    data: str
    timestamp: int
    key: str


def write_handbook(facts: Facts, out: Path, cache: Cache | None = None, jobs: int = 1,
                   threshold: int = VOLUME_THRESHOLD, per_volume: int = VOLUME_POWERS) -> list[Unrendered]:
    """The handbook at ``out`` (``site/handbook.pdf``), and its volumes in the folder of the same name
    (``site/handbook/``) when there are more than ``threshold`` public powers. Returns what the body's pages held that
    could not be typeset (kept as text). ``jobs`` volumes at a time, each ~0.45 GB while it is typeset."""
    books, unrendered = plan_handbook(facts, out, cache, threshold, per_volume)
    typeset_books(books, cache, jobs)
    return unrendered


def plan_handbook(facts: Facts, out: Path, cache: Cache | None = None,
                  threshold: int = VOLUME_THRESHOLD,
                  per_volume: int = VOLUME_POWERS) -> tuple[list[Book], list[Unrendered]]:
    """The handbook's books made ready: those the cache holds are written now, the others are returned to be
    typeset (``typeset_books``), with what the rules pages held that could not be typeset."""
    timestamp = calendar.timegm(facts.ds.as_of.timetuple())
    volumes = plan_volumes(facts, out.stem, threshold, per_volume)
    if not volumes:
        maker = HandbookMaker(facts)
        books = [(out, SINGLE_BOOK, json.dumps(maker.data(), ensure_ascii=False))]
    else:
        maker = VolumeMaker(facts)
        datas = maker.volume_data(volumes, out.name)
        books = [(out, "front.typ", json.dumps(maker.front_data(volumes, datas), ensure_ascii=False))]
        books += [(out.parent / v.path, "volume.typ", json.dumps(data, ensure_ascii=False))
                  for v, data in zip(volumes, datas)]
    folder = out.parent / out.stem
    for old in sorted(folder.glob("*.pdf")) if folder.is_dir() else []:  # volumes of an earlier, larger catalogue
        if all(old != path for path, _, _ in books):
            old.unlink()
    cache = cache or Cache(None)
    pending = []
    for path, template, data in books:
        book = Book(path, template, data, timestamp, cache.key("handbook", template, str(timestamp), data))
        kept = cache.get("handbook", book.key, ".pdf")
        if kept is not None:
            _write(path, kept)
        else:
            pending.append(book)
    return pending, maker.unrendered


def typeset_books(books: list[Book], cache: Cache | None = None, jobs: int = 1) -> None:
    """Typeset and write the books (and keep each in the cache). The single handbook is typeset in this process (it
    is small by definition); volumes each in a process of their own, ``jobs`` at a time."""
    volumes = any(b.template != SINGLE_BOOK for b in books)
    pdfs = _pdf(lambda: _typeset([(b.template, b.data, b.timestamp) for b in books], jobs if volumes else 0))
    for book, pdf in zip(books, pdfs):
        _keep(book, pdf, cache)


def _pdf(make):
    """``make()``, with a template fault said as the build's error."""
    try:
        return make()
    except TypesetFault as e:
        raise HandbookError(f"汇编本排版失败：{e}") from e


def _keep(book: Book, pdf: bytes, cache: Cache | None) -> None:
    """The book written where it goes, and kept in the cache."""
    if cache is not None:
        cache.put("handbook", book.key, pdf, ".pdf")
    _write(book.path, pdf)


def _write(path: Path, pdf: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)


def _typeset(jobs_list: list[tuple[str, str, int]], jobs: int) -> list[bytes]:
    """The PDFs in order: in this process (jobs 0: the one book, small by definition), else in ``jobs`` processes."""
    if jobs == 0 or not jobs_list:
        return [compile_book(job) for job in jobs_list]
    # Spawned (the serving process has threads) and one volume per process, so each one's memory is returned.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context, max_tasks_per_child=1) as pool:
        return list(pool.map(compile_book, jobs_list))
