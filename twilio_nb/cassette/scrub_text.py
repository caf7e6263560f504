"""The text rules of scrubbing: what a phone number, an email address, an Account SID, a
signed URL and a secret look like in text, and their stand-ins.

:class:`TextRules` holds the stand-ins of one cassette: the same phone number always
becomes the same fake number (``+1555010NNNN``, 555 being no real area code), the same
address the same ``personN@example.com``, the connection's Account SID the fixed
:data:`PLACEHOLDER_ACCOUNT` (another account ``AC000…N``), the same message body the same
``[message body N]``. Rules find values both as they are and percent-encoded (``%2B``,
``%40``), so a query string, a form body and a next-page URI inside a JSON body get the same
stand-ins. A value of a parameter the catalog types as a phone number (``To``, ``From``,
``PhoneNumber``, ...: :mod:`.phone_names`) is replaced whatever its form (``4155550144``,
``14155550145.0``), and so is that spelling wherever it is repeated later (Twilio's error
text: "The 'To' number 4155550144 is not a valid phone number."). Thread-safe.

Imports nothing of twilio_nb but :mod:`.phone_names` (the catalog's phone-number names).
"""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from urllib.parse import (
    parse_qsl,
    quote,
    quote_plus,
    unquote_plus,
    urlencode,
    urlsplit,
    urlunsplit,
)

from .phone_names import is_phone_name, phone_digits_of

__all__ = ["ACCOUNT_SID", "PLACEHOLDER_ACCOUNT", "SCRUBBED", "TextRules", "is_secret_name",
           "is_signing_or_secret_name", "is_stand_in", "secret_spellings"]

#: the Account SID every scrubbed cassette names (a replay matches it to any account)
PLACEHOLDER_ACCOUNT = "AC" + "0" * 32
#: what a secret value becomes
SCRUBBED = "[scrubbed]"

_PHONE = re.compile(r"(?<!\d)(\+|%2[Bb])([1-9]\d{7,14})(?!\d)")
_NATIONAL = re.compile(r"\((\d{3})\) (\d{3})-(\d{4})")
_EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9._+-]+)(@|%40)"
                    r"([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
#: an Account SID (the one pattern of the cassette package)
ACCOUNT_SID = re.compile(r"AC[0-9a-f]{32}")
_URL = re.compile(r"https?://[^\s\"'<>\\]+")
_STAND_IN_PHONE = re.compile(r"1555\d{7}")
_STAND_IN_BODY = re.compile(r"\[message body \d+\]")
_STAND_IN_EMAIL = re.compile(r"person\d+@example\.com")
# query parameters that sign a URL (S3, CloudFront, Google Cloud Storage, Azure, Twilio's own)
_SIGNING = {"signature", "x-amz-signature", "x-amz-credential", "x-amz-security-token",
            "x-amz-date", "x-amz-expires", "x-amz-signedheaders", "x-amz-algorithm",
            "awsaccesskeyid", "expires", "key-pair-id", "policy", "x-goog-signature",
            "x-goog-credential", "x-goog-date", "x-goog-expires", "x-goog-algorithm",
            "x-goog-signedheaders", "sig", "se", "sp", "sv", "sr", "token"}
# field, parameter, header and element names that hold a secret (lower case, no _ or -):
# these, and any name ending in one of _SECRET_ENDINGS (secondary_auth_token,
# signing_key_secret, client_secret, private_key_pem, ...) but those of _NOT_SECRET
_SECRET_NAMES = {"credential", "authorization", "proxyauthorization", "cookie", "setcookie",
                 "xtwiliosignature", "signature"}
_SECRET_ENDINGS = ("token", "secret", "password", "privatekey", "privatekeypem", "apikey")
# names that end like a secret's but hold none: paging cursors
_NOT_SECRET = {"pagetoken", "nextpagetoken", "previouspagetoken"}


def is_secret_name(name: str) -> bool:
    """A field, parameter, header or element that holds a secret (``auth_token``,
    ``SecondaryAuthToken``, ``client_secret``, ``Authorization``, ``X-Twilio-Signature``,
    ...; not ``PageToken``)."""
    bare = re.sub(r"[_\-\s]", "", name).lower()
    return bare in _SECRET_NAMES or (bare.endswith(_SECRET_ENDINGS)
                                     and bare not in _NOT_SECRET)


def is_signing_or_secret_name(name: str) -> bool:
    """A parameter whose value never goes into a cassette: a secret's (:func:`is_secret_name`)
    or one that signs a URL (``Signature``, ``X-Amz-Credential``, ``token``, ...): one rule for
    a request's own query and for the URLs inside bodies."""
    return name.lower() in _SIGNING or is_secret_name(name)


def secret_spellings(secret: str, user: str | None = None) -> list[str]:
    """Every way ``secret`` can show in a request or an answer: as it is, URL- and
    form-encoded, JSON-escaped, base64, and (with ``user``) as an Authorization header's
    ``user:secret``."""
    out = {secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1],
           base64.b64encode(secret.encode()).decode()}
    if user is not None:
        out.add(base64.b64encode(f"{user}:{secret}".encode()).decode())
    return sorted((s for s in out if len(s) >= 6), key=len, reverse=True)


def is_stand_in(value: str) -> bool:
    """A stand-in a scrubbed cassette holds in place of a phone number, an email address,
    a message body or the account (what a replay matches to any value of that kind)."""
    bare = value.removeprefix("whatsapp:").removeprefix("+")
    return (value == PLACEHOLDER_ACCOUNT or bool(_STAND_IN_PHONE.fullmatch(bare))
            or bool(_STAND_IN_BODY.fullmatch(value)) or bool(_STAND_IN_EMAIL.fullmatch(value)))


def kind_of_value(value: str) -> str | None:
    """phone, email or account for a value that is one of these (or a stand-in for it)."""
    bare = value.removeprefix("whatsapp:")
    if _PHONE.fullmatch(bare):
        return "phone"
    if _EMAIL.fullmatch(value):
        return "email"
    if ACCOUNT_SID.fullmatch(value):
        return "account"
    if phone_digits_of(bare) is not None and bare.strip()[:1].isdigit():
        return "phone"  # a number without +: a phone-number parameter's, as the user wrote it
    return None


class TextRules:
    """The stand-ins of one cassette, and the counts of what was replaced (``counts``)."""

    def __init__(self, *, pii: bool, account_sid: str | None, secrets: Iterable[str] = ()
                 ) -> None:
        self.pii = pii
        self.counts: Counter[str] = Counter()
        self._phones: dict[str, str] = {}
        self._emails: dict[str, str] = {}
        self._bodies: dict[str, str] = {}
        self._accounts: dict[str, str] = {}
        # phone numbers met in a loose form (4155550144, 14155550145.0) -> their stand-in
        self._loose: dict[str, str] = {}
        self._loose_pattern: re.Pattern[str] | None = None
        if account_sid:
            self._accounts[account_sid] = PLACEHOLDER_ACCOUNT
        self._secrets: list[str] = []
        self.add_secrets(secrets)

    def add_secrets(self, secrets: Iterable[str]) -> None:
        """Never write ``secrets`` either (longest first, so no part of one is left)."""
        self._secrets = sorted({*self._secrets, *(s for s in secrets if s)}, key=len,
                               reverse=True)

    # -- stand-ins ---------------------------------------------------------------------
    def _stand_in(self, table: dict[str, str], value: str, make: Callable[[int], str],
                  kind: str) -> str:
        found = table.get(value)
        if found is None:
            found = table[value] = make(len(table) + 1)
        self.counts[kind] += 1
        return found

    def phone_digits(self, digits: str) -> str:
        if _STAND_IN_PHONE.fullmatch(digits):
            return digits
        return self._stand_in(self._phones, digits, lambda n: (
            f"1555010{n:04d}" if n < 10000 else f"1555{1000000 + n:07d}"), "phone numbers")

    def phone_value(self, value: str) -> str:
        """The value of a phone-number parameter (:func:`.phone_names.is_phone_name`): a
        number in any form becomes its stand-in (``+`` kept when it had one), and its
        spelling is replaced wherever it shows later; anything else goes through
        :meth:`text`."""
        digits = phone_digits_of(value) if self.pii else None
        if digits is None or _STAND_IN_PHONE.fullmatch(digits):
            return self.text(value)
        stand_in = self.phone_digits(digits)
        written = value.strip()
        for spelling in {written, written.lstrip("+"), re.sub(r"\.0+$", "", written)}:
            if spelling and not spelling.startswith("+") and spelling not in self._loose:
                self._loose[spelling] = stand_in
                self._loose_pattern = None
        return ("+" if written.startswith("+") else "") + stand_in

    def _loose_numbers(self, value: str) -> str:
        """``value`` with the loose spellings of numbers met before replaced."""
        pattern = self._loose_pattern
        if pattern is None:
            spellings = sorted(self._loose, key=len, reverse=True)
            pattern = self._loose_pattern = re.compile(
                r"(?<![\d.])(" + "|".join(map(re.escape, spellings)) + r")(?!\d)")
        return pattern.sub(lambda m: self._count_loose(self._loose[m.group(1)]), value)

    def _count_loose(self, stand_in: str) -> str:
        self.counts["phone numbers"] += 1
        return stand_in

    def body(self, text: str) -> str:
        """The stand-in of a message body (an empty body stays empty)."""
        if not text or _STAND_IN_BODY.fullmatch(text) or not self.pii:
            return text
        return self._stand_in(self._bodies, text, lambda n: f"[message body {n}]",
                              "message bodies")

    def _email(self, match: re.Match[str]) -> str:
        local, at, domain = match.groups()
        if domain == "example.com" and local.startswith("person"):
            return match.group(0)
        name = self._stand_in(self._emails, f"{local}@{domain}".lower(),
                              lambda n: f"person{n}", "email addresses")
        return f"{name}{at}example.com"

    def _account(self, match: re.Match[str]) -> str:
        sid = match.group(0)
        if sid == PLACEHOLDER_ACCOUNT:
            return sid
        found = self._accounts.get(sid)
        if found is None:
            found = self._accounts[sid] = "AC" + f"{len(self._accounts) + 1:032x}"
        self.counts["Account SIDs"] += 1
        return found

    def distinct(self) -> dict[str, int]:
        """How many different phone numbers, emails and message bodies got stand-ins."""
        made = {"phone numbers": len(self._phones), "email addresses": len(self._emails),
                "message bodies": len(self._bodies)}
        return {kind: count for kind, count in made.items() if count}

    # -- text --------------------------------------------------------------------------
    def text(self, value: str) -> str:
        """``value`` with every rule applied: secrets and URL signatures always, phone
        numbers, email addresses and Account SIDs when scrubbing PII."""
        value = self.secrets(value)
        if "://" in value:
            value = _URL.sub(self._unsigned, value)
        if not self.pii:
            return value
        if "+" in value or "%2" in value:
            value = _PHONE.sub(lambda m: m.group(1) + self.phone_digits(m.group(2)), value)
        if ") " in value:
            value = _NATIONAL.sub(self._national, value)
        if self._loose:
            value = self._loose_numbers(value)
        if "@" in value or "%40" in value:
            value = _EMAIL.sub(self._email, value)
        if "AC" in value:
            value = ACCOUNT_SID.sub(self._account, value)
        return value

    def _national(self, match: re.Match[str]) -> str:
        digits = self.phone_digits("1" + "".join(match.groups()))
        return f"({digits[1:4]}) {digits[4:7]}-{digits[7:]}"

    def secrets(self, value: str) -> str:
        """``value`` with the connection's secrets (every spelling) replaced."""
        for secret in self._secrets:
            if secret in value:
                self.counts["secrets"] += value.count(secret)
                value = value.replace(secret, SCRUBBED)
        return value

    def secrets_bytes(self, value: bytes) -> bytes:
        for secret in self._secrets:
            raw = secret.encode()
            if raw in value:
                self.counts["secrets"] += value.count(raw)
                value = value.replace(raw, SCRUBBED.encode())
        return value

    def _unsigned(self, match: re.Match[str]) -> str:
        url = match.group(0)
        parts = urlsplit(url)
        if not parts.query:
            return url
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        kept = [(k, SCRUBBED if is_signing_or_secret_name(k) else v) for k, v in pairs]
        if kept == pairs and not parts.password:
            return url
        self.counts["signed URLs"] += 1
        netloc = parts.netloc.rsplit("@", 1)[-1]
        return urlunsplit((parts.scheme, netloc, parts.path, urlencode(kept), parts.fragment))

    # -- form-encoded text (request bodies, query strings) -----------------------------
    def form(self, encoded: str) -> str:
        """A form body or query string: message bodies (``Body``) and secret parameters
        replaced, every value through :meth:`text`; the encoding of the rest kept."""
        out = []
        for pair in encoded.split("&"):
            key, eq, value = pair.partition("=")
            name = unquote_plus(key)
            if eq and is_signing_or_secret_name(name):
                self.counts["secret fields"] += 1
                value = quote_plus(SCRUBBED)
            elif eq and name.lower() == "body" and self.pii:
                value = quote_plus(self.body(unquote_plus(value)))
            elif eq and self.pii and is_phone_name(name):
                value = quote_plus(self.phone_value(unquote_plus(value)))
            elif eq:
                value = self.text(value)
            out.append(key + eq + value)
        return "&".join(out)

    def uri(self, uri: str) -> str:
        """A request URI: its query as :meth:`form`, the rest through :meth:`text`."""
        head, mark, query = uri.partition("?")
        head = self.text(head)
        return head + mark + self.form(query) if mark else head
