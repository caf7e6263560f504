"""A batch recorded at any concurrency replays each row's own answer: the stand-ins of its
rows are given in row order when recorded and tied in row order when replayed, whatever
order the concurrent rows were answered or are asked in."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_rows import BODY, customers
from match_count import count_matches

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox


@pytest.mark.parametrize("replay_concurrency", [8, 1])
def test_a_batch_recorded_at_concurrency_8_replays_every_rows_own_sid(
        tmp_path: Path, replay_concurrency: int) -> None:
    path = tmp_path / "batch.yaml"
    rows = customers(12)
    with tw.Connection(sandbox=Sandbox(messages=0), record=path) as conn:
        conn.basic("Message", "List Messages")  # stand-ins made before the batch, too
        recorded = conn.batch("Message", "Send Message", rows, body=BODY, concurrency=8,
                              progress=False)
    sids = recorded.sids
    assert len(set(sids.values())) == 12
    text = path.read_text()
    assert "+1415556" not in text and "Customer" not in text  # scrubbed all the same
    for _ in range(2):  # each replay alike
        with tw.Connection(replay=path) as replay:
            replay.basic("Message", "List Messages")
            again = replay.batch("Message", "Send Message", rows, body=BODY,
                                 concurrency=replay_concurrency, progress=False)
        assert again.sids == sids
        assert list(again.df["outcome"]) == ["sent"] * 12


def test_a_big_batch_is_tied_in_linear_time(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.yaml"
    rows = customers(150)
    with tw.Connection(sandbox=Sandbox(messages=0), record=path) as conn:
        sids = conn.batch("Message", "Send Message", rows, body=BODY, concurrency=4,
                          progress=False).sids
    compared = count_matches(monkeypatch)
    with tw.Connection(replay=path) as replay:
        again = replay.batch("Message", "Send Message", rows, body=BODY, concurrency=4,
                             progress=False)
    assert again.sids == sids
    assert compared() <= 6 * len(rows)  # linear (rows * rows / 2 would be 11,250)
