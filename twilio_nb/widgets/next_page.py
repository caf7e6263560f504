"""How a Result shows in a notebook: its table, and a "Next page" button over its cursor."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from IPython.display import HTML, display

from ..errors import TwilioError
from ..result import Result

__all__ = ["NextPageButton", "show_result"]


class NextPageButton(widgets.VBox):  # type: ignore[misc]
    """A "Next page" button that fetches the page after ``result`` and shows it below."""

    def __init__(self, result: Result, **kwargs: Any) -> None:
        self.result = result
        self.button = widgets.Button(description="Next page", icon="arrow-right",
                                     tooltip="Fetch the next page of this answer")
        self.status = widgets.HTML()
        self.output = widgets.Output()
        self.button.on_click(self._next)
        super().__init__([widgets.HBox([self.button, self.status]), self.output], **kwargs)

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


def _escape(text: str) -> str:
    import html

    return html.escape(text).replace("\n", "<br>")


def show_result(result: Result) -> None:
    """IPython's display of a Result: the table, then the button when there is a next page."""
    display(HTML(result._repr_html_()))
    if result.has_next_page:
        display(NextPageButton(result))
