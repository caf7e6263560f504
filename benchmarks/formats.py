"""Client CPU per page by format: what one page of 1,000 messages (and of calls) costs the
client in JSON, XML and CSV, and the ratios to JSON (issue 15 point 6: XML at most 1.5x JSON,
CSV at most JSON).

``python -m benchmarks.formats [--messages N] [--page-size P] [--repeat R] [--out PATH]``
starts the sandbox in its own process (:class:`benchmarks.server.ServerProcess`), and for each
list (messages, calls) and format, ``R`` times, formats interleaved so that the machine's load
falls on all of them alike:

- fetches the first page (``PageSize=P``) with httpx and times the client's CPU for it
  (``time.process_time`` of this process: the server runs in another one), and
- converts it as a walk does (``read_page(...).parse()``: decode, build the columns, type
  them) and times that CPU.

It reports the medians (the fetch, the conversion, their sum: the client CPU of a page) and
the ratios to JSON (the median of each round's ratio), and writes them as one section of
``--out`` (replacing an earlier one).
The sandbox holds 800 calls, so a page of calls has 800 records.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .machine import load_average, machine_facts
from .server import ServerProcess

if TYPE_CHECKING:
    from twilio_nb.catalog import Operation
    from twilio_nb.convert import ParsedPage

__all__ = ["FormatTimes", "format_times", "main", "render"]

SECTION = "## Client CPU per page by format"
FORMATS = ("json", "xml", "csv")
LISTS = (("messages", "Messages", "Message", "List Messages"),
         ("calls", "Calls", "Call", "List Calls"))
TARGETS = {"xml": 1.5, "csv": 1.0}
T = TypeVar("T")


@dataclass
class FormatTimes:
    """Median milliseconds of client CPU for one page of one list in one format."""

    what: str
    fmt: str
    records: int
    body_bytes: int
    fetch_ms: float
    convert_ms: float
    ratio: float = 1.0  # median over the rounds of this page's client CPU / JSON's

    @property
    def total_ms(self) -> float:
        return self.fetch_ms + self.convert_ms


def _cpu_ms(action: Callable[[], T]) -> tuple[T, float]:
    started = time.process_time()
    out = action()
    return out, (time.process_time() - started) * 1000


def _convert(content: bytes, fmt: str, operation: Operation) -> ParsedPage:
    from twilio_nb.convert import read_page

    return read_page(content, fmt, operation).parse()


def format_times(url: str, page_size: int, repeat: int) -> list[FormatTimes]:
    """Medians over ``repeat`` rounds for every list and format (formats interleaved)."""
    import httpx

    from twilio_nb import catalog
    from twilio_nb.sandbox import ACCOUNT_SID, AUTH_TOKEN

    out: list[FormatTimes] = []
    with httpx.Client(base_url=url, auth=(ACCOUNT_SID, AUTH_TOKEN)) as client:
        for what, resource, entity, name in LISTS:
            operation = catalog.find(entity, name)
            fetches: dict[str, list[float]] = {fmt: [] for fmt in FORMATS}
            converts: dict[str, list[float]] = {fmt: [] for fmt in FORMATS}
            sizes: dict[str, tuple[int, int]] = {}
            for fmt in FORMATS:  # warm-up: connection, imports, caches
                uri = f"/2010-04-01/Accounts/{ACCOUNT_SID}/{resource}.{fmt}?PageSize={page_size}"
                _convert(client.get(uri).content, fmt, operation)
            for _ in range(repeat):
                for fmt in FORMATS:
                    uri = (f"/2010-04-01/Accounts/{ACCOUNT_SID}/{resource}.{fmt}"
                           f"?PageSize={page_size}")
                    response, fetch = _cpu_ms(partial(client.get, uri))
                    content = response.content
                    page, convert = _cpu_ms(partial(_convert, content, fmt, operation))
                    fetches[fmt].append(fetch)
                    converts[fmt].append(convert)
                    sizes[fmt] = (len(page.frame), len(content))
            totals = {fmt: [a + b for a, b in zip(fetches[fmt], converts[fmt], strict=True)]
                      for fmt in FORMATS}
            for fmt in FORMATS:
                ratio = statistics.median(
                    a / b for a, b in zip(totals[fmt], totals["json"], strict=True))
                out.append(FormatTimes(what, fmt, sizes[fmt][0], sizes[fmt][1],
                                       statistics.median(fetches[fmt]),
                                       statistics.median(converts[fmt]), ratio))
    return out


def render(rows: list[FormatTimes], *, messages: int, page_size: int, repeat: int) -> str:
    """The report section (markdown)."""
    facts = machine_facts()
    load = load_average()
    lines = [SECTION, "",
             f"`python -m benchmarks.formats --messages {messages} --page-size {page_size} "
             f"--repeat {repeat}`: the first page of each list, fetched from the sandbox in "
             "its own process and converted as a walk does (`read_page(...).parse()`: "
             f"decode, columns, typing); medians of {repeat} rounds, formats interleaved; "
             "client CPU (`time.process_time`) in ms; `/ JSON`: the median over the rounds "
             "of the page's client CPU over JSON's in the same round (load that falls on a "
             "round falls on every format).", "",
             f"Machine: {facts['machine']}; Python {facts['python']}, pandas "
             f"{facts['pandas']}, pyarrow {facts['pyarrow']}, lxml {facts['lxml']}; "
             + (f"load average {load[0]:.2f}; " if load else "") + facts["date"] + ".", "",
             "| list | format | records | body KB | fetch CPU ms | convert CPU ms | "
             "client CPU ms | / JSON | target |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        ratio = row.ratio
        limit = TARGETS.get(row.fmt)
        target = "" if limit is None else (
            f"≤ {limit} × JSON: **{'met' if ratio <= limit else 'missed'}**")
        lines.append(f"| {row.what} | {row.fmt} | {row.records:,} | {row.body_bytes / 1024:,.0f}"
                     f" | {row.fetch_ms:.2f} | {row.convert_ms:.2f} | {row.total_ms:.2f} | "
                     f"{ratio:.2f} | {target} |")
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    """``section`` into the report at ``path``: in place of an earlier one, else at the end."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if SECTION in text:
        before, rest = text.split(SECTION, 1)
        after = rest.split("\n## ", 1)
        text = before + section + ("\n## " + after[1] if len(after) > 1 else "")
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + section
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.formats",
                                     description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    args = parser.parse_args(argv)
    if args.messages < 1 or args.page_size < 1 or args.repeat < 1:
        parser.error("--messages, --page-size and --repeat must be at least 1")
    with ServerProcess(messages=args.messages, page_size=args.page_size) as server:
        rows = format_times(server.url, args.page_size, args.repeat)
    section = render(rows, messages=args.messages, page_size=args.page_size,
                     repeat=args.repeat)
    print(section)
    write_section(args.out, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
