"""No secret ever lands where a notebook shared on Binder could show it.

A notebook is run headless (nbclient, widget state stored, as "Save with widget state" does):
it stores two credentials through the API, reading their secrets from environment variables
set for its kernel (so no secret is in the notebook's source), connects with ``%twilio
connect --credential``, sends, lists, walks, writes the request in every "Copy as" style, asks
whoami and history, meets errors (a 404, a 401 with the second credential), uses the form
(a stored credential, Execute, every Copy as style, Show code, a credential typed into "Add
credential…"), with the ``twilio_nb``, ``httpx`` and ``httpcore`` loggers at DEBUG and trace
on. Then the saved ``.ipynb``, those logs, IPython's history database and every repr, error
message and export the notebook made are searched for both secrets: as they are, as the
base64 ``user:secret`` of an ``Authorization`` header, and URL-encoded. Nothing is found.

The sandbox's API key secret is the first secret (the sandbox, on a port, accepts only its own
account); the second is made up, and the sandbox answers it with a 401.
"""

from __future__ import annotations

import base64
import html
import json
import os
from pathlib import Path
from urllib.parse import quote, quote_plus

import nbformat
import pytest
from nbclient import NotebookClient
from reporting import report

from twilio_nb import sandbox
from twilio_nb.sandbox import Sandbox, SandboxServer

MADE_UP_USER = "SK" + "5" * 32
MADE_UP_SECRET = "nb+Made/Up=Secret-7f3a9c2e41"  # +, / and = change under every encoding
TYPED_USER = "SK" + "6" * 32
STYLES = ("curl", "python", "cli", "sap", "magic", "twilio_nb")
SEND = "Message.send From=+14155552671 To=+14155552672 Body=hello"

MESSAGES = 30  # seeded in the module's sandbox (the box fixture in conftest)


def variants(user: str, secret: str) -> dict[str, str]:
    """Every spelling of ``secret`` a leak could take."""
    return {"raw": secret,
            "basic auth": base64.b64encode(f"{user}:{secret}".encode()).decode(),
            "base64": base64.b64encode(secret.encode()).decode(),
            "url-encoded": quote(secret, safe=""), "form-encoded": quote_plus(secret),
            "json": json.dumps(secret)[1:-1]}


SECRETS = {
    "sandbox API key secret": variants(sandbox.API_KEY_SID, sandbox.API_KEY_SECRET),
    "made-up secret": {**variants(MADE_UP_USER, MADE_UP_SECRET),
                       "basic auth (typed)": base64.b64encode(
                           f"{TYPED_USER}:{MADE_UP_SECRET}".encode()).decode()},
}


def hits(text: str) -> list[str]:
    return [f"{name} ({how})" for name, spellings in SECRETS.items()
            for how, value in spellings.items() if value in text]


def notebook(url: str) -> nbformat.NotebookNode:
    cells = [
        # logging of everything twilio_nb and its HTTP stack say, into a file
        """import logging, os
import twilio_nb as tw
handler = logging.FileHandler(os.environ["TNB_LOG_FILE"])
handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
for name in ("twilio_nb", "httpx", "httpcore"):
    logging.getLogger(name).addHandler(handler)
    logging.getLogger(name).setLevel(logging.DEBUG)
%load_ext twilio_nb
%config TwilioMagics.trace = True""",
        # two credentials, their secrets read from the environment
        """store = tw.CredentialStore(os.environ["TWILIO_NB_CREDENTIALS"], use_keyring=False)
store.add("sbx", os.environ["SBX_USER"], os.environ["SBX_SECRET"],
          account_sid=os.environ["SBX_ACCOUNT"])
store.add("madeup", os.environ["MADE_UP_USER"], os.environ["MADE_UP_SECRET"],
          account_sid=os.environ["SBX_ACCOUNT"])
store""",
        f"%twilio connect --address {url} --credential sbx",
        "%twilio trace on",
        f"%twilio {SEND}",
        "%twilio Message.list --page-size 5",
        "%twilio Message.list --page-size 10 --all",
        *[f"%twilio {SEND} --as {style}" for style in STYLES],
        f"%twilio {SEND} --dry-run",
        "%twilio whoami",
        "%twilio history",
        "%twilio credentials list",
        '%twilio Message "Get Message" Sid=SM00000000000000000000000000000000',
        """conn = tw.default_connection()
errors = []
try:
    conn.basic("Message", "Get Message", params={"Sid": "SM" + "0" * 32})
except tw.TwilioError as exc:
    errors.append(repr(exc) + str(exc))
print(repr(conn), conn.whoami(), repr(conn._resolved), conn.history.to_string())""",
        # the form: a stored credential, Execute, every Copy as style, Show code
        """f = tw.form(store=store)
f.connection_tab.credential.value = "sbx"
f.processing.select("Message", "List Messages")
f.execute_button.click()
copies = []
for style in ("curl", "python", "cli", "magic", "sap", "twilio_nb"):
    f.copy_panel.choice.value = style
    copies.append(f.copy_panel.text.value)
f.show_code_button.value = True
print(f.code_view.magic.value, f.code_view.python.value, *copies, sep="\\n")
f""",
        # a secret typed into the form's "Add credential..." box (as a person would)
        """f.connection_tab.credential.value = "__add__"
adder = f.connection_tab.adder
adder.name.value = "typed"
adder.user.value = os.environ["TYPED_USER"]
adder.secret.value = os.environ["MADE_UP_SECRET"]
adder.account_sid.value = os.environ["SBX_ACCOUNT"]
adder.save.click()
f.connection_tab.credential.value = "typed"
f.execute_button.click()
print(adder.message.value, f.result_area)
f""",
        # the second credential: the sandbox answers 401
        f"%twilio connect --address {url} --credential madeup",
        "%twilio Message.list",
        """conn = tw.default_connection()
try:
    conn.basic("Message", "List Messages")
except tw.TwilioError as exc:
    errors.append(repr(exc) + str(exc))
print(repr(conn), repr(conn._resolved), repr(store), errors)""",
        # every repr the session made, for the search
        """import json
dump = {"out": repr(Out), "errors": errors, "history": conn.history.to_csv(), "copies": copies,
        "form": repr(f), "results": [repr(v) for v in Out.values()],
        "html": [v._repr_html_() for v in Out.values() if hasattr(v, "_repr_html_")]}
with open(os.environ["TNB_DUMP_FILE"], "w") as out:
    out.write(json.dumps(dump, default=repr))""",
    ]
    nb: nbformat.NotebookNode = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells = [nbformat.v4.new_code_cell(source)  # type: ignore[no-untyped-call]
                for source in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


@pytest.fixture(scope="module")
def run(served: SandboxServer, tmp_path_factory: pytest.TempPathFactory
        ) -> tuple[nbformat.NotebookNode, Path]:
    """The notebook, executed and saved with its widget state; and its working folder."""
    tmp = tmp_path_factory.mktemp("secrets")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWILIO")}
    env.update({
        "HOME": str(tmp), "IPYTHONDIR": str(tmp / "ipython"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "TWILIO_NB_CREDENTIALS": str(tmp / "credentials.json"),
        "TNB_LOG_FILE": str(tmp / "twilio_nb.log"), "TNB_DUMP_FILE": str(tmp / "dump.json"),
        "SBX_USER": sandbox.API_KEY_SID, "SBX_SECRET": sandbox.API_KEY_SECRET,
        "SBX_ACCOUNT": sandbox.ACCOUNT_SID, "MADE_UP_USER": MADE_UP_USER,
        "MADE_UP_SECRET": MADE_UP_SECRET, "TYPED_USER": TYPED_USER})
    nb = notebook(served.url)
    source = nbformat.writes(nb)  # type: ignore[no-untyped-call]
    assert hits(source) == [], "the secrets are not in the source"
    client = NotebookClient(nb, timeout=90, kernel_name="python3", allow_errors=True,
                            store_widget_state=True, ipython_hist_file=str(tmp / "history.sqlite"),
                            extra_arguments=["--HistoryManager.db_log_output=True"],
                            resources={"metadata": {"path": str(tmp)}})
    client.execute(env=env)
    nbformat.write(nb, tmp / "shared.ipynb")  # type: ignore[no-untyped-call]
    return nb, tmp


def _outputs(nb: nbformat.NotebookNode) -> list[dict[str, object]]:
    return [o for c in nb.cells for o in c.get("outputs", [])]


def test_the_notebook_did_what_it_says(run: tuple[nbformat.NotebookNode, Path],
                                       box: Sandbox) -> None:
    """The search below means something only if the secrets were really used."""
    nb, tmp = run
    outputs = _outputs(nb)
    assert [o for o in outputs if o.get("output_type") == "error"] == []
    usage = [str(o["text"]) for o in outputs
             if o.get("name") == "stderr" and str(o["text"]).startswith("UsageError")]
    assert len(usage) == 2 and "HTTP 404" in usage[0] and "HTTP 401" in usage[1]
    users = {a.user for a in box.stats.auth}
    assert {sandbox.API_KEY_SID, MADE_UP_USER, TYPED_USER} <= users
    assert len(box.stats.created) == 1  # the one message sent (Copy as sends nothing)
    assert box.stats.count("GET", "/Messages") >= 5
    widgets = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert any(w["model_name"] == "PasswordModel" for w in widgets.values())
    assert "Stored 'typed' for user SK66…6666" in html.unescape(
        (tmp / "shared.ipynb").read_text(encoding="utf-8"))
    stored = (tmp / "credentials.json").read_text()  # the owner-only store holds them
    assert {"sandbox API key secret (raw)", "made-up secret (raw)"} <= set(hits(stored))


def test_no_secret_in_the_saved_notebook(run: tuple[nbformat.NotebookNode, Path]) -> None:
    _nb, tmp = run
    text = (tmp / "shared.ipynb").read_text()
    assert "Traceback" not in text
    assert hits(text) == []


def test_no_secret_in_the_logs(run: tuple[nbformat.NotebookNode, Path]) -> None:
    _, tmp = run
    log = (tmp / "twilio_nb.log").read_text()
    assert "twilio_nb INFO twilio_nb: GET" in log  # trace was on
    assert "httpcore" in log and "httpx" in log
    assert hits(log) == []


def test_no_secret_in_reprs_errors_history_or_exports(
        run: tuple[nbformat.NotebookNode, Path], request: pytest.FixtureRequest) -> None:
    nb, tmp = run
    dump = (tmp / "dump.json").read_text()
    assert "HTTP 401" in dump and "HTTP 404" in dump and "curl -X GET" in dump
    history = (tmp / "history.sqlite").read_bytes().decode("latin-1")  # outputs logged too
    assert "%twilio connect" in history
    found = hits(dump) + hits(history)
    places = 4 + len(_outputs(nb))
    report(request, f"secrets: searched the .ipynb (widget state included), the logs, "
           f"IPython's history and the reprs of {places} outputs for "
           f"{sum(len(v) for v in SECRETS.values())} spellings of 2 secrets: "
           f"{len(found)} found")
    assert found == []
