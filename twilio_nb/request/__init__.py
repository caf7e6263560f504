"""Requests: from the Processing tab's fields to one request, checked before it is sent.

* :mod:`.built`: :class:`BuiltRequest`, the request model;
* :mod:`.build`: ``build_basic`` / ``build_advanced``, its builders;
* :mod:`.validate`: parameters checked against the catalog (types, enums, required);
* :mod:`.urls`: hosts, regions and edges, path parameters, format suffixes;
* :mod:`.body_encoding`: JSON body to form encoding, queries, header selection;
* :mod:`.body_templates`: the bodies an operation needs (and the guide's samples).

May import: catalog, errors, vocabulary. Never: transport, answers, paging, the session, the
front ends.
"""
