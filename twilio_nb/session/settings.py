"""The Connection tab's settings, written once: :class:`ConnectionSettings` holds every
setting a :class:`~.connection.Connection` takes (address, authentication, account, timeouts,
reuse, region and edge, retries, the answer size cap, the sandbox, recording and replaying),
each with its default, its check and its help text.

Every front end reads it: ``Connection(...)`` and ``tw.connect(...)`` take its fields as
keyword arguments (their defaults are its defaults), the ``%twilio connect`` flags are
declared from it (:mod:`twilio_nb.magics.parse`), the form's Connection tab names its fields
by their :attr:`Setting.label`, and "copy as" writes only what differs from the defaults
(:func:`code_arguments`). Front ends make new settings (``dataclasses.replace``) and build a
new Connection (:meth:`Connection.from_settings <.connection.Connection.from_settings>`);
they never change a live one. docs/configuration.md's table of the settings is
:func:`reference_table` (a test keeps it true).

Imports errors, vocabulary, request (the default address), transport (the size cap) and the
cassette's scrub check; never the connection, a front end or the sandbox.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..cassette.scrub import check_scrub
from ..errors import ConfigurationError
from ..request.urls import DEFAULT_ADDRESS
from ..transport.response import MAX_RESPONSE_BYTES
from ..vocabulary import normalize_auth_type

__all__ = ["DEFAULTS", "DEFAULT_ADDRESS", "SANDBOX_ADDRESS", "ConnectionSettings", "Setting",
           "code_arguments", "reference_table", "settings_of"]

#: Where the in-process sandbox answers (never resolved: its transport answers).
SANDBOX_ADDRESS = "http://sandbox.twilio-nb.invalid"
DEFAULT_TIMEOUT_MS = 60000
FALLBACKS = (None, "sandbox")
SCRUB_CHOICES = ("pii", "secrets")


@dataclass(frozen=True)
class Setting:
    """What a front end knows of one setting: the adapter's ``label`` (the form's field,
    None when the form has none), the ``help`` text, the ``%twilio connect`` ``flag`` (None
    when the magic has none; ``off``: the help of a switch's ``--no-`` form), its
    ``metavar`` and ``choices`` there, and its ``check`` (the value as used, or a
    ConfigurationError)."""

    help: str
    label: str | None = None
    flag: str | None = None
    off: str | None = None
    metavar: str | None = None
    choices: tuple[str, ...] | None = None
    check: Callable[[Any], Any] | None = None


def _about(help: str, **more: Any) -> dict[str, Setting]:
    """A dataclass field's metadata: what front ends know of the setting."""
    return {"setting": Setting(help, **more)}


# -- the checks ------------------------------------------------------------------------------
def check_address(value: str) -> str:
    """The base URL of the Twilio REST API: a scheme and a host, no path, query or user."""
    url = str(value).strip().rstrip("/")
    try:
        parsed: httpx.URL | None = httpx.URL(url)
    except Exception:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError(
            f"Address {value!r} is not a URL: give the base URL of the Twilio REST API, e.g. "
            f"{DEFAULT_ADDRESS} (or http://127.0.0.1:4010 for a local sandbox)",
            field="Address")
    if parsed.path not in ("", "/") or parsed.query:
        raise ConfigurationError(
            f"Address {value!r} has a path or query: give the host only, e.g. "
            f"{DEFAULT_ADDRESS}; the path goes in the Operation or the Relative URL",
            field="Address")
    if parsed.userinfo:
        raise ConfigurationError("Address must not carry a user or password; use a stored "
                                 "credential (Credential Name)", field="Address")
    return url


def _timeout(name: str) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        """A timeout in ms: a positive number (the field named in the error)."""
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigurationError(f"{name} must be a positive number of milliseconds, e.g. "
                                     f"{DEFAULT_TIMEOUT_MS} (got {value!r})", field=name)
        return int(value)
    return check


def _at_least_zero(name: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigurationError(f"{name} must be 0 or more (got {value!r})", field=name)
        return value
    return check


def _byte_cap(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigurationError(f"max_response_bytes must be a positive number of bytes "
                                 f"(got {value!r})", field="max_response_bytes")
    return value


def _scrub(value: Any) -> Any:
    if value is not None:  # None: the default, "pii" when recording
        check_scrub(value)
    return value


def _fallback(value: Any) -> Any:
    if value not in FALLBACKS:
        raise ConfigurationError(f"fallback={value!r}: give None (a request the cassette "
                                 "does not hold raises tw.ReplayError) or 'sandbox' (it goes to "
                                 "the offline sandbox)", field="fallback")
    return value


# -- the settings ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ConnectionSettings:
    """Every setting of a Connection, with its default. ``checked()`` is the settings as a
    connection uses them (or a ConfigurationError saying what to fix). The fields' order is
    the order "copy as" writes them in."""

    sandbox: Any = field(default=False, metadata=_about(
        "the built-in offline Twilio (in Python also a tw.Sandbox)", flag="--sandbox"))
    address: str = field(default=DEFAULT_ADDRESS, metadata=_about(
        f"base URL, default {DEFAULT_ADDRESS}", label="Address", flag="--address",
        metavar="URL", check=check_address))
    credential: Any = field(default=None, metadata=_about(
        "a stored credential's name (in Python also tw.UserCredentials)", label="Credential Name",
        flag="--credential", metavar="NAME"))
    auth_type: str | None = field(default=None, metadata=_about(
        "api_key (default) or auth_token", label="Authentication Type", flag="--auth-type",
        metavar="TYPE", check=normalize_auth_type))
    account_sid: str | None = field(default=None, metadata=_about(
        "the Account SID (needed with an API key)", flag="--account-sid", metavar="AC..."))
    reuse_connection: bool = field(default=True, metadata=_about(
        "keep one connection pool (default)", label="Reuse Connection", flag="--reuse",
        off="a new connection for each request", check=bool))
    connection_timeout_ms: int = field(default=DEFAULT_TIMEOUT_MS, metadata=_about(
        f"connect timeout in ms (default {DEFAULT_TIMEOUT_MS})",
        label="Connection Timeout (in ms)", flag="--connection-timeout-ms", metavar="N",
        check=_timeout("Connection Timeout (in ms)")))
    response_timeout_ms: int = field(default=DEFAULT_TIMEOUT_MS, metadata=_about(
        f"read timeout in ms (default {DEFAULT_TIMEOUT_MS})",
        label="Response Timeout (in ms)", flag="--response-timeout-ms", metavar="N",
        check=_timeout("Response Timeout (in ms)")))
    region: str | None = field(default=None, metadata=_about(
        "Twilio region, e.g. au1", flag="--region", metavar="R"))
    edge: str | None = field(default=None, metadata=_about(
        "Twilio edge, e.g. sydney", flag="--edge", metavar="E"))
    max_retries: int = field(default=5, metadata=_about(
        "retries on 429 (and 5xx for GET/DELETE); the magics: %config "
        "TwilioMagics.max_retries", check=_at_least_zero("max_retries")))
    retry_budget_s: float = field(default=60.0, metadata=_about(
        "the most time spent retrying one request, in s", check=_at_least_zero("retry_budget_s")))
    backoff_base_s: float = field(default=0.5, metadata=_about(
        "the first retry's backoff, in s (doubling)", check=_at_least_zero("backoff_base_s")))
    max_response_bytes: int = field(default=MAX_RESPONSE_BYTES, metadata=_about(
        "an answer is not read past this size (256 MB)", check=_byte_cap))
    record: Any = field(default=None, metadata=_about(
        "write the session to a scrubbed cassette", label="Record to", flag="--record",
        metavar="PATH"))
    scrub: Any = field(default=None, metadata=_about(
        "with record: pii (default): numbers, emails, bodies, account replaced; secrets: "
        "only secrets", flag="--scrub", choices=SCRUB_CHOICES, check=_scrub))
    replay: Any = field(default=None, metadata=_about(
        "answer from a cassette, no account and no network", flag="--replay", metavar="PATH"))
    fallback: str | None = field(default=None, metadata=_about(
        "with replay: where requests the cassette lacks go", flag="--fallback",
        choices=("sandbox",), check=_fallback))

    def checked(self) -> ConnectionSettings:
        """The settings as a connection uses them: each checked (and normalised: the address
        without its trailing /, the auth type's key), then the ones that go together."""
        changes = {}
        for name, setting in settings_of():
            if setting.check is not None:
                changes[name] = setting.check(getattr(self, name))
        out = dataclasses.replace(self, **changes)
        out._check_together()
        return out

    def _check_together(self) -> None:
        if self.fallback is not None and self.replay is None:
            raise ConfigurationError(f"fallback={self.fallback!r} says where a replay sends "
                                     "what its cassette lacks: give replay=PATH too, or leave "
                                     "fallback out", field="fallback")
        if self.record is None and self.scrub is not None:  # even "pii": it would do nothing
            raise ConfigurationError(f"scrub={self.scrub!r} says what a recording leaves out: "
                                     "give record=PATH too, or leave scrub out", field="scrub")

    def arguments(self) -> dict[str, Any]:
        """The settings as ``Connection``'s keyword arguments."""
        return {name: getattr(self, name) for name, _ in settings_of()}


def settings_of() -> list[tuple[str, Setting]]:
    """Each setting's name and what front ends know of it, in the fields' order."""
    return [(f.name, f.metadata["setting"]) for f in dataclasses.fields(ConnectionSettings)]


#: The defaults, for signatures (``Connection``, ``tw.connect``) and front ends.
DEFAULTS = ConnectionSettings()


def code_arguments(settings: ConnectionSettings, *, python: bool) -> list[str]:
    """The settings that differ from the defaults, as ``tw.connect`` keyword arguments
    (``python``) or ``%twilio connect`` flags, in the fields' order: what "copy as" writes.
    A credential that is not a name (the environment's, one given as UserCredentials) is
    left out: it is never written."""
    out: list[str] = []
    for name, setting in settings_of():
        value = getattr(settings, name)
        if value == getattr(DEFAULTS, name) or (name == "credential"
                                                 and not isinstance(value, str)):
            continue
        if python:
            out.append(f"{name}={value!r}")
        elif setting.flag is not None:
            if isinstance(value, bool):  # a switch: on, or its --no- form
                out.append(setting.flag if value else "--no-" + setting.flag[2:])
            else:
                out.append(f"{setting.flag} {value}")
    return out


def reference_table() -> str:
    """The Markdown table of the settings for docs/configuration.md, from their help."""
    rows = ["| setting | default | `%twilio connect` | form field | what it is |",
            "| --- | --- | --- | --- | --- |"]
    for name, setting in settings_of():
        default = getattr(DEFAULTS, name)
        flag = setting.flag or ""
        text = setting.help + (f"; `--no-{flag[2:]}`: {setting.off}" if setting.off else "")
        if setting.off:
            flag = f"{flag} / --no-{flag[2:]}"
        rows.append(f"| `{name}` | `{default!r}` | {f'`{flag}`' if flag else '—'} | "
                    f"{setting.label or '—'} | {text.replace('|', '/')} |")
    return "\n".join(rows)
