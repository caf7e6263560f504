"""The sandbox in a process of its own, for the benchmarks.

``python -m benchmarks.server --messages N [--delay S] [--page-size P]`` seeds a sandbox,
optionally delays every list-messages answer by ``S`` seconds (a fault of the sandbox, as a
real Twilio takes ~100 ms a page), measures how long the sandbox takes to render a page in
each format (in-process, no HTTP), serves on 127.0.0.1 and prints one JSON line::

    {"url": "http://127.0.0.1:PORT", "render_ms": {"json": 12.1, "xml": ..., "csv": ...}}

then serves until its standard input closes. :class:`ServerProcess` starts and stops it.

Why a process and not a thread: a server thread in the measuring process would compete with
the client for the GIL and make every contender look slower than it is; in its own process
it runs on the other core.
"""

from __future__ import annotations

import argparse
import base64
import json
import subprocess
import sys
import time
from types import TracebackType
from typing import Any

__all__ = ["ServerProcess", "main"]

MESSAGES_PATH = "/2010-04-01/Accounts/{account}/Messages.{ext}"


def _render_ms(sandbox: Any, account: str, token: str, page_size: int) -> dict[str, float]:
    """Milliseconds the sandbox takes to answer one page of messages per format, without
    HTTP (the median of a few pages): the share of every figure the server itself costs."""
    auth = "Basic " + base64.b64encode(f"{account}:{token}".encode()).decode()
    pages = max(1, min(5, sandbox.messages // max(1, page_size)))
    out: dict[str, float] = {}
    for ext in ("json", "xml", "csv"):
        times = []
        for page in range(pages):
            path = MESSAGES_PATH.format(account=account, ext=ext)
            query = f"?PageSize={page_size}&Page={page}"
            started = time.perf_counter()
            sandbox.handle("GET", path + query, headers={"Authorization": auth})
            times.append((time.perf_counter() - started) * 1000)
        out[ext] = round(sorted(times)[len(times) // 2], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server")
    parser.add_argument("--messages", type=int, required=True)
    parser.add_argument("--delay", type=float, default=0.0,
                        help="seconds added to every list-messages answer")
    parser.add_argument("--page-size", type=int, default=1000)
    args = parser.parse_args(argv)

    from twilio_nb.sandbox import ACCOUNT_SID, AUTH_TOKEN, Sandbox

    sandbox = Sandbox(messages=args.messages)
    render = _render_ms(sandbox, ACCOUNT_SID, AUTH_TOKEN, args.page_size)
    if args.delay > 0:
        sandbox.faults.add("delay", delay=args.delay, path="/Messages", method="GET")
    with sandbox.serve() as server:
        print(json.dumps({"url": server.url, "render_ms": render}), flush=True)
        sys.stdin.read()  # until the parent closes the pipe (or dies)
    return 0


class ServerProcess:
    """``with ServerProcess(messages=N, delay=S) as server: server.url``."""

    def __init__(self, messages: int, *, delay: float = 0.0, page_size: int = 1000,
                 python: str = sys.executable, cwd: str | None = None) -> None:
        self.messages, self.delay = messages, delay
        command = [python, "-m", "benchmarks.server", "--messages", str(messages),
                   "--delay", str(delay), "--page-size", str(page_size)]
        self._proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      text=True, cwd=cwd)
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            self.stop()
            raise RuntimeError(f"the sandbox server did not start (exit {self._proc.returncode})")
        ready = json.loads(line)
        self.url: str = ready["url"]
        self.render_ms: dict[str, float] = ready["render_ms"]

    def stop(self) -> None:
        if self._proc.stdin is not None and not self._proc.stdin.closed:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


if __name__ == "__main__":
    sys.exit(main())
