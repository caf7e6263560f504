"""Shared pieces of the widget tests: a form on a fresh sandbox, and a search of every live
widget's state (what a notebook saves) for a text. (Every widget a test makes is closed by
conftest.py's ``close_widgets``.)"""

from __future__ import annotations

import json
from pathlib import Path

import ipywidgets as widgets
from guide import SEND_MESSAGE_FORM, SEND_MESSAGE_JSON

import twilio_nb as tw
from twilio_nb import sandbox
from twilio_nb.session.credentials import CredentialStore
from twilio_nb.widgets.form import TwilioForm

GUIDE_SEND = json.loads(SEND_MESSAGE_JSON)  # the guide's payloads (support/guide.py)
GUIDE_ADVANCED = SEND_MESSAGE_FORM


def make_form(tmp_path: Path, messages: int = 60, conn: tw.Connection | None = None,
              namespace: dict[str, object] | None = None, max_retries: int | None = None
              ) -> tuple[TwilioForm, sandbox.Sandbox]:
    """A form over a fresh sandbox connection, with an empty credential store in tmp_path
    (``namespace``: the notebook's variables, for "For each row of"; ``max_retries``: the
    connection's, when not the default)."""
    box = sandbox.Sandbox(messages=messages)
    retries = {} if max_retries is None else {"max_retries": max_retries}
    conn = conn or tw.Connection(sandbox=box, **retries)
    store = CredentialStore(tmp_path / "credentials.json", use_keyring=False)
    return TwilioForm(conn, store=store, environ={}, namespace=namespace), box


def widget_state_text() -> str:
    """Every live widget's state, as a notebook would save it."""
    state = widgets.Widget.get_manager_state(drop_defaults=False)
    return json.dumps(state, default=repr)


def all_html(form: TwilioForm) -> str:
    """The text of every HTML widget of the form (status, cards, tables)."""
    out: list[str] = []

    def walk(w: object) -> None:
        if isinstance(w, widgets.HTML):
            out.append(w.value)
        for child in getattr(w, "children", ()):
            walk(child)

    walk(form)
    return "\n".join(out)
