"""The errors twilio_nb raises, and the one warning class.

Every error a user can meet is a :class:`TwilioError`; nothing from httpx, lxml or pandas
escapes raw. The tree::

    TwilioError
    ├── ConfigurationError        bad input, raised before anything is sent (a ValueError)
    ├── TwilioApiError            Twilio answered an error (.status .code .message .more_info)
    ├── TransportError            the request did not get an answer
    │   └── TwilioTimeoutError    the connect or the response timeout fired (a TimeoutError)
    ├── ResponseFormatError       an answer that cannot be read as the format it claims
    ├── PagingError               a walk over pages stopped; keeps what was fetched and can resume
    └── ReplayError               a replayed session's cassette holds no answer for a request

    TwilioWarning                 a warning (unknown parameter, number not in E.164 form, ...)
"""

from __future__ import annotations

import importlib.util
import inspect
import warnings
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ConfigurationError",
    "PagingError",
    "ReplayError",
    "ResponseFormatError",
    "TransportError",
    "TwilioApiError",
    "TwilioError",
    "TwilioTimeoutError",
    "TwilioWarning",
    "warn",
]


class TwilioError(Exception):
    """Base of every error twilio_nb raises."""


class ConfigurationError(TwilioError, ValueError):
    """Bad input: says what was wrong and how to fix it; nothing was sent.

    ``field`` names the input at fault (a parameter name, ``"Relative URL"``, ...) so that a
    form can highlight it.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class TwilioApiError(TwilioError):
    """Twilio (or the sandbox) answered with an error status."""

    def __init__(self, status: int, code: int | None, message: str,
                 more_info: str | None = None, *, method: str = "", url: str = "",
                 detail: str | None = None) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.more_info = more_info
        self.detail = detail  # Twilio's <Detail> / "detail", when the body has one
        self.method = method
        self.url = url
        where = f" ({method} {url})" if method else ""
        code_part = f" [Twilio error {code}]" if code is not None else ""
        hint = _HINTS.get(status, "")
        text = f"HTTP {status}{code_part}: {message}{where}"
        if detail and detail != message:
            text += f"\nDetail: {detail}"
        if more_info:
            text += f"\nMore: {more_info}"
        if hint:
            text += f"\n{hint}"
        super().__init__(text)


_HINTS = {
    401: "Check the credential: with API Key the user is the key SID (SK...) and the account SID "
         "is given separately; with Auth Token the user is the Account SID (AC...).",
    404: "Check the SIDs in the operation parameters and the Account SID: the resource is "
         "not there.",
    429: "Twilio is rate limiting (error 20429): retries ran out; wait, or raise "
         "max_retries / retry_budget_s of the Connection.",
}


class TransportError(TwilioError):
    """No answer: connection refused or reset, DNS failure, a body cut short. ``sent``:
    whether the request may have reached Twilio (False: it never left, as when the connection
    could not be made; a write sent again after one is safe)."""

    def __init__(self, message: str, *, sent: bool = True) -> None:
        super().__init__(message)
        self.sent = sent


class TwilioTimeoutError(TransportError, TimeoutError):
    """The connect or the response timeout fired; says which and its value."""

    def __init__(self, message: str, *, which: str, timeout_ms: int) -> None:
        super().__init__(message, sent=which != "connect")
        self.which = which
        self.timeout_ms = timeout_ms


class ResponseFormatError(TwilioError):
    """The answer cannot be read as JSON, XML or CSV as expected."""


class PagingError(TwilioError):
    """A walk over pages stopped. Nothing fetched is lost.

    ``partial`` holds the records of the pages fetched before the fault as one DataFrame,
    ``records_fetched`` their count, and ``resume()`` continues from the page that failed.
    """

    def __init__(self, message: str, *, partial: pd.DataFrame, failed_uri: str | None,
                 cause: BaseException | None = None, resume: Any = None) -> None:
        super().__init__(message)
        self.partial = partial
        self.failed_uri = failed_uri
        self.cause = cause
        self._resume = resume

    @property
    def records_fetched(self) -> int:
        return len(self.partial)

    def resume(self, **kwargs: Any) -> pd.DataFrame:
        """Fetch from the failed page on; returns the records fetched before and after."""
        if self._resume is None:
            raise TwilioError("this walk cannot be resumed")
        result: pd.DataFrame = self._resume(**kwargs)
        return result


class ReplayError(TwilioError):
    """A connection replaying a cassette (``tw.connect(replay=...)``) was asked for a request
    the cassette does not hold. ``request`` names it; ``nearest`` the recorded request most
    like it (None in an empty cassette)."""

    def __init__(self, message: str, *, request: str, nearest: str | None) -> None:
        super().__init__(message)
        self.request = request
        self.nearest = nearest


class TwilioWarning(UserWarning):
    """Something Twilio may accept but that looks wrong (an unknown parameter, a number
    that is not E.164). Sent anyway."""


# -- warnings that point at the user's line ----------------------------------------
#
# Warnings that point at the user's line: the file or notebook cell that called twilio_nb,
# not the module inside the package that noticed.
#
# ``warnings.warn(..., stacklevel=N)`` needs N counted from the caller; the depth of the call
# inside the package differs by path (a Basic call, a magic, a walk), so :func:`warn` counts
# it: it walks out of the package's frames (and IPython's, which run a magic for the cell).
# Python 3.12's ``skip_file_prefixes`` does the same, but 3.11 is supported.

_PACKAGE = str(Path(__file__).resolve().parent)


def _package_dir(name: str) -> str | None:
    """Where package ``name`` is installed (found, not imported: the core never imports
    IPython)."""
    spec = importlib.util.find_spec(name)
    origin = spec.origin if spec is not None else None
    return str(Path(origin).resolve().parent) if origin else None


# IPython runs a magic for the cell; httpx calls a transport (a replay's) for twilio_nb
_INTERNAL = tuple(p for p in (_PACKAGE, _package_dir("IPython"), _package_dir("httpx")) if p)


@cache
def _internal(filename: str) -> bool:
    """A frame of twilio_nb, of IPython's magic machinery, of httpx (between twilio_nb and a
    transport of its own), or of a decorator IPython wrote."""
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
