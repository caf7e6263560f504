"""Date slices and concurrency: a list cut by its date filter into slices walked at once.

* :mod:`._slice_dates`: the date maths (bounds, units, split points, the date filter);
* :mod:`._slice_plan`: the plan of slices and each one's state (the range checked against
  the request);
* :mod:`._slice_scheduler`: the slices run ``concurrency`` at a time under one gate, split
  while walked (:mod:`._slice_splits`);
* :mod:`._concurrent`: :class:`ConcurrentWalk`, the slices with the interface of a
  :class:`~..walk._walk.Walk` (one sequential walk where the list has no date filter).

Imports the walk wing (:mod:`..walk`), errors, convert (dates) and request's types; never
the export wing, paging's entry or options.
"""
