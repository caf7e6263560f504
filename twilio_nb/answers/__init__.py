"""Answers: what a request gives back.

* :mod:`.result`: :class:`Result`, one page of an answer (status, headers, records, typed
  ``df``) and :class:`Origin`, what it needs to ask for the next page;
* :mod:`.tables`: a Result as a text or HTML table, counts in words.

A Result reaches every walk (``all``, ``pages``, ``to_parquet``, concurrency) through the
:mod:`twilio_nb.paging` package's face, as httpx's Response does not know its Client. May
import: paging, transport (types), request, convert, errors, vocabulary. Never: the session,
the front ends, the sandbox.
"""
