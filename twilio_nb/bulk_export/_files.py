"""A day's file: ``Days/{Day}`` answers 307 to a signed URL on a storage host; the file there
is gzip JSON lines, read by ``pyarrow.json`` in blocks and typed by the catalog.

* The 307 is followed here, for this API only (the executor follows no redirect to a host
  that is not Twilio's): ``redirect_to`` in the body, else ``Location``; an http(s) URL
  (Twilio's are https; the sandbox's storage host is http, and a replayed recording of it).
* The storage GET goes through the connection's transport (the one network seam) with no
  Authorization, no cookie and no Twilio header: a plain :class:`httpx.Request` holding
  nothing but ``Accept``.
* The body is written to a temporary file as it comes (memory stays bounded), its length
  checked against ``Content-Length``; a file cut short or corrupt (gzip's end marker and CRC,
  JSON) is fetched again once, then :class:`~twilio_nb.errors.ResponseFormatError` names
  the day. A GET is safe to send again.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import httpx
import pyarrow as pa
import pyarrow.json as pj

from ..errors import ResponseFormatError, TransportError, TwilioApiError
from ..transport.executor import basic_auth_header, http_timeout
from ._link import Link, day_text

__all__ = ["DayFiles", "read_lines"]

GZIP_MAGIC = b"\x1f\x8b"


class _CutError(Exception):
    """A day's file that came short or does not read: worth one more GET."""


class DayFiles:
    """Fetches day files for one export through ``transport`` (None: httpx's own)."""

    def __init__(self, link: Link, transport: httpx.BaseTransport | None, resource: str,
                 folder: Path, schema: pa.Schema | None = None) -> None:
        self.link, self.resource, self.folder, self.schema = link, resource, folder, schema
        self._own = transport is None
        self._client = httpx.Client(transport=transport, follow_redirects=False,
                                    timeout=http_timeout(link.connection_timeout_ms,
                                                         link.response_timeout_ms))
        self.fetches: dict[str, int] = {}

    def close(self) -> None:
        if self._own:  # a connection's transport is the connection's to close
            self._client.close()

    def table(self, day: dt.date) -> pa.Table:
        """The day's records as an Arrow table; fetched again once when cut short."""
        problem = ""
        for _ in range(2):
            self.fetches[day_text(day)] = self.fetches.get(day_text(day), 0) + 1
            path = self.folder / f"{self.resource}-{day_text(day)}.json.gz"
            try:
                self._download(self.location(day), path)
                return read_lines(path, self.schema)
            except _CutError as exc:
                problem = str(exc)
            finally:
                path.unlink(missing_ok=True)
        raise ResponseFormatError(
            f"The Bulk Export file of {self.resource} for {day_text(day)} was cut short or "
            f"corrupt twice ({problem}); nothing of that day is in the frame. Try again later.")

    def location(self, day: dt.date) -> httpx.URL:
        """GET ``Days/{Day}`` with the connection's credentials; its 307 names the file."""
        built = self.link.build_basic("Day", "Get Export Day", params={
            "ResourceType": self.resource, "Day": day_text(day)})
        request = built.to_httpx()
        if not self.link.is_trusted(request.url):
            raise TransportError(f"Refusing to send credentials to {request.url.host}.")
        if not self.link.replay:
            user = self.link.credentials
            request.headers["Authorization"] = basic_auth_header(user.user, user.password)
        response = self._send(request, f"the Bulk Export day {day_text(day)}")
        if response.status_code == 429 or response.status_code >= 500:
            raise _CutError(f"Bulk Export answered {response.status_code} for the day's link")
        if response.status_code != 307:
            raise _api_error(response, built.url, day)
        target = _redirect(response, request.url)
        return target

    def _send(self, request: httpx.Request, what: str) -> httpx.Response:
        try:
            response = self._client.send(request)
        except httpx.HTTPError as exc:
            raise TransportError(f"Fetching {what} failed: {exc}") from None
        return response

    def _download(self, url: httpx.URL, path: Path) -> None:
        # built here, sent as it is: Client.send adds no default header and no cookie
        request = httpx.Request("GET", url, headers={"Accept": "*/*"})
        try:
            response = self._client.send(request, stream=True)
            try:
                self._save(response, path)
            finally:
                response.close()
        except httpx.HTTPError as exc:
            raise _CutError(f"the download broke: {exc}") from None

    def _save(self, response: httpx.Response, path: Path) -> None:
        if response.status_code >= 500:
            raise _CutError(f"the storage host answered {response.status_code}")
        if response.status_code != 200:
            raise TransportError(
                f"The storage host answered {response.status_code} for a {self.resource} "
                "file: its link may have expired; export again.")
        size = 0
        # as stored (gzip, whatever Content-Encoding says); an answer read whole already
        # (httpx.MockTransport's) is taken as it is
        chunks = [response.content] if response.is_stream_consumed else response.iter_raw()
        with path.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
                size += len(chunk)
        expected = response.headers.get("content-length")
        if expected is not None and expected.isdigit() and int(expected) != size:
            raise _CutError(f"{size} of {expected} bytes came")


def _redirect(response: httpx.Response, own: httpx.URL) -> httpx.URL:
    target = ""
    try:
        body = json.loads(response.content or b"{}")
        target = str(body.get("redirect_to") or "") if isinstance(body, dict) else ""
    except ValueError:
        pass
    target = target or response.headers.get("location", "")
    try:
        url = own.join(target) if target else None
    except (httpx.InvalidURL, ValueError):
        url = None
    if url is None or url.scheme not in ("https", "http") or not url.host:
        shown = target.split("?", 1)[0][:80]  # a signed link's query is a secret
        raise TransportError(f"Bulk Export's 307 names no usable file link ({shown!r}).")
    return url


def _api_error(response: httpx.Response, url: str, day: dt.date) -> Exception:
    if response.status_code < 400:
        return TransportError(f"Bulk Export answered {response.status_code} for the day "
                              f"{day_text(day)} where it answers 307 with the file's link.")
    from ..transport.response import error_from_response
    error: TwilioApiError = error_from_response(response, "GET", url)
    return error


def read_lines(path: Path, schema: pa.Schema | None = None) -> pa.Table:
    """A file of JSON lines (gzip or plain) as an Arrow table, the fields of ``schema`` read
    as it says (others inferred); a file whose values do not fit it is read again without
    it. Raises :class:`_CutError` when the file is cut short or is not JSON lines."""
    with path.open("rb") as head:
        magic = head.read(2)
    compression = "gzip" if magic == GZIP_MAGIC else None
    try:
        if schema is not None:
            try:
                return _read(path, compression, schema)
            except pa.ArrowInvalid as exc:
                if "changed from" not in str(exc) and "convert" not in str(exc):
                    raise
        return _read(path, compression, None)
    except pa.ArrowInvalid as exc:
        if str(exc).startswith("Empty JSON file") and _empty(path, compression):
            return pa.table({})  # a day without records
        raise _CutError(str(exc).splitlines()[0]) from None
    except (OSError, EOFError) as exc:
        raise _CutError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None


def _empty(path: Path, compression: str | None) -> bool:
    with pa.input_stream(str(path), compression=compression) as stream:
        return not stream.read(1)


def _read(path: Path, compression: str | None, schema: pa.Schema | None) -> pa.Table:
    options = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="infer")
    with pa.input_stream(str(path), compression=compression) as stream:
        return pj.read_json(stream, parse_options=options)  # blocks of 1 MB, in threads
