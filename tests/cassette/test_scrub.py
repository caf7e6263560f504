"""What a cassette never holds: a secret, whatever the options (searched byte by byte, every
spelling, as tests/test_secrets.py searches a notebook); and, with ``scrub="pii"`` (the
default), the session's phone numbers, email addresses, message bodies and Account SID. The
stand-ins are consistent (the same number, the same fake number), a user's rule runs, and
recording ends with a summary of what was replaced."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
import pytest
import yaml

import twilio_nb as tw
from twilio_nb import sandbox
from twilio_nb.cassette import PLACEHOLDER_ACCOUNT
from twilio_nb.sandbox import Sandbox

MESSAGES = 80
EMAIL = "jane.doe@corp-mail.example.org"
SEND = {"From": "whatsapp:+14155552671", "To": "whatsapp:+447700900123",
        "Body": "Hi Jane, your PIN is 9313", "StatusCallback": f"https://hooks.example.net/s?"
        f"owner={EMAIL}"}
MADE_UP_SECRET = "nb+Made/Up=Secret-7f3a9c2e41"


def spellings(user: str, secret: str) -> list[str]:
    return [secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1],
            base64.b64encode(secret.encode()).decode(),
            base64.b64encode(f"{user}:{secret}".encode()).decode()]


SECRETS = {
    "sandbox API key secret": spellings(sandbox.API_KEY_SID, sandbox.API_KEY_SECRET),
    "sandbox auth token": spellings(sandbox.ACCOUNT_SID, sandbox.AUTH_TOKEN),
    "made-up secret": spellings("SK" + "5" * 32, MADE_UP_SECRET),
}


def found_secrets(data: bytes) -> list[str]:
    text = data.decode("utf-8", "replace")
    return [f"{name}: {s}" for name, values in SECRETS.items() for s in values if s in text]


def session(conn: tw.Connection) -> list[tw.Result]:
    return [conn.basic("Message", "List Messages", query={"PageSize": 30}),
            conn.basic("Message", "List Messages", query={"PageSize": 30},
                       response_format="xml"),
            conn.basic("Message", "List Messages", query={"PageSize": 30},
                       response_format="csv"),
            conn.basic("Message", "Send Message", body=SEND),
            conn.basic("Call", "List Calls", query={"PageSize": 10}),
            conn.basic("Message", "List Messages", query={"To": "+447700900123"})]


@pytest.fixture(scope="module", params=["api_key", "auth_token"])
def pii(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
        ) -> tuple[bytes, list[tw.Result], str]:
    path = tmp_path_factory.mktemp("pii") / "session.yaml"
    with tw.Connection(sandbox=Sandbox(messages=MESSAGES), auth_type=request.param,
                       record=path) as conn:
        results = session(conn)
        summary = str(conn.recorder.summary()) if conn.recorder else ""
    return path.read_bytes(), results, summary


def test_no_secret_in_the_cassette(pii: tuple[bytes, list[tw.Result], str]) -> None:
    data, results, _ = pii
    assert b"uthorization" not in data and b"Basic " not in data
    assert found_secrets(data) == []
    assert len(yaml.safe_load(data)["interactions"]) == len(results)


def _originals(results: list[tw.Result]) -> tuple[set[str], set[str]]:
    """The phone numbers and message bodies the live session saw."""
    phones: set[str] = set()
    bodies: set[str] = set()
    for r in results:
        frame = r.df
        for column in ("to", "from"):
            if column in frame:
                phones |= {str(v) for v in frame[column].dropna()}
        if "body" in frame:
            bodies |= {str(v) for v in frame["body"].dropna() if len(str(v)) > 3}
    return phones, bodies


def test_no_phone_number_email_body_or_account_in_the_cassette(
        pii: tuple[bytes, list[tw.Result], str]) -> None:
    data, results, _ = pii
    phones, bodies = _originals(results)
    assert len(phones) > 20 and len(bodies) > 5
    digits = {re.sub(r"\D", "", p) for p in phones} | {"14155552671", "447700900123"}
    text = data.decode()
    assert [d for d in digits if d in text] == []
    loaded = yaml.safe_load(data)
    answers = "".join(i["response"]["body"]["string"] for i in loaded["interactions"])
    assert [b for b in bodies | {SEND["Body"]} if b in answers or b in text] == []
    assert "jane.doe" not in text and "corp-mail" not in text and "%40corp" not in text
    assert sandbox.ACCOUNT_SID not in text and PLACEHOLDER_ACCOUNT in text


def test_stand_ins_are_consistent_so_joins_still_work(
        pii: tuple[bytes, list[tw.Result], str]) -> None:
    data, results, _ = pii
    live = results[0].df
    replayed = tw.Connection(replay=_write(data)).basic(
        "Message", "List Messages", query={"PageSize": 30}).df
    # the same number always became the same fake number: the grouping is the same
    pairs = set(zip(live["to"], replayed["to"], strict=True))
    assert len(pairs) == live["to"].nunique() == replayed["to"].nunique()
    assert all(re.fullmatch(r"(whatsapp:)?\+1555\d{7}", v) for v in replayed["to"])
    assert list(replayed.columns) == list(live.columns)
    assert (replayed.dtypes == live.dtypes).all()
    pd_live, pd_replayed = live.drop(columns=["to", "from", "body", "account_sid", "uri",
                                              "subresource_uris.media",
                                              "subresource_uris.feedback"],
                                     errors="ignore"), replayed
    assert pd_live.equals(pd_replayed[pd_live.columns])


def _write(data: bytes) -> Path:
    import tempfile

    path = Path(tempfile.mkdtemp()) / "copy.yaml"
    path.write_bytes(data)
    return path


def test_recording_ends_with_a_summary(pii: tuple[bytes, list[tw.Result], str],
                                       capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    _, _, summary = pii
    assert "phone numbers" in summary and "message bodies" in summary
    assert "email addresses" in summary and "Account SIDs" in summary
    conn = tw.Connection(sandbox=Sandbox(messages=5), record=tmp_path / "s.yaml")
    conn.basic("Message", "List Messages")
    conn.close()
    assert "Recorded 1 request(s)" in capsys.readouterr().out


def test_scrub_secrets_keeps_the_data_but_no_secret(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    with tw.Connection(sandbox=Sandbox(messages=MESSAGES), record=path,
                       scrub="secrets") as conn:
        results = session(conn)
    data = path.read_bytes()
    assert found_secrets(data) == []
    phones, _ = _originals(results)
    assert sum(re.sub(r"\D", "", p) in data.decode() for p in phones) == len(phones)
    assert sandbox.ACCOUNT_SID.encode() in data


def _mock(request: httpx.Request) -> httpx.Response:
    """Answers that carry secrets: an account (its auth_token), a new API key (its secret),
    a media redirect to a signed URL, the connection's own secret echoed back."""
    path = request.url.path
    if path.endswith("/Keys.json"):
        return httpx.Response(201, json={"sid": "SK" + "1" * 32, "secret": "k3y-s3cr3t-abcdef"})
    if "/Media/" in path:
        return httpx.Response(302, headers={"Location": "https://s3.example.com/m/x.png?"
                                            "X-Amz-Signature=deadbeefcafe&X-Amz-Credential=AK"
                                            "IAEXAMPLE&size=1"}, content=b"")
    return httpx.Response(200, headers={"Set-Cookie": "session=c00kie-value"}, json={
        "sid": "AC" + "b" * 32, "auth_token": "t0ken-in-the-answer",
        "friendly_name": f"echo {MADE_UP_SECRET}"}, )


@pytest.mark.filterwarnings("ignore:Secret is not a parameter")
@pytest.mark.parametrize("scrub", ["pii", "secrets", lambda i: i, ("secrets", lambda i: i)])
def test_secrets_in_answers_and_headers_never_land_whatever_the_options(
        scrub: Any, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    creds = tw.UserCredentials("SK" + "5" * 32, MADE_UP_SECRET, "AC" + "b" * 32)
    with tw.Connection("https://api.twilio.com", credential=creds, record=path, scrub=scrub,
                       transport=httpx.MockTransport(_mock)) as conn:
        conn.advanced("GET", "/2010-04-01/Accounts/" + "AC" + "b" * 32)
        conn.advanced("POST", "/2010-04-01/Accounts/:AccountSid/Keys",
                      body=f"FriendlyName=k&Secret={quote_plus(MADE_UP_SECRET)}")
        with pytest.raises(tw.TwilioError):
            conn.advanced("GET", f"/2010-04-01/Accounts/:AccountSid/Messages/MM{'1' * 32}"
                          f"/Media/ME{'2' * 32}")
    data = path.read_bytes().decode()
    assert found_secrets(path.read_bytes()) == []
    for secret in ("t0ken-in-the-answer", "k3y-s3cr3t-abcdef", "deadbeefcafe", "c00kie-value",
                   "AKIAEXAMPLE"):
        assert secret not in data, secret
    assert "size=1" in data  # the rest of a signed URL stays


def test_a_users_rule_adds_to_the_scrubbing(tmp_path: Path) -> None:
    def no_prices(interaction: dict[str, Any]) -> dict[str, Any] | None:
        if interaction["request"]["method"] == "POST":
            return None  # leave sends out of the cassette
        body = interaction["response"]["body"]
        body["string"] = re.sub(r'"price": "[^"]*"', '"price": null', body["string"])
        return interaction

    path = tmp_path / "s.yaml"
    with tw.Connection(sandbox=Sandbox(messages=20), record=path, scrub=no_prices) as conn:
        conn.basic("Message", "List Messages")
        conn.basic("Message", "Send Message", body=SEND)
        summary = conn.recorder.summary() if conn.recorder else None
    loaded = yaml.safe_load(path.read_bytes())
    assert [i["request"]["method"] for i in loaded["interactions"]] == ["GET"]
    assert '"price": "-' not in path.read_text()
    assert summary is not None and summary.counts["left out by your rule"] == 1
    assert summary.counts["phone numbers"] > 0  # "pii" ran first


def test_a_bad_scrub_choice_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(tw.ConfigurationError, match="scrub="):
        tw.Connection(sandbox=True, record=tmp_path / "s.yaml", scrub="everything")
