"""Webhooks: Twilio calling the notebook back.

* :mod:`.inbox`: :class:`Inbox`, a local server that checks each signature and keeps each
  request as a row (its HTTP side, quick and quiet, in ``_inbox_http``).

The protocol it speaks (the signature, TwiML) is :mod:`twilio_nb.webhook_protocol`, which the
sandbox shares; ``tw.inbox()``, which takes the auth token from a connection, is
:mod:`twilio_nb.session.webhook_inbox`.

May import: the webhook protocol, answers (tables), errors. Never: the session, the front
ends, the sandbox, IPython, ipywidgets.
"""
