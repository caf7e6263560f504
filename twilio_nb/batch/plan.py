"""The plan of a batch: every row's request, built and checked before anything is sent.

:class:`BasicSpec` (an Entity and an Operation of the catalog) or :class:`AdvancedSpec` (an
HTTP method and a relative URL) says what to send; its ``params``, ``query`` and ``body`` are
templates (:mod:`.templates`). :func:`make_plan` fills them from each row and builds the
request with the connection's own builder, so the catalog checks every value
(:mod:`twilio_nb.request.validate`). Every row's problems (a missing column, a template that
does not fill, a value the catalog refuses) are gathered into one
:class:`~twilio_nb.errors.ConfigurationError` naming the rows and columns; the warnings of
every row (a number not in E.164 form, ...) into one warning.

A :class:`PlannedRow` holds a :class:`~twilio_nb.request.built.BuiltRequest`, which never holds
credentials; :func:`requests_frame` shows method, URL and body per row (``b.requests``).

Imports: templates, request, catalog, errors, the gate's type; never the session (the
connection is a :class:`Sender`).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from .. import catalog
from ..errors import ConfigurationError, TwilioWarning, warn
from ..request.built import BuiltRequest
from ..request.target import Target
from .templates import Template, TemplateError, columns_of, describe, fill, parse_json_template

if TYPE_CHECKING:
    import pandas as pd

    from ..answers.result import Result
    from ..transport.gate import Gate

__all__ = ["AdvancedSpec", "BasicSpec", "PlannedRow", "Sender", "make_plan", "requests_frame",
           "tracked_kind"]

SHOWN_PROBLEMS = 12
_CALL_EVENTS = ("initiated", "ringing", "answered", "completed")


class Sender(Protocol):
    """What a batch needs of a connection (:class:`~twilio_nb.session.connection.Connection`
    is one): build requests, send them, a gate for concurrent sending, list calls, and
    where its requests go (what a checkpoint records)."""

    @property
    def target(self) -> Target: ...

    def build_basic(self, entity: str, operation: str,
                    params: Mapping[str, Any] | None = None,
                    body: Mapping[str, Any] | str | None = None,
                    query: Any = None) -> BuiltRequest: ...

    def build_advanced(self, method: str, relative_url: str, body: Any = None,
                       send_body: bool | None = None, query: Any = None, *,
                       params: Mapping[str, Any] | None = None) -> BuiltRequest: ...

    def execute(self, built: BuiltRequest, response_headers: str | None = "*", *,
                gate: Gate | None = None) -> Result: ...

    def basic(self, entity: str, operation: str, params: Mapping[str, Any] | None = None,
              body: Mapping[str, Any] | str | None = None, query: Any = None) -> Result: ...

    def gated(self, limit: int) -> AbstractContextManager[Gate]: ...


@dataclass(frozen=True)
class BasicSpec:
    """A catalog operation with templates for its parameters, query and body."""

    entity: str
    operation: str
    params: Template = None
    query: Template = None
    body: Template = None

    def identity(self) -> dict[str, Any]:
        """The operation as the catalog names it, however it was written (``Message.create``
        and ``Message "Send Message"`` are one batch)."""
        op = catalog.find(self.entity, self.operation)
        return _identity(f"{op.entity} / {op.label}", self)


@dataclass(frozen=True)
class AdvancedSpec:
    """An HTTP method and a relative URL (``:Name`` placeholders filled from ``params``)."""

    method: str
    relative_url: str
    params: Template = None
    query: Template = None
    body: Template = None

    def identity(self) -> dict[str, Any]:
        return _identity(f"{self.method.upper()} {self.relative_url}", self)


def _identity(operation: str, spec: BasicSpec | AdvancedSpec) -> dict[str, Any]:
    """What names a batch's requests in its checkpoint: the operation and its templates."""
    return {"operation": operation,
            "templates": {"params": describe(spec.params), "query": describe(spec.query),
                          "body": describe(spec.body)}}


Spec = BasicSpec | AdvancedSpec


@dataclass(frozen=True)
class PlannedRow:
    """One row's request: ``position`` in the input, its ``label`` (the input's index)."""

    position: int
    label: Any
    built: BuiltRequest
    filled: Mapping[str, Any] | None = None  # params, query, body as the templates made them

    def field(self, name: str) -> str | None:
        """A body field as sent (``To``, ``Body``), or None."""
        for key, value in self.built.form:
            if key == name:
                return value
        return None


def _with_callback(body: Mapping[str, Any] | str | None, url: str, calls: bool
                   ) -> Mapping[str, Any] | str:
    """The body with the StatusCallback added (calls: every event asked for)."""
    if isinstance(body, str):
        extra = f"StatusCallback={quote(url, safe='')}"
        if calls and "StatusCallbackEvent" not in body:
            extra += "".join(f"&StatusCallbackEvent={e}" for e in _CALL_EVENTS)
        return f"{body}&{extra}" if body.strip() else extra
    out = dict(body or {})
    out.setdefault("StatusCallback", url)
    if calls:
        out.setdefault("StatusCallbackEvent", list(_CALL_EVENTS))
    return out


def _build_one(sender: Sender, spec: Spec, body_template: Template, row: Mapping[str, Any],
               callback: str | None, calls: bool
               ) -> tuple[BuiltRequest, dict[str, Any]]:
    advanced = isinstance(spec, AdvancedSpec)
    params = fill(spec.params, row)
    query = fill(spec.query, row, form_text=True)
    body = fill(body_template, row, form_text=advanced)
    if params is not None and not isinstance(params, Mapping):
        raise ConfigurationError("params must be a dict template (or a function returning "
                                 "one).", field="params")
    filled = {"params": params, "query": query, "body": body}
    if callback is not None:
        body = _with_callback(body, callback, calls)
    if isinstance(spec, AdvancedSpec):
        return sender.build_advanced(spec.method, spec.relative_url, body=body, query=query,
                                     params=params), filled
    return sender.build_basic(spec.entity, spec.operation, params=params, body=body,
                              query=query), filled


def tracked_kind(spec: Spec) -> str | None:
    """What the rows make that Twilio tracks to a final status: ``message``, ``call`` (calls
    and conference participants), or None; from the catalog's entity (Basic) or the path's
    last part (Advanced)."""
    if isinstance(spec, AdvancedSpec):
        last = spec.relative_url.partition("?")[0].rstrip("/").rsplit("/", 1)[-1]
        entity = {"Messages": "Message", "Calls": "Call", "Participants": "Participant"}.get(
            last.removesuffix(".json"))
    else:
        entity = catalog.find(spec.entity, spec.operation).entity
    return {"Message": "message", "Call": "call", "Participant": "call"}.get(entity or "")


def _creates_calls(spec: Spec) -> bool:
    """Rows that create calls or participants: their StatusCallback asks for every event."""
    if tracked_kind(spec) != "call":
        return False
    if isinstance(spec, AdvancedSpec):
        return spec.method.upper() == "POST"
    return catalog.find(spec.entity, spec.operation).kind == "create"


def _columns_hint(spec: Spec, field: str | None) -> str:
    """The columns that fed ``field`` (a parameter name) through the templates."""
    if field is None:
        return ""
    for template in (spec.body, spec.params, spec.query):
        if isinstance(template, Mapping) and isinstance(template.get(field), str):
            cols = columns_of({field: template[field]})
            if cols:
                return f" (column {', '.join(repr(c) for c in cols)})"
    return ""


def make_plan(sender: Sender, spec: Spec, labels: Sequence[Any],
              records: Sequence[Mapping[str, Any]], *, callback: str | None = None,
              columns: Sequence[str] | None = None
              ) -> tuple[list[PlannedRow], list[str]]:
    """Every row's request, and the warnings found (emitted once, gathered). Raises one
    ConfigurationError naming every row that does not fill or that the catalog refuses
    (and, given the rows' ``columns``, the columns the templates read that none has)."""
    if isinstance(spec, BasicSpec):
        op = catalog.find(spec.entity, spec.operation)  # a wrong name fails once, here
        if op.method not in ("POST", "PUT", "PATCH", "DELETE"):
            warn(f"{op.name} does not change anything ({op.method}): a batch is meant for "
                 "writes, one per row; it sends the rows anyway.", TwilioWarning)
    calls = _creates_calls(spec)
    body_template = spec.body
    if isinstance(body_template, str) and isinstance(spec, BasicSpec):
        body_template = parse_json_template(body_template)
    # a template that is not well formed fails once, here; so does a column no row has
    wanted = [c for t in (spec.params, spec.query, body_template) for c in columns_of(t)]
    missing = [c for c in dict.fromkeys(wanted) if columns is not None and c not in columns]
    if missing:
        raise ConfigurationError(
            f"The templates read the column(s) {', '.join(repr(c) for c in missing)}, which the "
            f"rows do not have (columns: {', '.join(repr(c) for c in columns or ()) or 'none'});"
            " nothing was sent.", field="rows")
    planned: list[PlannedRow] = []
    problems: list[str] = []
    found: dict[str, list[Any]] = {}  # warning text -> the rows it was found in
    for position, (label, row) in enumerate(zip(labels, records, strict=True)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", TwilioWarning)
            try:
                built, filled = _build_one(sender, spec, body_template, row, callback, calls)
            except TemplateError as exc:
                problems += [f"row {label!r}: {p.text}" for p in exc.problems]
                continue
            except ConfigurationError as exc:
                first = str(exc).splitlines()[0]
                problems.append(f"row {label!r}{_columns_hint(spec, exc.field)}: {first}")
                continue
        for w in caught:
            if issubclass(w.category, TwilioWarning):
                found.setdefault(str(w.message), []).append(label)
        planned.append(PlannedRow(position, label, built, filled))
    if problems:
        shown = "\n- ".join(problems[:SHOWN_PROBLEMS])
        more = len(problems) - SHOWN_PROBLEMS
        raise ConfigurationError(
            f"{len(problems)} problem(s) in the rows; nothing was sent. Fix the rows (or the "
            f"templates) and run again:\n- {shown}" + (f"\n... and {more} more" if more > 0
                                                        else ""), field="rows")
    said = [f"{_rows_named(labels)}: {text}" for text, labels in found.items()]
    if said:
        more = len(said) - 5
        warn(f"{len(said)} warning(s) in the rows (they are sent anyway; all in "
             "the batch's .warnings):\n- " + "\n- ".join(said[:5]) + (f"\n... and {more} more"
                                                         if more > 0 else ""), TwilioWarning)
    return planned, said


def _rows_named(labels: list[Any]) -> str:
    """``row 'c1'``, ``rows 'c1', 'c2'``, ``rows 'c1', 'c2', ... (40 rows)``."""
    if len(labels) == 1:
        return f"row {labels[0]!r}"
    shown = ", ".join(repr(label) for label in labels[:3])
    return f"rows {shown}" + (f", ... ({len(labels)} rows)" if len(labels) > 3 else "")


def requests_frame(plan: Sequence[PlannedRow], index: Any) -> pd.DataFrame:
    """Method, URL and body (as sent, decoded) per row: what a dry run shows. No credential
    is in a BuiltRequest, so none can be here."""
    import pandas as pd  # deferred: import twilio_nb stays without pandas

    rows = [{"method": p.built.method, "url": p.built.url,
             "body": "&".join(f"{k}={v}" for k, v in p.built.form) if p.built.form
             else (p.built.body or b"").decode("utf-8", "replace")} for p in plan]
    return pd.DataFrame(rows, index=index, columns=["method", "url", "body"])
