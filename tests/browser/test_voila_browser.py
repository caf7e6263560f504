"""The form as a Voila app, in headless Chromium: a notebook whose only cell is ``tw.form()``.

Voila has no prompt for ``getpass``: a credential is added in the form. The test adds one
through "Add credential…" (name, user, secret, account), points Address at a sandbox served
on 127.0.0.1 (which checks credentials as Twilio does: a wrong secret gets 401) and lists
messages with it. The secret never reaches the page. Screenshot: ``test-artifacts/voila.png``.

Skipped when Chromium (/usr/bin/chromium), playwright, jupyterlab or voila are missing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_lab import ARTIFACTS, Lab, chromium, missing, notebook, start_voila

from twilio_nb import sandbox
from twilio_nb.sandbox import SandboxServer

REASON = missing("voila")
pytestmark = pytest.mark.skipif(REASON is not None, reason=f"browser test: {REASON}")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    root = tmp_path_factory.mktemp("app")
    path = root / "app.ipynb"
    path.write_text(json.dumps(notebook(["import twilio_nb as tw\ntw.form()"]), indent=1),
                    encoding="utf-8")
    state = tmp_path_factory.mktemp("voila-state")
    running = start_voila(path, state)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def served() -> Iterator[SandboxServer]:
    server = sandbox.Sandbox(messages=30).serve()
    yield server
    server.stop()


def field(form: Any, kind: str, label: str, tag: str) -> Any:
    return form.locator(f".widget-{kind}:visible:has(> label:text-is('{label}')) {tag}")


def drive(page: Any, app: Lab, served: SandboxServer) -> None:
    from playwright.sync_api import expect

    page.goto(app.url + "/")
    form = page.locator(".twilio-nb-form")
    expect(form).to_contain_text("No connection and no credentials were found",
                                 timeout=30_000)  # Voila runs the notebook first
    form.locator(".lm-TabBar-tab:has-text('Connection')").first.click()
    credential = field(form, "dropdown", "Credential Name", "select")
    credential.select_option(label="Add credential…")
    field(form, "text", "Name", "input").fill("voila")
    field(form, "text", "User", "input").fill(sandbox.API_KEY_SID)
    secret = field(form, "text", "Secret", "input[type='password']")
    secret.fill(sandbox.API_KEY_SECRET)
    secret.press("Enter")
    field(form, "text", "Account SID", "input").fill(sandbox.ACCOUNT_SID)
    form.locator("button:has-text('Save credential')").click()
    expect(credential.locator("option:checked")).to_have_text("voila")
    address = field(form, "text", "Address", "input")
    address.fill(served.url)
    address.press("Enter")
    expect(form).to_contain_text(f"✓ {served.url} · API Key · user SK")

    form.locator(".lm-TabBar-tab:has-text('Processing')").first.click()
    operation = field(form, "text", "Operation", "input")
    operation.fill("List Messages (/Accounts/:AccountSid/Messages)")
    operation.press("Enter")
    form.locator("button:has-text('Execute')").click()
    expect(form.filter(has_text=f"HTTP 200 · GET {served.url}/2010-04-01/")).to_be_visible()
    expect(form.locator(".twilio-nb-table tbody tr").first).to_be_visible()
    assert sandbox.API_KEY_SECRET not in page.content()
    page.screenshot(path=str(ARTIFACTS / "voila.png"), full_page=True)


def test_a_credential_added_in_a_voila_app_is_used(app: Lab, served: SandboxServer) -> None:
    with chromium(height=1600) as page:
        try:
            drive(page, app, served)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "voila-failure.png"), full_page=True)
            raise
    store = json.loads((Path(app.log).parent / "credentials.json").read_text(encoding="utf-8"))
    assert "voila" in json.dumps(store)
    assert sandbox.API_KEY_SECRET not in (Path(app.log).read_text(errors="replace"))
