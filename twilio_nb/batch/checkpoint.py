"""The checkpoint of a batch: a file that makes it resumable and never sends a row twice.

A JSON Lines file (format 2). Its first line names the batch: where its rows go (the target:
account, address, region/edge, which sandbox), its operation, its templates' identity and a
short digest of every row and of the fields its templates made for it (:mod:`.identity`).
Each run then writes a **run** line (who holds the file), and, for every row sent, an
**intent** line written (flushed and fsynced) *before* its request leaves and an **outcome**
line after its answer::

    {"twilio_nb_batch": 2, "operation": "Message / Send Message", "target": {…}, …}
    {"run": "2026-12-06T02:31:04.101Z", "pid": 4242, "host": "laptop"}
    {"row": 0, "intent": "2026-12-06T02:31:04.120Z"}
    {"row": 0, "outcome": "sent", "sid": "SM…", "http_status": 201, …}

Running the batch again with the same file:

* a row with an outcome ``sent`` or ``failed`` is finished: skipped, its outcome carried over
  (a refused row is fixed and sent as a new batch: ``b.failed``);
* a row with an intent and no outcome (the process died while its request was out), or with
  the outcome ``unknown`` (the connection was lost after sending), may have reached Twilio: it
  is **unknown**, and is not sent again unless the caller says so (reconciled first for Send
  Message, see :mod:`.reconcile`);
* a row with no intent, or the outcome ``not sent`` (cancelled, refused credentials), is sent.

Refused before anything is sent, saying why and how to go on: a file of another target (its
rows went elsewhere) or of another batch (naming the first row and column or field that
differs); a file held by a run going on now (one run at a time: an exclusive ``flock`` is held
while the batch runs; the refusal names the holder's pid and host); a file that is not one
(a folder, a device, bytes that are not UTF-8 text, a line twilio_nb does not write, an
outcome without its intent). ``start_again=True`` keeps the old file aside (renamed
``<name>.<time>.old``) and starts a new one. A last line cut short by a kill is ignored.
A fault while writing (a full disk) stops the batch: :class:`CheckpointError`. No credential
is ever written: only the rows' digests and Twilio's answers.

Imports errors, the request's target and the batch's identity.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import stat
import threading
from pathlib import Path
from typing import IO, Any

from ..errors import ConfigurationError, TwilioError, TwilioWarning, warn
from ..request.target import Target, differs
from .checkpoint_lines import check_lines, holder
from .identity import first_difference

try:  # POSIX; elsewhere a batch runs without the lock
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["FINISHED", "VERSION", "Checkpoint", "CheckpointError"]

VERSION = 2
FINISHED = ("sent", "failed")
_HOW_TO_GO_ON = ("Give a new checkpoint path to start again (every row is sent, to this "
                 "target), or start_again=True (--start-again) to keep this file aside and "
                 "start a new one here.")


class CheckpointError(TwilioError):
    """The checkpoint could not be written while the batch ran (a full disk): the batch
    stopped. ``batch``: what was sent until then (set by the run), never lost."""

    def __init__(self, message: str, batch: Any = None) -> None:
        super().__init__(message)
        self.batch = batch


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _refuse(path: Path, why: str) -> ConfigurationError:
    return ConfigurationError(f"The checkpoint {str(path)!r} {why}", field="checkpoint")


class Checkpoint:
    """An open, locked checkpoint file. Thread-safe: workers write their rows' lines through
    it. ``wanted`` is the header this batch writes (see the module); ``labels`` name rows."""

    def __init__(self, path: str | os.PathLike[str], wanted: dict[str, Any], *,
                 labels: list[Any], start_again: bool = False) -> None:
        self.path = Path(path)
        self.intents: dict[int, str] = {}
        self.outcomes: dict[int, dict[str, Any]] = {}
        self.resumed = False
        self.set_aside: Path | None = None
        self.broken: OSError | None = None
        self._lock = threading.Lock()
        self._file = self._open_locked()
        try:
            text = self._text()
            if text.strip() and start_again:
                self._start_again()
                text = ""
            if text.strip():
                self._read(text, wanted, labels)
                self.resumed = True
            if text and not text.endswith("\n"):
                self._write_raw("")  # the torn last line stays alone on its line
            if not self.resumed:
                self._write_raw(json.dumps({"twilio_nb_batch": VERSION, **wanted},
                                           separators=(",", ":")))
            self._write_raw(json.dumps({"run": _now(), "pid": os.getpid(),
                                        "host": socket.gethostname()}, separators=(",", ":")))
        except OSError as exc:
            self._file.close()
            raise _refuse(self.path, f"cannot be written ({exc.strerror or exc}); nothing was "
                          "sent. Free space, or give another path.") from None
        except BaseException:
            self._file.close()
            raise

    # -- opening ---------------------------------------------------------------------------

    def _open_locked(self) -> IO[bytes]:
        """The file opened for reading and appending, with the exclusive lock taken; a
        folder, a device or a file another run holds is refused at once."""
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            mode = None
        except OSError as exc:
            raise _refuse(self.path, f"cannot be read ({exc.strerror}); give another path."
                          ) from None
        if mode is not None and stat.S_ISDIR(mode):
            raise _refuse(self.path, "is a folder: give a file name, e.g. "
                                     "checkpoint='campaign.batch'.")
        if mode is not None and not stat.S_ISREG(mode):
            raise _refuse(self.path, "is not a regular file (a device or a pipe): give a file "
                                     "name, e.g. checkpoint='campaign.batch'.")
        try:
            file = self.path.open("a+b")
        except OSError as exc:
            raise _refuse(self.path, f"cannot be written ({exc.strerror}); give a writable "
                                     "path.") from None
        if fcntl is not None:
            try:
                fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                file.seek(0)
                who = holder(file.read().decode("utf-8", "replace"))
                file.close()
                raise _refuse(self.path, f"is in use by another run of this batch ({who}): "
                              "one run at a time per checkpoint; nothing was sent. Wait for it "
                              "to end (or stop it), then run again.") from None
        return file

    def _text(self) -> str:
        self._file.seek(0)
        data = self._file.read()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _refuse(self.path, f"is not a twilio_nb batch checkpoint (byte {exc.start} "
                          "is not UTF-8 text); nothing was sent. Give another path, or "
                          "start_again=True to keep it aside.") from None

    def _start_again(self) -> None:
        """The old file renamed aside; a new, locked one in its place."""
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.{stamp}.old")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.{stamp}-{n}.old")
        os.replace(self.path, aside)
        old, self._file = self._file, self._open_locked()
        old.close()
        self.set_aside = aside

    # -- reading ---------------------------------------------------------------------------

    def _read(self, text: str, wanted: dict[str, Any], labels: list[Any]) -> None:
        """A file written before, checked line by line and against this batch."""
        lines = text.split("\n")
        try:
            head = json.loads(lines[0])
        except json.JSONDecodeError:
            head = None
        if not isinstance(head, dict) or "twilio_nb_batch" not in head:
            raise _refuse(self.path, "is not a twilio_nb batch checkpoint; nothing was sent. "
                                     "Give another path (it is not overwritten).")
        if head.get("twilio_nb_batch") != VERSION:
            raise _refuse(self.path, f"was written by another version of twilio_nb (format "
                          f"{head.get('twilio_nb_batch')!r}, this one reads {VERSION}); nothing "
                          f"was sent. {_HOW_TO_GO_ON}")
        self._same_batch(head, wanted, labels)
        problem = check_lines(lines, len(labels), self.intents, self.outcomes)
        if problem:
            raise _refuse(self.path, f"cannot be trusted: {problem}; nothing was sent. It was "
                          f"edited or damaged: restore it. {_HOW_TO_GO_ON}")

    def _same_batch(self, head: dict[str, Any], wanted: dict[str, Any], labels: list[Any]
                    ) -> None:
        ours = Target.restored(wanted["target"])
        assert ours is not None
        where = differs(head.get("target"), ours)
        if where:
            raise _refuse(self.path, f"was written for another target: {where}. Its rows were "
                          f"sent there, not here; nothing was sent. {_HOW_TO_GO_ON}")
        what = None
        if head.get("operation") != wanted["operation"]:
            what = (f"the operation differs (it was written for {head.get('operation')!r}; "
                    f"this batch is {wanted['operation']!r})")
        what = what or first_difference(head, wanted, labels)
        if what is None and head.get("templates") != wanted["templates"]:
            warn(f"The checkpoint {str(self.path)!r} was written with other templates (a "
                 "function's code or constants, or a template's text), but they make the same "
                 "request for every row: it is resumed (rows done are not sent again).",
                 TwilioWarning)
        if what:
            raise _refuse(self.path, f"belongs to another batch: {what}; nothing was sent. "
                          "Run the batch it was written for to resume it. A new checkpoint "
                          "path (or start_again=True) sends every row again, the rows sent "
                          "before too; to send again only the rows that failed, give "
                          "b.failed (of the batch that failed them) as the rows.")

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
        self._file.write(line.encode("utf-8") + b"\n")
        self._file.flush()
        os.fsync(self._file.fileno())  # on the disk before the request leaves

    def _write(self, event: dict[str, Any]) -> None:
        with self._lock:
            if self.broken is not None:
                raise CheckpointError(f"the checkpoint could not be written ({self.broken})")
            try:
                self._write_raw(json.dumps(event, default=str, separators=(",", ":")))
            except OSError as exc:
                self.broken = exc
                raise CheckpointError(f"the checkpoint could not be written ({exc})") from None

    def intent(self, position: int, at: str) -> None:
        self._write({"row": position, "intent": at})
        self.intents[position] = at
        self.outcomes.pop(position, None)

    def outcome(self, position: int, record: dict[str, Any]) -> None:
        event = {"row": position, **record}
        self.outcomes[position] = event
        self._write(event)

    def close(self) -> None:
        """Closing the file lets the lock go."""
        with self._lock:
            if not self._file.closed:
                try:
                    self._file.close()
                except OSError as exc:  # the last flush failed (a full disk)
                    self.broken = self.broken or exc

    def __repr__(self) -> str:
        return (f"Checkpoint({str(self.path)!r}, {len(self.outcomes)} outcomes, "
                f"{len(self.intents)} intents)")

