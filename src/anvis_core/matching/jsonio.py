"""Reading problem files and writing result files (the documented JSON format).

Validation is done by hand rather than with a JSON Schema validator: a batch file holds half a
million pairs and must be read in a fraction of a second. The rules are the same as in
``docs/matching-problem.schema.json``; every error names the offending item by its JSON path.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any, NoReturn

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
from anvis_core.matching.result import MatchingResult

_CITIZEN = itemgetter("citizen")
_DWELLING = itemgetter("dwelling")
_WEIGHT = itemgetter("weight")
PAIR_FORM_KEYS = frozenset({"form", "objective", "citizens", "dwellings", "groups", "pairs"})


try:  # an optional accelerator; the standard library is the reference
    import orjson as _orjson
except ImportError:  # pragma: no cover
    _orjson = None  # type: ignore[assignment]


def fail(msg: str) -> NoReturn:
    raise ProblemError(msg)


def _reject_constant(name: str) -> NoReturn:
    fail(f"{name} is not a valid JSON number")


def loads(text: str | bytes) -> Any:
    """Parse JSON text, rejecting NaN and Infinity, with a message naming line and column.

    orjson parses large problem files several times faster than the standard library and also
    rejects NaN and Infinity; when it refuses a document (or is not installed) the standard
    library parses it again, so valid input is accepted by both and errors read the same.
    """
    if _orjson is not None:
        try:
            return _orjson.loads(text)
        except _orjson.JSONDecodeError:
            pass
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ProblemError(
            f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except UnicodeDecodeError as exc:
        raise ProblemError(f"the file is not UTF-8 text: {exc}") from None


def obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        fail(f"{where}: expected an object")
    return value


def arr(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        fail(f"{where}: expected an array")
    return value


def only_keys(o: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    extra = set(o) - allowed
    if extra:
        fail(f"{where}: unknown field {sorted(extra)[0]!r}")


def required(o: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in o:
        fail(f"{where}: missing field {key!r}")
    return o[key]


def string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        fail(f"{where}: expected a non-empty string")
    return value


def integer(value: Any, where: str, *, minimum: int | None = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            fail(f"{where}: expected a whole number, got {value!r}")
    if minimum is not None and value < minimum:
        fail(f"{where}: must not be below {minimum} (got {value})")
    return int(value)


def number(value: Any, where: str) -> float:
    """A finite number. JSON has no NaN or Infinity, but a literal such as ``1e999`` or a
    400-digit integer does not fit a double; it is refused rather than read as infinity."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        fail(f"{where}: expected a number, got {value!r}")
    try:
        x = float(value)
    except OverflowError:
        x = math.inf
    if not math.isfinite(x):
        fail(f"{where}: expected a finite number, got one too large for a double")
    return x


def objective_of(data: Mapping[str, Any]) -> Objective:
    o = required(data, "objective", "problem")
    if o not in OBJECTIVES:
        fail(f"objective: expected one of {', '.join(OBJECTIVES)}, got {o!r}")
    result: Objective = o
    return result


def group_specs(data: Mapping[str, Any]) -> list[GroupSpec]:
    out: list[GroupSpec] = []
    allowed = frozenset({"id", "max", "min", "placed"})
    for i, g in enumerate(arr(data.get("groups", []), "groups")):
        where = f"groups[{i}]"
        g = obj(g, where)
        only_keys(g, allowed, where)
        gid = string(required(g, "id", where), f"{where}.id")
        mx = integer(required(g, "max", where), f"{where}.max (group {gid!r})")
        mn = integer(g.get("min", 0), f"{where}.min (group {gid!r})")
        pl = integer(g.get("placed", 0), f"{where}.placed (group {gid!r})")
        out.append(GroupSpec(gid, mx, mn, pl))
    return out


def members(
    items: Sequence[Any], name: str, gindex: Mapping[str, int]
) -> tuple[list[str], list[list[int]]]:
    """Ids and group indices of the citizens or dwellings of a pair-form file."""
    ids: list[str] = []
    glists: list[list[int]] = []
    allowed = frozenset({"id", "groups"})
    for i, item in enumerate(items):
        where = f"{name}[{i}]"
        item = obj(item, where)
        if len(item) > 2 or (len(item) == 2 and "groups" not in item):
            only_keys(item, allowed, where)
        ids.append(string(required(item, "id", where), f"{where}.id"))
        gl = item.get("groups")
        if gl is None:
            glists.append([])
            continue
        idx: list[int] = []
        for j, gid in enumerate(arr(gl, f"{where}.groups")):
            k = gindex.get(gid) if isinstance(gid, str) else None
            if k is None:
                fail(f"{where}.groups[{j}]: unknown group id {gid!r}")
            idx.append(k)
        if len(set(idx)) != len(idx):
            fail(f"{where}: lists the same group more than once")
        glists.append(idx)
    return ids, glists


PAIR_COLUMNS = ("citizen", "dwelling", "weight")
# What the C-speed paths raise on any irregularity; the slow pass then names the first offence.
_IRREGULAR = (KeyError, TypeError, ValueError, OverflowError)


def parse_pairs(
    pairs: Any, cindex: Mapping[str, int], dindex: Mapping[str, int]
) -> tuple[IntArray, IntArray, FloatArray]:
    """The ``pairs`` value as index and weight arrays, in either layout: an array of pair
    objects or an object of three equal-length columns ``citizen``, ``dwelling``, ``weight``.

    The common case is handled at C speed; any irregularity is located by a slow second pass
    that names the offending pair. Both layouts apply the same per-pair rules
    (:func:`_pair_arrays`, :func:`_check_pair`), so they accept and reject the same pairs.
    """
    if isinstance(pairs, dict):
        return _column_pairs(pairs, cindex, dindex)
    if not isinstance(pairs, list):
        fail(
            "pairs: expected an array of pair objects or an object of the columns "
            "'citizen', 'dwelling' and 'weight'"
        )
    return _object_pairs(pairs, cindex, dindex)


def _pair_arrays(
    citizens: Sequence[Any],
    dwellings: Sequence[Any],
    weights: Sequence[Any],
    cindex: Mapping[str, int],
    dindex: Mapping[str, int],
) -> tuple[IntArray, IntArray, FloatArray]:
    """Pair columns as arrays at C speed; raises one of ``_IRREGULAR`` if any value breaks a
    rule of :func:`_check_pair` (the caller then locates it)."""
    n = len(weights)
    if n and not set(map(type, weights)) <= {int, float}:
        raise ValueError
    pc = np.fromiter(map(cindex.__getitem__, citizens), dtype=np.int64, count=n)
    pd = np.fromiter(map(dindex.__getitem__, dwellings), dtype=np.int64, count=n)
    pw = np.asarray(weights, dtype=np.float64)
    if not np.isfinite(pw).all():
        raise ValueError
    return pc, pd, pw


def _check_pair(
    citizen: Any,
    dwelling: Any,
    weight: Any,
    cindex: Mapping[str, int],
    dindex: Mapping[str, int],
    where: tuple[str, str, str],
) -> None:
    """The rules for one pair; ``where`` names its citizen, dwelling and weight."""
    if not isinstance(citizen, str) or citizen not in cindex:
        fail(f"{where[0]}: unknown citizen id {citizen!r}")
    if not isinstance(dwelling, str) or dwelling not in dindex:
        fail(f"{where[1]}: unknown dwelling id {dwelling!r}")
    number(weight, where[2])


def _object_pairs(
    pairs: list[Any], cindex: Mapping[str, int], dindex: Mapping[str, int]
) -> tuple[IntArray, IntArray, FloatArray]:
    n = len(pairs)
    try:
        if n and sum(map(len, pairs)) != 3 * n:
            raise ValueError
        citizens = list(map(_CITIZEN, pairs))
        dwellings = list(map(_DWELLING, pairs))
        weights = list(map(_WEIGHT, pairs))
        return _pair_arrays(citizens, dwellings, weights, cindex, dindex)
    except _IRREGULAR:
        allowed = frozenset(PAIR_COLUMNS)
        for i, p in enumerate(pairs):
            where = f"pairs[{i}]"
            p = obj(p, where)
            only_keys(p, allowed, where)
            c = required(p, "citizen", where)
            d = required(p, "dwelling", where)
            w = required(p, "weight", where)
            _check_pair(c, d, w, cindex, dindex, (where, where, f"{where}.weight"))
        raise


def _column_pairs(
    columns: dict[str, Any], cindex: Mapping[str, int], dindex: Mapping[str, int]
) -> tuple[IntArray, IntArray, FloatArray]:
    only_keys(columns, frozenset(PAIR_COLUMNS), "pairs")
    citizens, dwellings, weights = (
        arr(required(columns, name, "pairs"), f"pairs.{name}") for name in PAIR_COLUMNS
    )
    if not len(citizens) == len(dwellings) == len(weights):
        fail(
            "pairs: the columns must have the same length (citizen "
            f"{len(citizens)}, dwelling {len(dwellings)}, weight {len(weights)})"
        )
    try:
        return _pair_arrays(citizens, dwellings, weights, cindex, dindex)
    except _IRREGULAR:
        for i, (c, d, w) in enumerate(zip(citizens, dwellings, weights, strict=True)):
            where = (f"pairs.citizen[{i}]", f"pairs.dwelling[{i}]", f"pairs.weight[{i}]")
            _check_pair(c, d, w, cindex, dindex, where)
        raise


def parse_pair_form(data: Any) -> tuple[PairProblem, Objective]:
    data = obj(data, "problem")
    only_keys(data, PAIR_FORM_KEYS, "problem")
    objective = objective_of(data)
    specs = group_specs(data)
    gindex: dict[str, int] = {}
    for k, g in enumerate(specs):
        if g.id in gindex:
            fail(f"groups[{k}]: duplicate group id {g.id!r}")
        gindex[g.id] = k
    cit = arr(required(data, "citizens", "problem"), "citizens")
    dwl = arr(required(data, "dwellings", "problem"), "dwellings")
    cids, cgroups = members(cit, "citizens", gindex)
    dids, dgroups = members(dwl, "dwellings", gindex)
    cindex = {c: i for i, c in enumerate(cids)}
    if len(cindex) != len(cids):
        _duplicate(cids, "citizens")
    dindex = {d: i for i, d in enumerate(dids)}
    if len(dindex) != len(dids):
        _duplicate(dids, "dwellings")
    pc, pd, pw = parse_pairs(required(data, "pairs", "problem"), cindex, dindex)
    problem = make_problem(
        citizen_ids=cids,
        dwelling_ids=dids,
        pair_citizen=pc,
        pair_dwelling=pd,
        pair_weight=pw,
        groups=specs,
        dwelling_groups=dgroups,
        citizen_groups=cgroups if any(cgroups) else None,
    )
    return problem, objective


def _duplicate(ids: list[str], name: str) -> NoReturn:
    seen: set[str] = set()
    for i, x in enumerate(ids):
        if x in seen:
            fail(f"{name}[{i}]: duplicate id {x!r}")
        seen.add(x)
    raise AssertionError("unreachable")


def result_to_json(result: MatchingResult) -> dict[str, Any]:
    return {
        "status": result.status,
        "assignments": [{"citizen": c, "dwelling": d} for c, d in result.assignments],
        "total_weight": result.total_weight,
        "gap": result.gap,
        "seconds": round(result.seconds, 6),
        "method": result.method,
    }
