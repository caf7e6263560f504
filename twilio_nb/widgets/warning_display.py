"""How a :class:`~twilio_nb.errors.TwilioWarning` shows once ``%load_ext twilio_nb`` ran: one
line that says it is a warning (an amber "Warning:" note in a notebook, the line as text in a
terminal), without the file path and source line Python's default adds (in a notebook, a
path such as ``/tmp/ipykernel_123/456.py:3`` in the red stderr box, which looks like an
error). Other warnings show as Python shows them.
"""

from __future__ import annotations

import warnings
from typing import Any, TextIO

from IPython.display import display

from ..errors import TwilioWarning
from ._common import escape, note

__all__ = ["install", "uninstall"]

_previous: Any = None


def _show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
          file: TextIO | None = None, line: str | None = None) -> None:
    if file is not None or not issubclass(category, TwilioWarning):
        _previous(message, category, filename, lineno, file, line)
        return
    text = " ".join(str(message).split())
    display({"text/plain": f"Warning: {text}",
             "text/html": note(f"<b>Warning:</b> {escape(text)}", "#8a6d00")}, raw=True)


def install() -> None:
    """Show TwilioWarnings as one-line warnings (``%load_ext``); again: nothing more."""
    global _previous
    if warnings.showwarning is not _show:
        _previous = warnings.showwarning
        warnings.showwarning = _show


def uninstall() -> None:
    """Python's own display again (``%unload_ext``)."""
    if warnings.showwarning is _show and _previous is not None:
        warnings.showwarning = _previous
