"""twilio_nb: the Twilio REST API in Jupyter.

The SAP Integration Suite Twilio adapter's Connection and Processing tabs as a Python API
(:class:`Connection`, :meth:`Connection.basic`, :meth:`Connection.advanced`), ``%twilio``
magics and a widget form, with every answer as a typed pandas DataFrame and an offline
sandbox (``tw.connect(sandbox=True)``).
"""

from __future__ import annotations

from . import catalog
from .errors import (
    ConfigurationError,
    PagingError,
    ResponseFormatError,
    TimeoutError_,
    TransportError,
    TwilioApiError,
    TwilioError,
    TwilioWarning,
)

__version__ = "0.1.0"

__all__ = [
    "ConfigurationError",
    "PagingError",
    "ResponseFormatError",
    "TimeoutError_",
    "TransportError",
    "TwilioApiError",
    "TwilioError",
    "TwilioWarning",
    "__version__",
    "catalog",
]
