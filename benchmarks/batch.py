"""One Send Message per row at Twilio's speed: ``python -m benchmarks.batch``.

The sandbox runs in a process of its own (``python -m twilio_nb.sandbox --latency-ms 300``:
every answer 300 ms after its request was read, as Twilio takes a few hundred ms to create a
message). In the same run, against the same sandbox, each contender sends one message to each
of ``--rows`` made-up customers:

* ``twilio-python loop``: ``client.messages.create(...)`` in a for loop, one after the other
  (what a notebook user writes today);
* ``batch c1``: ``conn.batch(..., concurrency=1)``;
* ``batch cN``: ``conn.batch(..., concurrency=N)`` (8 by default);
* ``batch cN checkpoint``: the same with ``checkpoint=`` (an fsync before and after each row).

Every contender's messages are counted per recipient afterwards (List Messages): each must be
exactly one. Best of ``--repeat`` runs each (3 by default), interleaved: each round runs every
contender once, starting one further along, so the machine's load hits them alike and the loop
is not always first. The report (``--out``, default ``benchmarks/RESULTS-batch.md``) gives
seconds, the ratio to the loop (the issue's target: concurrency 8 >= 6x the loop; the floor is
rows x latency / N), the machine and its load. ``--quick`` runs a tiny size once (a smoke
test).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from .bulk import Sandbox, _say
from .machine import load_average, machine_facts
from .report import _verdict

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]
FROM = "+14155550100"


def _rows(n: int, token: str) -> Any:
    import pandas as pd

    return pd.DataFrame({"phone": [f"+1415557{i:04d}" for i in range(n)],
                         "name": [f"Customer {i}" for i in range(n)], "token": token})


def _loop(url: str, rows: Any) -> float:
    from twilio.rest import Client  # type: ignore[import-untyped]

    from twilio_nb.sandbox import ACCOUNT_SID, AUTH_TOKEN

    client = Client(ACCOUNT_SID, AUTH_TOKEN, environment={})
    client.api.base_url = url
    messages = client.api.v2010.accounts(ACCOUNT_SID).messages
    started = time.perf_counter()
    for phone, name, token in zip(rows["phone"], rows["name"], rows["token"], strict=True):
        messages.create(to=phone, from_=FROM, body=f"Hi {name} {token}")
    return time.perf_counter() - started


def _batch(conn: Any, rows: Any, concurrency: int, checkpoint: bool) -> float:
    body = {"From": FROM, "To": "{phone}", "Body": "Hi {name} {token}"}
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "b.batch") if checkpoint else None
        started = time.perf_counter()
        b = conn.batch("Message", "Send Message", rows, body=body, concurrency=concurrency,
                       checkpoint=path, progress=False)
        took = time.perf_counter() - started
    assert set(b.df["outcome"]) == {"sent"}, b.counts
    return took


def _exactly_once(conn: Any, rows: Any, token: str) -> bool:
    listed = conn.basic("Message", "List Messages", query={"PageSize": 1000}).all(
        progress=False)
    mine = listed[listed["body"].astype(str).str.endswith(" " + token)]
    return Counter(mine["to"]) == Counter(rows["phone"])


def run(rows: int, latency_ms: float, concurrency: int, repeat: int = 1) -> dict[str, Any]:
    import twilio_nb as tw
    from twilio_nb.sandbox import ACCOUNT_SID, AUTH_TOKEN

    results: dict[str, Any] = {"rows": rows, "latency_ms": latency_ms,
                               "concurrency": concurrency, "repeat": repeat,
                               "load_before": load_average(), "machine": machine_facts()}
    plan = [("twilio-python loop", None, False), ("batch c1", 1, False),
            (f"batch c{concurrency}", concurrency, False),
            (f"batch c{concurrency} checkpoint", concurrency, True)]
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in plan}
    box = Sandbox(0, latency_ms)
    try:
        conn = tw.Connection(address=box.url, auth_type="auth_token", max_retries=20,
                             credential=tw.UserCredentials(ACCOUNT_SID, AUTH_TOKEN))
        conn.basic("Message", "List Messages", query="PageSize=1")  # warm: one connection
        for rep in range(repeat):  # interleaved, each round starting one contender further
            first = rep % len(plan)
            for i, (name, n, checkpoint) in [*enumerate(plan)][first:] + \
                    [*enumerate(plan)][:first]:
                token = f"t{rep}x{i}x{int(time.time())}"  # tells this run's messages apart
                frame = _rows(rows, token)
                took = _loop(box.url, frame) if n is None else \
                    _batch(conn, frame, n, checkpoint)
                runs[name].append({"seconds": took,
                                   "exactly_once": _exactly_once(conn, frame, token)})
                _say(f"run {rep + 1}/{repeat} {name}: {took:.2f} s")
    finally:
        box.stop()
    results["contenders"] = {name: {"seconds": min(r["seconds"] for r in got),
                                    "runs": [r["seconds"] for r in got],
                                    "exactly_once": all(r["exactly_once"] for r in got)}
                             for name, got in runs.items()}
    results["load_after"] = load_average()
    return results


def report(results: dict[str, Any]) -> str:
    rows, latency, n = results["rows"], results["latency_ms"], results["concurrency"]
    loop = results["contenders"]["twilio-python loop"]["seconds"]
    floor = rows * latency / 1000 / n
    lines = [f"# Batch benchmark: {rows} Send Message rows, every answer {latency:g} ms after its "
             "request was read", "",
             "Machine: " + ", ".join(f"{k} {v}" for k, v in results["machine"].items()),
             f"Load average before: {results['load_before']},"
             f" after: {results['load_after']}", "",
             f"Best of {results['repeat']} runs each, interleaved (each round starts one "
             "contender further along).", "",
             "| contender | seconds (best) | every run s | × faster than the loop | "
             "every row exactly once |", "|---|---|---|---|---|"]
    for name, got in results["contenders"].items():
        every = ", ".join(f"{s:.2f}" for s in got["runs"])
        lines.append(f"| {name} | {got['seconds']:.2f} | {every} | "
                     f"{loop / got['seconds']:.1f} | {'yes' if got['exactly_once'] else 'NO'} |")
    best = results["contenders"][f"batch c{n}"]["seconds"]
    lines += ["", "## Targets", "",
              f"- concurrency {n} ≥ 6 × faster than the twilio-python loop: "
              f"{loop / best:.1f} × ({_verdict(loop / best >= 6)})",
              f"- physical floor rows × latency / {n} = {floor:.2f} s; batch c{n} took "
              f"{best:.2f} s ({best / floor:.2f} × the floor)", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.batch")
    p.add_argument("--rows", type=int, default=200)
    p.add_argument("--latency-ms", type=float, default=300)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--repeat", type=int, default=None,
                   help="runs of each contender, the best kept (default 3; 1 with --quick)")
    p.add_argument("--quick", action="store_true",
                   help="16 rows at 20 ms, once unless --repeat: a smoke test")
    p.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS-batch.md"))
    args = p.parse_args(argv)
    rows, latency = (16, 20.0) if args.quick else (args.rows, args.latency_ms)
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 3)
    if min(rows, repeat, args.concurrency) < 1:
        p.error("--rows, --repeat and --concurrency must be 1 or more")
    text = report(run(rows, latency, args.concurrency, repeat))
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
