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
appends each interaction as it happens, the file a whole cassette after every append: a new
file is written beside it and renamed over it (``os.replace``), so a write that fails leaves
the cassette as it was; one append at a time (the recorder's lock sees to it). A cassette
that cannot be read (a YAML error, a status code that is no HTTP status) is a
``ConfigurationError`` naming its line.

Imports PyYAML (when a cassette is read or written, not on import) and nothing of
twilio_nb but the errors.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError

__all__ = ["CassetteWriter", "Interaction", "body_bytes", "first_header", "read_cassette"]

#: one request and its answer, as vcrpy keeps them (see the module docstring)
Interaction = dict[str, Any]

_VERSION_LINE = b"version: 1\n"
#: a cassette smaller than this is rewritten to a new file and renamed over the old for
#: each request; a bigger one is appended to in place (see :class:`CassetteWriter`)
REPLACE_BELOW = 1024 * 1024
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


def _line(text: bytes, steps: tuple[int | str, ...]) -> int | None:
    """The line (from 1) of the node ``steps`` leads to in the YAML ``text``: keys of
    mappings, indexes of sequences; the deepest node found."""
    yaml = _yaml()
    try:
        node = yaml.compose(text, Loader=_loader())
    except yaml.YAMLError:
        return None
    line = None
    for step in steps:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(step, int) and isinstance(node, yaml.SequenceNode):
            node = node.value[step] if step < len(node.value) else None
        elif isinstance(step, str) and isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == step), None)
        else:
            node = None
    return node.start_mark.line + 1 if node is not None else line


def _status(response: dict[str, Any]) -> tuple[int, str] | None:
    """(code, message) of a recorded answer, or None when its code is no HTTP status."""
    status = response.get("status")
    status = status if isinstance(status, dict) else {}
    code = status.get("code", 200)
    text = str(code).strip()
    if isinstance(code, bool) or not text.isdigit() or not 100 <= int(text) <= 599:
        return None
    return int(text), str(status.get("message") or "")


def _normal(item: Any, where: str, index: int, text: bytes) -> Interaction:
    """One interaction of a cassette in the current layout (vcrpy's older httpx layout,
    ``status_code`` / ``content``, moved into ``status`` / ``body``); its status code an
    int (a ConfigurationError naming the line when it is none)."""
    if not isinstance(item, dict) or not isinstance(item.get("request"), dict) \
            or not isinstance(item.get("response"), dict):
        line = _line(text, ("interactions", index))
        raise ConfigurationError(f"{where} is not a vcrpy cassette: interaction {index + 1} "
                                 f"(line {line}) lacks its request or response",
                                 field="replay")
    response = dict(item["response"])
    if "status_code" in response:  # vcrpy's httpx stub before its 5.0 layout
        response = {"status": {"code": response["status_code"], "message": ""},
                    "headers": response.get("headers") or {},
                    "body": {"string": response.get("content")}}
    status = _status(response)
    if status is None:
        code = (response.get("status") or {}).get("code") \
            if isinstance(response.get("status"), dict) else response.get("status")
        line = _line(text, ("interactions", index, "response", "status", "code")) or \
            _line(text, ("interactions", index, "response", "status_code"))
        raise ConfigurationError(
            f"{where}, line {line}: the status code {code!r} of interaction {index + 1} is "
            "no HTTP status (100 to 599); correct it, or record the session again",
            field="replay")
    response["status"] = {"code": status[0], "message": status[1]}
    return {"request": dict(item["request"]), "response": response}


def read_cassette(path: str | os.PathLike[str]) -> list[Interaction]:
    """The interactions of the cassette at ``path``, in recorded order; a cassette that is
    not one is a ConfigurationError naming the line at fault."""
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
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        at = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigurationError(f"{str(where)!r}{at} is not a YAML cassette: {problem}",
                                 field="replay") from None
    if not isinstance(data, dict) or not isinstance(data.get("interactions", []), list):
        raise ConfigurationError(f"{str(where)!r} is not a vcrpy cassette (version 1): no "
                                 "'interactions' list", field="replay")
    return [_normal(item, repr(str(where)), i, text)
            for i, item in enumerate(data.get("interactions") or [])]


class CassetteWriter:
    """Writes interactions to a new cassette at ``path`` (an existing file is replaced), one
    at a time (not thread-safe: the caller locks). The file on disk is always a whole
    cassette. Up to :data:`REPLACE_BELOW` bytes, each :meth:`append` writes a new file
    beside it (the cassette so far, copied by the kernel, then the new interaction) and
    renames it over the old one (``os.replace``): a write that fails (a full disk, a
    file-size limit, a read-only folder), or a process killed while writing, leaves the
    cassette as it was. Past that size (copying it for every request would cost the square
    of its size), the interaction is written in place of the ``version: 1`` line, in one
    write, and a write that fails is undone (the file cut back and the line put back).
    Either way a failure raises ``OSError``, the cassette unchanged."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.count = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._replace(None, _EMPTY)
        except OSError as exc:
            raise ConfigurationError(f"Cannot write the cassette {str(self.path)!r}: "
                                     f"{exc.strerror}", field="record") from None

    def append(self, interaction: Interaction) -> None:
        """Add ``interaction``; ``OSError`` (the cassette unchanged) when it cannot be."""
        chunk = dump([interaction])  # the list item as it reads under 'interactions:'
        if self.count == 0:
            self._replace(None, b"interactions:\n" + chunk + _VERSION_LINE)
        else:
            keep = self.path.stat().st_size - len(_VERSION_LINE)
            if keep < REPLACE_BELOW:
                self._replace(keep, chunk + _VERSION_LINE)
            else:
                self._in_place(keep, chunk + _VERSION_LINE)
        self.count += 1

    def _in_place(self, keep: int, tail: bytes) -> None:
        """Write ``tail`` over the cassette from byte ``keep`` (its ``version: 1`` line);
        undone when the write fails."""
        fd = os.open(self.path, os.O_WRONLY)
        try:
            os.lseek(fd, keep, os.SEEK_SET)
            try:
                _write_all(fd, tail)
            except OSError:
                os.ftruncate(fd, keep)
                os.lseek(fd, keep, os.SEEK_SET)
                _write_all(fd, _VERSION_LINE)  # the bytes it had: within any limit
                raise
        finally:
            os.close(fd)

    def _replace(self, keep: int | None, tail: bytes) -> None:
        """Write the first ``keep`` bytes of the cassette (none: nothing) and ``tail`` to a
        new file in the same folder, and rename it over the cassette."""
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}"
                                   ".tmp")
        # 0o666 less the umask, as open() gives: the cassette keeps the mode it would have
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            try:
                if keep:
                    with self.path.open("rb") as old:
                        _copy(old.fileno(), fd, keep)
                _write_all(fd, tail)
            finally:
                os.close(fd)
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise


def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data``: a write cut short (a file-size limit, a full disk) is written
    on, and the next one raises (``EFBIG``, ``ENOSPC``)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _copy(source: int, target: int, size: int) -> None:
    """The first ``size`` bytes of the file ``source`` into ``target`` (the kernel copies
    them where it can: no round trip through Python's memory)."""
    done = 0
    try:
        while done < size:
            sent = os.copy_file_range(source, target, size - done)
            if not sent:
                break
            done += sent
    except (AttributeError, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno not in (errno.EXDEV, errno.ENOSYS,
                                                          errno.EINVAL, errno.EOPNOTSUPP):
            raise
    if done < size:
        os.lseek(source, done, os.SEEK_SET)
        os.lseek(target, done, os.SEEK_SET)
        while done < size:
            chunk = os.read(source, min(1 << 20, size - done))
            if not chunk:
                raise OSError(errno.EIO, "the cassette changed while it was written")
            _write_all(target, chunk)
            done += len(chunk)
