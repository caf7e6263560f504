"""The sandbox as an httpx transport: in-process, no port.

``httpx.Client(transport=sandbox.transport())`` talks to the sandbox through the same core
as the HTTP server. Faults that break the connection become the httpx exceptions a real
connection would raise: ``reset`` -> :class:`httpx.ReadError`, ``truncate`` ->
:class:`httpx.RemoteProtocolError`, ``drop`` (after the app handled the request) ->
:class:`httpx.RemoteProtocolError` "Server disconnected without sending a response.", as
httpx says it when a server closes the connection unanswered, a ``delay`` longer than the
request's read timeout -> :class:`httpx.ReadTimeout` (after waiting the timeout).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from .app import App

__all__ = ["SandboxTransport"]


class SandboxTransport(httpx.BaseTransport):
    """An httpx transport answered by a sandbox's app."""

    def __init__(self, app: App) -> None:
        self._app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._app.flight() as admitted:  # in flight until the answer is handed over
            return self._answer(request, admitted)

    def _answer(self, request: httpx.Request, admitted: bool) -> httpx.Response:
        body = request.read()
        target = request.url.raw_path.decode("ascii", errors="replace")
        resp = self._app.handle(request.method, target, [], request.headers.multi_items(), body,
                                scheme=request.url.scheme, admitted=admitted)
        if resp.delay:
            timeouts = request.extensions.get("timeout") or {}
            read = timeouts.get("read")
            if read is not None and resp.delay > read:
                time.sleep(read)
                raise httpx.ReadTimeout(f"sandbox fault: no answer within the read timeout of "
                                        f"{read:g} s (delay {resp.delay:g} s)", request=request)
            time.sleep(resp.delay)
        if resp.fault is not None and resp.fault.kind == "reset":
            raise httpx.ReadError("[Errno 104] Connection reset by peer (sandbox fault)",
                                  request=request)
        if resp.fault is not None and resp.fault.kind == "truncate":
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body: received "
                f"{len(resp.body) // 2} bytes, expected {len(resp.body)} (sandbox fault)",
                request=request)
        if resp.fault is not None and resp.fault.kind == "drop":
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response. (sandbox fault: the request "
                "was processed)", request=request)
        return httpx.Response(resp.status, headers=resp.headers, content=resp.body,
                              request=request)

    def __repr__(self) -> str:
        return "<SandboxTransport twilio_nb sandbox (in-process)>"
