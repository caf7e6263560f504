"""Transport: sending a built request over httpx, the one network seam.

* :mod:`.executor`: send, retry (429, 5xx for safe methods), timeouts, trace, size limits;
* :mod:`.gate`: how many requests may be in flight at once (a 429 closes it by one).

May import: request (types), convert (error bodies, deferred), errors. Never: answers,
paging, the session, the front ends, the sandbox.
"""
