"""Bulk Export v1 in the sandbox, from its own store (``/v1/Exports/...``).

* ``Days``: every UTC day with records that ended two days or more before the sandbox's
  today has a file, made when the sandbox starts (Twilio makes each day's file once the day
  is old enough); a file is kept seven days of the sandbox clock, then it has expired (no
  longer listed, 404). ``meta`` paging: ``PageSize`` up to 1000, ``PageToken``.
* ``Days/{Day}``: 307 with ``redirect_to`` (and ``Location``): a signed link on the storage
  host (``storage.<host>``, or ``localhost`` for a loopback server), which the sandbox also
  answers, without credentials, with the day's gzip JSON lines (:mod:`.bulk_files`).
* ``Jobs``: a form POST of StartDay, EndDay, FriendlyName makes a job (``JS...``):
  Submitted, Running after one second, done after three on the sandbox clock: Completed for
  the days with records (their files made then), CompletedEmptyRecords for the others.
  EndDay must be two days before today (400); at most 366 days asked per UTC day (400, code
  20001: the sandbox's choice, Twilio's code is not documented).
* ``Configuration``: enabled, webhook_url, webhook_method (GET and POST).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from ..vocabulary import BULK_EXPORT_LEFT_OUT
from .bulk_files import DAY_S, StoredDayFiles
from .clock import iso8601
from .resources import ApiError
from .store import Store

__all__ = ["Answer", "BulkExports"]

Answer = tuple[int, list[tuple[str, str]], bytes]
API = re.compile(r"/v1/Exports(?:/(?P<resource>\w+))?(?P<rest>/.*)?")
STORAGE_PATH = "/bulkexports-files/"
KEPT_S = 7 * DAY_S
QUOTA = 366
JSON = [("Content-Type", "application/json; charset=utf-8")]


def _day(text: str) -> int:
    try:
        return dt.date.fromisoformat(text).toordinal() - dt.date(1970, 1, 1).toordinal()
    except ValueError:
        raise ApiError(400, 20001, f"Invalid day {text!r}: give YYYY-MM-DD") from None


def _text(day: int) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()


def _json(status: int, body: Any, headers: list[tuple[str, str]] | None = None) -> Answer:
    return status, JSON + (headers or []), json.dumps(body).encode()


@dataclass
class _Job:
    sid: str
    resource: str
    first: int
    last: int
    name: str
    at: float
    form: dict[str, str] = field(default_factory=dict)


class BulkExports:
    """The Bulk Export state of one sandbox: files made, jobs, quota, configuration."""

    def __init__(self, account: str, secret: str, started: float) -> None:
        self.files = StoredDayFiles(account)
        self._secret = secret.encode()
        self.started = started
        self.made: dict[tuple[str, int], float] = {}  # (resource, day) -> made at
        self.jobs: dict[str, _Job] = {}
        self.asked: dict[int, int] = {}  # UTC day -> days asked for by jobs
        self.config: dict[str, dict[str, Any]] = {}

    @staticmethod
    def claims(path: str) -> bool:
        return path.startswith(("/v1/Exports", STORAGE_PATH))

    def answer(self, method: str, path: str, query: list[tuple[str, str]], body: bytes,
               authorized: bool, base: str, host: str, now: float, store: Store) -> Answer:
        if path.startswith(STORAGE_PATH):
            return self._storage(path, query, now, store)
        if not authorized:
            raise ApiError(401, 20003, "Authentication Error - No credentials provided")
        found = API.fullmatch(path)
        resource, rest = (found["resource"], found["rest"] or "") if found else ("", "")
        form = dict(parse_qsl(body.decode("utf-8", "replace")))
        if resource == "Jobs":
            return self._job(method, rest.strip("/"), base, now, store)
        if resource not in BULK_EXPORT_LEFT_OUT:
            raise ApiError(404, 20404, f"The requested resource {path} was not found")
        url = f"{base}/v1/Exports/{resource}"
        if rest == "" and method == "GET":
            return _json(200, {"resource_type": resource, "url": url, "links": {
                "days": url + "/Days", "configuration": url + "/Configuration",
                "export_custom_jobs": url + "/Jobs"}})
        if rest == "/Configuration":
            return self._configuration(method, resource, form, url)
        if rest == "/Days" and method == "GET":
            return self._days(resource, dict(query), url, now, store)
        if rest.startswith("/Days/") and method == "GET":
            return self._link(resource, rest[6:], base, host, now, store)
        if rest == "/Jobs" and method == "POST":
            return self._create(resource, form, base, now, store)
        if rest == "/Jobs" and method == "GET":
            jobs = [self._job_body(j, base, now, store) for j in self.jobs.values()
                    if j.resource == resource]
            return _json(200, {"jobs": jobs, "meta": _meta("jobs", url + "/Jobs", 50, 0,
                                                           None)})
        raise ApiError(405, 20004, f"Method {method} not allowed on {path}")

    # -- days and files --------------------------------------------------------------------
    def _available(self, resource: str, now: float, store: Store) -> dict[int, tuple[float,
                                                                                     list[Any]]]:
        """day -> (made at, records) of the days whose file is there now."""
        self._complete(now, store)
        today = int(now // DAY_S)
        out: dict[int, tuple[float, list[Any]]] = {}
        for day, recs in self.files.by_day(store, resource).items():
            made = self.made.get((resource, day))
            if made is None and day <= today - 2:
                made = max(self.started, (day + 2) * DAY_S)  # made once the day was old
                made = self.made.setdefault((resource, day), made if made <= now else now)
            if made is not None and now - made <= KEPT_S:
                out[day] = (made, recs)
        return out

    def _days(self, resource: str, query: dict[str, str], url: str, now: float,
              store: Store) -> Answer:
        size = _int(query.get("PageSize", "50"), "PageSize", 1, 1000)
        start = _int(query.get("PageToken", "0"), "PageToken", 0, 10**9)
        days = sorted(self._available(resource, now, store).items())
        items = [{"day": _text(d), "size": len(self.files.file(resource, d, recs)),
                  "create_date": iso8601(made)[:10], "friendly_name": "sandbox export",
                  "resource_type": resource} for d, (made, recs) in days[start:start + size]]
        more = start + size < len(days)
        return _json(200, {"days": items, "meta": _meta(
            "days", url + "/Days", size, start, f"{url}/Days?PageSize={size}&PageToken="
            f"{start + size}" if more else None)})

    def _sign(self, path: str) -> str:
        return hmac.new(self._secret, path.encode(), hashlib.sha256).hexdigest()[:32]

    def _link(self, resource: str, text: str, base: str, host: str, now: float,
              store: Store) -> Answer:
        day = _day(text)
        if day not in self._available(resource, now, store):
            raise ApiError(404, 20404, f"No {resource} file for {text}: ask for it with a job "
                                       "(its file may have expired)")
        path = f"{STORAGE_PATH}{resource}/{text}.json.gz"
        scheme = base.split("://", 1)[0]
        name, _, port = host.partition(":")
        storage = ("localhost" if name in ("127.0.0.1", "localhost") else "storage." + name) \
            + (":" + port if port else "")
        link = f"{scheme}://{storage}{path}?Signature={self._sign(path)}"
        return _json(307, {"redirect_to": link}, [("Location", link)])

    def _storage(self, path: str, query: list[tuple[str, str]], now: float,
                 store: Store) -> Answer:
        if not hmac.compare_digest(dict(query).get("Signature", ""), self._sign(path)):
            return 403, [("Content-Type", "application/xml")], \
                b"<Error><Code>AccessDenied</Code></Error>"
        resource, _, name = path[len(STORAGE_PATH):].partition("/")
        found = self._available(resource, now, store).get(_day(name[:10])) \
            if resource in BULK_EXPORT_LEFT_OUT else None
        if found is None:
            return 404, [("Content-Type", "application/xml")], \
                b"<Error><Code>NoSuchKey</Code></Error>"
        body = self.files.file(resource, _day(name[:10]), found[1])
        return 200, [("Content-Type", "binary/octet-stream")], body

    # -- configuration -----------------------------------------------------------------------
    def _configuration(self, method: str, resource: str, form: dict[str, str],
                       url: str) -> Answer:
        conf = self.config.setdefault(resource, {"enabled": True, "webhook_url": None,
                                                 "webhook_method": None})
        if method == "POST":
            if "Enabled" in form:
                conf["enabled"] = form["Enabled"].strip().lower() == "true"
            for key, name in (("WebhookUrl", "webhook_url"), ("WebhookMethod",
                                                               "webhook_method")):
                if key in form:
                    conf[name] = form[key]
        return _json(200, {**conf, "resource_type": resource, "url": url + "/Configuration"})

    # -- jobs ----------------------------------------------------------------------------------
    def _create(self, resource: str, form: dict[str, str], base: str, now: float,
                store: Store) -> Answer:
        for name in ("StartDay", "EndDay", "FriendlyName"):
            if not form.get(name):
                raise ApiError(400, 20001, f"Missing required parameter {name} in the post body")
        first, last = _day(form["StartDay"]), _day(form["EndDay"])
        today = int(now // DAY_S)
        if last > today - 2 or last < first:
            raise ApiError(400, 20001, "EndDay must be on or after StartDay and at least two "
                                       "days before the current UTC day")
        wanted = last - first + 1
        if self.asked.get(today, 0) + wanted > QUOTA:
            left = QUOTA - self.asked.get(today, 0)
            raise ApiError(400, 20001, f"Bulk Export quota exceeded: {left} of {QUOTA} days "
                                       "left for today (UTC)")
        self.asked[today] = self.asked.get(today, 0) + wanted
        job = _Job("JS" + uuid.uuid4().hex, resource, first, last, form["FriendlyName"], now,
                   form)
        self.jobs[job.sid] = job
        return _json(201, self._job_body(job, base, now, store))

    def _job(self, method: str, sid: str, base: str, now: float, store: Store) -> Answer:
        job = self.jobs.get(sid)
        if job is None:
            raise ApiError(404, 20404, f"The requested resource /v1/Exports/Jobs/{sid} was "
                                       "not found")
        if method == "DELETE":
            del self.jobs[sid]
            return 204, [], b""
        if method != "GET":
            raise ApiError(405, 20004, f"Method {method} not allowed on a job")
        self._complete(now, store)
        return _json(200, self._job_body(job, base, now, store))

    def _complete(self, now: float, store: Store) -> None:
        """Jobs done by ``now`` make their days' files (once)."""
        for job in self.jobs.values():
            done = job.at + 3
            if now >= done:
                for day in range(job.first, job.last + 1):
                    key = (job.resource, day)
                    if key not in self.made or self.made[key] < job.at:
                        self.made[key] = done

    def _job_body(self, job: _Job, base: str, now: float, store: Store) -> dict[str, Any]:
        elapsed = now - job.at
        days = list(range(job.first, job.last + 1))
        if elapsed >= 3:
            full = set(self.files.by_day(store, job.resource))
            done = [d for d in days if d in full]
            empty = [d for d in days if d not in full]
            details = [{"status": s, "count": len(ds), "days": [_text(d) for d in ds]}
                       for s, ds in (("Completed", done), ("CompletedEmptyRecords", empty)) if ds]
        else:
            status = "Submitted" if elapsed < 1 else "Running"
            details = [{"status": status, "count": len(days), "days": [_text(d) for d in days]}]
        return {"resource_type": job.resource, "friendly_name": job.name, "details": details,
                "start_day": _text(job.first), "end_day": _text(job.last), "job_sid": job.sid,
                "webhook_url": job.form.get("WebhookUrl"),
                "webhook_method": job.form.get("WebhookMethod"), "email": job.form.get("Email"),
                "url": f"{base}/v1/Exports/Jobs/{job.sid}",
                "job_queue_position": "0" if elapsed >= 1 else "1",
                "estimated_completion_time": iso8601(job.at + 3)}


def _int(text: str, name: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ApiError(400, 20001, f"Invalid {name} {text!r}") from None
    if not low <= value <= high:
        raise ApiError(400, 20001, f"{name} must be from {low} to {high}")
    return value


def _meta(key: str, url: str, size: int, start: int, following: str | None) -> dict[str, Any]:
    return {"page": start // size, "page_size": size, "first_page_url": f"{url}?PageSize={size}",
            "previous_page_url": None, "url": url, "next_page_url": following, "key": key}
