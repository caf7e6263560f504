"""Routing a request path to a catalog operation.

Every catalog operation's path becomes a template of segments (``{Name}`` for a parameter,
the ``.json`` of 2010 paths dropped); a trie over the segments finds the templates a path
fits, literal segments first (``/IncomingPhoneNumbers/Local`` before
``/IncomingPhoneNumbers/{Sid}``).
On 2010 paths the last segment may end in ``.json``, ``.xml``, ``.csv`` (or nothing, which
means XML) and, for recordings, ``.wav`` / ``.mp3``.

The Host header is otherwise ignored, and product APIs share paths (``/v1/Services`` is in
chat, conversations, messaging, notify, proxy, serverless, sync, ...). The tie-break:

1. a Host header naming a Twilio product host (``notify.twilio.com``,
   ``conversations.twilio.com``, regional ``api.dublin.ie1.twilio.com``: its first label)
   picks that product's operation;
2. otherwise (another host, or a product without that path) products are tried in
   :data:`PRODUCT_PRIORITY` order (notify and conversations first, as the SAP adapter names
   them), then alphabetically. For instance paths the app
   prefers the first product that holds the SID, so ``GET /v1/Services/IS...`` finds a
   Conversations service even without the Host header.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import unquote

from ..catalog import Operation
from .names import snake

__all__ = ["PRODUCT_PRIORITY", "V2010", "Resolution", "Route", "Router", "host_product"]

V2010 = "2010-04-01"
EXTENSIONS = ("json", "xml", "csv", "wav", "mp3")
PRODUCT_PRIORITY = ("api", "notify", "conversations", "messaging", "verify", "chat", "sync",
                    "proxy", "serverless", "studio", "taskrouter", "video", "voice", "numbers",
                    "lookups", "trusthub", "insights", "flex-api", "ip-messaging", "supersim",
                    "wireless")


@dataclass(frozen=True, eq=False)
class Route:
    """One operation's path as a template of segments."""

    op: Operation
    template: tuple[str, ...]

    @cached_property
    def shape(self) -> str:
        """The template with every parameter as ``*``: ``/2010-04-01/Accounts/*/Messages/*``."""
        return "/" + "/".join("*" if s.startswith("{") else s for s in self.template)

    @property
    def key_param(self) -> str | None:
        """The parameter naming the instance (last segment), or None for a list or singleton."""
        last = self.template[-1]
        return last[1:-1] if last.startswith("{") else None

    @property
    def product(self) -> str:
        return self.op.product

    def bind(self, segments: tuple[str, ...]) -> dict[str, str]:
        return {t[1:-1]: s for t, s in zip(self.template, segments, strict=True)
                if t.startswith("{")}


@dataclass
class Resolution:
    """What a path resolved to: candidate routes for the method (best first)."""

    segments: tuple[str, ...]
    ext: str  # "", "json", "xml", "csv", "wav", "mp3"
    path: str = ""  # as requested, for error messages
    routes: list[Route] = field(default_factory=list)
    path_known: bool = False  # some operation has this path (another method, maybe)

    @property
    def is_v2010(self) -> bool:
        return bool(self.segments) and self.segments[0] == V2010


class _Node:
    __slots__ = ("lit", "param", "routes")

    def __init__(self) -> None:
        self.lit: dict[str, _Node] = {}
        self.param: _Node | None = None
        self.routes: dict[str, list[Route]] = {}


def host_product(host: str | None) -> str | None:
    """``notify.twilio.com`` -> ``notify``; None for a host that is not Twilio's."""
    if not host:
        return None
    name = host.split(":", 1)[0].lower().rstrip(".")
    if name.endswith(".twilio.com"):
        return name.split(".", 1)[0]
    return None


def _priority(product: str) -> tuple[int, str]:
    try:
        return (PRODUCT_PRIORITY.index(product), product)
    except ValueError:
        return (len(PRODUCT_PRIORITY), product)


def split_path(path: str) -> tuple[tuple[str, ...], str]:
    """(segments, extension) of a request path; the extension only on 2010 paths."""
    segs = [unquote(s) for s in path.strip("/").split("/") if s]
    ext = ""
    if segs and segs[0] == V2010:
        base, dot, suffix = segs[-1].rpartition(".")
        if dot and suffix.lower() in EXTENSIONS and base:
            segs[-1], ext = base, suffix.lower()
    return tuple(segs), ext


class Router:
    """Routes for every operation of the catalog, and what the app needs to know about them."""

    def __init__(self, operations: list[Operation]) -> None:
        self._root = _Node()
        self.routes: list[Route] = []
        for op in operations:
            template, _ = split_path(op.path)
            route = Route(op, template)
            self.routes.append(route)
            node = self._root
            for seg in template:
                if seg.startswith("{"):
                    node.param = node.param or _Node()
                    node = node.param
                else:
                    node = node.lit.setdefault(seg, _Node())
            node.routes.setdefault(op.method, []).append(route)
        self._by_shape: dict[tuple[str, str], list[Route]] = {}
        for route in self.routes:
            self._by_shape.setdefault((route.product, route.shape), []).append(route)

    def _terminals(self, segs: tuple[str, ...]) -> list[_Node]:
        out: list[_Node] = []

        def walk(node: _Node, i: int) -> None:
            if i == len(segs):
                if node.routes:
                    out.append(node)
                return
            child = node.lit.get(segs[i])
            if child is not None:
                walk(child, i + 1)
            if node.param is not None:
                walk(node.param, i + 1)

        walk(self._root, 0)
        return out

    def resolve(self, method: str, path: str, host: str | None = None) -> Resolution:
        segs, ext = split_path(path)
        res = Resolution(segments=segs, ext=ext, path=path)
        wanted = host_product(host)
        for node in self._terminals(segs):
            res.path_known = True
            routes = node.routes.get(method) or []
            if routes:
                mine = [r for r in routes if r.product == wanted]
                res.routes = mine or sorted(routes, key=lambda r: _priority(r.product))
                return res
        return res

    # -- what the app needs to know about a collection or an instance --

    def related(self, route: Route, kind: str) -> Route | None:
        """The route of operation ``kind`` on the same shape and product (e.g. the list route
        beside a create route, the fetch route beside a delete route)."""
        for r in self._by_shape.get((route.product, route.shape), []):
            if r.op.kind == kind:
                return r
        return None

    def key_prop(self, product: str, list_shape: str) -> str:
        """The property naming the instances of a collection: ``sid``, ``call_sid`` (conference
        participants), ``country_code`` (available-number countries), ..."""
        for r in self._by_shape.get((product, list_shape + "/*"), []):
            if r.key_param:
                return snake(r.key_param)
        return "sid"

    def resource_of(self, product: str, shape: str) -> str | None:
        """The catalog resource describing the instances at ``shape`` (a list or instance shape)."""
        for suffix in ("", "/*"):
            for r in self._by_shape.get((product, shape + suffix), []):
                if r.op.resource:
                    return r.op.resource
        return None

    @cached_property
    def _children(self) -> dict[tuple[str, str], tuple[str, ...]]:
        out: dict[tuple[str, str], list[str]] = {}
        for r in self.routes:
            last = r.template[-1]
            if last.startswith("{") or len(r.template) < 2:
                continue
            parent = r.shape.rsplit("/", 1)[0]
            if not parent.endswith("*"):
                continue
            names = out.setdefault((r.product, parent), [])
            if last not in names:
                names.append(last)
        return {k: tuple(sorted(v)) for k, v in out.items()}

    def children(self, product: str, instance_shape: str) -> tuple[str, ...]:
        """Literal sub-paths below an instance (``Media``, ``Feedback`` below a message): the
        entries of ``subresource_uris`` (2010) or ``links`` (product APIs)."""
        return self._children.get((product, instance_shape), ())
