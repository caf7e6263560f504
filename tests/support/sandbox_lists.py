"""The sandbox's 2010 lists that every format answers: the operation and its path under
the account (``{call}``, ``{message}``, ``{conference}``: a seeded parent's SID), shared by
the format tests and the XML fast-path tests, with the seeded parents those paths name."""

from __future__ import annotations

import httpx

from twilio_nb.sandbox import ACCOUNT_SID

A = f"/2010-04-01/Accounts/{ACCOUNT_SID}"

LISTS = [  # (operation, path under the account)
    ("api_v2010.ListMessage", "/Messages"),
    ("api_v2010.ListCall", "/Calls"),
    ("api_v2010.ListCallEvent", "/Calls/{call}/Events"),
    ("api_v2010.ListRecording", "/Recordings"),
    ("api_v2010.ListMedia", "/Messages/{message}/Media"),
    ("api_v2010.ListConference", "/Conferences"),
    ("api_v2010.ListParticipant", "/Conferences/{conference}/Participants"),
    ("api_v2010.ListIncomingPhoneNumber", "/IncomingPhoneNumbers"),
    ("api_v2010.ListAvailablePhoneNumberLocal", "/AvailablePhoneNumbers/US/Local"),
    ("api_v2010.ListUsageRecord", "/Usage/Records"),
]


def parent_sids(client: httpx.Client) -> dict[str, str]:
    """The seeded call, message with media and conference that ``LISTS``' paths name."""
    call = client.get(f"{A}/Calls.json", params={"PageSize": 1}).json()["calls"][0]["sid"]
    page = client.get(f"{A}/Messages.json", params={"PageSize": 60}).json()["messages"]
    message = next(m["sid"] for m in page if m["num_media"] != "0")
    conference = client.get(f"{A}/Conferences.json").json()["conferences"][0]["sid"]
    return {"call": call, "message": message, "conference": conference}
