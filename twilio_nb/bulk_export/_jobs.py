"""Jobs: the days without a file, made by Twilio on request.

One job for each run of consecutive days to ask for, over just those days (a form POST of
``StartDay``, ``EndDay``, ``FriendlyName``); ``Jobs/{JobSid}`` is polled every ``poll_s``
until every day of every job is done or ``timeout`` has passed. A job's ``details`` lists its
days by status (Submitted, Running, Completed, CompletedEmptyRecords, Failed).

The quota: an account and its subaccounts may ask for at most 366 days per UTC day. Twilio's
API does not tell how many are used, so the days this process asked for today (per account)
are counted here and a request beyond the quota is refused before it is sent, saying what is
left; Twilio's own refusal (a 4xx naming the limit) is shown as it came.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable
from typing import Any

from ..errors import ConfigurationError
from ._days import DayState
from ._link import JOB_LAG_DAYS, QUOTA_DAYS, Link, day_text

__all__ = ["DONE", "JobRun", "check_quota", "runs", "spent_today"]

#: a day's job status -> the day's status in x.days
DAY_STATUS = {"submitted": "requested", "running": "running", "completed": "available",
              "completedemptyrecords": "available", "failed": "failed"}
DONE = ("available", "failed")
_LOCK = threading.Lock()
_ASKED: dict[tuple[str, dt.date], int] = {}  # (account, UTC day) -> days asked for


def runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days as (first, last) runs."""
    out: list[tuple[dt.date, dt.date]] = []
    for day in sorted(days):
        if out and day == out[-1][1] + dt.timedelta(days=1):
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out


def spent_today(account: str | None, today: dt.date) -> int:
    with _LOCK:
        return _ASKED.get((account or "", today), 0)


def check_quota(account: str | None, wanted: int, today: dt.date) -> None:
    left = QUOTA_DAYS - spent_today(account, today)
    if wanted > left:
        raise ConfigurationError(
            f"This export would ask Twilio for {wanted} days, and {left} of today's "
            f"{QUOTA_DAYS} (UTC day {today}, for the account and its subaccounts) are left: "
            "export a shorter range, or create_jobs=False to take only the days that have "
            "a file.", field="until")


def check_job_range(last: dt.date, today: dt.date) -> None:
    latest = today - dt.timedelta(days=JOB_LAG_DAYS)
    if last > latest:
        raise ConfigurationError(
            f"until={last} is too recent for a Bulk Export job: its last day must be at least "
            f"{JOB_LAG_DAYS} days before the current UTC day ({today}), so {latest} at the "
            "latest. Give an earlier until, or create_jobs=False (days without a file stay "
            "missing; a list walk serves recent days).", field="until")


class JobRun:
    """The jobs of one export: sent, then polled."""

    def __init__(self, link: Link, resource: str, states: dict[dt.date, DayState]) -> None:
        self.link, self.resource, self.states = link, resource, states
        self.jobs: list[dict[str, Any]] = []

    def send(self, days: list[dt.date], today: dt.date) -> None:
        check_quota(self.link.account_sid, len(days), today)
        for first, last in runs(days):
            name = f"twilio_nb {self.resource} {day_text(first)}..{day_text(last)}"
            built = self.link.build_basic("Job", "Create Export Job", params={
                "ResourceType": self.resource}, body={"StartDay": day_text(first),
                                                       "EndDay": day_text(last),
                                                       "FriendlyName": name})
            answer = json.loads(self.link.execute(built).text)
            with _LOCK:
                key = (self.link.account_sid or "", today)
                _ASKED[key] = _ASKED.get(key, 0) + (last - first).days + 1
            sid = str(answer.get("job_sid") or "")
            self.jobs.append({"job_sid": sid, "start_day": day_text(first),
                              "end_day": day_text(last), "friendly_name": name,
                              "status": "Submitted", "days": (last - first).days + 1})
            for n in range((last - first).days + 1):
                state = self.states[first + dt.timedelta(days=n)]
                state.status, state.job_sid = "requested", sid

    def poll(self) -> bool:
        """Ask every unfinished job how it goes; True when every day is done."""
        for job in self.jobs:
            days = [s for s in self.states.values() if s.job_sid == job["job_sid"]]
            if all(s.status in DONE for s in days):
                continue
            built = self.link.build_basic("Job", "Get Job", params={"JobSid": job["job_sid"]})
            answer = json.loads(self.link.execute(built).text)
            self._apply(job, answer, days)
        return all(s.status in DONE for s in self.states.values() if s.job_sid)

    def _apply(self, job: dict[str, Any], answer: dict[str, Any], days: list[DayState]) -> None:
        statuses: set[str] = set()
        for detail in answer.get("details") or []:
            status = str(detail.get("status", ""))
            statuses.add(status)
            for text in detail.get("days") or []:
                for state in days:
                    if day_text(state.day) == str(text)[:10]:
                        state.status = DAY_STATUS.get(status.lower(), state.status)
                        if status.lower() == "completedemptyrecords":
                            state.records, state.size = 0, 0
        job["status"] = ", ".join(sorted(statuses)) or job["status"]
        if statuses and not statuses & {"Submitted", "Running"}:  # ended: a day left is lost
            for state in days:
                state.status = state.status if state.status in DONE else "failed"
        job["job_queue_position"] = answer.get("job_queue_position")

    def wait(self, poll_s: float, timeout: float | None,
             sleep: Callable[[float], None] = time.sleep) -> bool:
        """Poll until done or ``timeout`` seconds; True when every day is done."""
        started = time.monotonic()
        while not self.poll():
            left = None if timeout is None else timeout - (time.monotonic() - started)
            if left is not None and left <= 0:
                return False
            sleep(poll_s if left is None else min(poll_s, left))
        return True
