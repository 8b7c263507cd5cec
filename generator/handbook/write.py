"""Writing the handbook: one book, or a front volume and volumes (volumes.py) when the catalogue is large.

Each PDF is kept in the cache folder the boards use, by a hash of its inputs (data, templates, Typst version), so an
unchanged book or volume is copied, not typeset again. Volumes are typeset in spawned processes, one volume per
process: Typst keeps its layout caches for the life of a process, so a process that typeset one volume would carry
its memory into the next. ``generator build`` typesets them beside its MkDocs build and after it (``Typesetting``);
the preview and the plugin on its own, after the pages (``typeset_books``).
"""

from __future__ import annotations

import calendar
import hashlib
import json
import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import typst

from ..facts.view import Facts
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


class Typesetting:
    """Books typeset in the background, each in a spawned process of its own, by ``generator build``: while MkDocs
    builds the pages, one at a time and at a lower priority (it takes the core MkDocs leaves idle, and one volume's
    ~0.45 GB beside the build's), then ``jobs`` at a time once the build's process has ended. Each book is written
    (and kept in the cache) as soon as it is made."""

    NICE = 19  # the pages come first: a volume typeset beside them must not slow them down

    def __init__(self, books: list[Book], cache: Path | None, jobs: int) -> None:
        self.books, self.cache, self.jobs = books, cache, max(1, jobs)
        self._next = 0
        self._running: dict[int, Future] = {}
        self._pool = None
        if books:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context, max_tasks_per_child=1,
                                             initializer=os.nice, initargs=(self.NICE,))
            self.step(1)

    def step(self, at_once: int = 1) -> None:
        """Write the books that are made, and start the next ones, up to ``at_once`` running."""
        for i, future in list(self._running.items()):
            if future.done():
                del self._running[i]
                _keep(self.books[i], _pdf(future.result), self.cache)
        while self._next < len(self.books) and len(self._running) < at_once:
            book = self.books[self._next]
            assert self._pool is not None
            self._running[self._next] = self._pool.submit(compile_book, (book.template, book.data, book.timestamp))
            self._next += 1

    def finish(self) -> None:
        """Every book typeset and written, ``jobs`` at a time."""
        try:
            while self._running or self._next < len(self.books):
                self.step(self.jobs)
                if self._running:
                    wait(self._running.values(), return_when=FIRST_COMPLETED)
        finally:
            self.close()

    def close(self) -> None:
        """Stop: books not yet started are not typeset (the build failed)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None



def write_handbook(facts: Facts, out: Path, cache: Path | None = None, jobs: int = 1,
                   threshold: int = VOLUME_THRESHOLD, per_volume: int = VOLUME_POWERS) -> list[Unrendered]:
    """The handbook at ``out`` (``site/handbook.pdf``), and its volumes in the folder of the same name
    (``site/handbook/``) when there are more than ``threshold`` public powers. Returns what the body's pages held that
    could not be typeset (kept as text). One volume at a time by default: beside a build holding its pages, each
    volume's ~0.45 GB counts (``generator build`` typesets two at once after its build has ended)."""
    books, unrendered = plan_handbook(facts, out, cache, threshold, per_volume)
    typeset_books(books, cache, jobs)
    return unrendered


def plan_handbook(facts: Facts, out: Path, cache: Path | None = None,
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
    digest = _templates_digest()
    pending = []
    for path, template, data in books:
        book = Book(path, template, data, timestamp, _key(digest, template, timestamp, data))
        hit = _cached(cache, book.key)
        if hit:
            _write(path, hit.read_bytes())
        else:
            pending.append(book)
    return pending, maker.unrendered


def typeset_books(books: list[Book], cache: Path | None = None, jobs: int = 1) -> None:
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


def _keep(book: Book, pdf: bytes, cache: Path | None) -> None:
    """The book written where it goes, and kept in the cache."""
    if cache is not None:
        _store(cache / book.key[:2] / f"{book.key}.pdf", pdf)
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


def _templates_digest() -> str:
    h = hashlib.sha256(getattr(typst, "__version__", "").encode())
    for path in sorted(TEMPLATES.glob("*.typ")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _key(digest: str, template: str, timestamp: int, data: str) -> str:
    return hashlib.sha256(f"{digest}\0{template}\0{timestamp}\0{data}".encode()).hexdigest()


def _cached(cache: Path | None, key: str) -> Path | None:
    if cache is None:
        return None
    path = cache / key[:2] / f"{key}.pdf"
    return path if path.exists() else None


def _store(cached: Path, pdf: bytes) -> None:
    """Written under a temporary name and renamed: a killed build never leaves half a PDF in the cache."""
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pdf)
    tmp.replace(cached)
