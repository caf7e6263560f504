"""Rows whose fate is unknown, looked up before anything else is decided about them.

A row is ``unknown`` when its request may have reached Twilio without an answer coming back:
the connection was lost after sending, the response timeout fired, the process was killed
while it was out. Sending it again could text a real person twice, so it is not sent again
unless the caller says so (``resend_unknown=True``).

For Send Message, each unknown row is first looked for: one List Messages request per row,
``To`` the row's number and ``DateSent>=`` a minute before its intent (the sandbox compares a
message not yet sent by its creation date), oldest first; a message with the row's ``Body``
(and ``From`` or ``MessagingServiceSid``) created after that moment, and not claimed by another
row, is the row's: the row becomes ``sent`` with that SID, and its note says so. When none
is found the row stays ``unknown`` and its note says what was looked for. Other operations
are not looked up (there is no field to match a call or a participant by); their notes say so.

Imports: errors and the plan's types; the list goes through the :class:`~.plan.Sender`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from email.utils import parsedate_to_datetime
from typing import Any

from ..errors import TwilioError
from .plan import PlannedRow, Sender

__all__ = ["SKEW", "can_reconcile", "reconcile_row"]

SKEW = dt.timedelta(seconds=60)  # clocks of this machine and Twilio's may differ this much


def can_reconcile(row: PlannedRow) -> bool:
    """Send Message rows can be looked up (by To and Body)."""
    op = row.built.operation
    return (op is not None and op.id == "api_v2010.CreateMessage"
            and bool(row.field("To")) and row.built.method == "POST")


def _when(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError):
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None


def reconcile_row(sender: Sender, row: PlannedRow, intent: str | None,
                  claimed: Iterable[str]) -> tuple[dict[str, Any] | None, str]:
    """(the message found, or None; the note saying what was looked for and found)."""
    if not can_reconcile(row):
        return None, ("not looked up (only Send Message rows can be matched to what Twilio "
                      "holds); not sent again")
    since = (_when(intent) or dt.datetime.now(dt.UTC)) - SKEW
    since = since.astimezone(dt.UTC)
    to, body = row.field("To") or "", row.field("Body") or ""
    sender_id = row.field("From") or row.field("MessagingServiceSid")
    stamp = since.strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        listed = sender.basic("Message", "List Messages",
                              query={"To": to, "DateSent>": stamp, "PageSize": 50}).records
    except TwilioError as exc:
        return None, (f"looking it up failed ({str(exc).splitlines()[0]}); not sent again")
    taken = set(claimed)
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    for record in sorted(listed, key=lambda r: _when(r.get("date_created")) or oldest):
        created = _when(record.get("date_created"))
        if record.get("sid") in taken or (created is not None and created < since):
            continue
        if record.get("body") != body or record.get("to") != to:
            continue
        if sender_id and sender_id not in (record.get("from"),
                                           record.get("messaging_service_sid")):
            continue
        return record, (f"reconciled: Twilio holds {record.get('sid')} to {to} with this body, "
                        f"created {record.get('date_created')}; not sent again")
    return None, (f"no message to {to} with this body since {stamp} was found; not sent "
                  "again (resend_unknown=True sends it)")
