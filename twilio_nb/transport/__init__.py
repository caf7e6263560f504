"""Transport: sending a built request over httpx, the one network seam.

* :mod:`.executor`: send, redirects, timeouts, credentials only to trusted hosts;
* :mod:`.retry`: the retry policy (429, 5xx for safe methods) and its backoff;
* :mod:`.response`: an answer's body read up to a cap, error answers as TwilioApiError;
* :mod:`.trace`: the trace and history of requests sent;
* :mod:`.gate`: how many requests may be in flight at once (a 429 closes it by one).

May import: request (types), convert (error bodies, deferred), errors. Never: answers,
paging, the session, the front ends, the sandbox.
"""
