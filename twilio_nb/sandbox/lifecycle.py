"""Messages, calls and conference participants that live: states on the sandbox's clock.

The clock runs in real time, at a speed a notebook user can watch, and
:meth:`Lifecycle.advance` moves it on at once (tests and notebooks use it). A manual clock
(``Sandbox(clock="manual")``) stands at the time the sandbox was made and moves only by
:meth:`Lifecycle.advance`, so each state falls due at an exact step however loaded the machine
(the states due at once, like a message's ``queued``, still happen at once). A new record's
states are scheduled when it is created; each one, when due, changes the record (fetch and
list show it) and queues the status callback the request asked for (see ``callbacks``).

=============  ===============================================================================
Message        queued -> sending (0.1 s) -> sent (0.4 s) -> delivered (0.8 s); To
               +15005550010 ends undelivered (30003), +15005550011 undelivered (30006),
               +15005550012 failed (30008) — the sandbox's choice: Twilio's test credentials
               (https://www.twilio.com/docs/iam/test-credentials) have no numbers that fail
               after sending. A callback for every state, ``queued`` included.
Call           queued -> initiated (0.2 s) -> ringing (0.6 s) -> in-progress (1.6 s) ->
               completed (``CALL_SECONDS`` later, ``Duration`` that long); To +15005550020
               busy, +15005550021 no-answer, +15005550022 failed (sandbox's choice, as above).
               ``initiated`` is a callback event; the API shows ``queued`` until ringing, as
               Twilio does. ``Record=true``: a completed recording of the call.
Participant    the same call timeline; the participant goes queued -> connecting -> ringing
               -> connected -> complete, its call as above.
=============  ===============================================================================

Calls and participants call back only for the events named in ``StatusCallbackEvent``
(``initiated ringing answered completed``; ``completed`` alone when none is named).
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from .callbacks import Callbacks, is_web_url
from .clock import rfc2822
from .resources import ApiError, Form, new_sid
from .state_protocol import State
from .store import Record

__all__ = ["CALL_SECONDS", "CLOCKS", "Lifecycle"]

CLOCKS = ("real", "manual")  # real time plus every advance(); moved by advance() only

MESSAGE_STEPS = ((0.1, "sending"), (0.4, "sent"), (0.8, "delivered"))
MESSAGE_FAILS = {"+15005550010": ("undelivered", 30003, "Unreachable destination handset"),
                 "+15005550011": ("undelivered", 30006, "Landline or unreachable carrier"),
                 "+15005550012": ("failed", 30008, "Unknown error")}
CALL_SECONDS = 4
CALL_FAILS = {"+15005550020": "busy", "+15005550021": "no-answer", "+15005550022": "failed"}
EVENTS = ("initiated", "ringing", "answered", "completed")
PARTICIPANT = {"initiated": "connecting", "ringing": "ringing", "answered": "connected",
               "completed": "complete"}
CALLBACK_FIELDS = ("StatusCallback", "RecordingStatusCallback")
# A state this close to due is due: its time (made at t0, t0 + 0.1) and the clock (start plus
# every advance) are epoch floats that round differently, and a manual clock must hit a step.
SLACK = 1e-6
ADVANCE_WAIT = 10.0  # seconds advance() waits at most for the callbacks that fell due


def _first(form: Form, name: str) -> str:
    return (form.get(name) or [""])[-1].strip()


def check_callbacks(form: Form) -> None:
    """Callback URLs must be absolute http(s) URLs (Twilio's 21609 otherwise)."""
    for name in CALLBACK_FIELDS:
        url = _first(form, name)
        if url and not is_web_url(url):
            raise ApiError(400, 21609, f"The {name} URL {url!r} is not a valid URL: give an "
                                       "absolute http:// or https:// URL.")


def asked_events(form: Form) -> set[str]:
    """The events named in ``StatusCallbackEvent`` (repeated, or space separated)."""
    named = {e.lower() for v in form.get("StatusCallbackEvent") or [] for e in v.split()}
    return named or {"completed"}


class Lifecycle:
    """The sandbox's clock and the states waiting on it, run by one background thread (started
    when something is scheduled, ended when nothing is left). ``manual``: the clock moves only
    by :meth:`advance`, which runs what fell due itself; the thread then runs only the states
    due at once (like ``queued``) and ends as soon as none is due, so a manual sandbox dropped
    with states still scheduled leaves no thread behind."""

    def __init__(self, app: State, *, manual: bool = False) -> None:
        self._app = app
        self.manual = manual
        self._start = time.time()  # where a manual clock stands before any advance
        self.offset = 0.0
        self._heap: list[tuple[float, int, Callable[[float], None]]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._running = threading.RLock()  # one runner of due states at a time, in order
        self._thread: threading.Thread | None = None
        self.callbacks = Callbacks(lambda: app.auth_token)

    def now(self) -> float:
        return (self._start if self.manual else time.time()) + self.offset

    def at(self, due: float, action: Callable[[float], None]) -> None:
        """Run ``action(due)`` when the clock reaches ``due``."""
        with self._cond:
            heapq.heappush(self._heap, (due, next(self._seq), action))
            self._cond.notify_all()
            if self._thread is None and (not self.manual or due <= self.now() + SLACK):
                self._thread = threading.Thread(target=self._loop, daemon=True,
                                                name="twilio_nb-sandbox-clock")
                self._thread.start()

    def _loop(self) -> None:
        while True:
            with self._cond:
                if not self._heap:
                    self._thread = None
                    return
                wait = self._heap[0][0] - self.now() - SLACK
                if wait > 0 and self.manual:  # advance() runs what falls due: no one waits
                    self._thread = None
                    return
                if wait > 0:
                    self._cond.wait(min(wait, 1.0))
                    continue
            self.run_due()

    def run_due(self) -> None:
        """Run every state due by now, oldest first."""
        with self._running:
            while True:
                with self._cond:
                    if not self._heap or self._heap[0][0] > self.now() + SLACK:
                        return
                    due, _, action = heapq.heappop(self._heap)
                try:
                    with self._app.store.lock:
                        action(due)
                except Exception:  # a record deleted meanwhile, ...: that life just ends
                    continue

    def advance(self, seconds: float) -> None:
        with self._cond:
            self.offset += seconds
            self._cond.notify_all()
        self.run_due()
        self.callbacks.drain(ADVANCE_WAIT)

    def clear(self) -> None:
        with self._cond:
            self._heap.clear()
            self._cond.notify_all()  # the thread ends now that nothing is left
        self.callbacks.clear()

    # -- hooks for handlers.create --

    def plan(self, op_id: str, form: Form) -> Callable[[tuple[str, ...], str], None] | None:
        """Check the callback URLs of a create; what starts the new record's life, if any."""
        check_callbacks(form)
        if op_id == "api_v2010.CreateMessage":
            if _first(form, "SendAt"):
                return None
            return lambda segs, key: self._message(segs, key, form)
        if op_id == "api_v2010.CreateCall":
            return lambda segs, key: self._call(segs, key, form, None)
        if op_id == "api_v2010.CreateParticipant":
            return lambda segs, key: self._call((*segs[:3], "Calls"), key, form, segs)
        return None

    # -- records --

    def _get(self, segs: tuple[str, ...], key: str) -> Record:
        coll = self._app.store.find("api", segs)
        rec = coll.get(key) if coll is not None else None
        if rec is None:
            raise LookupError(key)
        return rec

    def _set(self, when: float, segs: tuple[str, ...], key: str,
             **changes: Any) -> dict[str, Any]:
        rec = self._get(segs, key)
        new = {k: v for k, v in rec.items() if not (k.startswith("_t_") and k[3:] in changes)}
        new.update(changes, date_updated=rfc2822(when))
        new.pop("_t_date_updated", None)
        self._app.store.collection("api", segs).replace(key, new)
        return new

    def _callback(self, form: Form, key: str, params: list[tuple[str, str]],
                  event: str) -> None:
        """Queue the status callback of the record ``key`` (its callbacks go out in order)."""
        url = _first(form, "StatusCallback")
        if url:
            self.callbacks.send(url, params, event, _first(form, "StatusCallbackMethod"),
                                key=key)

    def _message(self, segs: tuple[str, ...], key: str, form: Form) -> None:
        t0 = self.now()
        fail = MESSAGE_FAILS.get(_first(form, "To"))
        steps: tuple[tuple[float, str], ...] = ((0.0, "queued"),)
        if fail and fail[0] == "failed":
            steps += ((MESSAGE_STEPS[0][0], "failed"),)
        else:
            last = fail[0] if fail else "delivered"
            steps += (*MESSAGE_STEPS[:2], (MESSAGE_STEPS[2][0], last))
        for delay, status in steps:
            self.at(t0 + delay, partial(self._message_step, segs=segs, key=key, form=form,
                                        status=status, fail=fail))

    def _message_step(self, when: float, segs: tuple[str, ...], key: str, form: Form,
                      status: str, fail: tuple[str, int, str] | None) -> None:
        changes: dict[str, Any] = {"status": status}
        if status == "sent":
            changes.update(date_sent=rfc2822(when), price="-0.00790")
        if fail and status == fail[0]:
            changes.update(error_code=fail[1], error_message=fail[2])
        rec = self._set(when, segs, key, **changes) if status != "queued" else \
            self._get(segs, key)
        params = [("MessageSid", key), ("SmsSid", key), ("AccountSid", self._app.account_sid),
                  ("From", str(rec["from"] or "")), ("To", str(rec["to"] or "")),
                  ("MessageStatus", status), ("SmsStatus", status), ("ApiVersion", "2010-04-01")]
        if fail and status == fail[0]:
            params.append(("ErrorCode", str(fail[1])))
        self._callback(form, key, params, status)

    def _call(self, calls: tuple[str, ...], key: str, form: Form,
              participants: tuple[str, ...] | None) -> None:
        t0 = self.now()
        asked = asked_events(form)
        end = CALL_FAILS.get(_first(form, "To"))
        plan: list[tuple[float, str, str]] = [(0.2, "initiated", "queued")]
        if end != "failed":
            plan.append((0.6, "ringing", "ringing"))
        if end is None:
            plan += [(1.6, "answered", "in-progress"),
                     (1.6 + CALL_SECONDS, "completed", "completed")]
        else:
            plan.append(({"busy": 1.0, "no-answer": 6.6, "failed": 0.4}[end], "completed", end))
        seq = itertools.count()
        for delay, event, status in plan:
            self.at(t0 + delay, partial(self._call_step, calls=calls, key=key, form=form,
                                        participants=participants, event=event,
                                        status=status, asked=event in asked, seq=seq))

    def _call_step(self, now: float, calls: tuple[str, ...], key: str, form: Form,
                   participants: tuple[str, ...] | None, event: str, status: str, asked: bool,
                   seq: itertools.count[int]) -> None:
        changes: dict[str, Any] = {"status": status}
        if event == "answered":
            changes["start_time"] = rfc2822(now)
        duration = 0
        if event == "completed":
            duration = CALL_SECONDS if self._get(calls, key).get("start_time") else 0
            changes.update(end_time=rfc2822(now), duration=str(duration))
        rec = self._set(now, calls, key, **changes)
        if participants is not None:
            pstatus = "failed" if event == "completed" and status == "failed" else \
                PARTICIPANT[event]
            self._set(now, participants, key, status=pstatus)
            if event == "answered":
                self._set(now, participants[:4], participants[4], status="in-progress")
        if event == "completed" and status == "completed" and _first(form, "Record") == "true":
            self._record(calls, key, now, duration)
        if not asked:
            return
        params = [("CallSid", key), ("AccountSid", self._app.account_sid),
                  ("From", str(rec.get("from") or "")), ("To", str(rec.get("to") or "")),
                  ("CallStatus", "initiated" if event == "initiated" else status),
                  ("Direction", str(rec.get("direction") or "")),
                  ("ApiVersion", "2010-04-01"), ("Timestamp", rfc2822(now)),
                  ("CallbackSource", "call-progress-events"),
                  ("SequenceNumber", str(next(seq)))]
        if participants is not None:
            params.append(("ConferenceSid", participants[4]))
        if event == "completed":
            params.append(("CallDuration", str(duration)))
        self._callback(form, key, params, params[4][1])

    def _record(self, calls: tuple[str, ...], key: str, now: float, duration: int) -> None:
        app, acct = self._app, calls[:3]
        segs = (*acct, "Recordings")
        rec = app.maker.record("api", segs, "api.v2010.account.recording", {
            "sid": new_sid("RE"), "call_sid": key, "status": "completed",
            "duration": str(duration), "channels": 1, "source": "OutboundAPI",
            "start_time": rfc2822(now - duration), "price": "-0.00250"}, now)
        app.insert("api", segs, rec)
