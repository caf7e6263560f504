"""Copy as: a built request written as code to paste elsewhere.

* :mod:`.styles`: ``copy_as(built, style)`` for curl, ``%twilio``, the SAP adapter's settings,
  and the dispatcher over every style;
* :mod:`.sdk`: twilio-python and twilio-cli renderings, from the catalog's names.

May import: request, catalog, errors, vocabulary. Never: transport, answers, the session, the
front ends.
"""
