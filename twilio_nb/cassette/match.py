"""Which recorded request answers a request: matching by method, path, query and body.

* method: equal;
* host: equal when both are Twilio hosts (``*.twilio.com``); any otherwise (a session
  recorded on a sandbox or on a loopback port replays at any address);
* path: segment by segment; the placeholder account of a scrubbed cassette (or any Account
  SID, when the request names the placeholder) matches any Account SID;
* query, form body and JSON body: order-free, value by value (the values of a repeated key,
  of a JSON list, in their order); another body byte for byte;
* a value a scrubbed cassette holds as a stand-in (a fake phone number, ``personN@example
  .com``, ``[message body N]``) matches any value of that kind: a notebook replayed with its
  own numbers finds the recorded requests. The first value a stand-in meets is its own from
  then on (:class:`Ties`): the rows of a batch keep their answers. A ``[scrubbed]`` secret
  matches any value.

:class:`Recorded` is one recorded request, made comparable; :func:`nearest` the recorded
request most like one that matched none (for the error).

Imports nothing of twilio_nb but :mod:`.scrub_text` and ``request.urls`` (Twilio's hosts).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ..request.urls import is_twilio_host
from .scrub_text import (
    ACCOUNT_SID,
    PLACEHOLDER_ACCOUNT,
    SCRUBBED,
    is_stand_in,
    kind_of_value,
)

__all__ = ["Parts", "Recorded", "Ties", "Used", "nearest", "stand_in_number"]

MultiMap = dict[str, list[str]]
#: the stand-ins a match used: (stand-in, the value it met)
Used = list[tuple[str, str]]


def _multimap(encoded: str) -> MultiMap:
    out: MultiMap = {}
    for key, value in parse_qsl(encoded, keep_blank_values=True):
        out.setdefault(key, []).append(value)
    return out


def _is_form(body: bytes, content_type: str) -> bool:
    if "x-www-form-urlencoded" in content_type:
        return True
    if content_type or not body:
        return not body
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        return False
    return "=" in text and " " not in text and not text.lstrip().startswith(("{", "[", "<"))


def _json_fields(body: bytes, content_type: str) -> MultiMap | None:
    """A JSON body's leaves by their path (``a.b``; a list's items under its key, in
    order), or None when the body is no JSON."""
    if not ("json" in content_type or body.lstrip()[:1] in (b"{", b"[")):
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    out: MultiMap = {}

    def walk(value: Any, key: str) -> None:
        if isinstance(value, dict):
            if not value:
                out.setdefault(key, []).append("{}")
            for k, v in value.items():
                walk(v, f"{key}.{k}" if key else str(k))
        elif isinstance(value, list):
            out.setdefault(key + "[]", [])
            for v in value:
                walk(v, key + "[]")
        else:
            out.setdefault(key, []).append(value if isinstance(value, str)
                                           else json.dumps(value))

    walk(data, "")
    return out


@dataclass(frozen=True)
class Parts:
    """A request as matching sees it."""

    method: str
    host: str
    path: tuple[str, ...]
    query: MultiMap
    form: MultiMap | None  # a form's or a JSON body's values; None: compare ``body``
    body: bytes

    @classmethod
    def of(cls, method: str, uri: str, body: bytes, content_type: str = "") -> Parts:
        url = urlsplit(uri)
        form = _multimap(body.decode("utf-8", "replace")) if _is_form(body, content_type) \
            else _json_fields(body, content_type)
        return cls(method.upper(), (url.hostname or "").lower(),
                   tuple(unquote(s) for s in url.path.split("/")), _multimap(url.query), form,
                   body)

    def key(self) -> Hashable:
        """Equal for requests equal in every matched value (a Twilio host counts)."""
        def frozen(values: MultiMap | None) -> Hashable:
            return None if values is None else tuple(sorted(
                (k, tuple(v)) for k, v in values.items()))

        return (self.method, self.host if is_twilio_host(self.host) else "", self.path,
                frozen(self.query), frozen(self.form),
                self.body if self.form is None else b"")

    def numbers(self) -> tuple[int, ...]:
        """The counts of the stand-ins this request holds, in order
        (:func:`stand_in_number`): which of a batch's recorded rows came first."""
        values = [*self.path, *(v for vs in self.query.values() for v in vs),
                  *(v for vs in (self.form or {}).values() for v in vs)]
        return tuple(sorted(stand_in_number(v) for v in values
                            if is_stand_in(v) and v != PLACEHOLDER_ACCOUNT))

    def text(self) -> str:
        """``METHOD /path?query`` (and the body's fields) for messages."""
        query = "&".join(f"{k}={v}" for k, vs in sorted(self.query.items()) for v in vs)
        out = f"{self.method} {'/'.join(self.path)}" + (f"?{query}" if query else "")
        if self.form:
            out += " with " + "&".join(f"{k}={v}" for k, vs in sorted(self.form.items())
                                       for v in vs)
        elif self.body:
            out += f" with a {len(self.body)}-byte body"
        return out


def stand_in_number(stand_in: str) -> int:
    """The count a stand-in was made with (``+15550100007``: 7, ``[message body 3]``: 3,
    ``person2@example.com``: 2): the order the recording first met its value."""
    digits = re.findall(r"\d+", stand_in.removeprefix("whatsapp:"))
    if not digits:
        return 0
    number = digits[0] if not stand_in.lstrip("+").startswith("1555") else digits[0][4:]
    return int(number)


class Ties:
    """Which value each stand-in met first in a replay: from then on it matches that one
    only (so concurrent rows of a batch cannot swap answers once their values were seen)."""

    def __init__(self) -> None:
        self.met: dict[str, str] = {}

    def allows(self, stand_in: str, asked: str) -> bool:
        return self.met.get(stand_in, asked) == asked

    def tie(self, used: Used) -> None:
        for stand_in, asked in used:
            self.met.setdefault(stand_in, asked)


def _value(asked: str, recorded: str, accounts: bool, ties: Ties, used: Used) -> bool:
    """True when ``asked`` matches ``recorded``: equal; ``recorded`` the ``[scrubbed]``
    secret; the placeholder account meeting an account; or a stand-in (not tied to another
    value) for a value of ``asked``'s kind, noted in ``used``."""
    if asked == recorded or recorded == SCRUBBED:
        return True
    if accounts and ACCOUNT_SID.sub("{AC}", asked) == ACCOUNT_SID.sub("{AC}", recorded):
        return True
    if not is_stand_in(recorded) or not ties.allows(recorded, asked):
        return False
    if not recorded.startswith("[message body"):
        prefix = "whatsapp:" if recorded.startswith("whatsapp:") else ""
        kind = kind_of_value(recorded.removeprefix(prefix))
        if not asked.startswith(prefix) or kind is None \
                or kind_of_value(asked.removeprefix(prefix)) != kind:
            return False
    used.append((recorded, asked))
    return True


def _maps(asked: MultiMap, recorded: MultiMap, accounts: bool, ties: Ties, used: Used) -> bool:
    if asked.keys() != recorded.keys():
        return False
    for key, values in asked.items():
        theirs = recorded[key]
        if len(values) != len(theirs):
            return False
        if not all(_value(a, r, accounts, ties, used)
                   for a, r in zip(values, theirs, strict=True)):
            return False
    return True


@dataclass(frozen=True)
class Recorded:
    """One recorded request and its place in the cassette."""

    index: int
    parts: Parts

    def match(self, asked: Parts, ties: Ties) -> Used | None:
        """None when this recorded request does not answer ``asked``; else the stand-ins
        the match used (empty: every value equal)."""
        mine = self.parts
        if asked.method != mine.method or len(asked.path) != len(mine.path):
            return None
        if is_twilio_host(asked.host) and is_twilio_host(mine.host) and asked.host != mine.host:
            return None
        accounts = any(PLACEHOLDER_ACCOUNT in s for s in (*asked.path, *mine.path)) or \
            PLACEHOLDER_ACCOUNT in str(mine.query) or PLACEHOLDER_ACCOUNT in str(asked.query)
        used: Used = []
        if not all(_value(a, r, accounts, ties, used)
                   for a, r in zip(asked.path, mine.path, strict=True)):
            return None
        if not _maps(asked.query, mine.query, accounts, ties, used):
            return None
        if asked.form is not None and mine.form is not None:
            return used if _maps(asked.form, mine.form, accounts, ties, used) else None
        return used if asked.body == mine.body else None


def nearest(asked: Parts, recorded: list[Recorded]) -> Recorded | None:
    """The recorded request most like ``asked`` (same method first), for the error."""
    if not recorded:
        return None
    text = asked.text()

    def likeness(item: Recorded) -> tuple[bool, float]:
        return (item.parts.method == asked.method,
                difflib.SequenceMatcher(None, text, item.parts.text()).ratio())

    return max(recorded, key=likeness)
