"""Small pieces the form's parts share: layouts, the error card, field highlighting."""

from __future__ import annotations

import html
from typing import Any

from ..errors import ConfigurationError, PagingError, TwilioApiError, TwilioError

__all__ = ["ERROR_BORDER", "LABEL_WIDTH", "close_all", "error_card", "error_label", "escape",
           "field", "hide", "highlight", "is_hidden", "note", "sandbox_badge", "show",
           "unhighlight", "widget_of"]

LABEL_WIDTH = "200px"
FIELD_WIDTH = "680px"
ERROR_BORDER = "2px solid #d32f2f"
ERROR_BACKGROUND = "#fdecea"


def escape(text: str) -> str:
    return html.escape(str(text))


def field(widget: Any, width: str = FIELD_WIDTH) -> Any:
    """Give a described input the form's label width and line width."""
    widget.style.description_width = LABEL_WIDTH
    widget.layout.width = width
    return widget


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
    return (f"<div style='color:{color};font-size:12px;line-height:1.45;margin:2px 0'>"
            f"{text}</div>")


def sandbox_badge() -> str:
    return ("<span style='background:#f22f46;color:white;padding:1px 6px;border-radius:3px;"
            "font-size:11px;font-weight:600'>SANDBOX</span>")


def _card(title: str, body: str, color: str = "#d32f2f") -> str:
    return (f"<div class='twilio-nb-error' style='border-left:4px solid {color};"
            f"background:#fff5f5;padding:6px 10px;margin:4px 0;max-width:900px'>"
            f"<div style='font-weight:600;color:{color}'>{title}</div>{body}</div>")


def _message(text: str) -> str:
    return (f"<div style='white-space:pre-wrap;font-family:var(--jp-code-font-family,"
            f"monospace);font-size:12px'>{escape(text)}</div>")


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
