"""What the sandbox saw: requests, created resources, connections, Authorization headers.

For tests of the client: "a POST is never sent twice" (``created``), "the connection is
reused" (``connections``), "credentials never go anywhere else" (``auth``: whether a header
was there and its user, never the password).
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

__all__ = ["AuthSeen", "Stats"]


@dataclass(frozen=True)
class AuthSeen:
    """One request's Authorization header: present or not, and the Basic user if readable."""

    present: bool
    user: str | None = None
    scheme: str | None = None


class Stats:
    """Counters of one sandbox. Thread-safe; read them through the properties (copies)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: Counter[tuple[str, str]] = Counter()
        self._created: list[tuple[str, str]] = []
        self._auth: list[AuthSeen] = []
        self._connections = 0

    def record_request(self, method: str, path: str, auth: AuthSeen) -> None:
        with self._lock:
            self._requests[(method, path)] += 1
            self._auth.append(auth)

    def record_created(self, path: str, key: str) -> None:
        with self._lock:
            self._created.append((path, key))

    def record_connection(self) -> None:
        with self._lock:
            self._connections += 1

    @property
    def requests(self) -> Counter[tuple[str, str]]:
        """Requests by (method, path without query)."""
        with self._lock:
            return Counter(self._requests)

    @property
    def total_requests(self) -> int:
        with self._lock:
            return sum(self._requests.values())

    @property
    def created(self) -> list[tuple[str, str]]:
        """(list path, key of the new resource) for every POST that created one, in order."""
        with self._lock:
            return list(self._created)

    @property
    def connections(self) -> int:
        """TCP connections the HTTP server accepted."""
        with self._lock:
            return self._connections

    @property
    def auth(self) -> list[AuthSeen]:
        with self._lock:
            return list(self._auth)

    def count(self, method: str, path_contains: str = "") -> int:
        """Requests with this method whose path contains ``path_contains``."""
        with self._lock:
            return sum(n for (m, p), n in self._requests.items()
                       if m == method.upper() and path_contains in p)

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()
            self._created.clear()
            self._auth.clear()
            self._connections = 0

    def __repr__(self) -> str:
        with self._lock:
            return (f"Stats(requests={sum(self._requests.values())}, "
                    f"created={len(self._created)}, connections={self._connections})")
