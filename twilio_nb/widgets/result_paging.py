"""A shown Result's paging widget: its status line and table, then "Next page" and "Load all"
(progress, Cancel, Resume) over the core's walk (see :mod:`.paging_controls`).

Everything it shows is a widget value (HTML, IntProgress), set in the kernel's thread for
Next page and in the walk's thread for Load all: no Output widget.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..answers.tables import WRAP, table_html
from ._common import FIT_CSS, error_card, row
from .paging_controls import BackgroundWalk, PagingControls, summary

if TYPE_CHECKING:
    import pandas as pd

    from ..answers.result import Result

__all__ = ["NextPageButton"]


class NextPageButton(widgets.VBox):  # type: ignore[misc]
    """``result`` (a list page with a next page) as its table, with "Next page" (fetches the
    page after the one shown and shows it instead) and "Load all" (every page from
    ``result`` on into one DataFrame, ``.frame``: the frame ``result.all()`` gives)."""

    def __init__(self, result: Result, **kwargs: Any) -> None:
        self.first = result
        self.frame: pd.DataFrame | None = None
        self.view = widgets.HTML(FIT_CSS + result._repr_html_())
        self.error = widgets.HTML()
        self.paging = PagingControls(self._show_page, self._walked, self._failed)
        self.paging.reset(result)
        self.button = self.paging.next_button
        self.load_all = self.paging.load_all_button
        self.cancel = self.paging.cancel_button
        self.progress = self.paging.progress
        self.status = self.paging.progress_label
        kwargs.setdefault("layout", widgets.Layout(width="100%", max_width="100%"))
        super().__init__([self.view, self.error, row(self.paging.widgets)], **kwargs)
        self.add_class("twilio-nb-fit")  # within the notebook's width (see FIT_CSS)

    @property
    def result(self) -> Result:
        """The page shown."""
        page = self.paging.result
        assert page is not None
        return page

    @property
    def walk(self) -> BackgroundWalk | None:
        return self.paging.walk

    def _show_page(self, result: Result) -> None:
        self.error.value = ""
        self.view.value = FIT_CSS + result._repr_html_()
        self.button.description = "Next page" if result.has_next_page else "Last page"

    def _failed(self, exc: BaseException) -> None:
        self.error.value = error_card(exc)

    def _walked(self, walk: BackgroundWalk) -> None:
        """A Load all ended (in the walk's thread): values only."""
        self.error.value = error_card(walk.error) if walk.error is not None else ""
        if walk.frame is None:
            return
        self.frame = walk.frame
        first = self.first
        line = html.escape(f"HTTP {first.status_code} · {first.request.method} "
                           f"{first.request.url} · {summary(walk)} (in code: .all())")
        self.view.value = (f"{FIT_CSS}<div><div class='twilio-nb-status' style='font-family:"
                           f"monospace;{WRAP}'>{line}</div>"
                           f"{table_html(walk.frame, first.origin.display_rows)}</div>")
