"""Which recorded request answers a request: matching by method, path, query and body.

* method: equal;
* host: equal when both are Twilio hosts (``*.twilio.com``); any otherwise (a session
  recorded on a sandbox or on a loopback port replays at any address);
* path: segment by segment; the placeholder account of a scrubbed cassette (or any Account
  SID, when the request names the placeholder) matches any Account SID;
* query and form body: order-free (the values of a repeated key in their order); another
  body byte for byte;
* a value a scrubbed cassette holds as a stand-in (a fake phone number, ``personN@example
  .com``, ``[message body N]``) matches any value of that kind: a notebook replayed with its
  own numbers finds the recorded requests.

:class:`Recorded` is one recorded request, made comparable; :func:`nearest` the recorded
request most like one that matched none (for the error).

Imports nothing of twilio_nb but :mod:`.scrub_text`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from .scrub_text import PLACEHOLDER_ACCOUNT, is_stand_in, kind_of_value

__all__ = ["Recorded", "describe", "nearest"]

_ACCOUNT = re.compile(r"AC[0-9a-f]{32}")
MultiMap = dict[str, list[str]]


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


@dataclass(frozen=True)
class Parts:
    """A request as matching sees it."""

    method: str
    host: str
    path: tuple[str, ...]
    query: MultiMap
    form: MultiMap | None  # None: the body is not a form; compare ``body``
    body: bytes

    @classmethod
    def of(cls, method: str, uri: str, body: bytes, content_type: str = "") -> Parts:
        url = urlsplit(uri)
        form = _multimap(body.decode("utf-8", "replace")) if _is_form(body, content_type) \
            else None
        return cls(method.upper(), (url.hostname or "").lower(),
                   tuple(unquote(s) for s in url.path.split("/")), _multimap(url.query), form,
                   body)

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


def _twilio(host: str) -> bool:
    return host == "twilio.com" or host.endswith(".twilio.com")


def _value(asked: str, recorded: str, accounts: bool) -> int | None:
    """0 when equal, 1 when ``recorded`` is a stand-in for a value of ``asked``'s kind (or
    the placeholder account meets an account), None when they differ."""
    if asked == recorded:
        return 0
    if accounts:
        a, r = _ACCOUNT.sub("{AC}", asked), _ACCOUNT.sub("{AC}", recorded)
        if a == r:
            return 1
    if not is_stand_in(recorded):
        return None
    if recorded.startswith("[message body"):
        return 1
    prefix = "whatsapp:" if recorded.startswith("whatsapp:") else ""
    if not asked.startswith(prefix):
        return None
    kind = kind_of_value(recorded.removeprefix(prefix))
    return 1 if kind is not None and kind_of_value(asked.removeprefix(prefix)) == kind else None


def _maps(asked: MultiMap, recorded: MultiMap, accounts: bool) -> int | None:
    if asked.keys() != recorded.keys():
        return None
    score = 0
    for key, values in asked.items():
        theirs = recorded[key]
        if len(values) != len(theirs):
            return None
        for a, r in zip(values, theirs, strict=True):
            found = _value(a, r, accounts)
            if found is None:
                return None
            score += found
    return score


@dataclass(frozen=True)
class Recorded:
    """One recorded request and its place in the cassette."""

    index: int
    parts: Parts

    def score(self, asked: Parts) -> int | None:
        """None when this recorded request does not answer ``asked``; else how many values
        matched only as stand-ins (0: every value equal)."""
        mine = self.parts
        if asked.method != mine.method or len(asked.path) != len(mine.path):
            return None
        if _twilio(asked.host) and _twilio(mine.host) and asked.host != mine.host:
            return None
        accounts = any(PLACEHOLDER_ACCOUNT in s for s in (*asked.path, *mine.path)) or \
            PLACEHOLDER_ACCOUNT in str(mine.query) or PLACEHOLDER_ACCOUNT in str(asked.query)
        score = 0
        for a, r in zip(asked.path, mine.path, strict=True):
            found = _value(a, r, accounts)
            if found is None:
                return None
            score += found
        found = _maps(asked.query, mine.query, accounts)
        if found is None:
            return None
        score += found
        if asked.form is not None and mine.form is not None:
            found = _maps(asked.form, mine.form, accounts)
            if found is None:
                return None
            return score + found
        return score if asked.body == mine.body else None


def describe(parts: Parts) -> str:
    return parts.text()


def nearest(asked: Parts, recorded: list[Recorded]) -> Recorded | None:
    """The recorded request most like ``asked`` (same method first), for the error."""
    if not recorded:
        return None
    text = asked.text()

    def likeness(item: Recorded) -> tuple[bool, float]:
        return (item.parts.method == asked.method,
                difflib.SequenceMatcher(None, text, item.parts.text()).ratio())

    return max(recorded, key=likeness)
