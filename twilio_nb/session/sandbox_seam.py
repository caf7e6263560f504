"""The offline sandbox as the core sees it, without importing it.

The core (connection, credentials, ...) never imports :mod:`twilio_nb.sandbox`; the package
face (``twilio_nb/__init__.py``) offers it here with :func:`offer_sandbox`, and a connection
made with ``sandbox=True`` or ``credential="sandbox"`` takes the sandbox and its public
account from :func:`sandbox_source`.
"""

from __future__ import annotations

from typing import Protocol

import httpx

from ..errors import ConfigurationError
from .credentials import UserCredentials

__all__ = ["SANDBOX_CREDENTIAL", "SandboxLike", "SandboxSource", "offer_sandbox",
           "sandbox_source", "shared_sandbox"]

#: The credential name of the sandbox's public account.
SANDBOX_CREDENTIAL = "sandbox"


class SandboxLike(Protocol):
    """What a connection uses of an offline Twilio (:class:`twilio_nb.sandbox.Sandbox` is
    one): the httpx transport that answers in-process, and its identity (which sandbox)."""

    def transport(self) -> httpx.BaseTransport: ...

    @property
    def identity(self) -> str: ...


class SandboxSource(Protocol):
    """Where connections get the offline Twilio and its public account: the core does not
    import :mod:`twilio_nb.sandbox`, the package face hands one in with :func:`offer_sandbox`."""

    def account(self, auth_type: str) -> UserCredentials:
        """The sandbox's credential for ``auth_type`` ("api_key" or "auth_token")."""
        ...

    def new(self) -> SandboxLike:
        """A new sandbox (the process's shared one is made once with it)."""
        ...


_SOURCE: SandboxSource | None = None
_SHARED_SANDBOX: SandboxLike | None = None


def offer_sandbox(source: SandboxSource | None) -> None:
    """Make ``source`` where ``sandbox=True`` and ``credential="sandbox"`` come from."""
    global _SOURCE, _SHARED_SANDBOX
    _SOURCE, _SHARED_SANDBOX = source, None


def sandbox_source() -> SandboxSource:
    if _SOURCE is None:
        raise ConfigurationError("No offline sandbox is offered to twilio_nb.session.connection: "
                                 "import twilio_nb (it offers twilio_nb.sandbox) first",
                                 field="Credential Name")
    return _SOURCE


def shared_sandbox() -> SandboxLike:
    """The process's one in-process sandbox (state kept across connections)."""
    global _SHARED_SANDBOX
    if _SHARED_SANDBOX is None:
        _SHARED_SANDBOX = sandbox_source().new()
    return _SHARED_SANDBOX
