"""Batch: what a batch gives back, one row per input row, with the input's index.

* ``b.df``: ``outcome`` (``sent``, ``failed``, ``unknown``, ``not sent``), ``sid`` (the created
  resource's), ``http_status``, ``error_code``, ``error_message``, ``sent_at`` (when its
  request left, UTC) and ``note`` (what a checkpoint or a reconciliation said);
* ``b.results``: the typed frame of every answer of this run (one row per sent row, the
  input's index); ``b.failed``: the input rows that failed, to fix and send again;
* ``b.requests``: method, URL and body per row (what a dry run returns; never a secret);
* ``b.delivery()`` / ``b.wait(timeout=)``: see :mod:`.delivery`.

It shows itself by IPython's protocols (``_repr_mimebundle_``, ``_repr_pretty_``): a summary
line and the counts of each outcome. Imports: the plan's types, delivery, checkpoint; pandas
inside functions.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from ..answers.tables import count_of, table_html, table_text
from . import delivery
from .checkpoint import Checkpoint

if TYPE_CHECKING:
    import pandas as pd

    from ..answers.result import Result
    from .plan import Sender, Spec

__all__ = ["OUTCOMES", "Batch", "not_sent"]

OUTCOMES = ("sent", "failed", "unknown", "not sent")
SHOWN_ROWS = 10  # rows a Batch's display shows (it says how many more there are)
COLUMNS = ("outcome", "sid", "http_status", "error_code", "error_message", "sent_at", "note")


def not_sent() -> dict[str, Any]:
    """The outcome of a row before (or instead of) its request."""
    return {"outcome": "not sent", "sid": None, "http_status": None, "error_code": None,
            "error_message": None, "sent_at": None, "note": None}


class Batch:
    """The outcome of one batch; see the module's docstring."""

    def __init__(self, *, spec: Spec, rows: pd.DataFrame, requests: pd.DataFrame,
                 outcomes: list[dict[str, Any]], warnings: list[str], sender: Sender,
                 status_callback: Any = None, answers: dict[int, Result] | None = None,
                 checkpoint: Checkpoint | None = None, dry_run: bool = False,
                 cancelled: bool = False) -> None:
        self.spec = spec
        self.rows = rows
        self.requests = requests
        self.warnings = warnings
        self.dry_run = dry_run
        self.cancelled = cancelled
        self.checkpoint = checkpoint.path if checkpoint is not None else None
        self.status_callback = status_callback
        self._outcomes = outcomes
        self._answers = answers or {}
        self._sender = sender

    # -- what happened ---------------------------------------------------------------------
    @property
    def df(self) -> pd.DataFrame:
        """One row per input row (the input's index): outcome, sid, http_status, error_code,
        error_message, sent_at, note."""
        import pandas as pd  # deferred: import twilio_nb stays without pandas

        frame = pd.DataFrame([{k: o.get(k) for k in COLUMNS} for o in self._outcomes],
                             index=self.rows.index, columns=list(COLUMNS))
        for name in ("http_status", "error_code"):
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("Int64")
        frame["sent_at"] = pd.to_datetime(frame["sent_at"], utc=True, format="ISO8601")
        frame["outcome"] = pd.Categorical(frame["outcome"], categories=list(OUTCOMES))
        return frame

    @property
    def outcomes(self) -> list[dict[str, Any]]:
        """Each row's outcome as a dict (what ``df`` shows), in the input's order."""
        return [dict(o) for o in self._outcomes]

    @property
    def counts(self) -> dict[str, int]:
        """How many rows of each outcome (every outcome named, zeros included)."""
        counts = dict.fromkeys(OUTCOMES, 0)
        for o in self._outcomes:
            counts[o["outcome"]] += 1
        return counts

    @property
    def results(self) -> pd.DataFrame:
        """Every answer of this run as one typed frame, indexed by the input rows."""
        import pandas as pd  # deferred: see df

        pieces = []
        for position in sorted(self._answers):
            frame = self._answers[position].df
            if len(frame):
                pieces.append(frame.set_axis([self.rows.index[position]] * len(frame)))
        if not pieces:
            return pd.DataFrame(index=self.rows.index[:0])
        return pd.concat(pieces)

    @property
    def failed(self) -> pd.DataFrame:
        """The input rows whose outcome is ``failed``: fix them and send them again."""
        mask = [o["outcome"] == "failed" for o in self._outcomes]
        return self.rows.loc[mask]

    @property
    def sids(self) -> dict[Any, str]:
        """Input row label -> the SID it created (rows sent only)."""
        return {self.rows.index[i]: str(o["sid"]) for i, o in enumerate(self._outcomes)
                if o["outcome"] == "sent" and o.get("sid")}

    @property
    def started_at(self) -> str | None:
        """When the first request of the batch left (ISO, UTC), if any did."""
        times = [str(o["sent_at"]) for o in self._outcomes if o.get("sent_at")]
        return min(times) if times else None

    # -- delivery --------------------------------------------------------------------------
    def delivery(self) -> pd.DataFrame:
        """Per input row: the latest status, its time, error_code, one ``<state>_at`` column
        per state reached (see :mod:`.delivery`)."""
        return delivery.frame(self)

    def wait(self, timeout: float = 60.0, poll: float | None = None) -> pd.DataFrame:
        """Block until every sent row is in a final state; the delivery frame. Raises
        TimeoutError (saying how many are not final) after ``timeout`` seconds."""
        return delivery.wait(self, timeout=timeout, poll=poll)

    def sap_settings(self) -> str:
        """Copy as SAP settings: the Processing tab with ``{column}`` as the iFlow's
        ``${property.column}``, and a note that a splitter feeds the records."""
        from .sap_settings import sap_settings  # deferred: only a copy needs it

        return sap_settings(self._sender, self.spec, [str(c) for c in self.rows.columns])

    @property
    def sender(self) -> Sender:
        return self._sender

    # -- display ---------------------------------------------------------------------------
    def summary(self) -> str:
        what = self.spec.identity()["operation"]
        if self.dry_run:
            return (f"Batch (dry run) of {what}: {count_of(len(self.requests), 'request')} "
                    "built, nothing sent; the batch's .requests shows them")
        counts = ", ".join(f"{n} {k}" for k, n in self.counts.items() if n)
        extra = " (stopped)" if self.cancelled else ""
        where = f"; checkpoint {self.checkpoint}" if self.checkpoint else ""
        return (f"Batch of {what}: {count_of(len(self._outcomes), 'row')}{extra}: "
                f"{counts or 'nothing'}{where}")

    def _table(self) -> pd.DataFrame:
        return self.requests if self.dry_run else self.df

    def __repr__(self) -> str:
        return f"<{self.summary()}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self._repr_mimebundle_()["text/plain"])

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """The summary and the first rows (missing values blank; how many rows are not
        shown said), the way a Result shows its records."""
        table = self._table()
        whole = "the batch's <code>.requests</code>" if self.dry_run else \
            "the batch's <code>.df</code>"
        return {"text/plain": f"{self.summary()}\n{table_text(table, SHOWN_ROWS)}",
                "text/html": f"<div><b>{html.escape(self.summary())}</b>"
                             f"{table_html(table, SHOWN_ROWS, whole)}</div>"}
