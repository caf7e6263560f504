"""Small pieces the form's parts share: layouts, the error card, field highlighting."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from ..answers.tables import WRAP
from ..errors import ConfigurationError, PagingError, TwilioApiError, TwilioError

__all__ = ["ERROR_BORDER", "FIT_CSS", "LABEL_WIDTH", "WRAP", "close_all", "error_card",
           "error_label", "escape", "field", "fit_button", "hide", "highlight", "is_hidden",
           "note", "row", "sandbox_badge", "show", "unhighlight", "widget_of"]

LABEL_WIDTH = "200px"
FIELD_WIDTH = "680px"
FULL = "calc(100% - 4px)"  # a box's whole width for a widget with ipywidgets' 2 px margins
ERROR_BORDER = "2px solid #d32f2f"
ERROR_BACKGROUND = "#fdecea"


# What keeps every part of a form or a shown Result within the notebook's width (issue 32):
# HTML parts never widen their box (a wide table scrolls inside its own box), a button is as
# wide as its label (ipywidgets gives every button 148 px, which cut "Preview (dry run)"),
# rows of buttons and fields wrap instead of scrolling sideways.
FIT_CSS = (
    "<style>.twilio-nb-form, .twilio-nb-fit {max-width:100%; min-width:0}"
    " .twilio-nb-form .widget-html, .twilio-nb-form .widget-html-content,"
    " .twilio-nb-fit .widget-html, .twilio-nb-fit .widget-html-content"
    " {max-width:100%; min-width:0}"
    " .twilio-nb-form .widget-box, .twilio-nb-fit .widget-box {min-width:0}"
    " .twilio-nb-form .jupyter-button, .twilio-nb-fit .jupyter-button"
    " {width:auto; flex:0 0 auto; max-width:100%}</style>")


def escape(text: str) -> str:
    return html.escape(str(text))


def field(widget: Any, width: str = FIELD_WIDTH) -> Any:
    """Give a described input the form's label width and line width (``width`` at most:
    narrower where the notebook is narrower, never wider than its box)."""
    widget.style.description_width = LABEL_WIDTH
    widget.layout.width = FULL  # the box's width, less the widget's own margins
    widget.layout.max_width = width
    return widget


def fit_button(button: Any) -> Any:
    """A button as wide as its label (never cut), whatever stylesheet the page has."""
    button.layout.width = "auto"
    button.layout.flex = "0 0 auto"
    return button


def row(children: list[Any], **layout: Any) -> Any:
    """A row of widgets that wraps onto the next line where the notebook is narrow, instead
    of scrolling sideways."""
    return widgets.HBox(children, layout=widgets.Layout(flex_flow="row wrap", align_items="center",
                                        max_width="100%", **layout))


def hide(widget: Any) -> None:
    widget.layout.display = "none"


def show(widget: Any) -> None:
    widget.layout.display = None


def is_hidden(widget: Any) -> bool:
    return bool(widget.layout.display == "none")


def highlight(widget: Any) -> None:
    """Mark ``widget`` as the input at fault: a red border (and a tinted input)."""
    widget.layout.border = ERROR_BORDER
    style = getattr(widget, "style", None)
    if style is not None and "background" in style.keys:
        style.background = ERROR_BACKGROUND


def mark_widget(widget: Any | None) -> bool:
    """Highlight ``widget`` when there is one and it is shown; whether it was marked."""
    if widget is None or is_hidden(widget):
        return False
    highlight(widget)
    return True


def unhighlight(widget: Any) -> None:
    if widget.layout.border == ERROR_BORDER:
        widget.layout.border = None
    style = getattr(widget, "style", None)
    if style is not None and "background" in style.keys and style.background == ERROR_BACKGROUND:
        style.background = None


def note(text: str, color: str = "#555") -> str:
    return (f"<div style='color:{color};font-size:12px;line-height:1.45;margin:2px 0;{WRAP}'>"
            f"{text}</div>")


def sandbox_badge() -> str:
    return ("<span style='background:#f22f46;color:white;padding:1px 6px;border-radius:3px;"
            "font-size:11px;font-weight:600'>SANDBOX</span>")


def _card(title: str, body: str, color: str = "#d32f2f") -> str:
    return (f"<div class='twilio-nb-error' style='border-left:4px solid {color};"
            f"background:#fff5f5;padding:6px 10px;margin:4px 0;max-width:900px;{WRAP}'>"
            f"<div style='font-weight:600;color:{color}'>{title}</div>{body}</div>")


def _message(text: str) -> str:
    return (f"<div style='white-space:pre-wrap;overflow-wrap:anywhere;font-family:var("
            f"--jp-code-font-family,monospace);font-size:12px'>{escape(text)}</div>")


def error_card(exc: BaseException, field_label: str | None = None) -> str:
    """The error card for any error the form meets: never a traceback."""
    if isinstance(exc, TwilioApiError):
        code = f" · Twilio error {exc.code}" if exc.code is not None else ""
        title = f"HTTP {exc.status}{code}"
        body = _message(exc.message)
        if exc.method:
            body += note(escape(f"{exc.method} {exc.url}"))
        if exc.more_info:
            link = escape(exc.more_info)
            body += (f"<div><a href='{link}' target='_blank' rel='noopener' "
                     f"style='color:#0263e0'>{link}</a></div>")
        return _card(escape(title), body)
    if isinstance(exc, ConfigurationError):
        where = field_label or exc.field
        title = f"Check {where}" if where else "Check the settings"
        return _card(escape(title) + " <span style='font-weight:400'>(nothing was sent)</span>",
                     _message(str(exc)), color="#b26a00")
    if isinstance(exc, PagingError):
        return _card("Paging stopped", _message(str(exc)))
    if isinstance(exc, TwilioError):
        return _card(escape(type(exc).__name__), _message(str(exc)))
    return _card("Unexpected error (please report it)",
                 _message(f"{type(exc).__name__}: {exc}"))


def error_label(exc: BaseException) -> str:
    """A one-line description of an error, for a status line."""
    if isinstance(exc, TwilioApiError):
        return f"HTTP {exc.status}" + (f" (Twilio error {exc.code})" if exc.code else "")
    return type(exc).__name__


def widget_of(mapping: dict[str, Any], name: str | None) -> Any | None:
    """The widget for a field name, matched without regard to case."""
    if not name:
        return None
    if name in mapping:
        return mapping[name]
    low = name.strip().lower()
    for key, value in mapping.items():
        if key.lower() == low:
            return value
    return None


def close_all(items: Any) -> None:
    """Close widgets (and their children) that the form no longer shows, so that they leave
    the kernel and the notebook's saved widget state."""
    for w in items:
        for child in getattr(w, "children", ()):
            close_all([child])
        w.close()
