"""The sandbox's 2010 lists that every format answers: the operation and its path under
the account (``{call}``, ``{message}``, ``{conference}``: a seeded parent's SID), shared by
the format tests and the XML fast-path tests."""

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
