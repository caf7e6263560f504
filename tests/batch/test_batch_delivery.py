"""A batch tracked to delivery: through an inbox (no request), and without one (one list)."""

from __future__ import annotations

import pytest
from batch_rows import BODY, customers

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox

MESSAGES = 0


def test_delivery_through_an_inbox_reaches_every_final_state(conn: tw.Connection,
                                                             box: Sandbox) -> None:
    rows = customers(6, bad={4: "+15005550010", 5: "+15005550012"})
    with tw.inbox(connection=conn) as inbox:
        b = conn.batch("Message", "Send Message", rows, body=BODY, concurrency=3,
                       status_callback=inbox, progress=False)
        assert b.requests["body"].str.contains("StatusCallback=http://127.0.0.1").all()
        box.advance(2)
        box.stats.clear()
        done = b.wait(timeout=20)
        assert box.stats.total_requests == 0  # read from the inbox, not from Twilio
    assert list(done.index) == list(rows.index)
    assert list(done["status"]) == ["delivered"] * 4 + ["undelivered", "failed"]
    assert list(done["error_code"].iloc[4:]) == [30003, 30008]
    assert {"queued_at", "sent_at", "delivered_at"} <= set(done.columns)
    assert done.loc["c0", "delivered_at"] >= done.loc["c0", "queued_at"]
    assert done["status_at"].notna().all()


def test_delivery_without_an_inbox_reads_one_list_not_one_fetch_per_row(
        conn: tw.Connection, box: Sandbox) -> None:
    rows = customers(8, bad={3: "+15005550001"})
    b = conn.batch("Message", "Send Message", rows, body=BODY, concurrency=4, progress=False)
    box.advance(2)
    box.stats.clear()
    shown = b.delivery()
    assert box.stats.total_requests == 1
    assert box.stats.count("GET", "/Messages.json") == 1
    assert shown.loc["c3", "status"] is None or shown["status"].isna()["c3"]
    assert set(shown.drop(index="c3")["status"]) == {"delivered"}
    assert shown.drop(index="c3")["delivered_at"].notna().all()
    assert b.wait(timeout=5)["status"].notna().sum() == 7


def test_calls_are_tracked_to_their_final_state(conn: tw.Connection, box: Sandbox) -> None:
    rows = customers(3, bad={2: "+15005550020"})
    with tw.inbox(connection=conn) as inbox:
        b = conn.batch("Call", "Create Call", rows, status_callback=inbox, progress=False,
                       body={"From": "+14155550100", "To": "{phone}",
                             "Twiml": "<Response><Say>Hi {name}</Say></Response>"})
        assert set(b.df["outcome"]) == {"sent"} and b.df["sid"].str.startswith("CA").all()
        box.advance(120)
        done = b.wait(timeout=20)
    assert list(done["status"]) == ["completed", "completed", "busy"]
    assert "ringing_at" in done.columns


def test_wait_says_how_many_are_not_final(conn: tw.Connection, box: Sandbox) -> None:
    b = conn.batch("Call", "Create Call", customers(2), progress=False,
                   body={"From": "+14155550100", "To": "{phone}", "Url": "https://x.example/t"})
    with pytest.raises(TimeoutError, match="2 of 2 sent rows are not final"):
        b.wait(timeout=0.01)
