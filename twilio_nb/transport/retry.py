"""The retry policy: when a failed attempt is sent again, and how long to wait first.

A 429 (Twilio error 20429) is retried for any method, since Twilio did not process it; so is
a connection that failed before the request was sent. A 5xx, a read timeout or a connection
lost after sending are retried only for idempotent methods (:data:`IDEMPOTENT`): a POST is
never sent twice. Backoff is exponential with full jitter, ``Retry-After`` is honoured, and
both the count and the total time are bounded (:class:`RetryPolicy`).

Imports nothing of twilio_nb but errors: no request, no convert, no paging or above.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx

from ..errors import TwilioError

__all__ = [
    "IDEMPOTENT",
    "RetryEvent",
    "RetryPolicy",
    "RetryableError",
    "not_resent",
    "noted",
    "retry_after_s",
]

IDEMPOTENT = {"GET", "DELETE", "HEAD", "OPTIONS"}


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 5
    retry_budget_s: float = 60.0
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        if retry_after is not None:
            return max(0.0, min(retry_after, self.backoff_max_s))
        cap = min(self.backoff_max_s, self.backoff_base_s * (2 ** attempt))
        return rng.uniform(0, cap)  # full jitter


@dataclass(frozen=True)
class RetryEvent:
    attempt: int  # 1 for the first retry
    reason: str
    delay_s: float
    method: str
    url: str


def retry_after_s(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


class RetryableError(Exception):
    def __init__(self, reason: str, before_send: bool, error: TwilioError) -> None:
        super().__init__(reason)
        self.reason = reason
        self.before_send = before_send
        self.error = error


def not_resent(method: str) -> str:
    if method in IDEMPOTENT:
        return ""
    return (f"twilio_nb did not send this {method} again: Twilio may have made the change. "
            "Check (e.g. list the resource) before sending it again.")


def noted(error: TwilioError, note: str) -> TwilioError:
    """``error`` with a line of advice added to its message (its type and fields kept)."""
    if note:
        error.args = (f"{error}\n{note}",)
    return error
