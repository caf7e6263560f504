"""An export's target and its checkpoint (no pyarrow here: checked before anything is sent).

:func:`check_path` checks a Parquet target given by the user (a file in a folder that
exists; an existing one only with ``overwrite``); :class:`ExportCheckpoint` is
``<path>.partial/`` with its ``checkpoint.json`` (written atomically), and
:meth:`ExportCheckpoint.open` begins an export or goes on from where one stopped (its slices
planned, or read back), :func:`export_identity` names the request and range an export is of,
and :func:`leftover` refuses an unfinished export of another request beside the target, or
one fetched from another target (account, address, region/edge, sandbox:
:mod:`twilio_nb.request.target`, the rule of every resumable file), unless ``overwrite``.
:class:`ParquetExport` is what an export returns. The export itself (pyarrow) is
:mod:`._parquet`. (``batch/``'s ``Checkpoint`` is a batch's: another concept.)

Imports nothing above paging: no answers, session or front end; never pyarrow or pandas.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import ConfigurationError
from ...request.target import Target, differs
from ..slices._slice_dates import date_filter, parse_bound
from ..slices._slice_plan import SliceState, prepare, request_for

if TYPE_CHECKING:
    from ...request.built import BuiltRequest
    from ..slices._slice_dates import DateFilter
    from ..walk._page_types import ListPage

__all__ = [
    "CHECKPOINT",
    "VERSION",
    "ExportCheckpoint",
    "ParquetExport",
    "check_path",
    "export_identity",
    "forget_unrecorded",
    "in_order",
    "leftover",
    "saved_states",
    "states_of",
]

CHECKPOINT = "checkpoint.json"
VERSION = 1


@dataclass(frozen=True)
class ParquetExport:
    """What ``to_parquet`` wrote: the file, its rows, the pages fetched for it, and whether
    it went on from a checkpoint."""

    path: Path
    rows: int
    pages: int
    resumed: bool


def check_path(path: str | os.PathLike[str], overwrite: bool, *,
               replace: str = "give overwrite=True") -> Path:
    """``path`` as an export's target: a file (not a folder) in a folder that exists,
    refused when it exists unless ``overwrite`` (``replace`` says how to give it: the
    magics say ``add --overwrite``)."""
    target = Path(path)
    if target.is_dir():
        raise ConfigurationError(f"{target} is a directory: give a file path "
                                 "(e.g. 'messages.parquet').", field="path")
    if target.exists() and not overwrite:
        raise ConfigurationError(f"{target} exists already: {replace} to replace it, "
                                 "or give another path.", field="path")
    if not target.parent.is_dir():
        raise ConfigurationError(f"The folder {target.parent} does not exist: create it first.",
                                 field="path")
    return target


def export_identity(request: BuiltRequest, since: Any, until: Any) -> str:
    """The request an export is of (its URL without paging parameters), its format, and the
    range ``since``/``until`` give (their values checked with the options; the range
    against the request is its callers' to check: :func:`twilio_nb.paging.before_sending`,
    :func:`..slices._slice_plan.prepare`)."""
    built = request_for(request, None, [])
    given = [f"{name}={parse_bound(value, name, upper=name == 'until').text}"
             for name, value in (("since", since), ("until", until)) if value is not None]
    return " ".join([built.response_format, built.url, *given])


def leftover(check: ExportCheckpoint, wanted: str, overwrite: bool, replace: str,
             where: Target | None = None) -> dict[str, Any] | None:
    """The checkpoint beside the target when it is this export's (to go on from); one of
    another request or range, or (``where`` given) fetched from another target, is refused
    unless ``overwrite`` (then discarded)."""
    data = check.load()
    elsewhere = differs(data.get("target"), where) if data is not None and where else None
    if elsewhere:
        if not overwrite:
            raise ConfigurationError(
                f"{check.dir} holds an unfinished export fetched from another target "
                f"({elsewhere}): its pages are not this target's. {replace} to discard it, or "
                "export to another path.", field="path")
        check.discard()
        data = None
    if data is not None and (data.get("version") != VERSION or data.get("request") != wanted):
        if not overwrite:
            raise ConfigurationError(
                f"{check.dir} holds an unfinished export of another request or range "
                f"({data.get('request')}): {replace} to discard it, or export the "
                "same request (the same since/until) to go on.", field="path")
        check.discard()
        data = None
    return data


class ExportCheckpoint:
    """``<path>.partial/``: the pieces and ``checkpoint.json`` (written atomically).
    ``resumed``: :meth:`open` went on from an export that had stopped."""

    def __init__(self, path: Path) -> None:
        self.dir = path.with_name(path.name + ".partial")
        self.file = self.dir / CHECKPOINT
        self.resumed = False

    def open(self, first: ListPage, concurrency: int, since: Any, until: Any,
             overwrite: bool) -> tuple[dict[str, Any], DateFilter | None, list[SliceState]]:
        """The export of ``first``'s list begun, or gone on from where it stopped: the record
        kept in ``checkpoint.json``, the date filter and the slices' states (pieces not
        recorded are removed: written again). An unfinished export of another request or
        range, or fetched from another target, is refused unless ``overwrite`` (then
        discarded)."""
        wanted = export_identity(first.request, since, until)
        where = first.origin.target  # where the pages come from, when known
        data = leftover(self, wanted, overwrite, "give overwrite=True", where)
        self.resumed = data is not None
        if data is None:  # the range checked against the request here (one left is of it)
            flt, states = prepare(first, concurrency, since, until)
            self.dir.mkdir(exist_ok=True)
            data = {"version": VERSION, "request": wanted, "schema": None,
                    "slices": saved_states(states), "written": 0,
                    "target": where.saved() if where is not None else None}
            self.save(data)
        else:
            flt = date_filter(first.operation) if data["slices"][0]["slice"] else None
            states = states_of(data)
        forget_unrecorded(self.dir, states)
        return data, flt, states

    def load(self) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = json.loads(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except ValueError:
            raise ConfigurationError(f"{self.file} is not a twilio_nb checkpoint: remove "
                                     f"{self.dir} or give overwrite=True.") from None
        return data

    def save(self, data: dict[str, Any]) -> None:
        tmp = self.file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self.file)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def states_of(data: dict[str, Any]) -> list[SliceState]:
    states = []
    for item in data["slices"]:
        state = SliceState.restored(item)
        state.pieces = list(item["chunks"])  # the files written for the slice, in order
        states.append(state)
    return states


def saved_states(states: list[SliceState]) -> list[dict[str, Any]]:
    return [{**s.saved(), "chunks": list(s.pieces)} for s in states]


def in_order(states: list[SliceState]) -> list[str]:
    """The pieces in the list's order: the states' (newest slice first), each one's pages
    in order (an export's states hold the names of the pieces written for them)."""
    return [name for s in states for name in s.pieces]


def forget_unrecorded(folder: Path, states: list[SliceState]) -> None:
    """Remove pieces a killed export wrote after its last checkpoint (written again)."""
    known = set(in_order(states)) | {CHECKPOINT}
    for item in folder.iterdir():
        if item.name not in known:
            item.unlink()
