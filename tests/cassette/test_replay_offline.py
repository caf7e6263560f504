"""A session recorded on the sandbox replays, in a fresh process with no credentials, no
network and no sandbox, to the frames the live session gave: JSON, XML and CSV pages,
``all()``, ``pages()``, a concurrent walk, POSTs (identical ones in recorded order) and a
batch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from cassette_offline import offline_env

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox

SEND = {"From": "+14155552671", "To": "+14155550199", "Body": "Your code is 4711"}

# the same calls live (here) and replayed (in the subprocess); each gives frames by name
SESSION = '''
def session(conn):
    out = {}
    for fmt in ("json", "xml", "csv"):
        first = conn.basic("Message", "List Messages", query={"PageSize": 40},
                           response_format=fmt)
        out[f"{fmt} page"] = first.df
        out[f"{fmt} next page"] = first.next_page().df
        out[f"{fmt} all"] = first.all(progress=False)
    calls = conn.basic("Call", "List Calls", query={"PageSize": 25})
    out["calls pages"] = pd.concat([p.df for p in calls.pages()], ignore_index=True)
    out["messages all, 4 at a time"] = conn.basic(
        "Message", "List Messages", query={"PageSize": 20}).all(concurrency=4, progress=False)
    out["sent twice"] = pd.concat([conn.basic("Message", "Send Message", body=SEND).df
                                   for _ in range(2)], ignore_index=True)
    out["account"] = conn.basic("Balance", "Get Balance").df
    customers = pd.DataFrame({"phone": ["+14155550101", "+14155550102", "+14155550103"],
                              "name": ["Ann", "Bo", "Cy"]}, index=["c1", "c2", "c3"])
    batch = conn.batch("Message", "Send Message", customers, concurrency=2, progress=False,
                       body={"From": "+14155552671", "To": "{phone}", "Body": "Hi {name}"})
    out["batch"] = batch.df.drop(columns="sent_at")  # when it was sent: the replay's own time
    out["batch results"] = batch.results
    return out
'''
namespace: dict[str, Any] = {"pd": pd, "SEND": SEND}
exec(SESSION, namespace)
session = namespace["session"]

REPLAY = '''
import pickle, sys
import pandas as pd
import twilio_nb as tw
SEND = {send!r}
{session}
checks = {{}}
try:
    import twilio_nb.sandbox
    checks["sandbox"] = "importable"
except ImportError:
    checks["sandbox"] = "unavailable"
try:
    tw.connect(sandbox=True).basic("Message", "List Messages")
    checks["sandbox connection"] = "worked"
except Exception as exc:
    checks["sandbox connection"] = type(exc).__name__
try:
    tw.connect().basic("Message", "List Messages")
    checks["account"] = "found"
except tw.ConfigurationError:
    checks["account"] = "none"
conn = tw.connect(replay=sys.argv[1])
frames = session(conn)
checks["attrs"] = frames["json page"].attrs
with open(sys.argv[2], "wb") as out:
    pickle.dump((frames, checks), out)
'''


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, pd.DataFrame]]:
    tmp = tmp_path_factory.mktemp("replay")
    cassette = tmp / "session.yaml"
    with tw.Connection(sandbox=Sandbox(messages=130), record=cassette, scrub="secrets") as conn:
        live = session(conn)
    return cassette, live


@pytest.fixture(scope="module")
def replayed(recorded: tuple[Path, dict[str, pd.DataFrame]],
             tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    cassette, _ = recorded
    tmp = tmp_path_factory.mktemp("offline")
    script = tmp / "replay.py"
    script.write_text(REPLAY.format(send=SEND, session=SESSION))
    out = subprocess.run([sys.executable, str(script), str(cassette), str(tmp / "frames.pkl")],
                         env=offline_env(tmp), cwd=tmp, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    frames, checks = pd.read_pickle(tmp / "frames.pkl")
    return frames, checks


def test_the_replaying_process_had_no_sandbox_no_account_no_network(
        replayed: tuple[dict[str, Any], dict[str, Any]]) -> None:
    _, checks = replayed
    assert checks["sandbox"] == "unavailable"
    assert checks["sandbox connection"] == "ModuleNotFoundError"
    assert checks["account"] == "none"


@pytest.mark.parametrize("name", ["json page", "json next page", "json all", "xml page",
                                  "xml next page", "xml all", "csv page", "csv next page",
                                  "csv all", "calls pages", "messages all, 4 at a time",
                                  "sent twice", "account", "batch", "batch results"])
def test_replayed_frames_equal_the_live_ones(
        name: str, recorded: tuple[Path, dict[str, pd.DataFrame]],
        replayed: tuple[dict[str, Any], dict[str, Any]]) -> None:
    _, live = recorded
    frames, _ = replayed
    assert len(live[name]) > 0
    pd.testing.assert_frame_equal(frames[name], live[name])


def test_walks_were_walks_and_identical_posts_replay_in_recorded_order(
        recorded: tuple[Path, dict[str, pd.DataFrame]]) -> None:
    _, live = recorded
    assert len(live["json all"]) == len(live["xml all"]) == len(live["csv all"]) == 130
    assert len(live["calls pages"]) > 25 and len(live["messages all, 4 at a time"]) > 100
    sent = live["sent twice"]["sid"].tolist()
    assert len(set(sent)) == 2  # two messages, two answers: not the first one twice
    assert live["batch"]["outcome"].tolist() == ["sent"] * 3
    assert live["batch"].index.tolist() == ["c1", "c2", "c3"]


def test_replayed_frames_say_replay_and_the_cassette(
        recorded: tuple[Path, dict[str, pd.DataFrame]],
        replayed: tuple[dict[str, Any], dict[str, Any]]) -> None:
    cassette, _ = recorded
    _, checks = replayed
    attrs = checks["attrs"]
    assert attrs["replay"] == str(cassette) and attrs["sandbox"] is False
    conn = tw.Connection(replay=cassette)
    r = conn.basic("Message", "List Messages", query={"PageSize": 40})
    assert f"REPLAY of {cassette}" in r.status_line() and "REPLAY" in r._repr_html_()
    assert conn.history["status"].tolist() == [200]
