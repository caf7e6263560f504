"""A raw TCP server on 127.0.0.1 for the faults an HTTP server cannot commit on purpose.

Each accepted connection gets the next behaviour of a script (the last one repeats), so a
test can say "the first connection is reset in the middle of the body, the second one
answers". Behaviours:

=================  =========================================================================
``ok``             a whole HTTP/1.1 answer (``status``, ``body``, ``content_type``)
``close``          read the request, then close without a byte of answer (FIN)
``garbage``        read the request, answer bytes that are not HTTP, close
``stall``          read the request, answer nothing until the server stops
``stall_headers``  read the request, send the status line and headers, then nothing more
``reset_mid_body`` send the headers and half the body, then reset the connection (RST)
``endless``        a chunked 200 whose body never ends (until the client goes away)
``huge_length``    a 200 announcing a ``Content-Length`` of a terabyte, then a trickle
=================  =========================================================================

Every request read is recorded (method, path, headers), so tests can count POSTs and check
where an ``Authorization`` header went. Every answer closes its connection, so the n-th
connection is the n-th request (except ``close`` before the client wrote anything).
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from dataclasses import dataclass, field

__all__ = ["Behaviour", "RawServer", "Request"]

_REASONS = {200: "OK", 201: "Created", 303: "See Other", 404: "Not Found",
            500: "Internal Server Error"}


@dataclass(frozen=True)
class Behaviour:
    """What the server does with one connection."""

    kind: str
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        kinds = ("ok", "close", "garbage", "stall", "stall_headers", "reset_mid_body",
                 "endless", "huge_length")
        if self.kind not in kinds:
            raise ValueError(f"unknown behaviour {self.kind!r}; one of {kinds}")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class RawServer:
    """Serve ``script`` on a free port of 127.0.0.1 until :meth:`stop`."""

    script: list[Behaviour]
    requests: list[Request] = field(default_factory=list)
    connections: int = 0

    def __post_init__(self) -> None:
        if not self.script:
            raise ValueError("a script needs at least one behaviour")
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self._accepting = threading.Thread(target=self._accept_loop, daemon=True,
                                           name=f"rawserver-{self.port}")
        self._accepting.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def count(self, method: str) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.method == method)

    # -- serving ---------------------------------------------------------------------------
    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                index = min(self.connections, len(self.script) - 1)
                self.connections += 1
                self._open.append(conn)
                thread = threading.Thread(target=self._serve, args=(conn, self.script[index]),
                                          daemon=True)
                self._threads.append(thread)
            thread.start()

    def _read_request(self, conn: socket.socket) -> Request | None:
        conn.settimeout(5)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = ([*lines[0].split(" ", 2), "", ""])[:3]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip()] = value.strip()
        length = int(next((v for k, v in headers.items() if k.lower() == "content-length"),
                          "0") or 0)
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        request = Request(method, path, headers, body)
        with self._lock:
            self.requests.append(request)
        return request

    @staticmethod
    def _head(status: int, headers: list[tuple[str, str]]) -> bytes:
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}",
                 *(f"{k}: {v}" for k, v in headers), "Connection: close"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _serve(self, conn: socket.socket, how: Behaviour) -> None:
        try:
            if self._read_request(conn) is None:
                return
            self._act(conn, how)
        except OSError:
            pass  # the client went away: that is what several behaviours cause
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def _act(self, conn: socket.socket, how: Behaviour) -> None:
        typed = [("Content-Type", how.content_type), *how.headers]
        if how.kind == "ok":
            conn.sendall(self._head(how.status, [*typed, ("Content-Length", str(len(how.body)))])
                         + how.body)
        elif how.kind == "garbage":
            conn.sendall(b"\x00\x01\x02 this is not HTTP at all \xff\xfe\r\n\r\n")
        elif how.kind == "stall":
            self._stop.wait()
        elif how.kind == "stall_headers":
            conn.sendall(self._head(200, [*typed, ("Content-Length", "1000")]))
            self._stop.wait()
        elif how.kind == "reset_mid_body":
            body = how.body or b'{"messages": [' + b'{"sid": "SM0"}, ' * 200
            conn.sendall(self._head(how.status, [*typed, ("Content-Length",
                                                         str(len(body)))]) + body[:len(body) // 2])
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif how.kind == "endless":
            conn.sendall(self._head(200, [*typed, ("Transfer-Encoding", "chunked")]))
            chunk = b"[" + b"0," * 32767 + b"0"
            frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
            while not self._stop.is_set():
                conn.sendall(frame)
        elif how.kind == "huge_length":
            conn.sendall(self._head(200, [*typed, ("Content-Length", str(10 ** 12))]))
            while not self._stop.wait(0.01):
                conn.sendall(b" " * 1024)
        # "close": nothing to send

    # -- stopping --------------------------------------------------------------------------
    def stop(self) -> None:
        """Stop accepting, close every connection, join every thread."""
        self._stop.set()
        self._accepting.join(5)
        self._listener.close()
        with self._lock:
            open_now, threads = list(self._open), list(self._threads)
        for conn in open_now:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(5)

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
