"""How a replay finds the recorded answer: a request the cassette does not hold raises
``tw.ReplayError`` naming it and the nearest recorded request, or goes to the offline sandbox
with ``fallback="sandbox"`` (and a warning); a scrubbed cassette answers a notebook that asks
with its own numbers and bodies; the form's Next page and the magics replay too."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox

SEND = {"From": "+14155552671", "To": "+14155550199", "Body": "Your code is 4711"}


@pytest.fixture(scope="module")
def cassette(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scrubbed (pii) session: two list pages, a send, a list filtered by its number."""
    path = tmp_path_factory.mktemp("match") / "session.yaml"
    with tw.Connection(sandbox=Sandbox(messages=50), record=path) as conn:
        first = conn.basic("Message", "List Messages", query={"PageSize": 20})
        first.next_page()
        conn.basic("Message", "Send Message", body=SEND)
        conn.basic("Message", "List Messages", query={"To": "+14155550199", "PageSize": 5})
    return path


def test_a_request_not_recorded_raises_replay_error_naming_the_nearest(cassette: Path) -> None:
    conn = tw.Connection(replay=cassette)
    with pytest.raises(tw.ReplayError) as caught:
        conn.basic("Message", "List Messages", query={"PageSize": 7})
    error = caught.value
    assert isinstance(error, tw.TwilioError)
    assert "PageSize=7" in error.request and error.nearest is not None
    assert "PageSize=20" in error.nearest or "PageSize=5" in error.nearest
    assert "holds no answer" in str(error) and "fallback='sandbox'" in str(error)


def test_query_order_does_not_matter(cassette: Path) -> None:
    conn = tw.Connection(replay=cassette)
    r = conn.advanced("GET", "/2010-04-01/Accounts/:AccountSid/Messages.json",
                      query="PageSize=5&To=%2B14155550199")
    assert len(r.df) >= 1


def test_a_scrubbed_cassette_answers_requests_with_the_real_values(cassette: Path) -> None:
    """The notebook replayed as written: its numbers and body meet their stand-ins."""
    conn = tw.Connection(replay=cassette)
    sent = conn.basic("Message", "Send Message", body=SEND).df
    assert sent["to"].iloc[0].startswith("+1555") and sent["body"].iloc[0].startswith(
        "[message body")
    listed = conn.basic("Message", "List Messages", query={"To": "+14155550199",
                                                           "PageSize": 5}).df
    assert set(listed["to"]) == {sent["to"].iloc[0]}  # the same stand-in: a join still works


def test_the_placeholder_account_matches_any_account(cassette: Path) -> None:
    conn = tw.Connection(replay=cassette, account_sid="AC" + "7" * 32)
    assert len(conn.basic("Message", "List Messages", query={"PageSize": 20}).df) == 20


def test_fallback_sandbox_answers_what_the_cassette_lacks_with_a_warning(
        cassette: Path) -> None:
    conn = tw.Connection(replay=cassette, fallback="sandbox")
    with pytest.warns(tw.TwilioWarning, match="offline sandbox answered"):
        r = conn.basic("Call", "List Calls", query={"PageSize": 3})
    assert len(r.df) == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        conn.basic("Message", "List Messages", query={"PageSize": 20})  # recorded: no warning
    assert conn.replay is not None and conn.replay.fallbacks == 1


def test_replay_refuses_what_makes_no_sense_with_it(cassette: Path, tmp_path: Path) -> None:
    with pytest.raises(tw.ConfigurationError, match="leave out credential"):
        tw.Connection(replay=cassette, credential="sandbox")
    with pytest.raises(tw.ConfigurationError, match="fallback="):
        tw.Connection(replay=cassette, fallback="twilio")
    with pytest.raises(tw.ConfigurationError, match="Cannot read the cassette"):
        tw.Connection(replay=tmp_path / "missing.yaml")
    (tmp_path / "bad.yaml").write_text("just: [a, list")
    with pytest.raises(tw.ConfigurationError, match="not a YAML cassette"):
        tw.Connection(replay=tmp_path / "bad.yaml")


def test_the_forms_next_page_replays(cassette: Path) -> None:
    conn = tw.Connection(replay=cassette)
    form = tw.form(conn)
    form.processing.select("Message", "List Messages")
    form.processing.query.value = "PageSize=20"
    form.execute_button.click()
    first = form.result_area.result
    assert first is not None and first.origin.replay == str(cassette)
    form.result_area.paging.next_button.click()
    second = form.result_area.result
    assert second is not None and second is not first and len(second.df) == 20
    assert set(second.df["sid"]).isdisjoint(first.df["sid"])


def test_magics_record_and_replay(tmp_path: Path) -> None:
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "twilio_nb")
    try:
        path = tmp_path / "magic.yaml"
        shell.run_line_magic("twilio", f"connect --sandbox --record {path} --scrub secrets")
        live = shell.run_line_magic("twilio", "Message.list --page-size 5")
        shell.run_line_magic("twilio", f"connect --replay {path}")
        again = shell.run_line_magic("twilio", "Message.list --page-size 5")
        assert again.origin.replay == str(path)
        assert again.df.equals(live.df)
    finally:
        shell.run_line_magic("unload_ext", "twilio_nb")


def test_recording_over_a_real_port_and_a_gzipped_answer(tmp_path: Path) -> None:
    """Over HTTP on a loopback port the recorder wraps the network transport; an answer sent
    gzipped is written decoded, and replays to the same frame."""
    import gzip
    import json

    import httpx

    box = Sandbox(messages=20)
    with box.serve() as server:
        path = tmp_path / "port.yaml"
        with tw.Connection(server.url, credential="sandbox", record=path) as conn:
            live = conn.basic("Message", "List Messages", query={"PageSize": 10}).df
    replayed = tw.Connection(replay=path).basic("Message", "List Messages",
                                                query={"PageSize": 10}).df
    assert list(replayed["sid"]) == list(live["sid"])

    body = {"sid": "SM" + "1" * 32, "status": "sent", "body": "zipped"}

    def zipped(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=gzip.compress(json.dumps(body).encode()),
                              headers={"Content-Encoding": "gzip",
                                       "Content-Type": "application/json"})

    path = tmp_path / "gzip.yaml"
    creds = tw.UserCredentials("SK" + "5" * 32, "s3cret-value-xyz", "AC" + "b" * 32)
    with tw.Connection(credential=creds, transport=httpx.MockTransport(zipped), record=path,
                       scrub="secrets") as conn:
        live = conn.basic("Message", "Get Message", params={"Sid": "SM" + "1" * 32}).df
    import yaml

    answer = yaml.safe_load(path.read_text())["interactions"][0]["response"]
    assert json.loads(answer["body"]["string"]) == body
    assert "content-encoding" not in {name.lower() for name in answer["headers"]}
    replayed = tw.Connection(replay=path).basic("Message", "Get Message",
                                                params={"Sid": "SM" + "1" * 32}).df
    assert replayed.equals(live)


def test_media_bytes_are_written_as_binary_and_replay_the_same(tmp_path: Path) -> None:
    path = tmp_path / "media.yaml"
    send = {**SEND, "MediaUrl": "https://demo.twilio.com/owl.png"}

    def fetch(conn: tw.Connection) -> tw.Result:
        sent = conn.basic("Message", "Send Message", body=send)
        media = conn.basic("Media", "List Message Media",
                           params={"MessageSid": sent.df["sid"].iloc[0]})
        return conn.fetch_content(media.df["uri"].iloc[0].removesuffix(".json"))

    with tw.Connection(sandbox=Sandbox(messages=5), record=path) as conn:
        live = fetch(conn)
    assert live.content_type == "image/png" and "!!binary" in path.read_text()
    again = fetch(tw.Connection(replay=path))
    assert again.content == live.content and again.content_type == "image/png"


def test_the_forms_record_to_field(tmp_path: Path) -> None:
    path = tmp_path / "form.yaml"
    form = tw.form(tw.Connection(sandbox=Sandbox(messages=10)))
    tab = form.connection_tab
    tab.record.value = str(path)
    assert f"record={str(path)!r}" in tab.python_code()
    assert f"--record {path}" in tab.magic_code()
    form.processing.select("Message", "List Messages")
    form.execute_button.click()
    assert form.result_area.result is not None and len(form.result_area.result.df) == 10
    assert "Messages.json" in path.read_text()
