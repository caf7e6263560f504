"""Entity and Operation, as the adapter's Basic configuration shows them, plus a search over
every operation of every entity.

* **Entity**: a dropdown of the catalog's entities.
* **Operation**: a combobox (type to filter) over the entity's operation labels, e.g.
  ``Send Message (/Accounts/:AccountSid/Messages)``. A name without the path (``Send Message``)
  or a verb (``send``) is accepted too: the catalog resolves it.
* **Search all operations**: type words (``list calls``); the matches of all entities are
  offered as ``Entity: label``; picking one sets Entity and Operation.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import ipywidgets as widgets

from .. import catalog
from ..catalog import Operation
from ..catalog.words import as_html, words_for
from ..errors import ConfigurationError
from ._common import field

__all__ = ["OperationPicker", "search_operations", "summary_html"]

DEFAULT_ENTITY = "Message"
DEFAULT_OPERATION = "Send Message (/Accounts/:AccountSid/Messages)"
MAX_MATCHES = 40


@cache
def _index() -> dict[str, Operation]:
    return {str(op): op for op in catalog.operations()}


def search_operations(text: str, limit: int = MAX_MATCHES) -> list[str]:
    """``Entity: label`` of the operations whose text holds every word of ``text``."""
    words = text.lower().split()
    if not words:
        return []
    hits = [key for key in _index() if all(w in key.lower() for w in words)]
    hits.sort(key=lambda k: (not _index()[k].is_v2010, len(k)))
    return hits[:limit]


def summary_html(op: Operation | None) -> str:
    """The operation's summary (Twilio's words, read at run time), or nothing."""
    if op is None:
        return ""
    text = words_for(op).summary
    return (f"<div style='font-size:12px;color:#444'>{as_html(text)}</div>" if text else "")


class OperationPicker:
    """The Entity dropdown, the Operation combobox and the search box; ``operation`` is the
    catalog operation they name (None while the text names none)."""

    def __init__(self, on_operation: Callable[[Operation | None], None]) -> None:
        self._on_operation = on_operation
        self.operation_: Operation | None = None
        self.search = field(widgets.Combobox(
            description="Search all operations", options=[],
            placeholder="type words of any operation, e.g. list calls", ensure_option=False))
        self.entity = field(widgets.Dropdown(description="Entity", options=catalog.entities(),
                                             value=DEFAULT_ENTITY))
        self.operation = field(widgets.Combobox(
            description="Operation", options=self._labels(DEFAULT_ENTITY),
            value=DEFAULT_OPERATION, placeholder="type to filter the operations",
            ensure_option=False, continuous_update=False))
        self.search.observe(self._searched, names="value")
        self.entity.observe(self._entity_changed, names="value")
        self.operation.observe(self._operation_changed, names="value")
        self.operation_ = self._resolve(DEFAULT_OPERATION)
        # the operation's summary in Twilio's words, under the picker
        self.summary = widgets.HTML(summary_html(self.operation_),
                                    layout=widgets.Layout(margin="0 0 2px 204px"))

    @property
    def widgets(self) -> list[Any]:
        return [self.search, self.entity, self.operation, self.summary]

    @staticmethod
    def _labels(entity: str) -> list[str]:
        return [op.label for op in catalog.operations(entity)]

    def _resolve(self, text: str) -> Operation | None:
        if not text.strip():
            return None
        try:
            return catalog.find(self.entity.value, text)
        except ConfigurationError:
            return None

    def select(self, entity: str, operation: str) -> None:
        """Set Entity and Operation (an operation label, name or verb)."""
        self.entity.value = catalog.find_entity(entity)
        self.operation.value = catalog.find(self.entity.value, operation).label

    def _searched(self, change: dict[str, Any]) -> None:
        text = str(change["new"]).strip()
        op = _index().get(text)
        if op is not None:
            self.entity.value = op.entity
            self.operation.value = op.label
            return
        self.search.options = search_operations(text)

    def _entity_changed(self, change: dict[str, Any]) -> None:
        labels = self._labels(change["new"])
        current = self.operation.value
        self.operation.options = labels
        if current not in labels:
            self.operation.value = ""
        self._operation_changed({"new": self.operation.value})

    def _operation_changed(self, change: dict[str, Any]) -> None:
        op = self._resolve(str(change["new"]))
        if op is not self.operation_:
            self.operation_ = op
            self.summary.value = summary_html(op)
            self._on_operation(op)
