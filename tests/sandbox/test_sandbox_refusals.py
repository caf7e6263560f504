"""The sandbox refuses what Twilio refuses: a To that cannot be a number of its country
(21211, judged by phonenumbers), an unknown Messaging Service (21701), a method the resource
does not declare (405); and every answer carries Twilio's request headers."""

from __future__ import annotations

import httpx
import pytest

from twilio_nb.sandbox import ACCOUNT_SID
from twilio_nb.sandbox.constants import MESSAGING_SERVICE_SID

MESSAGES = 20  # the served sandbox's seeded messages (conftest's box)
MESSAGES_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
CALLS_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json"


def send(api: httpx.Client, **fields: str) -> httpx.Response:
    return api.post(MESSAGES_PATH, data={"From": "+15005550006", "Body": "Hi", **fields})


@pytest.mark.parametrize("to", ["+1500555000", "+4420", "+999123456789", "+1415555267100"])
def test_a_to_that_cannot_be_a_number_of_its_country_gets_21211(api: httpx.Client,
                                                                  to: str) -> None:
    r = send(api, To=to)
    assert r.status_code == 400
    assert r.json()["code"] == 21211 and to in r.json()["message"]


def test_a_call_to_an_impossible_number_gets_21217(api: httpx.Client) -> None:
    r = api.post(CALLS_PATH, data={"From": "+15005550006", "To": "+1500555000",
                              "Url": "https://example.com/twiml"})
    assert r.status_code == 400 and r.json()["code"] == 21217


@pytest.mark.parametrize(("to", "status", "code"), [
    ("+15005550006", 201, None), ("+15005550001", 400, 21211), ("+15005550002", 400, 21612),
    ("+15005550003", 400, 21408), ("+15005550004", 400, 21610), ("+15005550009", 400, 21614),
    ("+447700900123", 201, None), ("whatsapp:+14155552671", None, None)])
def test_twilios_test_numbers_keep_working_as_documented(api: httpx.Client, to: str,
                                                         status: int | None,
                                                         code: int | None) -> None:
    r = send(api, To=to) if not to.startswith("whatsapp:") else \
        send(api, To=to, From="whatsapp:+14155238886")
    if status is None:
        assert r.status_code == 201
        return
    assert r.status_code == status
    if code is not None:
        assert r.json()["code"] == code


def test_a_messaging_service_that_does_not_exist_gets_21701(api: httpx.Client) -> None:
    missing = "MG" + "0" * 32
    r = api.post(MESSAGES_PATH, data={"To": "+14155552671", "MessagingServiceSid": missing,
                                 "Body": "Hi"})
    assert r.status_code == 400
    assert r.json()["code"] == 21701 and missing in r.json()["message"]
    malformed = api.post(MESSAGES_PATH, data={"To": "+14155552671", "MessagingServiceSid": "MG12",
                                         "Body": "Hi"})
    assert malformed.status_code == 400 and malformed.json()["code"] == 21705


def test_the_accounts_messaging_services_are_accepted(api: httpx.Client) -> None:
    seeded = api.post(MESSAGES_PATH, data={"To": "+14155552671", "Body": "Hi",
                                      "MessagingServiceSid": MESSAGING_SERVICE_SID})
    assert seeded.status_code == 201
    assert seeded.json()["messaging_service_sid"] == MESSAGING_SERVICE_SID
    made = api.post("https://messaging.twilio.com/v1/Services", data={"FriendlyName": "ours"})
    assert made.status_code == 201, made.text
    sid = made.json()["sid"]
    r = api.post(MESSAGES_PATH, data={"To": "+14155552671", "Body": "Hi",
                                      "MessagingServiceSid": sid})
    assert r.status_code == 201 and r.json()["messaging_service_sid"] == sid


def test_a_method_the_resource_does_not_declare_gets_405(api: httpx.Client) -> None:
    r = api.put(MESSAGES_PATH, data={"Body": "x"})
    assert r.status_code == 405
    assert r.json()["status"] == 405


@pytest.mark.parametrize(("method", "path"), [
    ("GET", MESSAGES_PATH), ("POST", MESSAGES_PATH),
    ("GET", "/2010-04-01/Accounts/AC0/Nothing.json"), ("PUT", MESSAGES_PATH)])
def test_every_answer_carries_twilios_request_headers(api: httpx.Client, method: str,
                                                      path: str) -> None:
    r = api.request(method, path, data={"To": "+1500555000"} if method != "GET" else None)
    assert int(r.headers["Twilio-Concurrent-Requests"]) >= 1
    assert float(r.headers["Twilio-Request-Duration"]) >= 0
    assert r.headers["Twilio-Request-Id"].startswith("RQ")


def test_a_served_sandbox_answers_any_undeclared_method_with_405(client: httpx.Client) -> None:
    for method in ("TRACE", "PATCH", "PROPFIND"):
        r = client.request(method, MESSAGES_PATH)
        assert r.status_code == 405, method
        assert r.headers["Twilio-Concurrent-Requests"] == "1"
