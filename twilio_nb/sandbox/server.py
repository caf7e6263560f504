"""The sandbox on a real port: a threaded HTTP/1.1 server on 127.0.0.1.

- Keep-alive connections, one thread each; every accepted connection is counted in the
  sandbox's stats (for connection-reuse tests).
- Faults happen for real: ``reset`` sets ``SO_LINGER`` to 0 and closes the socket (the
  client gets a TCP RST); ``truncate`` announces the whole body in ``Content-Length``, sends
  half and closes; ``drop`` closes the connection (FIN) without writing a byte, after the
  request was processed.
- Nothing is logged: the request line and headers (Authorization among them) never reach a
  log.
- Ready when the constructor returns (the socket listens before the serving thread starts);
  :meth:`SandboxServer.stop` shuts the loop down, closes open connections and joins every
  thread it started.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import struct
import sys
import threading
import traceback
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .app import SandboxResponse
from .bodies import error_json
from .constants import ACCOUNT_SID, SANDBOX_HOST_HEADER, SANDBOX_HOST_VALUE
from .names import mask

if TYPE_CHECKING:
    from .app import App
    from .request_stats import Stats

__all__ = ["SandboxServer"]

_names = itertools.count(1)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "twilio_nb-sandbox"
    sys_version = ""
    timeout = 120  # an idle keep-alive connection is closed after two minutes
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Never log: request lines and headers stay out of every log."""

    def _body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            parts: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self) -> None:
        body = self._body()
        with self.server.app.flight() as admitted:  # in flight until the answer is written
            self._answer(body, admitted)

    def _answer(self, body: bytes, admitted: bool) -> None:
        try:
            resp = self.server.app.handle(self.command, self.path, [], self.headers.items(),
                                          body, scheme="http", admitted=admitted)
        except Exception:  # a bug in the sandbox: answer like Twilio's 500, keep serving
            traceback.print_exc()
            resp = SandboxResponse(500, [("Content-Type", "application/json"),
                                         (SANDBOX_HOST_HEADER, SANDBOX_HOST_VALUE)],
                                   error_json(500, 20500, "Internal Server Error (sandbox)"))
        if resp.delay and self.server.stopping.wait(resp.delay):
            self.close_connection = True
            return
        fault = resp.fault.kind if resp.fault is not None else None
        if fault in ("reset", "drop"):
            if fault == "reset":  # SO_LINGER 0: close sends RST; drop closes with a FIN
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
            self.close_connection = True
            self.rfile.close()
            self.connection.close()
            return
        try:
            phrase = HTTPStatus(resp.status).phrase
        except ValueError:
            phrase = "Unknown"
        lines = [f"HTTP/1.1 {resp.status} {phrase}", f"Server: {self.server_version}",
                 f"Date: {formatdate(usegmt=True)}",
                 *(f"{k}: {v}" for k, v in resp.headers),
                 f"Content-Length: {len(resp.body)}"]
        sent = resp.body
        if fault == "truncate":
            sent = resp.body[:len(resp.body) // 2]
            self.close_connection = True
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace")
        self.wfile.write(head + sent if self.command != "HEAD" else head)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def __getattr__(self, name: str) -> Any:
        """Any other method (TRACE, CONNECT, ...) is answered by the app too: 405 where the
        path is Twilio's, as from Twilio (http.server alone would answer 501)."""
        if name.startswith("do_") and name[3:].isupper():
            return self._serve
        raise AttributeError(name)


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = False
    allow_reuse_address = True
    # socketserver's default backlog is 5: a sixth connection opened at once (a concurrent
    # walk's first round) would wait for the client's SYN to be sent again, a second later
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: App, stats: Stats) -> None:
        self.app, self.stats = app, stats
        self.stopping = threading.Event()
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.handlers: list[threading.Thread] = []
        super().__init__(address, _Handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = super().get_request()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.stats.record_connection()
        with self._lock:
            self._open.add(sock)
        return sock, addr

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(target=self.process_request_thread,
                                  args=(request, client_address),
                                  name=f"twilio_nb-sandbox-conn-{next(_names)}")
        with self._lock:
            self.handlers = [t for t in self.handlers if t.is_alive()]
            self.handlers.append(thread)
        thread.start()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away is not an error worth a traceback."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError | TimeoutError):
            traceback.print_exc()

    def shutdown_request(self, request: Any) -> None:
        with self._lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._lock:
            open_now = list(self._open)
        for sock in open_now:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class SandboxServer:
    """A running sandbox on ``url``; stop it with :meth:`stop` or a ``with`` block."""

    def __init__(self, app: App, stats: Stats, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = _Server((host, port), app, stats)
        self.host = host
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name=f"twilio_nb-sandbox-server-{self.port}", daemon=True)
        self._thread.start()
        self._stopped = False

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        return not self._stopped

    def stop(self) -> None:
        """Stop serving, close every connection, join every thread. Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        self._server.stopping.set()
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join()
        for thread in list(self._server.handlers):
            thread.join()

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "stopped" if self._stopped else "running"
        return (f"<SandboxServer twilio_nb sandbox {self.url} ({state}, account "
                f"{mask(ACCOUNT_SID)})>")
