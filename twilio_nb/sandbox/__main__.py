"""``python -m twilio_nb.sandbox --port 4010 [--messages N] [--message-days D] [--rate-limit R]
[--latency-ms MS] [--concurrency-limit N]``: serve until Ctrl-C (or SIGTERM)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from types import FrameType

from ..errors import ConfigurationError
from . import ACCOUNT_SID, API_KEY_SID, AUTH_TOKEN, CREDENTIAL_NAME, Sandbox, mask


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m twilio_nb.sandbox",
                                description="Serve the twilio_nb sandbox, an offline Twilio, "
                                            "on 127.0.0.1.")
    p.add_argument("--port", type=int, default=4010, help="port (0: any free one); default 4010")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on; default 127.0.0.1")
    p.add_argument("--messages", type=int, default=2500, help="messages to seed; default 2500")
    p.add_argument("--message-days", type=int, default=180, metavar="DAYS",
                   help="days the messages spread over, up to 2025-06-30; default 180")
    p.add_argument("--seed", type=int, default=7, help="seed of the data; default 7")
    p.add_argument("--rate-limit", type=float, default=None, metavar="R",
                   help="answer 429 beyond R requests a second")
    p.add_argument("--retry-after", type=float, default=None, metavar="S",
                   help="seconds to announce in Retry-After with --rate-limit or "
                        "--concurrency-limit (default 1 with the latter)")
    p.add_argument("--latency-ms", type=float, default=0, metavar="MS",
                   help="answer every request MS milliseconds after reading it, the sandbox's own "
                        "work included (concurrent requests overlap)")
    p.add_argument("--concurrency-limit", type=int, default=None, metavar="N",
                   help="answer 429 (code 20429) beyond N requests in flight, as Twilio does")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    try:
        sandbox = Sandbox(messages=args.messages, message_days=args.message_days,
                          seed=args.seed, rate_limit=args.rate_limit,
                          retry_after=args.retry_after, latency_ms=args.latency_ms,
                          concurrency_limit=args.concurrency_limit)
        server = sandbox.serve(args.port, args.host)
    except (ConfigurationError, OSError) as exc:
        print(f"twilio_nb sandbox: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    took = time.perf_counter() - started
    print(f"twilio_nb sandbox (an offline Twilio) serving on {server.url}  "
          f"[{sandbox.messages:,} messages, ready in {took:.1f} s]", flush=True)
    print(f"  Auth Token credential: user {mask(ACCOUNT_SID)}  password {mask(AUTH_TOKEN)}\n"
          f"  API Key credential:    user {mask(API_KEY_SID)}  password ****\n"
          f"  (public constants in twilio_nb.sandbox; credential name {CREDENTIAL_NAME!r})",
          flush=True)
    print(f'  Example: tw.connect(address="{server.url}", credential="{CREDENTIAL_NAME}", '
          'auth_type="auth_token").basic("Message", "List Messages").df', flush=True)
    print("  Ctrl-C stops it.", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        print("twilio_nb sandbox stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
