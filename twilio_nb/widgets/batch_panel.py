"""The form's batch panel: "For each row of" a DataFrame, a dry-run preview, Send, and Copy
as SAP settings of the batch.

The Processing tab's fields are the templates: ``{column}`` in the Body (or the Query, or an
Operation Parameter) takes each row's value. **Preview** is ``conn.batch(..., dry_run=True)``:
the first rows' requests, nothing sent. **Send batch** is ``conn.batch(...)`` (concurrency,
checkpoint), its summary and first rows shown. **Copy as SAP settings** writes the templates
with the iFlow's placeholders (:meth:`twilio_nb.batch.Batch.sap_settings`).

The DataFrame variables are the notebook's (IPython's user namespace, or ``namespace``). The
list is current whenever it is opened: ipywidgets' Dropdown has no "opened" event, so the
panel lists the DataFrames again after every cell the notebook runs (IPython's
``post_run_cell`` event) and whenever the form is shown; **Refresh list** does it at once.
**Send batch** first says what it will send (rows, operation, account or sandbox) and sends
on a second click. Every error is said in the panel, never raised.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..answers.tables import count_of, table_html
from ..errors import TwilioWarning
from ..session.connection import Connection
from ._common import error_card, escape, field, fit_button, hide, note, row, show

if TYPE_CHECKING:
    from ..batch import Batch
    from .processing_tab import ProcessingTab

__all__ = ["PREVIEW_ROWS", "BatchPanel"]

PREVIEW_ROWS = 5
NONE = "— (one request)"
SEND = "Send batch"
CONFIRM = "Confirm: send"


def _user_namespace() -> dict[str, Any]:
    from IPython import get_ipython  # deferred: a form outside IPython has no namespace

    shell = get_ipython()
    return shell.user_ns if shell is not None else {}


def _refresh_after_each_cell(panel: BatchPanel) -> None:
    """List the DataFrames again after each cell the notebook runs, for as long as ``panel``
    lives (a weak reference: a form the notebook dropped is not kept alive)."""
    from IPython import get_ipython  # deferred: see _user_namespace

    shell = get_ipython()
    if shell is None:
        return
    ref = weakref.ref(panel)

    def refresh(*_args: Any) -> None:
        alive = ref()
        if alive is None or alive.comm is None:  # gone or closed: stop listening
            shell.events.unregister("post_run_cell", refresh)
            return
        alive.refresh_names()

    shell.events.register("post_run_cell", refresh)


class BatchPanel(widgets.VBox):  # type: ignore[misc]
    """"For each row of" a DataFrame variable: preview, send, copy as SAP settings."""

    def __init__(self, connection: Callable[[], Connection], processing: ProcessingTab, *,
                 namespace: dict[str, Any] | None = None,
                 on_answer: Callable[[], None] | None = None) -> None:
        self._connection = connection
        self._processing = processing
        self._namespace = namespace
        self._on_answer = on_answer or (lambda: None)  # the form clears its result area
        self._armed = False  # Send batch said what it will send: the next click sends
        self.rows = field(widgets.Dropdown(description="For each row of", options=[NONE],
                                           value=NONE))
        self.refresh_button = fit_button(widgets.Button(
            description="Refresh list", icon="refresh",
            tooltip="List the notebook's DataFrames again"))
        self.concurrency = field(widgets.BoundedIntText(description="Concurrency", value=4,
                                                        min=1, max=32), width="300px")
        self.checkpoint = field(widgets.Text(description="Checkpoint file",
                                             placeholder="campaign.batch (resumable; optional)"))
        self.preview_button = fit_button(widgets.Button(description="Preview (dry run)",
                                                        icon="eye"))
        self.send_button = fit_button(widgets.Button(description=SEND, icon="paper-plane",
                                                     button_style="warning"))
        self.sap_button = fit_button(widgets.Button(description="Copy as SAP settings",
                                                    icon="copy"))
        self.output = widgets.HTML()
        self.sap_text = field(widgets.Textarea(rows=14), width="880px")
        self.batch: Batch | None = None
        self.refresh_button.on_click(lambda _b: self.refresh_names())
        self.preview_button.on_click(lambda _b: self.preview())
        self.send_button.on_click(lambda _b: self._send_clicked())
        self.sap_button.on_click(lambda _b: self.copy_sap())
        self.rows.observe(lambda _c: self._visibility(), names="value")
        for w in (self.rows, self.concurrency, self.checkpoint):
            w.observe(lambda _c: self._disarm(), names="value")
        processing.on_change(self._disarm)
        self.extra = widgets.VBox([self.concurrency, self.checkpoint, row(
            [self.preview_button, self.send_button, self.sap_button])])
        super().__init__([row([self.rows, self.refresh_button]), self.extra,
                          self.output, self.sap_text])
        self.refresh_names()
        if namespace is None:
            _refresh_after_each_cell(self)

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
            self._say(error_card(exc))
            return None
        self.batch = batch
        return batch

    def clear_output(self) -> None:
        """Nothing shown (the form's newer answer replaces the panel's)."""
        self.output.value = ""
        self._disarm()

    def _say(self, markup: str) -> None:
        """Show the panel's answer in place of the form's last one."""
        self._on_answer()
        self.output.value = markup

    def preview(self) -> Batch | None:
        """The first rows' requests, nothing sent."""
        self._disarm()
        b = self._run(dry_run=True)
        if b is not None:
            self._say(note(escape(b.summary())) + table_html(
                b.requests, PREVIEW_ROWS, "the batch's <code>.requests</code>"))
        return b

    def plan(self) -> str:
        """What Send batch would send, in one line: rows, operation, account or sandbox."""
        ns = self._namespace if self._namespace is not None else _user_namespace()
        frame = ns.get(self.rows.value)
        rows = count_of(len(frame), "row") if frame is not None else "no rows"
        p = self._processing
        what = (f"{p.entity.value} · {p.operation.value}" if p.is_basic
                else f"{p.method.value} {p.relative_url.value}")
        conn = self._connection()
        where = ("the offline sandbox (nothing reaches Twilio)" if conn.is_sandbox
                 else f"Twilio account {conn.account_sid}")
        return f"Send {rows} of {self.rows.value} as {what}, to {where}?"

    def _send_clicked(self) -> None:
        """First click: say what will be sent; second click: send it."""
        if self._armed:
            self.send()
            return
        try:
            line = self.plan()
        except Exception as exc:  # a ConfigurationError (or a bug): the card says it
            self._say(error_card(exc))
            return
        self._say(note(escape(line) + " Click <b>" + CONFIRM + "</b> to send, or change "
                       "anything to cancel.", "#8a6d00"))
        self._armed = True
        self.send_button.description = CONFIRM
        self.send_button.button_style = "danger"

    def _disarm(self) -> None:
        if self._armed:
            self._armed = False
            self.send_button.description = SEND
            self.send_button.button_style = "warning"

    def send(self) -> Batch | None:
        """Send one request per row (no question asked: the button asks); the summary and
        the first rows' outcomes."""
        self._disarm()
        self.send_button.disabled = True
        try:
            b = self._run(dry_run=False)
        finally:
            self.send_button.disabled = False
        if b is not None:
            self._say(note(escape(b.summary())) + table_html(
                b.df, PREVIEW_ROWS * 4, "the batch's <code>.df</code>"))
        return b

    def copy_sap(self) -> str:
        """The batch's SAP settings, with the iFlow's placeholders, in the text area (one
        row is built to check the templates: the settings are the same for every row)."""
        b = self._run(dry_run=True, first_row=True)
        if b is None:
            return ""
        self.output.value = ""
        self.sap_text.value = b.sap_settings()
        show(self.sap_text)
        return str(self.sap_text.value)
