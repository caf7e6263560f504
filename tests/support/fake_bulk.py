"""A fake Twilio Bulk Export API behind ``httpx.MockTransport``, written from Twilio's spec
(twilio_bulkexports_v1.json: the paths, ``meta`` paging, the 307 ``redirect_to``, a job's
``details``) and its docs (twilio.com/docs/usage/bulkexport: gzip JSON lines, records like
the Message resource with UTC ISO 8601 dates and without ``price_unit``, ``uri``,
``subresource_uris``, ``api_version``, ``error_message``: twilio.com/docs/usage/bulkexport/day).

It also answers List Messages (api.twilio.com) with the same messages as the 2010 API writes
them (RFC 2822 dates, every field), so a test can compare the two frames. Every request is
kept in ``seen`` with its headers; the storage host is ``STORAGE``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import httpx

ACCOUNT = "AC" + "a" * 32
BULK = "https://bulkexports.twilio.com"
STORAGE = "twilio-exports-fake.s3.amazonaws.com"
HIDDEN = ("price_unit", "uri", "subresource_uris", "api_version", "error_message")


def message(day: dt.date, n: int) -> dict[str, Any]:
    """One message of ``day`` as the 2010 API's JSON has it (dates as datetimes here)."""
    sent = dt.datetime(day.year, day.month, day.day, 10, n % 60, 7, tzinfo=dt.UTC)
    sid = f"SM{day:%Y%m%d}{n:024d}"
    return {"account_sid": ACCOUNT, "api_version": "2010-04-01", "body": f"hello {n}",
            "date_created": sent, "date_sent": sent, "date_updated": sent,
            "direction": "outbound-api", "error_code": 30003 if n % 5 == 0 else None,
            "error_message": "Unreachable" if n % 5 == 0 else None, "from": "+15005550006",
            "messaging_service_sid": None, "num_media": "0", "num_segments": "1",
            "price": "-0.00750", "price_unit": "USD", "sid": sid,
            "status": "undelivered" if n % 5 == 0 else "delivered",
            "subresource_uris": {"media": f"/2010-04-01/Accounts/{ACCOUNT}/Messages/{sid}/"
                                          "Media.json"},
            "to": f"+1415555{n:04d}", "uri": f"/2010-04-01/Accounts/{ACCOUNT}/Messages/{sid}.json"}


def _iso(value: Any) -> Any:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(value, dt.datetime) else value


def _rfc(value: Any) -> Any:
    return email.utils.format_datetime(value) if isinstance(value, dt.datetime) else value


def day_file(records: list[dict[str, Any]]) -> bytes:
    """A day's file as Twilio writes it: gzip JSON lines, ISO dates, four fields left out."""
    lines = [json.dumps({k: _iso(v) for k, v in r.items() if k not in HIDDEN})
             for r in records]
    return gzip.compress("".join(line + "\n" for line in lines).encode())


@dataclass
class FakeBulk:
    """Days ``have`` files; every day of ``records`` can be made by a job."""

    records: dict[dt.date, list[dict[str, Any]]]
    have: set[dt.date]
    page_size_cap: int = 400
    cut_once: set[dt.date] = field(default_factory=set)  # served cut short the first time
    polls_to_finish: int = 2
    seen: list[httpx.Request] = field(default_factory=list)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    served: dict[str, int] = field(default_factory=dict)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if request.url.host == STORAGE:
            return self._storage(request)
        path = request.url.path
        routes: list[tuple[str, str, Callable[..., httpx.Response]]] = [
            ("GET", r"/v1/Exports/(\w+)/Days", self._days),
            ("GET", r"/v1/Exports/(\w+)/Days/([0-9-]+)", self._day),
            ("POST", r"/v1/Exports/(\w+)/Jobs", self._create_job),
            ("GET", r"/v1/Exports/Jobs/(JS\w+)", self._job),
            ("GET", r"/2010-04-01/Accounts/(AC\w+)/Messages.json", self._messages),
        ]
        for method, pattern, handler in routes:
            found = re.fullmatch(pattern, path)
            if found and request.method == method:
                return handler(request, *found.groups())
        return httpx.Response(404, json={"code": 20404, "message": "not found", "status": 404})

    # -- Days ------------------------------------------------------------------------------
    def _days(self, request: httpx.Request, resource: str) -> httpx.Response:
        size = min(int(request.url.params.get("PageSize", 50)), self.page_size_cap)
        start = int(request.url.params.get("PageToken", 0))
        days = sorted(self.have)
        page = days[start:start + size]
        more = start + size < len(days)
        url = f"{BULK}/v1/Exports/{resource}/Days"
        items = [{"day": d.isoformat(), "size": len(day_file(self.records[d])),
                  "create_date": dt.datetime.now(dt.UTC).date().isoformat(),
                  "friendly_name": "export", "resource_type": resource} for d in page]
        meta = {"page": start // size, "page_size": size, "first_page_url": url,
                "previous_page_url": None, "url": url, "key": "days",
                "next_page_url": f"{url}?PageSize={size}&PageToken={start + size}"
                if more else None}
        return httpx.Response(200, json={"days": items, "meta": meta})

    def _day(self, request: httpx.Request, resource: str, day: str) -> httpx.Response:
        when = dt.date.fromisoformat(day)
        if when not in self.have:
            return httpx.Response(404, json={"code": 20404, "message": "not found"})
        link = f"https://{STORAGE}/{ACCOUNT}/{resource}/{day}.json.gz?X-Amz-Signature=abc"
        return httpx.Response(307, json={"redirect_to": link}, headers={"Location": link})

    def _storage(self, request: httpx.Request) -> httpx.Response:
        day = dt.date.fromisoformat(request.url.path.rsplit("/", 1)[1][:10])
        body = day_file(self.records[day])
        self.served[day.isoformat()] = self.served.get(day.isoformat(), 0) + 1
        if day in self.cut_once and self.served[day.isoformat()] == 1:
            body = body[: len(body) // 2]
        return httpx.Response(200, content=body,
                              headers={"Content-Type": "binary/octet-stream"})

    # -- Jobs ------------------------------------------------------------------------------
    def _create_job(self, request: httpx.Request, resource: str) -> httpx.Response:
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        sid = f"JS{len(self.jobs) + 1:032x}"
        first, last = dt.date.fromisoformat(form["StartDay"]), dt.date.fromisoformat(
            form["EndDay"])
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        self.jobs[sid] = {"form": form, "days": days, "polls": 0, "resource": resource}
        return httpx.Response(201, json=self._job_body(sid))

    def _job_body(self, sid: str) -> dict[str, Any]:
        job = self.jobs[sid]
        polls = job["polls"]
        status = ("Submitted" if polls == 0 else "Running" if polls < self.polls_to_finish
                  else "Completed")
        days = [d.isoformat() for d in job["days"]]
        if status == "Completed":
            details = [{"status": "Completed", "count": 1,
                        "days": [d for d in days if self.records.get(dt.date.fromisoformat(d))]},
                       {"status": "CompletedEmptyRecords", "count": 1,
                        "days": [d for d in days
                                 if not self.records.get(dt.date.fromisoformat(d))]}]
        else:
            details = [{"status": status, "count": len(days), "days": days}]
        return {"job_sid": sid, "resource_type": job["resource"],
                "friendly_name": job["form"]["FriendlyName"],
                "start_day": job["form"]["StartDay"], "end_day": job["form"]["EndDay"],
                "details": details, "webhook_url": None, "webhook_method": None,
                "email": None, "url": f"{BULK}/v1/Exports/Jobs/{sid}",
                "job_queue_position": "1", "estimated_completion_time": None}

    def _job(self, request: httpx.Request, sid: str) -> httpx.Response:
        job = self.jobs[sid]
        job["polls"] += 1
        body = self._job_body(sid)
        if job["polls"] >= self.polls_to_finish:
            self.have.update(d for d in job["days"] if self.records.get(d))
        return httpx.Response(200, json=body)

    # -- List Messages, as the 2010 API writes it ----------------------------------------------
    def _messages(self, request: httpx.Request, account: str) -> httpx.Response:
        every = [{k: _rfc(v) for k, v in r.items()}
                 for day in sorted(self.records) for r in self.records[day]]
        return httpx.Response(200, json={"messages": every, "next_page_uri": None, "page": 0,
                                         "page_size": len(every), "uri": request.url.path})
