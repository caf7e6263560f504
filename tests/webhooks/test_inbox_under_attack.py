"""tw.inbox() as an attacker and a careless sender would use it: bursts of callbacks, forged
requests with thousands of fields, broken HTTP framing, options that make no sense.
Signatures are computed with twilio-python's own RequestValidator."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest
from twilio.request_validator import RequestValidator

import twilio_nb as tw
from twilio_nb import ConfigurationError
from twilio_nb.webhooks.inbox import BACKLOG, MAX_KEPT_BYTES, MAX_ROWS

TOKEN = "0123456789abcdef0123456789abcdef"
BASE = ["received_at", "method", "path", "signature_valid", "status", "error"]


@pytest.fixture
def box() -> Iterator[tw.Inbox]:
    with tw.inbox(TOKEN) as inbox:
        yield inbox


def signed(url: str, form: dict[str, str]) -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(url, form)}


def raw_exchange(inbox: tw.Inbox, head: str, body: bytes = b"") -> str:
    """Send ``head`` (request line and headers) and ``body`` on one socket, stop writing,
    and read the whole answer."""
    with socket.create_connection(("127.0.0.1", inbox.port), timeout=5) as s:
        s.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        s.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode("latin-1")


def test_200_signed_callbacks_at_once_from_200_threads_all_become_rows(box: tw.Inbox) -> None:
    n = 200
    assert n <= BACKLOG
    start = threading.Barrier(n, timeout=20)
    answers: list[int] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def post(i: int) -> None:
        url = box.url + "status"
        form = {"MessageSid": f"SM{i:032d}", "MessageStatus": "delivered"}
        start.wait()
        try:  # a client of its own: a connection of its own, all opened at once
            resp = httpx.post(url, data=form, headers=signed(url, form), timeout=20)
            with lock:
                answers.append(resp.status_code)
        except BaseException as exc:  # a refused or reset connection
            with lock:
                failures.append(exc)

    threads = [threading.Thread(target=post, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert failures == []
    assert answers == [200] * n
    df = box.wait(n, timeout=20)
    assert len(df) == n and df["signature_valid"].tolist() == [True] * n
    assert df["MessageSid"].nunique() == n


def test_a_forged_request_of_6000_fields_is_one_row_without_columns(box: tw.Inbox) -> None:
    form = {f"F{i}": "x" for i in range(6000)}
    body = urlencode(form).encode()
    assert len(body) < box.max_body
    resp = httpx.post(box.url + "status?Extra=1", content=body,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status_code == 403
    df = box.wait(1, timeout=5)
    assert list(df.columns) == BASE
    row = df.iloc[0]
    assert row["status"] == 403 and "X-Twilio-Signature missing" in row["error"]
    assert row["path"] == "/status?Extra=1"


def test_a_body_shorter_than_its_content_length_is_400_and_never_stored() -> None:
    with tw.inbox(verify=False) as inbox:
        answer = raw_exchange(inbox, "POST /status HTTP/1.1\nHost: x\nContent-Type: "
                              "application/x-www-form-urlencoded\nContent-Length: 100\n",
                              b"MessageStatus=deliv")
        df = inbox.wait(1, timeout=5)
    assert answer.startswith("HTTP/1.1 400 ") and "shorter than its Content-Length" in answer
    assert list(df.columns) == BASE
    assert df.iloc[0]["status"] == 400 and "cut short (19 of 100 bytes)" in df.iloc[0]["error"]


@pytest.mark.parametrize("length", ["-5", "abc", "1e3"])
def test_a_content_length_that_is_no_number_of_bytes_is_400_saying_so(
        box: tw.Inbox, length: str) -> None:
    answer = raw_exchange(box, f"POST /x HTTP/1.1\nHost: x\nContent-Length: {length}\n",
                          b"a=b")
    assert answer.startswith("HTTP/1.1 400 ")
    assert "not a whole number of bytes" in answer and "limit" not in answer
    row = box.wait(1, timeout=5).iloc[0]
    assert row["status"] == 400 and f"Content-Length '{length}'" in row["error"]


def test_rows_kept_are_bounded_the_oldest_let_go(box: tw.Inbox) -> None:
    assert (MAX_ROWS, MAX_KEPT_BYTES) == (100_000, 64 * 1024 * 1024)  # as documented
    box.max_rows = 5
    with httpx.Client() as client:
        for i in range(8):
            url = box.url + f"s{i}"
            form = {"MessageSid": f"SM{i}", "MessageStatus": "sent"}
            assert client.post(url, data=form, headers=signed(url, form)).status_code == 200
    box.wait(8, timeout=5)
    assert len(box) == 5 and box.dropped == 3
    assert box.df["MessageSid"].tolist() == [f"SM{i}" for i in range(3, 8)]
    assert "3 older let go" in repr(box)
    box.max_kept_bytes = 1000
    url = box.url + "big"
    form = {"Body": "y" * 5000}
    httpx.post(url, data=form, headers=signed(url, form))
    box.wait(9, timeout=5)
    assert len(box) == 1 and box.df["path"].tolist() == ["/big"]  # the newest always stays


@pytest.mark.parametrize(("options", "field"), [
    ({"max_body": "1MB"}, "max_body"), ({"max_body": -1}, "max_body"),
    ({"max_body": 1.5}, "max_body"), ({"verify": "no"}, "verify"),
    ({"host": 127}, "host"), ({"port": "80"}, "port"),
    ({"public_url": "ftp://x"}, "public_url")])
def test_options_are_checked_when_the_inbox_is_made(options: dict[str, object],
                                                    field: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        tw.inbox(TOKEN, **options)  # type: ignore[arg-type]
    assert caught.value.field == field and field in str(caught.value)


def test_the_request_check_keeps_the_token_out_of_its_repr(box: tw.Inbox) -> None:
    assert TOKEN not in repr(box._check) and "verify=True" in repr(box._check)
