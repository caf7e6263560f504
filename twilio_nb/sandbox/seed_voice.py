"""Seeded voice, conversations and Notify data (see ``seed``).

- 800 calls over 180 days (several statuses and directions), each with two events (the
  webhook request Twilio made and the answer it got); about a third of the answered ones have
  a recording, listed both under the call and under the account.
- 30 conferences; the 10 still in progress have 2 to 5 participants (as on Twilio, a
  completed conference lists none).
- A Conversations service and 40 conversations, each with 2 or 3 participants (one SMS
  participant, one or two chat identities) and a few messages.
- Two Notify services with 12 bindings each (APN, FCM, SMS).
"""

from __future__ import annotations

from typing import Any

from .clock import rfc2822
from .constants import MESSAGING_SERVICE_SID, SEED_END
from .names import friendly
from .record_builder import Seeder

__all__ = ["seed_calls", "seed_chat", "seed_notify"]

CALLS = 800
CONFERENCES = 30
LIVE_CONFERENCES = 10
CONVERSATIONS = 40
BINDINGS = 12
CALL_STATUS = (("completed", 70), ("busy", 8), ("no-answer", 10), ("failed", 5), ("canceled", 7))
AGENTS = ("agent.alice", "agent.bob", "agent.chen", "agent.dara", "supervisor.eve")


def _weighted(pairs: tuple[tuple[str, int], ...]) -> list[str]:
    return [name for name, weight in pairs for _ in range(weight)]


def _events(s: Seeder, call: dict[str, Any], ts: int) -> None:
    segs = s.acct("Calls", call["sid"], "Events")
    coll = s.store.collection("api", segs)
    params = {"CallSid": call["sid"], "AccountSid": s.account, "From": call["from"],
              "To": call["to"], "Direction": call["direction"], "ApiVersion": "2010-04-01"}
    for i, (status, url, answer) in enumerate((
            ("ringing", "https://demo.twilio.com/welcome/voice/",
             "<Response><Say>Hello from the twilio_nb sandbox</Say></Response>"),
            (call["status"], "https://api.example.com/twilio/status", ""))):
        rec = {"request": {"method": "POST", "url": url,
                           "parameters": {**params, "CallStatus": status}},
               "response": {"response_code": 200, "request_duration": 40 + 17 * i,
                            "content_type": "text/xml" if answer else "text/plain",
                            "response_body": answer, "date_created": rfc2822(ts + i)},
               "_seq": s.store.next_seq(), "_t_date_created": float(ts + i)}
        coll.add(rec)


def _recording(s: Seeder, call: dict[str, Any], ts: int, duration: int) -> None:
    sid = s.sid("RE")
    length = max(3, duration - s.rng.randrange(0, 5))
    values = {"sid": sid, "call_sid": call["sid"], "duration": str(length),
              "channels": s.rng.choice((1, 2)), "status": "completed", "track": "both",
              "source": s.rng.choice(("OutboundAPI", "DialVerb", "RecordVerb",
                                      "StartCallRecordingAPI")),
              "price": "-0.00250", "start_time": call["start_time"],
              "media_url": "/" + "/".join(s.acct("Recordings", sid))}
    rec = s.add("api", s.acct("Recordings"), "api.v2010.account.recording", values, ts + duration)
    s.coll("api", s.acct("Calls", call["sid"], "Recordings")).add(rec)


def seed_calls(s: Seeder, ours: list[str], people: list[str]) -> None:
    span = 180 * 86400
    statuses = _weighted(CALL_STATUS)
    calls = []
    for i in range(CALLS):
        ts = SEED_END - span + i * span // CALLS + s.rng.randrange(600)
        direction = s.rng.choice(("outbound-api", "outbound-api", "inbound", "outbound-dial"))
        status = s.rng.choice(statuses)
        ours_n, them = s.rng.choice(ours), s.rng.choice(people)
        frm, to = (them, ours_n) if direction == "inbound" else (ours_n, them)
        duration = s.rng.randrange(8, 900) if status == "completed" else 0
        start = ts + s.rng.randrange(1, 20)
        values = {
            "sid": s.sid("CA"), "to": to, "to_formatted": friendly(to), "from": frm,
            "from_formatted": friendly(frm), "status": status, "direction": direction,
            "start_time": rfc2822(start) if status in ("completed", "in-progress") else None,
            "end_time": rfc2822(start + duration) if status == "completed" else None,
            "duration": str(duration), "queue_time": "0",
            "price": f"-{0.014 * max(1, -(-duration // 60)):.5f}" if duration else None,
            "answered_by": s.rng.choice((None, "human", "machine_start"))
            if direction == "outbound-api" and status == "completed" else None}
        call = s.add("api", s.acct("Calls"), "api.v2010.account.call", values, ts)
        if call["start_time"]:
            call["_t_start_time"] = float(start)
        calls.append(call)
        _events(s, call, ts)
        if status == "completed" and duration > 10 and s.rng.random() < 0.35:
            _recording(s, call, start, duration)
    _conferences(s, calls)


def _conferences(s: Seeder, calls: list[dict[str, Any]]) -> None:
    names = ("Team standup", "Support escalation", "Sales weekly", "Incident bridge",
             "Customer onboarding", "Board prep")
    live_calls = iter(calls[-LIVE_CONFERENCES * 5:])
    for i in range(CONFERENCES):
        live = i >= CONFERENCES - LIVE_CONFERENCES
        ts = SEED_END - (CONFERENCES - i) * 5 * 86400
        conf = s.add("api", s.acct("Conferences"), "api.v2010.account.conference", {
            "sid": s.sid("CF"), "friendly_name": f"{names[i % len(names)]} {i + 1}",
            "region": "us1", "status": "in-progress" if live else "completed",
            "reason_conference_ended": None if live else "last-participant-left"}, ts)
        if not live:
            continue
        segs = s.acct("Conferences", conf["sid"], "Participants")
        for j in range(2 + s.rng.randrange(4)):
            call = next(live_calls)
            call.update(status="in-progress", end_time=None, duration=None, price=None)
            s.add("api", segs, "api.v2010.account.conference.participant", {
                "call_sid": call["sid"], "conference_sid": conf["sid"],
                "label": ("customer", "agent", "supervisor")[min(j, 2)], "coaching": False,
                "end_conference_on_exit": j == 1, "muted": j == 2, "hold": False,
                "start_conference_on_enter": True,
                "status": "connected" if j < 3 else "ringing", "queue_time": "0"}, ts + j)


def seed_chat(s: Seeder, people: list[str]) -> None:
    service = s.add("conversations", ("v1", "Services"), "conversations.v1.service", {
        "sid": s.sid("IS"), "friendly_name": "Default Conversations Service (sandbox)"},
        SEED_END - 300 * 86400)
    subjects = ("Order support", "Delivery question", "Refund request", "Product advice",
                "Booking change")
    for i in range(CONVERSATIONS):
        ts = SEED_END - (CONVERSATIONS - i) * 3 * 86400
        conv = s.add("conversations", ("v1", "Conversations"), "conversations.v1.conversation", {
            "sid": s.sid("CH"), "chat_service_sid": service["sid"],
            "messaging_service_sid": MESSAGING_SERVICE_SID,
            "friendly_name": f"{subjects[i % len(subjects)]} #{1000 + i}",
            "unique_name": f"case-{1000 + i}", "attributes": "{}",
            "state": ("active", "inactive", "closed")[0 if i % 5 else 2 - i % 2],
            "timers": {}}, ts)
        segs = ("v1", "Conversations", conv["sid"], "Participants")
        customer = s.rng.choice(people)
        members = [s.add("conversations", segs,
                         "conversations.v1.conversation.conversation_participant", {
            "sid": s.sid("MB"), "conversation_sid": conv["sid"], "attributes": "{}",
            "messaging_binding": {"type": "sms", "address": customer,
                                  "proxy_address": "+14155550100"},
            "role_sid": "RL" + "0" * 31 + "1", "last_read_message_index": None}, ts)]
        for agent in s.rng.sample(AGENTS, 1 + s.rng.randrange(2)):
            members.append(s.add("conversations", segs,
                                 "conversations.v1.conversation.conversation_participant", {
                "sid": s.sid("MB"), "conversation_sid": conv["sid"], "identity": agent,
                "attributes": "{}", "role_sid": "RL" + "0" * 31 + "2",
                "last_read_message_index": 0}, ts + 60))
        msegs = ("v1", "Conversations", conv["sid"], "Messages")
        for k in range(2 + s.rng.randrange(5)):
            who = members[k % len(members)]
            s.add("conversations", msegs, "conversations.v1.conversation.conversation_message", {
                "sid": s.sid("IM"), "conversation_sid": conv["sid"], "index": k,
                "author": who["identity"] or customer, "participant_sid": who["sid"],
                "body": ("Hi, I need help with my order.", "Sure, let me check that for you.",
                         "Thanks!", "It has shipped today.")[k % 4],
                "attributes": "{}"}, ts + 120 + 30 * k)


def seed_notify(s: Seeder, people: list[str]) -> None:
    for n, name in enumerate(("Order updates (sandbox)", "Marketing (sandbox)")):
        ts = SEED_END - (200 - n) * 86400
        service = s.add("notify", ("v1", "Services"), "notify.v1.service", {
            "sid": s.sid("IS"), "friendly_name": name, "log_enabled": True,
            "messaging_service_sid": MESSAGING_SERVICE_SID,
            "default_apn_notification_protocol_version": "3",
            "default_gcm_notification_protocol_version": "3",
            "default_fcm_notification_protocol_version": "3",
            "delivery_callback_enabled": False}, ts)
        segs = ("v1", "Services", service["sid"], "Bindings")
        for i in range(BINDINGS):
            kind = ("apn", "fcm", "sms")[i % 3]
            address = (s.rng.choice(people) if kind == "sms"
                       else f"{s.rng.getrandbits(128):032x}")
            s.add("notify", segs, "notify.v1.service.binding", {
                "sid": s.sid("BS"), "service_sid": service["sid"],
                "credential_sid": None if kind == "sms" else s.sid("CR"),
                "notification_protocol_version": "3", "endpoint": f"endpoint-{i}",
                "identity": f"user-{i % 8:03d}", "binding_type": kind, "address": address,
                "tags": ["premium"] if i % 4 == 0 else ["new"]}, ts + 3600 * (i + 1))
