"""Where a request goes: the response format suffix, Twilio hosts (region and edge), the Address,
path templates and the catalog operation a URL belongs to. Pure functions, no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote, urlsplit

import httpx

from .. import catalog
from ..catalog import Operation
from ..errors import ConfigurationError
from ..vocabulary import FORMATS

__all__ = [
    "DEFAULT_ADDRESS",
    "Address",
    "fill_path",
    "is_twilio_address",
    "is_twilio_host",
    "match_operation",
    "may_carry_credentials",
    "parse_address",
    "split_suffix",
    "twilio_host",
]

#: Twilio's REST API: the Address a connection (and a request built alone) uses by default.
DEFAULT_ADDRESS = "https://api.twilio.com"

_SUFFIX = re.compile(rf"\.({'|'.join(FORMATS)})$", re.IGNORECASE)
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
# Characters kept as they are in a path segment; everything else (/ ? # % space ...) is
# percent-encoded so that a value can never change the path.
_PATH_SAFE = "+:@,;=!$'()*~"


def _label(value: str | None, what: str) -> str | None:
    if value is None or not str(value).strip():
        return None
    text = str(value).strip().lower()
    if not _LABEL.match(text):
        raise ConfigurationError(
            f"{what} {value!r} is not a Twilio {what.lower()} name (e.g. region au1, edge "
            "sydney).", field=what)
    return text


def twilio_host(host: str, region: str | None = None, edge: str | None = None) -> str:
    """A Twilio host with region and edge, the way twilio-python builds it.

    ``api.twilio.com`` + edge ``sydney`` + region ``au1`` -> ``api.sydney.au1.twilio.com``;
    a region alone -> ``api.au1.twilio.com``; an edge alone implies region ``us1``. A region
    or edge already in ``host`` is kept unless replaced.
    """
    host = host.strip().lower()
    region, edge = _label(region, "Region"), _label(edge, "Edge")
    if not region and not edge:
        return host
    pieces = host.split(".")
    cur_region, cur_edge = region_edge_of(host)
    edge = edge or cur_edge
    region = region or cur_region or ("us1" if edge else None)
    return ".".join(p for p in (pieces[0], edge, region, ".".join(pieces[-2:])) if p)


def region_edge_of(host: str) -> tuple[str | None, str | None]:
    """(region, edge) named in a Twilio host: ``product.region.twilio.com`` or
    ``product.edge.region.twilio.com``."""
    pieces = host.lower().split(".")
    if len(pieces) == 4:
        return pieces[1], None
    if len(pieces) == 5:
        return pieces[2], pieces[1]
    return None, None


def is_twilio_host(host: str) -> bool:
    """True for ``twilio.com`` and ``<anything>.twilio.com`` (any case)."""
    host = host.lower()
    return host == "twilio.com" or host.endswith(".twilio.com")


def is_twilio_address(address: str) -> bool:
    """True for ``https://twilio.com`` and ``https://<anything>.twilio.com``."""
    try:
        parts = urlsplit(address.strip())
        host = parts.hostname or ""
    except ValueError:
        return False
    return parts.scheme.lower() == "https" and is_twilio_host(host)


@dataclass(frozen=True)
class Address:
    """The Connection tab's Address, checked: ``scheme://netloc`` and a path prefix (kept
    for a non-Twilio address, e.g. a sandbox behind a proxy path)."""

    scheme: str
    netloc: str
    prefix: str
    is_twilio: bool

    @property
    def host(self) -> str:
        return self.netloc.split(":", 1)[0].lower()

    def base(self, product_host: str | None = None, region: str | None = None,
             edge: str | None = None) -> str:
        """The base URL for a request: for a Twilio address the product's host (or the
        address's own) with region/edge; any other address serves every product."""
        if not self.is_twilio:
            return f"{self.scheme}://{self.netloc}{self.prefix}"
        cur_region, cur_edge = region_edge_of(self.host)
        host = twilio_host(product_host or self.host, region or cur_region, edge or cur_edge)
        return f"https://{host}"


def parse_address(address: str) -> Address:
    """Check the Address: ``http(s)://host[:port][/prefix]``, no credentials, query or
    fragment. Raises ConfigurationError(field="Address")."""
    text = (address or "").strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            f"Address {text!r} is not an http(s) URL; use https://api.twilio.com or a local "
            "sandbox such as http://127.0.0.1:4010.", field="Address")
    if parts.username is not None or parts.password is not None:
        raise ConfigurationError(
            "The Address must not carry a user or password; give credentials by Credential "
            "Name instead.", field="Address")
    if parts.query or parts.fragment:
        raise ConfigurationError(
            "The Address is a base URL without ?query or #fragment, e.g. https://api.twilio.com.",
            field="Address")
    twilio = is_twilio_address(text)
    prefix = parts.path.rstrip("/")
    if twilio and prefix:
        raise ConfigurationError(
            f"Address {text!r}: for Twilio give the host only (https://api.twilio.com); the path "
            "comes from the operation or the Relative URL.", field="Address")
    netloc = parts.netloc.split("@")[-1]
    return Address(parts.scheme.lower(), netloc, prefix, twilio)


def split_suffix(path: str) -> tuple[str, str | None]:
    """``("/2010-04-01/.../Messages", "json")`` from ``.../Messages.json``; the format is
    None when the path has no .json/.xml/.csv suffix."""
    m = _SUFFIX.search(path)
    if not m:
        return path, None
    return path[:m.start()], m.group(1).lower()


def quote_segment(value: str, name: str) -> str:
    """One path parameter's value, percent-encoded so that it stays one segment."""
    text = str(value)
    if text.strip() in ("", ".", ".."):
        raise ConfigurationError(
            f"{name} must be a value such as a SID, not {text!r}.", field=name)
    return quote(text, safe=_PATH_SAFE)


def fill_path(operation: Operation, values: dict[str, str], fmt: str) -> str:
    """The operation's spec path with ``{Name}`` filled; a 2010 path takes the suffix of
    the response format (``.json``, ``.xml``, ``.csv``)."""
    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in values:
            raise ConfigurationError(
                f"{name} is required by {operation.name}: give it as an operation parameter.",
                field=name)
        return quote_segment(values[name], name)

    path = re.sub(r"\{([^}/]+)\}", repl, operation.path)
    if operation.is_v2010:
        path = split_suffix(path)[0] + "." + fmt
    return path


@dataclass(frozen=True)
class _Template:
    op: Operation
    regex: re.Pattern[str]
    names: tuple[str, ...]
    literals: int


@cache
def _templates() -> dict[int, tuple[_Template, ...]]:
    """Every operation's path as a regex, by segment count."""
    out: dict[int, list[_Template]] = {}
    for op in catalog.operations():
        path = split_suffix(op.path)[0] if op.is_v2010 else op.path
        segs = path.strip("/").split("/")
        names: list[str] = []
        parts: list[str] = []
        for seg in segs:
            m = re.fullmatch(r"\{([^}]+)\}", seg)
            if m:
                names.append(m.group(1))
                parts.append("([^/]+)")
            else:
                parts.append(re.escape(seg))
        regex = re.compile("/" + "/".join(parts), re.IGNORECASE)
        out.setdefault(len(segs), []).append(
            _Template(op, regex, tuple(names), len(segs) - len(names)))
    return {k: tuple(v) for k, v in out.items()}


def match_operation(method: str, path: str, prefer_host: str | None = None
                    ) -> tuple[Operation | None, dict[str, str], list[str]]:
    """The catalog operation a URL path (``/2010-04-01/Accounts/AC.../Messages.json`` or
    without suffix, ``/v1/Conversations/CH...``) and method belong to.

    Returns ``(operation, path values, warnings)``; the operation is None when no template
    matches or several do (then ``prefer_host``, the Address's host, decides if it can).
    """
    stem = split_suffix(path)[0] if path.startswith("/2010-04-01/") else path
    segs = stem.strip("/").split("/")
    found: list[tuple[_Template, tuple[str, ...]]] = []
    for t in _templates().get(len(segs), ()):
        m = t.regex.fullmatch(stem)
        if m:
            found.append((t, m.groups()))
    if not found:
        return None, {}, []
    hits = [(t, g) for t, g in found if t.op.method == method]
    if not hits:
        methods = ", ".join(sorted({t.op.method for t, _ in found}))
        return None, {}, [f"No operation at {path} takes {method}; the catalog has {methods} "
                          "there. The request is sent as written."]
    fits = [(t, g) for t, g in hits if all(
        not p.pattern or re.fullmatch(p.pattern, v)
        for p, v in ((t.op.param(n), v) for n, v in zip(t.names, g, strict=True)) if p)]
    hits = fits or hits
    best = max(t.literals for t, _ in hits)
    hits = [(t, g) for t, g in hits if t.literals == best]
    if len(hits) > 1 and prefer_host:
        hits = [(t, g) for t, g in hits if t.op.host == prefer_host] or hits
    if len(hits) > 1:
        hosts = ", ".join(sorted({t.op.host for t, _ in hits}))
        return None, {}, [f"{path} is a path of several products ({hosts}); set the Address to "
                          "the product's host (e.g. https://" + hits[0][0].op.host + ") to pick "
                          "one. The request goes to the Address as it is."]
    t, groups = hits[0]
    return t.op, dict(zip(t.names, groups, strict=True)), []


def may_carry_credentials(address: str, url: httpx.URL) -> bool:
    """May a connection whose Address is ``address`` send its credentials to ``url``? Only
    to the Address itself, and to Twilio's hosts (over HTTPS) when the Address is a Twilio
    one."""
    own = httpx.URL(address)
    if (url.scheme, url.host, url.port) == (own.scheme, own.host, own.port):
        return True
    return bool(is_twilio_address(address) and url.scheme == "https"
                and is_twilio_host(url.host) and url.port in (None, 443))
