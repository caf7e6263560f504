"""The walk: one page after the other, and what every walk deals in.

* :mod:`._walk`: :class:`Walk` (next page after next page: limit, progress, cancel, resume);
* :mod:`._ahead`: prefetching the next pages in a thread; :mod:`._cursor`: the next page's
  address as the server gave it (an address seen twice stops the walk);
* :mod:`._page_size`: the page size a walk asks for (big pages, the user's size kept);
* :mod:`._page_types`: the :class:`Page` protocols a walk knows its pages by (and their
  :class:`PageOrigin`), :class:`Progress`;
* :mod:`._bar` (a tqdm bar of records), :mod:`._gc_pause` (the collector paused while a page
  is decoded).

The ground of paging: imports errors and request's types, nothing of the other wings
(:mod:`..slices`, :mod:`..export`) nor of paging's entry and options. The rest of the package
reaches it through :mod:`twilio_nb.paging`'s face.
"""
