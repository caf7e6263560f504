"""Credentials: the named store, the environment, twilio-cli profiles, masking."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

import twilio_nb as tw
from twilio_nb.session.credentials import CredentialStore, UserCredentials, mask, resolve

ACCOUNT = "AC" + "3" * 32
KEY = "SK" + "4" * 32
SECRET = "s3cr3t-value-that-must-not-leak"


@pytest.fixture
def store(tmp_path: Path) -> CredentialStore:
    return CredentialStore(tmp_path / "creds.json", use_keyring=False)


def test_store_add_get_remove_and_file_is_owner_only(store: CredentialStore) -> None:
    store.add("prod", KEY, SECRET, account_sid=ACCOUNT)
    assert store.names() == ["prod"]
    got = store.get("prod")
    assert got == UserCredentials(KEY, SECRET, ACCOUNT)
    mode = stat.S_IMODE(store.path.stat().st_mode)
    assert mode == 0o600
    assert store.remove("prod") and store.names() == [] and store.get("prod") is None


def test_store_path_comes_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.json"
    s = CredentialStore(environ={"TWILIO_NB_CREDENTIALS": str(path)}, use_keyring=False)
    s.add("x", KEY, SECRET)
    assert path.exists()


def test_reprs_and_errors_mask_secrets(store: CredentialStore) -> None:
    creds = UserCredentials(KEY, SECRET, ACCOUNT)
    assert SECRET not in repr(creds) and SECRET not in str(creds)
    assert KEY not in repr(creds) and mask(KEY) in repr(creds)
    store.add("prod", KEY, SECRET, account_sid=ACCOUNT)
    assert SECRET not in repr(store)
    resolved = resolve("prod", store=store, environ={})
    assert resolved is not None and SECRET not in repr(resolved)
    conn = tw.Connection("http://127.0.0.1:9", credential="prod", store=store, environ={})
    assert SECRET not in repr(conn) and KEY not in repr(conn)
    assert SECRET not in str(conn.whoami())


def test_unknown_name_lists_known_names(store: CredentialStore) -> None:
    store.add("prod", KEY, SECRET)
    with pytest.raises(tw.ConfigurationError, match="prod") as err:
        resolve("staging", store=store, environ={})
    assert err.value.field == "Credential Name"


def test_environment_api_key_then_auth_token(store: CredentialStore) -> None:
    env = {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_API_KEY": KEY, "TWILIO_API_SECRET": SECRET,
           "TWILIO_AUTH_TOKEN": "t" * 32, "HOME": "/nonexistent"}
    r = resolve(None, environ=env, store=store)
    assert r is not None and (r.auth_type, r.credentials.user, r.account_sid) == (
        "api_key", KEY, ACCOUNT)
    r = resolve(None, auth_type="auth_token", environ=env, store=store)
    assert r is not None and (r.auth_type, r.credentials.user) == ("auth_token", ACCOUNT)
    only_token = {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "t" * 32,
                  "HOME": "/nonexistent"}
    r = resolve(None, environ=only_token, store=store)
    assert r is not None and r.auth_type == "auth_token" and r.source == "environment"


def test_twilio_cli_profiles_are_read(tmp_path: Path, store: CredentialStore) -> None:
    cli = tmp_path / ".twilio-cli"
    cli.mkdir()
    (cli / "config.json").write_text(json.dumps({
        "profiles": {"dev": {"accountSid": ACCOUNT, "apiKey": KEY, "apiSecret": SECRET}},
        "activeProfile": "dev"}))
    env = {"HOME": str(tmp_path)}
    by_name = resolve("dev", environ=env, store=store)
    assert by_name is not None and by_name.source == "twilio-cli:dev"
    assert by_name.account_sid == ACCOUNT
    active = resolve(None, environ=env, store=store)
    assert active is not None and active.credentials.password == SECRET


def test_nothing_found_is_none_and_a_connection_says_how_to_fix(store: CredentialStore) -> None:
    assert resolve(None, environ={"HOME": "/nonexistent"}, store=store) is None
    with pytest.raises(tw.ConfigurationError, match="sandbox"):
        tw.Connection(environ={"HOME": "/nonexistent"}, store=store)


def test_sandbox_name_gives_the_public_sandbox_account(store: CredentialStore) -> None:
    """The connection hands the sandbox's account in; the credentials know no sandbox."""
    from twilio_nb import sandbox

    conn = tw.Connection(credential="sandbox", transport=sandbox.Sandbox().transport(),
                         environ={}, store=store)
    assert conn.account_sid == sandbox.ACCOUNT_SID and conn.credential_source == "sandbox"
    assert conn.credentials.user == sandbox.API_KEY_SID and conn.is_sandbox
    conn = tw.Connection(credential=" Sandbox ", auth_type="auth_token", environ={}, store=store)
    assert conn.credentials.user == sandbox.ACCOUNT_SID
    assert conn.auth_token == sandbox.AUTH_TOKEN
    with pytest.raises(tw.ConfigurationError, match="No stored credential named 'sandbox'"):
        resolve("sandbox", environ={}, store=store)


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CONFIG_HOME is Linux's convention")
def test_default_file_honours_xdg_config_home(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TWILIO_NB_CREDENTIALS", raising=False)
    store = CredentialStore(use_keyring=False)
    assert store.path == tmp_path / "xdg" / "twilio_nb" / "credentials.json"
    store.add("prod", KEY, SECRET)
    assert store.path.exists() and not (tmp_path / "home" / ".config").exists()


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CONFIG_HOME is Linux's convention")
def test_a_file_at_the_old_place_is_read_then_moved_on_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = tmp_path / "home" / ".config" / "twilio_nb" / "credentials.json"
    CredentialStore(old, use_keyring=False).add("legacy", KEY, SECRET, account_sid=ACCOUNT)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TWILIO_NB_CREDENTIALS", raising=False)
    store = CredentialStore(use_keyring=False)
    assert store.names() == ["legacy"] and not store.path.exists()
    assert store.get("legacy") == UserCredentials(KEY, SECRET, ACCOUNT)
    store.add("new", KEY, SECRET)
    assert store.path.exists() and store.names() == ["legacy", "new"]
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert CredentialStore(old, use_keyring=False).names() == ["legacy"]  # left as it was


def test_without_the_keyring_extra_secrets_go_to_the_owner_only_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # as if not installed: import fails
    store = CredentialStore(tmp_path / "c.json")
    store.add("prod", KEY, SECRET)
    assert json.loads(store.path.read_text())["credentials"]["prod"]["password"] == SECRET
    assert "secrets in file" in repr(store)
    with pytest.raises(tw.ConfigurationError, match="no keyring backend"):
        CredentialStore(tmp_path / "c.json", use_keyring=True)


def test_with_a_real_keyring_backend_secrets_leave_the_file(tmp_path: Path) -> None:
    keyring = pytest.importorskip("keyring")
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.secrets: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.secrets.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.secrets[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.secrets.pop((service, username), None)

    before = keyring.get_keyring()
    memory = Memory()
    keyring.set_keyring(memory)
    try:
        store = CredentialStore(tmp_path / "c.json")
        store.add("prod", KEY, SECRET)
        assert SECRET not in store.path.read_text() and "secrets in keyring" in repr(store)
        assert store.get("prod") == UserCredentials(KEY, SECRET)
        assert store.remove("prod") and memory.secrets == {}
    finally:
        keyring.set_keyring(before)
