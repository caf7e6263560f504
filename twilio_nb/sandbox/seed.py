"""The seeded state: deterministic data sized for real exploration.

:func:`populate` fills a store with, for the sandbox account: the account itself, its API key
and balance; incoming numbers; available numbers for US, GB, DE and IN (``Local``, ``Mobile``,
``TollFree``); N messages over the last ``message_days`` days (default 2,500 over 180: SMS
and WhatsApp, several statuses, some with media, see ``rows``); and (in ``seed_voice``) 800
calls with events and recordings, conferences with participants, conversations with
participants and messages, and Notify services with bindings. The same ``seed`` gives the
same data, SIDs included.

Phone numbers are fictional: US ``555-01xx``, UK Ofcom drama ranges, and made-up DE/IN ones.
"""

from __future__ import annotations

import random
from typing import Any

from .constants import (
    API_KEY_SID,
    FRIENDLY_NAME,
    MESSAGING_SERVICE_SID,
    SEED_END,
    WHATSAPP_SENDER,
)
from .names import friendly
from .record_builder import Seeder
from .routes import V2010, Router
from .rows import message_rows
from .seed_voice import seed_calls, seed_chat, seed_notify
from .store import Store

__all__ = ["populate"]

# country: (name, [(type, prefix, locality, region, postal, lat, lon, count)], requirements)
COUNTRIES: dict[str, tuple[str, list[tuple[str, str, str, str, str, float, float]], str]] = {
    "US": ("United States", [
        ("Local", "+1415555", "San Francisco", "CA", "94103", 37.77, -122.42),
        ("Local", "+1212555", "New York", "NY", "10001", 40.75, -73.99),
        ("Local", "+1312555", "Chicago", "IL", "60601", 41.88, -87.62),
        ("Local", "+1512555", "Austin", "TX", "73301", 30.27, -97.74),
        ("Mobile", "+1206555", "Seattle", "WA", "98101", 47.61, -122.33),
        ("TollFree", "+1800555", "", "", "", 0.0, 0.0),
        ("TollFree", "+1833555", "", "", "", 0.0, 0.0)], "none"),
    "GB": ("United Kingdom", [
        ("Local", "+44207946", "London", "ENG", "EC1A", 51.52, -0.10),
        ("Local", "+44161496", "Manchester", "ENG", "M1", 53.48, -2.24),
        ("Mobile", "+447700900", "", "", "", 0.0, 0.0),
        ("TollFree", "+44808157", "", "", "", 0.0, 0.0)], "any"),
    "DE": ("Germany", [
        ("Local", "+4930901820", "Berlin", "BE", "10115", 52.53, 13.38),
        ("Local", "+4989901820", "Munich", "BY", "80331", 48.14, 11.58),
        ("Mobile", "+4915510", "", "", "", 0.0, 0.0),
        ("TollFree", "+49800100", "", "", "", 0.0, 0.0)], "local"),
    "IN": ("India", [
        ("Local", "+918049", "Bengaluru", "KA", "560001", 12.97, 77.59),
        ("Local", "+912261", "Mumbai", "MH", "400001", 19.08, 72.88),
        ("Mobile", "+917010", "", "", "", 0.0, 0.0),
        ("TollFree", "+9118002", "", "", "", 0.0, 0.0)], "any"),
}
NUMBERS_PER_BLOCK = 12

BODY_TEMPLATES = (
    "Hi {name}, your order {order} has been shipped and will arrive tomorrow.",
    "Your verification code is {code}. It expires in 10 minutes.",
    "Reminder: your appointment with Dr. {name} is on {day} at {hour}:00.",
    "Thanks for your payment of ${amount}. Reply STOP to unsubscribe.",
    "Your table for {n} is confirmed for {day} at {hour}:30.",
    "Flight TW{order} now boards at gate {gate}.",
    "Hola {name}, tu pedido {order} está en camino 🚚",
    "Grüße aus Köln! Ihr Paket {order} wurde zugestellt.",
    "नमस्ते {name}, आपका OTP {code} है।",
    "Can you call me back?",
    "YES",
    "STOP",
    "Hi {name}! This is a longer update about order {order}: the courier tried to deliver it "
    "today but nobody was home. You can pick it up at the depot from {day} after {hour}:00, or "
    "reply with a new delivery date and we will try again.",
)
NAMES = ("John", "Asha", "Lena", "Marco", "Priya", "Tom", "Yuki", "Fatima", "Jonas", "Chloe")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def _account(s: Seeder, ts: float) -> None:
    s.add("api", (V2010, "Accounts"), "api.v2010.account", {
        "sid": s.account, "owner_account_sid": s.account, "friendly_name": FRIENDLY_NAME,
        "status": "active", "type": "Full", "auth_token": "****"}, ts)
    s.add("api", s.acct("Keys"), "api.v2010.account.key",
          {"sid": API_KEY_SID, "friendly_name": "twilio_nb sandbox API key"}, ts)
    s.store.set_singleton("api", s.acct("Balance"), {
        "account_sid": s.account, "balance": "500.00", "currency": "USD", "_seq": 0})


def _available(s: Seeder, ts: float) -> None:
    kinds = {"Local": "local", "Mobile": "mobile", "TollFree": "toll_free"}
    for code, (country, blocks, requirement) in COUNTRIES.items():
        base = s.acct("AvailablePhoneNumbers", code)
        s.add("api", s.acct("AvailablePhoneNumbers"),
              "api.v2010.account.available_phone_number_country",
              {"country_code": code, "country": country, "beta": False,
               "uri": "/" + "/".join(base) + ".json",
               "subresource_uris": {v: "/" + "/".join(base) + f"/{k}.json"
                                    for k, v in kinds.items()}}, ts)
        for kind, prefix, locality, region, postal, lat, lon in blocks:
            resource = ("api.v2010.account.available_phone_number_country."
                        f"available_phone_number_{kinds[kind]}")
            width = 12 if code == "US" else 13 if code in ("GB", "IN") else 14
            for i in range(NUMBERS_PER_BLOCK):
                tail = 100 + i * 7 + s.rng.randrange(7)
                number = prefix + str(tail).zfill(width - len(prefix))
                s.add("api", (*base, kind), resource, {
                    "friendly_name": friendly(number), "phone_number": number,
                    "lata": "722" if code == "US" and kind == "Local" else None,
                    "locality": locality or None, "rate_center": locality.upper() or None,
                    "latitude": lat or None, "longitude": lon or None, "region": region or None,
                    "postal_code": postal or None, "iso_country": code,
                    "address_requirements": requirement, "beta": False,
                    "capabilities": {"voice": True, "SMS": kind != "TollFree" or code == "US",
                                     "MMS": code == "US", "fax": False}}, ts,
                      key_prop="phone_number")


OURS = (("+14155550100", "US", "local"), ("+14155550101", "US", "local"),
        ("+12125550102", "US", "local"),
        ("+18005550103", "US", "toll-free"), ("+447700900104", "GB", "mobile"),
        ("+4915510000105", "DE", "mobile"), ("+917010000106", "IN", "mobile"))


def _incoming(s: Seeder, ts: float) -> list[dict[str, Any]]:
    out = []
    for i, (number, country, kind) in enumerate(OURS):
        out.append(s.add("api", s.acct("IncomingPhoneNumbers"),
                         "api.v2010.account.incoming_phone_number", {
            "sid": s.sid("PN"), "friendly_name": friendly(number), "phone_number": number,
            "origin": "twilio", "status": "in-use", "type": kind, "beta": False,
            "capabilities": {"voice": True, "sms": True, "mms": country == "US", "fax": False},
            "address_requirements": "none", "voice_receive_mode": "voice",
            "emergency_status": "Inactive", "emergency_address_status": "unregistered",
            "sms_method": "POST", "voice_method": "POST", "sms_fallback_method": "POST",
            "voice_fallback_method": "POST", "status_callback_method": "POST",
            "sms_url": "https://demo.twilio.com/welcome/sms/reply",
            "voice_url": "https://demo.twilio.com/welcome/voice/",
            "voice_caller_id_lookup": False}, ts - 86400 * (400 - i)))
    return out


def customers(rng: random.Random, n: int = 400) -> list[str]:
    out = []
    for i in range(n):
        r = i % 4
        if r == 0:
            out.append(f"+1{rng.choice(('646', '312', '617', '303', '503'))}55501{i % 100:02d}")
        elif r == 1:
            out.append(f"+447700900{rng.randrange(1000):03d}")
        elif r == 2:
            out.append(f"+49151{rng.randrange(10**8):08d}")
        else:
            out.append(f"+9198{rng.randrange(10**8):08d}")
    return out


def bodies(rng: random.Random, n: int = 240) -> list[str]:
    return [rng.choice(BODY_TEMPLATES).format(
        name=rng.choice(NAMES), order=f"ORD-{rng.randrange(10000, 99999)}",
        code=f"{rng.randrange(10**6):06d}", day=rng.choice(DAYS), hour=rng.randrange(8, 18),
        amount=f"{rng.randrange(5, 500)}.{rng.randrange(100):02d}", n=rng.randrange(2, 9),
        gate=f"{rng.choice('ABCD')}{rng.randrange(1, 40)}") for _ in range(n)]


def _messages(s: Seeder, n: int, ours: list[str], people: list[str], days: int) -> None:
    rows = message_rows(n, seed=s.rng.randrange(2**31), account=s.account, days=days,
                        first_seq=s.store.reserve_seqs(n), end_ts=SEED_END, ours=ours,
                        customers=people, bodies=bodies(s.rng), whatsapp_from=WHATSAPP_SENDER,
                        messaging_service=MESSAGING_SERVICE_SID)
    s.coll("api", s.acct("Messages")).extend(list(rows))
    resource = "api.v2010.account.message.media"
    for row in rows:
        if row.num_media:
            segs = s.acct("Messages", row.sid, "Media")
            coll = s.store.collection("api", segs)
            for _ in range(row.num_media):
                coll.add(s.record("api", segs, resource, {
                    "sid": s.sid("ME"), "parent_sid": row.sid, "content_type": "image/png"},
                    row.ts))


def populate(store: Store, router: Router, account: str, *, messages: int, seed: int,
             message_days: int = 180) -> None:
    """Fill ``store`` with the seeded state (see the module docstring); the messages spread
    evenly over the ``message_days`` days up to ``SEED_END``."""
    s = Seeder(store, router, account, seed)
    start = SEED_END - 400 * 86400
    _account(s, start)
    _available(s, start)
    numbers = _incoming(s, start)
    people = customers(s.rng)
    seed_calls(s, [n["phone_number"] for n in numbers], people)
    seed_chat(s, people)
    seed_notify(s, people)
    sms = [n["phone_number"] for n in numbers if n["capabilities"]["sms"]]
    _messages(s, messages, sms, people, message_days)
