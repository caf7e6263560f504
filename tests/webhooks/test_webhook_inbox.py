"""tw.inbox(): a loopback inbox that checks Twilio's signatures, answers TwiML and shows every
request as a row."""

from __future__ import annotations

import atexit
import socket
from collections.abc import Iterator

import httpx
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from twilio.request_validator import RequestValidator

import twilio_nb as tw
from twilio_nb import ConfigurationError
from twilio_nb.sandbox import AUTH_TOKEN, Sandbox
from twilio_nb.session.default import set_default_connection

TOKEN = "0123456789abcdef0123456789abcdef"
FORM = {"MessageSid": "SM123", "MessageStatus": "delivered", "To": "+14155550199"}


@pytest.fixture
def box() -> Iterator[tw.Inbox]:
    with tw.inbox(TOKEN) as inbox:
        yield inbox


def signed_post(url: str, form: dict[str, str], token: str = TOKEN,
                **headers: str) -> httpx.Response:
    sig = RequestValidator(token).compute_signature(url, form)
    return httpx.post(url, data=form, headers={"X-Twilio-Signature": sig, **headers})


def test_listens_on_loopback_and_takes_a_request_signed_by_request_validator(
        box: tw.Inbox) -> None:
    assert box.url.startswith("http://127.0.0.1:") and box.url.endswith("/")
    resp = signed_post(box.url + "status?id=7", FORM)
    assert resp.status_code == 200 and "<Response" in resp.text
    df = box.wait(1, timeout=5)
    row = df.iloc[0]
    assert list(df.columns[:6]) == ["received_at", "method", "path", "signature_valid",
                                    "status", "error"]
    assert (row["method"], row["path"], row["signature_valid"], row["status"]) == (
        "POST", "/status?id=7", True, 200)
    assert row["MessageStatus"] == "delivered" and row["id"] == "7"
    assert str(df["received_at"].dt.tz) == "UTC"


@pytest.mark.parametrize("how", ["missing", "wrong token", "tampered"])
def test_a_forged_request_gets_403_and_shows_invalid(box: tw.Inbox, how: str) -> None:
    if how == "missing":
        resp = httpx.post(box.url, data=FORM)
    elif how == "wrong token":
        resp = signed_post(box.url, FORM, token="f" * 32)
    else:
        sig = RequestValidator(TOKEN).compute_signature(box.url, FORM)
        resp = httpx.post(box.url, data={**FORM, "MessageStatus": "failed"},
                          headers={"X-Twilio-Signature": sig})
    assert resp.status_code == 403
    row = box.wait(1, timeout=5).iloc[0]
    assert row["signature_valid"] is False or row["signature_valid"] == False  # noqa: E712
    assert row["status"] == 403 and "X-Twilio-Signature" in row["error"]


def test_verify_false_is_explicit_and_shows_in_every_row() -> None:
    with tw.inbox(verify=False) as inbox:
        assert "NOT checked" in repr(inbox)
        httpx.post(inbox.url, data=FORM)
        httpx.post(inbox.url, data=FORM, headers={"X-Twilio-Signature": "bogus"})
        df = inbox.wait(2, timeout=5)
    assert list(df["signature_valid"]) == [None, None] and list(df["status"]) == [200, 200]


def test_public_url_is_the_url_signed_behind_a_tunnel() -> None:
    public = "https://abc.tunnel.example"
    with tw.inbox(TOKEN, public_url=public + "/") as inbox:
        assert inbox.url == public + "/"
        sig = RequestValidator(TOKEN).compute_signature(public + "/sms", FORM)
        ok = httpx.post(inbox.local_url + "sms", data=FORM, headers={"X-Twilio-Signature": sig})
        local = signed_post(inbox.local_url + "sms", FORM)  # signed for the wrong URL
    assert (ok.status_code, local.status_code) == (200, 403)


def test_reply_sets_the_twiml_and_a_bad_reply_is_reported_in_the_row(box: tw.Inbox) -> None:
    box.reply("<Response><Message>Thanks!</Message></Response>")
    assert "Thanks!" in signed_post(box.url, FORM).text
    box.reply(lambda req: f"<Response><Message>Got {req['MessageSid']}</Message></Response>")
    assert "Got SM123" in signed_post(box.url, FORM).text
    box.reply(lambda req: "<Response><Message>oops")
    assert signed_post(box.url, FORM).status_code == 200
    df = box.wait(3, timeout=5)
    assert df["error"].iloc[:2].isna().all()
    assert "not well-formed" in df["error"].iloc[2]
    with pytest.raises(ConfigurationError, match="not well-formed"):
        box.reply("<Response><Message>oops")
    with pytest.raises(ConfigurationError, match="TwiML"):
        box.reply(42)  # type: ignore[arg-type]


def test_bodies_over_the_cap_get_413_without_being_read() -> None:
    with tw.inbox(TOKEN, max_body=1024) as inbox:
        resp = signed_post(inbox.url, {"Body": "x" * 5000})
        row = inbox.wait(1, timeout=5).iloc[0]
    assert resp.status_code == 413 and row["status"] == 413 and "Body" not in row


def test_the_auth_token_never_shows_and_close_stops_listening() -> None:
    inbox = tw.inbox(TOKEN)
    assert repr(inbox).endswith("; 0 requests)>")
    signed_post(inbox.url, FORM)
    inbox.wait(1, timeout=5)
    assert repr(inbox).endswith("; 1 request)>")
    bundle = inbox._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"} and "MessageStatus" in bundle["text/html"]
    for text in (repr(inbox), *bundle.values(), inbox.df.to_csv()):
        assert TOKEN not in text
    port = inbox.port
    inbox.close()
    inbox.close()  # idempotent
    assert inbox.closed and "closed" in repr(inbox)
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0
    assert atexit.unregister(inbox.close) is None  # was unregistered (no error either way)


def test_wait_times_out_saying_how_many_came(box: tw.Inbox) -> None:
    with pytest.raises(TimeoutError, match="0 of 1 requests"):
        box.wait(1, timeout=0.1)


def test_the_token_comes_from_the_connection() -> None:
    set_default_connection(None)
    with pytest.raises(ConfigurationError, match="No connection"):
        tw.inbox()
    key = tw.Connection(credential=tw.UserCredentials("SK" + "0" * 32, "secret"),
                        auth_type="api_key", account_sid="AC" + "0" * 32)
    with pytest.raises(ConfigurationError, match="API key"):
        tw.inbox(connection=key)
    token = tw.Connection(credential=tw.UserCredentials("AC" + "0" * 32, TOKEN),
                          auth_type="auth_token")
    with tw.inbox(connection=token) as inbox:
        assert signed_post(inbox.url, FORM).status_code == 200
    with tw.inbox(connection=tw.Connection(sandbox=Sandbox(messages=0))) as inbox:
        assert signed_post(inbox.url, FORM, token=AUTH_TOKEN).status_code == 200
    with pytest.raises(ConfigurationError, match="public_url"):
        tw.inbox(TOKEN, public_url="ftp://x")


def test_the_magic_starts_an_inbox_with_the_connections_token(ip: InteractiveShell) -> None:
    inbox = ip.run_line_magic("twilio", "inbox")
    try:
        assert isinstance(inbox, tw.Inbox) and "signatures checked" in repr(inbox)
        assert signed_post(inbox.url, FORM, token=AUTH_TOKEN).status_code == 200
        assert signed_post(inbox.url, FORM).status_code == 403
    finally:
        inbox.close()


def test_with_the_extension_the_shown_table_updates_as_requests_arrive(
        ip: InteractiveShell) -> None:
    with tw.inbox(TOKEN) as inbox, capture_output() as shown:
        ip.user_ns["inbox"] = inbox
        ip.run_cell("inbox")
        assert "no requests yet" in shown.outputs[-1].data["text/html"]
        signed_post(inbox.url, FORM)
        inbox.wait(1, timeout=5)
        assert "MessageStatus" in shown.outputs[-1].data["text/html"]
        inbox.clear()
    assert "no requests yet" in shown.outputs[-1].data["text/html"]
    assert len(shown.outputs) == 3


def test_a_port_in_use_is_a_clear_error(box: tw.Inbox) -> None:
    with pytest.raises(ConfigurationError, match=f"cannot listen on 127.0.0.1:{box.port}"):
        tw.inbox(TOKEN, port=box.port)


def test_the_signed_url_may_name_localhost(box: tw.Inbox) -> None:
    url = box.url.replace("127.0.0.1", "localhost")
    assert signed_post(url, FORM).status_code == 200
