"""How a Result shows in a notebook: its table, then "Next page" and "Load all" buttons over
its cursor (Load all runs in the background and can be cancelled; see :mod:`.load_all`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
from IPython.display import HTML, display

from ..errors import TwilioError
from ..result import Result
from ._common import error_card, escape, hide, show
from .load_all import PageWalk

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NextPageButton", "show_result"]


class NextPageButton(widgets.VBox):  # type: ignore[misc]
    """A "Next page" button that fetches the page after ``result`` and shows it below, and a
    "Load all" button that fetches every page from ``result`` on into one DataFrame
    (``.frame``), with a progress bar and Cancel."""

    def __init__(self, result: Result, **kwargs: Any) -> None:
        self.result = result
        self.first = result
        self.frame: pd.DataFrame | None = None
        self.walk: PageWalk | None = None
        self.button = widgets.Button(description="Next page", icon="arrow-right",
                                     tooltip="Fetch the next page of this answer")
        self.load_all = widgets.Button(description="Load all", icon="forward",
                                       tooltip="Fetch every page into one DataFrame")
        self.cancel = widgets.Button(description="Cancel", icon="stop", button_style="warning")
        self.progress = widgets.IntProgress(value=0, min=0, max=1,
                                            layout=widgets.Layout(width="240px"))
        self.status = widgets.HTML()
        self.output = widgets.Output()
        self.button.on_click(self._next)
        self.load_all.on_click(self._load_all)
        self.cancel.on_click(lambda _b: self.walk.cancel() if self.walk else None)
        hide(self.cancel)
        hide(self.progress)
        super().__init__([widgets.HBox([self.button, self.load_all, self.cancel, self.progress,
                                        self.status]), self.output], **kwargs)

    def _next(self, _button: Any = None) -> None:
        self.button.disabled = True
        self.status.value = "fetching…"
        try:
            self.result = self.result.next_page()
        except TwilioError as exc:
            self.status.value = f"<span style='color:#b00'>{_escape(str(exc))}</span>"
            self.button.disabled = False
            return
        self.output.clear_output(wait=True)
        with self.output:
            display(HTML(self.result._repr_html_()))
        self.status.value = ""
        self.button.disabled = not self.result.has_next_page
        self.button.description = "Next page" if self.result.has_next_page else "Last page"

    def _load_all(self, _button: Any = None) -> None:
        if self.walk is not None and self.walk.running:
            return
        self.button.disabled = self.load_all.disabled = True
        self.cancel.disabled = False
        show(self.cancel)
        show(self.progress)
        self.walk = PageWalk(self.first, self._walked, self._done)
        self.walk.start()

    def _walked(self, pages: int, records: int, has_next: bool) -> None:
        self.progress.max = records + (records // pages if has_next else 0) or 1
        self.progress.value = records
        self.status.value = f"{records:,} records, {pages} pages" + (" …" if has_next else "")

    def _done(self, frame: pd.DataFrame, outcome: str, error: BaseException | None) -> None:
        self.frame = frame
        hide(self.cancel)
        self.progress.bar_style = {"done": "success", "cancelled": "warning"}.get(outcome,
                                                                                  "danger")
        word = {"done": "All", "cancelled": "Cancelled: kept"}.get(outcome, "Stopped: kept")
        self.status.value = escape(f"{word} {len(frame):,} records (in code: r.all())")
        self.output.clear_output(wait=True)
        with self.output:
            if error is not None:
                display(HTML(error_card(error)))
            display(HTML(frame.head(20).to_html(max_cols=30, notebook=True)))
        self.load_all.disabled = False


def _escape(text: str) -> str:
    import html

    return html.escape(text).replace("\n", "<br>")


def show_result(result: Result) -> None:
    """IPython's display of a Result: the table, then the buttons when there is a next
    page."""
    display(HTML(result._repr_html_()))
    if result.has_next_page:
        display(NextPageButton(result))
