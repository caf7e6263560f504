"""RESULTS.md: every figure of a run, the ratios, and each target as met or missed."""

from __future__ import annotations

from collections.abc import Iterable

from .contenders import CONTENDERS
from .results import FLOOR, TWILIO_PYTHON, Results, Section

__all__ = ["render", "targets"]

JSON, XML, CSV, PAGES = "twilio_nb json", "twilio_nb xml", "twilio_nb csv", "twilio_nb pages"


def _f(value: float | None, digits: int = 2, suffix: str = "") -> str:
    return "–" if value is None else f"{value:,.{digits}f}{suffix}"


def _load(load: tuple[float, float, float] | None) -> str:
    return "unknown" if load is None else " / ".join(f"{v:.2f}" for v in load)


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _section_table(section: Section) -> list[str]:
    rows = []
    for name, runs in section.runs.items():
        wall = section.median_wall(name)
        walls = [m.wall_s for m in runs]
        per_s = section.messages / wall if wall else None
        peak, frame = section.median_peak(name), section.median_frame(name)
        to_tp = section.ratio(TWILIO_PYTHON, name)
        rows.append([
            f"{name}", CONTENDERS[name].what if name in CONTENDERS else "", _f(wall, 3),
            f"{min(walls):.3f}–{max(walls):.3f}", _f(per_s, 0), _f(peak, 1), _f(frame, 1),
            _f(section.ratio(name, FLOOR)), _f(to_tp), _f(section.median_cpu(name), 3),
            _f(section.cpu_ratio(name, FLOOR))])
    return _table(["contender", "what", "wall s (median)", "min–max s", "records/s",
                   "peak MB", "frame MB", "× floor", "twilio-python ÷ this", "CPU s",
                   "CPU × floor"], rows)


def _verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("**met**" if ok else "**missed**")


def _speed_targets(s: Section) -> list[tuple[str, str, bool | None]]:
    n = f"{s.messages:,}"
    ratio, speedup = s.ratio(JSON, FLOOR), s.ratio(TWILIO_PYTHON, JSON)
    xml, csv = s.ratio(XML, JSON), s.ratio(CSV, JSON)
    return [
        (f"{n}: JSON → typed DataFrame ≤ 1.2 × floor", f"{_f(ratio)} ×",
         None if ratio is None else ratio <= 1.2),
        (f"{n}: JSON ≥ 3 × faster than twilio-python + DataFrame", f"{_f(speedup)} × faster",
         None if speedup is None else speedup >= 3),
        (f"{n}: XML ≤ 1.5 × JSON", f"{_f(xml)} ×", None if xml is None else xml <= 1.5),
        (f"{n}: CSV ≤ 0.8 × JSON", f"{_f(csv)} ×", None if csv is None else csv <= 0.8)]


def _memory_targets(s: Section) -> list[tuple[str, str, bool | None]]:
    """all()'s peak against 2 × its frame plus "a few pages": the peak of the page-by-page
    walk at the same size, i.e. what handling pages one at a time takes."""
    out: list[tuple[str, str, bool | None]] = []
    walk, page = s.median_peak(PAGES), s.median_page(PAGES)
    for name in (JSON, XML, CSV):
        peak, frame = s.median_peak(name), s.median_frame(name)
        if peak is None or frame is None or walk is None:
            continue
        allowed = 2 * frame + walk
        pages = f" = {walk / page:.0f} raw pages" if page else ""
        out.append((f"{s.messages:,}: peak memory of all() ({name.split()[-1].upper()}) ≤ 2 × "
                    "frame + a few pages",
                    f"{peak:.1f} MB vs 2 × {frame:.1f} + {walk:.1f} (the page-by-page walk"
                    f"{pages}) = {allowed:.1f} MB; {peak / frame:.2f} × frame", peak <= allowed))
    return out


def _walk_target(results: Results) -> list[tuple[str, str, bool | None]]:
    """The page-by-page walk is bounded when its peak does not grow with the records."""
    walks = sorted((s for s in results.sections if s.delay == 0 and PAGES in s.runs),
                   key=lambda s: s.messages)
    if not walks:
        return []
    small, big = walks[0], walks[-1]
    peak, base, page = big.median_peak(PAGES), small.median_peak(PAGES), big.median_page(PAGES)
    if peak is None or base is None:
        return []
    raw = f" ({peak / page:.0f} raw pages of {page:.2f} MB)" if page else ""
    if big is small:
        return [(f"{big.messages:,}: iterating pages() stays bounded by a few pages",
                 f"{peak:.1f} MB{raw}; one size only, nothing to compare", None)]
    return [(f"{big.messages:,}: iterating pages() stays bounded by a few pages",
             f"{peak:.1f} MB{raw} vs {base:.1f} MB at {small.messages:,}",
             peak <= 1.25 * base + (page or 0))]


def targets(results: Results) -> list[tuple[str, str, bool | None]]:
    """(target, figure, met) for every target of the issue, at every size measured."""
    out: list[tuple[str, str, bool | None]] = []
    for s in (s for s in results.sections if s.delay == 0 and FLOOR in s.runs):
        out += _speed_targets(s) + _memory_targets(s)
    out += _walk_target(results)
    pandas, load_ext = results.startup_time("import pandas"), results.startup_time(
        "%load_ext twilio_nb")
    if pandas is not None and load_ext is not None:
        extra = load_ext.median_s - pandas.median_s
        out.append(("%load_ext twilio_nb ≤ import pandas + 0.3 s",
                    f"{load_ext.median_s:.3f} s vs {pandas.median_s:.3f} s ({extra:+.3f} s)",
                    extra <= 0.3))
    lookup = results.startup_time("import twilio_nb + first lookup")
    if pandas is not None and lookup is not None:
        ratio = lookup.median_s / pandas.median_s
        out.append(("import twilio_nb + first lookup ≤ 0.9 × import pandas",
                    f"{lookup.median_s:.3f} s vs {pandas.median_s:.3f} s ({ratio:.2f}×)",
                    ratio <= 0.9))
    return out


def _prefetch_lines(results: Results) -> list[str]:
    lines: list[str] = []
    for s in results.sections:
        pairs = [(n, n + " seq") for n in (JSON, XML, CSV) if n in s.runs and n + " seq"
                 in s.runs]
        if not pairs:
            continue
        where = f"{s.delay * 1000:.0f} ms server delay a page" if s.delay else "loopback"
        rows = [[n.split()[-1].upper(), _f(s.median_wall(seq), 3), _f(s.median_wall(n), 3),
                 _f(s.ratio(n, seq)), _f(s.ratio(seq, FLOOR)), _f(s.ratio(n, FLOOR))]
                for n, seq in pairs]
        lines += [f"{s.messages:,} messages, {where}:", ""]
        lines += _table(["format", "sequential s", "prefetch s", "prefetch ÷ sequential",
                         "sequential × floor", "prefetch × floor"], rows)
        lines.append("")
    return lines


def _stage_lines(results: Results) -> list[str]:
    lines: list[str] = []
    for s in (s for s in results.sections if s.stages):
        render = s.render_ms
        lines += [f"## Where the time of a page goes ({s.messages:,} messages, one page after "
                  "the other)", "",
                  "Milliseconds per page, medians: the HTTP exchange's wall time (mostly the "
                  "sandbox building the page) and the client's CPU for it; then the client's "
                  "CPU to decode the body (parse it, find the list and the next page), to build "
                  "its untyped columns (what `all()` keeps of a page), and the page's share of "
                  "typing every column once at the end. With prefetch the fetching thread only "
                  "peeks at each page for the next address, so the chain of requests costs "
                  "about the fetch wall time a page, and the rest runs beside it on the other "
                  "thread; a walk is as slow as the slower of the two.", ""]
        rows = []
        for st in s.stages:
            fmt = st.what.split()[-1] if st.what.startswith("twilio_nb") else "json"
            rows.append([st.what, str(st.pages), _f(render.get(fmt)), _f(st.fetch_wall_ms),
                         _f(st.fetch_cpu_ms), _f(st.decode_ms), _f(st.convert_ms),
                         _f(st.type_ms), _f(st.client_cpu_ms)])
        lines += _table(["what", "pages", "sandbox render ms", "fetch wall ms", "fetch CPU ms",
                         "decode CPU ms", "columns CPU ms", "typing CPU ms (share)",
                         "client CPU ms"], rows)
        lines.append("")
    return lines


def _analysis_lines(results: Results) -> list[str]:
    """Why the ratios are what they are, from the stage profile and the medians."""
    s = next((s for s in results.sections if s.stages and s.median_wall(FLOOR)), None)
    if s is None:
        return []
    st = {t.what.split()[-1] if t.what.startswith("twilio_nb") else "floor": t
          for t in s.stages}
    j, x, c, fl = st.get("json"), st.get("xml"), st.get("csv"), st.get("floor")
    floor, tp = s.median_wall(FLOOR), s.median_wall(TWILIO_PYTHON)
    walls = {k: s.median_wall(name) for k, name in (("json", JSON), ("xml", XML), ("csv", CSV))}
    if j is None or x is None or c is None or fl is None or not floor or not tp or \
            not all(walls.values()):
        return []
    pages = s.messages / results.page_size
    per_page = floor * 1000 / pages
    render = s.render_ms
    needed = tp / 3 * 1000 / pages
    ms = {k: (v or 0) * 1000 / pages for k, v in walls.items()}
    cpu_tp, cpu_json = s.median_cpu(TWILIO_PYTHON), s.median_cpu(JSON)
    cpu = (f" By CPU time, which the server does not touch, twilio-python takes "
           f"{cpu_tp:.3f} s and twilio_nb JSON {cpu_json:.3f} s ({cpu_tp / cpu_json:.2f} ×)."
           if cpu_tp and cpu_json else "")
    side = {k: t.decode_ms + t.convert_ms + t.type_ms for k, t in (("json", j), ("xml", x),
                                                                  ("csv", c))}
    return [
        f"## Why ({s.messages:,} messages)", "",
        f"- The server's share. The sandbox builds a JSON page in {render.get('json', 0):.1f} "
        f"ms, an HTTP exchange with it takes {j.fetch_wall_ms:.1f} ms, and the floor takes "
        f"{per_page:.1f} ms a page (the exchange, then `json.loads` at {fl.decode_ms:.1f} ms): "
        f"most of the floor is the server. twilio-python + DataFrame is {tp / floor:.2f} × the "
        f"floor here, so 3 × faster than it means {needed:.1f} ms a page "
        f"({tp / 3 / floor:.2f} × the floor), "
        + (f"{needed - j.fetch_wall_ms:.1f} ms a page more than one HTTP exchange with this "
           "server takes." if needed > j.fetch_wall_ms else
           "less than one HTTP exchange with this server takes.") + cpu,
        f"- JSON ({ms['json']:.1f} ms a page). The fetching thread only peeks at each page for "
        f"the next address, so the requests follow one another at the pace of the exchange "
        f"({j.fetch_wall_ms:.1f} ms); beside it the caller decodes the page (orjson, "
        f"{j.decode_ms:.1f} ms), builds its columns ({j.convert_ms:.1f} ms) and, at the end, "
        f"types every column once ({j.type_ms:.1f} ms a page): {side['json']:.1f} ms. "
        + _bound(side["json"], j.fetch_wall_ms) + " The floor pays `json.loads` after each "
        "exchange instead of beside the next one."
        + (f" The other {ms['json'] - j.fetch_wall_ms:.1f} ms a page are the first request, "
           "the typing at the end, and the waits of each thread for the other (one Python "
           "runs one thread at a time)." if ms["json"] > j.fetch_wall_ms else ""),
        f"- XML ({ms['xml']:.1f} ms a page, {ms['xml'] / ms['json']:.2f} × JSON). lxml parses "
        f"a page in {x.decode_ms:.1f} ms, and walking its ~21,000 elements takes "
        f"{x.convert_ms:.1f} ms: lxml builds a Python object for each element it hands out, "
        f"and reading an element's tag makes a new string each time. That is {side['xml']:.1f} "
        f"ms of the caller's CPU a page against {x.fetch_wall_ms:.1f} ms for an exchange. "
        + _bound(side["xml"], x.fetch_wall_ms) + " Measured no better here: reading each "
        "field's elements with lxml's C-level search instead of the record walk, parsing in "
        "another thread (two cores, and the server keeps one busy), and the standard "
        "library's ElementTree, whose parse costs about what its cheaper walk saves (10 + 4.5 "
        "ms against lxml's 6.5 + 9 ms a page, measured alone).",
        f"- CSV ({ms['csv']:.1f} ms a page, {ms['csv'] / ms['json']:.2f} × JSON). The sandbox "
        f"takes {render.get('csv', 0):.1f} ms to write a CSV page against "
        f"{render.get('json', 0):.1f} for JSON, and an exchange takes {c.fetch_wall_ms:.1f} ms "
        f"against {j.fetch_wall_ms:.1f}. The client's part is {side['csv']:.1f} ms a page "
        f"(pd.read_csv and the subresource_uris cells decoded from JSON text "
        f"{c.convert_ms:.1f} ms, the columns typed once {c.type_ms:.1f} ms). "
        + _bound(side["csv"], c.fetch_wall_ms) + " pandas' C reader is faster than JSON "
        "decoding, but reading a CSV page is not: each row's nested object comes as JSON "
        "text to decode.",
        ""]


def _bound(client_ms: float, exchange_ms: float) -> str:
    """Which of the two a walk waits for, said from the two figures."""
    if client_ms <= exchange_ms:
        return ("That fits within the exchange, so the walk is bound by the server, not by "
                "the client.")
    return ("That is more than the exchange, so the walk is bound by the client's CPU, not "
            "by the server.")


def _raw_lines(results: Results) -> list[str]:
    lines: list[str] = []
    for s in results.sections:
        where = f", {s.delay * 1000:.0f} ms delay" if s.delay else ""
        lines.append(f"{s.messages:,} messages{where}:")
        lines.append("")
        rows = []
        for name, runs in s.runs.items():
            walls = ", ".join(f"{m.wall_s:.3f}" for m in runs)
            peaks = ", ".join(f"{m.peak_mb:.1f}" for m in runs)
            splits = "; ".join(f"{k} {v:.3f} s" for k, v in runs[0].splits.items()) if any(
                m.splits for m in runs) else ""
            if splits:
                splits = "median " + "; ".join(
                    f"{k} {s.median_split(name, k) or 0:.3f} s" for k in runs[0].splits)
            rows.append([name, walls, peaks, splits])
        lines += _table(["contender", "wall s, each run", "peak MB, each run", "inside"], rows)
        lines.append("")
    return lines


def render(results: Results) -> str:
    """The whole RESULTS.md."""
    facts = results.facts
    out = ["# Benchmarks", "",
           f"Written by `{results.command}` on {facts['date']} in {results.duration_s:.0f} s.",
           "", f"- Machine: {facts['machine']}; {facts['os']}; {facts['python']}",
           f"- Load average (1/5/15 min) before: {_load(results.load_before)}, after: "
           f"{_load(results.load_after)}",
           "- Versions: " + ", ".join(f"{k} {v}" for k, v in facts.items()
                                      if k not in ("date", "machine", "os", "python")),
           f"- PageSize {results.page_size}; every contender run {results.repeat} times per "
           "size, interleaved; medians reported.", "",
           "Method: the sandbox (`Sandbox(messages=N).serve()`, started by "
           "`python -m benchmarks.server`) serves on 127.0.0.1 from a process of its own: a "
           "server thread in the measuring process would compete with the client for the "
           "GIL. The delayed server is the same sandbox with its `delay` fault on every list "
           "request. Each measurement runs in a child process forked from a parent that has "
           "imported the libraries; the child prepares the contender (client, one warm-up "
           "request) untimed, then times one run with `perf_counter` and its CPU time (every "
           "thread of the child) with `process_time`. Peak memory is the rise of the child's "
           "peak RSS (`VmHWM`, reset just before the run) over its RSS before the run; the "
           "frame size is `memory_usage(deep=True).sum()` of the final DataFrame. The floor "
           "keeps the parsed records in a list. twilio_nb runs `all(progress=False)`, which "
           "prefetches the next page by default; `seq` rows run `all(prefetch=False)`.", "",
           "The machine is shared and noisy: the min–max columns and the last section show "
           "every run; ratios are of medians.", "",
           "## Targets", ""]
    out += _table(["target", "figure", "verdict"],
                  [[t, f, _verdict(ok)] for t, f, ok in targets(results)])
    out.append("")
    for s in results.sections:
        if s.delay:
            continue
        out += [f"## {s.messages:,} messages", ""]
        out += _section_table(s)
        tp_list = s.median_split(TWILIO_PYTHON, "list()")
        if tp_list is not None and s.median_wall(FLOOR):
            out += ["", f"twilio-python's `list()` alone: {tp_list:.3f} s "
                        f"({tp_list / (s.median_wall(FLOOR) or 1):.2f} × floor)."]
        out.append("")
    out += ["## Prefetch (the next page fetched while this one is converted)", ""]
    out += _prefetch_lines(results)
    delayed = [s for s in results.sections if s.delay]
    for s in delayed:
        out += [f"With {s.delay * 1000:.0f} ms a page ({s.messages:,} messages):", ""]
        out += _section_table(s)
        out.append("")
    out += _stage_lines(results)
    out += _analysis_lines(results)
    out += ["## The sandbox's own share", "",
            "Milliseconds the sandbox takes to build one page in-process (no HTTP), median "
            "of a few pages; every contender waits this long per page unless it overlaps "
            "it with its own work:", ""]
    out += _table(["messages", "JSON ms", "XML ms", "CSV ms"],
                  [[f"{s.messages:,}" + (f" (+{s.delay * 1000:.0f} ms delay)" if s.delay
                                         else ""),
                    _f(s.render_ms.get("json")), _f(s.render_ms.get("xml")),
                    _f(s.render_ms.get("csv"))] for s in results.sections])
    out += ["", "## Import times (fresh interpreter each)", ""]
    out += _table(["what", "median s", "each run s", "pandas loaded"],
                  [[st.what, f"{st.median_s:.3f}", ", ".join(f"{t:.3f}" for t in st.times_s),
                    "yes" if st.loads_pandas else "no"] for st in results.startup])
    out += ["", "## Every run", ""]
    out += _raw_lines(results)
    return "\n".join(out).rstrip() + "\n"
