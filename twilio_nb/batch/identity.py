"""What a batch is, as its checkpoint records it: its meaning, not how it was written.

* A template's identity is its meaning: a dict and the same JSON text are one template
  (:func:`template_identity`); a function's identity is its code and constants (its bytecode,
  its constants and the names it reads, recursively through nested functions, the plain values
  of its closure, defaults and globals), not its name (:func:`function_identity`). What cannot
  be known that way (an object in its closure, a callable object) is listed as ``unknown``.
* Every row is recorded as short digests (:func:`row_entry`): its label, each of its columns,
  and each field its templates made for it (before the StatusCallback is added). So a
  checkpoint resumed with other rows, or with a template or function that makes another
  request for a row, is refused naming the first row and the column or field that differs
  (:func:`first_difference`), whatever the template could or could not tell.

Imports the templates only (the JSON text of a Basic body).
"""

from __future__ import annotations

import hashlib
import json
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .templates import Template, parse_json_template

__all__ = ["batch_header", "digest", "field_names", "first_difference", "function_identity",
           "row_entry", "template_identity"]

CELL = 8  # hex digits of one cell's or field's digest
_PLAIN = (str, int, float, bool, type(None))


_TAGS = {str: "s", int: "i", float: "f", bool: "b", type(None): "n"}


def digest(value: Any, size: int = 32) -> str:
    """A stable digest (``size`` hex digits) of a JSON-able value (anything else as its
    text); a plain value by its type and repr, which is quicker (a batch digests every cell)."""
    tag = _TAGS.get(type(value))
    text = tag + repr(value) if tag else "j" + json.dumps(value, sort_keys=True, default=str,
                                                          separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=(size + 1) // 2).hexdigest()[:size]


def _jsonable(value: Any) -> Any:
    """A template's value as JSON says it (lists, dicts and plain values; others as text)."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return repr(value)


def template_identity(template: Template, *, json_text: bool) -> Any:
    """A template's meaning: a dict (or a Basic body's JSON text, ``json_text``) as JSON,
    form text as it is, a function by :func:`function_identity`."""
    if template is None:
        return None
    if isinstance(template, str):
        return _jsonable(parse_json_template(template)) if json_text else template
    if callable(template):
        return function_identity(template)
    return _jsonable(template)


def _value_identity(value: Any, name: str, unknown: list[str], depth: int) -> Any:
    """A value a function uses (closure, default, global) as far as it can be known."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, (list, tuple, Mapping)):
        try:
            return json.loads(json.dumps(value, sort_keys=True))
        except (TypeError, ValueError):
            pass
    if isinstance(value, types.FunctionType) and depth < 3:
        return _function(value, unknown, depth + 1)
    if isinstance(value, (types.ModuleType, type, types.BuiltinFunctionType)):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value)}"
    unknown.append(name)
    return f"({type(value).__name__})"


def _code(code: types.CodeType) -> list[Any]:
    consts = [_code(c) if isinstance(c, types.CodeType) else repr(c) for c in code.co_consts]
    return [code.co_code.hex(), consts, list(code.co_names)]


def _function(fn: types.FunctionType, unknown: list[str], depth: int) -> dict[str, Any]:
    code = fn.__code__
    cells = dict(zip(code.co_freevars, fn.__closure__ or (), strict=True))
    closure = {}
    for name, cell in cells.items():
        try:
            closure[name] = _value_identity(cell.cell_contents, f"closure {name!r}", unknown,
                                            depth)
        except ValueError:  # an empty cell (a name not yet bound)
            closure[name] = None
    used = {name: _value_identity(fn.__globals__[name], f"global {name!r}", unknown, depth)
            for name in code.co_names if name in fn.__globals__ and depth == 0}
    defaults = [_value_identity(v, "a default", unknown, depth) for v in fn.__defaults__ or ()]
    kw = {k: _value_identity(v, f"default {k!r}", unknown, depth)
          for k, v in (fn.__kwdefaults__ or {}).items()}
    return {"code": _code(code), "closure": closure, "globals": used, "defaults": defaults,
            "kwdefaults": kw}


def function_identity(fn: Callable[..., Any]) -> dict[str, Any]:
    """A function's code and constants (not its name): ``{"function": digest, "unknown":
    [what could not be known]}``. A callable that is not a Python function (a callable
    object, a builtin) is known by its type only: ``unknown`` says so."""
    unknown: list[str] = []
    if isinstance(fn, types.FunctionType):
        made: Any = _function(fn, unknown, 0)
    elif isinstance(fn, types.MethodType) and isinstance(fn.__func__, types.FunctionType):
        made = [_function(fn.__func__, unknown, 0),
                _value_identity(fn.__self__, "the method's object", unknown, 0)]
    else:
        made = f"{type(fn).__module__}.{type(fn).__qualname__}"
        unknown.append(f"the callable {type(fn).__name__!r} itself (not a Python function)")
    return {"function": digest(made), "unknown": sorted(set(unknown))}


def _fields_of(filled: Mapping[str, Any]) -> dict[str, str]:
    """The fields a row's templates made (params, query, body), each as a short digest."""
    out: dict[str, str] = {}
    for part, value in filled.items():
        if isinstance(value, Mapping):
            prefix = "" if part == "body" else f"{part} "
            out.update({f"{prefix}{k}": digest(_jsonable(v), CELL) for k, v in value.items()})
        elif value is not None:
            out[part] = digest(_jsonable(value), CELL)
    return out


def row_entry(label: Any, record: Mapping[str, Any], columns: Sequence[str],
              filled: Mapping[str, Any], fields: Sequence[str]) -> list[str]:
    """``[label, columns, fields]`` as digests: the label's, each column's (in ``columns``'
    order) and each field's (in ``fields``' order; ``-`` for a field this row has not)."""
    made = _fields_of(filled)
    return [digest(str(label), CELL),
            "".join(digest(record.get(c), CELL) for c in columns),
            "".join(made.get(f, "-" * CELL) for f in fields)]


def field_names(filled: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every field any row's templates made, sorted."""
    return sorted({name for f in filled for name in _fields_of(f)})


def _cells(text: str) -> list[str]:
    return [text[i:i + CELL] for i in range(0, len(text), CELL)]


def first_difference(theirs: Mapping[str, Any], ours: Mapping[str, Any],
                     labels: Sequence[Any]) -> str | None:
    """What first differs between two batches' rows (``columns``, ``fields``, ``rows`` as
    recorded), named: ``row 'c3': column 'phone' differs``; None when nothing does."""
    if list(theirs.get("columns") or []) != list(ours["columns"]):
        return (f"the columns differ (it has {', '.join(map(repr, theirs.get('columns') or []))}"
                f"; these rows have {', '.join(map(repr, ours['columns']))})")
    old, new = theirs.get("rows") or [], ours["rows"]
    old_fields, new_fields = list(theirs.get("fields") or []), list(ours["fields"])
    for position, (a, b) in enumerate(zip(old, new, strict=False)):
        label = labels[position]
        if a[0] != b[0]:
            return f"the row at position {position} is labelled {label!r} here, not there"
        for column, x, y in zip(ours["columns"], _cells(a[1]), _cells(b[1]), strict=False):
            if x != y:
                return f"row {label!r}: column {column!r} differs"
        mine = dict(zip(new_fields, _cells(b[2]), strict=False))
        was = dict(zip(old_fields, _cells(a[2]), strict=False))
        for name in sorted(set(mine) | set(was)):
            if mine.get(name, "-" * CELL) != was.get(name, "-" * CELL):
                return (f"row {label!r}: the field {name!r} the templates make differs "
                        "(another template or function)")
    if len(old) != len(new):
        return f"it has {len(old)} rows; these are {len(new)}"
    return None


def batch_header(operation: str, templates: Mapping[str, Any], target: Mapping[str, Any],
                 labels: Sequence[Any], records: Sequence[Mapping[str, Any]],
                 filled: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What a checkpoint's first line says of a batch (after its format): the operation, the
    target, the templates' identity (digest, and what of them could not be known), the
    columns, the fields the templates made, and every row's digests."""
    columns = sorted({str(c) for r in records for c in r})
    fields = field_names(filled)
    unknown = sorted({part for t in templates.values() if isinstance(t, dict)
                      for part in t.get("unknown", ())})
    return {"operation": operation, "target": dict(target), "templates": digest(templates),
            "unknown": unknown, "columns": columns, "fields": fields,
            "rows": [row_entry(label, rec, columns, f, fields)
                     for label, rec, f in zip(labels, records, filled, strict=True)]}
