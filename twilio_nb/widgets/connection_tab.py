"""The Connection tab: Address, Authentication Type, Credential Name, Reuse Connection and the
two timeouts, as the adapter shows them. It builds a :class:`~twilio_nb.Connection` from them
(the core checks every value) and keeps it until a field changes.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from ..errors import ConfigurationError
from ..session.connection import Connection
from ..session.credentials import CredentialStore, twilio_cli_profiles
from ..session.settings import (
    DEFAULT_ADDRESS,
    DEFAULTS,
    SANDBOX_ADDRESS,
    ConnectionSettings,
    code_arguments,
)
from ..vocabulary import AUTH_TYPES
from ._common import (
    error_card,
    escape,
    field,
    hide,
    mark_widget,
    note,
    sandbox_badge,
    show,
    unhighlight,
    widget_of,
)
from .credential_box import AddCredentialBox

__all__ = ["ADD", "CURRENT", "ENVIRONMENT", "SANDBOX", "ConnectionTab"]

SANDBOX = "sandbox"
ADD = "__add__"
ENVIRONMENT = "__environment__"
CURRENT = "__current__"
AUTH_OPTIONS = [(label, key) for key, label in AUTH_TYPES.items()]


def _credential_value(conn: Connection) -> str:
    source = conn.credential_source
    if source == "sandbox" or conn.is_sandbox:
        return SANDBOX
    if source.startswith(("store:", "twilio-cli:")):
        return source.split(":", 1)[1]
    if source == "environment":
        return ENVIRONMENT
    return CURRENT


class ConnectionTab(widgets.VBox):  # type: ignore[misc]
    """The adapter's Connection tab. ``connection()`` is the Connection its fields describe."""

    def __init__(self, connection: Connection, *, store: CredentialStore,
                 environ: Mapping[str, str] | None = None) -> None:
        self.store = store
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self._given = connection
        self._conn: Connection | None = connection
        self._retired: list[Connection] = []  # replaced, closed once the next is made
        self._sandbox = connection.sandbox
        self._listeners: list[Callable[[], None]] = []
        self._quiet = False
        self.store_problem = ""
        self._previous_credential = _credential_value(connection)

        self.address = field(widgets.Text(description="Address", value=connection.address,
                                          continuous_update=False))
        self.auth_type = field(widgets.Dropdown(description="Authentication Type",
                                                options=AUTH_OPTIONS,
                                                value=connection.auth_type))
        options = self._credential_options()
        if self._previous_credential not in [v for _, v in options]:
            options.insert(-1, (self._previous_credential, self._previous_credential))
        self.credential = field(widgets.Dropdown(description="Credential Name", options=options,
                                                 value=self._previous_credential))
        self.reuse = field(widgets.Checkbox(description="Reuse Connection",
                                            value=connection.reuse_connection))
        self.connection_timeout = field(widgets.IntText(
            description="Connection Timeout (in ms)", value=connection.connection_timeout_ms))
        self.response_timeout = field(widgets.IntText(
            description="Response Timeout (in ms)", value=connection.response_timeout_ms))
        recorder = connection.recorder
        self.record = field(widgets.Text(
            description="Record to", value=str(recorder.path) if recorder else "",
            placeholder="a cassette, e.g. session.yaml (empty: not recorded)",
            continuous_update=False))
        self.adder = AddCredentialBox(store, on_saved=self._credential_saved,
                                      on_cancel=self._credential_cancelled)
        self.summary = widgets.HTML()
        self.fields: dict[str, Any] = {
            "Address": self.address, "Authentication Type": self.auth_type,
            "Credential Name": self.credential, "Reuse Connection": self.reuse,
            "Connection Timeout (in ms)": self.connection_timeout,
            "Response Timeout (in ms)": self.response_timeout, "Record to": self.record,
        }
        for w in self.fields.values():
            w.observe(self._changed, names="value")
        title = widgets.HTML("<b style='font-size:12px;color:#555'>CONNECTION DETAILS</b>")
        super().__init__([title, self.address, self.auth_type, self.credential, self.adder,
                          self.reuse, self.connection_timeout, self.response_timeout,
                          self.record, self.summary], layout=widgets.Layout(padding="6px"))
        self._describe(connection)

    # -- the credential dropdown -----------------------------------------------------------
    def _credential_options(self) -> list[tuple[str, str]]:
        options = [("Sandbox (offline)", SANDBOX)]
        try:
            stored = self.store.names()
        except ConfigurationError as exc:  # an unreadable store: said, not raised
            self.store_problem = str(exc)
            stored = []
        options += [(name, name) for name in stored]
        profiles, _ = twilio_cli_profiles(self.environ)
        options += [(f"{name} (twilio-cli)", name) for name in sorted(profiles)
                    if name not in stored and name != SANDBOX]
        env = self.environ
        if (env.get("TWILIO_API_KEY") and env.get("TWILIO_API_SECRET")) or (
                env.get("TWILIO_ACCOUNT_SID") and env.get("TWILIO_AUTH_TOKEN")) or \
                self._given.credential_source == "environment":
            options.append(("Environment (TWILIO_* variables)", ENVIRONMENT))
        if self._given.credential_source == "given":
            options.append(("The one given to tw.connect", CURRENT))
        options.append(("Add credential…", ADD))
        return options

    def refresh_credentials(self, select: str | None = None) -> None:
        """Read the store again (after a credential was added elsewhere)."""
        current = select or self.credential.value
        options = self._credential_options()
        self.credential.options = options
        values = [v for _, v in options]
        self.credential.value = current if current in values else SANDBOX

    def _credential_saved(self, name: str) -> None:
        self.refresh_credentials(select=name)

    def _credential_cancelled(self) -> None:
        back = self._previous_credential
        values = [v for _, v in self.credential.options]
        self.credential.value = back if back in values and back != ADD else SANDBOX

    # -- the Connection ----------------------------------------------------------------------
    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` after any field of the tab changed."""
        self._listeners.append(callback)

    def _changed(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        if change["owner"] is self.credential:
            if change["new"] == ADD:
                show(self.adder)
            else:
                hide(self.adder)
                self.adder.clear()
                self._previous_credential = change["new"]
                self._follow_address(change["new"])
        self._drop()
        if self.credential.value != ADD:
            try:
                self._describe(self.connection())
            except ConfigurationError as exc:
                self.summary.value = error_card(exc)
                self.mark(exc.field)
        for callback in self._listeners:
            callback()

    def _follow_address(self, credential: str) -> None:
        """Leaving the in-process sandbox: the Address goes back to Twilio's; coming back to
        it from Twilio's: the Address says sandbox again."""
        address = self.address.value.strip().rstrip("/")
        if credential != SANDBOX and address == SANDBOX_ADDRESS:
            new = DEFAULT_ADDRESS
        elif credential == SANDBOX and address == DEFAULT_ADDRESS:
            new = SANDBOX_ADDRESS
        else:
            return
        self._quiet = True
        self.address.value = new
        self._quiet = False

    def _drop(self) -> None:
        """Forget the Connection (a field changed); it is closed once the next is made, which
        may go on with its recording."""
        old, self._conn = self._conn, None
        if old is not None and old is not self._given:
            self._retired.append(old)

    def connection(self) -> Connection:
        """The Connection the fields describe (made once, until a field changes)."""
        if self._conn is None:
            self.clear_marks()
            self._conn = self._build()
            self._describe(self._conn)
            retired, self._retired = self._retired, []
            for old in retired:
                old.close()
        return self._conn

    def _recording(self, path: str) -> object:
        """The recorder already writing to ``path`` (the given connection's or the last
        one's: shared, so nothing recorded is lost), else ``path`` (a new recording)."""
        wanted = Path(path).expanduser().resolve()
        for conn in (self._given, *self._retired):
            recorder = conn.recorder
            if recorder is not None and not recorder.closed \
                    and recorder.path.expanduser().resolve() == wanted:
                return recorder
        return path

    def _settings(self, *, for_code: bool = False) -> ConnectionSettings:
        """The settings the fields describe: the given connection's, with the tab's fields
        (a new recording, no replay). ``for_code``: as "copy as" writes them (``sandbox=True``,
        the recording's path)."""
        cred = self.credential.value
        if cred == ADD and not for_code:
            raise ConfigurationError("Finish adding the credential (Save credential) or pick "
                                     "one from the list.", field="Credential Name")
        record = self.record.value.strip()
        base = self._given.settings
        changes: dict[str, Any] = {
            "address": self.address.value.strip() or DEFAULT_ADDRESS,
            "auth_type": self.auth_type.value, "reuse_connection": self.reuse.value,
            "connection_timeout_ms": self.connection_timeout.value,
            "response_timeout_ms": self.response_timeout.value, "credential": cred,
            "account_sid": None, "sandbox": False, "replay": None, "fallback": None,
            "record": None, "scrub": DEFAULTS.scrub}
        if for_code and changes["auth_type"] == "api_key":  # the default: not written
            changes["auth_type"] = None
        if record:  # a scrubbed cassette of the session (docs/record-replay)
            changes.update(record=record if for_code else self._recording(record),
                           scrub=base.scrub if base.record is not None else DEFAULTS.scrub)
        if cred == SANDBOX and changes["address"].rstrip("/") in (DEFAULT_ADDRESS,
                                                                  SANDBOX_ADDRESS):
            changes.update(address=DEFAULT_ADDRESS,  # the in-process sandbox
                           sandbox=True if for_code else self._sandbox or True,
                           credential=None if for_code else SANDBOX)
        elif cred in (ENVIRONMENT, ADD):
            changes["credential"] = None
        elif cred == CURRENT:  # the UserCredentials given to tw.connect: passed on, never shown
            changes.update(credential=self._given.credentials,
                           account_sid=None if for_code else self._given.account_sid)
        return dataclasses.replace(base, **changes)

    def _build(self) -> Connection:
        """A new Connection of the tab's settings (the given one's collaborators with it)."""
        given = self._given
        conn = Connection.from_settings(self._settings(), on_retry=given.on_retry,
                                        trace=given.trace, store=self.store,
                                        environ=self.environ)
        conn.display_rows = given.display_rows
        return conn

    def _describe(self, conn: Connection) -> None:
        who = conn.whoami()
        line = (f"{escape(who['address'])} · {escape(who['auth_type'])} · user "
                f"{escape(who['user'])} · account {escape(who['account_sid'])} · from "
                f"{escape(who['source'])}")
        badge = (sandbox_badge() + " offline: nothing is sent to Twilio · "
                 if conn.is_sandbox else "✓ ")
        problem = note(escape(self.store_problem), "#d32f2f") if self.store_problem else ""
        self.summary.value = note(badge + line) + problem

    # -- errors ------------------------------------------------------------------------------
    def widget_for(self, name: str | None) -> Any | None:
        return widget_of(self.fields, name)

    def mark(self, name: str | None) -> bool:
        return mark_widget(self.widget_for(name))

    def clear_marks(self) -> None:
        for w in self.fields.values():
            unhighlight(w)

    # -- code --------------------------------------------------------------------------------
    def python_code(self) -> str:
        """The ``tw.connect(...)`` call of these settings."""
        return f"conn = tw.connect({', '.join(self._arguments(python=True))})"

    def magic_code(self) -> str:
        """The ``%twilio connect ...`` line of these settings."""
        return " ".join(["%twilio connect", *self._arguments(python=False)])

    def _arguments(self, *, python: bool) -> list[str]:
        return code_arguments(self._settings(for_code=True), python=python)
