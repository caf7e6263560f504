"""Redirects, followed in one place (``Executor._redirected``): a 303 to a POST is a GET of
the target and the POST is never sent again, a 307 repeats the request with its body, a
redirect is no retry, and a loop stops after five hops."""

from __future__ import annotations

import json

import pytest
from loopback import Loopback, json_reply

import twilio_nb as tw
from twilio_nb.session.credentials import UserCredentials

ACCOUNT = "AC" + "a" * 32
CREATED = {"sid": "SM" + "1" * 32, "status": "queued"}


def conn_for(server: Loopback, **kw: object) -> tw.Connection:
    return tw.Connection(server.url, credential=UserCredentials(ACCOUNT, "token"),
                         auth_type="auth_token", backoff_base_s=0.01,
                         **kw)  # type: ignore[arg-type]


def test_a_303_to_a_post_is_a_get_of_the_target_and_the_post_is_sent_once(
        server: Loopback) -> None:
    server.route("/made", lambda s: json_reply(200, json.dumps(CREATED)))
    server.route("/2010-04-01", lambda s: (303, {"Location": "/made"}, b""))
    result = conn_for(server).advanced("POST", "/2010-04-01/Accounts/:AccountSid/Messages",
                                       body="To=%2B14155552671&Body=hi")
    assert result.records[0]["sid"] == CREATED["sid"]
    assert [(s.method, s.path) for s in server.seen] == [
        ("POST", f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"), ("GET", "/made")]
    assert server.seen[-1].body == b""


def test_a_307_repeats_the_post_with_its_body(server: Loopback) -> None:
    server.route("/again", lambda s: json_reply(201, json.dumps(CREATED)))
    server.route("/2010-04-01", lambda s: (307, {"Location": "/again"}, b""))
    conn_for(server).advanced("POST", "/2010-04-01/Accounts/:AccountSid/Messages",
                              body="To=%2B14155552671&Body=hi")
    assert [s.method for s in server.seen] == ["POST", "POST"]
    assert server.seen[0].body == server.seen[1].body == b"To=%2B14155552671&Body=hi"


def test_a_redirect_is_not_a_retry(server: Loopback) -> None:
    server.route("/b", lambda s: json_reply(200, json.dumps({"calls": [], "next_page_uri": None})))
    server.route("/a", lambda s: (302, {"Location": "/b"}, b""))
    server.route("/2010-04-01", lambda s: (301, {"Location": "/a"}, b""))
    conn = conn_for(server, max_retries=0)
    assert conn.basic("Call", "List Calls").status_code == 200
    assert conn.history["retries"].tolist() == [0]


def test_a_redirect_loop_stops_after_five_hops(server: Loopback) -> None:
    server.route("/2010-04-01", lambda s: (302, {"Location": s.path}, b""))
    with pytest.raises(tw.TransportError, match="more than 5 redirects"):
        conn_for(server).basic("Call", "List Calls")
    assert len(server.seen) == 6
