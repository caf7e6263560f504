"""Shared bits of the batch tests: customers, the body template, counts per recipient."""

from __future__ import annotations

import uuid
from collections import Counter

import pandas as pd

import twilio_nb as tw

FROM = "+14155550100"


def customers(n: int, *, bad: dict[int, str] | None = None, token: str | None = None
              ) -> pd.DataFrame:
    """``n`` made-up customers (index ``c0``, ``c1``, ...), each with a number of its own; the
    positions in ``bad`` get that number instead (a Twilio magic number)."""
    token = token or uuid.uuid4().hex[:8]
    phones = [f"+1415556{i:04d}" for i in range(n)]
    for pos, number in (bad or {}).items():
        phones[pos] = number
    return pd.DataFrame({"phone": phones, "name": [f"Customer {i}" for i in range(n)],
                         "token": token, "segment": ["gold" if i % 3 == 0 else "basic"
                                                      for i in range(n)]},
                        index=[f"c{i}" for i in range(n)])


BODY = {"From": FROM, "To": "{phone}", "Body": "Hi {name}, your code {token}"}


def sent_per_recipient(conn: tw.Connection, token: str) -> Counter[str]:
    """How many messages the sandbox holds per To, among those whose body has ``token``."""
    listed = conn.basic("Message", "List Messages", query={"PageSize": 1000}).all(
        progress=False)
    mine = listed[listed["body"].astype(str).str.contains(token, regex=False)]
    return Counter(mine["to"].astype(str))
