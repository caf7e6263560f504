"""Replaying a session: an httpx transport that answers from a cassette, with no network.

    player = Player("session.yaml")
    client = httpx.Client(transport=player.transport())

Each request gets the answer recorded for it (see :mod:`.match`): of several recorded
requests that answer it, the first not played yet, in recorded order, one equal in every
value before one that matched through stand-ins (identical requests replay their answers in
the order they were recorded: pages, POSTs of a batch); once all were played, the last of
them again. Finding one looks up equal requests in a dict, then only the unplayed requests
of the same method and path length: a batch replays in linear time. Next-page URIs inside
recorded answers name recorded requests, so walks replay whole. A request the cassette does
not hold raises :class:`~twilio_nb.errors.ReplayError` naming it and the nearest recorded one,
or, with a ``fallback`` transport (the offline sandbox), goes there with a
:class:`~twilio_nb.errors.TwilioWarning`.

Imports httpx and :mod:`.file` / :mod:`.match`; nothing else of twilio_nb but the errors.
"""

from __future__ import annotations

import os
import re
import threading
from collections import Counter, deque
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from ..errors import ReplayError, TwilioWarning, warn
from .file import Interaction, body_bytes, first_header, read_cassette
from .match import Parts, Recorded, Ties, nearest
from .scrub_text import ACCOUNT_SID, PLACEHOLDER_ACCOUNT

__all__ = ["Fallback", "Player", "ReplayTransport"]

_ACCOUNT_IN_PATH = re.compile(rf"/Accounts/({ACCOUNT_SID.pattern})")


@dataclass(frozen=True)
class Fallback:
    """Where requests the cassette does not hold go: a transport (the offline sandbox), the
    Authorization header it takes and the account its paths name."""

    name: str
    transport: httpx.BaseTransport
    authorization: str = field(repr=False)
    account_sid: str | None


class Player:
    """The interactions of a cassette, and which of them were played."""

    def __init__(self, path: str | os.PathLike[str], *, fallback: Fallback | None = None
                 ) -> None:
        self.path = Path(path)
        self.interactions: list[Interaction] = read_cassette(path)
        self.recorded = [
            Recorded(i, Parts.of(str(it["request"].get("method", "GET")),
                                 str(it["request"].get("uri", "")),
                                 body_bytes(it["request"].get("body")),
                                 first_header(it["request"].get("headers") or {},
                                              "content-type")))
            for i, it in enumerate(self.interactions)]
        self.played: Counter[int] = Counter()
        self.ties = Ties()
        # the unplayed requests by (method, path length), in recorded order; equal ones by key
        self._unplayed: dict[tuple[str, int], dict[int, Recorded]] = {}
        self._equal: dict[Hashable, deque[int]] = {}
        for item in self.recorded:
            self._unplayed.setdefault(_group(item.parts), {})[item.index] = item
            self._equal.setdefault(item.parts.key(), deque()).append(item.index)
        self.fallback = fallback
        self.fallbacks = 0
        self._lock = threading.Lock()

    @property
    def account_sid(self) -> str:
        """The account the cassette's paths name (the placeholder of a scrubbed one)."""
        for item in self.interactions:
            found = _ACCOUNT_IN_PATH.search(str(item["request"].get("uri", "")))
            if found:
                return found.group(1)
        return PLACEHOLDER_ACCOUNT

    def transport(self) -> ReplayTransport:
        return ReplayTransport(self)

    def find(self, asked: Parts) -> Interaction | None:
        """The interaction that answers ``asked`` (marked played), or None."""
        with self._lock:
            index = self._choose(asked)
            if index is None:
                return None
            self.played[index] += 1
            self._unplayed.get(_group(asked), {}).pop(index, None)
            return self.interactions[index]

    def plan(self, requests: list[Parts]) -> None:
        """A batch's requests, in row order, before any is sent: each is tied now to the
        recorded request of its row, whatever order the concurrent rows are then asked
        in. The recording gave a batch's new values their stand-ins in row order
        (:meth:`.record.Recorder.plan`), so of the unplayed recorded requests a row
        matches, its own is the one whose stand-ins come first: they are tried in that
        order, and the first that matches is tied (a batch plans in linear time)."""
        with self._lock:
            queues: dict[tuple[str, int], list[Recorded]] = {}
            taken: set[int] = set()
            for asked in requests:
                group = _group(asked)
                queue = queues.get(group)
                if queue is None:
                    queue = queues[group] = sorted(self._unplayed.get(group, {}).values(),
                                                   key=lambda item: item.parts.numbers())
                unplayed = self._unplayed.get(group, {})
                equal = {i for i in self._equal.get(asked.key(), ())
                         if i in unplayed and i not in taken}
                for position, item in enumerate(queue):
                    used = None if equal else item.match(asked, self.ties)
                    if item.index in equal or used is not None:
                        del queue[position]  # this row's: no other row takes it
                        taken.add(item.index)
                        self.ties.tie(used or [])
                        break

    def _choose(self, asked: Parts) -> int | None:
        """An equal unplayed request, else the first unplayed one that matches (its
        stand-ins then tied to the values they met), else the last played one that does."""
        unplayed = self._unplayed.get(_group(asked), {})
        equal = self._equal.get(asked.key(), deque())
        while equal and equal[0] not in unplayed:
            equal.popleft()
        if equal:
            return equal[0]
        for index, item in unplayed.items():
            used = item.match(asked, self.ties)
            if used is not None:
                self.ties.tie(used)
                return index
        for item in reversed(self.recorded):
            if self.played[item.index] and item.match(asked, self.ties) is not None:
                return item.index
        return None

    def miss(self, asked: Parts) -> ReplayError:
        near = nearest(asked, self.recorded)
        shown = near.parts.text() if near is not None else None
        text = (f"The cassette {str(self.path)!r} holds no answer for {asked.text()}. "
                + (f"Nearest recorded: {shown}. " if shown else "It is empty. ")
                + "Record the session again with this request, or replay with "
                "fallback='sandbox' to send such requests to the offline sandbox.")
        return ReplayError(text, request=asked.text(), nearest=shown)


def _group(parts: Parts) -> tuple[str, int]:
    return parts.method, len(parts.path)


class ReplayTransport(httpx.BaseTransport):
    """Answers from a :class:`Player`; never opens a connection (but to a fallback)."""

    def __init__(self, player: Player) -> None:
        self.player = player

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        asked = Parts.of(request.method, str(request.url), body,
                         request.headers.get("content-type", ""))
        found = self.player.find(asked)
        if found is None:
            fallback = self.player.fallback
            if fallback is None:
                raise self.player.miss(asked)
            return self._fall_back(request, asked, fallback)
        response = found["response"]
        status = response.get("status") or {}
        message = str(status.get("message") or "")
        headers = [(str(name), str(value)) for name, values in
                   (response.get("headers") or {}).items()
                   for value in (values if isinstance(values, list) else [values])]
        return httpx.Response(int(status.get("code", 200)), headers=headers,
                              stream=httpx.ByteStream(body_bytes(response.get("body"))),
                              extensions={"reason_phrase": message.encode("ascii", "replace")}
                              if message else {}, request=request)

    def _fall_back(self, request: httpx.Request, asked: Parts,
                   fallback: Fallback) -> httpx.Response:
        with self.player._lock:
            self.player.fallbacks += 1
        warn(f"The cassette {str(self.player.path)!r} holds no answer for {asked.text()}: "
             f"the {fallback.name} answered it instead (not the recorded session).",
             TwilioWarning)
        url = request.url
        if fallback.account_sid:
            url = url.copy_with(raw_path=_ACCOUNT_IN_PATH.sub(
                f"/Accounts/{fallback.account_sid}", url.raw_path.decode()).encode())
        headers = httpx.Headers(request.headers)
        headers["Authorization"] = fallback.authorization
        sent = httpx.Request(request.method, url, headers=headers, content=request.content,
                             extensions=request.extensions)
        return fallback.transport.handle_request(sent)
