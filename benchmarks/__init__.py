"""Benchmarks: pulling tens of thousands of messages into a DataFrame, against the sandbox.

``python -m benchmarks.run`` measures, side by side in one run and against the sandbox's HTTP
server on 127.0.0.1 (in its own process), the floor (bare httpx GETs + ``json.loads``),
twilio-python + a DataFrame, and twilio_nb in JSON, XML and CSV; then prefetching on and off,
with and without a server delay, the memory of a page-by-page walk, and import times; and
writes ``benchmarks/RESULTS.md``.

Modules: ``server`` (the sandbox in a process of its own), ``contenders`` (what is measured),
``measure`` (one measurement in a forked child: wall time and peak memory), ``startup``
(import times in fresh interpreters), ``machine`` (what ran it), ``report`` (RESULTS.md),
``run`` (the command).
"""
