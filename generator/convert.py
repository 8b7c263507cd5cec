"""Raw cells → typed records, one field type at a time, every bad value reported."""

from __future__ import annotations

from dataclasses import dataclass

from . import fields as T
from .fields import VOCABULARIES, Field
from .load import map_fields
from .model import RECORD_CLASSES, Record
from .problems import Location, Report
from .sources import Cell
from .values import BadValue, check_id, clean_text, parse_bool, parse_date, parse_int, parse_number, split_items

_CODES = {T.DATE: "bad-date", T.BOOL: "bad-bool", T.INT: "bad-number", T.NUMBER: "bad-number", T.ID: "bad-id"}
_SCALAR_PARSERS = {T.DATE: parse_date, T.BOOL: parse_bool, T.INT: parse_int, T.NUMBER: parse_number, T.ID: check_id}


@dataclass
class Converter:
    report: Report
    vocabularies: dict[str, tuple[str, ...]]

    def record(self, class_key: str, fields: tuple[Field, ...], cells: dict[str, Cell], loc: Location,
               missing: frozenset[str] = frozenset()) -> Record:
        values: dict[str, object] = {}
        locs: dict[str, Location] = {}
        for f in fields:
            cell = cells.get(f.key)
            if cell is None or _is_empty(cell):
                if f.required and f.key not in missing:
                    where = cell.loc if cell is not None else loc
                    self.report.add("required", where, f"“{f.label}”不能为空", field=f.label)
                continue
            locs[f.key] = cell.loc
            value = self.value(class_key, f, cell, locs)
            if value is not None:
                values[f.key] = value
        return RECORD_CLASSES[class_key](loc=loc, locs=locs, **values)

    def value(self, class_key: str, f: Field, cell: Cell, locs: dict[str, Location]) -> object:
        if f.type == T.RECORDS:
            return self._records(f"{class_key}.{f.key}", f, cell)
        if f.type == T.MAPPING:
            return self._mapping(f"{class_key}.{f.key}", f, cell)
        if f.type == T.NEXT:
            return self._next(f"{class_key}.{f.key}", f, cell)
        if f.type in (T.LIST, T.PARAGRAPHS, T.CHOICES, T.REFS, T.STEP_REFS, T.STRINGS):
            return self._items(f, cell, locs)
        if not isinstance(cell.value, str):
            self.report.add("yaml-structure", cell.loc, "这里应当是一个值，而不是列表或键值", field=f.label)
            return None
        return self._scalar(f, clean_text(cell.value), cell.loc)

    def _scalar(self, f: Field, text: str, loc: Location) -> object:
        if f.type in _SCALAR_PARSERS:
            try:
                return _SCALAR_PARSERS[f.type](text)
            except BadValue as e:
                self.report.add(_CODES[f.type], loc, str(e.args[0]), field=f.label)
                # Keep a bad id as written: the error stands, and references to it do not cascade.
                return text if f.type == T.ID else None
        if f.type == T.CHOICE:
            return self._choice(f, text, loc)
        if f.type == T.REF:
            return text
        return text  # TEXT

    def _choice(self, f: Field, text: str, loc: Location) -> str | None:
        allowed = self.vocabularies[f.vocab]
        if text in allowed:
            return text
        self.report.add("bad-value", loc, f"“{text}”不是可选的{f.label}；可选：{'、'.join(allowed)}", field=f.label)
        return None

    def _items(self, f: Field, cell: Cell, locs: dict[str, Location]) -> list[str] | tuple[str, ...]:
        if isinstance(cell.value, list):
            pairs = []
            for i, item in enumerate(cell.value):
                if not isinstance(item.value, str):
                    if item.value is not None:
                        self.report.add("yaml-structure", item.loc, "列表中的每一项应当是文字", field=f.label)
                    continue
                pairs.append((clean_text(item.value), item.loc))
            pairs = [(text, loc) for text, loc in pairs if text]
        elif isinstance(cell.value, str):
            separators = T.PARAGRAPH_SEPARATORS if f.type == T.PARAGRAPHS else T.LIST_SEPARATORS
            pairs = [(text, cell.loc) for text in split_items(cell.value, separators)]
        else:
            self.report.add("yaml-structure", cell.loc, "这里应当是文字或列表", field=f.label)
            return []
        out = []
        for i, (text, loc) in enumerate(pairs):
            if f.type == T.CHOICES and self._choice(f, text, loc) is None:
                continue
            locs[f"{f.key}[{len(out)}]"] = loc
            out.append(text)
        return tuple(out) if f.type == T.STRINGS else out

    def _records(self, class_key: str, f: Field, cell: Cell) -> list[Record]:
        if not isinstance(cell.value, list):
            self.report.add("yaml-structure", cell.loc, f"“{f.label}”应当是一个列表（每项以“- ”开头）", field=f.label)
            return []
        out = []
        for item in cell.value:
            cells = map_fields(item, f.sub, self.report)
            if cells is not None:
                out.append(self.record(class_key, f.sub, cells, item.loc))
        return out

    def _mapping(self, class_key: str, f: Field, cell: Cell) -> object:
        cells = map_fields(cell, f.sub, self.report)
        if cells is None:
            return None
        if class_key == "site.vocabularies":
            locs: dict[str, Location] = {}
            return {key: self._items(_find(f.sub, key), c, locs) for key, c in cells.items()
                    if not _is_empty(c)}
        return self.record(class_key, f.sub, cells, cell.loc)

    def _next(self, class_key: str, f: Field, cell: Cell) -> list[Record]:
        cls = RECORD_CLASSES[class_key]
        if isinstance(cell.value, str):
            return [cls(loc=cell.loc, to=to) for to in split_items(cell.value) if self._id(to, cell.loc, f)]
        if not isinstance(cell.value, list):
            self.report.add("yaml-structure", cell.loc, "“下一步”应当是环节编号或分支列表", field=f.label)
            return []
        out = []
        for item in cell.value:
            if isinstance(item.value, str):
                if self._id(item.value.strip(), item.loc, f):
                    out.append(cls(loc=item.loc, to=item.value.strip()))
            elif item.value is not None:
                cells = map_fields(item, f.sub, self.report)
                if cells is not None:
                    branch = self.record(class_key, f.sub, cells, item.loc)
                    if branch.to:
                        out.append(branch)
        return out

    def _id(self, text: str, loc: Location, f: Field) -> bool:
        try:
            check_id(text)
            return True
        except BadValue as e:
            self.report.add("bad-id", loc, str(e.args[0]), field=f.label)
            return False


def _find(fields: tuple[Field, ...], key: str) -> Field:
    return next(f for f in fields if f.key == key)


def _is_empty(cell: Cell) -> bool:
    if cell.value is None:
        return True
    if isinstance(cell.value, str):
        return not clean_text(cell.value)
    return len(cell.value) == 0


def default_vocabularies() -> dict[str, tuple[str, ...]]:
    return {key: v.values for key, v in VOCABULARIES.items()}
