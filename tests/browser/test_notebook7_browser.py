"""The form and a magic's output in Notebook 7 (the ``notebook>=7`` package), in headless
Chromium on the sandbox: the page runs a ``%twilio`` magic (its table shows) and
``tw.form()``; List Messages in the form shows its table. Screenshot:
``test-artifacts/notebook7.png``.

Skipped when Chromium (/usr/bin/chromium), playwright, jupyterlab or notebook are missing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from browser_lab import (
    ARTIFACTS,
    NOTEBOOK7_READY,
    Lab,
    chromium,
    missing,
    notebook,
    run_all,
    start_lab,
)

REASON = missing("notebook")
pytestmark = pytest.mark.skipif(REASON is not None, reason=f"browser test: {REASON}")

CELLS = ["import twilio_nb as tw\n%load_ext twilio_nb\n%twilio Message.list --page-size 5",
         "tw.form(tw.connect(sandbox=True))"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    root = tmp_path_factory.mktemp("notebooks")
    (root / "form.ipynb").write_text(json.dumps(notebook(CELLS), indent=1), encoding="utf-8")
    running = start_lab(root, tmp_path_factory.mktemp("nb7-state"), app="notebook")
    yield running
    running.stop()


def drive(page: Any, server: Lab) -> None:
    from playwright.sync_api import expect

    page.goto(f"{server.url}/notebooks/form.ipynb")
    run_all(page, NOTEBOOK7_READY)
    magic = page.locator(".jp-CodeCell").first.locator(".jp-OutputArea-output table")
    expect(magic.first.locator("tbody tr")).to_have_count(5)  # the magic's table
    form = page.locator(".twilio-nb-form")
    expect(form).to_contain_text("SANDBOX")
    entity = form.locator(".widget-dropdown:has(> label:text-is('Entity')) select")
    expect(entity).to_have_value("Message")  # the form starts on Message
    operation = form.locator(".widget-text:has(> label:text-is('Operation')) input")
    operation.fill("List Messages (/Accounts/:AccountSid/Messages)")
    operation.press("Enter")
    form.locator("button:has-text('Execute')").click()
    expect(form.filter(has_text="HTTP 200")).to_be_visible()
    expect(form.locator(".twilio-nb-table tbody tr").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "notebook7.png"), full_page=True)


def test_the_form_and_a_magic_in_notebook_7(server: Lab) -> None:
    with chromium() as page:
        try:
            drive(page, server)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "notebook7-failure.png"), full_page=True)
            raise
    assert (ARTIFACTS / "notebook7.png").stat().st_size > 10_000
