"""The catalog as DataFrames: entities, an entity's operations, an operation's parameters
(with Twilio's words: :mod:`.explain`)."""

from __future__ import annotations

import pandas as pd

from . import _by_entity, describe, operations

__all__ = ["describe_frame", "entities_frame", "operations_frame"]


def entities_frame() -> pd.DataFrame:
    rows = [{"entity": e, "operations": len(ops),
             "products": ", ".join(sorted({o.product for o in ops}))}
            for e, ops in sorted(_by_entity().items())]
    return pd.DataFrame(rows)


def operations_frame(entity: str) -> pd.DataFrame:
    rows = [{"label": o.label, "method": o.method, "kind": o.kind, "product": o.product,
             "operation_id": o.operation_id} for o in operations(entity)]
    return pd.DataFrame(rows)


def describe_frame(entity: str, operation: str) -> pd.DataFrame:
    """Each parameter: where it goes, whether it is required, its type and allowed values,
    Twilio's words for it and whether it is deprecated (``tw.catalog.describe``)."""
    frame: pd.DataFrame = describe(entity, operation)
    return frame
