"""The run of a batch: plan, checkpoint, reconcile, send concurrently, gather.

:func:`run_batch` is what ``conn.batch(...)`` and ``conn.batch_advanced(...)`` do:

1. the rows' requests are built and checked (:mod:`.plan`); ``dry_run`` stops here;
2. the checkpoint, when given, is opened and locked (another target's, another batch's, one
   in use by another run, one that cannot be trusted are refused) and its rows sorted:
   finished ones carried over, unknown ones reconciled (:mod:`.reconcile`);
3. the rows left are sent by ``concurrency`` workers under a gate of their own (at most
   that many requests in flight; a 429 pauses every worker, as in a concurrent walk), each
   row's intent written to the checkpoint before its request, its outcome after;
4. a row's failure is that row's outcome: Twilio's refusal (21211, 21610, ...) is ``failed``,
   a request that may have reached Twilio without an answer is ``unknown``;
5. Ctrl-C (KeyboardInterrupt) or ``cancel.set()`` stops taking rows: the requests out finish,
   the rows not started stay ``not sent``, and the Batch comes back (nothing is lost);
6. refused credentials (401, or 403 with Twilio's 20003) stop the batch at the first such
   answer: no row's outcome, every row not answered otherwise stays ``not sent`` (the rerun
   with a good credential sends them), and :class:`BatchError` says so, the Batch on it;
7. a fault writing the checkpoint (a full disk) stops the batch the same way: the rows whose
   intent could not be written are not sent, and :class:`~.checkpoint.CheckpointError` holds
   the Batch of what was sent.

Imports: the batch's modules, errors, the gate's error, paging's concurrency check; pandas and
tqdm inside functions.
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict

from ..errors import (
    ConfigurationError,
    TransportError,
    TwilioApiError,
    TwilioError,
    TwilioWarning,
    warn,
)
from ..paging import check_concurrency
from ..transport.gate import Gate, GateClosedError
from .checkpoint import Checkpoint, CheckpointError
from .identity import batch_header, template_identity
from .outcomes import Batch, not_sent
from .plan import BasicSpec, PlannedRow, Sender, Spec, make_plan, requests_frame
from .progress import RowsBar
from .reconcile import reconcile_row

if TYPE_CHECKING:
    from ..answers.result import Result

__all__ = ["BatchError", "BatchOptions", "run_batch"]


class BatchError(TwilioError):
    """The batch stopped for a reason no row owns (Twilio refused the credential): ``batch``
    is what was done until then, ``cause`` Twilio's error."""

    def __init__(self, message: str, batch: Batch, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.batch = batch
        self.cause = cause


def refused_credentials(exc: BaseException) -> bool:
    """401, or 403 with 20003 (Twilio's "authenticate"): no row of the batch can succeed."""
    return isinstance(exc, TwilioApiError) and (
        exc.status == 401 or (exc.status == 403 and exc.code == 20003))


class BatchOptions(TypedDict, total=False):
    """How a batch is sent (the keywords of :func:`run_batch` after the rows)."""

    concurrency: int
    dry_run: bool
    checkpoint: str | os.PathLike[str] | None
    status_callback: Any
    progress: bool
    resend_unknown: bool
    cancel: threading.Event | None
    start_again: bool


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _frame(rows: Any) -> Any:
    import pandas as pd  # deferred: import twilio_nb stays without pandas

    if isinstance(rows, pd.DataFrame):
        twice = rows.index[rows.index.duplicated()].unique()
        if len(twice):
            raise ConfigurationError(
                f"The rows' index labels {', '.join(repr(x) for x in list(twice)[:5])} appear "
                "more than once, and each row's outcome is told by its label: give every row "
                "a label of its own (e.g. rows.reset_index(drop=True)).", field="rows")
        return rows
    if isinstance(rows, Sequence) and not isinstance(rows, (str, bytes)) \
            and all(isinstance(r, Mapping) for r in rows):
        return pd.DataFrame(list(rows))
    raise ConfigurationError(f"rows must be a DataFrame or a list of dicts, not "
                             f"{type(rows).__name__}.", field="rows")


def _callback_url(status_callback: Any) -> str | None:
    """An Inbox (anything with a ``url``) or a URL."""
    if status_callback is None:
        return None
    url = status_callback if isinstance(status_callback, str) \
        else getattr(status_callback, "url", None)
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ConfigurationError(
            "status_callback must be an inbox (tw.inbox()) or an absolute http(s) URL, got "
            f"{status_callback!r:.80}.", field="status_callback")
    return url


def _outcome_of(exc: BaseException, sent_at: str) -> dict[str, Any]:
    """A failed request as its row's outcome."""
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, TwilioApiError) and exc.status == 429:  # retries ran out: not processed
        return {"outcome": "not sent", "sid": None, "http_status": 429, "error_code": exc.code,
                "error_message": exc.message, "sent_at": None}
    if isinstance(exc, TwilioApiError):
        # a 4xx is Twilio's refusal; a 5xx to a POST may have been processed
        outcome = "failed" if exc.status < 500 else "unknown"
        return {"outcome": outcome, "sid": None, "http_status": exc.status,
                "error_code": exc.code, "error_message": exc.message, "sent_at": sent_at}
    if isinstance(exc, GateClosedError | ConfigurationError) or (
            isinstance(exc, TransportError) and not exc.sent):
        return {"outcome": "not sent", "sid": None, "http_status": None, "error_code": None,
                "error_message": first, "sent_at": None}
    return {"outcome": "unknown", "sid": None, "http_status": None, "error_code": None,
            "error_message": first, "sent_at": sent_at}


def _sent(result: Result, sent_at: str) -> dict[str, Any]:
    try:
        records = result.records
    except TwilioError:
        records = []
    record = records[0] if records else {}
    sid = record.get("sid") or record.get("call_sid")
    return {"outcome": "sent", "sid": sid, "http_status": result.status_code,
            "error_code": None, "error_message": None, "sent_at": sent_at,
            "status": record.get("status")}


class _Run:
    """The sending of one batch: its rows' outcomes and answers, filled by the workers."""

    def __init__(self, sender: Sender, planned: list[PlannedRow], ck: Checkpoint | None,
                 outcomes: list[dict[str, Any]], stop: threading.Event) -> None:
        self.sender = sender
        self.planned = {p.position: p for p in planned}
        self.ck = ck
        self.outcomes = outcomes
        self.answers: dict[int, Result] = {}  # each worker writes its own rows' keys
        self.stop = stop
        self.refused: BaseException | None = None  # the credential Twilio refused

    def send_row(self, position: int, gate: Gate) -> None:
        row = self.planned[position]
        at = _now()
        if self.ck is not None:
            try:
                self.ck.intent(position, at)
            except CheckpointError:  # its intent is not on the disk: the row is not sent
                self.stop.set()
                self.outcomes[position] = not_sent() | {
                    "error_message": "not sent: the checkpoint could not be written"}
                return
        try:
            result = self.sender.execute(row.built, gate=gate)
        except Exception as exc:  # every failure is this row's outcome; the others go on
            record = _outcome_of(exc, at)
            if refused_credentials(exc):  # no row can succeed: stop, and own no outcome
                self.refused = self.refused or exc
                self.stop.set()
                record["outcome"], record["sent_at"] = "not sent", None
        else:
            record = _sent(result, at)
            self.answers[position] = result
        record["note"] = None
        self.outcomes[position] = record
        if self.ck is not None:
            try:
                self.ck.outcome(position, record)
            except CheckpointError:  # the row's outcome is here, on the Batch
                self.stop.set()
                record["note"] = "its outcome could not be written to the checkpoint"

    def send_all(self, positions: list[int], concurrency: int, progress: bool) -> bool:
        """Send the rows; True when stopped (Ctrl-C or ``cancel``) before all started."""
        todo: queue.SimpleQueue[int] = queue.SimpleQueue()
        for p in positions:
            todo.put(p)
        done = threading.Semaphore(0)

        def worker() -> None:
            while not self.stop.is_set():
                try:
                    position = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    self.send_row(position, gate)
                finally:
                    done.release()

        interrupted = False
        with self.sender.gated(concurrency) as gate, RowsBar(progress, len(positions)) as moved:
            threads = [threading.Thread(target=worker, name=f"twilio_nb-batch-{i}", daemon=True)
                       for i in range(min(concurrency, len(positions)))]
            for t in threads:
                t.start()
            while any(t.is_alive() for t in threads):
                try:
                    if done.acquire(timeout=0.1):
                        moved(self._counts())
                except KeyboardInterrupt:  # Ctrl-C: the rows out finish, no new row starts
                    interrupted = True
                    self.stop.set()
            for t in threads:
                t.join()
        return interrupted or (self.stop.is_set() and not todo.empty())

    def _counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for o in self.outcomes:
            counts[o["outcome"]] = counts.get(o["outcome"], 0) + 1
        return counts


def _reconcile(run: _Run, positions: list[int], intents: Mapping[int, str]) -> list[int]:
    """Look the unknown rows up; the positions still unknown."""
    left: list[int] = []
    claimed = {o["sid"] for o in run.outcomes if o.get("sid")}
    for position in positions:
        row = run.planned[position]
        found, note = reconcile_row(run.sender, row, intents.get(position), claimed)
        record = dict(run.outcomes[position])
        if found is not None:
            claimed.add(str(found.get("sid")))
            record.update(outcome="sent", sid=found.get("sid"), http_status=None,
                          error_code=None, error_message=None, status=found.get("status"))
            if run.ck is not None:
                try:
                    run.ck.outcome(position, {k: v for k, v in record.items() if k != "note"}
                                   | {"note": note})
                except CheckpointError:  # found, on the Batch; looked up again next time
                    run.stop.set()
        else:
            left.append(position)
        record["note"] = note
        record.setdefault("sent_at", intents.get(position))
        run.outcomes[position] = record
    return left


def run_batch(sender: Sender, spec: Spec, rows: Any, *, concurrency: int = 1,
              dry_run: bool = False, checkpoint: str | os.PathLike[str] | None = None,
              status_callback: Any = None, progress: bool = True,
              resend_unknown: bool = False, cancel: threading.Event | None = None,
              start_again: bool = False) -> Batch:
    """Send one request per row; see the module's docstring and :class:`.result.Batch`."""
    concurrency = check_concurrency(concurrency)
    frame = _frame(rows)
    callback = _callback_url(status_callback)
    labels = list(frame.index)
    records = [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]
    planned, found = make_plan(sender, spec, labels, records, callback=callback,
                               columns=[str(c) for c in frame.columns])
    requests = requests_frame(planned, frame.index)
    batch_args: dict[str, Any] = {"spec": spec, "rows": frame, "requests": requests,
                                  "warnings": found, "sender": sender,
                                  "status_callback": status_callback}
    if dry_run:
        return Batch(outcomes=[not_sent() for _ in planned], dry_run=True, **batch_args)
    ck = None if checkpoint is None else Checkpoint(
        checkpoint, _header(sender, spec, labels, records, planned), labels=labels,
        start_again=start_again)
    if ck is not None and ck.set_aside is not None:
        warn(f"start_again: the old checkpoint was kept as {str(ck.set_aside)!r}; this batch "
             "starts a new one and sends every row.", TwilioWarning)
    outcomes = [not_sent() for _ in planned]
    run = _Run(sender, planned, ck, outcomes, cancel or threading.Event())
    stopped = False
    try:
        to_send, unknown = _sort_rows(run, ck, planned)
        still = _reconcile(run, unknown, ck.intents if ck else {})
        if resend_unknown:
            to_send = sorted(to_send + still)
        stopped = run.send_all(to_send, concurrency, progress)
        lost = [p for p in to_send if outcomes[p]["outcome"] == "unknown"]
        _reconcile(run, lost, {p: outcomes[p]["sent_at"] for p in lost})
    except KeyboardInterrupt:  # Ctrl-C while rows were looked up: the Batch still comes back
        stopped = True
    finally:
        if ck is not None:
            ck.close()
    batch = Batch(outcomes=outcomes, answers=run.answers, checkpoint=ck, cancelled=stopped,
                  **batch_args)
    _raise_when_stopped(run, batch)
    _say_what_is_left(outcomes, stopped, checkpoint is not None)
    return batch


def _header(sender: Sender, spec: Spec, labels: list[Any], records: list[dict[str, Any]],
            planned: list[PlannedRow]) -> dict[str, Any]:
    """The checkpoint's header of this batch (see :func:`.identity.batch_header`)."""
    basic = isinstance(spec, BasicSpec)
    templates = {"params": template_identity(spec.params, json_text=False),
                 "query": template_identity(spec.query, json_text=False),
                 "body": template_identity(spec.body, json_text=basic)}
    return batch_header(spec.identity()["operation"], templates, sender.target.saved(),
                        labels, records, [p.filled or {} for p in planned])


def _raise_when_stopped(run: _Run, batch: Batch) -> None:
    """Refused credentials and a checkpoint that could not be written end the batch with an
    error holding it (``err.batch``)."""
    counts = ", ".join(f"{n} {k}" for k, n in batch.counts.items() if n)
    if run.refused is not None:
        exc = run.refused
        first = str(exc).splitlines()[0]
        raise BatchError(
            f"Twilio refused the credential ({first}): the batch stopped at the first such "
            f"answer ({counts}; err.batch holds them). No row failed for it: fix the "
            "credential (conn.whoami() shows the one in use) and run the same batch again"
            + (" with its checkpoint: it sends the rows not sent." if run.ck is not None else
               "; b.df[b.df.outcome == 'not sent'] are the rows to send."), batch, exc)
    if run.ck is not None and run.ck.broken is not None:
        why = run.ck.broken.strerror or str(run.ck.broken)
        raise CheckpointError(
            f"The checkpoint {str(run.ck.path)!r} could not be written ({why}): the batch "
            f"stopped ({counts}; err.batch holds what was sent, its SIDs included). Free "
            "space (or move the file), then run the same batch again with it: rows whose "
            "outcome was not written are looked up before anything is sent again.", batch)


def _say_what_is_left(outcomes: list[dict[str, Any]], stopped: bool, resumable: bool) -> None:
    """One warning when rows are left: not sent (stopped, 429s beyond the retries, no
    connection) or unknown (they may have reached Twilio)."""
    left = sum(o["outcome"] == "not sent" for o in outcomes)
    unknown = sum(o["outcome"] == "unknown" for o in outcomes)
    if not left and not unknown:
        return
    again = ("run the same batch again with its checkpoint to send them" if resumable else
             "send the rows whose outcome is 'not sent' in the batch's .df again (a "
             "checkpoint= does it for you)")
    parts = [f"The batch was stopped: {left} row(s) not sent" if stopped
             else f"{left} row(s) not sent (see error_message)" if left else ""]
    if unknown:
        parts.append(f"{unknown} row(s) unknown: they may have reached Twilio and are not sent "
                     "again (see note; resend_unknown=True sends them)")
    warn("; ".join(p for p in parts if p) + (f"; {again}." if left else "."), TwilioWarning)


def _sort_rows(run: _Run, ck: Checkpoint | None, planned: list[PlannedRow]
               ) -> tuple[list[int], list[int]]:
    """(rows to send, rows unknown) after what the checkpoint says; finished rows carried."""
    if ck is None:
        return [p.position for p in planned], []
    to_send: list[int] = []
    unknown: list[int] = []
    for p in planned:
        state = ck.state(p.position)
        if state == "finished":
            kept = ck.outcomes[p.position]
            run.outcomes[p.position] = {k: kept.get(k) for k in not_sent()} | {
                "note": "from the checkpoint: " + str(kept.get("note") or "done before")}
        elif state == "unknown":
            unknown.append(p.position)
            run.outcomes[p.position] = not_sent() | {
                "outcome": "unknown", "sent_at": ck.intents.get(p.position),
                "error_message": (ck.outcomes.get(p.position) or {}).get("error_message")
                or "the process ended while its request was out"}
        else:
            to_send.append(p.position)
    return to_send, unknown
