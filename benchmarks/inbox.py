"""Webhooks at batch speed: ``python -m benchmarks.inbox [--quick]``.

Two figures, each against a baseline measured in the same run:

* **posts/s**: one keep-alive ``httpx.Client`` in a process of its own (as Twilio posts from
  elsewhere) sends ``--posts`` signed status callbacks one after the other to ``tw.inbox()``
  (which checks each signature and keeps each as a row); the baseline is the same posts to a
  plain ``http.server`` that reads the body and answers the same TwiML, doing nothing else,
  written so it does not stall (its answer in one write, ``TCP_NODELAY``). For reference,
  the stock ``http.server`` way of answering (``send_response``, ``send_header``,
  ``end_headers``, ``wfile.write``: several small writes) is measured too, on fewer posts:
  that is how the inbox answered before (~40 ms a request: Nagle's algorithm waiting for a
  delayed ACK).
* **callbacks**: ``--messages`` messages created on an in-process sandbox with their
  ``StatusCallback`` on the receiver; the wall time of ``sandbox.advance(1)`` until all four
  callbacks of every message (queued, sending, sent, delivered) have arrived, with the
  sandbox and the receiver in one process, as in a notebook's kernel. Into ``tw.inbox()``
  against into the plain server.

Best of ``--repeat`` runs each. The report (``--out``, default
``benchmarks/RESULTS-inbox.md``) gives the figures, the ratios, the issue's targets (>= 1,000
posts/s; 1,000 messages' callbacks in <= 5 s) and the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .bulk import _say
from .machine import load_average, machine_facts
from .measure import in_child
from .report import _verdict

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]
FORM = [("MessageSid", "SM" + "0" * 32), ("MessageStatus", "delivered"),
        ("To", "+14155550199"), ("From", "+14155550100"), ("ApiVersion", "2010-04-01")]
TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response/>'
STOCK_POSTS = 50  # the stalling server takes ~40 ms a post


class _Plain(BaseHTTPRequestHandler):
    """Reads the body, answers the TwiML, nothing else (the baseline)."""

    protocol_version = "HTTP/1.1"
    wbufsize = -1  # one write per answer
    server: _Counting

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(TWIML)))
        self.end_headers()
        self.wfile.write(TWIML)
        self.server.count()


class _Stock(_Plain):
    """The same, answered as the stock http.server writes it: piece by piece."""

    wbufsize = 0


class _Counting(ThreadingHTTPServer):
    daemon_threads = True
    nodelay = True

    def __init__(self, handler: type[_Plain]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.seen = 0
        self.cond = threading.Condition()
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = super().get_request()
        if self.nodelay:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, addr

    def count(self) -> None:
        with self.cond:
            self.seen += 1
            self.cond.notify_all()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def wait(self, n: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self.cond:
            while self.seen < n and time.monotonic() < deadline:
                self.cond.wait(0.1)

    def close(self) -> None:
        self.shutdown()
        self.server_close()


class _StockServer(_Counting):
    nodelay = False


def child_posts(url: str, n: int, token: str) -> dict[str, Any]:
    """One keep-alive client posting ``n`` signed callbacks to ``url``, after one warm-up."""
    import httpx

    from twilio_nb.webhook_protocol.signature import HEADER, sign

    headers = {HEADER: sign(url, FORM, token), "User-Agent": "TwilioProxy/1.1"}
    with httpx.Client(trust_env=False) as client:
        client.post(url, data=dict(FORM), headers=headers).raise_for_status()
        started = time.perf_counter()
        for _ in range(n):
            client.post(url, data=dict(FORM), headers=headers).raise_for_status()
        took = time.perf_counter() - started
    return {"posts": n, "seconds": took, "per_second": n / took}


def _posts(url: str, n: int, token: str) -> dict[str, Any]:
    """:func:`child_posts` in a process of its own (as Twilio posts from elsewhere)."""
    try:
        return in_child(child_posts, url, n, token)
    except RuntimeError as exc:
        return {"error": (str(exc).strip().splitlines() or ["failed"])[-1]}


def _callbacks(messages: int, receiver: str) -> dict[str, Any]:
    """Wall time of ``advance(1)`` until every callback of ``messages`` messages arrived."""
    import httpx

    import twilio_nb as tw
    from twilio_nb.sandbox import ACCOUNT_SID, AUTH_TOKEN, Sandbox

    sandbox = Sandbox(messages=0)
    expected = 4 * messages  # queued, sending, sent, delivered
    if receiver == "inbox":
        box = tw.inbox(AUTH_TOKEN)
        url, arrived, close = box.url, box.__len__, box.close
        all_in = threading.Event()  # set by the last request, as the plain server's condition
        box.on_request(lambda b: all_in.set() if len(b) >= expected else None)

        def wait() -> None:  # not box.wait(): it builds the DataFrame too
            all_in.wait(120)
    else:
        plain = _Counting(_Plain)
        url, close = plain.url, plain.close

        def arrived() -> int:
            return plain.seen

        def wait() -> None:
            plain.wait(expected, timeout=120)
    try:
        with httpx.Client(transport=sandbox.transport(), base_url="https://api.twilio.com",
                          auth=sandbox.auth()) as api:
            for i in range(messages):
                api.post(f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json", data={
                    "From": "+14155550100", "To": "+14155550199", "Body": f"hi {i}",
                    "StatusCallback": url + "status"}).raise_for_status()
        started = time.perf_counter()
        sandbox.advance(1)  # the four states of every message fall due
        advanced = time.perf_counter() - started
        wait()
        took = time.perf_counter() - started
        got = arrived()
        failed = sum(1 for d in sandbox.deliveries if not d.ok)  # of the last 1,000 logged
    finally:
        close()
    return {"messages": messages, "callbacks": got, "seconds": took,
            "advance_seconds": advanced, "failed": failed}


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    good = [r for r in runs if "error" not in r]
    return min(good, key=lambda r: r["seconds"]) if good else runs[-1]


def run(posts: int, messages: int, repeat: int) -> dict[str, Any]:
    import twilio_nb as tw

    token = "0123456789abcdef0123456789abcdef"
    results: dict[str, Any] = {"posts": posts, "messages": messages, "repeat": repeat,
                               "load_before": load_average(), "machine": machine_facts()}
    box = tw.inbox(token)
    plain, stock = _Counting(_Plain), _StockServer(_Stock)
    receivers: dict[str, tuple[str, int]] = {
        "inbox": (box.url + "status", posts), "plain": (plain.url + "status", posts),
        "stock": (stock.url + "status", min(posts, STOCK_POSTS))}
    try:
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in receivers}
        for _ in range(repeat):  # interleaved: the machine's load hits every receiver alike
            for name, (url, n) in receivers.items():
                runs[name].append(_posts(url, n, token))
        results["post_rates"] = {name: _best(r) for name, r in runs.items()}
        bad = [r for r in box.rows if not r["signature_valid"]]
        results["inbox_rows"], results["inbox_invalid"] = len(box), len(bad)
    finally:
        box.close()
        plain.close()
        stock.close()
    _say(f"posts/s: {json.dumps(results['post_rates'])}")
    measured: dict[str, list[dict[str, Any]]] = {"inbox": [], "plain": []}
    for _ in range(repeat):
        for name in measured:
            measured[name].append(_callbacks(messages, name))
    results["callbacks"] = {name: _best(r) for name, r in measured.items()}
    _say(f"callbacks: {json.dumps(results['callbacks'])}")
    results["load_after"] = load_average()
    return results


def report(results: dict[str, Any]) -> str:
    rates, calls = results["post_rates"], results["callbacks"]
    inbox_rate = rates["inbox"].get("per_second", 0.0)
    plain_rate = rates["plain"].get("per_second", float("nan"))
    stock_rate = rates["stock"].get("per_second", float("nan"))
    cb_inbox, cb_plain = calls["inbox"], calls["plain"]
    n = results["messages"]
    per_1000 = cb_inbox["seconds"] * 1000 / n if n else float("nan")
    m = results["machine"]
    lines = [
        "# Webhooks at batch speed (`python -m benchmarks.inbox`)", "",
        f"Best of {results['repeat']} runs each; {results['posts']:,} posts per client run, "
        f"{n:,} messages ({4 * n:,} callbacks) per callback run.", "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in m.items()),
        f"Load average before: {results['load_before']}, after: {results['load_after']} "
        "(the machine is shared: other work ran meanwhile).", "",
        "## Targets", "",
        "| target | figure | verdict |", "|---|---|---|",
        f"| one keep-alive client >= 1,000 signed posts/s into `tw.inbox()` | "
        f"{inbox_rate:,.0f}/s ({inbox_rate / plain_rate:.2f} x the plain server) | "
        f"{_verdict(inbox_rate >= 1000)} |",
        f"| 1,000 messages' callbacks (4,000) into an inbox in <= 5 s | "
        f"{cb_inbox['seconds']:.2f} s for {n:,} messages"
        + (f" (~{per_1000:.1f} s per 1,000)" if n != 1000 else "")
        + f"; {cb_inbox['seconds'] / cb_plain['seconds']:.2f} x into the plain server | "
        f"{_verdict(per_1000 <= 5)} |", "",
        "## Posts per second, one keep-alive httpx client in its own process", "",
        "| receiver | posts | seconds | posts/s | vs plain |", "|---|---|---|---|---|"]
    for name, what in (("inbox", "`tw.inbox()`: signature checked, a row kept"),
                       ("plain", "plain http.server, one write, TCP_NODELAY (baseline)"),
                       ("stock", "stock http.server answer, written piece by piece")):
        got = rates[name]
        if "error" in got:
            lines.append(f"| {what} | error: {got['error']} | | | |")
            continue
        lines.append(f"| {what} | {got['posts']:,} | {got['seconds']:.3f} | "
                     f"{got['per_second']:,.0f} | {got['per_second'] / plain_rate:.2f} x |")
    lines += ["", f"Inbox rows: {results['inbox_rows']:,}, with an invalid signature: "
              f"{results['inbox_invalid']}. The stock answer's {stock_rate:,.0f}/s is the stall "
              "the inbox had before (its answer went out in several writes).", "",
              "## Callbacks of a batch, sandbox and receiver in one process", "",
              "| receiver | messages | callbacks arrived | failed attempts | advance() s | "
              "all arrived s | vs plain |", "|---|---|---|---|---|---|---|"]
    for name, what in (("inbox", "`tw.inbox()`"), ("plain", "plain http.server (baseline)")):
        got = calls[name]
        lines.append(f"| {what} | {got['messages']:,} | {got['callbacks']:,} | {got['failed']:,} | "
                     f"{got['advance_seconds']:.2f} | {got['seconds']:.2f} | "
                     f"{got['seconds'] / cb_plain['seconds']:.2f} x |")
    lines += ["", "Failed attempts: of the sandbox's log of its last 1,000 callback attempts. "
              "`advance()` returns once every callback due was attempted, so its time is the "
              "batch's delivery time."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.inbox",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="small and once: 300 posts, 100 messages, 1 run")
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS-inbox.md"))
    args = parser.parse_args(argv)
    if args.quick:
        args.posts, args.messages, args.repeat = 300, 100, 1
    if min(args.posts, args.messages, args.repeat) < 1:
        parser.error("--posts, --messages and --repeat must be 1 or more")
    results = run(args.posts, args.messages, args.repeat)
    out = Path(args.out)
    out.write_text(report(results), encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    _say(f"wrote {out}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
