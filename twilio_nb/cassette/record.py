"""Recording a session: an httpx transport that passes every request on and writes it, with
its answer, scrubbed, to a cassette as it happens.

    recorder = Recorder("session.yaml", scrub="pii", account_sid="AC...", secrets=[token])
    client = httpx.Client(transport=recorder.transport(httpx.HTTPTransport()))

The caller gets the answer as it came; the cassette gets the scrubbed copy (see
:mod:`.scrub`), its body decoded (no ``Content-Encoding``) and its ``Content-Length`` that
of the scrubbed body. A cassette that cannot be written (a full disk, a file-size limit, a
read-only folder) never costs the caller the answer: a ``TwilioWarning`` says so once (and,
for a POST, that it was sent and is not to be sent again), recording stops, and the file
keeps what was recorded before, whole. Requests from many threads (a concurrent walk) are
recorded whole, one after the other. :meth:`Recorder.summary` says what was scrubbed. An
answer larger than the connection's ``max_response_bytes`` is passed on unread and not
recorded (the executor refuses it). Several connections may share one recorder (the
form's, rebuilt as a field changes): each :meth:`~Recorder.hold` it, and the last
:meth:`~Recorder.release` ends it.

Imports httpx and :mod:`.file` / :mod:`.scrub`; nothing else of twilio_nb but the errors.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import httpx

from ..errors import TwilioWarning, warn
from .file import CassetteWriter, Interaction
from .scrub import Scrubber, ScrubSpec

__all__ = ["Recorder", "RecordingSummary", "RecordingTransport"]

@dataclass(frozen=True)
class RecordingSummary:
    """What a recording wrote and replaced: ``counts`` by kind (occurrences), ``distinct``
    stand-ins made (phone numbers, emails, message bodies)."""

    path: str
    interactions: int
    mode: str
    counts: dict[str, int] = field(default_factory=dict)
    distinct: dict[str, int] = field(default_factory=dict)
    stopped: str | None = None  # why the recording stopped early (a write failed)

    def __str__(self) -> str:
        parts = []
        for kind, count in self.counts.items():
            extra = f" ({self.distinct[kind]} distinct)" if self.distinct.get(kind) else ""
            parts.append(f"{count} {kind}{extra}")
        what = ", ".join(parts) if parts else "nothing"
        stopped = (f" Recording stopped early: the cassette could not be written "
                   f"({self.stopped}).") if self.stopped else ""
        return (f"Recorded {self.interactions} request(s) to {self.path} (scrub={self.mode!r});"
                f" replaced: {what}. Authorization headers are never written.{stopped}")

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:
        printer.text(str(self))  # type: ignore[attr-defined]


class Recorder:
    """A cassette being recorded: make its transport with :meth:`transport`."""

    def __init__(self, path: str | os.PathLike[str], *, scrub: ScrubSpec = "pii",
                 account_sid: str | None = None, secrets: Iterable[str] = ()) -> None:
        self.scrubber = Scrubber(scrub, account_sid=account_sid, secrets=secrets)
        self.writer = CassetteWriter(path)
        self.path = Path(path)
        self._lock = threading.Lock()  # the one lock: stand-ins and the file
        self.closed = False
        self.holders = 0
        self.stopped: str | None = None  # why writing failed: nothing more is recorded

    def transport(self, inner: httpx.BaseTransport, max_bytes: int) -> RecordingTransport:
        """The transport that records what goes through ``inner`` (answers up to
        ``max_bytes``, decoded)."""
        return RecordingTransport(inner, self, max_bytes)

    def hold(self, secrets: Iterable[str] = ()) -> Recorder:
        """One more connection records here; ``secrets`` (its credential's) are never
        written either."""
        with self._lock:
            self.holders += 1
            self.scrubber.text_rules.add_secrets(secrets)
        return self

    def release(self) -> bool:
        """A connection stops recording here: True when it was the last (the recording
        ended; :meth:`summary` says what it holds)."""
        with self._lock:
            self.holders = max(0, self.holders - 1)
            if self.holders or self.closed:
                return False
            self.closed = True
            return True

    def plan(self, requests: list[httpx.Request]) -> None:
        """A batch's requests, in row order, before any is sent: their phone numbers, emails
        and message bodies get their stand-ins now, in that order (row 3's number the
        third new one), not in the order concurrent answers come back; a replay of the
        batch ties them the same way (:meth:`.replay.Player.plan`). Nothing is written."""
        with self._lock:
            rules = self.scrubber.text_rules
            counted = rules.counts.copy()  # counted when each request is recorded
            for request in requests:  # as interaction() scrubs them: the body, then the URI
                self.scrubber.request_body(request.content,
                                           request.headers.get("content-type", ""))
                rules.uri(str(request.url))
            rules.counts.clear()
            rules.counts.update(counted)

    def record(self, request: httpx.Request, response: httpx.Response, body: bytes) -> None:
        """Scrub and write one request with its answer (``body`` decoded)."""
        headers: dict[str, list[str]] = defaultdict(list)
        for name, value in response.headers.multi_items():
            if name.lower() not in ("content-encoding", "transfer-encoding"):
                headers[name].append(value)
        sent: dict[str, list[str]] = {}
        for name, value in request.headers.items():
            sent[name] = [value]
        interaction: Interaction = {
            "request": {"body": request.content, "headers": sent, "method": request.method,
                        "uri": str(request.url)},
            "response": {"body": {"string": body}, "headers": dict(headers),
                         "status": {"code": response.status_code,
                                    "message": response.reason_phrase}}}
        with self._lock:  # stand-ins and the file, one interaction at a time
            if self.stopped is not None:
                return
            scrubbed = self.scrubber.interaction(interaction)
            if scrubbed is None:
                return
            _fix_length(scrubbed)
            try:
                self.writer.append(scrubbed)
            except OSError as exc:  # the answer is the user's all the same
                self.stopped = exc.strerror or type(exc).__name__
                failed = True
            else:
                failed = False
        if failed:
            self._warn_stopped(request, response)

    def _warn_stopped(self, request: httpx.Request, response: httpx.Response) -> None:
        """Say once that recording stopped, and that this request is not to be sent again."""
        note = "" if request.method in ("GET", "HEAD") else (
            f" This {request.method} was sent and answered (HTTP {response.status_code}): "
            "the answer is yours; it was not sent again, and must not be.")
        warn(f"The cassette {str(self.path)!r} cannot be written ({self.stopped}): recording "
             f"stopped; the cassette holds the {self.writer.count} request(s) recorded "
             f"before, whole.{note}", TwilioWarning)

    def summary(self) -> RecordingSummary:
        """What was recorded and scrubbed so far."""
        return RecordingSummary(
            path=str(self.path), interactions=self.writer.count, mode=self.scrubber.mode,
            counts=self.scrubber.summary(), distinct=self.scrubber.text_rules.distinct(),
            stopped=self.stopped)

    def close(self) -> RecordingSummary:
        """End the recording (nothing more is written) and say what was scrubbed."""
        self.closed = True
        return self.summary()


def _fix_length(interaction: Interaction) -> None:
    response = interaction["response"]
    body = response["body"]["string"]
    size = len(body.encode("utf-8") if isinstance(body, str) else body or b"")
    for name in response["headers"]:
        if name.lower() == "content-length":
            response["headers"][name] = [str(size)]


class _Unread(httpx.SyncByteStream):
    """An answer too big to record, passed on as it comes: what was read, then the rest."""

    def __init__(self, head: list[bytes], rest: Iterator[bytes], response: httpx.Response
                 ) -> None:
        self.head, self.rest, self.response = head, rest, response

    def __iter__(self) -> Iterator[bytes]:
        yield from self.head
        yield from self.rest

    def close(self) -> None:
        self.response.close()


def _decoded(response: httpx.Response, raw: bytes, limit: int) -> bytes | None:
    """``raw`` with its Content-Encoding undone, or None past ``limit`` bytes."""
    chunks, size = [], 0
    for chunk in httpx.Response(response.status_code, headers=response.headers,
                                content=raw).iter_bytes():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class RecordingTransport(httpx.BaseTransport):
    """Sends through ``inner`` and has the :class:`Recorder` write each exchange (answers
    up to ``max_bytes``)."""

    def __init__(self, inner: httpx.BaseTransport, recorder: Recorder, max_bytes: int) -> None:
        self.inner = inner
        self.recorder = recorder
        self.max_bytes = max_bytes

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        response = self.inner.handle_request(request)
        # the bytes as they came (still compressed), as vcrpy's httpx stub reads them, but
        # never past max_bytes: a bigger answer goes on unread (the executor refuses it)
        rest = iter(cast("Iterable[bytes]", response.stream))
        declared = response.headers.get("content-length", "").strip()
        fits = not (declared.isdigit() and int(declared) > self.max_bytes)
        chunks: list[bytes] = []
        size = 0
        while fits:
            chunk = next(rest, None)
            if chunk is None:
                break
            chunks.append(chunk)
            size += len(chunk)
            fits = size <= self.max_bytes
        if not fits:
            return httpx.Response(response.status_code, headers=response.headers,
                                  stream=_Unread(chunks, rest, response),
                                  extensions=response.extensions, request=request)
        response.close()
        raw = b"".join(chunks)
        decoded = _decoded(response, raw, self.max_bytes)
        if decoded is not None and not self.recorder.closed and self.recorder.stopped is None:
            self.recorder.record(request, response, decoded)
        return httpx.Response(response.status_code, headers=response.headers,
                              stream=httpx.ByteStream(raw), extensions=response.extensions,
                              request=request)

    def close(self) -> None:
        self.inner.close()
