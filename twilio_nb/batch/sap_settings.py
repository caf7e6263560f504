"""Copy as SAP settings, for a batch: the adapter's Processing tab with the iFlow's placeholders.

In an integration flow the adapter sends one request per message, and a splitter (a General or
Iterating Splitter over the records) feeds it one record at a time; a Content Modifier before
the Twilio receiver sets one Exchange Property per field of the record, which the adapter's
fields read as ``${property.NAME}`` (the guide, 1.4 and 5: the adapter's fields take Camel's
simple expressions). So a batch's ``{phone}`` becomes ``${property.phone}``: the request is
built with every column replaced by its placeholder and written by the one SAP style
(:func:`twilio_nb.copy_as.styles.copy_as`), under a note that says where the values come from.

Imports: the plan, copy_as, the request's query encoding, errors.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from ..copy_as.styles import copy_as
from ..errors import ConfigurationError, TwilioWarning
from ..request.body_encoding import encode_query
from .plan import Sender, Spec, make_plan

__all__ = ["placeholder", "sap_settings"]


def placeholder(column: str) -> str:
    """The iFlow's expression for a column: ``${property.phone}``."""
    return "${property." + column + "}"


def _note(columns: Sequence[str]) -> list[str]:
    shown = ", ".join(columns) or "(none)"
    return [
        "# A batch in the iFlow: one Twilio request per record.",
        "# A splitter (General or Iterating Splitter) feeds the adapter one record at a time;",
        "# a Content Modifier before the receiver sets an Exchange Property per column",
        f"# ({shown}), which the fields below read as ${{property.NAME}}.",
        ""]


def sap_settings(sender: Sender, spec: Spec, columns: Sequence[str]) -> str:
    """The Processing tab settings of ``spec`` with ``{column}`` as ``${property.column}``."""
    row = {str(c): placeholder(str(c)) for c in columns}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TwilioWarning)  # "${property.phone}" is no E.164
            planned, _ = make_plan(sender, spec, ["template"], [row])
        text = copy_as(planned[0].built, "sap")
    except ConfigurationError:
        # a field the catalog checks (an enum, a number) cannot hold a placeholder: the
        # templates themselves, with the placeholders written in
        templates = spec.identity()["templates"]
        text = "Templates (the catalog checks these fields per record):\n" + json.dumps(
            {k: v for k, v in templates.items() if v is not None}, indent=2)
        for column, value in row.items():
            text = text.replace("{" + column + "}", value)
    return "\n".join(_note([str(c) for c in columns])) + _as_written(text, row.values())


def _as_written(text: str, placeholders: Iterable[str]) -> str:
    """``text`` with each placeholder as the iFlow writes it: the request was built (its query
    and form text percent-encoded, as they are sent) with the placeholders as values."""
    for written in placeholders:
        for encoded in {encode_query(written), quote(written, safe="")}:
            text = text.replace(encoded, written)
    return text
