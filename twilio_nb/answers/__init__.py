"""Answers: what a request gives back.

* :mod:`.result`: :class:`Result`, one page of an answer (status, headers, records, typed
  ``df``) and :class:`Origin`, what it needs to ask for the next page;
* :mod:`.headers`: the Response Headers rule (which headers a Result keeps);
* :mod:`.views`: a Result as text and HTML (status line, table, inline media);
* :mod:`.tables`: records as a text or HTML table, counts in words.

A Result reaches every walk (``all``, ``pages``, ``walk``, ``to_parquet``, concurrency)
through the :mod:`twilio_nb.paging` package's face only, as httpx's Response does not know
its Client. May import: paging's face, request (types), convert, errors, vocabulary. Never:
paging's private modules, transport, the session, the front ends, the sandbox.
"""
