"""Column names: XML elements and CSV headers (PascalCase) to the JSON names (snake_case)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..catalog.field_names import snake_case  # one naming rule: the catalog's words too

__all__ = ["NameMap", "snake_case"]


def _squash(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


class NameMap:
    """Maps XML tags and CSV headers to the names the JSON answer uses.

    A catalog property whose name matches once underscores and case are ignored wins
    (``AccountSid`` -> ``account_sid``, ``From`` -> ``from``); other names are snake-cased.
    Results are cached: a page repeats the same few tags for every record.

    Given the catalog's properties (name -> schema), it also knows which fields are arrays
    (``arrays``: a list even with one item or none) and which are objects (``objects``:
    whitespace alone inside them is layout, not a value).
    """

    def __init__(self, known: Iterable[str] | Mapping[str, Any] = ()) -> None:
        self._known = {_squash(n): n for n in known}
        self.cache: dict[str, str] = {}  # tag -> name, filled as tags are met
        props: Mapping[str, Any] = known if isinstance(known, Mapping) else {}
        self.arrays = frozenset(n for n, p in props.items() if p.get("array"))
        self.objects = frozenset(n for n, p in props.items()
                                 if p.get("type") == "object" and not p.get("array"))

    def __call__(self, tag: str) -> str:
        try:
            return self.cache[tag]
        except KeyError:
            name = self._known.get(_squash(tag)) or snake_case(tag)
            self.cache[tag] = name
            return name

    def dotted(self, header: str) -> str:
        """A CSV header that may name a nested field: ``SubresourceUris.Media`` ->
        ``subresource_uris.media``."""
        if "." not in header:
            return self(header)
        head, *rest = header.split(".")
        return ".".join([self(head), *(snake_case(part) for part in rest)])
