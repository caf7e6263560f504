"""The result area under the form: a status line, the error card, the DataFrame, the
response headers, **Next page** and **Load all** (with a progress bar, Cancel and Resume;
see :mod:`.paging_controls`), and previews (an image for message media, an audio player for
recordings).

It renders what the core returns: tables by :mod:`twilio_nb.answers.tables`, paging by the core's
walk through :class:`~.paging_controls.PagingControls`.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..answers.fields import column_titles
from ..answers.tables import WRAP, table_html
from ..answers.views import NEXT_PAGE, SANDBOX
from ._common import close_all, error_card, escape, hide, note, row, sandbox_badge, show
from .media_preview import fetch_previews, media_targets, preview_widget, previews_with_result
from .paging_controls import BackgroundWalk, PagingControls, summary

if TYPE_CHECKING:
    import pandas as pd

    from ..answers.result import Result

__all__ = ["HISTORY", "ResultArea", "table_html"]

HISTORY = 20  # earlier answers listed under the one shown (their status lines)
WHOLE = "the form's <code>.df</code>"


def _text(markup: str) -> str:
    """The words of an HTML card, on one line (for the history)."""
    words = html.unescape(re.sub(r"<[^>]+>", " ", markup)).split()
    text = " ".join(words)
    return text if len(text) <= 200 else text[:199] + "…"


def _headers_html(headers: dict[str, str]) -> str:
    if not headers:
        return ""
    rows = "".join(f"<tr><td><code>{escape(k)}</code></td><td>{escape(v)}</td></tr>"
                   for k, v in headers.items())
    return (f"<details style='font-size:12px'><summary>Response headers ({len(headers)})"
            f"</summary><table>{rows}</table></details>")


class ResultArea(widgets.VBox):  # type: ignore[misc]
    """What an execution gave: ``result`` (the page shown), ``frame`` (its records, or every
    record after Load all)."""

    def __init__(self) -> None:
        self.result: Result | None = None
        self.frame: pd.DataFrame | None = None
        self.status = widgets.HTML()
        self.warnings = widgets.HTML()
        self.error = widgets.HTML()
        self.table = widgets.HTML()
        self.headers = widgets.HTML()
        self.preview = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.paging = PagingControls(self._render, self._walk_done, self._paging_error)
        self.next_button = self.paging.next_button
        self.load_all_button = self.paging.load_all_button
        self.cancel_button = self.paging.cancel_button
        self.progress = self.paging.progress
        self.progress_label = self.paging.progress_label
        self.media_button = widgets.Button(description="Show media", icon="image",
                                           tooltip="Fetch the listed media / recordings")
        self.media_button.on_click(self._show_media)
        self.controls = row([*self.paging.widgets, self.media_button])
        # One answer at a time: a new one replaces the last, whose status line goes here
        self.history: list[str] = []
        self.history_view = widgets.HTML()
        super().__init__([self.status, self.warnings, self.error, self.controls, self.table,
                          self.preview, self.headers, self.history_view])
        for w in (self.media_button, self.controls):
            hide(w)

    @property
    def first(self) -> Result | None:
        """The answer of the last execution (the first page when paging)."""
        return self.paging.first

    @property
    def walk(self) -> BackgroundWalk | None:
        """The last Load all."""
        return self.paging.walk

    # -- showing ------------------------------------------------------------------------------
    def clear(self) -> None:
        """Nothing shown (what was shown goes into the history)."""
        self._retire()
        self.paging.reset(None)
        self.result = None
        self.frame = None
        for w in (self.status, self.warnings, self.error, self.table, self.headers):
            w.value = ""
        close_all(self.preview.children)
        self.preview.children = ()
        for w in (self.media_button, self.controls):
            hide(w)

    def _retire(self) -> None:
        """The answer shown, as a line of the history (newest first)."""
        line = self._shown_line()
        if not line:
            return
        self.history.insert(0, line)
        del self.history[HISTORY:]
        items = "".join(f"<li>{escape(h)}</li>" for h in self.history)
        self.history_view.value = (
            f"<details style='font-size:12px;color:#555;margin-top:6px;{WRAP}'><summary>"
            f"Earlier answers ({len(self.history)})</summary><ol>{items}</ol></details>")

    def _shown_line(self) -> str:
        if self.result is not None:
            return self.result.status_line()
        if self.error.value:
            return "error: " + _text(self.error.value)
        return ""

    def sending(self, what: str) -> None:
        self.clear()
        self.status.value = note(f"Sending {escape(what)} …")

    def show(self, result: Result, warnings: tuple[str, ...] = ()) -> None:
        """Show a new execution's answer."""
        self.clear()
        self.paging.reset(result)
        self.warnings.value = "".join(note("<b>Warning:</b> " + escape(w),
                                                       "#8a6d00") for w in warnings)
        self._render(result)

    def _render(self, result: Result) -> None:
        self.result = result
        self.frame = result.df if result.format is not None else None
        close_all(self.preview.children)
        preview = preview_widget(result)
        self.preview.children = (preview,) if preview is not None else ()
        self.media_button.description = "Show media"
        if self.frame is not None:
            self.table.value = table_html(self.frame, result.origin.display_rows, WHOLE,
                                          column_titles(self.frame, result.operation))
        else:
            self.table.value = ""
        self.headers.value = _headers_html(result.headers)
        self._buttons()
        if previews_with_result(result):  # a Get brings its image / player with it
            self._show_media()
        self._status(result)  # last: the status line says the rest is there

    def _status(self, result: Result, walked: str | None = None) -> None:
        """The status line of ``result``; after a Load all (``walked``: what the table holds
        then) the line of the walk instead of the page's."""
        if walked is None:
            line = result.status_line().replace(f" · {NEXT_PAGE}", "")
            line = line.replace(f" · {SANDBOX}", "")
            more = " · more pages" if result.has_next_page else ""
        else:
            line = (f"HTTP {result.status_code} · {result.request.method} "
                    f"{result.request.url} · {walked}")
            more = ""
        ok = 200 <= result.status_code < 300
        mark = "<span style='color:#2e7d32'>OK</span>" if ok else "Failed:"
        badge = sandbox_badge() + " " if result.is_sandbox else ""
        self.status.value = (f"<div class='twilio-nb-status' style='font-family:var("
                             f"--jp-code-font-family,monospace);font-size:12px;line-height:1.5;"
                             f"padding:4px 0;{WRAP}'>{badge}{mark} "
                             f"{escape(line)}{more}</div>")

    def _buttons(self) -> None:
        result = self.result
        self.paging.buttons()
        paged = self.paging.pageable
        for w in self.paging.widgets[:3]:  # no paging controls for an answer with no pages
            (show if paged else hide)(w)
        targets = media_targets(result) if result is not None else []
        (show if targets else hide)(self.media_button)
        (show if paged or targets or self.paging.busy else hide)(self.controls)

    def show_error(self, exc: BaseException, field_label: str | None = None, *,
                   keep_table: bool = False) -> None:
        """The error card (and the status line); the table stays when ``keep_table``."""
        if not keep_table:
            self.clear()
        self.error.value = error_card(exc, field_label)
        self.status.value = note("Failed: " + ("nothing was sent" if field_label is not None
                                         or type(exc).__name__ == "ConfigurationError"
                                         else "the request failed"), "#d32f2f")

    # -- paging (the controls are the core walk's; this renders what they give) ---------
    def _paging_error(self, exc: BaseException) -> None:
        self.show_error(exc, keep_table=True)

    def _walk_done(self, walk: BackgroundWalk) -> None:
        """A Load all ended (in the walk's thread): values only."""
        first = self.first
        if walk.frame is not None:
            self.frame = walk.frame
            rows = first.origin.display_rows if first is not None else 20
            self.table.value = table_html(walk.frame, rows, WHOLE)
        if walk.error is not None:
            self.error.value = error_card(walk.error)
        if first is not None:
            self._status(first, summary(walk))

    def wait(self, timeout: float | None = 10.0) -> bool:
        """Wait for a running Load all to end (for scripts and tests); True when it has."""
        return self.paging.wait(timeout)

    # -- media --------------------------------------------------------------------------------
    def _show_media(self, _button: Any = None) -> None:
        """Fetch and show the previews; when they are shown, hide them (the button toggles)."""
        result = self.result
        if result is None:
            return
        if self.media_button.description == "Hide media":
            close_all(self.preview.children)
            self.preview.children = ()
            self.media_button.description = "Show media"
            return
        self.media_button.disabled = True
        shown: list[Any] = []
        try:
            shown = fetch_previews(result)
        except Exception as exc:  # shown in the card, never as a traceback
            self.error.value = error_card(exc)
        finally:
            self.media_button.disabled = False
        close_all(self.preview.children)
        self.preview.children = tuple(shown)
        self.media_button.description = "Hide media" if shown else "Show media"
        if not shown and not self.error.value:
            self.error.value = note("No image or audio came back.")
