"""Credentials go to the connection's own hosts only: never to a host named by a next-page
URL, a redirect, an Advanced Relative URL or a Next Page URI.

Two ways of watching: over real sockets, a second loopback server (``other_server``) stands
for the attacker's host and records what it receives (it must receive nothing, and so never an
``Authorization`` header); for a Twilio Address, whose hosts cannot be on loopback, an httpx
``MockTransport`` records every request that would leave, with its host and its header.
(test_executor holds the first cases of each kind; this file adds the tricks.)
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from loopback import Loopback, json_reply
from reporting import report

import twilio_nb as tw
from twilio_nb.session.credentials import UserCredentials

ACCOUNT = "AC" + "1" * 32
KEY = "SK" + "2" * 32
SECRET = "hosts-test-secret-0123456789"
CALLS = f"/2010-04-01/Accounts/{ACCOUNT}/Calls.json"
CALL = {"sid": "CA" + "0" * 32, "to": "+14155552671", "status": "completed"}
PROPERTY_EXAMPLES = 150
pytestmark = pytest.mark.filterwarnings("ignore::twilio_nb.errors.TwilioWarning")
RUN: dict[str, int] = {"property cases": 0}


def calls_page(next_uri: str | None) -> str:
    return json.dumps({"calls": [CALL], "next_page_uri": next_uri, "page": 0,
                       "page_size": 1, "uri": CALLS})


def conn_for(address: str, transport: httpx.BaseTransport | None = None,
             **kw: object) -> tw.Connection:
    return tw.Connection(address, credential=UserCredentials(KEY, SECRET), account_sid=ACCOUNT,
                         transport=transport, backoff_base_s=0.01, max_retries=1,
                         **kw)  # type: ignore[arg-type]


def netloc(server: Loopback) -> str:
    return server.url.split("//", 1)[1]


def no_credentials_reached(other: Loopback) -> None:
    assert other.seen == [], f"the foreign host was contacted: {other.seen}"
    assert not any("authorization" in {k.lower() for k in s.headers} for s in other.seen)


# -- real sockets: the Address is a loopback server, the attacker another one ------------------

@pytest.mark.parametrize("foreign", [
    "http://{other}{calls}?Page=1",          # absolute, another host
    "//{other}{calls}?Page=1",               # scheme-relative
    "http://{own}@{other}{calls}?Page=1",    # the own host as user-info
    "http://{own}%2F@{other}{calls}",        # an encoded slash in the user-info
    "HTTP://{other}{calls}",                 # upper case
    "http://localhost:{port}{calls}",        # the same machine by another name
    "http://127.0.0.1.:{port}{calls}",       # a trailing dot
    "https://{own}{calls}",                  # the own host, another scheme
    " http://{other}{calls}",                # leading blank
])
def test_a_next_page_uri_naming_another_host_gets_no_credentials(
        server: Loopback, other_server: Loopback, foreign: str) -> None:
    uri = foreign.format(own=netloc(server), other=netloc(other_server), calls=CALLS,
                         port=netloc(other_server).rsplit(":", 1)[1])
    server.route("/2010-04-01", lambda s: json_reply(200, calls_page(uri)))
    other_server.route("/", lambda s: json_reply(200, calls_page(None)))
    first = conn_for(server.url).basic("Call", "List Calls")
    assert first.has_next_page
    with pytest.raises(tw.TwilioError):
        first.next_page()
    with pytest.raises(tw.PagingError) as err:
        first.all(progress=False)
    assert err.value.records_fetched == 1, "the first page is kept"
    with pytest.raises(tw.TwilioError):
        list(first.pages())
    no_credentials_reached(other_server)
    assert all("Authorization" in s.headers for s in server.seen)


@pytest.mark.parametrize("shape", ["2010-json", "2010-xml", "product-json", "link-header"])
def test_every_paging_style_refuses_a_foreign_next_page(
        server: Loopback, other_server: Loopback, shape: str) -> None:
    """The three paging styles, and a ``Link`` header, during ``.all()``."""
    other = f"{other_server.url}/v1/Conversations?PageSize=1&Page=1"
    if shape == "2010-xml":
        body = (f'<TwilioResponse><Calls page="0" pagesize="1" nextpageuri="'
                f'{other.replace("&", "&amp;")}">'
                f"<Call><Sid>{CALL['sid']}</Sid></Call></Calls></TwilioResponse>").encode()
        server.route("/", lambda s: (200, {"Content-Type": "application/xml"}, body))
        first = conn_for(server.url).basic("Call", "List Calls", response_format="xml")
    elif shape == "product-json":
        page = {"conversations": [{"sid": "CH" + "0" * 32}], "meta": {
            "page": 0, "page_size": 1, "key": "conversations", "next_page_url": other}}
        server.route("/", lambda s: json_reply(200, json.dumps(page)))
        first = conn_for(server.url).basic(
            "Conversation", "List Conversations (conversations: /v1/Conversations)")
    elif shape == "link-header":
        csv = f"Sid,To\n{CALL['sid']},+14155552671\n".encode()
        server.route("/", lambda s: (200, {"Content-Type": "text/csv",
                                           "Link": f'<{other}>; rel="next"'}, csv))
        first = conn_for(server.url).basic("Call", "List Calls", response_format="csv")
    else:
        server.route("/", lambda s: json_reply(200, calls_page(other)))
        first = conn_for(server.url).basic("Call", "List Calls")
    assert first.next_page_uri == other
    with pytest.raises(tw.PagingError, match="Refusing to send credentials") as err:
        first.all(progress=False)
    assert err.value.records_fetched == 1
    no_credentials_reached(other_server)


def test_a_redirect_chain_is_followed_on_the_own_host_and_stops_at_a_foreign_one(
        server: Loopback, other_server: Loopback) -> None:
    server.route("/2010-04-01", lambda s: (302, {"Location": "/hop1"}, b""))
    server.route("/hop1", lambda s: (307, {"Location": f"{server.url}/hop2"}, b""))
    server.route("/hop2", lambda s: (301, {"Location": f"{other_server.url}/steal"}, b""))
    other_server.route("/", lambda s: json_reply(200, calls_page(None)))
    with pytest.raises(tw.TransportError, match="not followed"):
        conn_for(server.url).basic("Call", "List Calls")
    assert [s.path.split("?")[0] for s in server.seen] == [CALLS, "/hop1", "/hop2"]
    assert all("Authorization" in s.headers for s in server.seen)
    no_credentials_reached(other_server)


@pytest.mark.parametrize("location", [
    "//{other}/steal", "http://{own}@{other}/steal", "http://localhost:{port}/steal",
    "HTTP://{other}/steal", "https://{own}/steal", "http://[::1", "http://{other}\\@{own}/ok",
])
def test_a_redirect_to_another_host_by_any_spelling_is_not_followed(
        server: Loopback, other_server: Loopback, location: str) -> None:
    target = location.format(own=netloc(server), other=netloc(other_server),
                             port=netloc(other_server).rsplit(":", 1)[1])
    server.route("/ok", lambda s: json_reply(200, calls_page(None)))
    server.route("/2010-04-01", lambda s: (302, {"Location": target}, b""))
    other_server.route("/", lambda s: json_reply(200, calls_page(None)))
    try:
        conn_for(server.url).basic("Call", "List Calls")
    except tw.TransportError as exc:
        assert "not followed" in str(exc)
    else:  # a spelling that names the own host after all (user-info before it)
        assert server.seen[-1].path == "/ok"
    no_credentials_reached(other_server)


@pytest.mark.parametrize("relative", [
    "//{other}/x", "\\\\{other}\\x", "/\\{other}/x", "\\/{other}/x", "http://{other}/x",
    "HTTP://{other}/x", "%2F%2F{other}/x", "/%2F%2F{other}/x", "/..//{other}/x",
    " //{other}/x", "\t//{other}/x", "/x?next=http://{other}/x", "/x#@{other}",
    "@{other}/x", "{other}/x", "/\x00//{other}/x",
])
def test_an_advanced_relative_url_cannot_name_another_host(
        server: Loopback, other_server: Loopback, relative: str) -> None:
    url = relative.format(other=netloc(other_server))
    server.route("/", lambda s: json_reply(200, calls_page(None)))
    other_server.route("/", lambda s: json_reply(200, calls_page(None)))
    try:
        conn_for(server.url).advanced("GET", url)
    except tw.ConfigurationError as exc:
        assert exc.field == "Relative URL" or "Relative URL" in str(exc)
    except tw.TwilioError:
        pass  # sent to the own host, which answered something else
    else:
        assert len(server.seen) == 1
    no_credentials_reached(other_server)


@pytest.mark.parametrize("uri", [
    "//{other}/x", "\\\\{other}\\x", "http://{other}/x", "http://{own}@{other}/x",
    "HTTP://{other}/x", "{other}/x", "http:{other}/x", "https:/{other}/x",
])
def test_a_next_page_uri_field_with_another_host_is_refused_before_sending(
        server: Loopback, other_server: Loopback, uri: str) -> None:
    text = uri.format(own=netloc(server), other=netloc(other_server))
    other_server.route("/", lambda s: json_reply(200, calls_page(None)))
    with pytest.raises(tw.ConfigurationError) as err:
        conn_for(server.url).basic("Call", "List Calls", next_page_uri=text)
    assert err.value.field == "Next Page URI"
    assert server.seen == []
    no_credentials_reached(other_server)


# -- a Twilio Address: every request that would leave is recorded ------------------------------

@dataclass
class Recorder:
    """An httpx transport standing for the internet: it records each request's host, scheme,
    port and whether it carried credentials, and answers with ``reply``."""

    reply: Callable[[httpx.Request], httpx.Response]
    sent: list[tuple[str, str, int | None, bool]] = field(default_factory=list)

    def transport(self) -> httpx.MockTransport:
        def handle(request: httpx.Request) -> httpx.Response:
            url = request.url
            self.sent.append((url.scheme, url.host, url.port,
                              "authorization" in request.headers))
            return self.reply(request)

        return httpx.MockTransport(handle)

    def foreign_with_credentials(self) -> list[tuple[str, str, int | None, bool]]:
        return [s for s in self.sent if s[3] and not (
            s[0] == "https" and s[2] in (None, 443)
            and (s[1] == "twilio.com" or s[1].endswith(".twilio.com")))]


EVIL_NEXT = [
    "https://evil.twilio.com.attacker.example/2010-04-01/x.json",
    "https://api.twilio.com@evil.example/2010-04-01/x.json",
    "https://api.twilio.com%2F@evil.example/2010-04-01/x.json",
    "https://API.TWILIO.COM.evil.example/x",
    "https://twilio.com.evil.example/x",
    "https://eviltwilio.com/x",
    "https://api.twilio.com./x",
    "http://api.twilio.com/2010-04-01/x.json",          # downgrade to plain http
    "http://conversations.twilio.com/v1/Conversations",  # another Twilio host, plain http
    "https://api.twilio.com:8443/x",                    # another port
    "//evil.example/x",
    "https:/evil.example/x",
    "https://evil.example#.twilio.com/x",
    "https://evil.example?.twilio.com/x",
]


def _twilio(recorder: Recorder) -> tw.Connection:
    return conn_for("https://api.twilio.com", recorder.transport())


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_a_twilio_connection_sends_credentials_to_twilio_over_https_only(evil: str) -> None:
    rec = Recorder(lambda r: httpx.Response(200, json=json.loads(calls_page(evil))))
    first = _twilio(rec).basic("Call", "List Calls")
    with pytest.raises(tw.PagingError) as err:
        first.all(progress=False)
    assert err.value.records_fetched >= 1
    # "https:/evil.example/x" has no host: it is a path on api.twilio.com, and loops there
    assert {host for _, host, _, _ in rec.sent} == {"api.twilio.com"}
    assert rec.foreign_with_credentials() == []


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_a_twilio_redirect_to_anything_but_twilio_over_https_is_not_followed(evil: str) -> None:
    rec = Recorder(lambda r: httpx.Response(302, headers={"Location": evil}))
    with pytest.raises(tw.TransportError, match="not followed"):
        _twilio(rec).basic("Call", "List Calls")
    assert {host for _, host, _, _ in rec.sent} == {"api.twilio.com"}
    assert rec.foreign_with_credentials() == []


@pytest.mark.parametrize("ok", [
    "https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT + "/Calls.json?Page=1",
    "https://api.sydney.au1.twilio.com/2010-04-01/Accounts/" + ACCOUNT + "/Calls.json",
    "/2010-04-01/Accounts/" + ACCOUNT + "/Calls.json?Page=1&PageToken=PA1",
])
def test_twilio_hosts_over_https_do_get_the_next_page(ok: str) -> None:
    """The rule is not "refuse everything": Twilio's own hosts are followed."""
    pages = iter([calls_page(ok), calls_page(None)])
    rec = Recorder(lambda r: httpx.Response(200, json=json.loads(next(pages))))
    # sized by the user: all() walks from this page (an unsized first page is asked again
    # at PageSize=1000 first, see docs/paging.md)
    frame = _twilio(rec).basic("Call", "List Calls", query="PageSize=1").all(progress=False)
    assert len(frame) == 2 and len(rec.sent) == 2
    assert all(s[3] for s in rec.sent) and rec.foreign_with_credentials() == []


# -- property: whatever next-page address a server hands out -------------------------------------

_PIECES = st.sampled_from([
    "https://", "http://", "//", "\\\\", "/", "\\", "@", ":", "%2F", "%40", "#", "?", ".",
    "api.twilio.com", "evil.example", "twilio.com", ".twilio.com", "127.0.0.1", ":443",
    ":8443", "/2010-04-01/x.json", " ", "\t", "HTTPS://", "API.TWILIO.COM", "%00", "..",
])
_ADDRESSES = st.one_of(st.lists(_PIECES, min_size=1, max_size=8).map("".join),
                       st.text(max_size=40))


@pytest.fixture(scope="module", autouse=True)
def _report(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    report(request, f"hosts property: {RUN['property cases']} next-page addresses tried, "
           "0 credentials sent to a foreign host")


@settings(max_examples=PROPERTY_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(next_uri=_ADDRESSES)
@example(next_uri="https://:443https://")  # no URL at all: a clear error, not httpx's
@example(next_uri="https:/evil.example/x")
def test_no_next_page_address_takes_credentials_off_twilio(next_uri: str) -> None:
    RUN["property cases"] += 1
    rec = Recorder(lambda r: httpx.Response(200, json=json.loads(calls_page(next_uri))))
    first = _twilio(rec).basic("Call", "List Calls")
    with contextlib.suppress(tw.TwilioError):
        first.next_page()
    assert rec.foreign_with_credentials() == []


@settings(max_examples=PROPERTY_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(relative=_ADDRESSES, uri=_ADDRESSES)
@example(relative="/\x00//evil.example/x", uri="https://:443https://")
def test_no_relative_url_or_next_page_uri_takes_credentials_off_twilio(
        relative: str, uri: str) -> None:
    RUN["property cases"] += 1
    rec = Recorder(lambda r: httpx.Response(200, json=json.loads(calls_page(None))))
    conn = _twilio(rec)
    calls: list[Callable[[], object]] = [
        lambda: conn.advanced("GET", relative),
        lambda: conn.basic("Call", "List Calls", next_page_uri=uri)]
    for call in calls:
        with contextlib.suppress(tw.TwilioError):
            call()
    assert rec.foreign_with_credentials() == []
