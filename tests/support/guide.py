"""The adapter guide's sample payloads, verbatim (the behaviour the tests must match)."""

from __future__ import annotations

# 5.1 Send Message, Basic: the JSON body
SEND_MESSAGE_JSON = """{
  "From": "+14155552671",
  "To": "+919876543210",
  "Body": "Hi John, your order has been shipped and will arrive tomorrow.",
  "MediaUrl": [
    "https://demo.twilio.com/owl.png"
  ],
  "StatusCallback": "https://api.example.com/twilio/status",
  "Tags": "{\\"order_id\\":\\"ORD-78456\\", \\"channel\\":\\"whatsapp\\", \\"notification_type\\":\\"shipping_update\\"}"
}"""  # noqa: E501 - the guide's payload, verbatim

# 5.1 Send Message, Advanced: the form-encoded body
SEND_MESSAGE_FORM = ("From=+11458725991&To=+919458204599&Body=Hi John, your order has been "
                     "shipped and will arrive tomorrow.")

# 5.5 Create Conference Participant: the JSON body
CONFERENCE_PARTICIPANT_JSON = """{
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
