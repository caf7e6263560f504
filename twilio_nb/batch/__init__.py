"""One operation per row of a DataFrame, sent safely and tracked to delivery (``conn.batch``).

    b = conn.batch("Message", "Send Message", customers,
                   body={"From": "+14155550100", "To": "{phone}", "Body": "Hi {name}"},
                   concurrency=8, checkpoint="campaign.batch", status_callback=inbox)
    b.df; b.failed; b.results; b.delivery(); b.wait(timeout=60)

What it holds, one module per step:

* :mod:`.templates` — ``"{column}"`` templates filled from a row (or a callable ``row -> dict``);
* :mod:`.plan` — every row's request built and checked before anything is sent
  (``dry_run=True`` stops there: ``b.requests``);
* :mod:`.checkpoint` — the file that makes a batch resumable and never sends a row twice
  (:mod:`.checkpoint_lines` checks its lines, :mod:`.identity` says what a batch is: its
  target, operation, templates' meaning and rows);
* :mod:`.reconcile` — rows whose fate is unknown, looked up (Send Message) before anything else;
* :mod:`.runner` — the rows sent concurrently under the connection's gate, cancellable
  (:mod:`.progress`: the bar of rows);
* :mod:`.outcomes` — :class:`Batch`, what comes back; :mod:`.delivery` — its statuses;
* :mod:`.sap_settings` — Copy as SAP settings of a batch (``${property.NAME}`` placeholders).

Layer: just below the session. The batch talks to the connection only through the
:class:`~.plan.Sender` protocol (``Connection`` is one; ``Connection.batch`` delegates here), so it
imports neither the session nor anything above it (webhooks: an inbox is used through its
``url`` and ``df``). It may import answers, paging, transport, request, convert, catalog and
errors; never IPython, ipywidgets or the sandbox. pandas and tqdm are imported inside functions
(``import twilio_nb`` stays without them).
"""

from __future__ import annotations

from .checkpoint import CheckpointError
from .outcomes import Batch
from .plan import AdvancedSpec, BasicSpec, Sender
from .runner import BatchError, BatchOptions, run_batch

__all__ = ["AdvancedSpec", "BasicSpec", "Batch", "BatchError", "BatchOptions", "CheckpointError",
           "Sender", "run_batch"]
