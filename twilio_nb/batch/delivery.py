"""Where each sent row got to: queued, sent, delivered (messages); ringing, completed (calls).

``b.delivery()`` gives, per input row (the input's index): ``sid``, ``status`` (the furthest
state reached), ``status_at`` (when), ``error_code`` and one ``<state>_at`` column per state
reached (``queued_at``, ``sent_at``, ``delivered_at``, ...). Its sources, together:

* the create answers (every row starts at the status Twilio answered, at the time it was sent);
* with ``status_callback=`` an inbox (anything with a ``df`` of Twilio's callback fields:
  ``MessageSid``/``MessageStatus``, ``CallSid``/``CallStatus``, ``ErrorCode``, ``received_at``,
  ``signature_valid``): every callback of the batch's SIDs whose signature was valid, no
  request at all. A request refused for its signature, and any row of an inbox made with
  ``verify=False`` (``signature_valid`` None), is not trusted: anyone who can reach the
  inbox could post it;
* without an inbox, one list over the batch's time window (List Messages ``DateSent>=``, List
  Calls ``StartTime>=``, a minute before the first request, 1,000 a page): the batch's SIDs
  picked from it, not one fetch per row. A message or call the list does not show yet (Twilio
  gives queued ones no ``date_sent``) keeps the status of its create answer.

Callbacks may arrive out of order; the furthest state wins (``delivered`` after ``sent`` even
when their callbacks crossed). ``b.wait(timeout=)`` polls that until every sent row is final:
``delivered``, ``undelivered``, ``failed``, ``read`` for messages; ``completed``, ``busy``,
``no-answer``, ``failed``, ``canceled`` for calls.

Imports: errors only (the batch is passed in); pandas inside functions.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ConfigurationError
from .plan import tracked_kind
from .reconcile import SKEW

if TYPE_CHECKING:
    import pandas as pd

    from .plan import Sender, Spec

__all__ = ["CALL_STATES", "FINAL", "MESSAGE_STATES", "frame", "wait"]

MESSAGE_STATES = {"accepted": 0, "scheduled": 0, "queued": 0, "sending": 1, "sent": 2,
                  "delivered": 3, "undelivered": 3, "failed": 3, "canceled": 3, "read": 4}
CALL_STATES = {"queued": 0, "initiated": 1, "ringing": 2, "in-progress": 3, "completed": 4,
               "busy": 4, "no-answer": 4, "failed": 4, "canceled": 4}
FINAL = {"message": {"delivered", "undelivered", "failed", "canceled", "read"},
         "call": {"completed", "busy", "no-answer", "failed", "canceled"}}
_LIST = {"message": ("Message", "List Messages", "DateSent>"),
         "call": ("Call", "List Calls", "StartTime>")}
Event = tuple[str, str, Any, Any]  # sid, status, time, error code


class Tracked(Protocol):
    """What delivery reads of a :class:`~.result.Batch` (which imports this module)."""

    spec: Spec
    rows: pd.DataFrame
    status_callback: Any

    @property
    def outcomes(self) -> list[dict[str, Any]]: ...

    @property
    def sids(self) -> dict[Any, str]: ...

    @property
    def started_at(self) -> str | None: ...

    @property
    def sender(self) -> Sender: ...


def kind_of(b: Tracked) -> str | None:
    """``message``, ``call`` (calls and conference participants), or None."""
    return tracked_kind(b.spec)


def _answers(b: Tracked) -> list[Event]:
    return [(str(o["sid"]), str(o.get("status") or "queued"), o.get("sent_at"), None)
            for o in b.outcomes if o["outcome"] == "sent" and o.get("sid")]


def _from_inbox(b: Tracked, kind: str, sids: set[str]) -> list[Event]:
    """The callbacks of ``sids`` whose signature was valid: a forged (403) request, and any
    row kept with ``verify=False`` (``signature_valid`` None), is not trusted."""
    df = b.status_callback.df
    sid_col, status_col = (("MessageSid", "MessageStatus") if kind == "message"
                           else ("CallSid", "CallStatus"))
    if sid_col not in df.columns or status_col not in df.columns \
            or "signature_valid" not in df.columns:
        return []
    df = df[[v is True or str(v) == "True" for v in df["signature_valid"]]]  # numpy bools too
    codes = df["ErrorCode"] if "ErrorCode" in df.columns else [None] * len(df)
    return [(str(s), str(st), t, c) for s, st, t, c in
            zip(df[sid_col], df[status_col], df["received_at"], codes, strict=True)
            if str(s) in sids and isinstance(st, str)]


def _from_list(b: Tracked, kind: str, sids: set[str]) -> list[Event]:
    import pandas as pd  # deferred: import twilio_nb stays without pandas

    started = b.started_at
    if not started:
        return []
    since = pd.Timestamp(started).tz_convert("UTC") - SKEW
    entity, operation, key = _LIST[kind]
    first = b.sender.basic(entity, operation, query={
        key: since.strftime("%Y-%m-%dT%H:%M:%SZ"), "PageSize": 1000})
    listed = first.all(progress=False)
    if not len(listed) or "sid" not in listed.columns:
        return []
    listed = listed[listed["sid"].astype(str).isin(sids)]
    events: list[Event] = []
    for rec in listed.to_dict("records"):
        sid, status = str(rec["sid"]), str(rec.get("status"))
        when = rec.get("date_updated")
        code = rec.get("error_code")
        events.append((sid, status, when, code))
        sent = rec.get("date_sent") if kind == "message" else rec.get("start_time")
        if sent is not None and not pd.isna(sent):
            events.append((sid, "sent" if kind == "message" else "in-progress", sent, None))
    return events


def _time(value: Any) -> Any:
    import pandas as pd  # deferred: see _from_list

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return pd.NaT
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def frame(b: Tracked) -> pd.DataFrame:
    """See the module's docstring."""
    import pandas as pd  # deferred: see _from_list

    kind = kind_of(b)
    if kind is None:
        raise ConfigurationError(
            f"Delivery is tracked for messages and calls; this batch is "
            f"{b.spec.identity()['operation']!r}.", field="operation")
    by_label = b.sids
    sids = set(by_label.values())
    events = _answers(b)
    if sids:
        inbox = b.status_callback is not None and hasattr(b.status_callback, "df")
        events += _from_inbox(b, kind, sids) if inbox else _from_list(b, kind, sids)
    ranks = MESSAGE_STATES if kind == "message" else CALL_STATES
    per_sid: dict[str, dict[str, Any]] = {}
    for event_sid, status, when, code in events:
        got = per_sid.setdefault(event_sid, {"states": {}, "code": None})
        stamp = _time(when)
        old = got["states"].get(status)
        if old is None or (not pd.isna(stamp) and (pd.isna(old) or stamp < old)):
            got["states"][status] = stamp
        if code is not None and not (isinstance(code, float) and pd.isna(code)) \
                and str(code).strip() not in ("", "None", "<NA>"):
            got["code"] = str(code).split(".")[0]
    order = sorted({s for v in per_sid.values() for s in v["states"]},
                   key=lambda s: (ranks.get(s, 5), s))
    rows = []
    for label in b.rows.index:
        sid: str | None = by_label.get(label)
        seen: dict[str, Any] | None = per_sid.get(sid or "")
        row: dict[str, Any] = {"sid": sid, "status": None, "status_at": pd.NaT,
                               "error_code": None}
        if seen:
            epoch = pd.Timestamp(0, tz="UTC")
            latest = max(seen["states"].items(), key=lambda kv: (
                ranks.get(kv[0], 5), kv[1] if not pd.isna(kv[1]) else epoch))
            row.update(status=latest[0], status_at=latest[1], error_code=seen["code"])
            for state in order:
                row[f"{state}_at"] = seen["states"].get(state, pd.NaT)
        rows.append(row)
    columns = ["sid", "status", "status_at", "error_code", *(f"{s}_at" for s in order)]
    out = pd.DataFrame(rows, index=b.rows.index, columns=columns)
    for name in columns:
        if name.endswith("_at"):
            out[name] = pd.to_datetime(out[name], utc=True)
    out["error_code"] = pd.to_numeric(out["error_code"], errors="coerce").astype("Int64")
    return out


def wait(b: Tracked, *, timeout: float = 60.0, poll: float | None = None) -> pd.DataFrame:
    """See :meth:`.result.Batch.wait`."""
    kind = kind_of(b)
    final = FINAL.get(kind or "", set())
    inbox = b.status_callback is not None and hasattr(b.status_callback, "df")
    pause = poll if poll is not None else (0.1 if inbox else 2.0)
    deadline = time.monotonic() + timeout
    while True:
        shown = frame(b)
        sent = shown[shown["sid"].notna()]
        open_rows = sent[~sent["status"].isin(final)]
        if not len(open_rows):
            return shown
        left = deadline - time.monotonic()
        if left <= 0:
            counts = open_rows["status"].fillna("no status").value_counts().to_dict()
            raise TimeoutError(
                f"{len(open_rows)} of {len(sent)} sent rows are not final after {timeout:g} s "
                f"({', '.join(f'{n} {s}' for s, n in counts.items())}); the batch's "
                ".delivery() shows where each is.")
        time.sleep(min(pause, left))
