"""Typed decoding of pair-form problem files: JSON straight into msgspec Structs and arrays.

A batch file holds half a million pairs. Parsing it into dicts and lists (one dict per pair) and
then walking them cost more than the solver on large files, so the pair form is decoded in two
steps into typed structures. First everything but the pairs: the citizens, dwellings and groups
(the pairs are only skipped over). Then the pairs, with the citizen and dwelling fields typed as
the literal ids just read: the decoder checks each id against them at C speed and hands back the
id objects already held, so half a million pairs create no new strings, and finding each id's
index is a dictionary look-up of an already-hashed key. Each pair object becomes a small
:class:`Pair` struct (no dict, no garbage-collector tracking); the column layout becomes three
typed lists; both are turned into index and weight arrays at C speed.

This is the fast path only. It accepts exactly what the reference reader
(:func:`anvis_core.matching.jsonio.parse_pair_form`) accepts and builds the same problem; any
document it cannot take as it stands (a domain-form file, any invalid or unusual value) makes it
return ``None``, and the caller parses the file with the reference reader, which names the
offending field and position. Errors therefore read the same whichever path is taken.
"""

from __future__ import annotations

from operator import attrgetter
from types import GenericAlias
from typing import Annotated, Any, Literal

import msgspec
import numpy as np

from anvis_core.matching.problem import (
    OBJECTIVES,
    FloatArray,
    GroupSpec,
    IntArray,
    Objective,
    PairProblem,
    ProblemError,
    make_problem,
)

Id = Annotated[str, msgspec.Meta(min_length=1)]
Count = Annotated[int, msgspec.Meta(ge=0)]


class Member(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """A citizen or dwelling: its id and the ids of its groups."""

    id: Id
    groups: list[Any] | None = None


class Group(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: Id
    max: Count
    min: Count = 0
    placed: Count = 0


class PairFile(msgspec.Struct, forbid_unknown_fields=True):
    """Everything but the pairs, which are kept as raw JSON for the second step."""

    objective: str
    citizens: list[Member]
    dwellings: list[Member]
    pairs: msgspec.Raw
    groups: list[Group] = []
    form: Any = None


_DECODER = msgspec.json.Decoder(PairFile)
_IRREGULAR = (KeyError, TypeError, ValueError, OverflowError)
_CITIZEN = attrgetter("citizen")
_DWELLING = attrgetter("dwelling")
_WEIGHT = attrgetter("weight")


class _Irregular(Exception):
    """Something the reference reader must look at."""


def _pair_types(cids: list[str], dids: list[str], pair_bytes: int) -> tuple[type, type]:
    """The pair struct and the columns struct. A side's id field accepts exactly that side's
    ids when the pairs are many for them (typing the ids costs about a microsecond an id and
    saves a few tens of nanoseconds a pair); otherwise it is a plain string, looked up after."""
    fields = [
        ("citizen", _id_type(cids, pair_bytes)),
        ("dwelling", _id_type(dids, pair_bytes)),
        ("weight", float),
    ]
    pair = msgspec.defstruct("Pair", fields, forbid_unknown_fields=True, gc=False)
    columns = msgspec.defstruct(
        "Columns",
        [(name, GenericAlias(list, (t,))) for name, t in fields],
        forbid_unknown_fields=True,
        gc=False,
    )
    return pair, columns


_PAIR_BYTES_PER_ID = 512
"""Typed ids pay off from about twenty pairs an id; a pair takes 25 to 60 bytes of JSON."""


def _id_type(ids: list[str], pair_bytes: int) -> Any:
    if ids and pair_bytes >= _PAIR_BYTES_PER_ID * len(ids):
        return Literal[tuple(ids)]
    return str


def decode_pair_form(raw: bytes | str) -> tuple[PairProblem, Objective] | None:
    """The problem and objective of a pair-form file, or ``None`` when the reference reader must
    parse it (a domain-form file, or anything it would refuse or has to convert)."""
    try:
        doc = _DECODER.decode(raw)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None
    if doc.form == "domain" or doc.objective not in OBJECTIVES:
        return None
    objective: Objective = doc.objective
    try:
        return _problem(doc), objective
    except (_Irregular, ProblemError, msgspec.DecodeError, *_IRREGULAR):
        return None


def _unique_index(ids: list[str]) -> dict[str, int]:
    index = {x: i for i, x in enumerate(ids)}
    if len(index) != len(ids):
        raise _Irregular
    return index


def _group_lists(members: list[Member], gindex: dict[str, int]) -> list[list[int]]:
    out: list[list[int]] = []
    for m in members:
        if m.groups is None:
            out.append([])
            continue
        idx = [gindex[g] for g in m.groups]  # a non-string id: TypeError or KeyError
        if len(set(idx)) != len(idx):
            raise _Irregular
        out.append(idx)
    return out


def _pair_arrays(
    doc: PairFile, cids: list[str], dids: list[str]
) -> tuple[IntArray, IntArray, FloatArray]:
    """The pairs as index and weight arrays; an unknown id fails the decoding or the look-up."""
    cindex, dindex = _unique_index(cids), _unique_index(dids)
    pair_type, columns_type = _pair_types(cids, dids, len(doc.pairs))
    if memoryview(doc.pairs)[:1].tobytes() == b"{":
        cols: Any = msgspec.json.decode(doc.pairs, type=columns_type)
        citizens, dwellings, weights = cols.citizen, cols.dwelling, cols.weight
        n = len(weights)
        if not len(citizens) == len(dwellings) == n:
            raise _Irregular
        pc = np.fromiter(map(cindex.__getitem__, citizens), dtype=np.int64, count=n)
        pd = np.fromiter(map(dindex.__getitem__, dwellings), dtype=np.int64, count=n)
        pw = np.asarray(weights, dtype=np.float64)
    else:
        pairs = msgspec.json.decode(doc.pairs, type=list[pair_type])  # type: ignore[valid-type]
        n = len(pairs)
        pc = np.fromiter(map(cindex.__getitem__, map(_CITIZEN, pairs)), dtype=np.int64, count=n)
        pd = np.fromiter(map(dindex.__getitem__, map(_DWELLING, pairs)), dtype=np.int64, count=n)
        pw = np.fromiter(map(_WEIGHT, pairs), dtype=np.float64, count=n)
    if not np.isfinite(pw).all():
        raise _Irregular
    return pc, pd, pw


def _problem(doc: PairFile) -> PairProblem:
    specs = [GroupSpec(g.id, g.max, g.min, g.placed) for g in doc.groups]
    gindex = _unique_index([g.id for g in specs])
    cids = [c.id for c in doc.citizens]
    dids = [d.id for d in doc.dwellings]
    cgroups = _group_lists(doc.citizens, gindex)
    dgroups = _group_lists(doc.dwellings, gindex)
    pc, pd, pw = _pair_arrays(doc, cids, dids)
    return make_problem(
        citizen_ids=cids,
        dwelling_ids=dids,
        pair_citizen=pc,
        pair_dwelling=pd,
        pair_weight=pw,
        groups=specs,
        dwelling_groups=dgroups,
        citizen_groups=cgroups if any(cgroups) else None,
    )
