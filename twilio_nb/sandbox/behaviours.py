"""Where the sandbox knows more than the catalog: the rules of particular resources.

Messages and calls check their fields with Twilio's error codes and honour Twilio's magic
test numbers (from Twilio's "Test Credentials" page; in the sandbox they work with its
ordinary credentials):

=================  ===========================================================================
Messages, From     +15005550001 21212 invalid · +15005550007 21606 not owned/not SMS-capable ·
                   +15005550008 21611 queue full · +15005550009 21606 not SMS-capable ·
                   +15005550006 valid
Messages, To       +15005550001 21211 invalid · +15005550002 21612 cannot route ·
                   +15005550003 21408 no international permission · +15005550004 21610
                   unsubscribed/blocked · +15005550009 21614 not a mobile number
Calls, From        +15005550001 21212 invalid · +15005550006 valid
Calls, To          +15005550001 21217 invalid · +15005550002 21214 cannot route ·
                   +15005550003 21215 no international permission · +15005550004 21216 blocked
Buying a number    PhoneNumber +15005550000 21422 unavailable · +15005550001 21421 invalid ·
                   +15005550006 available · AreaCode 533 21452 none found · AreaCode 500 gives
                   +15005550006
=================  ===========================================================================

These fail at create. Numbers that are accepted and fail later (a message ``undelivered``
or ``failed`` with its ErrorCode, a call ``busy``, ``no-answer`` or ``failed``:
+15005550010-12, +15005550020-22) are the sandbox's own and live in ``lifecycle``.

Missing fields: message To 21604, From (or MessagingServiceSid) 21603, Body (or MediaUrl or
ContentSid) 21602; call To 21201, From 21213, Url (or Twiml or ApplicationSid) 21205. Any
other required parameter the catalog names: 400 with code 20001 (Twilio's generic code for a
missing or invalid parameter).

Also here: a sent message's status, segments and media; a bought number leaving the available
lists; a conference named by FriendlyName instead of its SID (created when new); recordings
listed both under their call and under the account.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .names import friendly
from .refusals import check_service, impossible_to
from .resources import ApiError, Form, RouteTarget, locate, new_sid
from .routes import V2010
from .rows import segments
from .state_protocol import State

__all__ = ["COMPLETE", "PREPARE", "VALIDATE", "first", "mirrors"]

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
ALPHA_SENDER = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$")

MESSAGE_FROM = {
    "+15005550001": (21212, "The 'From' number +15005550001 is not a valid phone number, "
                            "shortcode, or alphanumeric sender ID."),
    "+15005550007": (21606, "The 'From' phone number provided (+15005550007) is not a valid "
                            "message-capable Twilio phone number for this account."),
    "+15005550008": (21611, "This 'From' number has exceeded the maximum number of queued "
                            "messages."),
    "+15005550009": (21606, "The 'From' phone number provided (+15005550009) is not a valid "
                            "message-capable Twilio phone number for this account."),
}
MESSAGE_TO = {
    "+15005550001": (21211, "Invalid 'To' Phone Number: +15005550001"),
    "+15005550002": (21612, "The 'To' phone number +15005550002 is not currently reachable via "
                            "SMS."),
    "+15005550003": (21408, "Permission to send an SMS has not been enabled for the region "
                            "indicated by the 'To' number: +15005550003."),
    "+15005550004": (21610, "Attempt to send to unsubscribed recipient +15005550004."),
    "+15005550009": (21614, "'To' number +15005550009 is not a valid mobile number."),
}
CALL_FROM = {"+15005550001": (21212, "Invalid From Number (caller ID): +15005550001")}
CALL_TO = {
    "+15005550001": (21217, "Phone number +15005550001 does not appear to be valid."),
    "+15005550002": (21214, "'To' phone number +15005550002 cannot be reached."),
    "+15005550003": (21215, "Account not authorized to call +15005550003 (geographic "
                            "permissions)."),
    "+15005550004": (21216, "Call blocked: +15005550004 is on the blocked list."),
}
BUY = {"+15005550000": (21422, "PhoneNumber +15005550000 is not available."),
       "+15005550001": (21421, "PhoneNumber +15005550001 is invalid.")}
MAGIC_VALID = "+15005550006"


def first(form: Form, name: str) -> str:
    values = form.get(name) or [""]
    return values[-1].strip()


def _bad(code: int, message: str) -> ApiError:
    return ApiError(400, code, message)


def _address(value: str) -> str:
    """The number of a channel address: ``whatsapp:+1...`` -> ``+1...``."""
    return value.split(":", 1)[1] if value.startswith(("whatsapp:", "messenger:")) else value


# -- messages --

def validate_message(app: State, target: RouteTarget, form: Form) -> None:
    to, frm = first(form, "To"), first(form, "From")
    if not to:
        raise _bad(21604, "A 'To' phone number is required.")
    if not frm and not first(form, "MessagingServiceSid"):
        raise _bad(21603, "A 'From' phone number is required.")
    body = first(form, "Body")
    if not body and not form.get("MediaUrl") and not first(form, "ContentSid"):
        raise _bad(21602, "Message body is required.")
    if frm in MESSAGE_FROM:
        raise _bad(*MESSAGE_FROM[frm])
    if to in MESSAGE_TO:
        raise _bad(*MESSAGE_TO[to])
    if not E164.match(_address(to)) or impossible_to(_address(to)):
        raise _bad(21211, f"Invalid 'To' Phone Number: {to}")
    if frm and not (E164.match(_address(frm)) or ALPHA_SENDER.match(frm)):
        raise _bad(21212, f"The 'From' number {frm} is not a valid phone number, shortcode, or "
                          "alphanumeric sender ID.")
    if frm and to.startswith("whatsapp:") != frm.startswith("whatsapp:"):
        raise _bad(21910, "Invalid From and To pair. From and To should be of the same channel.")
    if len(body) > 1600:
        raise _bad(21617, "The concatenated message body exceeds the 1600 character limit.")
    if first(form, "MessagingServiceSid"):
        check_service(app, first(form, "MessagingServiceSid"))


def complete_message(app: State, target: RouteTarget, form: Form, rec: dict[str, Any]) -> None:
    media = form.get("MediaUrl") or []
    if media:
        rec["sid"] = "MM" + rec["sid"][2:]
        locate(app.router, target, (*target.segments, rec["sid"]), rec)
    via_service = bool(first(form, "MessagingServiceSid")) and not first(form, "From")
    rec.update(status="accepted" if via_service or first(form, "SendAt") else "queued",
               direction="outbound-api", num_segments=str(segments(first(form, "Body"))),
               num_media=str(len(media)), price=None, date_sent=None, error_code=None,
               error_message=None)
    segs = (*target.segments, rec["sid"], "Media")
    for _ in media:
        app.insert("api", segs, app.maker.record("api", segs, "api.v2010.account.message.media", {
            "sid": new_sid("ME"), "parent_sid": rec["sid"], "content_type": "image/png"},
            app.now()))


# -- calls --

def validate_call(app: State, target: RouteTarget, form: Form) -> None:
    to, frm = first(form, "To"), first(form, "From")
    if not to:
        raise _bad(21201, "No 'To' number is specified.")
    if not frm:
        raise _bad(21213, "No 'From' number is specified.")
    if not (first(form, "Url") or first(form, "Twiml") or first(form, "ApplicationSid")):
        raise _bad(21205, "Url parameter is required. Give a Url, Twiml or ApplicationSid.")
    if frm in CALL_FROM:
        raise _bad(*CALL_FROM[frm])
    if to in CALL_TO:
        raise _bad(*CALL_TO[to])
    if not ((E164.match(to) and not impossible_to(to)) or to.startswith(("client:", "sip:"))):
        raise _bad(21217, f"Phone number {to} does not appear to be valid.")
    if not (E164.match(frm) or frm.startswith("client:")):
        raise _bad(21212, f"Invalid From Number (caller ID): {frm}")


def complete_call(app: State, target: RouteTarget, form: Form, rec: dict[str, Any]) -> None:
    rec.update(status="queued", direction="outbound-api", to_formatted=friendly(rec["to"]),
               from_formatted=friendly(rec["from"]), queue_time="0", duration=None, price=None)


# -- incoming phone numbers --

_KINDS = {"Local": "local", "Mobile": "mobile", "TollFree": "toll-free"}


def validate_number(app: State, target: RouteTarget, form: Form) -> None:
    phone, area = first(form, "PhoneNumber"), first(form, "AreaCode")
    if phone in BUY:
        raise _bad(*BUY[phone])
    if not phone and not area:
        raise _bad(20001, "Missing required parameter PhoneNumber or AreaCode in the post body")
    if area == "533":
        raise _bad(21452, "No phone numbers found in area code 533.")


def complete_number(app: State, target: RouteTarget, form: Form, rec: dict[str, Any]) -> None:
    phone, area = first(form, "PhoneNumber"), first(form, "AreaCode")
    kind = target.segments[-1] if target.segments[-1] in _KINDS else None
    found: dict[str, Any] | None = None
    if phone == MAGIC_VALID or area == "500":
        found = {"phone_number": MAGIC_VALID, "friendly_name": friendly(MAGIC_VALID),
                 "capabilities": {"voice": True, "SMS": True, "MMS": True, "fax": False}}
        kind = kind or "Local"
    else:
        prefix = (*target.segments[:3], "AvailablePhoneNumbers")
        for path, coll in app.store.under("api", prefix):
            if len(path) != 6 or (kind and path[-1] != kind):
                continue
            for cand in coll.records():
                number = str(cand.get("phone_number"))
                if number == phone or (not phone and path[-2] == "US"
                                       and number.startswith("+1" + area)):
                    found = dict(cand)
                    coll.remove(coll.key_of(cand))
                    kind = path[-1]
                    break
            if found:
                break
    if found is None:
        if phone:
            raise _bad(21422, f"PhoneNumber {phone} is not available.")
        raise _bad(21452, f"No phone numbers found in area code {area}.")
    caps = found.get("capabilities") or {}
    rec.update(phone_number=found["phone_number"],
               friendly_name=first(form, "FriendlyName") or found["friendly_name"],
               capabilities={k.lower(): v for k, v in caps.items()}, origin="twilio",
               status="in-use", type=_KINDS.get(kind or "Local", "local"), beta=False,
               address_requirements=found.get("address_requirements") or "none")


# -- conference participants, call recordings, conversations --

def prepare_participant(app: State, target: RouteTarget, form: Form) -> RouteTarget:
    """A ConferenceSid that is not a SID names a conference: found, or created."""
    name = target.segments[4]
    if name.startswith("CF") and len(name) == 34:
        return target
    segs = target.segments[:4]
    coll = app.store.collection("api", segs)
    for conf in coll.records():
        if conf.get("friendly_name") == name and conf.get("status") != "completed":
            return RouteTarget(target.route, (*segs, str(conf["sid"]), "Participants"), target.base,
                          target.account_sid)
    conf = app.maker.record("api", segs, "api.v2010.account.conference", {
        "sid": new_sid("CF"), "friendly_name": name, "status": "init", "region": "us1"},
        app.now())
    app.insert("api", segs, conf)
    return RouteTarget(target.route, (*segs, conf["sid"], "Participants"), target.base,
                  target.account_sid)


def complete_participant(app: State, target: RouteTarget, form: Form, rec: dict[str, Any]) -> None:
    rec["status"] = "queued"
    calls = (*target.segments[:3], "Calls")
    to, frm = first(form, "To"), first(form, "From")
    app.insert("api", calls, app.maker.record("api", calls, "api.v2010.account.call", {
        "sid": rec["call_sid"], "to": to, "from": frm, "to_formatted": friendly(to),
        "from_formatted": friendly(frm),
        "status": "queued", "direction": "outbound-api", "queue_time": "0"}, app.now()))


def complete_recording(app: State, target: RouteTarget, form: Form, rec: dict[str, Any]) -> None:
    channels = first(form, "RecordingChannels")
    rec.update(status="in-progress", source="StartCallRecordingAPI", duration="-1",
               channels=2 if channels == "dual" else 1, start_time=rec.get("date_created"),
               track=first(form, "RecordingTrack") or "both",
               media_url="/" + "/".join((*target.segments[:3], "Recordings", rec["sid"])))


def complete_conversation(app: State, target: RouteTarget, form: Form, rec: dict[str, Any]) -> None:
    services = app.store.find("conversations", ("v1", "Services"))
    if rec.get("chat_service_sid") is None and services and len(services):
        rec["chat_service_sid"] = services.records()[0]["sid"]
    rec["timers"] = rec.get("timers") or {}


def complete_conversation_participant(app: State, target: RouteTarget, form: Form,
                                      rec: dict[str, Any]) -> None:
    address = first(form, "MessagingBinding.Address")
    if address:
        rec["messaging_binding"] = {
            "type": "whatsapp" if address.startswith("whatsapp:") else "sms",
            "address": address, "proxy_address": first(form, "MessagingBinding.ProxyAddress")}


def complete_conversation_message(app: State, target: RouteTarget, form: Form,
                                  rec: dict[str, Any]) -> None:
    coll = app.store.find("conversations", target.segments)
    rec["index"] = len(coll) if coll else 0
    rec["author"] = rec.get("author") or "system"


def complete_notification(app: State, target: RouteTarget, form: Form, rec: dict[str, Any]) -> None:
    rec["priority"] = rec.get("priority") or "high"
    rec["ttl"] = rec.get("ttl") or 2419200


def mirrors(product: str, segs: tuple[str, ...], rec: Any) -> list[tuple[str, ...]]:
    """Other collections holding the same record: a recording is listed under its call (or
    conference) and under the account."""
    if product != "api" or len(segs) < 4 or segs[0] != V2010 or segs[-1] != "Recordings":
        return []
    acct = segs[:3]
    paths = [(*acct, "Recordings")]
    if rec.get("call_sid"):
        paths.append((*acct, "Calls", str(rec["call_sid"]), "Recordings"))
    if rec.get("conference_sid"):
        paths.append((*acct, "Conferences", str(rec["conference_sid"]), "Recordings"))
    return [p for p in paths if p != segs]


Validate = Callable[[State, RouteTarget, Form], None]
Complete = Callable[[State, RouteTarget, Form, dict[str, Any]], None]
_NUMBERS = ("CreateIncomingPhoneNumber", "CreateIncomingPhoneNumberLocal",
            "CreateIncomingPhoneNumberMobile", "CreateIncomingPhoneNumberTollFree")

PREPARE: dict[str, Callable[[State, RouteTarget, Form], RouteTarget]] = {
    "api_v2010.CreateParticipant": prepare_participant}
VALIDATE: dict[str, Validate] = {
    "api_v2010.CreateMessage": validate_message, "api_v2010.CreateCall": validate_call,
    **{f"api_v2010.{n}": validate_number for n in _NUMBERS}}
COMPLETE: dict[str, Complete] = {
    "api_v2010.CreateMessage": complete_message, "api_v2010.CreateCall": complete_call,
    **{f"api_v2010.{n}": complete_number for n in _NUMBERS},
    "api_v2010.CreateParticipant": complete_participant,
    "api_v2010.CreateCallRecording": complete_recording,
    "conversations_v1.CreateConversation": complete_conversation,
    "conversations_v1.CreateConversationParticipant": complete_conversation_participant,
    "conversations_v1.CreateConversationMessage": complete_conversation_message,
    "notify_v1.CreateNotification": complete_notification,
}
