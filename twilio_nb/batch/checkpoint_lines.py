"""The lines of a batch's checkpoint after its header, checked before any is trusted.

Three kinds, exactly as :mod:`.checkpoint` writes them: ``run`` (who held the file), a row's
``intent`` and a row's ``outcome``. A line of another shape (a key missing or extra, a value
of another type, a row out of range, an outcome without its intent) is refused: a hand edit
such as ``{"row": true, "outcome": "sent"}`` must not mark a row done. The one line allowed
not to be JSON is one cut short by a kill (the start of a line of ours): the last line, or one
the next run closed (it is followed by that run's ``run`` line).

Imports nothing of the package.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["check_lines", "holder"]

OUTCOMES = ("sent", "failed", "unknown", "not sent")
_OUTCOME_KEYS = {"row", "outcome", "sid", "http_status", "error_code", "error_message",
                 "sent_at"}
_OUTCOME_MORE = {"status", "note"}
_OPTIONAL_TEXT = (str, type(None))


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_run(event: Any) -> bool:
    return (isinstance(event, dict) and set(event) == {"run", "pid", "host"}
            and isinstance(event["run"], str) and _int(event["pid"])
            and isinstance(event["host"], str))


def _shape(event: Any, rows: int) -> str | None:
    """Why ``event`` is not a line twilio_nb writes, or None."""
    if _is_run(event):
        return None
    if not isinstance(event, dict) or not _int(event.get("row")):
        return "not a run, intent or outcome line"
    if not 0 <= event["row"] < rows:
        return f"row {event['row']} is not one of the batch's {rows} rows"
    if set(event) == {"row", "intent"}:
        return None if isinstance(event["intent"], str) else "its intent is not a time"
    keys = set(event)
    if not keys >= _OUTCOME_KEYS or not keys <= _OUTCOME_KEYS | _OUTCOME_MORE:
        return "not a run, intent or outcome line (its keys)"
    if event["outcome"] not in OUTCOMES:
        return f"the outcome {event['outcome']!r} is not one of {', '.join(OUTCOMES)}"
    texts = ("sid", "error_message", "sent_at", "status", "note")
    if not all(isinstance(event.get(k), _OPTIONAL_TEXT) for k in texts):
        return "a value that is not text"
    if not all(event.get(k) is None or _int(event[k]) for k in ("http_status", "error_code")):
        return "a status or code that is not a number"
    return None


def check_lines(lines: list[str], rows: int, intents: dict[int, str],
                outcomes: dict[int, dict[str, Any]]) -> str | None:
    """Read ``lines`` (the header first) into ``intents`` and ``outcomes``; the first line
    that cannot be trusted, described, or None."""
    torn_last = bool(lines[-1])  # the text did not end with a newline: its last line is cut
    for number, line in enumerate(lines[1:], start=2):
        if not line and number == len(lines):
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            following = lines[number] if number < len(lines) else ""
            cut = line.startswith('{"')  # what a kill leaves: the start of one of ours
            if cut and ((number == len(lines) and torn_last) or _is_run(_loads(following))):
                continue  # a line cut short by a kill: its row's intent is what counts
            return f"line {number} is not JSON ({line[:60]!r})"
        why = _shape(event, rows)
        if why:
            return f"line {number} ({line[:80]!r}): {why}"
        if "intent" in event:  # a later intent supersedes an earlier "not sent"
            intents[event["row"]] = event["intent"]
            outcomes.pop(event["row"], None)
        elif "outcome" in event:
            if event["row"] not in intents:
                return (f"line {number} ({line[:80]!r}): an outcome for row {event['row']} "
                        "with no intent before it")
            outcomes[event["row"]] = event
    return None


def _loads(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return None


def holder(text: str) -> str:
    """Who holds a checkpoint: its last ``run`` line, as ``pid 4242 on laptop since …``."""
    for line in reversed(text.split("\n")):
        event = _loads(line)
        if _is_run(event):
            return f"pid {event['pid']} on {event['host']}, since {event['run']}"
    return "a run that is just starting"
