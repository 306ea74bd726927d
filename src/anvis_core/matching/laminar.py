"""Detect whether a family of groups nests (is laminar) and, if so, build its forest.

A family of sets is laminar when every two sets are disjoint or one contains the other. For
each member, list the groups containing it from the largest to the smallest (ties by group
index); call the group just before ``g`` in that list ``g``'s predecessor for that member. The
family is laminar exactly when every group has the same predecessor for all its members: then
the predecessor contains the group, and following predecessors from any member's smallest group
walks up a chain of nested sets. If two groups A, B cross, some member of the smaller one (say
B) lies in A and another does not, so B's predecessor differs between them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from anvis_core.matching.problem import IntArray


@dataclass(frozen=True, eq=False)
class Forest:
    """``parent[g]`` is the smallest group strictly above ``g`` (-1 for a root or a group with no
    members on this side); ``leaf[m]`` is the smallest group containing member ``m`` (-1 if
    none); ``used[g]`` tells whether the group has members on this side."""

    parent: IntArray
    leaf: IntArray
    used: NDArray[np.bool_]


def laminar_forest(
    n_members: int, n_groups: int, member: IntArray, group: IntArray
) -> Forest | None:
    """Return the forest of the family, or ``None`` if the family does not nest."""
    parent = np.full(n_groups, -1, dtype=np.int64)
    leaf = np.full(n_members, -1, dtype=np.int64)
    used = np.zeros(n_groups, dtype=np.bool_)
    if member.size == 0:
        return Forest(parent, leaf, used)
    size = np.bincount(group, minlength=n_groups)
    used = size > 0
    order = np.lexsort((group, -size[group], member))
    m = member[order]
    g = group[order]
    same = np.zeros(m.size, dtype=np.bool_)
    same[1:] = m[1:] == m[:-1]
    pred = np.full(m.size, -1, dtype=np.int64)
    pred[1:] = np.where(same[1:], g[:-1], -1)
    lo = np.full(n_groups, np.iinfo(np.int64).max, dtype=np.int64)
    hi = np.full(n_groups, np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(lo, g, pred)
    np.maximum.at(hi, g, pred)
    if np.any(lo[used] != hi[used]):
        return None
    parent[used] = lo[used]
    last = np.ones(m.size, dtype=np.bool_)
    last[:-1] = m[1:] != m[:-1]
    leaf[m[last]] = g[last]
    return Forest(parent, leaf, used)
