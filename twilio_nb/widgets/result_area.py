"""The result area under the form: a status line, the error card, the DataFrame, the
response headers, **Next page** and **Load all** (with a progress bar and Cancel), and
previews (an image for message media, an audio player for recordings).

It renders what the core returns; the paging is the core's cursor (``Result.next_page()``,
``Result.pages()``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ._common import close_all, error_card, escape, hide, note, sandbox_badge, show
from .load_all import PageWalk
from .media import fetch_previews, media_targets, preview_widget, previews_with_result

if TYPE_CHECKING:
    import pandas as pd

    from ..result import Result

__all__ = ["ResultArea", "table_html"]

TABLE_CSS = """<style>
.twilio-nb-table {overflow-x:auto; max-width:100%; max-height:420px; overflow-y:auto}
.twilio-nb-table table {border-collapse:collapse; font-size:12px; margin:4px 0}
.twilio-nb-table th, .twilio-nb-table td {padding:3px 8px; border-bottom:1px solid #e5e5e5;
  text-align:left; white-space:nowrap; max-width:360px; overflow:hidden; text-overflow:ellipsis}
.twilio-nb-table thead th {background:#f4f5f7; position:sticky; top:0}
.twilio-nb-table tbody tr:nth-child(even) {background:#fafafa}
</style>"""


def table_html(frame: pd.DataFrame, rows: int = 20) -> str:
    """The first ``rows`` rows of ``frame`` as an HTML table (values escaped)."""
    shown = frame.head(rows).to_html(max_cols=40, classes="dataframe", border=0,
                                     na_rep="")
    more = (note(f"first {rows} of {len(frame):,} rows; the whole DataFrame is the form's "
                 "<code>.df</code>") if len(frame) > rows else "")
    return f"{TABLE_CSS}<div class='twilio-nb-table'>{shown}</div>{more}"


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
        self.first: Result | None = None
        self.frame: pd.DataFrame | None = None
        self.walk: PageWalk | None = None
        self.status = widgets.HTML()
        self.warnings = widgets.HTML()
        self.error = widgets.HTML()
        self.table = widgets.HTML()
        self.headers = widgets.HTML()
        self.preview = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.next_button = widgets.Button(description="Next page", icon="arrow-right",
                                          disabled=True, tooltip="Fetch the next page")
        self.load_all_button = widgets.Button(description="Load all", icon="forward",
                                              disabled=True,
                                              tooltip="Fetch every page into one DataFrame")
        self.cancel_button = widgets.Button(description="Cancel", icon="stop",
                                            button_style="warning")
        self.media_button = widgets.Button(description="Show media", icon="image",
                                           tooltip="Fetch the listed media / recordings")
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="Loading",
                                            layout=widgets.Layout(width="320px"))
        self.progress_label = widgets.HTML()
        self.next_button.on_click(self._next_page)
        self.load_all_button.on_click(self._load_all)
        self.cancel_button.on_click(self._cancel)
        self.media_button.on_click(self._show_media)
        self.controls = widgets.HBox([self.next_button, self.load_all_button,
                                      self.cancel_button, self.progress, self.progress_label,
                                      self.media_button])
        super().__init__([self.status, self.warnings, self.error, self.controls, self.table,
                          self.preview, self.headers])
        for w in (self.cancel_button, self.progress, self.media_button, self.controls):
            hide(w)

    # -- showing ------------------------------------------------------------------------------
    def clear(self) -> None:
        self._stop_walk()
        self.result = self.first = None
        self.frame = None
        for w in (self.status, self.warnings, self.error, self.table, self.headers,
                  self.progress_label):
            w.value = ""
        close_all(self.preview.children)
        self.preview.children = ()
        for w in (self.cancel_button, self.progress, self.media_button, self.controls):
            hide(w)

    def sending(self, what: str) -> None:
        self.clear()
        self.status.value = note(f"⏳ sending {escape(what)} …")

    def show(self, result: Result, warnings: tuple[str, ...] = ()) -> None:
        """Show a new execution's answer."""
        self.clear()
        self.first = result
        self.warnings.value = "".join(note("⚠ " + escape(w), "#8a6d00") for w in warnings)
        self._render(result)

    def _render(self, result: Result) -> None:
        self.result = result
        self.frame = result.df if result.format is not None else None
        close_all(self.preview.children)
        preview = preview_widget(result)
        self.preview.children = (preview,) if preview is not None else ()
        self.media_button.description = "Show media"
        if self.frame is not None:
            rows = getattr(result.connection, "display_rows", 20)
            self.table.value = table_html(self.frame, rows)
        else:
            self.table.value = ""
        self.headers.value = _headers_html(result.headers)
        self._buttons()
        if previews_with_result(result):  # a Get brings its image / player with it
            self._show_media()
        self._status(result)  # last: the status line says the rest is there

    def _status(self, result: Result) -> None:
        line = result.status_line().replace(" · next page: r.next_page()", "")
        line = line.replace(" · SANDBOX (offline, not Twilio)", "")
        ok = 200 <= result.status_code < 300
        mark = "<span style='color:#2e7d32'>✔</span>" if ok else "✗"
        badge = sandbox_badge() + " " if result.is_sandbox else ""
        more = " · more pages" if result.has_next_page else ""
        self.status.value = (f"<div style='font-family:var(--jp-code-font-family,monospace);"
                             f"font-size:12px;line-height:1.5;padding:4px 0'>{badge}{mark} "
                             f"{escape(line)}{more}</div>")

    def _buttons(self) -> None:
        result = self.result
        has_next = bool(result is not None and result.has_next_page)
        busy = self.walk is not None and self.walk.running
        self.next_button.disabled = busy or not has_next
        self.load_all_button.disabled = busy or self.first is None or not (
            self.first.has_next_page)
        paged = self.first is not None and self.first.has_next_page
        targets = media_targets(result) if result is not None else []
        (show if targets else hide)(self.media_button)
        (show if paged or targets or busy else hide)(self.controls)

    def show_error(self, exc: BaseException, field_label: str | None = None, *,
                   keep_table: bool = False) -> None:
        """The error card (and the status line); the table stays when ``keep_table``."""
        if not keep_table:
            self.clear()
        self.error.value = error_card(exc, field_label)
        self.status.value = note("✗ " + ("nothing was sent" if field_label is not None
                                         or type(exc).__name__ == "ConfigurationError"
                                         else "the request failed"), "#d32f2f")

    # -- paging -------------------------------------------------------------------------------
    def _next_page(self, _button: Any = None) -> None:
        if self.result is None:
            return
        self.next_button.disabled = True
        self.error.value = ""
        try:
            nxt = self.result.next_page()
        except Exception as exc:  # the card says what happened; never a traceback
            self.show_error(exc, keep_table=True)
            self._buttons()
            return
        self._render(nxt)

    def _load_all(self, _button: Any = None) -> None:
        if self.first is None or (self.walk is not None and self.walk.running):
            return
        self.error.value = ""
        self.progress.value, self.progress.max = 0, 1
        self.progress.bar_style = ""
        self.progress_label.value = note("starting …")
        show(self.progress)
        show(self.cancel_button)
        self.cancel_button.disabled = False
        self.next_button.disabled = self.load_all_button.disabled = True

        def walked(pages: int, records: int, has_next: bool) -> None:
            if walk is self.walk:  # not a walk left behind by a newer Execute
                self._walked(pages, records, has_next)

        def done(frame: pd.DataFrame, outcome: str, error: BaseException | None) -> None:
            if walk is self.walk:
                self._walk_done(frame, outcome, error)

        walk = PageWalk(self.first, walked, done)
        self.walk = walk
        walk.start()

    def _stop_walk(self) -> None:
        """A new answer replaces the one being walked: stop that walk, forget it."""
        if self.walk is not None and self.walk.running:
            self.walk.cancel()
        self.walk = None

    def _walked(self, pages: int, records: int, has_next: bool) -> None:
        per_page = max(1, records // max(1, pages))
        self.progress.max = records + (per_page if has_next else 0) or 1
        self.progress.value = records
        self.progress_label.value = note(f"{records:,} records, {pages} pages"
                                         + (" …" if has_next else ""))

    def _walk_done(self, frame: pd.DataFrame, outcome: str,
                   error: BaseException | None) -> None:
        walk = self.walk
        pages = walk.pages if walk is not None else 0
        self.frame = frame
        first = self.first
        rows = getattr(first.connection, "display_rows", 20) if first is not None else 20
        self.table.value = table_html(frame, rows)
        text = {"done": f"All {len(frame):,} records, {pages} pages",
                "cancelled": f"Cancelled: kept the {len(frame):,} records of the first "
                             f"{pages} pages",
                "failed": f"Stopped by an error after {len(frame):,} records "
                          f"({pages} pages); they are kept"}[outcome]
        self.progress.bar_style = {"done": "success", "cancelled": "warning",
                                   "failed": "danger"}[outcome]
        if outcome == "done":
            self.progress.max = max(1, len(frame))
            self.progress.value = len(frame)
        self.progress_label.value = note(escape(text))
        hide(self.cancel_button)
        if error is not None:
            self.error.value = error_card(error)
        self.next_button.disabled = True
        self.load_all_button.disabled = False

    def _cancel(self, _button: Any = None) -> None:
        if self.walk is not None:
            self.walk.cancel()
            self.cancel_button.disabled = True
            self.progress_label.value = note("cancelling after this page …")

    def wait(self, timeout: float | None = 10.0) -> bool:
        """Wait for a running Load all to end (for scripts and tests); True when it has."""
        return self.walk.join(timeout) if self.walk is not None else True

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
