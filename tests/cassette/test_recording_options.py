"""A recording survives the form: changing a field of the Connection tab goes on writing the
same cassette (nothing recorded before is lost, the file stays a cassette, no summary until
the end). A recording reads no more than ``max_response_bytes``. ``scrub=`` and ``fallback=``
are checked even where they would do nothing: a ConfigurationError, not silence."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox


def interactions(path: Path) -> list[dict[str, object]]:
    loaded = yaml.safe_load(path.read_bytes())
    return list(loaded["interactions"])


def test_the_form_goes_on_with_the_connections_recording(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "session.yaml"
    conn = tw.Connection(sandbox=Sandbox(messages=10), record=path)
    conn.basic("Message", "List Messages")
    form = tw.form(conn)
    tab = form.connection_tab
    tab.response_timeout.value = 30000  # the form makes a new Connection
    form.processing.select("Message", "List Messages")
    form.execute_button.click()
    tab.connection_timeout.value = 20000  # and another
    form.execute_button.click()
    conn.basic("Call", "List Calls")
    assert "Recorded" not in capsys.readouterr().out  # no summary while it goes on
    assert len(interactions(path)) == 4
    tab.connection().close()
    conn.close()
    assert "Recorded 4 request(s)" in capsys.readouterr().out


def test_a_recording_reads_no_more_than_max_response_bytes(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with tw.Connection(sandbox=Sandbox(messages=50), record=path,
                       max_response_bytes=2000) as conn, \
            pytest.raises(tw.TransportError, match="max_response_bytes"):
        conn.basic("Message", "List Messages", query={"PageSize": 50})
    assert interactions(path) == []


@pytest.mark.parametrize("kwargs, field", [
    ({"scrub": "nonsense"}, "scrub"),
    ({"scrub": "secrets"}, "scrub"),
    ({"fallback": "sandbox"}, "fallback"),
    ({"fallback": "elsewhere"}, "fallback"),
])
def test_cassette_options_that_would_do_nothing_are_refused(
        kwargs: dict[str, str], field: str) -> None:
    with pytest.raises(tw.ConfigurationError) as caught:
        tw.Connection(sandbox=Sandbox(messages=1), **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


@pytest.mark.parametrize("line", ["connect --sandbox --scrub secrets",
                                  "connect --sandbox --scrub pii",
                                  "connect --sandbox --fallback sandbox"])
def test_the_magic_refuses_scrub_without_record_and_fallback_without_replay(line: str) -> None:
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "twilio_nb")
    try:
        with pytest.raises(UsageError, match=r"add --record PATH|add --replay PATH"):
            shell.run_line_magic("twilio", line)
    finally:
        shell.run_line_magic("unload_ext", "twilio_nb")
