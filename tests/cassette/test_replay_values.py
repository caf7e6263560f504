"""What a scrubbed cassette replays: a JSON request body (its values compared one by one, as a
form's are), a request with a secret parameter (``[scrubbed]`` matches any value), a stand-in
tied to the first value it met (rows asked out of order keep their own answers), and a big
batch found without comparing every request with every recorded one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from match_count import count_matches

from twilio_nb.cassette import Player, Recorder

API = "https://api.twilio.com/2010-04-01/Accounts/AC" + "7" * 32


def record(path: Path, sends: list[dict[str, Any]], scrub: str = "pii") -> None:
    """Each send: method, url and json= or data=; the answer echoes a counter."""
    count = iter(range(10**6))

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"n": next(count)})

    recorder = Recorder(path, scrub=scrub, account_sid="AC" + "7" * 32).hold()
    with httpx.Client(transport=recorder.transport(httpx.MockTransport(answer), 2**20)) as c:
        for send in sends:
            c.request(**send)


def replay(path: Path, sends: list[dict[str, Any]]) -> list[int]:
    with httpx.Client(transport=Player(path).transport()) as c:
        return [c.request(**send).json()["n"] for send in sends]


def test_a_json_body_replays_under_pii(tmp_path: Path) -> None:
    send = {"method": "POST", "url": "https://conversations.twilio.com/v1/Things",
            "json": {"to": "+14155550123", "note": "café", "owner": {"email": "a@b-corp.org"},
                     "tags": [1, 2]}}
    record(tmp_path / "j.yaml", [send])
    assert "+14155550123" not in (tmp_path / "j.yaml").read_text()
    assert replay(tmp_path / "j.yaml", [send]) == [0]


def test_a_request_with_a_secret_parameter_replays(tmp_path: Path) -> None:
    send = {"method": "POST", "url": f"{API}/SIP/Credentials.json",
            "data": {"Username": "amy", "Password": "Hunter2-Hunter2"}}
    record(tmp_path / "s.yaml", [send], scrub="secrets")
    assert "Hunter2" not in (tmp_path / "s.yaml").read_text()
    assert replay(tmp_path / "s.yaml", [send]) == [0]


def test_a_stand_in_stays_with_the_first_value_it_met(tmp_path: Path) -> None:
    """Two sends, then a list for each number; replayed with the lists swapped, each list
    still gets the answer recorded for its own number."""
    def send(to: str) -> dict[str, Any]:
        return {"method": "POST", "url": f"{API}/Messages.json", "data": {"To": to}}

    def listed(to: str) -> dict[str, Any]:
        return {"method": "GET", "url": f"{API}/Messages.json", "params": {"To": to}}

    a, b = "+14155550101", "+14155550202"
    record(tmp_path / "t.yaml", [send(a), send(b), listed(a), listed(b)])
    assert replay(tmp_path / "t.yaml", [send(a), send(b), listed(b), listed(a)]) == [0, 1, 3, 2]


def test_a_batch_replays_without_comparing_every_pair(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    rows = 300
    sends = [{"method": "POST", "url": f"{API}/Messages.json",
              "data": {"To": f"+1415555{n:04d}", "Body": f"row {n}"}} for n in range(rows)]
    record(tmp_path / "b.yaml", sends)
    compared = count_matches(monkeypatch)
    assert replay(tmp_path / "b.yaml", sends) == list(range(rows))
    assert compared() <= 2 * rows  # linear: not rows * rows
