"""Bulk pulls at Twilio's speed: ``python -m benchmarks.bulk``.

The sandbox runs in a process of its own (``python -m twilio_nb.sandbox --latency-ms 300``:
every answer 300 ms after its request was read, the sandbox's own work included, as Twilio
takes a few hundred ms a page), and each contender runs
in a fresh child process (its own peak memory) that prints one JSON line:

* ``twilio-python``: ``client.messages.list(page_size=1000)`` (JSON only);
* ``seq FMT``: twilio_nb's ``r.all()``, one page after the other (prefetching);
* ``cN FMT``: ``r.all(concurrency=N)``, date slices walked N at a time;
* ``parquet c8``: ``r.to_parquet(path, concurrency=8)`` (peak memory above the start);
* ``limit5 c8``: ``r.all(concurrency=8)`` against a sandbox that answers 429 (20429)
  beyond 5 requests in flight: every row exactly once?

Every contender's SIDs are compared with twilio-python's (the same set, no duplicate).
The report (``--out``, default ``benchmarks/RESULTS-bulk.md``) gives seconds, the speed-ups
the issue targets (concurrency 8 >= 6x twilio-python and >= 5x sequential), the machine and
its load.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .machine import load_average, machine_facts

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]


def _digest(sids: list[str]) -> dict[str, Any]:
    return {"rows": len(sids), "unique": len(set(sids)),
            "sids": hashlib.sha256("\n".join(sorted(sids)).encode()).hexdigest()[:16]}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


WARM = ("each contender first asks for one record (its modules imported, its converter "
        "for the format loaded, one connection open), then is timed")


def child(name: str, url: str) -> dict[str, Any]:
    """Run one contender against ``url``; what it measured (after a warm-up: ``WARM``)."""
    from twilio_nb.sandbox import ACCOUNT_SID, AUTH_TOKEN

    if name == "twilio-python":
        from twilio.rest import Client  # type: ignore[import-untyped]

        client = Client(ACCOUNT_SID, AUTH_TOKEN, environment={})
        client.api.base_url = url
        client.api.v2010.accounts(ACCOUNT_SID).messages.list(limit=1)  # warm: see WARM
        started = time.perf_counter()
        listed = client.api.v2010.accounts(ACCOUNT_SID).messages.list(page_size=1000)
        took = time.perf_counter() - started
        return {"seconds": took, **_digest([m.sid for m in listed]), "peak_mb": _peak_mb()}
    import pandas as pd

    import twilio_nb as tw

    conn = tw.Connection(address=url, auth_type="auth_token", max_retries=20,
                         credential=tw.UserCredentials(ACCOUNT_SID, AUTH_TOKEN))
    kind, _, fmt = name.partition(" ")
    fmt = fmt if fmt in ("json", "xml", "csv") else "json"
    warm = conn.basic("Message", "List Messages", query="PageSize=1", response_format=fmt)
    assert len(warm.df) == 1  # WARM
    started = time.perf_counter()
    first = conn.basic("Message", "List Messages", query="PageSize=1000", response_format=fmt)
    if kind == "parquet":
        before = _rss_mb()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "m.parquet"
            first.to_parquet(path, concurrency=int(fmt_n(name)), progress=False)
            took = time.perf_counter() - started
            peak = _peak_mb()  # the export's, before the check below reads the SIDs back
            sids = pd.read_parquet(path, columns=["sid"])["sid"].tolist()
        return {"seconds": took, **_digest(sids), "peak_mb": peak,
                "start_mb": round(before, 1)}
    concurrency = 1 if kind == "seq" else int(fmt_n(name))
    frame = first.all(progress=False, concurrency=concurrency)
    took = time.perf_counter() - started
    return {"seconds": took, **_digest(frame["sid"].tolist()), "peak_mb": _peak_mb(),
            "requests": len(conn.history), "retries": int(conn.history["retries"].sum())}


def fmt_n(name: str) -> str:
    """The concurrency in a contender's name (``c8 json`` -> 8, ``limit5 c8`` -> 8)."""
    return next(part[1:] for part in name.split() if part[:1] == "c" and part[1:].isdigit())


class Sandbox:
    """``python -m twilio_nb.sandbox`` on a free port, in its own process (its messages over
    ``days`` days: ``--message-days``, or the sandbox's default)."""

    def __init__(self, messages: int, latency_ms: float, limit: int | None = None,
                 days: int | None = None) -> None:
        command = [sys.executable, "-m", "twilio_nb.sandbox", "--port", "0", "--messages",
                   str(messages), "--latency-ms", str(latency_ms)]
        if days is not None:
            command += ["--message-days", str(days)]
        if limit is not None:
            command += ["--concurrency-limit", str(limit), "--retry-after", "0.5"]
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        self.url = line.split("serving on ", 1)[1].split()[0]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)


def _run_child(name: str, url: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "benchmarks.bulk", "--child", name, url],
                          capture_output=True, text=True, cwd=ROOT, timeout=3600, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(sizes: list[int], latency_ms: float, formats: list[str], levels: list[int],
        repeat: int) -> dict[str, Any]:
    results: dict[str, Any] = {"sizes": {}, "latency_ms": latency_ms,
                               "load_before": load_average(), "machine": machine_facts()}
    for size in sizes:
        names = ["twilio-python"] + [f"seq {f}" for f in formats] + [
            f"c{n} {f}" for n in levels for f in formats] + ["parquet c8"]
        results["sizes"][str(size)] = _measured(size, latency_ms, names, repeat, True)
    results["load_after"] = load_average()
    return results


def _measured(size: int, latency_ms: float, names: list[str], repeat: int,
              limited: bool) -> dict[str, Any]:
    """Each contender's best of ``repeat`` runs against one sandbox of ``size`` messages
    (and ``limit5 c8`` against one limited to 5 requests in flight, with ``limited``)."""
    rows: dict[str, Any] = {}
    server = Sandbox(size, latency_ms)
    try:
        for name in names:
            best: dict[str, Any] | None = None
            for _ in range(repeat):
                got = _run_child(name, server.url)
                if best is None or got.get("seconds", 1e9) < best.get("seconds", 1e9):
                    best = got
            _say(f"{size:>7} {name:<14} {best}")
            rows[name] = best
    finally:
        server.stop()
    if limited:
        capped = Sandbox(size, latency_ms, limit=5)
        try:
            rows["limit5 c8"] = _run_child("limit5 c8", capped.url)
            _say(f"{size:>7} limit5 c8      {rows['limit5 c8']}")
        finally:
            capped.stop()
    return rows


def again(results: dict[str, Any], names: list[str], repeat: int, why: str) -> None:
    """Measure ``names`` again at every size of ``results`` (after a change that touches
    only them), said in the report with ``why``."""
    for size, rows in results["sizes"].items():
        rows.update(_measured(int(size), results["latency_ms"], names, repeat, False))
    results.setdefault("notes", []).append(
        f"{', '.join(names)} measured again at {time.strftime('%Y-%m-%d %H:%M')} UTC, load "
        f"{load_average()}: {why}")


def report(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = ["# Bulk pulls: concurrent date slices (`python -m benchmarks.bulk`)", "",
             f"Sandbox in its own process, every answer {results['latency_ms']:g} ms after its "
             "request was read (the sandbox's own work included); "
             f"each contender in a fresh process; {WARM}; best of the repetitions.", "",
             "Machine: " + ", ".join(f"{k} {v}" for k, v in m.items()),
             f"Load average before: {results['load_before']}, after: {results['load_after']} "
             "(the machine is shared: other work ran meanwhile).", "",
             *[f"Note: {note}" for note in results.get("notes", [])],
             *([""] if results.get("notes") else [])]
    for size, rows in results["sizes"].items():
        ref = rows.get("twilio-python", {})
        lines += [f"## {int(size):,} messages", "",
                  "| contender | seconds | vs twilio-python | vs sequential | rows | "
                  "same SIDs | peak MB |", "|---|---|---|---|---|---|---|"]
        for name, got in rows.items():
            if "error" in got:
                lines.append(f"| {name} | error: {got['error']} | | | | | |")
                continue
            fmt = name.split()[-1] if name.split()[-1] in ("json", "xml", "csv") else "json"
            seq = rows.get(f"seq {fmt}", {}).get("seconds")
            same = got["sids"] == ref.get("sids") and got["unique"] == got["rows"]
            peak = f"{got['peak_mb']:.0f}" + (f" (start {got['start_mb']:.0f})"
                                              if "start_mb" in got else "")
            lines.append(
                f"| {name} | {got['seconds']:.2f} | "
                f"{ref.get('seconds', float('nan')) / got['seconds']:.1f}x | "
                + (f"{seq / got['seconds']:.1f}x" if seq else "") + f" | {got['rows']:,} | "
                f"{'yes' if same else 'NO'} | {peak} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bulk")
    parser.add_argument("--child", nargs=2, metavar=("NAME", "URL"), help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default="50000,200000")
    parser.add_argument("--latency-ms", type=float, default=300)
    parser.add_argument("--formats", default="json,xml,csv")
    parser.add_argument("--concurrency", default="4,8,16")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS-bulk.md"))
    parser.add_argument("--again", metavar="NAMES", help="measure these contenders (comma "
                        "separated) again into the results of --out, at its sizes")
    parser.add_argument("--why", default="", help="with --again: the change that needs it")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0
    if args.again:
        saved = Path(args.out).with_suffix(".json")
        results = json.loads(saved.read_text(encoding="utf-8"))
        again(results, args.again.split(","), args.repeat, args.why)
        Path(args.out).write_text(report(results), encoding="utf-8")
        saved.write_text(json.dumps(results, indent=1), encoding="utf-8")
        _say(f"wrote {args.out}")
        return 0
    results = run([int(s) for s in args.sizes.split(",")], args.latency_ms,
                  args.formats.split(","), [int(n) for n in args.concurrency.split(",")],
                  args.repeat)
    Path(args.out).write_text(report(results), encoding="utf-8")
    Path(args.out).with_suffix(".json").write_text(json.dumps(results, indent=1),
                                                   encoding="utf-8")
    _say(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
