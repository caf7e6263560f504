"""The inbox's HTTP side: a threaded HTTP/1.1 server on the stdlib's ``http.server``.

- Each answer goes out in one write (``wbufsize`` buffers the status line, headers and body;
  ``handle_one_request`` flushes once) on a socket with ``TCP_NODELAY``: written piece by
  piece, a keep-alive client's next request waited ~40 ms for a delayed ACK (Nagle).
- The listen backlog is :data:`BACKLOG` (1,024), not socketserver's 5: a burst of hundreds
  of callbacks at once waits to be accepted instead of being refused (tested with 200).
- No request is logged (request lines and headers stay out of every log).
- A client that hangs up early (``BrokenPipeError``, ``ConnectionResetError``, a timeout) is
  logged at DEBUG on the ``twilio_nb.inbox`` logger instead of socketserver's traceback on
  stderr; any other error in a handler at ERROR.

What a request becomes (its row, its answer) is the inbox's: the server calls ``take(handler)``
and writes the ``(status, body, content type)`` it returns. Must not import anything of
twilio_nb but the standard library (the inbox imports it).
"""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["BACKLOG", "InboxServer", "Take", "log"]

#: connections waiting to be accepted (socketserver's default is 5: a burst of callbacks
#: beyond it was refused); the kernel caps it at ``net.core.somaxconn`` (4096 on Linux 5.4+)
BACKLOG = 1024

log = logging.getLogger("twilio_nb.inbox")
Take = Callable[[BaseHTTPRequestHandler], tuple[int, str, str]]


class _Handler(BaseHTTPRequestHandler):
    server: InboxServer
    protocol_version = "HTTP/1.1"
    server_version = "twilio_nb-inbox"
    sys_version = ""
    timeout = 30  # an idle keep-alive connection is closed after 30 s
    # the whole answer in one write, flushed once per request by handle_one_request: written
    # piece by piece, the body waits for the delayed ACK of the headers (~40 ms a request)
    wbufsize = -1

    def log_message(self, format: str, *args: Any) -> None:
        """Never log (request lines and headers stay out of every log)."""

    def _serve(self) -> None:
        status, body, ctype = self.server.take(self)
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        if status >= 400:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve


class InboxServer(ThreadingHTTPServer):
    """A thread per connection; each request handed to ``take`` (see the module)."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = BACKLOG  # the listen backlog: campaign bursts wait, never refused

    def __init__(self, address: tuple[str, int], take: Take) -> None:
        self.take = take
        super().__init__(address, _Handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = super().get_request()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, addr

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up early is no error worth a traceback in the notebook."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            log.debug("inbox: client %s went away: %s", client_address[0],
                      type(exc).__name__)
        else:
            log.error("inbox: a request from %s failed", client_address[0],
                      exc_info=exc)
