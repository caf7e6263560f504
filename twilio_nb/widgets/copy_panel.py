"""Copy as, and Show code: the form's request written for other tools.

* **Copy as**: a dropdown of styles (curl, Python, twilio-cli, the ``%twilio`` line, the SAP
  adapter's settings, the twilio_nb call) and a text area with the request in that style
  (:func:`twilio_nb.copy_as.styles.copy_as`; credentials appear only as placeholders).
* **Show code**: the ``%twilio`` lines and the Python calls that do what the form does,
  connection included.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from ..copy_as.styles import copy_as
from ..request.built import BuiltRequest
from ._common import field, hide, is_hidden, show

__all__ = ["STYLE_OPTIONS", "CodeView", "CopyPanel"]

STYLE_OPTIONS = [("—", ""), ("curl", "curl"), ("Python (twilio-python)", "python"),
                 ("twilio-cli", "cli"), ("%twilio line", "magic"),
                 ("SAP adapter settings", "sap"), ("twilio_nb (Python)", "twilio_nb")]

# (built request, auth type) of the form's current state; raises when it cannot be built
Builder = Callable[[], tuple[BuiltRequest, str]]


def _code_area(description: str, rows: int) -> widgets.Textarea:
    area = field(widgets.Textarea(description=description, rows=rows), width="880px")
    area.style.font_size = "12px"
    area.style.background = "#f7f7f9"
    return area


def _not_built(exc: Exception) -> str:
    lines = [f"# {line}" for line in str(exc).splitlines()]
    return "\n".join(["# The request cannot be built yet:", *lines])


class CopyPanel:
    """The Copy as dropdown (``choice``) and its text (``text``), placed by the form."""

    def __init__(self, builder: Builder) -> None:
        self._builder = builder
        self.choice = field(widgets.Dropdown(description="Copy as", options=STYLE_OPTIONS,
                                            value=""), width="420px")
        self.text = _code_area("", 10)
        self.choice.observe(lambda _c: self.refresh(), names="value")
        hide(self.text)

    def refresh(self) -> None:
        style = self.choice.value
        if not style:
            hide(self.text)
            return
        try:
            built, auth = self._builder()
            self.text.value = copy_as(built, style, auth=auth)
        except Exception as exc:  # a TwilioError (or a bug): said in the text, never raised
            self.text.value = _not_built(exc)
        show(self.text)


class CodeView(widgets.VBox):  # type: ignore[misc]
    """The ``%twilio`` lines and the Python calls of the form's state."""

    def __init__(self, builder: Builder, magic_connect: Callable[[], str],
                 python_connect: Callable[[], str]) -> None:
        self._builder = builder
        self._magic_connect = magic_connect
        self._python_connect = python_connect
        self.magic = _code_area("%twilio", 4)
        self.python = _code_area("Python", 10)
        super().__init__([self.magic, self.python])
        hide(self)

    @property
    def visible(self) -> bool:
        return not is_hidden(self)

    def toggle(self, on: bool) -> None:
        if on:
            show(self)
            self.refresh()
        else:
            hide(self)

    def refresh(self) -> None:
        if not self.visible:
            return
        try:
            built, _auth = self._builder()
        except Exception as exc:  # a TwilioError (or a bug): said in the text, never raised
            self.magic.value = self.python.value = _not_built(exc)
            return
        self.magic.value = f"{self._magic_connect()}\n{copy_as(built, 'magic')}"
        call = copy_as(built, "twilio_nb")
        call = "\n".join(line for line in call.splitlines()
                         if not line.startswith("# with conn = "))
        self.python.value = f"import twilio_nb as tw\n\n{self._python_connect()}\n{call}\n"
