"""The webhook protocol: what Twilio and a webhook's receiver agree on, at the ground.

* :mod:`.signature`: ``X-Twilio-Signature`` (HMAC-SHA1 over the URL and sorted parameters),
  one computation to sign (the sandbox's callbacks) and to check (the inbox);
* :mod:`.twiml`: TwiML answers, checked and read (the inbox's replies, the sandbox's
  ``<Message>`` verbs).

Both the inbox (:mod:`twilio_nb.webhooks`) and the offline sandbox import it, so it imports
nothing that either stands on: errors, and convert's safe XML parser (deferred). Never the
session, answers, paging, transport, the front ends or the sandbox.
"""
