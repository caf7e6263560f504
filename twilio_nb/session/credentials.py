"""Credentials: who twilio_nb authenticates as, and where that comes from.

A credential is a user and a password, as in the adapter's User Credentials artifact:
with *API Key* the user is the key SID (``SK...``) and the password the key secret; with
*Auth Token* the user is the Account SID (``AC...``) and the password the auth token.

Where a credential comes from, in this order (the first that gives one wins):

1. a :class:`UserCredentials` passed to the connection;
2. a name passed to the connection: the named store (:class:`CredentialStore`), then a
   twilio-cli profile of that name (the name ``"sandbox"`` is the connection's: it hands the
   offline sandbox's public account in as a given credential);
3. no name: the environment, ``TWILIO_ACCOUNT_SID`` with ``TWILIO_API_KEY`` and
   ``TWILIO_API_SECRET`` (API Key) or with ``TWILIO_AUTH_TOKEN`` (Auth Token);
4. the twilio-cli's active profile (``~/.twilio-cli/config.json``), read only.

The named store keeps names, users and account SIDs in a JSON file readable only by its owner:
``$TWILIO_NB_CREDENTIALS``, else ``credentials.json`` in the platform's configuration directory
for ``twilio_nb`` (from platformdirs: on Linux ``$XDG_CONFIG_HOME/twilio_nb``, by default
``~/.config/twilio_nb``; on macOS ``~/Library/Application Support/twilio_nb``; on Windows
``%LOCALAPPDATA%\\twilio_nb``). A file at the old place, ``~/.config/twilio_nb/``, is still
read while the new place has none (the first change writes it to the new place). The secrets
go to the system keyring when the ``keyring`` extra is installed (``pip install
twilio_nb[keyring]``) and a real keyring backend exists, else into that same file. Secrets are
masked in every repr and message.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from ..errors import ConfigurationError
from ..vocabulary import AUTH_TYPES, normalize_auth_type

__all__ = ["CredentialStore", "ResolvedCredentials", "UserCredentials", "default_path", "mask",
           "resolve"]

KEYRING_SERVICE = "twilio_nb"


def mask(value: str | None) -> str:
    """``SK12…cdef``: enough to tell credentials apart, never enough to use one."""
    if not value:
        return "(none)"
    if len(value) <= 8:
        return "****"
    return f"{value[:4]}…{value[-4:]}"


@dataclass(frozen=True)
class UserCredentials:
    """A user and a password, like the adapter's User Credentials artifact."""

    user: str
    password: str = field(repr=False)
    account_sid: str | None = None  # with an API key: the account the key belongs to

    def __repr__(self) -> str:
        acct = f", account_sid={mask(self.account_sid)!r}" if self.account_sid else ""
        return f"UserCredentials(user={mask(self.user)!r}, password='****'{acct})"

    __str__ = __repr__

    @property
    def kind(self) -> str:
        """``api_key`` for an ``SK`` user, ``auth_token`` for an ``AC`` user, else ``unknown``."""
        if self.user.startswith("SK"):
            return "api_key"
        if self.user.startswith("AC"):
            return "auth_token"
        return "unknown"


@dataclass(frozen=True)
class ResolvedCredentials:
    credentials: UserCredentials
    auth_type: str
    account_sid: str | None
    source: str  # "given", "store:NAME", "twilio-cli:NAME", "environment", "sandbox"

    def __repr__(self) -> str:
        return (f"ResolvedCredentials({AUTH_TYPES.get(self.auth_type, self.auth_type)}, "
                f"user={mask(self.credentials.user)}, account={mask(self.account_sid)}, "
                f"from {self.source})")


def _keyring_backend() -> Any | None:
    """The keyring module when the ``keyring`` extra is installed and a real backend exists
    (not the fail/null/plaintext ones); None otherwise."""
    try:  # imported here: an optional extra, and loading its backends takes time
        import keyring
        from keyring.backends import fail
    except ImportError:  # not installed (the default): secrets go to the owner-only file
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # pragma: no cover
        return None
    if isinstance(backend, fail.Keyring):
        return None
    if type(backend).__name__ == "ChainerBackend" and not getattr(backend, "backends", None):
        return None
    return keyring


def default_path() -> Path:
    """``credentials.json`` in the platform's configuration directory for twilio_nb (on Linux
    ``$XDG_CONFIG_HOME/twilio_nb``, by default ``~/.config/twilio_nb``)."""
    return platformdirs.user_config_path("twilio_nb", appauthor=False) / "credentials.json"


class CredentialStore:
    """Named credentials: ``add``, ``get``, ``remove``, ``names``.

    ``path`` defaults to ``$TWILIO_NB_CREDENTIALS`` (from the injected ``environ``), else
    ``credentials.json`` in the platform's configuration directory (:func:`default_path`);
    while that file does not exist, one at the old place (``~/.config/twilio_nb/``) is read.
    ``use_keyring=None`` uses the system keyring when the ``keyring`` extra is installed and a
    real backend exists.
    """

    def __init__(self, path: str | Path | None = None, *, environ: Mapping[str, str] | None = None,
                 use_keyring: bool | None = None) -> None:
        env = os.environ if environ is None else environ
        self._legacy: Path | None = None
        if path is None:
            path = env.get("TWILIO_NB_CREDENTIALS") or default_path()
            if not env.get("TWILIO_NB_CREDENTIALS"):
                legacy = Path(env.get("HOME", str(Path.home()))) / ".config" / "twilio_nb" \
                    / "credentials.json"
                self._legacy = None if legacy == Path(path) else legacy
        self.path = Path(path)
        self._keyring = None if use_keyring is False else _keyring_backend()
        if use_keyring and self._keyring is None:
            raise ConfigurationError("use_keyring=True, but no keyring backend is available here; "
                                     "leave it unset to keep secrets in the owner-only file")

    def __repr__(self) -> str:
        where = "keyring" if self._keyring else "file"
        return f"CredentialStore({str(self.path)!r}, secrets in {where}, names={self.names()})"

    def _source(self) -> Path:
        """The file read: the store's own, or the old place's while the own one is missing."""
        if self._legacy is not None and not self.path.exists() and self._legacy.exists():
            return self._legacy
        return self.path

    def _load(self) -> dict[str, dict[str, str]]:
        source = self._source()
        if not source.exists():
            return {}
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigurationError(
                f"The credential file {source} cannot be read ({type(exc).__name__}); "
                "fix or delete it, then add the credentials again") from None
        entries = data.get("credentials", {}) if isinstance(data, dict) else {}
        return {str(k): dict(v) for k, v in entries.items() if isinstance(v, dict)}

    def _save(self, entries: dict[str, dict[str, str]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"credentials": entries}, fh, indent=2, sort_keys=True)
        os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR)
        os.replace(tmp, self.path)

    def names(self) -> list[str]:
        return sorted(self._load())

    def add(self, name: str, user: str, password: str, *, account_sid: str | None = None) -> None:
        """Store (or replace) a credential under ``name``."""
        name = name.strip()
        if not name or name.lower() == "sandbox":
            raise ConfigurationError("Give the credential a name (not 'sandbox', which is the "
                                     "built-in offline account)", field="Credential Name")
        if not user or not password:
            raise ConfigurationError("A credential needs a user (SK... or AC...) and a password",
                                     field="Credential Name")
        entries = self._load()
        entry: dict[str, str] = {"user": user}
        if account_sid:
            entry["account_sid"] = account_sid
        if self._keyring is not None:
            self._keyring.set_password(KEYRING_SERVICE, name, password)
            entry["secret_in"] = "keyring"
        else:
            entry["password"] = password
        entries[name] = entry
        self._save(entries)

    def get(self, name: str) -> UserCredentials | None:
        entry = self._load().get(name)
        if entry is None:
            return None
        password = entry.get("password")
        if entry.get("secret_in") == "keyring":
            password = self._keyring.get_password(KEYRING_SERVICE, name) if self._keyring else None
            if password is None:
                raise ConfigurationError(
                    f"The secret of credential {name!r} was kept in a keyring that is not "
                    "available now; add the credential again", field="Credential Name")
        return UserCredentials(entry["user"], password or "", entry.get("account_sid"))

    def remove(self, name: str) -> bool:
        entries = self._load()
        entry = entries.pop(name, None)
        if entry is None:
            return False
        if entry.get("secret_in") == "keyring" and self._keyring is not None:
            with contextlib.suppress(Exception):  # already gone is fine
                self._keyring.delete_password(KEYRING_SERVICE, name)
        self._save(entries)
        return True


def twilio_cli_profiles(
        environ: Mapping[str, str]) -> tuple[dict[str, UserCredentials], str | None]:
    """The twilio-cli's profiles (read only) and the name of its active one."""
    home = environ.get("HOME", str(Path.home()))
    path = Path(environ.get("TWILIO_CLI_CONFIG", Path(home) / ".twilio-cli" / "config.json"))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, None
    out: dict[str, UserCredentials] = {}
    profiles = data.get("profiles") or data.get("projects") or {}
    if isinstance(profiles, list):
        profiles = {p.get("id", ""): p for p in profiles if isinstance(p, dict)}
    for name, prof in profiles.items():
        if not isinstance(prof, dict):
            continue
        sid = prof.get("accountSid")
        if prof.get("apiKey") and prof.get("apiSecret"):
            out[name] = UserCredentials(prof["apiKey"], prof["apiSecret"], sid)
        elif sid and prof.get("authToken"):
            out[name] = UserCredentials(sid, prof["authToken"], sid)
    active = data.get("activeProfile") or data.get("activeProject")
    return out, active if isinstance(active, str) else None


def _finish(creds: UserCredentials, auth_type: str | None, account_sid: str | None,
            source: str) -> ResolvedCredentials:
    kind = creds.kind
    if auth_type is None:
        auth_type = kind if kind in AUTH_TYPES else "api_key"
    if auth_type == "api_key" and kind == "auth_token":
        raise ConfigurationError(
            f"Authentication Type is API Key, but the credential's user {mask(creds.user)} is an "
            "Account SID: use auth_type='auth_token', or a credential whose user is an API key "
            "SID (SK...)", field="Authentication Type")
    if auth_type == "auth_token" and kind == "api_key":
        raise ConfigurationError(
            f"Authentication Type is Auth Token, but the credential's user {mask(creds.user)} is "
            "an API key SID: use auth_type='api_key' and give account_sid='AC...', or a "
            "credential whose user is the Account SID", field="Authentication Type")
    if auth_type == "auth_token":
        account_sid = account_sid or creds.user
    else:
        account_sid = account_sid or creds.account_sid
    return ResolvedCredentials(creds, auth_type, account_sid, source)


def resolve(credential: str | UserCredentials | None, *, auth_type: str | None = None,
            account_sid: str | None = None, environ: Mapping[str, str] | None = None,
            store: CredentialStore | None = None,
            source: str = "given") -> ResolvedCredentials | None:
    """Find the credential to use, in the documented order; None when there is none.
    ``source`` names where a given :class:`UserCredentials` came from (the connection hands
    the sandbox's account in as ``source="sandbox"``)."""
    env = os.environ if environ is None else environ
    auth_type = normalize_auth_type(auth_type)
    if isinstance(credential, UserCredentials):
        return _finish(credential, auth_type, account_sid, source)
    if isinstance(credential, str):
        name = credential.strip()
        found = (store or CredentialStore(environ=env)).get(name)
        if found is not None:
            return _finish(found, auth_type, account_sid, f"store:{name}")
        profiles, _ = twilio_cli_profiles(env)
        if name in profiles:
            return _finish(profiles[name], auth_type, account_sid, f"twilio-cli:{name}")
        known = (store or CredentialStore(environ=env)).names() + sorted(profiles)
        raise ConfigurationError(
            f"No stored credential named {name!r}. Known names: {known or 'none'}. Add one with "
            f"%twilio credentials add {name} (or tw.CredentialStore().add(...)), or use 'sandbox'.",
            field="Credential Name")
    if credential is not None:
        raise ConfigurationError("credential must be a stored credential's name or "
                                 "tw.UserCredentials(user, password)", field="Credential Name")
    sid = env.get("TWILIO_ACCOUNT_SID")
    key, secret, token = (env.get("TWILIO_API_KEY"), env.get("TWILIO_API_SECRET"),
                          env.get("TWILIO_AUTH_TOKEN"))
    if key and secret and auth_type != "auth_token":
        return _finish(UserCredentials(key, secret, sid), auth_type or "api_key", account_sid,
                       "environment")
    if sid and token and auth_type != "api_key":
        return _finish(UserCredentials(sid, token, sid), auth_type or "auth_token", account_sid,
                       "environment")
    profiles, active = twilio_cli_profiles(env)
    if active and active in profiles:
        return _finish(profiles[active], auth_type, account_sid, f"twilio-cli:{active}")
    return None
