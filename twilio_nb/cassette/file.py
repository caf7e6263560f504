"""Cassette files in vcrpy's format (version 1): reading them and writing them as they grow.

A cassette is YAML::

    interactions:
    - request:
        body: ''                      # text, or !!binary for bytes that are not UTF-8
        headers: {Accept: [application/json], ...}
        method: GET
        uri: https://api.twilio.com/2010-04-01/Accounts/AC.../Messages.json?PageSize=20
      response:
        body: {string: '{"messages": [...]}'}
        headers: {Content-Type: [application/json], ...}
        status: {code: 200, message: OK}
    version: 1

written with PyYAML the way vcrpy writes it (its ``serialize``: ``yaml.dump`` of that
mapping), so vcrpy and pytest-recording read these cassettes and this module reads theirs
(their older httpx layout, ``status_code`` / ``content``, too). :class:`CassetteWriter`
appends each interaction as it happens, keeping the file a whole cassette after every
append (the ``version: 1`` line is moved down); one append at a time (the recorder's
lock sees to it).

Imports PyYAML (when a cassette is read or written, not on import) and nothing of
twilio_nb but the errors.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError

__all__ = ["CassetteWriter", "Interaction", "body_bytes", "first_header", "read_cassette"]

#: one request and its answer, as vcrpy keeps them (see the module docstring)
Interaction = dict[str, Any]

_VERSION_LINE = b"version: 1\n"
_EMPTY = b"interactions: []\n" + _VERSION_LINE


def _yaml() -> Any:
    import yaml  # deferred: only recording and replaying need PyYAML

    return yaml


def _dumper() -> Any:
    yaml = _yaml()
    return getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's when built with it, as vcrpy


def _loader() -> Any:
    """A safe loader that also takes the harmless Python tags older vcrpy cassettes hold
    (``!!python/unicode``, ``!!python/str``, ``!!python/tuple``), as vcrpy's own does."""
    yaml = _yaml()
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader: Any = type("CassetteLoader", (base,), {})

    def scalar(ld: Any, node: Any) -> Any:
        return ld.construct_scalar(node)

    loader.add_constructor("tag:yaml.org,2002:python/str", scalar)
    loader.add_constructor("tag:yaml.org,2002:python/unicode", scalar)
    loader.add_constructor("tag:yaml.org,2002:python/tuple",
                           lambda ld, node: tuple(ld.construct_sequence(node)))
    return loader


def dump(data: Any) -> bytes:
    """``data`` as vcrpy's serializer writes it (``yaml.dump`` with its defaults)."""
    text: str = _yaml().dump(data, Dumper=_dumper())
    return text.encode("utf-8")


def body_bytes(body: Any) -> bytes:
    """A cassette body (text, bytes or null; vcrpy's ``{string: ...}`` unwrapped) as bytes."""
    if isinstance(body, dict):
        body = body.get("string")
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    return str(body).encode("utf-8")


def first_header(headers: dict[str, Any], name: str) -> str:
    """The first value of the header ``name`` (lower case) in a cassette's ``headers``."""
    for key, values in headers.items():
        if key.lower() == name:
            return str(values[0] if isinstance(values, list) and values else values)
    return ""


def _normal(item: Any, where: str) -> Interaction:
    """One interaction of a cassette in the current layout (vcrpy's older httpx layout,
    ``status_code`` / ``content``, moved into ``status`` / ``body``)."""
    if not isinstance(item, dict) or not isinstance(item.get("request"), dict) \
            or not isinstance(item.get("response"), dict):
        raise ConfigurationError(f"{where} is not a vcrpy cassette: an interaction lacks its "
                                 "request or response", field="replay")
    response = dict(item["response"])
    if "status_code" in response:  # vcrpy's httpx stub before its 5.0 layout
        response = {"status": {"code": response["status_code"], "message": ""},
                    "headers": response.get("headers") or {},
                    "body": {"string": response.get("content")}}
    return {"request": dict(item["request"]), "response": response}


def read_cassette(path: str | os.PathLike[str]) -> list[Interaction]:
    """The interactions of the cassette at ``path``, in recorded order."""
    where = Path(path)
    try:
        text = where.read_bytes()
    except OSError as exc:
        raise ConfigurationError(f"Cannot read the cassette {str(where)!r}: {exc.strerror}. "
                                 "Give the path of a cassette recorded with "
                                 "tw.connect(record=...) or vcrpy.", field="replay") from None
    yaml = _yaml()
    try:
        data = yaml.load(text, Loader=_loader())
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{str(where)!r} is not a YAML cassette: "
                                 f"{str(exc).splitlines()[0]}", field="replay") from None
    if not isinstance(data, dict) or not isinstance(data.get("interactions", []), list):
        raise ConfigurationError(f"{str(where)!r} is not a vcrpy cassette (version 1): no "
                                 "'interactions' list", field="replay")
    return [_normal(item, repr(str(where))) for item in data.get("interactions") or []]


class CassetteWriter:
    """Writes interactions to a new cassette at ``path`` (an existing file is replaced), one
    at a time (not thread-safe: the caller locks); the file is a whole cassette after each
    :meth:`append`."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.count = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(_EMPTY)
        except OSError as exc:
            raise ConfigurationError(f"Cannot write the cassette {str(self.path)!r}: "
                                     f"{exc.strerror}", field="record") from None

    def append(self, interaction: Interaction) -> None:
        chunk = dump([interaction])  # the list item as it reads under 'interactions:'
        with self.path.open("r+b") as out:
            if self.count == 0:
                out.truncate(0)
                out.write(b"interactions:\n")
            else:
                out.seek(-len(_VERSION_LINE), os.SEEK_END)
                out.truncate()
            out.write(chunk + _VERSION_LINE)
        self.count += 1
