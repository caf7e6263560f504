"""Operation Parameters: one row per path and query parameter of the chosen operation,
generated from the catalog, and the body templates of its body parameters.

A row is [send?] [name, * when required] [control] [where · type]. The control follows
the parameter's type: ``Checkbox`` for booleans, ``Dropdown`` for enums, ``Text`` otherwise
(an array as comma-separated values). Integers and numbers are ``Text`` too, empty until the
user types (a placeholder says what fits, e.g. "whole number ≥ 1"): an unticked PageSize shows
nothing rather than a ``1`` that looks like a value; the core checks what is typed and names
the row when it is not a number.
Each control's ``tooltip`` is the parameter's meaning in Twilio's words (read at run time, see
:mod:`twilio_nb.catalog.words`); a deprecated parameter's name is struck through and marked.
Body parameters are buttons under the Body (:class:`BodyFields`), each with its words as
tooltip; a click adds the field to the Body's JSON.
The "send" box ticks itself when a value is given and clears when a text is emptied; a row
that is not ticked (an empty optional field) is not sent. Required rows are always sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ..catalog import Operation, Param
from ..catalog.words import plain, words_for
from ..request.validate import example_value
from ._common import FULL, WRAP, close_all, escape, mark_widget, unhighlight
from ._common import row as wrapping_row

__all__ = ["BodyFields", "ParamRow", "ParamTable", "body_help", "tooltip_of"]

_WHERE = {"path": "path", "query": "query", "header": "header"}
SEND_WIDTH, NAME_WIDTH, VALUE_WIDTH = "36px", "170px", "330px"


def _placeholder(param: Param) -> str:
    if param.array:
        return f"comma-separated, e.g. {example_value(param)}"
    if param.type in ("integer", "number"):
        kind = "whole number" if param.type == "integer" else "number"
        low = f" ≥ {param.minimum:g}" if param.minimum is not None else ""
        high = f" ≤ {param.maximum:g}" if param.maximum is not None else ""
        return f"{kind}{low}{high}"
    return f"e.g. {example_value(param)}"


def tooltip_of(param: Param, words: str) -> str:
    """A parameter's tooltip: Twilio's words for it (as text), marked when deprecated."""
    text = plain(words)
    return f"Deprecated. {text}" if param.deprecated and not text.upper().startswith(
        ("[OBSOLETE]", "[DEPRECATED]")) else text


def _control(param: Param, tooltip: str = "") -> Any:
    layout = widgets.Layout(width=VALUE_WIDTH, min_width="120px", max_width=FULL)
    tip = tooltip or None
    if param.enum:
        options: list[tuple[str, str | None]] = [("", None)]
        options += [(e, e) for e in param.enum]
        return widgets.Dropdown(options=options, value=None, layout=layout, tooltip=tip)
    if param.type == "boolean" and not param.array:
        return widgets.Checkbox(value=False, indent=False, layout=widgets.Layout(width="auto"),
                                tooltip=tip)
    return widgets.Text(placeholder=_placeholder(param), layout=layout,
                        continuous_update=False, tooltip=tip)


def _name_html(param: Param, tooltip: str) -> str:
    star = " <span style='color:#d32f2f' title='required'>*</span>" if param.required else ""
    name = f"<code>{escape(param.name)}</code>"
    if param.deprecated:
        name = (f"<s>{name}</s> <span style='color:#b26a00;font-size:10px'>deprecated</span>")
    return f"<span title='{escape(tooltip)}'>{name}</span>{star}" if tooltip else name + star


class ParamRow:
    """One parameter's row. ``value()`` is what is sent, None when nothing is."""

    def __init__(self, param: Param, on_change: Callable[[], None], words: str = "") -> None:
        self.param = param
        tooltip = tooltip_of(param, words)
        self._on_change = on_change
        self.send = widgets.Checkbox(value=param.required, indent=False,
                                     disabled=param.required,
                                     tooltip="send this parameter",
                                     layout=widgets.Layout(width=SEND_WIDTH,
                                                           min_width=SEND_WIDTH))
        self.label = widgets.HTML(_name_html(param, tooltip),
                                  layout=widgets.Layout(width=NAME_WIDTH, min_width=NAME_WIDTH))
        self.control = _control(param, tooltip)
        kind = f"{param.type}[]" if param.array else param.type
        extra = param.format or ""
        hint = f"{_WHERE.get(param.location, '')} · {kind}{' · ' + extra if extra else ''}"
        self.hint = widgets.HTML(  # wraps in a narrow notebook, never cut
            f"<span title='{escape(hint)}' style='color:#777;font-size:11px;{WRAP}'>"
            f"{escape(hint)}</span>",
            layout=widgets.Layout(margin="0 0 0 8px", min_width="0", flex="1 1 auto"))
        self.control.observe(self._edited, names="value")
        self.send.observe(lambda _c: self._on_change(), names="value")

    @property
    def cells(self) -> list[Any]:
        return [self.send, self.label, self.control, self.hint]

    def _edited(self, change: dict[str, Any]) -> None:
        if not self.param.required:
            new = change["new"]
            self.send.value = not (new is None or (isinstance(new, str) and not new.strip()))
        self._on_change()

    def set(self, value: Any) -> None:
        self.control.value = value

    def value(self) -> Any | None:
        if not self.send.value:
            return None
        raw = self.control.value
        if isinstance(raw, str):
            text = raw.strip()
            if not text:
                return None
            if self.param.array:
                return [v.strip() for v in text.split(",") if v.strip()]
            return text
        return raw


class ParamTable(widgets.HBox):  # type: ignore[misc]
    """The Operation Parameters table of one operation (path and query parameters), a row
    per parameter."""

    def __init__(self, on_change: Callable[[], None] | None = None) -> None:
        self._on_change = on_change or (lambda: None)
        self.rows: dict[str, ParamRow] = {}
        self.operation: Operation | None = None
        self._prefilled: dict[str, str] = {}
        self.rows_box = widgets.VBox(layout=widgets.Layout(width="auto", min_width="0",
                                                           flex="1 1 auto"))
        label = widgets.HTML("<div style='text-align:right;padding-right:8px'>Operation "
                             "Parameters</div>",
                             layout=widgets.Layout(width="200px", min_width="200px"))
        super().__init__([label, self.rows_box], layout=widgets.Layout(margin="4px 0"))

    def set_operation(self, op: Operation | None, prefill: dict[str, str | None]) -> None:
        """Rows for ``op``'s path and query parameters; ``prefill`` values (AccountSid from
        the connection) are filled in."""
        old = [w for row in self.rows.values() for w in row.cells]
        self.rows = {}
        self.operation = op
        self._prefilled = {}
        if op is not None:
            params = [p for p in op.params if p.location in ("path", "query")]
            params.sort(key=lambda p: (p.location != "path", not p.required))
            words = words_for(op).params
            for p in params:
                self.rows[p.name] = ParamRow(p, self._on_change, words.get(p.name, ""))
        old += list(self.rows_box.children)
        if self.rows:
            head = wrapping_row([
                widgets.HTML(f"<b style='font-size:11px;color:#555'>{text}</b>",
                             layout=widgets.Layout(width=width, max_width=FULL))
                for text, width in (("Send", SEND_WIDTH), ("Name", NAME_WIDTH),
                                    ("Value", VALUE_WIDTH))])
            lines: list[Any] = [head]
            lines += [wrapping_row(line.cells) for line in self.rows.values()]  # wrap, never scroll
        else:
            lines = [widgets.HTML("<i style='color:#777'>none</i>")]
        self.rows_box.children = lines
        close_all(old)
        for name, value in prefill.items():
            self.prefill(name, value)

    def prefill(self, name: str, value: str | None) -> None:
        """Fill ``name`` with ``value`` unless the user typed something else there."""
        row = self.rows.get(name)
        if row is None or value is None:
            return
        current = row.control.value
        if current in ("", None) or current == self._prefilled.get(name):
            row.set(value)
            self._prefilled[name] = value

    def values(self) -> dict[str, Any]:
        """The parameters to send: the ticked rows with a value."""
        out: dict[str, Any] = {}
        for name, row in self.rows.items():
            value = row.value()
            if value is not None:
                out[name] = value
        return out

    def widget_for(self, name: str | None) -> Any | None:
        row = self.rows.get(name or "")
        return row.control if row is not None else None

    def clear_marks(self) -> None:
        for row in self.rows.values():
            unhighlight(row.control)

    def mark(self, name: str | None) -> bool:
        return mark_widget(self.widget_for(name))


def _body_params(op: Operation | None) -> list[Param]:
    return list(op.params_in("body")) if op is not None else []


def body_help(op: Operation | None) -> str:
    """The line over the body parameters' buttons (nothing when the operation has none)."""
    if not _body_params(op):
        return ""
    return ("<div style='font-size:11px;color:#555'>Body parameters (<span style='color:#d32f2f'>"
            "*</span> required; hover for Twilio's words, click to add one to the Body):</div>")


class BodyFields(widgets.HBox):  # type: ignore[misc]
    """A button per body parameter of the operation: its tooltip Twilio's words for it, a
    deprecated one marked; a click hands its name to ``on_pick`` (the tab adds it to the
    Body)."""

    def __init__(self, on_pick: Callable[[str], None]) -> None:
        self._on_pick = on_pick
        self.buttons: dict[str, Any] = {}
        super().__init__([], layout=widgets.Layout(flex_flow="row wrap", max_width="880px",
                                                   margin="0 0 4px 204px"))

    def set_operation(self, op: Operation | None) -> None:
        old: list[Any] = list(self.buttons.values())
        params = _body_params(op)
        words = words_for(op).params if op is not None and params else {}
        self.buttons = {}
        for p in params:
            label = p.name + ("*" if p.required else "") + (" (deprecated)" if p.deprecated
                                                             else "")
            button = widgets.Button(description=label, tooltip=tooltip_of(
                p, words.get(p.name, "")) or None, layout=widgets.Layout(width="auto"))
            button.style.button_color = "#fff3e0" if p.deprecated else None
            button.on_click(lambda _b, name=p.name: self._on_pick(name))
            self.buttons[p.name] = button
        self.children = list(self.buttons.values())
        close_all(old)

    def widget_for(self, name: str | None) -> Any | None:
        return self.buttons.get(name or "")
