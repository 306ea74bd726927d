"""Typed decoding of pair-form problem files: JSON straight into msgspec Structs and arrays.

A batch file holds half a million pairs. Parsing it into dicts and lists (one dict per pair) and
then walking them cost more than the solver on large files, so the pair form is decoded into
typed structures in two steps: :mod:`anvis_core.matching.pairfile` decodes the file with msgspec
alone (the members, and the pairs with their ids checked against the ids just read, so no string
is made per pair), and this module turns the result into index and weight arrays at C speed
(each id's index is a dictionary look-up of an already-hashed key) and builds the problem.

This is the fast path only. It accepts exactly what the reference reader
(:func:`anvis_core.matching.jsonio.parse_pair_form`) accepts and builds the same problem; any
document it cannot take as it stands (a domain-form file, any invalid or unusual value) makes it
return ``None``, and the caller parses the file with the reference reader, which names the
offending field and position. Errors therefore read the same whichever path is taken.
"""

from __future__ import annotations

import msgspec
import numpy as np

from anvis_core.matching.pairfile import Decoded, Member, read
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

_IRREGULAR = (KeyError, TypeError, ValueError, OverflowError)


class _Irregular(Exception):
    """Something the reference reader must look at."""


def decode_pair_form(raw: bytes | str) -> tuple[PairProblem, Objective] | None:
    """The problem and objective of a pair-form file, or ``None`` when the reference reader must
    parse it (a domain-form file, or anything it would refuse or has to convert)."""
    return build(read(raw))


def build(decoded: Decoded | None) -> tuple[PairProblem, Objective] | None:
    """Step two: the problem and objective of a file decoded by
    :func:`anvis_core.matching.pairfile.read`, or ``None`` when the reference reader must
    parse the file."""
    if decoded is None or decoded.objective not in OBJECTIVES:
        return None
    objective: Objective = decoded.objective
    try:
        return _problem(decoded), objective
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


def _pair_arrays(decoded: Decoded) -> tuple[IntArray, IntArray, FloatArray]:
    """The pairs as index and weight arrays; an unknown id fails the look-up."""
    cindex = _unique_index(decoded.citizen_ids)
    dindex = _unique_index(decoded.dwelling_ids)
    n = decoded.n_pairs
    pc = np.fromiter(map(cindex.__getitem__, decoded.pair_citizens), dtype=np.int64, count=n)
    pd = np.fromiter(map(dindex.__getitem__, decoded.pair_dwellings), dtype=np.int64, count=n)
    pw = np.fromiter(decoded.pair_weights, dtype=np.float64, count=n)
    if not np.isfinite(pw).all():
        raise _Irregular
    return pc, pd, pw


def _problem(decoded: Decoded) -> PairProblem:
    specs = [GroupSpec(g.id, g.max, g.min, g.placed) for g in decoded.groups]
    gindex = _unique_index([g.id for g in specs])
    cgroups = _group_lists(decoded.citizens, gindex)
    dgroups = _group_lists(decoded.dwellings, gindex)
    pc, pd, pw = _pair_arrays(decoded)
    return make_problem(
        citizen_ids=decoded.citizen_ids,
        dwelling_ids=decoded.dwelling_ids,
        pair_citizen=pc,
        pair_dwelling=pd,
        pair_weight=pw,
        groups=specs,
        dwelling_groups=dgroups,
        citizen_groups=cgroups if any(cgroups) else None,
    )
