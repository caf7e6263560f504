"""The session: the adapter's Connection tab and what a connection holds.

* :mod:`.settings`: :class:`ConnectionSettings`, every setting of a connection with its
  default, check and help (what every front end reads);
* :mod:`.connection`: :class:`Connection` (address, authentication, timeouts, reuse) with
  ``basic()``, ``advanced()`` and ``execute()``; :mod:`.default`: ``connect()`` and the
  default connection;
* :mod:`.credentials`: user credentials, the credential store, masking; :mod:`.account`:
  whose account a connection acts as; :mod:`.cassettes`: recording and replaying;
* :mod:`.sandbox_seam`: where the offline sandbox plugs in without being imported;
* :mod:`.webhook_inbox`: ``tw.inbox()``, an inbox checked with a connection's auth token.

May import: the layers below (webhooks, batch, answers, paging, transport, request, convert,
catalog, errors, vocabulary). Never: the front ends (magics, widgets), the sandbox, IPython,
ipywidgets. New session-wide features (recording a session, replaying one) go here.
"""
