"""The checkpoint of a batch: a file that makes it resumable and never sends a row twice.

A JSON Lines file. Its first line names the batch: the digests of its operation, its templates
and its rows (:func:`identity`). Then, for every row sent, an **intent** line written (flushed
and fsynced) *before* its request leaves and an **outcome** line after its answer::

    {"twilio_nb_batch": 1, "identity": {"operation": "…", "templates": "…", "rows": "…"}, …}
    {"row": 0, "intent": "2026-12-06T02:31:04.120Z"}
    {"row": 0, "outcome": "sent", "sid": "SM…", "http_status": 201, …}

Running the batch again with the same file:

* a row with an outcome ``sent`` or ``failed`` is finished: skipped, its outcome carried over
  (a refused row is fixed and sent as a new batch: ``b.failed``);
* a row with an intent and no outcome (the process died while its request was out), or with
  the outcome ``unknown`` (the connection was lost after sending), may have reached Twilio: it
  is **unknown**, and is not sent again unless the caller says so (reconciled first for Send
  Message, see :mod:`.reconcile`);
* a row with no intent, or the outcome ``not sent`` (cancelled), is sent.

A file of another batch (operation, templates or rows differ) is refused before anything is
sent, saying what differs. A last line cut short by a kill is ignored. No credential is ever
written: only what the rows and Twilio's answers hold.

Imports: errors only.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError

__all__ = ["FINISHED", "Checkpoint", "digest", "identity"]

VERSION = 1
FINISHED = ("sent", "failed")


def digest(value: Any) -> str:
    """A stable digest of a JSON-able value (anything else as its text)."""
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def identity(operation: str, templates: Any, rows: Any) -> dict[str, str]:
    """What a checkpoint checks: the digests of the operation, the templates and the rows."""
    return {"operation": digest(operation), "templates": digest(templates),
            "rows": digest(rows)}


class Checkpoint:
    """An open checkpoint file. Thread-safe: workers write their rows' lines through it."""

    def __init__(self, path: str | os.PathLike[str], ident: dict[str, str], *, rows: int,
                 operation: str) -> None:
        self.path = Path(path)
        self.intents: dict[int, str] = {}
        self.outcomes: dict[int, dict[str, Any]] = {}
        self.resumed = False
        self._lock = threading.Lock()
        if self.path.is_dir():
            raise ConfigurationError(f"The checkpoint {str(self.path)!r} is a folder: give a "
                                     "file name, e.g. checkpoint='campaign.batch'.",
                                     field="checkpoint")
        needs_newline = False
        if self.path.exists() and self.path.stat().st_size:
            needs_newline = self._read(ident)
            self.resumed = True
        try:
            self._file = self.path.open("a", encoding="utf-8")
        except OSError as exc:
            raise ConfigurationError(f"The checkpoint {str(self.path)!r} cannot be written "
                                     f"({exc.strerror}); give a writable path.",
                                     field="checkpoint") from None
        if needs_newline:
            self._write_raw("")  # the torn last line stays alone on its line
        if not self.resumed:
            self._write({"twilio_nb_batch": VERSION, "identity": ident,
                         "operation": operation, "rows": rows})

    def _read(self, ident: dict[str, str]) -> bool:
        """Read a file written before; True when its last line was cut short."""
        text = self.path.read_text(encoding="utf-8")
        lines = text.split("\n")
        try:
            head = json.loads(lines[0])
        except json.JSONDecodeError:
            head = None
        if not isinstance(head, dict) or head.get("twilio_nb_batch") != VERSION:
            raise ConfigurationError(
                f"{str(self.path)!r} is not a twilio_nb batch checkpoint; give another path "
                "(it is not overwritten).", field="checkpoint")
        theirs = head.get("identity") or {}
        differ = [k for k in ("operation", "templates", "rows") if theirs.get(k) != ident[k]]
        if differ:
            raise ConfigurationError(
                f"The checkpoint {str(self.path)!r} belongs to another batch (its "
                f"{', '.join(differ)} differ{'s' if len(differ) == 1 else ''}: it was written "
                f"for {head.get('operation')!r} over {head.get('rows')} rows); nothing was sent."
                " Give a new checkpoint path for a new batch, or run the same batch again to "
                "resume it.", field="checkpoint")
        for line in lines[1:]:
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a kill: its row's intent is what counts
            if not isinstance(event, dict) or not isinstance(event.get("row"), int):
                continue
            if "intent" in event:  # a later intent supersedes an earlier "not sent"
                self.intents[event["row"]] = str(event["intent"])
                self.outcomes.pop(event["row"], None)
            elif "outcome" in event:
                self.outcomes[event["row"]] = event
        return not text.endswith("\n")

    # -- what the file says about a row ------------------------------------------------------

    def state(self, position: int) -> str:
        """``finished``, ``unknown`` (may have reached Twilio) or ``fresh`` (to send)."""
        outcome = self.outcomes.get(position)
        if outcome is not None and outcome.get("outcome") in FINISHED:
            return "finished"
        if outcome is not None and outcome.get("outcome") == "unknown":
            return "unknown"
        if position in self.intents and outcome is None:
            return "unknown"
        return "fresh"

    # -- writing ---------------------------------------------------------------------------

    def _write_raw(self, line: str) -> None:
        self._file.write(line + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())  # on the disk before the request leaves

    def _write(self, event: dict[str, Any]) -> None:
        with self._lock:
            self._write_raw(json.dumps(event, default=str, separators=(",", ":")))

    def intent(self, position: int, at: str) -> None:
        self.intents[position] = at
        self.outcomes.pop(position, None)
        self._write({"row": position, "intent": at})

    def outcome(self, position: int, record: dict[str, Any]) -> None:
        event = {"row": position, **record}
        self.outcomes[position] = event
        self._write(event)

    def close(self) -> None:
        with self._lock:
            if not self._file.closed:
                self._file.close()

    def __repr__(self) -> str:
        return (f"Checkpoint({str(self.path)!r}, {len(self.outcomes)} outcomes, "
                f"{len(self.intents)} intents)")
