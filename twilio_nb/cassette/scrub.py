"""Scrubbing an interaction before it is written: never a secret; with ``scrub="pii"`` (the
default) no phone number, email address, message body or Account SID either.

=====================  ==========================================================
``scrub=``             what is replaced
=====================  ==========================================================
always                 the ``Authorization``, ``Cookie``, ``Set-Cookie`` and
                       ``X-Twilio-Signature`` headers (left out); fields, parameters
                       and elements that hold a secret (``auth_token``, ``secret``,
                       ``password``, ...: ``[scrubbed]``); the connection's own
                       secret, however spelled; signatures of signed URLs
``"pii"`` (default)    also phone numbers (E.164, ``whatsapp:+...``, ``(415) 555-0100``,
                       any value of a phone-number parameter: ``To=4155550144``),
                       email addresses, message bodies (``body`` in JSON, ``<Body>``,
                       the CSV ``Body`` column, the ``Body`` parameter), Account SIDs
                       (the connection's becomes :data:`PLACEHOLDER_ACCOUNT`)
``"secrets"``          only what is always replaced
a callable             ``"pii"``, then ``rule(interaction) -> interaction | None``
                       (None leaves the interaction out); ``("secrets", rule)`` to
                       keep the data
=====================  ==========================================================

An interaction is the dict vcrpy writes (see :mod:`.file`): ``request`` (``method``,
``uri``, ``body`` bytes, ``headers`` name -> [values]) and ``response`` (``status``,
``headers``, ``body: {string: bytes}``). The secret rule runs again after a user's rule.

JSON bodies are read by the json module, XML by patterns over the text (its values are
escaped text, so a pattern cannot cross an element), CSV by the csv module. Imports nothing
of twilio_nb but the errors, :mod:`.file` and :mod:`.scrub_text`.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import ConfigurationError
from .file import Interaction, body_bytes, first_header
from .phone_names import is_phone_name
from .scrub_text import SCRUBBED, TextRules, is_secret_name

__all__ = ["Rule", "ScrubSpec", "Scrubber", "check_scrub"]

#: a user's rule: takes an interaction, returns it changed, or None to leave it out
Rule = Callable[[Interaction], "Interaction | None"]
ScrubSpec = str | Rule | tuple[Any, ...] | list[Any]

_XML_BODY = re.compile(r"<Body>(.*?)</Body>", re.S)
# an element holding text only (its name is read by is_secret_name, one rule for every format)
_XML_LEAF = re.compile(r"<(\w+)((?:\s[^<>]*)?)>([^<]*)</\1>")


def _mode(spec: ScrubSpec) -> tuple[bool, list[Rule]]:
    """(scrub PII?, the user's rules) of a ``scrub=`` value."""
    parts = list(spec) if isinstance(spec, tuple | list) else [spec]
    pii: bool | None = None
    rules: list[Rule] = []
    for part in parts:
        if part in ("pii", "secrets"):
            pii = part == "pii"
        elif callable(part):
            rules.append(part)
        else:
            raise ConfigurationError(
                f"scrub={spec!r} is not a scrubbing choice: give 'pii' (the default: phone "
                "numbers, emails, message bodies and the account replaced), 'secrets' (only "
                "secrets removed) or a function interaction -> interaction | None",
                field="scrub")
    return (True if pii is None else pii), rules


def check_scrub(spec: ScrubSpec) -> None:
    """A ConfigurationError unless ``spec`` is a scrubbing choice."""
    _mode(spec)


class Scrubber:
    """Scrubs the interactions of one cassette (the stand-ins stay the same across them)."""

    def __init__(self, spec: ScrubSpec = "pii", *, account_sid: str | None = None,
                 secrets: Iterable[str] = ()) -> None:
        self.pii, self.rules = _mode(spec)
        self.mode = "pii" if self.pii else "secrets"
        self.text_rules = TextRules(pii=self.pii, account_sid=account_sid, secrets=secrets)

    @property
    def counts(self) -> Counter[str]:
        return self.text_rules.counts

    def interaction(self, interaction: Interaction) -> Interaction | None:
        """``interaction`` scrubbed (a new dict), or None when a user's rule drops it."""
        t = self.text_rules
        request, response = interaction["request"], interaction["response"]
        ctype = first_header(request.get("headers", {}), "content-type")
        scrubbed: Interaction = {
            "request": {"body": _text_or_bytes(self.request_body(
                body_bytes(request.get("body")), ctype)),
                        "headers": self._headers(request.get("headers", {})),
                        "method": request["method"], "uri": t.uri(request["uri"])},
            "response": {"body": {"string": _text_or_bytes(self._answer(
                body_bytes(response.get("body")), first_header(response.get("headers", {}),
                                                         "content-type")))},
                         "headers": self._headers(response.get("headers", {})),
                         "status": dict(response["status"])}}
        for rule in self.rules:
            changed = rule(scrubbed)
            if changed is None:
                self.counts["left out by your rule"] += 1
                return None
            if changed != scrubbed:
                self.counts["changed by your rule"] += 1
            scrubbed = changed
        clean: Interaction = _secrets_again(scrubbed, t)
        return clean

    # -- parts -------------------------------------------------------------------------
    def _headers(self, headers: dict[str, list[str]]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, values in headers.items():
            if is_secret_name(name):
                self.counts["secret headers"] += 1
                continue
            out[name] = [self.text_rules.text(str(v)) for v in
                         (values if isinstance(values, list) else [values])]
        return out

    def request_body(self, body: bytes, ctype: str) -> bytes:
        """A request's body scrubbed (form, JSON, or bytes with the secrets replaced)."""
        if not body:
            return body
        if "json" in ctype or body[:1] in (b"{", b"["):
            return self._answer(body, "application/json")
        text = _text(body)
        if text is None:
            return self.text_rules.secrets_bytes(body)
        return self.text_rules.form(text).encode()

    def _answer(self, body: bytes, ctype: str) -> bytes:
        if body[:2] == b"\x1f\x8b":  # gzip JSON lines: a Bulk Export day file
            return self._gzip_lines(body)
        text = _text(body)
        if text is None:  # an image, a recording: no text to scrub
            return self.text_rules.secrets_bytes(body)
        head = text.lstrip()[:1]
        if head in ("{", "["):
            return self._json(text).encode()
        if head == "<":
            return self._xml(text).encode()
        if "csv" in ctype.lower():
            return self._csv(text).encode()
        return self.text_rules.text(text).encode()

    def _gzip_lines(self, body: bytes) -> bytes:
        try:
            text = gzip.decompress(body).decode("utf-8")
        except (OSError, EOFError, UnicodeDecodeError):
            return self.text_rules.secrets_bytes(body)
        lines = [self._json(line) if line.strip() else line for line in text.split("\n")]
        return gzip.compress("\n".join(lines).encode("utf-8"), mtime=0)

    def _json(self, text: str) -> str:
        try:
            data = json.loads(text)
        except ValueError:
            return self.text_rules.text(text)
        before = self.counts.total()
        data = self._walk(data)
        if self.counts.total() == before and not self.pii:
            return text  # nothing secret in it: the bytes as Twilio sent them
        return json.dumps(data, ensure_ascii=False)

    def _walk(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: self._walk(v, str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self._walk(v, key) for v in value]
        if isinstance(value, int | float) and not isinstance(value, bool) and self.pii \
                and key and is_phone_name(key):
            return self.text_rules.phone_value(str(value))  # a number sent as a JSON number
        if not isinstance(value, str):
            return value
        if key and is_secret_name(key):
            self.counts["secret fields"] += 1
            return SCRUBBED
        if key.lower() == "body" and self.pii:
            return self.text_rules.body(value)
        if self.pii and key and is_phone_name(key):
            return self.text_rules.phone_value(value)
        return self.text_rules.text(value)

    def _xml(self, text: str) -> str:
        def secret(match: re.Match[str]) -> str:
            name, attributes, value = match.groups()
            if not value or not is_secret_name(name):
                return match.group(0)
            self.counts["secret fields"] += 1
            return f"<{name}{attributes}>{SCRUBBED}</{name}>"

        text = _XML_LEAF.sub(secret, text)
        if self.pii:
            text = _XML_BODY.sub(lambda m: "<Body>" + self.text_rules.body(m.group(1))
                                 + "</Body>", text)
        return self.text_rules.text(text)

    def _csv(self, text: str) -> str:
        rows = list(csv.reader(io.StringIO(text)))
        if not rows:
            return text
        header = rows[0]
        secret = {i for i, name in enumerate(header) if is_secret_name(name)}
        body = {i for i, name in enumerate(header) if name.lower() == "body"} if self.pii \
            else set()
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n" if "\r\n" in text else "\n")
        writer.writerow(header)
        for row in rows[1:]:
            cells = []
            for i, cell in enumerate(row):
                if i in secret and cell:
                    self.counts["secret fields"] += 1
                    cells.append(SCRUBBED)
                elif i in body:
                    cells.append(self.text_rules.body(cell))
                else:
                    cells.append(self.text_rules.text(cell))
            writer.writerow(cells)
        return out.getvalue()

    def summary(self) -> dict[str, int]:
        """How many of each kind were replaced (distinct phone numbers and emails too)."""
        return dict(sorted(self.counts.items()))


def _text(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _text_or_bytes(body: bytes) -> str | bytes:
    """As vcrpy writes a body: text when it is UTF-8, else bytes (``!!binary``)."""
    text = _text(body)
    return body if text is None else text


def _secrets_again(value: Any, rules: TextRules) -> Any:
    """``value`` with the connection's secrets replaced wherever they are (after a user's
    rule, which may have put anything back)."""
    if isinstance(value, dict):
        return {k: _secrets_again(v, rules) for k, v in value.items()
                if not (isinstance(k, str) and k.lower() == "authorization")}
    if isinstance(value, list):
        return [_secrets_again(v, rules) for v in value]
    if isinstance(value, str):
        return rules.secrets(value)
    if isinstance(value, bytes):
        return rules.secrets_bytes(value)
    return value
