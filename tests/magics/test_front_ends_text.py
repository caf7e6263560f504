"""The text front ends: terminal IPython (a real one, fed on stdin), plain ``python -c``, and
what the magics print there: ``%twilio?``, ``%twilio trace on``, warnings at the user's line,
``--all`` in big pages."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

import twilio_nb as tw
from twilio_nb import sandbox
from twilio_nb.magics.parse import help_text
from twilio_nb.sandbox import Sandbox
from twilio_nb.session.default import set_default_connection

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], tmp_path: Path, stdin: str = "") -> str:
    """Run ``args`` with HOME in ``tmp_path`` (no profile, no history, no stored
    credential, no TWILIO_* variable); stdout and stderr together."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "JPY_"))}
    env.update(HOME=str(tmp_path), IPYTHONDIR=str(tmp_path / ".ipython"),
               XDG_CONFIG_HOME=str(tmp_path / ".config"),
               XDG_DATA_HOME=str(tmp_path / ".local"), PYTHONWARNINGS="default",
               COLUMNS="120")
    done = subprocess.run(args, input=stdin, capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120, check=False)
    return done.stdout + done.stderr


def test_terminal_ipython_shows_the_records_as_a_text_table(tmp_path: Path) -> None:
    shown = run([sys.executable, "-m", "IPython", "--simple-prompt", "--no-banner",
                 "--colors=NoColor"], tmp_path,
                stdin="%load_ext twilio_nb\n%twilio Message.list --page-size 3\nexit\n")
    assert "Traceback" not in shown, shown
    assert "<IPython.core.display.HTML object>" not in shown
    assert "NextPageButton" not in shown and "VBox" not in shown
    out = shown.split("Out[2]:", 1)[1]
    assert "HTTP 200" in out and "3 records" in out and "SANDBOX" in out
    rows = [line for line in out.splitlines() if line.lstrip().startswith(("0 ", "1 ", "2 "))]
    sids = [word for line in rows for word in line.split() if word.startswith("SM")]
    assert len(sids) == 3, out  # the three records, each with its SID
    assert "NaN" not in out and "NaT" not in out and "None" not in out  # blank cells


def test_plain_python_prints_the_status_line_and_the_table(tmp_path: Path) -> None:
    shown = run([sys.executable, "-c",
                 "import twilio_nb as tw\n"
                 "r = tw.connect(sandbox=True).basic('Balance', 'Get Balance')\n"
                 "print(r)\nprint(repr(r) == str(r))"], tmp_path)
    assert "Traceback" not in shown, shown
    lines = shown.splitlines()
    assert lines[0].startswith("HTTP 200 · GET ") and "· 1 record ·" in lines[0]
    assert lines[1].split() == ["account_sid", "balance", "currency"]
    assert lines[2].split()[1:] == [sandbox.ACCOUNT_SID, "500.0", "USD"]
    assert lines[-1] == "True"
    assert "IPython" not in shown


@pytest.fixture
def shell(ip: InteractiveShell) -> Iterator[InteractiveShell]:
    """The IPython shell of the magics over a sandbox of 2,500 messages."""
    conn = tw.Connection(sandbox=Sandbox())
    set_default_connection(conn)
    yield ip
    set_default_connection(None)


def printed(shell: InteractiveShell, line: str) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        shell.run_line_magic("twilio", line)
    return buffer.getvalue()


def test_the_magic_help_and_its_docstring_are_one_text(shell: InteractiveShell) -> None:
    assert printed(shell, "--help").strip() == help_text().strip()
    magic = shell.find_line_magic("twilio")
    assert magic.__doc__ == help_text()  # what %twilio? shows
    page = io.StringIO()
    with contextlib.redirect_stdout(page):
        shell.run_cell("%twilio?")  # type: ignore[no-untyped-call]
    for flag in ("--all", "--page-size", "--next-page-uri", "--sandbox", "--no-reuse"):
        assert flag in page.getvalue()
    assert "<no docstring>" not in page.getvalue()


def test_trace_prints_each_request_without_secrets(shell: InteractiveShell,
                                                   capfd: pytest.CaptureFixture[str]) -> None:
    shell.run_line_magic("twilio", "trace on")
    try:
        shell.run_line_magic("twilio", "Message.list --page-size 2")
        shell.run_line_magic("twilio", "Message.list --limit 3")
    finally:
        shell.run_line_magic("twilio", "trace off")
    shell.run_line_magic("twilio", "Message.list --page-size 4")
    out = capfd.readouterr()
    shown = out.out + out.err
    traced = [line for line in shown.splitlines() if line.startswith("twilio_nb: GET ")]
    assert len(traced) == 2, shown  # one line a request, none once trace is off
    assert "Messages.json?PageSize=2 -> 200 in " in traced[0] and " ms " in traced[0]
    assert "PageSize=3 -> 200" in traced[1]
    for secret in (sandbox.AUTH_TOKEN, sandbox.API_KEY_SECRET, "Authorization", "Basic "):
        assert secret not in shown


def test_a_warning_points_at_the_users_line(shell: InteractiveShell) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        shell.run_line_magic("twilio", "Message.send From=+14155552671 To=+14155550100 "
                                       "Body=Hi Tagz=1")
        tw.default_connection().basic(  # type: ignore[union-attr]
            "Message", "Send Message", body={"From": "+14155552671", "To": "+14155550100",
                                             "Body": "Hi", "Tagz": "1"})
    found = [w for w in caught if issubclass(w.category, tw.TwilioWarning)]
    assert len(found) == 2
    assert {Path(w.filename).name for w in found} == {Path(__file__).name}


def test_a_warning_in_a_cell_points_at_the_cell(shell: InteractiveShell) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        shell.run_cell("%twilio Message.send From=+14155552671 To=+14155550100 Tagz=1 "  # type: ignore[no-untyped-call]
                       "Body=Hi")
    found = [w for w in caught if issubclass(w.category, tw.TwilioWarning)]
    assert found and all("twilio_nb" not in w.filename and "IPython" not in w.filename
                         for w in found), [w.filename for w in found]
    assert found[0].filename.startswith("<ipython-input-")


def test_all_asks_for_big_pages(shell: InteractiveShell) -> None:
    conn = tw.default_connection()
    assert conn is not None and conn.sandbox is not None
    conn.sandbox.stats.clear()
    frame = shell.run_line_magic("twilio", "Message.list --all")
    assert isinstance(frame, pd.DataFrame) and len(frame) == 2500 and frame["sid"].is_unique
    assert conn.sandbox.stats.count("GET", "/Messages") == 3  # 1,000 a page
    conn.sandbox.stats.clear()
    limited = shell.run_line_magic("twilio", "Message.list --limit 120")
    assert len(limited) == 120
    assert conn.sandbox.stats.count("GET", "/Messages") == 1  # PageSize=120
    conn.sandbox.stats.clear()
    sized = shell.run_line_magic("twilio", "Message.list --page-size 500 --all")
    assert len(sized) == 2500
    assert conn.sandbox.stats.count("GET", "/Messages") == 5  # the user's size kept


def test_frames_know_where_they_came_from(shell: InteractiveShell) -> None:
    page = shell.run_line_magic("twilio", "Message.list --page-size 5 --format xml")
    attrs = page.df.attrs
    assert attrs["operation"] == "List Messages (/Accounts/:AccountSid/Messages)"
    assert attrs["format"] == "xml" and attrs["sandbox"] is True
    assert attrs["url"] == page.request.url and "@" not in attrs["url"]
    assert pd.Timestamp(attrs["fetched_at"]).tzname() == "UTC"
    assert attrs["next_page_uri"] == page.next_page_uri and "PageToken=" in attrs[
        "next_page_uri"]
    walked = shell.run_line_magic("twilio", "Message.list --limit 30 --format csv")
    assert walked.attrs["format"] == "csv" and walked.attrs["operation"] == attrs["operation"]
    assert "next_page_uri" not in walked.attrs  # many pages: no one next page
    everything = page.all(progress=False)
    assert everything.attrs["url"] == page.request.url and len(everything) == 2500


def test_an_unknown_response_format_is_refused_with_the_choices(
        shell: InteractiveShell) -> None:
    magics = shell.magics_manager.registry["TwilioMagics"]
    with pytest.raises(Exception, match="json, xml, csv"):
        magics.response_format = "yaml"
    magics.response_format = "Application/XML"
    assert magics.response_format == "xml"
    magics.response_format = "json"
    with pytest.raises(Exception, match="at most 1000"):
        magics.page_size = 5000
    with pytest.raises(Exception, match="1 or more"):
        magics.display_rows = 0
