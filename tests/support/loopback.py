"""A small programmable HTTP server on 127.0.0.1 for executor tests.

It records every request (method, path, headers) and counts the TCP connections it accepted,
so tests can check retries, keep-alive and where credentials went.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = tuple[int, dict[str, str], bytes]
Handler = Callable[["Seen"], "Reply | str"]


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Loopback:
    server: ThreadingHTTPServer
    thread: threading.Thread
    routes: list[tuple[str, Handler]] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    connections: int = 0

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, prefix: str, handler: Handler) -> None:
        self.routes.insert(0, (prefix, handler))

    def count(self, method: str, prefix: str = "") -> int:
        return sum(1 for s in self.seen if s.method == method and s.path.startswith(prefix))

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def full_backlog_port() -> tuple[int, Callable[[], None]]:
    """A listening port whose backlog is full, so that a new connect hangs until it times out;
    and the function that closes it."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        fillers.append(s)

    def close() -> None:
        for s in [*fillers, listener]:
            s.close()
        fillers.clear()

    return port, close


def json_reply(status: int, body: str, **headers: str) -> Reply:
    return status, {"Content-Type": "application/json", **headers}, body.encode()


def start() -> Loopback:
    box: dict[str, Loopback] = {}

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _handle(self) -> None:
            lb = box["lb"]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            seen = Seen(self.command, self.path, {k: v for k, v in self.headers.items()}, body)
            lb.seen.append(seen)
            for prefix, handler in lb.routes:
                if self.path.startswith(prefix):
                    reply = handler(seen)
                    break
            else:
                reply = json_reply(404, '{"code": 20404, "message": "not here", "status": 404}')
            if reply == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.close_connection = True
                return
            if reply == "hang":
                time.sleep(3)
                return
            assert not isinstance(reply, str)
            status, headers, payload = reply
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _handle

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def process_request(self, request: Any, client_address: Any) -> None:
            box["lb"].connections += 1
            super().process_request(request, client_address)

    server = Server(("127.0.0.1", 0), H)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    lb = Loopback(server, thread)
    box["lb"] = lb
    thread.start()
    return lb
