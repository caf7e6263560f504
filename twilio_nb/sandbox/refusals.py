"""What Twilio refuses and the sandbox refuses alike, and the headers every answer carries.

- A ``To`` that cannot be a valid number for its country: 400 with 21211 (a message) or 21217
  (a call). Judged with the ``phonenumbers`` package (libphonenumber's rules: the country code
  exists and the length is possible for it), never by hand. Twilio's test numbers
  (``+15005550006``, ``+15005550001``, ...: https://www.twilio.com/docs/iam/test-credentials)
  are possible US numbers, so they keep behaving as ``behaviours`` documents.
- A ``MessagingServiceSid`` that is not an ``MG`` SID: 400 with 21705 ("The Messaging Service
  is invalid"); one the account does not have: 400 with 21701 ("The Messaging Service does
  not exist", https://www.twilio.com/docs/api/errors/21701). The account has the seeded
  service (``constants.MESSAGING_SERVICE_SID``) and those created under
  ``messaging.twilio.com/v1/Services``.
- Every answer carries ``Twilio-Concurrent-Requests`` (requests in flight, this one
  included) and ``Twilio-Request-Duration`` (seconds, three decimals), as Twilio's do.
"""

from __future__ import annotations

import re
import threading
from time import monotonic

from .constants import MESSAGING_SERVICE_SID
from .resources import ApiError
from .state_protocol import State

__all__ = ["InFlightCount", "check_service", "impossible_to", "twilio_headers"]

_MG = re.compile(r"^MG[0-9a-fA-F]{32}$")


def impossible_to(number: str) -> bool:
    """True when the E.164 ``number`` cannot be valid for its country (too short, too long,
    no such country code)."""
    import phonenumbers  # deferred: only a sent message or call needs it

    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return True
    return not phonenumbers.is_possible_number(parsed)


def check_service(app: State, sid: str) -> None:
    """Refuse a MessagingServiceSid that is malformed (21705) or unknown (21701)."""
    if not _MG.match(sid):
        raise ApiError(400, 21705, f"The Messaging Service Sid {sid} is invalid.")
    if sid == MESSAGING_SERVICE_SID:
        return
    services = app.store.find("messaging", ("v1", "Services"))
    if services is None or sid not in services:
        raise ApiError(400, 21701, f"The Messaging Service {sid} does not exist.")


class InFlightCount:
    """How many requests are in flight now (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = 0

    def enter(self) -> None:
        with self._lock:
            self.now += 1

    def leave(self) -> None:
        with self._lock:
            self.now = max(0, self.now - 1)


def twilio_headers(count: InFlightCount, read_at: float) -> list[tuple[str, str]]:
    """The headers Twilio puts on every answer about the request's handling."""
    return [("Twilio-Concurrent-Requests", str(max(1, count.now))),
            ("Twilio-Request-Duration", f"{monotonic() - read_at:.3f}")]
