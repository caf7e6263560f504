"""The sandbox account: fixed, public credentials that open nothing but the local sandbox.

They are public by design (every notebook and test uses them), yet every output of the
sandbox shows them masked (``ACxx…aa6e``, ``****``), as any credential should be.
"""

from __future__ import annotations

__all__ = ["ACCOUNT_SID", "API_KEY_SECRET", "API_KEY_SID", "AUTH_TOKEN", "CREDENTIAL_NAME",
           "FRIENDLY_NAME", "SANDBOX_HOST_HEADER", "SANDBOX_HOST_VALUE"]

ACCOUNT_SID = "ACaaac6570dfa44d1e64274126be9baa6e"
AUTH_TOKEN = "aef1e12835bd6a90fca8291f0cdf6322"
API_KEY_SID = "SKf0af3fcb53ba05a520a965802bfc8ab3"
API_KEY_SECRET = "0ccb9ab6fbbeace2ab44a7a0c833e3e7"

#: The name under which the connection and the form know the sandbox's credential.
CREDENTIAL_NAME = "sandbox"
FRIENDLY_NAME = "twilio_nb sandbox account"

#: Every answer of the sandbox carries this header, so that users and tests can tell.
SANDBOX_HOST_HEADER = "X-Twilio-Sandbox"
SANDBOX_HOST_VALUE = "twilio_nb sandbox"

MESSAGING_SERVICE_SID = "MG41f0b453173d0bb66497c66a7ddc6d28"
WHATSAPP_SENDER = "+14155238886"
#: The seeded data ends here (2025-06-30 12:00:00 UTC); what users create is dated now.
SEED_END = 1751284800
