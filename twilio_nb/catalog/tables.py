"""The catalog as DataFrames: entities, an entity's operations, an operation's parameters and
its answer's fields (with Twilio's words, read at run time by :mod:`.words`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from . import Operation, _by_entity, find, operations
from .words import note, plain, words_for

__all__ = ["describe_frame", "entities_frame", "field_rows", "fields_frame",
           "operations_frame"]


def entities_frame() -> pd.DataFrame:
    rows = [{"entity": e, "operations": len(ops),
             "products": ", ".join(sorted({o.product for o in ops}))}
            for e, ops in sorted(_by_entity().items())]
    return pd.DataFrame(rows)


def operations_frame(entity: str) -> pd.DataFrame:
    rows = [{"label": o.label, "method": o.method, "kind": o.kind, "product": o.product,
             "operation_id": o.operation_id} for o in operations(entity)]
    return pd.DataFrame(rows)


def _attrs(frame: pd.DataFrame, op: Operation, available: bool, summary: str) -> pd.DataFrame:
    frame.attrs["operation"] = op.label
    frame.attrs["summary"] = plain(summary)
    if not available:
        frame.attrs["note"] = note()
    return frame


def describe_frame(entity: str, operation: str) -> pd.DataFrame:
    """Each parameter: where it goes, whether it is required, its type and allowed values,
    Twilio's words for it (``description``) and whether it is ``deprecated``."""
    op = find(entity, operation)
    words = words_for(op)
    rows = [{"name": p.name, "in": p.location, "required": p.required,
             "type": p.type + ("[]" if p.array else ""), "format": p.format or "",
             "enum": ", ".join(p.enum) if p.enum else "", "pattern": p.pattern or "",
             "description": plain(words.params.get(p.name, "")), "deprecated": p.deprecated}
            for p in op.params]
    frame = pd.DataFrame(rows, columns=["name", "in", "required", "type", "format", "enum",
                                        "pattern", "description", "deprecated"])
    return _attrs(frame, op, words.available, words.summary)


def field_rows(op: Operation) -> tuple[list[dict[str, Any]], bool]:
    """One row per answer field of ``op`` (name, type, description, enum, deprecated), named
    as the frame names it; and whether Twilio's words could be read."""
    words = words_for(op)
    rows = []
    for name, prop in op.response_properties.items():
        rows.append({"name": name, "type": prop.get("type", "string")
                     + ("[]" if prop.get("array") else ""),
                     "description": plain(words.fields.get(name, "")),
                     "enum": ", ".join(map(str, prop.get("enum") or ())),
                     "deprecated": bool(prop.get("deprecated"))})
        for nested, text in words.fields.items():  # fields the spec nests inside this one
            if nested.startswith(name + "."):
                rows.append({"name": nested, "type": "", "description": plain(text),
                             "enum": "", "deprecated": False})
    return rows, words.available


def fields_frame(entity: str, operation: str) -> pd.DataFrame:
    """Each field of the operation's answer, named as ``r.df`` names its column."""
    op = find(entity, operation)
    rows, available = field_rows(op)
    frame = pd.DataFrame(rows, columns=["name", "type", "description", "enum", "deprecated"])
    return _attrs(frame, op, available, words_for(op).summary)
