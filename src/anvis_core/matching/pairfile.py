"""Step one of the typed reader: a pair-form file decoded into msgspec Structs and typed lists.

This step uses msgspec alone, not numpy and not the solver, so that ``anvis match`` can decode
the file on one core while the solver's shared libraries are linked on the other (linking holds
the dynamic loader's lock, which any import of a compiled module would wait for). Step two,
:mod:`anvis_core.matching.typed`, turns what is decoded here into index and weight arrays and
the problem.

The file is decoded in two passes. First everything but the pairs (the pairs are only skipped
over); then the pairs, with the citizen and dwelling fields typed as the literal ids just read:
the decoder checks each id against them at C speed and hands back the id objects already held,
so half a million pairs create no new strings. Each pair object becomes a small ``Pair`` struct
(no dict, no garbage-collector tracking); the column layout becomes three typed lists.

Anything this step cannot take as it stands (not JSON, a domain-form file, a value of the wrong
type, an unknown field) makes :func:`read` return ``None``, and the caller uses the reference
reader, which names the offending field and position.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from types import GenericAlias
from typing import Annotated, Any, Literal

import msgspec

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
    """Everything but the pairs, which are kept as raw JSON for the second pass."""

    objective: str
    citizens: list[Member]
    dwellings: list[Member]
    pairs: msgspec.Raw
    groups: list[Group] = []
    form: Any = None


@dataclass(frozen=True, eq=False)
class Decoded:
    """A pair-form file as typed Python objects: the members, and the pairs as three parallel
    iterables of ``n_pairs`` items each (the citizen id, the dwelling id and the weight of each
    pair), to be read once."""

    objective: str
    citizens: list[Member]
    dwellings: list[Member]
    groups: list[Group]
    citizen_ids: list[str]
    dwelling_ids: list[str]
    pair_citizens: Iterable[str]
    pair_dwellings: Iterable[str]
    pair_weights: Iterable[float]
    n_pairs: int


_DECODER = msgspec.json.Decoder(PairFile)
_CITIZEN = attrgetter("citizen")
_DWELLING = attrgetter("dwelling")
_WEIGHT = attrgetter("weight")


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


def read(raw: bytes | str) -> Decoded | None:
    """The file as typed objects, or ``None`` when the reference reader must read it."""
    try:
        doc = _DECODER.decode(raw)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None
    if doc.form == "domain":
        return None
    cids = [c.id for c in doc.citizens]
    dids = [d.id for d in doc.dwellings]
    pair_type, columns_type = _pair_types(cids, dids, len(doc.pairs))
    try:
        if memoryview(doc.pairs)[:1].tobytes() == b"{":
            cols: Any = msgspec.json.decode(doc.pairs, type=columns_type)
            citizens, dwellings, weights = cols.citizen, cols.dwelling, cols.weight
            n = len(weights)
            if not len(citizens) == len(dwellings) == n:
                return None
        else:
            pairs = msgspec.json.decode(doc.pairs, type=list[pair_type])  # type: ignore[valid-type]
            n = len(pairs)
            citizens = map(_CITIZEN, pairs)
            dwellings = map(_DWELLING, pairs)
            weights = map(_WEIGHT, pairs)
    except msgspec.DecodeError:
        return None
    return Decoded(
        doc.objective,
        doc.citizens,
        doc.dwellings,
        doc.groups,
        cids,
        dids,
        citizens,
        dwellings,
        weights,
        n,
    )
