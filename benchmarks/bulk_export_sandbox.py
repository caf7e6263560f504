"""Bulk Export against a list walk, from the sandbox: ``python -m benchmarks.bulk_export_sandbox``.

    python -m benchmarks.bulk_export_sandbox [--days 30] [--per-day 50000] [--latency-ms 300]
                                             [--quick] [--out benchmarks/RESULTS-bulk-export.md]

The sandbox runs in a process of its own on 127.0.0.1 (:class:`benchmarks.bulk.Sandbox`:
``python -m twilio_nb.sandbox --latency-ms MS``, every answer MS after its request was read),
seeded with ``days x per_day`` messages spread evenly over its last ``days`` days
(``--message-days``: up to 2025-06-30 12:00 UTC, so they fall on ``days + 1`` UTC days, the
first and the last half full). Both contenders ask for those UTC days, each in a forked child
of its own (:func:`benchmarks.measure.in_child`), after a warm-up (:data:`benchmarks.bulk.WARM`):

* ``all(concurrency=8)``: ``conn.basic("Message", "List Messages", query="PageSize=1000")
  .all(concurrency=8, since=FIRST, until=LAST)`` (date slices, 8 at a time);
* ``bulk_export``: ``conn.bulk_export("Messages", FIRST, LAST, create_jobs=False)`` (its
  default concurrency, 4 day files at once): the sandbox has a file for every one of those
  days (long past), so no job is needed.

The sandbox makes a day's gzip file from its store the first time it is asked for (its Days
list asks for every size), then keeps it; Twilio's files are made once, long before anyone
asks. So the export runs twice: first as ``bulk_export, cold sandbox`` (the sandbox making
its files inside the timed run: the sandbox's cost, not Twilio's), then, after the walk, as
``bulk_export`` against the files made: the figure the target is judged on.

The target (issue 29): the export at least 5x faster than the walk, with the same SIDs (the
sets compared by :func:`benchmarks.bulk._digest`). ``--quick``: 3 days of 2,000 messages at
50 ms, for the smoke test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bulk import WARM, Sandbox, _digest, _say
from benchmarks.bulk_export import write_part
from benchmarks.machine import load_average, machine_facts
from benchmarks.measure import in_child

ROOT = Path(__file__).resolve().parent.parent
HEADING = "# Bulk Export against a list walk"
COLD = "bulk_export, cold sandbox"
CONTENDERS = (COLD, "all(concurrency=8)", "bulk_export")


def contender(name: str, url: str, first: str, last: str) -> dict[str, Any]:
    """Run ``name`` against the sandbox at ``url`` over the UTC days ``first``..``last``."""
    import twilio_nb as tw
    import twilio_nb.bulk_export  # imported before the clock starts (WARM)
    from twilio_nb.sandbox import ACCOUNT_SID, AUTH_TOKEN

    conn = tw.Connection(address=url, auth_type="auth_token", max_retries=20,
                         credential=tw.UserCredentials(ACCOUNT_SID, AUTH_TOKEN))
    warm = conn.basic("Message", "List Messages", query="PageSize=1")
    assert len(warm.df) == 1  # WARM
    started = time.perf_counter()
    if name.startswith("bulk_export"):
        x = conn.bulk_export("Messages", first, last, create_jobs=False, progress=False)
        took = time.perf_counter() - started
        missing = len(x.missing)
        sids = x.df["sid"].tolist()
    else:
        r = conn.basic("Message", "List Messages", query="PageSize=1000")
        frame = r.all(concurrency=8, since=first, until=last, progress=False)
        took = time.perf_counter() - started
        missing, sids = 0, frame["sid"].tolist()
    return {"seconds": took, **_digest(sids), "requests": len(conn.history) - 1,
            "missing_days": missing}


def run(days: int, per_day: int, latency_ms: float, timeout_s: float) -> dict[str, Any]:
    """Seed, serve, measure both contenders once; what was measured."""
    from twilio_nb.sandbox.constants import SEED_END

    first = dt.datetime.fromtimestamp(SEED_END - days * 86400, dt.UTC).date().isoformat()
    last = dt.datetime.fromtimestamp(SEED_END, dt.UTC).date().isoformat()
    results: dict[str, Any] = {"days": days, "per_day": per_day, "latency_ms": latency_ms,
                               "first": first, "last": last, "load_before": load_average(),
                               "machine": machine_facts(), "rows": {}}
    started = time.perf_counter()
    server = Sandbox(days * per_day, latency_ms, days=days)
    results["ready_s"] = time.perf_counter() - started
    try:
        for name in CONTENDERS:
            try:
                got = in_child(contender, name, server.url, first, last, timeout_s=timeout_s)
            except RuntimeError as exc:
                got = {"error": str(exc).strip().splitlines()[-1]}
            _say(f"{name:<20} {got}")
            results["rows"][name] = got
    finally:
        server.stop()
    results["load_after"] = load_average()
    return results


def report(results: dict[str, Any]) -> str:
    rows, walk = results["rows"], results["rows"].get("all(concurrency=8)", {})
    cold = rows.get(COLD, {})
    export = rows.get("bulk_export", {})
    total = results["days"] * results["per_day"]
    lines = [f"{HEADING}, from the sandbox (`python -m benchmarks.bulk_export_sandbox`)", "",
             f"{total:,} messages ({results['days']} days of {results['per_day']:,}, on the "
             f"UTC days {results['first']} to {results['last']}, the first and last half "
             f"full), the sandbox in its own process on 127.0.0.1, every answer "
             f"{results['latency_ms']:g} ms after its request was read (seeded and ready in "
             f"{results['ready_s']:.0f} s); both contenders over those days, each in a forked "
             f"process, once; {WARM}. The export's day-file GETs (a 307 and a storage GET a "
             "day) are not in conn.history: its one request there is the Days list.", "",
             "| contender | seconds | requests in conn.history | rows | unique | SID digest |",
             "|---|---|---|---|---|---|"]
    for name in CONTENDERS:
        got = rows.get(name, {})
        if "seconds" not in got:
            lines.append(f"| {name} | error: {got.get('error', 'not run')} | | | | |")
            continue
        lines.append(f"| {name} | {got['seconds']:.2f} | {got['requests']:,} | "
                     f"{got['rows']:,} | {got['unique']:,} | {got['sids']} |")
    lines.append("")
    if "seconds" in walk and "seconds" in export:
        ratio = walk["seconds"] / export["seconds"]
        same = walk["sids"] == export["sids"] and export["rows"] == export["unique"] == total
        lines += [f"- speed: all(concurrency=8) / bulk_export = **{ratio:.1f}x** (target >= 5x: "
                  f"{'met' if ratio >= 5 else 'NOT met'}; the files made before the run)",
                  f"- the same SIDs ({total:,}, none twice, no day missing): "
                  f"**{'yes' if same and not export['missing_days'] else 'NO'}**"]
    if "seconds" in walk and "seconds" in cold:
        lines.append(f"- against the cold sandbox (its files made within the run): "
                     f"{walk['seconds'] / cold['seconds']:.1f}x")
    m = results["machine"]
    lines += [f"- machine: {m.get('machine', '?')}, load before {results['load_before']}, "
              f"after {results['load_after']}", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bulk_export_sandbox",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30, help="days of messages (1 to 400)")
    parser.add_argument("--per-day", type=int, default=50_000, help="messages a day")
    parser.add_argument("--latency-ms", type=float, default=300)
    parser.add_argument("--quick", action="store_true", help="3 days of 2,000 at 50 ms")
    parser.add_argument("--timeout-s", type=float, default=3600,
                        help="seconds a contender may take")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" /
                        "RESULTS-bulk-export.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.days, args.per_day, args.latency_ms = 3, 2000, 50
    if not 1 <= args.days <= 400 or args.per_day < 1 or args.latency_ms < 0:
        parser.error("--days must be 1 to 400, --per-day at least 1, --latency-ms >= 0")
    results = run(args.days, args.per_day, args.latency_ms, args.timeout_s)
    text = report(results)
    write_part(args.out, HEADING, text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
