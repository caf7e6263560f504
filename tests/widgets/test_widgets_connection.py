"""The form's Connection tab: every field changes the Connection the form uses, the
"Add credential…" flow stores a credential and leaves no secret in any widget state."""

from __future__ import annotations

from pathlib import Path

import pytest
from widget_helpers import (
    all_html,
    make_form,
    widget_state_text,
)

import twilio_nb as tw
from twilio_nb import sandbox
from twilio_nb.session.credentials import CredentialStore
from twilio_nb.session.default import set_default_connection
from twilio_nb.session.settings import SANDBOX_ADDRESS
from twilio_nb.widgets.connection_tab import ADD, SANDBOX
from twilio_nb.widgets.form import NO_CREDENTIALS, TwilioForm

SECRET = "s3cr3t-never-shown-0123456789abcdef"
USER_KEY = "SK" + "1" * 32
ACCOUNT = "AC" + "2" * 32


def test_labels_and_defaults_are_the_adapters(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path)
    tab = form.connection_tab
    assert [w.description for w in (tab.address, tab.auth_type, tab.credential, tab.reuse,
                                    tab.connection_timeout, tab.response_timeout)] == [
        "Address", "Authentication Type", "Credential Name", "Reuse Connection",
        "Connection Timeout (in ms)", "Response Timeout (in ms)"]
    assert [label for label, _ in tab.auth_type.options] == ["API Key", "Auth Token"]
    assert tab.auth_type.label == "API Key"
    assert tab.reuse.value is True
    assert (tab.connection_timeout.value, tab.response_timeout.value) == (60000, 60000)
    assert tab.credential.value == SANDBOX
    labels = [label for label, _ in tab.credential.options]
    assert labels[0] == "Sandbox (offline)" and labels[-1] == "Add credential…"
    assert form.tabs.titles == ("Connection", "Processing")
    assert "SANDBOX" in form.header.value


def test_every_field_changes_the_connection(tmp_path: Path) -> None:
    form, box = make_form(tmp_path)
    tab = form.connection_tab
    first = form.connection
    assert first.sandbox is box  # the connection given is used as it is
    tab.reuse.value = False
    tab.connection_timeout.value = 1500
    tab.response_timeout.value = 2500
    tab.auth_type.value = "auth_token"
    conn = form.connection
    assert conn is not first
    assert (conn.reuse_connection, conn.connection_timeout_ms, conn.response_timeout_ms,
            conn.auth_type) == (False, 1500, 2500, "auth_token")
    assert conn.sandbox is box  # still the same offline sandbox, its state kept
    assert conn.account_sid == sandbox.ACCOUNT_SID
    form.processing.select("Message", "List Messages")
    assert form.execute() is not None  # Auth Token works on the sandbox too


def test_the_address_is_where_requests_go(tmp_path: Path) -> None:
    form, box = make_form(tmp_path)
    with box.serve() as server:
        form.connection_tab.address.value = server.url
        conn = form.connection
        assert conn.address == server.url and conn.sandbox is None
        form.processing.select("Message", "List Messages")
        result = form.execute()
        assert result is not None and result.status_code == 200
        assert result.request.url.startswith(server.url + "/2010-04-01/")
        assert box.stats.total_requests >= 1
    form.connection_tab.address.value = SANDBOX_ADDRESS
    assert form.connection.sandbox is box


@pytest.mark.parametrize(("widget", "value", "label"), [
    ("connection_timeout", 0, "Connection Timeout (in ms)"),
    ("response_timeout", -5, "Response Timeout (in ms)"),
    ("address", "api.twilio.com/2010-04-01", "Address"),
])
def test_a_bad_connection_field_is_marked_and_nothing_is_sent(
        tmp_path: Path, widget: str, value: object, label: str) -> None:
    form, box = make_form(tmp_path)
    form.tabs.selected_index = 1
    w = getattr(form.connection_tab, widget)
    w.value = value
    before = box.stats.total_requests
    assert form.execute() is None
    assert box.stats.total_requests == before
    assert "#d32f2f" in (w.layout.border or "")
    assert form.tabs.selected_index == 0  # the form shows the tab with the field
    assert f"Check {label}" in form.result_area.error.value
    assert "Traceback" not in all_html(form)


def test_add_credential_stores_it_and_keeps_no_secret(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path)
    tab = form.connection_tab
    tab.credential.value = ADD
    adder = tab.adder
    assert adder.layout.display is None  # shown
    assert type(adder.secret).__name__ == "Password"
    adder.name.value = "prod"
    adder.user.value = USER_KEY
    adder.account_sid.value = ACCOUNT
    adder.secret.value = SECRET
    adder.save.click()
    assert adder.secret.value == "" and adder.user.value == ""
    assert adder.layout.display == "none"
    store = CredentialStore(tmp_path / "credentials.json", use_keyring=False)
    creds = store.get("prod")
    assert creds is not None and creds.password == SECRET and creds.account_sid == ACCOUNT
    assert tab.credential.value == "prod"
    conn = form.connection
    assert conn.credential_source == "store:prod" and conn.account_sid == ACCOUNT
    assert conn.auth_type == "api_key"
    assert SECRET not in widget_state_text()
    assert SECRET not in all_html(form)
    assert SECRET not in repr(conn)


def test_a_failed_add_clears_the_secret_too(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path)
    tab = form.connection_tab
    tab.credential.value = ADD
    tab.adder.name.value = "sandbox"  # reserved
    tab.adder.user.value = USER_KEY
    tab.adder.secret.value = SECRET
    tab.adder.save.click()
    assert tab.adder.secret.value == ""
    assert "Not stored" in tab.adder.message.value
    assert CredentialStore(tmp_path / "credentials.json", use_keyring=False).names() == []
    assert SECRET not in widget_state_text()
    tab.adder.cancel.click()
    assert tab.credential.value == SANDBOX


def test_a_credential_that_does_not_fit_the_auth_type_is_marked(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "credentials.json", use_keyring=False)
    store.add("token", ACCOUNT, SECRET)
    form, _ = make_form(tmp_path)
    tab = form.connection_tab
    tab.refresh_credentials()
    tab.credential.value = "token"  # an Account SID user, with Authentication Type API Key
    assert form.execute() is None
    assert "#d32f2f" in (tab.auth_type.layout.border or "")
    assert "Check Authentication Type" in form.result_area.error.value
    tab.auth_type.value = "auth_token"
    conn = form.connection
    assert conn.credential_source == "store:token" and conn.account_sid == ACCOUNT
    assert tab.auth_type.layout.border is None  # the mark is gone once it builds
    assert SECRET not in widget_state_text()


def test_with_no_connection_and_no_credentials_the_form_starts_on_the_sandbox(
        tmp_path: Path) -> None:
    set_default_connection(None)
    store = CredentialStore(tmp_path / "credentials.json", use_keyring=False)
    form = TwilioForm(store=store, environ={"HOME": str(tmp_path)})
    assert form.connection.is_sandbox
    assert NO_CREDENTIALS.split(",")[0] in form.header.value
    assert form.connection_tab.credential.value == SANDBOX


def test_the_default_connection_is_used(tmp_path: Path) -> None:
    conn = tw.Connection(sandbox=sandbox.Sandbox(messages=10))
    set_default_connection(conn)
    try:
        form = tw.form(store=CredentialStore(tmp_path / "c.json", use_keyring=False))
        assert form.connection is conn
        assert "no credentials" not in form.header.value
    finally:
        set_default_connection(None)


def test_the_connection_code_follows_the_fields(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "credentials.json", use_keyring=False)
    store.add("prod", USER_KEY, SECRET, account_sid=ACCOUNT)
    form, _ = make_form(tmp_path)
    tab = form.connection_tab
    assert tab.python_code() == "conn = tw.connect(sandbox=True)"
    assert tab.magic_code() == "%twilio connect --sandbox"
    tab.refresh_credentials()
    tab.credential.value = "prod"
    tab.reuse.value = False
    tab.response_timeout.value = 30000
    assert tab.python_code() == ("conn = tw.connect(credential='prod', reuse_connection=False, "
                                 "response_timeout_ms=30000)")
    assert tab.magic_code() == ("%twilio connect --credential prod --no-reuse "
                                "--response-timeout-ms 30000")
    assert SECRET not in tab.python_code() + tab.magic_code()


def test_the_address_follows_the_sandbox_choice(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "credentials.json", use_keyring=False)
    store.add("prod", USER_KEY, SECRET, account_sid=ACCOUNT)
    form, box = make_form(tmp_path)
    tab = form.connection_tab
    assert tab.address.value == SANDBOX_ADDRESS
    tab.refresh_credentials()
    tab.credential.value = "prod"  # a real account: Twilio's address, not the sandbox's
    assert tab.address.value == "https://api.twilio.com"
    assert form.connection.address == "https://api.twilio.com" and not form.connection.is_sandbox
    tab.credential.value = SANDBOX
    assert tab.address.value == SANDBOX_ADDRESS and form.connection.sandbox is box


def test_an_unreadable_credential_store_is_said_not_raised(tmp_path: Path) -> None:
    (tmp_path / "credentials.json").write_text("{not json", encoding="utf-8")
    form, _ = make_form(tmp_path)
    assert "cannot be read" in form.connection_tab.summary.value
    assert form.connection.is_sandbox
