"""Webhooks: Twilio calling the notebook back.

* :mod:`.signature`: ``X-Twilio-Signature`` (HMAC-SHA1 over the URL and sorted parameters);
* :mod:`.twiml`: TwiML replies, checked before they are served;
* :mod:`.inbox`: :class:`Inbox`, a local server that checks each signature and keeps each
  request as a row (its HTTP side, quick and quiet, in ``_inbox_http``).

May import: the session (for the auth token that checks signatures), answers (tables),
convert, errors. Never: the front ends, the sandbox, IPython, ipywidgets.
"""
