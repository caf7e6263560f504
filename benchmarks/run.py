"""The one benchmark command.

    python -m benchmarks.run [--sizes 20000,200000] [--repeat 5] [--out benchmarks/RESULTS.md]

For each size, a sandbox serving that many messages is started in its own process, and
every contender (see :mod:`benchmarks.contenders`) runs ``--repeat`` times, interleaved, each
run in a child process of its own; twilio_nb JSON also with ``prefetch=False``. At
``--prefetch-size`` (20,000 by default) XML and CSV too, a profile of where a page's time goes,
and a server that waits ``--delay`` seconds (0.1) before each page. Then import times. The
report goes to ``--out``; progress to stderr.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: python benchmarks/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.contenders import preload
from benchmarks.machine import load_average, machine_facts
from benchmarks.measure import in_child, measure
from benchmarks.report import render
from benchmarks.results import FLOOR, TWILIO_PYTHON, Results, Section
from benchmarks.server import ServerProcess
from benchmarks.stages import stage_times
from benchmarks.startup import startup_times

__all__ = ["main", "run"]

ROOT = Path(__file__).resolve().parent.parent
MAIN = [FLOOR, TWILIO_PYTHON, "twilio_nb json", "twilio_nb xml", "twilio_nb csv"]
SEQUENTIAL = ["twilio_nb json seq", "twilio_nb xml seq", "twilio_nb csv seq"]
WALK = ["twilio_nb pages"]
DELAYED = [FLOOR, "twilio_nb json", "twilio_nb json seq"]


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes takes numbers like 20000,200000, not "
                                         f"{text!r}") from None
    if not sizes or any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError("--sizes needs at least one positive number")
    return sizes


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=_sizes, default=[20_000, 200_000],
                   help="messages to seed, one server each (default 20000,200000)")
    p.add_argument("--repeat", type=int, default=5, help="runs of each contender (default 5)")
    p.add_argument("--page-size", type=int, default=1000, help="PageSize (default 1000)")
    p.add_argument("--prefetch-size", type=int, default=20_000,
                   help="messages for prefetch on/off and the delayed server (default 20000;"
                        " 0 skips both)")
    p.add_argument("--delay", type=float, default=0.1,
                   help="seconds the delayed server waits per page (default 0.1; 0 skips)")
    p.add_argument("--startup-repeat", type=int, default=5,
                   help="fresh interpreters per import timing (default 5; 0 skips)")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    return p


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _measure_section(section: Section, url: str, names: list[str], repeat: int,
                     page_size: int) -> None:
    for rep in range(1, repeat + 1):
        for name in names:
            m = measure(name, url, section.messages, page_size)
            section.add(m)
            _say(f"  [{section.title}] run {rep}/{repeat} {name:20s} {m.wall_s:7.3f} s "
                 f"peak {m.peak_mb:7.1f} MB")


def run(args: argparse.Namespace, command: str) -> Results:
    started = time.perf_counter()
    results = Results(command=command, facts=machine_facts(), page_size=args.page_size,
                      repeat=args.repeat, load_before=load_average())
    _say(f"load average before: {results.load_before}")
    preload()  # imported once here, inherited by every forked child
    for size in args.sizes:
        names = MAIN + (SEQUENTIAL if size == args.prefetch_size else SEQUENTIAL[:1]) + WALK
        with ServerProcess(size, page_size=args.page_size, cwd=str(ROOT)) as server:
            section = Section(f"{size:,}", size, 0.0, server.render_ms)
            results.sections.append(section)
            _measure_section(section, server.url, names, args.repeat, args.page_size)
            if size == args.prefetch_size or (args.prefetch_size not in args.sizes
                                              and size == min(args.sizes)):
                _say(f"  [{section.title}] where the time of a page goes ...")
                section.stages = in_child(stage_times, server.url, args.page_size)
    if args.prefetch_size and args.delay > 0:
        with ServerProcess(args.prefetch_size, delay=args.delay, page_size=args.page_size,
                           cwd=str(ROOT)) as server:
            section = Section(f"{args.prefetch_size:,} +{args.delay * 1000:.0f} ms",
                              args.prefetch_size, args.delay, server.render_ms)
            results.sections.append(section)
            _measure_section(section, server.url, DELAYED, args.repeat, args.page_size)
    if args.startup_repeat > 0:
        _say("import times ...")
        results.startup = startup_times(args.startup_repeat)
    results.load_after = load_average()
    results.duration_s = time.perf_counter() - started
    return results


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.repeat < 1 or args.page_size < 1:
        _parser().error("--repeat and --page-size must be at least 1")
    shown = sys.argv[1:] if argv is None else argv
    command = " ".join(["python -m benchmarks.run", *map(shlex.quote, shown)])
    try:
        preload()
    except ImportError as exc:
        _parser().error(f"{exc.name or exc} is not installed: the benchmarks need the test "
                        "extras (pip install -e '.[test]'), twilio-python among them")
    results = run(args, command)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(results), encoding="utf-8")
    _say(f"wrote {args.out} ({results.duration_s:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
