"""Warnings that point at the user's line: the file or notebook cell that called twilio_nb,
not the module inside the package that noticed.

``warnings.warn(..., stacklevel=N)`` needs N counted from the caller; the depth of the call
inside the package differs by path (a Basic call, a magic, a walk), so :func:`warn` counts
it: it walks out of the package's frames (and IPython's, which run a magic for the cell).
Python 3.12's ``skip_file_prefixes`` does the same, but 3.11 is supported.
"""

from __future__ import annotations

import importlib.util
import inspect
import warnings
from functools import cache
from pathlib import Path

from .errors import TwilioWarning

__all__ = ["warn"]

_PACKAGE = str(Path(__file__).resolve().parent)


def _ipython_dir() -> str | None:
    """Where IPython is installed (found, not imported: the core never imports it)."""
    spec = importlib.util.find_spec("IPython")
    origin = spec.origin if spec is not None else None
    return str(Path(origin).resolve().parent) if origin else None


_INTERNAL = tuple(p for p in (_PACKAGE, _ipython_dir()) if p)


@cache
def _internal(filename: str) -> bool:
    """A frame of twilio_nb, of IPython's magic machinery, or of a decorator IPython wrote."""
    if filename.startswith("<decorator-gen"):
        return True
    try:
        path = str(Path(filename).resolve())
    except (OSError, ValueError):
        return False
    return path.startswith(_INTERNAL)


def warn(message: str, category: type[Warning] = TwilioWarning) -> None:
    """``warnings.warn(message, category)`` attributed to the first frame outside
    twilio_nb (and IPython): the user's file or cell."""
    frame = inspect.currentframe()
    level = 1
    while frame is not None and _internal(frame.f_code.co_filename):
        frame = frame.f_back
        level += 1
    del frame  # no reference cycle through the frames
    warnings.warn(message, category, stacklevel=level)
