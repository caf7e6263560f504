"""Recording under faults and careless input: phone numbers in any form are scrubbed by the
parameter's name (and where Twilio's error text repeats them), a cassette that cannot be
written costs no answer and stays whole, a broken cassette names its line, and ``scrub=``
alone is refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

import twilio_nb as tw
from twilio_nb import ConfigurationError
from twilio_nb.cassette.phone_names import phone_names
from twilio_nb.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


def test_phone_numbers_in_any_form_leave_no_trace(tmp_path: Path) -> None:
    path = tmp_path / "pii.yaml"
    with tw.Connection(sandbox=Sandbox(messages=0), record=path) as conn, \
            pytest.warns(tw.TwilioWarning, match="no \\+ and country code"):
        for to in ("4155550144", 14155550145.0):  # as typed; as a spreadsheet's float
            with pytest.raises(tw.TwilioApiError) as caught:
                conn.basic("Message", "Send Message",
                           body={"From": "+14155550100", "To": to, "Body": "hi"})
            assert str(to) in str(caught.value)  # Twilio's error repeats it
        conn.basic("Message", "List Messages", query={"To": "415-555-0144"})
    text = path.read_text()
    for number in ("4155550144", "4155550145", "415-555-0144", "4155550100"):
        assert number not in text
    assert text.count("Invalid ''To'' Phone Number: 1555010") == 2
    # the notebook as written still replays
    with tw.Connection(replay=path) as replay, \
            pytest.raises(tw.TwilioApiError, match="21211"), pytest.warns(tw.TwilioWarning):
        replay.basic("Message", "Send Message",
                     body={"From": "+14155550100", "To": "4155550144", "Body": "hi"})


def test_the_phone_number_names_are_the_catalogs() -> None:
    names = phone_names()
    assert {"to", "from", "phonenumber", "fallbackfrom", "nearnumber",
            "contactphonenumber"} <= names
    assert "friendlyname" not in names and "body" not in names and "callsid" not in names


_FULL_DISK = textwrap.dedent("""
    import json, resource, signal, sys, warnings
    import twilio_nb as tw
    from twilio_nb.cassette import file
    from twilio_nb.sandbox import Sandbox

    path = sys.argv[1]
    file.REPLACE_BELOW = int(sys.argv[2])  # 0: a big cassette's way, appended in place
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit: EFBIG, no kill
    conn = tw.Connection(sandbox=Sandbox(messages=3, clock="manual"), record=path)
    listed = conn.basic("Message", "List Messages")
    size = len(open(path, "rb").read())
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 200, size + 200))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sent = conn.basic("Message", "Send Message",
                          body={"From": "+14155550100", "To": "+14155550199", "Body": "hi"})
        again = conn.basic("Message", "List Messages")
    print(json.dumps({"status": sent.status_code, "sid": sent.records[0]["sid"],
                      "again": again.status_code, "listed": len(listed.records),
                      "warnings": [str(w.message) for w in caught],
                      "summary": str(conn.recorder.summary())}))
""")


@pytest.mark.parametrize("replace_below", [8 << 20, 0], ids=["renamed", "in place"])
def test_a_cassette_that_cannot_be_written_costs_no_answer(tmp_path: Path,
                                                           replace_below: int) -> None:
    path = tmp_path / "full.yaml"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", _FULL_DISK, str(path), str(replace_below)],
                          env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["status"] == 201 and out["sid"].startswith("SM") and out["again"] == 200
    assert len(out["warnings"]) == 1  # once, not once per request
    warning = out["warnings"][0]
    assert "cannot be written" in warning and "recording stopped" in warning
    assert "This POST was sent and answered (HTTP 201)" in warning
    assert "not sent again" in warning
    assert "stopped early" in out["summary"]
    assert [p.name for p in tmp_path.iterdir()] == ["full.yaml"]  # no temp file left
    recorded = yaml.safe_load(path.read_bytes())["interactions"]
    assert [i["request"]["method"] for i in recorded] == ["GET"]  # whole, as before
    with tw.Connection(replay=path) as replay:
        assert len(replay.basic("Message", "List Messages").records) == out["listed"]


def test_a_bad_status_code_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    with tw.Connection(sandbox=Sandbox(messages=2), record=path) as conn:
        conn.basic("Message", "List Messages")
    text = path.read_text()
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "code: 200") + 1
    path.write_text(text.replace("code: 200", "code: abc"))
    with pytest.raises(ConfigurationError, match=f"line {at}: the status code 'abc'"):
        tw.Connection(replay=path)


def test_a_yaml_error_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("interactions:\n- request:\n    method: GET\n  response: [\n")
    with pytest.raises(ConfigurationError, match=r"line \d+, column \d+ is not a YAML cassette"):
        tw.Connection(replay=path)


def test_scrub_without_record_is_refused_even_pii(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="give record=PATH too") as caught:
        tw.connect(sandbox=True, scrub="pii")
    assert caught.value.field == "scrub"
    with tw.Connection(sandbox=Sandbox(messages=0), record=tmp_path / "s.yaml",
                       scrub="pii") as conn:
        assert conn.recorder is not None and conn.recorder.scrubber.mode == "pii"


def test_a_phone_number_sent_as_a_json_number_is_scrubbed(tmp_path: Path) -> None:
    from twilio_nb.cassette.scrub import Scrubber

    scrubber = Scrubber("pii")
    body = b'{"To": 14155550145.0, "Count": 14155550145, "PhoneNumber": "4155550144"}'
    out = scrubber.request_body(body, "application/json")
    assert json.loads(out) == {"To": "15550100001", "Count": 14155550145,
                               "PhoneNumber": "15550100002"}
