"""A Bulk Export day file into the typed frame: ``python -m benchmarks.bulk_export``.

    python -m benchmarks.bulk_export [--records 1000000] [--quick] [--repeat 3]
                                     [--out benchmarks/RESULTS-bulk-export.md]

One Messages day file of ``--records`` records (gzip JSON lines as Twilio writes them:
twilio.com/docs/usage/bulkexport/day) is written to a temporary folder; then, each run in a
child process of its own (its own peak memory, :func:`benchmarks.measure.in_child`):

* ``pyarrow.json``: ``pyarrow.json.read_json`` of the gzip file alone (the floor);
* ``twilio_nb``: what an export does with a day's file once downloaded: the reader
  (``bulk_export._files.read_lines``) and the typing (``convert.arrow_frame``, typed like
  List Messages' frame).

The targets (issue 29): twilio_nb's time at most 1.5x the floor's; its peak memory (the rise
of the peak RSS over the RSS before the run) at most 3x the final frame's size
(``memory_usage(deep=True)``). ``--quick``: 100,000 records.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import load_average, machine_facts
from benchmarks.measure import _peak_kb, _reset_peak, _rss_kb, in_child

ROOT = Path(__file__).resolve().parent.parent
STATUSES = ("delivered", "sent", "undelivered", "failed", "received")
BODIES = ("Your code is 123456", "Hola Asha, tu pedido ORD-90033 está en camino 🚚",
          "Reminder: your appointment is tomorrow at 10:00. Reply C to confirm.",
          "Flight TW 9355 now boards at gate D26.")


def write_day(path: Path, records: int, seed: int = 7) -> int:
    """A Messages day file of ``records`` lines; its size in bytes."""
    rng = random.Random(seed)
    account = "AC" + "a" * 32
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as out:
        for n in range(records):
            sec = n * 86399 // max(1, records)
            when = f"2025-01-01T{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}Z"
            status = STATUSES[rng.randrange(len(STATUSES))]
            out.write(json.dumps({
                "account_sid": account, "body": BODIES[n % len(BODIES)],
                "date_created": when, "date_sent": when, "date_updated": when,
                "direction": "outbound-api", "error_code": 30003 if status == "undelivered"
                else None, "from": "+14155550100", "messaging_service_sid":
                    "MG" + "b" * 32 if n % 3 else None, "num_media": "0",
                "num_segments": str(1 + n % 3), "price": f"-0.00{75 + n % 5}", "sid":
                    f"SM{n:032x}", "status": status, "to": f"+1415{rng.randrange(10**7):07d}"},
                ensure_ascii=False) + "\n")
    return path.stat().st_size


def _timed(run: Any) -> dict[str, float]:
    gc.collect()
    method = _reset_peak()
    before = _rss_kb()
    started = time.perf_counter()
    frame_bytes, rows = run()
    wall = time.perf_counter() - started
    return {"wall_s": wall, "peak_mb": max(0, _peak_kb(method) - before) / 1024,
            "frame_mb": frame_bytes / 2**20, "rows": rows}


def floor(path: str, warm: str) -> dict[str, float]:
    import pyarrow as pa
    import pyarrow.json as pj

    pj.read_json(pa.input_stream(warm, compression="gzip"))  # imports, warm (a tiny file)

    def run() -> tuple[int, int]:
        table = pj.read_json(pa.input_stream(path, compression="gzip"))
        return table.nbytes, table.num_rows

    return _timed(run)


def twilio_nb(path: str, warm: str) -> dict[str, float]:
    from twilio_nb import catalog
    from twilio_nb.bulk_export._files import read_lines
    from twilio_nb.convert import arrow_frame

    operation = catalog.find("Message", "List Messages")
    arrow_frame(read_lines(Path(warm)), operation)  # imports, warm (a tiny file)

    def run() -> tuple[int, int]:
        frame = arrow_frame(read_lines(Path(path)), operation)
        return int(frame.memory_usage(deep=True).sum()), len(frame)

    return _timed(run)


def write_part(path: Path, heading: str, text: str) -> None:
    """Put ``text`` (a part beginning with a ``# `` title that starts with ``heading``) into
    the results file ``path``: in place of its part of that title, or after the others."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    parts = [p for p in ("\n" + old).split("\n# ") if p.strip()]
    parts = ["# " + p.strip("\n") + "\n" for p in parts]
    for n, part in enumerate(parts):
        if part.startswith(heading):
            parts[n] = text.strip("\n") + "\n"
            break
    else:
        parts.append(text.strip("\n") + "\n")
    path.write_text("\n".join(parts), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 records")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" /
                        "RESULTS-bulk-export.md")
    args = parser.parse_args(argv)
    records = 100_000 if args.quick else args.records
    with tempfile.TemporaryDirectory(prefix="twilio_nb-bench-") as folder:
        path = Path(folder) / "Messages-2025-01-01.json.gz"
        size = write_day(path, records)
        warm = Path(folder) / "warm.json.gz"
        write_day(warm, 100, seed=1)
        print(f"day file: {records:,} records, {size / 2**20:.1f} MB gzip", file=sys.stderr)
        runs: dict[str, list[dict[str, float]]] = {"pyarrow.json": [], "twilio_nb": []}
        for _ in range(args.repeat):  # interleaved
            runs["pyarrow.json"].append(in_child(floor, str(path), str(warm)))
            runs["twilio_nb"].append(in_child(twilio_nb, str(path), str(warm)))
    report = render(records, size, runs)
    write_part(args.out, "# A Bulk Export day file", report)
    print(report)
    return 0


def render(records: int, size: int, runs: dict[str, list[dict[str, float]]]) -> str:
    best = {name: min(r["wall_s"] for r in rs) for name, rs in runs.items()}
    peak = {name: statistics.median(r["peak_mb"] for r in rs) for name, rs in runs.items()}
    frame_mb = runs["twilio_nb"][0]["frame_mb"]
    ratio_t = best["twilio_nb"] / best["pyarrow.json"]
    ratio_m = peak["twilio_nb"] / frame_mb
    facts = machine_facts()
    lines = [f"# A Bulk Export day file into the typed frame ({records:,} records, "
             f"{size / 2**20:.1f} MB gzip)", "",
             "| contender | best s | median s | peak MB (median) |", "|---|---|---|---|"]
    for name, rs in runs.items():
        lines.append(f"| {name} | {best[name]:.2f} | "
                     f"{statistics.median(r['wall_s'] for r in rs):.2f} | {peak[name]:.0f} |")
    lines += ["", f"- time: twilio_nb / pyarrow.json = **{ratio_t:.2f}x** (target <= 1.5x: "
              f"{'met' if ratio_t <= 1.5 else 'NOT met'})",
              f"- peak memory / final frame ({frame_mb:.0f} MB) = **{ratio_m:.2f}x** "
              f"(target <= 3x: {'met' if ratio_m <= 3 else 'NOT met'})",
              f"- machine: {facts.get('machine', '?')}, load {load_average()}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
