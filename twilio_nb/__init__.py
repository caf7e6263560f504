"""twilio_nb: the Twilio REST API in Jupyter.

The SAP Integration Suite Twilio adapter's Connection and Processing tabs as a Python API
(:class:`Connection`, :meth:`Connection.basic`, :meth:`Connection.advanced`), with every
answer as a typed pandas DataFrame and an offline sandbox (``tw.connect(sandbox=True)``).
"""

from __future__ import annotations

from typing import Any

from . import catalog
from ._version import __version__
from .answers.result import Result
from .errors import (
    ConfigurationError,
    PagingError,
    ReplayError,
    ResponseFormatError,
    TransportError,
    TwilioApiError,
    TwilioError,
    TwilioTimeoutError,
    TwilioWarning,
)
from .session.connection import Connection
from .session.credentials import CredentialStore, UserCredentials
from .session.default import connect, default_connection
from .session.sandbox_seam import SandboxLike, offer_sandbox
from .session.webhook_inbox import inbox
from .transport.retry import RetryEvent
from .webhooks.inbox import Inbox


class _Sandbox:
    """The offline Twilio (:mod:`twilio_nb.sandbox`) as connections get it: the package face
    joins the two, since the core does not import the sandbox."""

    def account(self, auth_type: str) -> UserCredentials:
        # deferred: the sandbox's modules (~35 ms) load only when a connection uses it
        from .sandbox import ACCOUNT_SID, credentials

        user, password = credentials(auth_type)
        return UserCredentials(user, password, ACCOUNT_SID)

    def new(self) -> SandboxLike:
        from .sandbox import Sandbox  # deferred: as above

        return Sandbox()


offer_sandbox(_Sandbox())


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext twilio_nb``: registers ``%twilio`` / ``%%twilio`` and shows Results with
    the paging widget where widgets render (a text table in a terminal); a TwilioWarning
    shows as one line."""
    # deferred: the front ends import IPython and ipywidgets, which the core never does
    from .magics import TwilioMagics
    from .widgets import result_bundle
    from .widgets.inbox_view import show_inbox
    from .widgets.warning_display import install

    install()  # a TwilioWarning shows as a one-line warning, without an internal path
    ipython.register_magics(TwilioMagics)
    ipython.display_formatter.mimebundle_formatter.for_type(Result, result_bundle)
    ipython.display_formatter.ipython_display_formatter.for_type(Inbox, show_inbox)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext twilio_nb``: removes the magics and the Result display."""
    from .widgets.warning_display import uninstall

    uninstall()
    for kind in ("line", "cell"):
        ipython.magics_manager.magics[kind].pop("twilio", None)
    ipython.display_formatter.mimebundle_formatter.pop(Result, None)
    ipython.display_formatter.ipython_display_formatter.pop(Inbox, None)


def form(connection: Connection | None = None, **kwargs: Any) -> Any:
    """The SAP adapter's Connection and Processing tabs as an ipywidgets form (see
    :mod:`twilio_nb.widgets.form`); ``entity=`` and ``operation=`` open it on an operation.
    ipywidgets is imported only when this is called."""
    from .widgets.form import form as _form  # deferred: as in load_ipython_extension

    return _form(connection, **kwargs)


__all__ = [
    "ConfigurationError",
    "Connection",
    "CredentialStore",
    "Inbox",
    "PagingError",
    "ReplayError",
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
    "form",
    "inbox",
    "load_ipython_extension",
    "unload_ipython_extension",
]
