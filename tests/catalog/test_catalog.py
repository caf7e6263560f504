"""The generated catalog: in step with the specs, named the way the adapter names things."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SPECS, needs_specs

import twilio_nb as tw
from twilio_nb import catalog

ROOT = Path(__file__).resolve().parents[2]
GUIDE_LABELS = {
    "Message": "Send Message (/Accounts/:AccountSid/Messages)",
    "Call": "List Calls (/Accounts/:AccountSid/Calls)",
    "Event": "List Call Events (/Accounts/:AccountSid/Calls/:CallSid/Events)",
    "Recording": "Get Recording (/Accounts/:AccountSid/Recordings/:Sid)",
    "Media": "Get Message Media (/Accounts/:AccountSid/Messages/:MessageSid/Media/:Sid)",
    "Participant": "Create Conference Participant "
                   "(/Accounts/:AccountSid/Conferences/:ConferenceSid/Participants)",
}


SCRIPT = ROOT / "scripts" / "build_catalog.py"


def run_script(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          env=env, timeout=120)


@needs_specs()
def test_shipped_catalog_is_what_the_generator_makes_from_the_specs() -> None:
    out = run_script("--check", "--specs", str(SPECS))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "up to date" in out.stdout


def test_check_without_specs_exits_2_saying_where_it_looked(tmp_path: Path) -> None:
    empty = tmp_path / "specs"
    empty.mkdir()
    out = run_script("--check", "--specs", str(empty))
    assert out.returncode == 2, out.stdout + out.stderr
    assert f"{empty} (--specs)" in out.stderr and "$TWILIO_NB_SPECS" in out.stderr
    env = {**os.environ, "TWILIO_NB_SPECS": str(tmp_path / "nowhere")}
    out = run_script("--check", env=env)
    assert out.returncode == 2, out.stdout + out.stderr
    assert f"{tmp_path / 'nowhere'} ($TWILIO_NB_SPECS)" in out.stderr
    assert not (tmp_path / "nowhere").exists()


@needs_specs()
def test_check_of_a_stale_catalog_exits_1_and_says_how_to_rebuild(tmp_path: Path) -> None:
    shipped = (ROOT / "twilio_nb" / "catalog" / "operations.json").read_text(encoding="utf-8")
    stale = tmp_path / "operations.json"
    stale.write_text(shipped.replace("Send Message", "Send A Message", 1), encoding="utf-8")
    out = run_script("--check", "--specs", str(SPECS), "--out", str(stale))
    assert out.returncode == 1, out.stdout + out.stderr
    assert "stale" in out.stderr and "python scripts/build_catalog.py" in out.stderr
    assert f"--out {stale}" in out.stderr
    assert stale.read_text(encoding="utf-8") != shipped  # --check writes nothing
    assert run_script("--specs", str(SPECS), "--out", str(stale)).returncode == 0
    assert stale.read_text(encoding="utf-8") == shipped


@needs_specs()
def test_catalog_holds_every_operation_of_the_specs() -> None:
    count = 0
    for file in SPECS.glob("twilio_*.json"):
        for item in json.loads(file.read_text())["paths"].values():
            count += sum(1 for m in ("get", "post", "put", "patch", "delete") if m in item)
    assert count == len(catalog.operations()) == 1447


@needs_specs()
def test_no_description_sentence_from_the_specs_is_shipped() -> None:
    text = (ROOT / "twilio_nb" / "catalog" / "operations.json").read_text()
    spec = json.loads((SPECS / "twilio_api_v2010.json").read_text())
    schema = spec["components"]["schemas"]["api.v2010.account.message"]["properties"]
    for prop in schema.values():
        desc = prop.get("description", "")
        if len(desc) > 40:
            assert desc[:40] not in text


def test_the_file_says_it_is_generated() -> None:
    data = json.loads((ROOT / "twilio_nb" / "catalog" / "operations.json").read_text())
    assert "GENERATED" in data["_generated"] and "build_catalog.py" in data["_generated"]


@pytest.mark.parametrize(("entity", "label"), GUIDE_LABELS.items())
def test_the_guide_operations_read_exactly_as_the_guide_writes_them(entity: str,
                                                                     label: str) -> None:
    op = catalog.find(entity, label)
    assert op.label == label and op.entity == entity


def test_entities_are_singular_names_a_person_recognises() -> None:
    names = set(catalog.entities())
    for want in ("Message", "Call", "Event", "Recording", "Media", "Participant", "Conversation",
                 "Balance", "Notification", "Binding", "Service", "IncomingPhoneNumber",
                 "AvailablePhoneNumber"):
        assert want in names
    assert catalog.entities() == sorted(names)


def test_labels_follow_the_pattern_and_are_unique_within_their_entity() -> None:
    pattern = re.compile(r"^(List|Get|Create|Send|Update|Delete|Replace|Patch) [A-Za-z0-9 ]+ "
                         r"\(([a-z-]+: )?/[^ ]+\)$")
    for entity in catalog.entities():
        labels = [op.label for op in catalog.operations(entity)]
        assert len(labels) == len({lbl.lower() for lbl in labels}), entity
        for lbl in labels:
            assert pattern.match(lbl), lbl


def test_kinds_come_from_path_type_and_method() -> None:
    kinds = {op.id: op.kind for op in catalog.operations()}
    assert kinds["api_v2010.CreateMessage"] == "create"
    assert kinds["api_v2010.ListMessage"] == "list"
    assert kinds["api_v2010.FetchMessage"] == "fetch"
    assert kinds["api_v2010.UpdateMessage"] == "update"
    assert kinds["api_v2010.DeleteMessage"] == "delete"
    assert kinds["api_v2010.FetchBalance"] == "fetch"  # a list path answering one object


def test_operation_facts_for_typed_frames_and_validation() -> None:
    send = catalog.find("Message", "Send Message")
    assert (send.method, send.host, send.path) == (
        "POST", "api.twilio.com", "/2010-04-01/Accounts/{AccountSid}/Messages.json")
    to = send.param("To")
    assert to is not None and to.required and to.location == "body" and to.format == "phone-number"
    media = send.param("MediaUrl")
    assert media is not None and media.array
    assert send.sid_prefix == "SM"
    listing = catalog.find("Message", "list")
    assert listing.list_key == "messages"
    assert listing.response_properties["date_sent"]["format"] == "date-time-rfc-2822"
    assert listing.default_output[:3] == ("sid", "from", "to")
    parts = catalog.find("Participant", "List Conversation Participants "
                                        "(conversations: /v1/Conversations/:ConversationSid"
                                        "/Participants)")
    assert parts.host == "conversations.twilio.com" and parts.list_key == "participants"


@pytest.mark.parametrize(("entity", "op", "want"), [
    ("message", "send message", "Send Message (/Accounts/:AccountSid/Messages)"),
    ("MESSAGES", "CreateMessage", "Send Message (/Accounts/:AccountSid/Messages)"),
    ("Message", "api_v2010.CreateMessage", "Send Message (/Accounts/:AccountSid/Messages)"),
    ("call", "list", "List Calls (/Accounts/:AccountSid/Calls)"),
    ("Recording", "GET RECORDING (/Accounts/:AccountSid/Recordings/:Sid)",
     "Get Recording (/Accounts/:AccountSid/Recordings/:Sid)"),
    ("Balance", "get", "Get Balance (/Accounts/:AccountSid/Balance)"),
    ("Notification", "send",
     "Send Service Notification (notify: /v1/Services/:ServiceSid/Notifications)"),
])
def test_lookup_accepts_label_with_or_without_path_operation_id_and_any_case(
        entity: str, op: str, want: str) -> None:
    assert catalog.find(entity, op).label == want


def test_unknown_names_list_the_closest_matches() -> None:
    with pytest.raises(tw.ConfigurationError, match="Message") as err:
        catalog.find("Mesage", "Send Message")
    assert err.value.field == "Entity"
    with pytest.raises(tw.ConfigurationError, match="Send Message") as err:
        catalog.find("Message", "Sned Mesage")
    assert err.value.field == "Operation"
    with pytest.raises(tw.ConfigurationError, match="notify: /v1/Services"):
        catalog.find("Service", "List Services")
