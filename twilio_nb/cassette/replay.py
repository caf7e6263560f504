"""Replaying a session: an httpx transport that answers from a cassette, with no network.

    player = Player("session.yaml")
    client = httpx.Client(transport=player.transport())

Each request gets the answer recorded for it (see :mod:`.match`): of several recorded
requests that answer it, the first not played yet, in recorded order (identical requests
replay their answers in the order they were recorded: pages, POSTs of a batch); once all
were played, the last of them again. Next-page URIs inside recorded answers name recorded
requests, so walks replay whole. A request the cassette does not hold raises
:class:`~twilio_nb.errors.ReplayError` naming it and the nearest recorded one, or, with a
``fallback`` transport (the offline sandbox), goes there with a
:class:`~twilio_nb.errors.TwilioWarning`.

Imports httpx and :mod:`.file` / :mod:`.match`; nothing else of twilio_nb but the errors.
"""

from __future__ import annotations

import base64
import os
import re
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx

from ..errors import ReplayError, TwilioWarning, warn
from .file import Interaction, body_bytes, read_cassette
from .match import Parts, Recorded, describe, nearest
from .scrub_text import PLACEHOLDER_ACCOUNT

__all__ = ["Fallback", "Player", "ReplayTransport"]

_ACCOUNT_IN_PATH = re.compile(r"/Accounts/(AC[0-9a-f]{32})")


@dataclass(frozen=True)
class Fallback:
    """Where requests the cassette does not hold go: a transport (the offline sandbox), the
    credentials it takes and the account its paths name."""

    name: str
    transport: httpx.BaseTransport
    user: str
    password: str
    account_sid: str | None


def _content_type(headers: dict[str, list[str]]) -> str:
    for name, values in headers.items():
        if name.lower() == "content-type":
            return str(values[0] if isinstance(values, list) else values)
    return ""


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
                                 _content_type(it["request"].get("headers") or {})))
            for i, it in enumerate(self.interactions)]
        self.played: Counter[int] = Counter()
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
            best: tuple[bool, int, int] | None = None
            chosen: Recorded | None = None
            for item in self.recorded:
                score = item.score(asked)
                if score is None:
                    continue
                # not played yet first, then fewest stand-ins, then in recorded order
                # (once all were played: the last of them)
                fresh = self.played[item.index] == 0
                key = (fresh, -score, -item.index if fresh else item.index)
                if best is None or key > best:
                    best, chosen = key, item
            if chosen is None:
                return None
            self.played[chosen.index] += 1
            return self.interactions[chosen.index]

    def miss(self, asked: Parts) -> ReplayError:
        near = nearest(asked, self.recorded)
        shown = describe(near.parts) if near is not None else None
        text = (f"The cassette {str(self.path)!r} holds no answer for {describe(asked)}. "
                + (f"Nearest recorded: {shown}. " if shown else "It is empty. ")
                + "Record the session again with this request, or replay with "
                "fallback='sandbox' to send such requests to the offline sandbox.")
        return ReplayError(text, request=describe(asked), nearest=shown)


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
        warn(f"The cassette {str(self.player.path)!r} holds no answer for {describe(asked)}: "
             f"the {fallback.name} answered it instead (not the recorded session).",
             TwilioWarning)
        url = request.url
        if fallback.account_sid:
            url = url.copy_with(raw_path=_ACCOUNT_IN_PATH.sub(
                f"/Accounts/{fallback.account_sid}", url.raw_path.decode()).encode())
        headers = httpx.Headers(request.headers)
        token = base64.b64encode(f"{fallback.user}:{fallback.password}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
        sent = httpx.Request(request.method, url, headers=headers, content=request.content,
                             extensions=request.extensions)
        return fallback.transport.handle_request(sent)
