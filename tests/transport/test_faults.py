"""The fault suite: one table of faults, each tried over a real port, through the Python API
and through ``%twilio`` in an IPython shell.

Every fault ends one of two ways: retried to success where sending again is safe, or a
:class:`TwilioError` that says what happened and what to do (in the shell: a ``UsageError``,
never a traceback). A POST is never sent twice by twilio_nb: the POSTs that reached the
server and the messages the sandbox made are counted for every row. A walk over pages that
meets a fault keeps the pages fetched before it and resumes.

Where the sandbox's fault injection cannot do it (a reset in the middle of a body, bytes that
are not HTTP, headers and then nothing, a body without end, a port that refuses or never
accepts) a raw socket server (``rawserver.py``) or a bare port stands in. The table
itself is in ``fault_table.py``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fault_table import FAULTS, IDS, MESSAGES, PAGE, SEND, SEND_LINE, Fault, Rig
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from reporting import report

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox, SandboxServer
from twilio_nb.session.default import set_default_connection
from twilio_nb.transport.retry import RetryEvent

TALLY: dict[str, int] = {"tried": 0, "survived": 0, "duplicate_posts": 0}


# -- running a row -----------------------------------------------------------------------------

def every_message(served: SandboxServer) -> pd.DataFrame:
    """Every message, fetched without a fault: what a walk must end with."""
    conn = tw.Connection(served.url, credential="sandbox")
    return conn.basic("Message", "List Messages", query=f"PageSize={PAGE}").all(progress=False)


@pytest.fixture
def rig(box: Sandbox, served: SandboxServer) -> Iterator[Rig]:
    box.faults.clear()
    box.stats.clear()
    box.advance(5)  # messages sent by earlier tests reach their last state before a snapshot
    r = Rig(box, served)
    yield r
    r.close()


@pytest.fixture(scope="module", autouse=True)
def tally(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    report(request, f"fault suite: {TALLY['tried']} faults tried, {TALLY['survived']} "
           f"survived, {TALLY['duplicate_posts']} duplicate POSTs")



@pytest.fixture
def ip() -> Iterator[InteractiveShell]:
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "twilio_nb")
    shell.magics_manager.registry["TwilioMagics"].max_retries = 2  # as the rows expect
    yield shell
    shell.run_line_magic("unload_ext", "twilio_nb")
    set_default_connection(None)


def _arrange(rig: Rig, fault: Fault, call: str) -> tw.Connection:
    rig.method = "POST" if call == "POST" else "GET"
    address = fault.arrange(rig)
    return rig.connection(address, **fault.extra)


def _check_counts(rig: Rig, fault: Fault) -> None:
    if fault.call != "POST":
        assert rig.posts() == 0
        return
    assert rig.posts() == fault.posts, "POSTs that reached a server"
    made = rig.created()
    TALLY["duplicate_posts"] += max(0, made - 1)
    assert made <= 1, "a POST was processed twice"
    if fault.created is not None:
        assert made == fault.created


def _check_error(fault: Fault, exc: BaseException) -> None:
    assert fault.outcome is not None, f"expected success, got {type(exc).__name__}: {exc}"
    assert isinstance(exc, tw.TwilioError) and isinstance(exc, fault.outcome), repr(exc)
    text = str(exc)
    assert re.search(fault.says, text, re.S), f"does not say what happened:\n{text}"
    assert re.search(fault.todo, text, re.S), f"does not say what to do:\n{text}"
    assert "Traceback" not in text and "httpx." not in text


def _check_walk_error(fault: Fault, err: tw.PagingError, everything: pd.DataFrame | None,
                      rig: Rig) -> None:
    if fault.id == "page-loop":
        assert err.records_fetched == 2 * PAGE
        return
    assert everything is not None and len(everything) >= MESSAGES
    assert err.records_fetched == 2 * PAGE
    pd.testing.assert_series_equal(err.partial["sid"], everything["sid"].iloc[:2 * PAGE],
                                   check_names=False)
    rig.box.faults.clear()
    resumed = err.resume(progress=False)
    pd.testing.assert_frame_equal(resumed, everything)


def _api(conn: tw.Connection, fault: Fault) -> Any:
    if fault.call == "POST":
        r = conn.basic("Message", "Send Message", body=SEND, response_format=fault.fmt)
        return r, r.df
    r = conn.basic("Message", "List Messages", query=f"PageSize={PAGE}",
                   response_format=fault.fmt)
    return r, (r.all(progress=False) if fault.call == "WALK" else r.df)


@pytest.mark.parametrize("fault", FAULTS, ids=IDS)
def test_fault_through_the_api(fault: Fault, rig: Rig) -> None:
    TALLY["tried"] += 1
    everything = every_message(rig.served) if fault.call == "WALK" else None
    conn = _arrange(rig, fault, fault.call)
    try:
        result, frame = _api(conn, fault)
    except Exception as exc:  # the outcome under test: only TwilioErrors may come out
        _check_error(fault, exc)
        if isinstance(exc, tw.PagingError):
            _check_walk_error(fault, exc, everything, rig)
    else:
        assert fault.outcome is None, f"expected {fault.outcome.__name__}, got success"
        assert result.status_code in (200, 201)
        if everything is not None:  # a walk
            pd.testing.assert_frame_equal(frame, everything)
        else:
            assert len(frame) == (1 if fault.call == "POST" else fault.rows)
    _check_counts(rig, fault)
    TALLY["survived"] += 1


def _magic_line(fault: Fault) -> str:
    if fault.call == "POST":
        return f"%twilio {SEND_LINE} --format {fault.fmt}"
    walk = " --all" if fault.call == "WALK" else ""
    return f'%twilio Message "List Messages" --page-size {PAGE} --format {fault.fmt}{walk}'


@pytest.mark.parametrize("fault", FAULTS, ids=IDS)
def test_fault_in_a_notebook_cell(fault: Fault, rig: Rig, ip: InteractiveShell,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The same fault met by ``%twilio`` in a cell: the answer (or a UsageError that says
    what happened) is shown, never a traceback."""
    TALLY["tried"] += 1
    everything = every_message(rig.served) if fault.call == "WALK" else None
    conn = _arrange(rig, fault, fault.call)
    set_default_connection(conn)
    ip.user_ns.pop("_twilio_error", None)
    ran = ip.run_cell(_magic_line(fault), store_history=False)  # type: ignore[no-untyped-call]
    out = capsys.readouterr()
    shown = out.out + out.err
    assert "Traceback" not in shown, shown
    error = ran.error_in_exec
    if fault.outcome is None:
        assert error is None, shown
        if everything is not None:  # a walk
            pd.testing.assert_frame_equal(ran.result, everything)
        else:  # the answer was displayed: its table as text, by the extension's formatter
            assert "<IPython.core.display.HTML object>" not in shown
            assert len(ran.result.df) == (1 if fault.call == "POST" else fault.rows)
            assert ran.result.df["sid"].iloc[0] in shown
    elif fault.on_read:
        assert error is None, shown
        page = html.unescape(ran.result._repr_html_())
        assert re.search(fault.says, page, re.S) and re.search(fault.todo, page, re.S), page
    else:
        assert isinstance(error, UsageError), repr(error)
        assert re.search(fault.says, str(error), re.S), str(error)
        assert re.search(fault.todo, str(error), re.S), str(error)
        if fault.call == "WALK":
            err = ip.user_ns["_twilio_error"]
            _check_walk_error(fault, err, everything, rig)
    _check_counts(rig, fault)
    TALLY["survived"] += 1


def test_a_rate_limit_storm_of_posts_sends_each_message_once(rig: Rig) -> None:
    """Eight messages against a sandbox that takes 20 requests a second: every 429 is
    retried (Twilio did not process it), and each message is made exactly once."""
    events: list[RetryEvent] = []
    conn = rig.connection(rig.rate_limited(20), max_retries=20, on_retry=events.append)
    sids = [conn.basic("Message", "Send Message", body={**SEND, "Body": f"storm {i}"})
            .df["sid"].iloc[0] for i in range(8)]
    assert len(set(sids)) == 8
    assert len(rig.box.stats.created) == 8
    assert rig.box.stats.count("POST", "/Messages") == 8 + len(events)
    assert events and all(e.reason == "HTTP 429" for e in events)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_forms_execute_shows_an_unreadable_answer_as_an_error_card(
        fmt: str, tmp_path: Path) -> None:
    from twilio_nb.session.credentials import CredentialStore
    from twilio_nb.widgets.form import TwilioForm

    box = Sandbox(messages=30)
    box.faults.add("malformed", path="/Messages")
    store = CredentialStore(tmp_path / "credentials.json", use_keyring=False)
    form = TwilioForm(tw.Connection(sandbox=box), store=store, environ={})
    form.processing.select("Message", "List Messages")
    form.processing.response_format.value = fmt
    assert form.execute() is not None
    assert "cannot be read" in form.result_area.error.value
