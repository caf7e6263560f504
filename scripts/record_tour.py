#!/usr/bin/env python3
"""Record the cassette notebooks/13_share_a_session.ipynb replays with no account:
``notebooks/cassettes/tour.yaml``, a session on the offline sandbox, scrubbed (``scrub="pii"``).

    python scripts/record_tour.py [OUT.yaml]

The calls are the notebook's (its "Replay the tour" cells): change both together.
"""

from __future__ import annotations

import sys
from pathlib import Path

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox

OUT = Path(__file__).resolve().parents[1] / "notebooks" / "cassettes" / "tour.yaml"
SEND = {"From": "+14155552671", "To": "+14155550100", "Body": "Hello from a replayed session"}


def tour(conn: tw.Connection) -> None:
    """The requests of the notebook's tour, in its order."""
    r = conn.basic("Message", "List Messages", query={"PageSize": 20})
    r.next_page()
    r.all(limit=100, progress=False)
    conn.basic("Message", "List Messages", query={"PageSize": 20}, response_format="csv")
    calls = conn.basic("Call", "List Calls", query={"PageSize": 10}, response_format="xml")
    conn.basic("Event", "List Call Events", params={"CallSid": calls.df["sid"].iloc[0]})
    conn.basic("Message", "Send Message", body=SEND)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else OUT
    with tw.Connection(sandbox=Sandbox(messages=300), record=out) as conn:
        tour(conn)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
