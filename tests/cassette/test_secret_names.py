"""A field holds a secret by how its name ends (``secondary_auth_token``, ``client_secret``,
``private_key_pem``), in JSON, XML, CSV, a query and a form alike; paging cursors
(``PageToken``) are kept. A URL's signing parameters follow one rule wherever the URL is (a
request's own query, a next-page URI inside an answer), so a signed next page replays."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from twilio_nb.cassette import Player, Recorder
from twilio_nb.cassette.scrub import Scrubber
from twilio_nb.cassette.scrub_text import is_secret_name

VALUES = {"secondary_auth_token": "v-secondary-0001", "signing_key_secret": "v-signing-0002",
          "webhook_secret": "v-webhook-0003", "client_secret": "v-client-0004",
          "private_key_pem": "v-pem-0005", "auth_token": "v-auth-0006"}


def interaction(body: str, ctype: str, uri: str = "https://api.twilio.com/x.json") -> Any:
    return {"request": {"body": b"", "headers": {}, "method": "GET", "uri": uri},
            "response": {"body": {"string": body.encode()},
                         "headers": {"Content-Type": [ctype]},
                         "status": {"code": 200, "message": "OK"}}}


def written(body: str, ctype: str) -> str:
    scrubbed = Scrubber("secrets").interaction(interaction(body, ctype))
    assert scrubbed is not None
    return str(scrubbed["response"]["body"]["string"])


def test_names_ending_like_a_secret_are_secrets_but_paging_cursors_are_not() -> None:
    for name in (*VALUES, "SecondaryAuthToken", "ClientSecret", "X-Api-Key"):
        assert is_secret_name(name), name
    for name in ("PageToken", "page_token", "next_page_token", "token_sid", "friendly_name"):
        assert not is_secret_name(name), name


def test_json_fields_ending_like_a_secret_are_never_written() -> None:
    text = written(json.dumps({**VALUES, "page_token": "PT123", "sid": "SK1"}),
                   "application/json")
    assert not [v for v in VALUES.values() if v in text]
    assert "PT123" in text and "SK1" in text


def test_xml_elements_follow_the_same_rule_in_any_case() -> None:
    xml = ("<TwilioResponse><Key><SecondaryAuthToken>v-secondary-0001</SecondaryAuthToken>"
           "<auth_token>v-auth-0006</auth_token><ClientSecret kind='x'>v-client-0004"
           "</ClientSecret><PageToken>PT123</PageToken><Sid>SK1</Sid></Key></TwilioResponse>")
    text = written(xml, "application/xml")
    assert not [v for v in VALUES.values() if v in text]
    assert "<PageToken>PT123</PageToken>" in text and "<Sid>SK1</Sid>" in text


def test_csv_columns_and_form_fields_follow_the_same_rule() -> None:
    text = written("sid,client_secret\nSK1,v-client-0004\n", "text/csv")
    assert "v-client-0004" not in text and "SK1" in text
    scrubbed = Scrubber("secrets").interaction({
        **interaction("{}", "application/json", "https://api.twilio.com/x.json?"
                      "PageToken=PT1&WebhookSecret=v-webhook-0003"),
        "request": {"body": b"SecondaryAuthToken=v-secondary-0001&FriendlyName=a",
                    "headers": {"Content-Type": ["application/x-www-form-urlencoded"]},
                    "method": "POST", "uri": "https://api.twilio.com/x.json?"
                    "PageToken=PT1&WebhookSecret=v-webhook-0003"}})
    assert scrubbed is not None
    request = json.dumps(scrubbed["request"], default=str)
    assert "v-secondary-0001" not in request and "v-webhook-0003" not in request
    assert "PageToken=PT1" in request and "FriendlyName=a" in request


def test_a_signed_next_page_replays(tmp_path: Path) -> None:
    """The next-page URI in the first answer carries token=; the request for it is recorded
    with the same rule, so replaying the walk finds the second page."""
    base = "https://media.example.net/list"
    pages = {"1": {"items": [1], "next": f"{base}?page=2&token=t0k3n-secret-77"},
             "2": {"items": [2], "next": None}}

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages[request.url.params.get("page", "1")])

    path = tmp_path / "signed.yaml"
    recorder = Recorder(path, scrub="secrets").hold()
    with httpx.Client(transport=recorder.transport(httpx.MockTransport(answer), 2**20)) as c:
        first = c.get(base).json()
        c.get(first["next"])
    assert "t0k3n-secret-77" not in path.read_text()
    with httpx.Client(transport=Player(path).transport()) as c:
        again = c.get(base).json()
        assert c.get(again["next"]).json()["items"] == [2]
