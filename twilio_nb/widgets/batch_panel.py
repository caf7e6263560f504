"""The form's batch panel: "For each row of" a DataFrame, a dry-run preview, Send, and Copy
as SAP settings of the batch.

The Processing tab's fields are the templates: ``{column}`` in the Body (or the Query, or an
Operation Parameter) takes each row's value. **Preview** is ``conn.batch(..., dry_run=True)``:
the first rows' requests, nothing sent. **Send batch** is ``conn.batch(...)`` (concurrency,
checkpoint), its summary and first rows shown. **Copy as SAP settings** writes the templates
with the iFlow's placeholders (:meth:`twilio_nb.batch.Batch.sap_settings`).

The DataFrame variables are the notebook's (IPython's user namespace, or ``namespace``).
Every error is said in the panel, never raised.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..errors import TwilioWarning
from ..session.connection import Connection
from ._common import error_card, escape, field, hide, note, show

if TYPE_CHECKING:
    from ..batch import Batch
    from .processing_tab import ProcessingTab

__all__ = ["PREVIEW_ROWS", "BatchPanel"]

PREVIEW_ROWS = 5
NONE = "— (one request)"


def _user_namespace() -> dict[str, Any]:
    from IPython import get_ipython  # deferred: a form outside IPython has no namespace

    shell = get_ipython()
    return shell.user_ns if shell is not None else {}


class BatchPanel(widgets.VBox):  # type: ignore[misc]
    """"For each row of" a DataFrame variable: preview, send, copy as SAP settings."""

    def __init__(self, connection: Callable[[], Connection], processing: ProcessingTab, *,
                 namespace: dict[str, Any] | None = None) -> None:
        self._connection = connection
        self._processing = processing
        self._namespace = namespace
        self.rows = field(widgets.Dropdown(description="For each row of", options=[NONE],
                                           value=NONE))
        self.refresh_button = widgets.Button(description="", icon="refresh",
                                             tooltip="List the notebook's DataFrames again",
                                             layout=widgets.Layout(width="36px"))
        self.concurrency = field(widgets.BoundedIntText(description="Concurrency", value=4,
                                                        min=1, max=32), width="300px")
        self.checkpoint = field(widgets.Text(description="Checkpoint file",
                                             placeholder="campaign.batch (resumable; optional)"))
        self.preview_button = widgets.Button(description="Preview (dry run)", icon="eye")
        self.send_button = widgets.Button(description="Send batch", icon="paper-plane",
                                          button_style="warning")
        self.sap_button = widgets.Button(description="Copy as SAP settings", icon="copy")
        self.output = widgets.HTML()
        self.sap_text = field(widgets.Textarea(rows=14), width="880px")
        self.batch: Batch | None = None
        self.refresh_button.on_click(lambda _b: self.refresh_names())
        self.preview_button.on_click(lambda _b: self.preview())
        self.send_button.on_click(lambda _b: self.send())
        self.sap_button.on_click(lambda _b: self.copy_sap())
        self.rows.observe(lambda _c: self._visibility(), names="value")
        self.extra = widgets.VBox([self.concurrency, self.checkpoint, widgets.HBox(
            [self.preview_button, self.send_button, self.sap_button])])
        super().__init__([widgets.HBox([self.rows, self.refresh_button]), self.extra,
                          self.output, self.sap_text])
        self.refresh_names()

    def _names(self) -> list[str]:
        import pandas as pd  # deferred: see twilio_nb.batch

        ns = self._namespace if self._namespace is not None else _user_namespace()
        return sorted(n for n, v in ns.items()
                      if isinstance(v, pd.DataFrame) and not n.startswith("_"))

    def refresh_names(self) -> None:
        """List the namespace's DataFrames (the choice is kept while it is there)."""
        kept = self.rows.value
        names = [NONE, *self._names()]
        self.rows.options = names
        self.rows.value = kept if kept in names else NONE
        self._visibility()

    def _visibility(self) -> None:
        for w in (self.extra, self.sap_text):
            hide(w)
        if self.rows.value != NONE:
            show(self.extra)

    def _run(self, *, dry_run: bool, first_row: bool = False) -> Batch | None:
        ns = self._namespace if self._namespace is not None else _user_namespace()
        rows = ns.get(self.rows.value)
        if first_row and rows is not None:
            rows = rows.head(1)
        p = self._processing
        try:
            conn = self._connection()
            fields = p.request_fields(conn)  # as Execute reads them: the rows' templates
            if not fields.pop("send_body", True):
                fields["body"] = None
            options: dict[str, Any] = {
                **fields, "dry_run": dry_run, "concurrency": self.concurrency.value,
                "checkpoint": None if dry_run else (self.checkpoint.value.strip() or None),
                "progress": False}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", TwilioWarning)  # b.warnings keeps them
                if p.is_basic:
                    batch = conn.batch(p.entity.value, p.operation.value, rows, **options)
                else:
                    batch = conn.batch_advanced(p.method.value, p.relative_url.value, rows,
                                                **options)
        except Exception as exc:  # a ConfigurationError (or a bug): the card says it
            self.output.value = error_card(exc)
            return None
        self.batch = batch
        return batch

    def preview(self) -> Batch | None:
        """The first rows' requests, nothing sent."""
        b = self._run(dry_run=True)
        if b is not None:
            shown = b.requests.head(PREVIEW_ROWS)
            more = len(b.requests) - len(shown)
            self.output.value = (note(escape(b.summary())) + shown.to_html()
                                 + (note(f"... and {more} more rows") if more > 0 else ""))
        return b

    def send(self) -> Batch | None:
        """Send one request per row; the summary and the first rows' outcomes."""
        self.send_button.disabled = True
        try:
            b = self._run(dry_run=False)
        finally:
            self.send_button.disabled = False
        if b is not None:
            self.output.value = note(escape(b.summary())) + b.df.head(
                PREVIEW_ROWS * 4).to_html(na_rep="")
        return b

    def copy_sap(self) -> str:
        """The batch's SAP settings, with the iFlow's placeholders, in the text area (one
        row is built to check the templates: the settings are the same for every row)."""
        b = self._run(dry_run=True, first_row=True)
        if b is None:
            return ""
        self.sap_text.value = b.sap_settings()
        show(self.sap_text)
        return str(self.sap_text.value)
