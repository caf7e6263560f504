"""Cassettes: a session's requests and answers recorded once, replayed anywhere.

* :mod:`.file`: vcrpy's cassette format (YAML, version 1), read and written as it grows;
* :mod:`.scrub_text` and :mod:`.scrub`: what is replaced before anything is written (never a
  secret; by default no phone number, email, message body or Account SID either);
* :mod:`.record`: :class:`Recorder`, the transport that records;
* :mod:`.match` and :mod:`.replay`: :class:`Player`, the transport that answers from a
  cassette, and how a request finds its recorded answer.

The connection (:mod:`twilio_nb.session`) plugs these in at its one network seam, the httpx
transport. May import: httpx, PyYAML (deferred), the errors, request (Twilio's hosts). Never:
the layers above
(answers, paging, session, front ends), the sandbox, IPython, ipywidgets.
"""

from .record import Recorder, RecordingSummary
from .replay import Fallback, Player
from .scrub_text import PLACEHOLDER_ACCOUNT

__all__ = ["PLACEHOLDER_ACCOUNT", "Fallback", "Player", "Recorder", "RecordingSummary"]
