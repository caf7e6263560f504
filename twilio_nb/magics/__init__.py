"""``%twilio`` and ``%%twilio``: a thin front end over the core.

The magics parse the line (:mod:`.parse`), make the request (``Connection.build_basic`` /
``build_advanced``) and hand the whole action to the core in one call
(:meth:`twilio_nb.Connection.run`: options checked, page sized, sent, walked or exported),
then render. Every mistake becomes a ``UsageError`` that says the fix (no traceback).
Defaults are set with ``%config TwilioMagics.<name> = ...``. Imports the core's faces; the
core never imports this package.
"""

from __future__ import annotations

import dataclasses
import getpass
from typing import Any

import pandas as pd
from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class
from traitlets import Bool, Int, TraitError, Unicode, validate
from traitlets.config import Configurable

from ..catalog import find
from ..catalog.dataframes import describe_frame, entities_frame, operations_frame
from ..catalog.words import explain
from ..convert import FORMATS, normalize_format
from ..copy_as.styles import copy_as
from ..errors import ConfigurationError, PagingError, TwilioError
from ..paging import MAX_PAGE_SIZE, before_sending
from ..session.connection import Connection
from ..session.credentials import CredentialStore, mask
from ..session.default import default_connection, set_default_connection
from ..session.settings import DEFAULTS, ConnectionSettings
from ..session.webhook_inbox import inbox
from .cell import cell_body, cell_template
from .parse import Invocation, connect_settings, header_pairs, help_text, parse_line, walk_options

__all__ = ["TwilioMagics"]


@magics_class
class TwilioMagics(Magics, Configurable):
    """The ``%twilio`` magics. Configure with ``%config TwilioMagics.response_format = 'xml'``."""

    response_format = Unicode("json", help="json, xml or csv").tag(config=True)
    display_rows = Int(20, help="rows shown of a result").tag(config=True)
    page_size = Int(0, help="PageSize for list operations (0: Twilio's default; walks ask "
                            "for 1000)").tag(config=True)
    progress = Bool(True, help="progress bars for --all and --limit").tag(config=True)
    max_retries = Int(DEFAULTS.max_retries,
                      help="retries on 429 (and 5xx for GET/DELETE) of the connections the "
                           "magics make").tag(config=True)
    trace = Bool(False, help="print each request (method, URL, status, duration)").tag(
        config=True)

    @validate("response_format")
    def _valid_format(self, proposal: dict[str, Any]) -> str:
        try:
            return normalize_format(proposal["value"])
        except ConfigurationError:
            raise TraitError(f"response_format must be one of {', '.join(FORMATS)} (or "
                             f"Application/JSON, Application/XML, Text/CSV), not "
                             f"{proposal['value']!r}") from None

    @validate("display_rows")
    def _valid_rows(self, proposal: dict[str, Any]) -> int:
        return _at_least(proposal["value"], 1, "display_rows")

    @validate("page_size")
    def _valid_page_size(self, proposal: dict[str, Any]) -> int:
        value = _at_least(proposal["value"], 0, "page_size")
        if value > MAX_PAGE_SIZE:
            raise TraitError(f"page_size must be at most {MAX_PAGE_SIZE} (Twilio's maximum), "
                             f"or 0 for Twilio's default; got {value}")
        return value

    @validate("max_retries")
    def _valid_retries(self, proposal: dict[str, Any]) -> int:
        return _at_least(proposal["value"], 0, "max_retries")

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        super().__init__(shell=shell, **kwargs)
        self.store: CredentialStore | None = None

    @property
    def _ns(self) -> dict[str, Any]:
        """The user's namespace."""
        assert self.shell is not None, "the magics run inside an IPython shell"
        ns: dict[str, Any] = self.shell.user_ns
        return ns

    # -- connection ----------------------------------------------------------------------
    def connection(self) -> Connection:
        conn = default_connection()
        if conn is None:
            try:
                conn = self._connect(DEFAULTS)
            except ConfigurationError:
                conn = self._connect(dataclasses.replace(DEFAULTS, sandbox=True))
                print("twilio_nb: no connection and no credentials found, so this uses the "
                      "offline SANDBOX (nothing is sent to Twilio). %twilio connect --credential "
                      "NAME (or TWILIO_* environment variables) switches to a real account.")
        conn.display_rows = self.display_rows
        conn.trace = self.trace
        return conn

    def _connect(self, settings: ConnectionSettings) -> Connection:
        """A new default connection of ``settings``, with the retries ``%config
        TwilioMagics.max_retries`` asks for (a connection made in Python keeps its own)."""
        conn = Connection.from_settings(
            dataclasses.replace(settings, max_retries=self.max_retries), store=self.store,
            trace=self.trace)
        set_default_connection(conn)
        return conn

    # -- the magic -----------------------------------------------------------------------
    @line_cell_magic
    def twilio(self, line: str, cell: str | None = None) -> Any:  # the doc: help_text()
        try:
            return self._run(line, cell)
        except PagingError as exc:
            self._ns["_twilio_error"] = exc
            raise UsageError(f"{exc}\n(the error is in _twilio_error: _twilio_error.partial, "
                             "_twilio_error.resume())") from None
        except TwilioError as exc:
            raise UsageError(str(exc)) from None

    def _run(self, line: str, cell: str | None) -> Any:
        inv = parse_line(line)
        if inv.kind == "command":
            return self._command(inv)
        opts = inv.options
        conn = self.connection()
        if opts.each:  # one request per row: the batch checks its own options
            return self._batch(conn, inv, cell)
        walk = walk_options(opts, page_size=self.page_size or None, progress=self.progress)
        built = self._build(conn, inv, cell)
        if opts.as_style or opts.dry_run:  # the request as it would go; nothing is sent
            ready = before_sending(built, walk)
            print(copy_as(ready, opts.as_style or "curl"))
            return None if opts.as_style else ready
        value = conn.run(built, walk, response_headers=opts.response_headers)
        if opts.df and not walk.walks:
            value = value.df
        if opts.out:
            self._ns[opts.out] = value
        return value

    def _build(self, conn: Connection, inv: Invocation, cell: str | None) -> Any:
        opts = inv.options
        fmt = opts.format or self.response_format
        headers = header_pairs(opts.header) if opts.header else None
        if inv.kind == "basic":
            assert inv.entity is not None and inv.operation is not None
            body = cell_body(cell, self.shell, json_body=True) if cell is not None else None
            return conn.build_basic(inv.entity, inv.operation, params=inv.pairs or None, body=body,
                                    query=opts.query, next_page_uri=opts.next_page_uri,
                                    response_format=fmt, request_headers=opts.request_headers,
                                    headers=headers)
        assert inv.method is not None and inv.url is not None
        body = cell_body(cell, self.shell, json_body=False) if cell is not None else None
        return conn.build_advanced(inv.method, inv.url, body=body, send_body=opts.send_body,
                                   query=opts.query, response_format=fmt,
                                   request_headers=opts.request_headers, headers=headers,
                                   params=inv.pairs or None)

    def _batch(self, conn: Connection, inv: Invocation, cell: str | None) -> Any:
        """``--each VAR``: one request per row of VAR (:meth:`Connection.batch`)."""
        opts = inv.options
        if opts.each not in self._ns:
            raise ConfigurationError(f"--each {opts.each}: no variable of that name; give the "
                                     "name of a DataFrame (or a list of dicts)")
        options: dict[str, Any] = {
            "params": inv.pairs or None, "query": opts.query,
            "concurrency": 1 if opts.concurrency is None else opts.concurrency,
            "dry_run": opts.dry_run, "checkpoint": opts.checkpoint, "progress": self.progress,
            "body": cell_template(cell), "start_again": opts.start_again}
        if inv.kind == "basic":
            assert inv.entity is not None and inv.operation is not None
            batch = conn.batch(inv.entity, inv.operation, self._ns[opts.each], **options)
        else:
            assert inv.method is not None and inv.url is not None
            batch = conn.batch_advanced(inv.method, inv.url, self._ns[opts.each], **options)
        if opts.out:
            self._ns[opts.out] = batch
        return batch

    # -- sub-commands --------------------------------------------------------------------
    def _command(self, inv: Invocation) -> Any:
        cmd, args = inv.command, inv.args
        if cmd == "help":
            print(_explain(args) if args else help_text())
            return None
        if cmd == "connect":
            conn = self._connect(connect_settings(inv.options))
            print(f"twilio_nb: connected: {conn!r}")
            return None
        if cmd == "credentials":
            return self._credentials(args)
        if cmd == "export":
            o = inv.options
            value = self.connection().bulk_export(
                o.resource, o.since, o.until, create_jobs=o.jobs, wait=o.wait,
                poll_s=o.poll_s, timeout=o.timeout, concurrency=o.concurrency, parquet=o.parquet,
                overwrite=o.overwrite, progress=self.progress)
            if o.out:
                self._ns[o.out] = value
            return value
        if cmd == "whoami":
            return self.connection().whoami()
        if cmd == "entities":
            return entities_frame()
        if cmd == "operations":
            if len(args) != 1:
                raise ConfigurationError('Write %twilio operations ENTITY, e.g. '
                                         '%twilio operations Message')
            return operations_frame(args[0])
        if cmd == "describe":
            if len(args) != 2:
                raise ConfigurationError('Write %twilio describe ENTITY "OPERATION", e.g. '
                                         '%twilio describe Message "Send Message"')
            return describe_frame(args[0], args[1])
        if cmd == "history":
            return self.connection().history
        if cmd == "form":
            # deferred: the form's widgets cost import time only when a form is asked for
            from ..widgets.form import form

            return form(self.connection(), store=self.store)
        if cmd == "inbox":
            return inbox(connection=self.connection())
        if cmd == "trace":
            if args not in (["on"], ["off"]):
                raise ConfigurationError("Write %twilio trace on, or %twilio trace off")
            self.trace = args == ["on"]
            self.connection().trace = self.trace
            print(f"twilio_nb: trace {'on' if self.trace else 'off'}")
            return None
        raise ConfigurationError(f"Unknown command {cmd!r}")  # pragma: no cover

    def _credentials(self, args: list[str]) -> Any:
        store = self.store or CredentialStore()
        if not args or args[0] not in ("add", "list", "remove"):
            raise ConfigurationError("Write %twilio credentials add NAME, %twilio credentials "
                                     "list, or %twilio credentials remove NAME")
        if args[0] == "list":
            names = store.names()
            return pd.DataFrame({"name": names,
                                 "user": [_masked_user(store, n) for n in names]})
        if len(args) < 2:
            raise ConfigurationError(f"Write %twilio credentials {args[0]} NAME")
        name = args[1]
        if args[0] == "remove":
            found = store.remove(name)
            print(f"twilio_nb: credential {name!r} " + ("removed" if found else "was not stored"))
            return None
        extra = parse_flags(args[2:], {"--user", "--account-sid"})
        user = extra.get("--user") or input("User (API key SID SK... or Account SID AC...): ")
        secret = getpass.getpass("Secret (API key secret or auth token; not echoed): ")
        store.add(name, user.strip(), secret, account_sid=extra.get("--account-sid"))
        print(f"twilio_nb: credential {name!r} stored for user {_masked_user(store, name)}; use "
              f"it with %twilio connect --credential {name}")
        return None


def _explain(args: list[str]) -> str:
    """``%twilio help Message.send`` or ``%twilio help Message "Send Message"``."""
    if len(args) == 1 and "." in args[0]:
        args = args[0].split(".", 1)
    if len(args) != 2:
        raise ConfigurationError('Write %twilio help Entity.verb or %twilio help ENTITY '
                                 '"OPERATION", e.g. %twilio help Message.send')
    return explain(find(args[0], args[1]))


def _masked_user(store: CredentialStore, name: str) -> str:
    creds = store.get(name)
    return mask(creds.user) if creds else ""


def parse_flags(tokens: list[str], allowed: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    it = iter(tokens)
    for tok in it:
        if tok not in allowed:
            raise ConfigurationError(f"Unknown option {tok!r}; allowed: {sorted(allowed)}")
        value = next(it, None)
        if value is None:
            raise ConfigurationError(f"{tok} needs a value")
        out[tok] = value
    return out


def _at_least(value: int, least: int, name: str) -> int:
    if value < least:
        raise TraitError(f"{name} must be {least} or more, got {value}")
    return value


TwilioMagics.twilio.__doc__ = help_text()  # %twilio? shows what %twilio --help prints
