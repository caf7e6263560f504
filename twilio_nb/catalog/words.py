"""Twilio's own words for operations, parameters and answer fields, read at run time.

The project never carries Twilio's description sentences: they are read from Twilio's
published OpenAPI files (twilio-oai) pinned to the release the catalog was built from
(``operations.json``'s ``twilio_oai``), one product's file when it is first needed:

1. ``$TWILIO_NB_OPENAPI`` naming a folder: ``twilio_<product>_<version>.json`` read from it;
2. ``$TWILIO_NB_OPENAPI`` naming a base URL (``http://`` or ``https://``): the file downloaded
   from ``<url>/twilio_<product>_<version>.json``;
3. otherwise the file downloaded from twilio-oai's public repository at the pinned commit,
   ``https://raw.githubusercontent.com/twilio/twilio-oai/<commit>/spec/json/<file>``.

Downloads show a progress bar (tqdm) and are kept in the user's cache folder
(``platformdirs.user_cache_dir("twilio_nb")/twilio-oai/<commit>/``; ``$XDG_CACHE_HOME`` moves it
on Linux), so a later run needs no network. Without the files (offline, nothing cached) every
lookup still works with names, types and flags: the words are empty and one
:class:`TwilioWarning` (the :func:`note`) says how to get them; never an exception.

Markdown links in the words (``[text](url)``) read as ``text (url)`` in text
(:func:`plain`) and as links in HTML (:func:`as_html`).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from ..errors import warn
from .data import oai_release
from .field_names import snake_case

__all__ = ["ENV", "OperationLike", "OperationWords", "as_html", "explain", "forget", "note",
           "plain", "source", "words_for"]

ENV = "TWILIO_NB_OPENAPI"
RAW = "https://raw.githubusercontent.com/twilio/twilio-oai/{ref}/spec/json/"
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_noted: list[str] = []  # the note, once it has been given (one per process)
_unreachable: set[str] = set()  # base URLs no connection could be made to (offline)


class OperationLike(Protocol):
    """What the words are looked up by: a catalog :class:`~twilio_nb.catalog.Operation`."""

    @property
    def entity(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def spec(self) -> str: ...
    @property
    def host(self) -> str: ...
    @property
    def resource(self) -> str | None: ...
    @property
    def params(self) -> tuple[Any, ...]: ...
    @property
    def response_properties(self) -> Mapping[str, Mapping[str, Any]]: ...


@dataclass(frozen=True)
class OperationWords:
    """An operation's words: its summary and description, each parameter's and each answer
    field's (dotted names for nested fields). Empty when the words could not be read."""

    summary: str = ""
    description: str = ""
    params: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    available: bool = False


def plain(text: str) -> str:
    """The words as text: ``[Messaging Service](https://...)`` -> ``Messaging Service
    (https://...)``; whitespace runs become one space."""
    return " ".join(_LINK.sub(r"\1 (\2)", text).split())


def as_html(text: str) -> str:
    """The words as HTML (escaped), their Markdown links as ``<a>`` links."""
    out, last = [], 0
    for m in _LINK.finditer(text):
        out.append(html.escape(text[last:m.start()]))
        out.append(f'<a href="{html.escape(m.group(2))}" target="_blank">'
                   f"{html.escape(m.group(1))}</a>")
        last = m.end()
    out.append(html.escape(text[last:]))
    return " ".join("".join(out).split())


def source() -> str:
    """Where the words come from now: a folder, or the base URL files are downloaded from."""
    env = os.environ.get(ENV, "").strip()
    if env:
        return env
    info = oai_release()
    return RAW.format(ref=info.get("commit") or info.get("release") or "main")


def cache_dir(base_url: str) -> Path:
    """The cache folder of files downloaded from ``base_url``: named by the pinned commit for
    twilio-oai's own files, by a digest of the URL for any other."""
    from platformdirs import user_cache_dir  # deferred: only a lookup of words needs it

    info = oai_release()
    pinned = RAW.format(ref=info.get("commit") or info.get("release") or "main")
    ref = (info.get("commit") or info.get("release") or "main") if base_url == pinned else \
        "url-" + hashlib.sha256(base_url.encode()).hexdigest()[:16]
    return Path(user_cache_dir("twilio_nb")) / "twilio-oai" / ref


def note() -> str:
    """How to get Twilio's words when they could not be read."""
    info = oai_release()
    pinned = info.get("release", "?")
    return (f"Twilio's descriptions are not available here (they are read from twilio-oai "
            f"{pinned}, not shipped with twilio_nb): names, types and flags are shown without "
            f"them. Connect to the internet once (the files are then cached), or set "
            f"{ENV} to a folder of twilio-oai spec/json files or to a URL serving them.")


def _give_note() -> None:
    if not _noted:
        _noted.append(note())
        warn(_noted[0])


def forget() -> None:
    """Forget the files read in this process (and the note given): the next lookup reads
    them again (for tests, and after changing ``$TWILIO_NB_OPENAPI``)."""
    _spec_doc.cache_clear()
    _noted.clear()
    _unreachable.clear()


def _download(url: str, target: Path) -> None:
    """``url`` into ``target`` (atomically), with a progress bar."""
    import httpx  # deferred: as above
    from tqdm.auto import tqdm

    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    with httpx.stream("GET", url, timeout=httpx.Timeout(60.0, connect=5.0),
                      follow_redirects=True) as resp:
        resp.raise_for_status()
        total = int(resp.headers.get("content-length") or 0) or None
        with part.open("wb") as out, tqdm(total=total, unit="B", unit_scale=True,
                                          desc=f"twilio-oai {target.name}", leave=False) as bar:
            for chunk in resp.iter_bytes():
                out.write(chunk)
                bar.update(len(chunk))
    json.loads(part.read_bytes())  # a broken download is not cached
    os.replace(part, target)


@cache
def _spec_doc(stem: str, where: str) -> dict[str, Any] | None:
    """The spec ``twilio_<stem>.json`` from ``where`` (a folder or a base URL), or None."""
    name = f"twilio_{stem}.json"
    try:
        if not where.startswith(("http://", "https://")):
            path = Path(where).expanduser() / name
        else:
            base = where if where.endswith("/") else where + "/"
            path = cache_dir(base) / name
            if not path.exists():
                if base in _unreachable:  # offline: one wait for the first file, not each
                    return None
                _download(base + name, path)
        doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return doc
    except Exception as exc:  # offline, missing, unreadable: the words are simply not there
        if _cannot_connect(exc):
            _unreachable.add(where if where.endswith("/") else where + "/")
        return None


def _cannot_connect(exc: Exception) -> bool:
    """No connection could be made (offline): no other file of that source is tried in this
    process, so an offline session waits once, not once per product."""
    import httpx  # deferred: as in _download

    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)


def _resolve(doc: dict[str, Any], obj: Any) -> Any:
    for _ in range(20):
        if not (isinstance(obj, dict) and "$ref" in obj):
            return obj
        node: Any = doc
        for part in obj["$ref"].removeprefix("#/").split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        obj = node
    return obj


def _text(doc: dict[str, Any], *nodes: Any) -> str:
    """The first description among ``nodes`` (each as written, then resolved)."""
    for node in nodes:
        for obj in (node, _resolve(doc, node)):
            if isinstance(obj, dict) and isinstance(obj.get("description"), str):
                text = str(obj["description"]).strip()
                if text:
                    return text
    return ""


def _param_words(doc: dict[str, Any], op_doc: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw in op_doc.get("parameters", []):
        prm = _resolve(doc, raw)
        if isinstance(prm, dict) and "name" in prm:
            out[prm["name"]] = _text(doc, prm, prm.get("schema", {}))
    body = _resolve(doc, op_doc.get("requestBody")) or {}
    for content in (body.get("content") or {}).values():
        schema = _resolve(doc, content.get("schema", {})) or {}
        for name, prop in (schema.get("properties") or {}).items():
            out[name] = _text(doc, prop)
    return out


def _field_words(doc: dict[str, Any], schema: Any, prefix: str = "",
                 depth: int = 0) -> dict[str, str]:
    out: dict[str, str] = {}
    schema = _resolve(doc, schema) or {}
    for name, prop in (schema.get("properties") or {}).items():
        key = prefix + (snake_case(name) if prefix else name)
        out[key] = _text(doc, prop)
        inner = _resolve(doc, prop) or {}
        if depth < 3 and inner.get("properties"):
            out.update(_field_words(doc, inner, key + ".", depth + 1))
    return out


def words_for(op: OperationLike) -> OperationWords:
    """``op``'s words, read from its product's twilio-oai file (see the module's doc);
    empty (and the note given once) when the file cannot be had."""
    doc = _spec_doc(op.spec, source())
    if doc is None:
        _give_note()
        return OperationWords()
    op_doc = (doc.get("paths", {}).get(op.path) or {}).get(op.method.lower()) or {}
    schemas = doc.get("components", {}).get("schemas", {})
    fields = _field_words(doc, schemas.get(op.resource or "", {})) if op.resource else {}
    return OperationWords(summary=str(op_doc.get("summary") or "").strip(),
                          description=str(op_doc.get("description") or "").strip(),
                          params=_param_words(doc, op_doc), fields=fields, available=True)


def explain(op: OperationLike) -> str:
    """``op`` explained in text: its label, Twilio's summary and description, then each
    parameter (where it goes, required, type, allowed values, deprecated) with its words."""
    words = words_for(op)
    lines = [f"{op.entity}: {op.label}", f"{op.method} {op.path} ({op.host})"]
    for text in (words.summary, words.description):
        if text and plain(text) not in lines:
            lines.append(plain(text))
    lines.append("")
    lines.append("Parameters:" if op.params else "No parameters.")
    for p in op.params:
        facts = [p.location, "required" if p.required else "optional",
                 p.type + ("[]" if p.array else "")]
        if p.enum:
            facts.append("one of " + ", ".join(p.enum))
        if p.deprecated:
            facts.append("DEPRECATED")
        lines.append(f"  {p.name} ({'; '.join(facts)})")
        said = plain(words.params.get(p.name, ""))
        if said:
            lines.append(f"      {said}")
    if not words.available:
        lines += ["", note()]
    return "\n".join(lines)
