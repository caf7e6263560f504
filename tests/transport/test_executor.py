"""The executor over real sockets on 127.0.0.1: auth, timeouts, reuse, retries, errors, hosts."""

from __future__ import annotations

import base64
import gzip
import json
import socket
from collections.abc import Iterator

import pytest
from loopback import Loopback, Seen, full_backlog_port, json_reply

import twilio_nb as tw
from twilio_nb.session.credentials import UserCredentials
from twilio_nb.transport.retry import RetryEvent

ACCOUNT = "AC" + "1" * 32
KEY = "SK" + "2" * 32
SECRET = "key-secret-value-123"
TOKEN = "f" * 32
CALLS = f"/2010-04-01/Accounts/{ACCOUNT}/Calls.json"
EMPTY_CALLS = '{"calls": [], "next_page_uri": null, "page": 0, "page_size": 50}'


def conn_for(server: Loopback, **kw: object) -> tw.Connection:
    kw.setdefault("credential", UserCredentials(KEY, SECRET))
    kw.setdefault("account_sid", ACCOUNT)
    kw.setdefault("backoff_base_s", 0.01)
    return tw.Connection(server.url, **kw)  # type: ignore[arg-type]


def basic_user(seen: Seen) -> tuple[str, str]:
    scheme, _, token = seen.headers["Authorization"].partition(" ")
    assert scheme == "Basic"
    user, _, password = base64.b64decode(token).decode().partition(":")
    return user, password


def test_api_key_sends_key_and_secret_and_uses_the_account_sid(server: Loopback) -> None:
    server.route("/2010-04-01", lambda s: json_reply(200, EMPTY_CALLS))
    r = conn_for(server).basic("Call", "List Calls")
    assert r.status_code == 200
    assert basic_user(server.seen[0]) == (KEY, SECRET)
    assert server.seen[0].path.startswith(CALLS)


def test_auth_token_sends_account_sid_and_token(server: Loopback) -> None:
    server.route("/2010-04-01", lambda s: json_reply(200, EMPTY_CALLS))
    conn = conn_for(server, credential=UserCredentials(ACCOUNT, TOKEN), account_sid=None,
                    auth_type="auth_token")
    conn.basic("Call", "List Calls")
    assert basic_user(server.seen[0]) == (ACCOUNT, TOKEN)
    assert conn.account_sid == ACCOUNT


def test_auth_type_that_does_not_fit_the_credential_is_refused_before_sending() -> None:
    with pytest.raises(tw.ConfigurationError, match="Auth Token"):
        tw.Connection("http://127.0.0.1:9", auth_type="auth_token",
                      credential=UserCredentials(KEY, SECRET))


@pytest.mark.parametrize(("reuse", "connections"), [(True, 1), (False, 4)])
def test_reuse_connection_on_keeps_one_connection_off_opens_one_per_call(
        server: Loopback, reuse: bool, connections: int) -> None:
    server.route("/2010-04-01", lambda s: json_reply(200, EMPTY_CALLS))
    conn = conn_for(server, reuse_connection=reuse)
    for _ in range(4):
        conn.basic("Call", "List Calls")
    assert server.connections == connections


def test_response_timeout_says_which_timeout_and_its_value(server: Loopback) -> None:
    server.route("/2010-04-01", lambda s: "hang")
    conn = conn_for(server, response_timeout_ms=300, max_retries=0)
    with pytest.raises(tw.TwilioTimeoutError) as err:
        conn.basic("Call", "List Calls")
    assert err.value.which == "response"
    assert "Response Timeout" in str(err.value) and "300 ms" in str(err.value)


@pytest.fixture
def unaccepting_port() -> Iterator[int]:
    port, close = full_backlog_port()
    yield port
    close()


def test_connect_timeout_says_which_timeout_and_its_value(unaccepting_port: int) -> None:
    conn = tw.Connection(f"http://127.0.0.1:{unaccepting_port}", credential=UserCredentials(
        KEY, SECRET), account_sid=ACCOUNT, connection_timeout_ms=200, max_retries=0)
    with pytest.raises(tw.TwilioTimeoutError) as err:
        conn.basic("Call", "List Calls")
    assert err.value.which == "connect"
    assert "Connection Timeout" in str(err.value) and "200 ms" in str(err.value)


def test_connection_refused_is_a_clear_transport_error() -> None:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    conn = tw.Connection(f"http://127.0.0.1:{port}", credential=UserCredentials(KEY, SECRET),
                         account_sid=ACCOUNT, max_retries=1, backoff_base_s=0.01)
    with pytest.raises(tw.TransportError, match="Could not connect"):
        conn.basic("Call", "List Calls")


def _storm(n: int, retry_after: str | None) -> object:
    state = {"left": n}

    def handler(seen: Seen) -> tuple[int, dict[str, str], bytes]:
        if state["left"] > 0:
            state["left"] -= 1
            headers = {"Retry-After": retry_after} if retry_after else {}
            return json_reply(429, '{"code": 20429, "message": "Too Many Requests", '
                                   '"more_info": "https://www.twilio.com/docs/errors/20429", '
                                   '"status": 429}', **headers)
        if seen.method == "POST":
            return json_reply(201, '{"sid": "SM' + "a" * 32 + '", "status": "queued"}')
        return json_reply(200, EMPTY_CALLS)

    return handler


@pytest.mark.parametrize("retry_after", ["0.05", None])
def test_429_storm_is_retried_with_backoff_and_each_retry_reported(
        server: Loopback, retry_after: str | None) -> None:
    server.route("/2010-04-01", _storm(3, retry_after))  # type: ignore[arg-type]
    events: list[RetryEvent] = []
    conn = conn_for(server, on_retry=events.append, backoff_base_s=0.02)
    r = conn.basic("Call", "List Calls")
    assert r.status_code == 200
    assert [e.attempt for e in events] == [1, 2, 3]
    assert all(e.reason == "HTTP 429" for e in events)
    if retry_after:
        assert all(e.delay_s == pytest.approx(0.05) for e in events)
    else:
        assert all(0 <= e.delay_s <= 0.02 * 2 ** i for i, e in enumerate(events))
    assert conn.history["retries"].iloc[-1] == 3


def test_429_is_retried_even_for_a_post_since_twilio_did_not_process_it(server: Loopback) -> None:
    server.route("/2010-04-01", _storm(2, "0"))  # type: ignore[arg-type]
    r = conn_for(server).basic("Message", "Send Message",
                               body={"To": "+15005550006", "From": "+15005550006", "Body": "hi"})
    assert r.status_code == 201
    assert server.count("POST") == 3


def test_429_retries_are_bounded_and_the_error_says_so(server: Loopback) -> None:
    server.route("/2010-04-01", _storm(100, "0"))  # type: ignore[arg-type]
    with pytest.raises(tw.TwilioApiError) as err:
        conn_for(server, max_retries=2).basic("Call", "List Calls")
    assert err.value.status == 429 and err.value.code == 20429
    assert "gave up after 2 retries" in str(err.value)
    assert server.count("GET") == 3


def test_a_post_is_not_retried_on_500(server: Loopback) -> None:
    error = '{"code": 20500, "message": "Internal Server Error", "status": 500}'
    server.route("/2010-04-01", lambda s: json_reply(500, error))
    with pytest.raises(tw.TwilioApiError) as err:
        conn_for(server).basic("Message", "Send Message",
                               body={"To": "+15005550006", "From": "+15005550006", "Body": "x"})
    assert err.value.status == 500
    assert server.count("POST") == 1


def test_a_get_is_retried_on_503_until_it_succeeds(server: Loopback) -> None:
    state = {"n": 0}

    def flaky(seen: Seen) -> tuple[int, dict[str, str], bytes]:
        state["n"] += 1
        return json_reply(503, "{}") if state["n"] < 3 else json_reply(200, EMPTY_CALLS)

    server.route("/2010-04-01", flaky)
    assert conn_for(server).basic("Call", "List Calls").status_code == 200
    assert server.count("GET") == 3


def test_a_post_is_not_retried_when_the_connection_breaks_after_sending(server: Loopback) -> None:
    server.route("/2010-04-01", lambda s: "reset")
    with pytest.raises(tw.TransportError, match="broke before the answer"):
        conn_for(server).basic("Message", "Send Message",
                               body={"To": "+15005550006", "From": "+15005550006", "Body": "x"})
    assert server.count("POST") == 1


def test_twilio_json_error_becomes_twilio_api_error(server: Loopback) -> None:
    server.route("/2010-04-01", lambda s: json_reply(
        400, '{"code": 21211, "message": "The \'To\' number is not valid.", '
             '"more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}'))
    with pytest.raises(tw.TwilioApiError) as err:
        conn_for(server).basic("Call", "List Calls")
    e = err.value
    assert (e.status, e.code, e.more_info) == (400, 21211, "https://www.twilio.com/docs/errors/21211")
    assert "not valid" in e.message


def test_twilio_xml_error_becomes_twilio_api_error(server: Loopback) -> None:
    xml = (b"<?xml version='1.0' encoding='UTF-8'?><TwilioResponse><RestException>"
           b"<Code>20404</Code><Message>The requested resource was not found</Message>"
           b"<MoreInfo>https://www.twilio.com/docs/errors/20404</MoreInfo><Status>404</Status>"
           b"</RestException></TwilioResponse>")
    server.route("/2010-04-01", lambda s: (404, {"Content-Type": "application/xml"}, xml))
    with pytest.raises(tw.TwilioApiError) as err:
        conn_for(server).basic("Call", "List Calls", response_format="xml")
    assert (err.value.status, err.value.code) == (404, 20404)


@pytest.mark.parametrize(("body", "ctype", "expect"), [
    (b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
     "text/html", "HTML page ('502 Bad Gateway')"),
    (b"", "text/plain", "empty body"),
])
def test_html_or_empty_error_body_still_gives_a_clear_error(
        server: Loopback, body: bytes, ctype: str, expect: str) -> None:
    server.route("/2010-04-01", lambda s: (502, {"Content-Type": ctype}, body))
    with pytest.raises(tw.TwilioApiError) as err:
        conn_for(server, max_retries=0).basic("Call", "List Calls")
    assert err.value.status == 502 and expect in str(err.value)


def test_no_credentials_to_a_host_named_by_an_absolute_next_page_url(
        server: Loopback, other_server: Loopback) -> None:
    foreign = f"{other_server.url}/2010-04-01/Accounts/{ACCOUNT}/Calls.json?Page=1"
    server.route("/2010-04-01", lambda s: json_reply(
        200, '{"calls": [{"sid": "CA' + "0" * 32 + '"}], "next_page_uri": "' + foreign + '"}'))
    other_server.route("/", lambda s: json_reply(200, EMPTY_CALLS))
    first = conn_for(server).basic("Call", "List Calls")
    assert first.has_next_page
    with pytest.raises(tw.ConfigurationError, match="Refusing to send credentials"):
        first.next_page()
    with pytest.raises(tw.PagingError):
        first.all(progress=False)
    assert other_server.seen == []


def test_no_credentials_follow_a_redirect_to_another_host(
        server: Loopback, other_server: Loopback) -> None:
    server.route("/2010-04-01", lambda s: (302, {"Location": other_server.url + "/steal"}, b""))
    with pytest.raises(tw.TransportError, match="not followed"):
        conn_for(server).basic("Call", "List Calls")
    assert other_server.seen == []


def test_a_gzip_answer_is_read_decoded_and_capped_after_decoding(server: Loopback) -> None:
    """Twilio gzips its answers: the body a user gets is the decoded one, and the size cap
    counts decoded bytes (a small gzip can hold a huge body)."""
    calls = [{"sid": f"CA{n:032d}", "status": "completed", "to": "+14155550100"}
             for n in range(2000)]
    page = json.dumps({"calls": calls, "next_page_uri": None, "page": 0, "page_size": 2000})
    packed = gzip.compress(page.encode())
    server.route("/2010-04-01", lambda s: (200, {"Content-Type": "application/json",
                                                 "Content-Encoding": "gzip",
                                                 "X-Home-Region": "us1"}, packed))
    result = conn_for(server).basic("Call", "List Calls")
    assert result.content == page.encode() and len(result.df) == 2000
    shown = {name.lower(): value for name, value in result.headers.items()}
    assert shown["x-home-region"] == "us1" and "content-encoding" not in shown
    assert len(packed) < 2**16 < len(page)
    with pytest.raises(tw.TransportError, match=r"larger than 0\.0625 MB"):
        conn_for(server, max_response_bytes=2**16).basic("Call", "List Calls")


def test_a_same_host_redirect_is_followed(server: Loopback) -> None:
    server.route("/moved", lambda s: json_reply(200, EMPTY_CALLS))
    server.route("/2010-04-01", lambda s: (301, {"Location": "/moved"}, b""))
    assert conn_for(server).basic("Call", "List Calls").status_code == 200
    assert "Authorization" in server.seen[-1].headers


def test_a_next_page_uri_with_a_foreign_host_is_refused(
        server: Loopback, other_server: Loopback) -> None:
    with pytest.raises(tw.ConfigurationError):
        conn_for(server).basic("Call", "List Calls",
                               next_page_uri=other_server.url + "/2010-04-01/x.json")
    assert other_server.seen == []


def test_an_advanced_relative_url_naming_a_host_is_refused(
        server: Loopback, other_server: Loopback) -> None:
    netloc = other_server.url.split("//", 1)[1]
    with pytest.raises(tw.ConfigurationError):
        conn_for(server).advanced("GET", f"//{netloc}/x")
    assert other_server.seen == []


def test_trace_history_has_no_secret(server: Loopback) -> None:
    server.route("/2010-04-01", lambda s: json_reply(200, EMPTY_CALLS))
    conn = conn_for(server, trace=True)
    conn.basic("Call", "List Calls")
    text = conn.history.to_csv() + repr(conn)
    assert SECRET not in text and "Authorization" not in text
    assert conn.history["status"].tolist() == [200]
