"""``tw.form()`` / ``%twilio form``: the SAP adapter's Connection and Processing tabs as an
ipywidgets form, with Execute, the result (DataFrame, Next page, Load all, previews), Copy as
and Show code.

The form only collects input and renders: the Connection tab makes a
:class:`~twilio_nb.Connection`, the Processing tab hands its fields to
``Connection.build_basic`` / ``build_advanced``, Execute sends with ``Connection.execute``,
Copy as is :func:`twilio_nb.copy_as.styles.copy_as`. Every value is checked by the core; an error
names its field, which the form marks in red.

In a script or a test::

    f = tw.form(conn)
    f.processing.select("Call", "List Calls")
    f.processing.query.value = "To=+14155552671"
    f.execute_button.click()
    f.df                                   # the records shown (all of them after Load all)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..catalog import find
from ..errors import ConfigurationError, TwilioError
from ..session.connection import Connection
from ..session.credentials import CredentialStore
from ..session.default import default_connection
from ._common import FIT_CSS, escape, note, row, sandbox_badge
from .batch_panel import BatchPanel
from .connection_tab import ConnectionTab
from .copy_panel import CodeView, CopyPanel
from .export_panel import ExportPanel
from .processing_tab import ProcessingTab
from .result_area import ResultArea

if TYPE_CHECKING:
    import pandas as pd

    from ..answers.result import Result
    from ..request.built import BuiltRequest

__all__ = ["TwilioForm", "form"]

NO_CREDENTIALS = ("No connection and no credentials were found, so the form starts on the "
                  "offline sandbox. Pick or add a credential on the Connection tab to use "
                  "your Twilio account.")


def _start_connection(connection: Connection | None, store: CredentialStore | None,
                      environ: Mapping[str, str] | None) -> tuple[Connection, str]:
    if connection is not None:
        return connection, ""
    conn = default_connection()
    if conn is not None:
        return conn, ""
    try:
        return Connection(store=store, environ=environ), ""
    except ConfigurationError:
        return Connection(sandbox=True), NO_CREDENTIALS


class TwilioForm(widgets.VBox):  # type: ignore[misc]
    """The form. ``connection`` defaults to ``tw.connect``'s, else the environment's
    credentials, else the offline sandbox (and the form says so)."""

    def __init__(self, connection: Connection | None = None, *,
                 store: CredentialStore | None = None,
                 environ: Mapping[str, str] | None = None,
                 namespace: dict[str, Any] | None = None) -> None:
        conn, notice = _start_connection(connection, store, environ)
        self.notice = notice
        self.store = store if store is not None else CredentialStore(environ=environ)
        self.connection_tab = ConnectionTab(conn, store=self.store, environ=environ)
        self.processing = ProcessingTab(account_sid=conn.account_sid)
        self.tabs = widgets.Tab(children=[self.connection_tab, self.processing],
                                titles=("Connection", "Processing"), selected_index=1)
        self.execute_button = widgets.Button(description="Execute", button_style="primary",
                                             icon="play", tooltip="Send the request")
        self.show_code_button = widgets.ToggleButton(
            description="Show code", icon="code", value=False,
            tooltip="The %twilio lines and the Python calls of this form")
        self.copy_panel = CopyPanel(self._built_for_copy)
        self.code_view = CodeView(self._built_for_copy, self.connection_tab.magic_code,
                                  self.connection_tab.python_code)
        self.result_area = ResultArea()
        # "For each row of" a DataFrame: the Processing tab's fields as templates
        self.batch_panel = BatchPanel(lambda: self.connection, self.processing,
                                      namespace=namespace,
                                      on_answer=self.result_area.clear)
        self.export_panel = ExportPanel(lambda: self.connection)  # Bulk Export's choice
        self.header = widgets.HTML()
        self.execute_button.on_click(self._execute_clicked)
        self.show_code_button.observe(lambda c: self.code_view.toggle(c["new"]), names="value")
        self.connection_tab.on_change(self._connection_changed)
        self.processing.on_change(self._refresh_code)
        actions = row([self.execute_button, self.show_code_button, self.copy_panel.choice],
                      margin="6px 0")
        super().__init__([self.header, self.tabs, actions, self.copy_panel.text,
                          self.code_view, self.batch_panel, self.result_area,
                          self.export_panel],
                         layout=widgets.Layout(width="100%"))  # the notebook's width
        self.add_class("twilio-nb-form")  # for a page's stylesheet and tests
        self._header(conn)

    # -- what the form holds ------------------------------------------------------------------
    @property
    def connection(self) -> Connection:
        """The Connection the Connection tab describes."""
        return self.connection_tab.connection()

    @property
    def result(self) -> Result | None:
        """The page shown."""
        return self.result_area.result

    @property
    def df(self) -> pd.DataFrame | None:
        """The records shown: the page's, or every record after Load all."""
        return self.result_area.frame

    def build(self) -> BuiltRequest:
        """The request the form describes, built by the core without sending it."""
        return self.processing.build(self.connection)

    # -- actions ------------------------------------------------------------------------------
    def execute(self) -> Result | None:
        """What Execute does: build, send, show. Returns the Result (None on an error, which
        the form shows)."""
        self.clear_marks()
        self.batch_panel.clear_output()  # one answer at a time: this one replaces the batch's
        try:
            conn = self.connection
            built = self.processing.build(conn)
        except ConfigurationError as exc:
            self._configuration_error(exc)
            return None
        except Exception as exc:  # never a traceback in the output: the card says it
            self.result_area.show_error(exc)
            return None
        self.execute_button.disabled = True
        self.result_area.sending(f"{built.method} {built.url}")
        try:
            result = conn.execute(built, response_headers=self.processing.response_headers.value)
        except Exception as exc:  # TwilioApiError, TransportError, ...: shown in the card
            self.result_area.show_error(exc)
            return None
        finally:
            self.execute_button.disabled = False
        try:
            self.result_area.show(result, built.warnings)
        except TwilioError as exc:  # an answer that cannot be read: the card says so
            self.result_area.show_error(exc)
        self._refresh_code()
        return result

    def _execute_clicked(self, _button: Any = None) -> None:
        self.execute()

    def _configuration_error(self, exc: ConfigurationError) -> None:
        name = exc.field
        if self.connection_tab.mark(name):
            self.tabs.selected_index = 0
        elif self.processing.mark(name):
            self.tabs.selected_index = 1
        self.result_area.show_error(exc)

    def clear_marks(self) -> None:
        self.connection_tab.clear_marks()
        self.processing.clear_marks()

    # -- reactions ----------------------------------------------------------------------------
    def _connection_changed(self) -> None:
        try:
            conn = self.connection
        except ConfigurationError:
            return
        self.processing.set_account_sid(conn.account_sid)
        self._header(conn)
        self._refresh_code()

    def _header(self, conn: Connection) -> None:
        title = ("<span style='font-size:15px;font-weight:600;color:#f22f46'>Twilio</span>"
                 " <span style='color:#777;font-size:12px'>adapter form · twilio_nb</span>")
        badge = f" {sandbox_badge()}" if conn.is_sandbox else ""
        notice = note("<b>Note:</b> " + escape(self.notice), "#8a6d00") if (
            self.notice and conn.is_sandbox) else ""
        # the form spans the output area and nothing in it is wider (see FIT_CSS)
        self.header.value = f"{FIT_CSS}<div>{title}{badge}</div>{notice}"

    def _built_for_copy(self) -> tuple[BuiltRequest, str]:
        conn = self.connection
        return self.processing.build(conn), conn.auth_type

    def _refresh_code(self) -> None:
        self.copy_panel.refresh()
        self.code_view.refresh()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """Shown (again): "For each row of" lists the notebook's DataFrames as they are now."""
        self.batch_panel.refresh_names()
        return super()._repr_mimebundle_(**kwargs)

    # -- display helpers ------------------------------------------------------------------------
    def show_tab(self, name: str) -> None:
        """Select the Connection or the Processing tab."""
        self.tabs.selected_index = ["connection", "processing"].index(name.lower())


def form(connection: Connection | None = None, *, store: CredentialStore | None = None,
         environ: Mapping[str, str] | None = None, entity: str | None = None,
         operation: str | None = None) -> TwilioForm:
    """The adapter's form over ``connection`` (default: ``tw.connect``'s, else the
    environment's credentials, else the offline sandbox); with ``entity`` and ``operation``
    it opens on that operation's Processing tab (an unknown one: ConfigurationError)."""
    if (entity is None) != (operation is None):
        raise ConfigurationError("Give both entity= and operation= to open the form on an "
                                 "operation, e.g. tw.form(conn, entity='Message', "
                                 "operation='Send Message').", field="Operation")
    op = find(entity, operation) if entity is not None and operation is not None else None
    shown = TwilioForm(connection, store=store, environ=environ)
    if op is not None:
        shown.processing.select(op.entity, op.label)
        shown.show_tab("processing")
    return shown
