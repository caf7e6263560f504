"""An operation's parameters and answer fields as DataFrames, with Twilio's words (read at
run time by :mod:`.words`) beside the catalog's facts. Given an operation, never a name: the
lookup is the catalog's (``tw.catalog.describe`` / ``fields``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .words import OperationLike, note, plain, words_for

__all__ = ["PARAM_COLUMNS", "field_rows", "fields_frame", "params_frame"]

PARAM_COLUMNS = ["name", "in", "required", "type", "format", "enum", "pattern", "description",
                 "deprecated"]
FIELD_COLUMNS = ["name", "type", "description", "enum", "deprecated"]


def _attrs(frame: pd.DataFrame, op: OperationLike) -> pd.DataFrame:
    words = words_for(op)
    frame.attrs["operation"] = op.label
    frame.attrs["summary"] = plain(words.summary)
    if not words.available:
        frame.attrs["note"] = note()
    return frame


def params_frame(op: OperationLike) -> pd.DataFrame:
    """Each parameter: where it goes, whether it is required, its type and allowed values,
    Twilio's words for it (``description``) and whether it is ``deprecated``."""
    said = words_for(op).params
    rows = [{"name": p.name, "in": p.location, "required": p.required,
             "type": p.type + ("[]" if p.array else ""), "format": p.format or "",
             "enum": ", ".join(p.enum) if p.enum else "", "pattern": p.pattern or "",
             "description": plain(said.get(p.name, "")), "deprecated": p.deprecated}
            for p in op.params]
    return _attrs(pd.DataFrame(rows, columns=PARAM_COLUMNS), op)


def field_rows(op: OperationLike) -> tuple[list[dict[str, Any]], bool]:
    """One row per answer field of ``op`` (name, type, description, enum, deprecated), named
    as the frame names it (nested fields the spec describes: dotted); and whether Twilio's
    words could be read."""
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


def fields_frame(op: OperationLike) -> pd.DataFrame:
    """Each field of the operation's answer, named as ``r.df`` names its column."""
    return _attrs(pd.DataFrame(field_rows(op)[0], columns=FIELD_COLUMNS), op)
