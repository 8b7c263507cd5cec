"""Typst for the handbook's books, apart from everything else: a process spawned to typeset one volume imports this
module and Typst only (importing the handbook's writer would load the whole generator again in every volume)."""

from __future__ import annotations

from pathlib import Path

import typst

TEMPLATES = Path(__file__).resolve().parent / "templates"


class TypesetFault(RuntimeError):
    """Typst failed on a template: a fault in the templates, which data cannot cause (its text is shown as text)."""


def compile_book(job: tuple[str, str, int]) -> bytes:
    """(template file, its JSON data, creation timestamp) → the PDF."""
    template, data, timestamp = job
    try:
        compiler = typst.Compiler(str(TEMPLATES / template), root=str(TEMPLATES))
        return compiler.compile(sys_inputs={"data": data}, timestamp=timestamp)
    except RuntimeError as e:  # sent back to the parent as text: Typst's own error may not cross processes
        raise TypesetFault(str(e)) from None
