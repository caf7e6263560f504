"""Body templates: what a form's Body starts from, per operation.

Every operation that takes a body has a **Required fields** template: the fields Twilio needs
before it accepts the request, with typed empty values. That is the spec's required body
parameters, plus the ones Twilio requires "one of" and the spec cannot mark as required:
Send Message needs ``From`` (or ``MessagingServiceSid``) and ``Body`` (or ``MediaUrl``) besides
``To`` (Twilio refuses ``{"To": ...}`` alone with error 21603, "A 'From' phone number is
required"), Create Call needs ``Url`` (or ``Twiml`` or ``ApplicationSid``) besides ``To`` and
``From`` (Twilio's API reference for Create Call: Url is required unless one of the others is
given).

The adapter guide's sample payloads are templates of their operations, verbatim: 5.1 Send
Message (the Basic JSON and the Advanced form-encoded body) and 5.5 Create Conference
Participant (source: the SAP Twilio adapter guide, sections 5.1 and 5.5, as kept in
``../shared/guide/000_b09ca515a3fa25e3.txt``).

JSON templates are for the Basic Body, form-encoded ones for the Advanced Body.
"""

from __future__ import annotations

import json
from typing import Any

from ..catalog import Operation, Param
from .body_encoding import form_text

__all__ = ["GUIDE_FORM", "GUIDE_JSON", "REQUIRED", "form_templates", "json_templates",
           "required_fields"]

REQUIRED = "Required fields"

# operation id -> the fields Twilio needs, in the order a person fills them in
_NEEDED: dict[str, tuple[str, ...]] = {
    "api_v2010.CreateMessage": ("From", "To", "Body"),
    "api_v2010.CreateCall": ("From", "To", "Url"),
}

_SEND_MESSAGE_JSON = """{
  "From": "+14155552671",
  "To": "+919876543210",
  "Body": "Hi John, your order has been shipped and will arrive tomorrow.",
  "MediaUrl": [
    "https://demo.twilio.com/owl.png"
  ],
  "StatusCallback": "https://api.example.com/twilio/status",
  "Tags": "{\\"order_id\\":\\"ORD-78456\\", \\"channel\\":\\"whatsapp\\", \\"notification_type\\":\\"shipping_update\\"}"
}"""  # noqa: E501 - the guide's payload, verbatim

_PARTICIPANT_JSON = """{
  "From": "+14155552671",
  "To": "+919876543210",
  "Label": "customer",
  "EarlyMedia": true,
  "Beep": "onEnter",
  "Muted": false,
  "StartConferenceOnEnter": true,
  "EndConferenceOnExit": false,
  "Record": false,
  "StatusCallback": "https://api.example.com/twilio/status",
  "StatusCallbackMethod": "POST",
  "StatusCallbackEvent": "ringing answered completed",
  "Timeout": 60,
  "TimeLimit": 3600
}"""

# operation id -> {template name: text}
GUIDE_JSON: dict[str, dict[str, str]] = {
    "api_v2010.CreateMessage": {"Guide 5.1: Send Message": _SEND_MESSAGE_JSON},
    "api_v2010.CreateParticipant": {"Guide 5.5: Create Conference Participant":
                                    _PARTICIPANT_JSON},
}
GUIDE_FORM: dict[str, dict[str, str]] = {
    "api_v2010.CreateMessage": {
        "Guide 5.1: Send Message (Advanced)":
            "From=+11458725991&To=+919458204599&Body=Hi John, your order has been shipped "
            "and will arrive tomorrow."},
}


def _empty(param: Param | None) -> Any:
    """A typed empty value: what the template shows before the user fills it in."""
    if param is None:
        return ""
    if param.array:
        return []
    if param.enum:
        return param.enum[0]
    if param.type == "boolean":
        return False
    if param.type == "integer":
        return int(param.minimum) if param.minimum is not None else 0
    if param.type == "number":
        return 0
    return ""


def required_fields(op: Operation) -> dict[str, Any]:
    """The body fields ``op`` needs, with typed empty values (empty when it takes no body)."""
    body = op.params_in("body")
    if not body:
        return {}
    names = list(_NEEDED.get(op.id, ()))
    names += [p.name for p in body if p.required and p.name not in names]
    return {name: _empty(op.param(name)) for name in names}


def json_templates(op: Operation | None) -> dict[str, str]:
    """The Basic Body's templates of ``op``: name -> JSON text, "Required fields" first; empty
    when the operation takes no body."""
    if op is None or not op.params_in("body"):
        return {}
    return {REQUIRED: json.dumps(required_fields(op), indent=2), **GUIDE_JSON.get(op.id, {})}


def form_templates(op: Operation | None) -> dict[str, str]:
    """The Advanced Body's templates of ``op``: name -> form-encoded text, "Required fields"
    first; empty when the operation takes no body."""
    if op is None or not op.params_in("body"):
        return {}
    needed = {name: "" for name in required_fields(op)}
    return {REQUIRED: form_text(needed), **GUIDE_FORM.get(op.id, {})}
