"""The inbox under a batch's load: answers in one piece on kept-alive connections, clients that
hang up leave no traceback, and the live display redraws a few times, not once per request."""

from __future__ import annotations

import logging
import socket
import struct
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

import twilio_nb as tw
from twilio_nb.webhook_protocol.signature import HEADER, sign
from twilio_nb.widgets.inbox_view import LiveInbox

TOKEN = "0123456789abcdef0123456789abcdef"
FORM = [("MessageSid", "SM123"), ("MessageStatus", "delivered")]


@pytest.fixture
def inbox() -> Iterator[tw.Inbox]:
    with tw.inbox(TOKEN) as box:
        yield box


def signed_request(box: tw.Inbox, path: str = "/status") -> bytes:
    body = "&".join(f"{k}={v}" for k, v in FORM).encode()
    sig = sign(f"http://127.0.0.1:{box.port}{path}", FORM, TOKEN)
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{box.port}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\n{HEADER}: {sig}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def test_each_answer_on_a_kept_alive_connection_arrives_in_one_piece(inbox: tw.Inbox) -> None:
    # written piece by piece, the body would wait for the ACK of the headers (Nagle): the
    # first read would see the headers alone
    with socket.create_connection((inbox.host, inbox.port), timeout=5) as sock:
        for n in range(1, 21):
            sock.sendall(signed_request(inbox))
            got = sock.recv(65536)
            head, _, body = got.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200 ")
            length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length")))
            assert len(body) == length and b"<Response" in body
            assert len(inbox) == n
    assert inbox.df["signature_valid"].tolist() == [True] * 20


def test_one_keep_alive_client_posts_many_callbacks_on_one_connection(inbox: tw.Inbox) -> None:
    url = inbox.url + "status"
    headers = {HEADER: sign(url, FORM, TOKEN)}
    with httpx.Client() as client:
        answers = [client.post(url, data=dict(FORM), headers=headers) for _ in range(200)]
    assert {a.status_code for a in answers} == {200}
    assert {a.http_version for a in answers} == {"HTTP/1.1"}
    assert "close" not in {a.headers.get("connection") for a in answers}
    assert len(inbox.wait(200, timeout=10)) == 200


def _hang_up(box: tw.Inbox, data: bytes, *, reset: bool) -> None:
    sock = socket.create_connection((box.host, box.port), timeout=5)
    sock.sendall(data)
    if reset:  # SO_LINGER 0: close sends a TCP RST, as a client killed mid-request
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def test_clients_that_hang_up_early_print_nothing(inbox: tw.Inbox,
                                                  capfd: pytest.CaptureFixture[str],
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="twilio_nb.inbox")
    request = signed_request(inbox)
    for _ in range(10):
        _hang_up(inbox, request, reset=True)  # whole request sent, answer refused
        _hang_up(inbox, request[:len(request) - 5], reset=True)  # body cut short
        _hang_up(inbox, request, reset=False)  # whole request, then gone
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any("went away" in r.getMessage()
                                                  for r in caplog.records):
        time.sleep(0.02)
    # the inbox goes on answering
    url = inbox.url + "after"
    ok = httpx.post(url, data=dict(FORM), headers={HEADER: sign(url, FORM, TOKEN)})
    assert ok.status_code == 200
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err and "Error" not in err and err == ""
    quiet = [r for r in caplog.records if "went away" in r.getMessage()]
    assert quiet and all(r.levelno == logging.DEBUG for r in quiet)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


class Handle:
    """A display handle that records what it was asked to show."""

    def __init__(self) -> None:
        self.shown: list[dict[str, str]] = []
        self.lock = threading.Lock()

    def update(self, bundle: dict[str, str], raw: bool = False) -> None:
        with self.lock:
            self.shown.append(bundle)


def _fill(box: tw.Inbox, n: int) -> None:
    """Rows as requests leave them, without the network (the listener is what is tested)."""
    for i in range(n):
        with box._cond:
            box._rows.append({"received_at": None, "method": "POST", "path": f"/r{i}",
                              "signature_valid": True, "status": 200, "error": None,
                              "MessageSid": f"SM{i:032d}"})
        box._tell_listeners()


def test_a_flood_of_requests_is_drawn_once_per_interval(inbox: tw.Inbox) -> None:
    handle = Handle()
    view = LiveInbox(inbox, handle, interval=3600.0)
    inbox.on_request(view)
    _fill(inbox, 1000)
    assert view.redraws == 1 and len(handle.shown) == 1  # the first at once, the rest planned
    inbox.clear()  # a clear is drawn at once, and the planned redraw is dropped
    assert len(handle.shown) == 2 and "no requests yet" in handle.shown[-1]["text/html"]


def test_the_last_redraw_shows_every_request_and_only_the_last_rows(inbox: tw.Inbox) -> None:
    handle = Handle()
    inbox.on_request(LiveInbox(inbox, handle, interval=0.05, shown=10))
    _fill(inbox, 1000)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "1,000 requests" not in \
            (handle.shown[-1]["text/plain"] if handle.shown else ""):
        time.sleep(0.01)
    last = handle.shown[-1]
    assert "1,000 requests, the last 10 shown)" in last["text/plain"]
    assert last["text/html"].count("<tr") == 11  # header + 10 rows, whatever the total
    assert "/r999" in last["text/html"] and "/r989" not in last["text/html"]
    assert len(handle.shown) < 1000


def test_a_display_that_fails_is_dropped_and_the_inbox_goes_on(inbox: tw.Inbox) -> None:
    class Gone(Handle):
        def update(self, bundle: dict[str, str], raw: bool = False) -> None:
            raise RuntimeError("the front end went away")

    inbox.on_request(LiveInbox(inbox, Gone()))
    url = inbox.url + "status"
    for _ in range(3):
        assert httpx.post(url, data=dict(FORM),
                          headers={HEADER: sign(url, FORM, TOKEN)}).status_code == 200
    assert len(inbox.wait(3, timeout=5)) == 3
    assert not inbox._listeners


def test_a_late_planned_redraw_neither_draws_again_nor_forgets_the_current_one(
        inbox: tw.Inbox) -> None:
    handle = Handle()
    view = LiveInbox(inbox, handle, interval=3600.0)
    inbox.on_request(view)
    _fill(inbox, 2)  # the first drawn at once, the second planned
    stale = threading.Thread(target=view._draw_planned)  # a cancelled timer that fired late
    stale.start()
    stale.join(10)
    assert view.redraws == 1 and len(handle.shown) == 1
    inbox.clear()  # the planned redraw is still known: cancelled, the clear drawn at once
    assert len(handle.shown) == 2 and "no requests yet" in handle.shown[-1]["text/html"]


def test_of_two_redraws_at_once_the_newer_table_is_the_one_left_shown(inbox: tw.Inbox) -> None:
    entered, release = threading.Event(), threading.Event()

    class Slow(Handle):
        def update(self, bundle: dict[str, str], raw: bool = False) -> None:
            if not entered.is_set():  # the first redraw stalls in the front end
                entered.set()
                release.wait(10)
            super().update(bundle, raw)

    handle = Slow()
    view = LiveInbox(inbox, handle, interval=0.0)  # every request drawn at once
    _fill(inbox, 1)
    first = threading.Thread(target=view, args=(inbox,))
    first.start()
    assert entered.wait(10)
    _fill(inbox, 1)
    second = threading.Thread(target=view, args=(inbox,))
    second.start()
    second.join(0.5)  # a redraw not kept waiting would show the newer table now
    release.set()
    first.join(10)
    second.join(10)
    assert "2 requests" in handle.shown[-1]["text/plain"], [b["text/plain"] for b in handle.shown]
