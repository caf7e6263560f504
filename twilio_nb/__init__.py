"""twilio_nb: the Twilio REST API in Jupyter.

The SAP Integration Suite Twilio adapter's Connection and Processing tabs as a Python API
(:class:`Connection`, :meth:`Connection.basic`, :meth:`Connection.advanced`), with every
answer as a typed pandas DataFrame and an offline sandbox (``tw.connect(sandbox=True)``).
"""

from __future__ import annotations

from . import catalog
from .connection import Connection, connect, default_connection
from .credentials import CredentialStore, UserCredentials
from .errors import (
    ConfigurationError,
    PagingError,
    ResponseFormatError,
    TransportError,
    TwilioApiError,
    TwilioError,
    TwilioTimeoutError,
    TwilioWarning,
)
from .executor import RetryEvent
from .result import Result

__version__ = "0.1.0"

__all__ = [
    "ConfigurationError",
    "Connection",
    "CredentialStore",
    "PagingError",
    "ResponseFormatError",
    "Result",
    "RetryEvent",
    "TransportError",
    "TwilioApiError",
    "TwilioError",
    "TwilioTimeoutError",
    "TwilioWarning",
    "UserCredentials",
    "__version__",
    "catalog",
    "connect",
    "default_connection",
]
