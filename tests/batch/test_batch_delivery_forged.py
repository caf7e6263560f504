"""b.delivery() and b.wait() trust only callbacks whose signature was valid: forged posts to
the inbox (unsigned, or signed with another token by twilio-python's RequestValidator)
change nothing, and rows of an inbox made with verify=False are not trusted."""

from __future__ import annotations

import httpx
import pytest
from batch_rows import BODY, customers
from twilio.request_validator import RequestValidator

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox


@pytest.fixture(scope="module")
def box() -> Sandbox:
    """A sandbox whose clock stands still until advanced: no callback comes on its own."""
    return Sandbox(messages=0, clock="manual")


def forge(inbox: tw.Inbox, sid: str) -> list[int]:
    """Two forged callbacks saying ``sid`` was read (30007): one unsigned, one signed with a
    token that is not the account's."""
    url = inbox.url
    form = {"MessageSid": sid, "MessageStatus": "read", "ErrorCode": "30007"}
    wrong = RequestValidator("f" * 32).compute_signature(url, form)
    return [httpx.post(url, data=form).status_code,
            httpx.post(url, data=form, headers={"X-Twilio-Signature": wrong}).status_code]


def test_forged_callbacks_change_nothing_in_delivery(conn: tw.Connection, box: Sandbox) -> None:
    rows = customers(2, bad={1: "+15005550010"})
    with tw.inbox(connection=conn) as inbox:
        b = conn.batch("Message", "Send Message", rows, body=BODY, status_callback=inbox,
                       progress=False)
        before = b.delivery()
        for sid in b.df["sid"]:
            assert forge(inbox, sid) == [403, 403]
        inbox.wait(4, timeout=5)
        assert b.delivery().equals(before)
        assert set(before["status"]) == {"queued"} and before["error_code"].isna().all()
        with pytest.raises(TimeoutError, match="2 of 2 sent rows are not final"):
            b.wait(timeout=0.05, poll=0.01)  # not fooled into returning at once
        box.advance(2)
        done = b.wait(timeout=20)
        assert list(done["status"]) == ["delivered", "undelivered"]  # not "read"
        assert done["error_code"].isna().tolist() == [True, False]
        assert done.loc["c1", "error_code"] == 30003  # the real code, not the forged 30007
        assert "read_at" not in done.columns


def test_rows_of_an_unverified_inbox_are_not_trusted(conn: tw.Connection, box: Sandbox) -> None:
    rows = customers(2)
    with tw.inbox(verify=False) as inbox:
        b = conn.batch("Message", "Send Message", rows, body=BODY, status_callback=inbox,
                       progress=False)
        box.advance(2)
        inbox.wait(8, timeout=20)  # queued, sending, sent, delivered for each
        shown = b.delivery()
    assert set(inbox.df["MessageStatus"]) >= {"delivered"}
    assert set(shown["status"]) == {"queued"}  # the create answers only
