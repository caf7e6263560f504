"""TwiML answers to webhooks: checked and read, the one place that parses them.

The inbox checks what it answers (a reply that is not well-formed XML, or whose root is not
``<Response>``, is reported in its row); the sandbox reads the ``<Message>`` verbs of an
answer to an incoming message and creates those messages. Parsing goes through the core's safe
XML parser (no DTD, no entities, no network: see :func:`twilio_nb.convert.parse_xml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ResponseFormatError

__all__ = ["EMPTY", "MessageVerb", "TwimlError", "check", "messages"]

_LXML_LINE = re.compile(r" line \d+(?= \(line)")

EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


class TwimlError(ValueError):
    """A TwiML document that cannot be used: what is wrong, in one line."""


@dataclass(frozen=True)
class MessageVerb:
    """One ``<Message>``: its text (the element's text or its ``<Body>``), ``<Media>`` URLs and
    the ``to`` / ``from`` / ``statusCallback`` attributes (None when not given)."""

    body: str
    media: tuple[str, ...] = ()
    to: str | None = None
    from_: str | None = None
    status_callback: str | None = None


def _root(twiml: str | bytes) -> object:
    # deferred: the safe parser lives in convert, which imports pandas (import twilio_nb
    # and the inbox stay without it)
    from ..convert import parse_xml

    data = twiml.encode("utf-8") if isinstance(twiml, str) else twiml
    try:
        root = parse_xml(data)
    except ResponseFormatError as exc:
        first = str(exc).splitlines()[0].replace("The answer cannot be read as XML: ", "")
        first = _LXML_LINE.sub("", first)  # lxml's own "line N" beside the position
        raise TwimlError(f"TwiML is not well-formed XML: {first}") from None
    if root.tag != "Response":
        raise TwimlError(f"TwiML must have <Response> as its root, not <{root.tag}>")
    return root


def check(twiml: str | bytes) -> None:
    """Raise :class:`TwimlError` unless ``twiml`` is a well-formed ``<Response>`` document."""
    _root(twiml)


def messages(twiml: str | bytes) -> list[MessageVerb]:
    """The ``<Message>`` verbs of a TwiML answer, in order (an empty answer has none)."""
    if not twiml.strip():
        return []
    root = _root(twiml)
    out = []
    for el in root.iter("Message"):  # type: ignore[attr-defined]
        body_el = el.find("Body")
        body = body_el.text if body_el is not None else el.text
        media = tuple((m.text or "").strip() for m in el.iter("Media") if (m.text or "").strip())
        out.append(MessageVerb((body or "").strip(), media, el.get("to"), el.get("from"),
                               el.get("statusCallback") or el.get("action")))
    return out
