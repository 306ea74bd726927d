"""The ledger's one query-string parser, for the page and the API alike.

Names: `agreement`, `quarter` (YYYY-Qn), `level` (`organisation` or `department`). The page's
Danish names are the same parameters under another spelling: `aftale`, `kvartal`, `niveau`
(`afdeling` for department). The rules are the same: the agreement must be one the user may
see; the quarter is written YYYY-Qn; the level is one of the two. The page shows its defaults
where the query is missing or wrong; the API answers 400 naming the parameter."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from anvis.common.numbers import digits
from anvis_core.quotas import Quarter

from .models import AllocationAgreement
from .selectors import agreement_list

ALIASES = {"agreement": "aftale", "quarter": "kvartal", "level": "niveau"}
LEVELS = {"organisation": "organisation", "department": "department", "afdeling": "department"}


@dataclass
class LedgerQuery:
    agreement: AllocationAgreement | None = None
    quarter: Quarter | None = None
    level: str = "organisation"
    errors: dict[str, list[str]] = field(default_factory=dict)
    # The agreement id was given but names no agreement the user may see.
    unknown_agreement: bool = False


def _get(params: Any, name: str) -> str:
    value = params.get(name)
    if value in (None, ""):
        value = params.get(ALIASES[name], "")
    return str(value or "").strip()


def ledger_query(params: Any, *, user: Any) -> LedgerQuery:
    query = LedgerQuery()
    raw_agreement = _get(params, "agreement")
    if raw_agreement:
        if (agreement_id := digits(raw_agreement)) is not None:
            query.agreement = agreement_list(user=user).filter(pk=agreement_id).first()
            query.unknown_agreement = query.agreement is None
        else:
            query.errors["agreement"] = [_("Choose an agreement (its id).")]
    raw_quarter = _get(params, "quarter")
    if raw_quarter:
        try:
            quarter = Quarter.parse(raw_quarter)
            if not 1 <= quarter.number <= 4 or not 1900 <= quarter.year <= 2200:
                raise ValueError
            query.quarter = quarter
        except ValueError:
            query.errors["quarter"] = [_("Write the quarter as YYYY-Qn, e.g. 2026-Q1.")]
    raw_level = _get(params, "level")
    if raw_level:
        if raw_level in LEVELS:
            query.level = LEVELS[raw_level]
        else:
            query.errors["level"] = [_("Choose organisation or department.")]
    return query
