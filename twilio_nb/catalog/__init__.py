"""Every Twilio operation, by entity and label.

The data (``operations.json`` beside this file) is generated from Twilio's OpenAPI specs by
``scripts/build_catalog.py``; this module only loads and looks it up. Loading happens on the
first lookup, not at import.

Names: an *entity* is a singular resource name (``Message``, ``Call``, ``Participant``); an
operation's *label* reads like the SAP adapter's, verb + resource + path, e.g.
``Send Message (/Accounts/:AccountSid/Messages)``. Product APIs show their product before the
path: ``Send Service Notification (notify: /v1/Services/:ServiceSid/Notifications)``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..errors import ConfigurationError
from .data import DATA  # noqa: F401  (DATA: where the data file is)
from .data import catalog_data as _data

__all__ = [
    "Operation",
    "Param",
    "by_id",
    "describe",
    "entities",
    "fields",
    "find",
    "find_entity",
    "operations",
    "resource_properties",
]

VERBS = ("list", "get", "create", "send", "update", "delete", "replace", "patch")


@dataclass(frozen=True)
class Param:
    """One parameter of an operation: where it goes and what it may hold."""

    name: str
    location: str  # "path" | "query" | "body" | "header"
    type: str = "string"  # string | integer | number | boolean | object
    required: bool = False
    array: bool = False
    format: str | None = None
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    deprecated: bool = False  # the spec says deprecated, or its words begin [OBSOLETE]

    @classmethod
    def from_data(cls, d: dict[str, Any]) -> Param:
        enum = d.get("enum")
        return cls(name=d["name"], location=d["in"], type=d.get("type", "string"),
                   required=bool(d.get("required")), array=bool(d.get("array")),
                   format=d.get("format"), enum=tuple(str(e) for e in enum) if enum else None,
                   pattern=d.get("pattern"), minimum=d.get("minimum"), maximum=d.get("maximum"),
                   deprecated=bool(d.get("deprecated")))


@dataclass(frozen=True)
class Operation:
    """One operation of Twilio's REST API, as the catalog knows it."""

    id: str  # "<spec>.<operationId>", unique across the catalog
    entity: str
    label: str
    operation_id: str
    method: str
    path: str  # the spec's path: /2010-04-01/Accounts/{AccountSid}/Messages.json
    product: str  # the host's first label: api, conversations, notify, flex-api, ...
    version: str
    spec: str
    host: str
    kind: str  # list | fetch | create | update | delete
    path_type: str | None = field(repr=False)  # the spec's x-twilio.pathType: list | instance
    params: tuple[Param, ...] = field(repr=False)
    body_type: str | None = field(repr=False)
    list_key: str | None = field(repr=False)
    resource: str | None = field(repr=False)
    default_output: tuple[str, ...] = field(repr=False)

    @property
    def is_v2010(self) -> bool:
        """The 2010-04-01 API: answers JSON, XML and CSV; paths end in ``.json``."""
        return self.path.startswith("/2010-04-01/")

    @property
    def name(self) -> str:
        """The label without the path: ``Send Message``."""
        return self.label.split(" (", 1)[0]

    @property
    def display_path(self) -> str:
        """The path as the label shows it: ``/Accounts/:AccountSid/Messages``."""
        return self.label.split(" (", 1)[1][:-1].split(": ", 1)[-1]

    def params_in(self, location: str) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.location == location)

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None

    @property
    def response_properties(self) -> dict[str, dict[str, Any]]:
        """Name -> {type, format, enum, nullable} of the resource's properties (may be empty)."""
        return resource_properties(self.resource)

    @property
    def sid_prefix(self) -> str | None:
        prefix = _data()["resources"].get(self.resource or "", {}).get("sid_prefix")
        return str(prefix) if prefix else None

    def __str__(self) -> str:
        return f"{self.entity}: {self.label}"


@cache
def _operations() -> tuple[Operation, ...]:
    ops = []
    for d in _data()["operations"]:
        ops.append(Operation(
            id=d["id"], entity=d["entity"], label=d["label"], operation_id=d["operation_id"],
            method=d["method"], path=d["path"], product=d["product"], version=d["version"],
            spec=d["spec"], host=d["host"], kind=d["kind"], path_type=d["path_type"],
            params=tuple(Param.from_data(p) for p in d["params"]), body_type=d["body_type"],
            list_key=d["list_key"], resource=d["resource"],
            default_output=tuple(d["default_output"])))
    return tuple(ops)


@cache
def _by_entity() -> dict[str, tuple[Operation, ...]]:
    out: dict[str, list[Operation]] = {}
    for op in _operations():
        out.setdefault(op.entity, []).append(op)
    return {k: tuple(v) for k, v in out.items()}


def resource_properties(resource: str | None) -> dict[str, dict[str, Any]]:
    if not resource:
        return {}
    props: dict[str, dict[str, Any]] = _data()["resources"].get(resource, {}).get("properties", {})
    return props


def describe(entity: str, operation: str) -> Any:
    """A DataFrame with one row per parameter of the operation: name, in, required, type,
    format, enum, pattern, Twilio's words for it (``description``) and ``deprecated``.

    The words are read at run time from Twilio's OpenAPI files (see :mod:`.words`); without
    them the rows still come, with empty descriptions and one note."""
    from .explain import params_frame  # deferred: pandas is not needed to look up

    return params_frame(find(entity, operation))


def fields(entity: str, operation: str) -> Any:
    """A DataFrame with one row per field of the operation's answer, named as ``r.df`` names
    its columns (nested fields dotted): name, type, description, enum, deprecated."""
    from .explain import fields_frame  # deferred: as above

    return fields_frame(find(entity, operation))


def entities() -> list[str]:
    """Every entity name, sorted."""
    return sorted(_by_entity())


def operations(entity: str | None = None) -> list[Operation]:
    """The operations of one entity (any case), or of all entities."""
    if entity is None:
        return list(_operations())
    return list(_by_entity()[find_entity(entity)])


def by_id(op_id: str) -> Operation:
    """An operation by its catalog id, ``api_v2010.CreateMessage``."""
    for op in _operations():
        if op.id == op_id:
            return op
    raise ConfigurationError(f"no operation with id {op_id!r} in the catalog", field="Operation")


def _norm(text: str) -> str:
    return re.sub(r"[\s_{}]+", " ", text.strip().lower().replace("{", ":")).strip()


def find_entity(name: str) -> str:
    """The entity named ``name`` (any case; a plural is accepted), or a ConfigurationError
    that lists the closest names."""
    by_lower = {e.lower(): e for e in _by_entity()}
    key = name.strip().lower().replace(" ", "")
    for candidate in (key, key[:-1] if key.endswith("s") else key,
                      key[:-3] + "y" if key.endswith("ies") else key):
        if candidate in by_lower:
            return by_lower[candidate]
    close = difflib.get_close_matches(key, list(by_lower), n=5, cutoff=0.6)
    hint = ", ".join(by_lower[c] for c in close) if close else "see tw.catalog.entities()"
    raise ConfigurationError(
        f"Unknown entity {name!r}. Closest: {hint}. Entities are singular resource names "
        "such as Message, Call, Recording, Participant.", field="Entity")


def find(entity: str, operation: str) -> Operation:
    """An operation by entity and label (with or without the path), operationId, catalog id,
    or verb (``send``, ``list``, ``get``, ...), in any case.

    Raises ConfigurationError for an unknown or ambiguous name, listing the closest labels.
    """
    ent = find_entity(entity)
    ops = _by_entity()[ent]
    want = _norm(operation)
    if not want:
        raise ConfigurationError(f"Give an operation of {ent}, e.g. {ops[0].label!r}.",
                                 field="Operation")
    raw = operation.strip().lower()
    exact = [o for o in ops if _norm(o.label) == want or o.id.lower() == raw]
    if exact:
        return exact[0]
    matches = [o for o in ops if _norm(o.name) == want or o.operation_id.lower() == raw]
    if not matches and want in VERBS:
        matches = [o for o in ops if o.name.lower().split()[0] == want]
        if not matches and want == "create":  # Message.create: the create is "Send Message"
            matches = [o for o in ops if o.kind == "create"]
    matches = _best(matches)
    if len(matches) == 1:
        return matches[0]
    labels = [o.label for o in ops]
    if matches:
        listed = "\n  ".join(o.label for o in matches)
        raise ConfigurationError(
            f"{operation!r} names {len(matches)} operations of {ent}; give the label with its "
            f"path:\n  {listed}", field="Operation")
    close = difflib.get_close_matches(operation, labels, n=5, cutoff=0.3)
    if not close:
        close = difflib.get_close_matches(want, [_norm(o.name) for o in ops], n=5, cutoff=0.3)
        close = [o.label for o in ops if _norm(o.name) in close][:5]
    listed = "\n  ".join(close or labels[:8])
    raise ConfigurationError(
        f"Unknown operation {operation!r} for entity {ent}. Closest:\n  {listed}",
        field="Operation")


def _rank(o: Operation) -> tuple[int, int, int]:
    return (0 if o.is_v2010 else 1, len(o.name.split()), len(o.path))


def _best(cands: list[Operation]) -> list[Operation]:
    """Of several candidates, the one that ranks first (the 2010 API, then the fewest words
    in the name, then the shortest path), or all that tie for first."""
    if len(cands) <= 1:
        return cands
    cands = sorted(cands, key=_rank)
    return [o for o in cands if _rank(o) == _rank(cands[0])]
