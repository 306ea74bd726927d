"""Which turn records each figure of the fair-share ledger counts, as database conditions.

The counting itself is `anvis_core.quotas.ledger` (`_Accumulator.add`); these conditions say the
same in SQL so that a figure on the ledger page can open the list of the vacancies behind it
(`anvis.vacancies.filters.VacancyFilter`, filter `figure`). A test compares both for every
figure (tests/apps/agreements/test_ledger_door.py)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis_core.quotas import Outcome

_ELIGIBLE = Q(eligible=True)
_NOT_BLOCKED = ~Q(outcome=Outcome.BLOCKED.value)
_DELIVERED = (Outcome.ACCEPTED.value, Outcome.DECLINED.value, Outcome.EXPIRED.value)

FIGURES: dict[str, tuple[Q, str]] = {
    "eligible": (_ELIGIBLE & _NOT_BLOCKED, _("Eligible")),
    "delivered": (_ELIGIBLE & Q(outcome__in=_DELIVERED), _("Delivered")),
    "accepted": (_ELIGIBLE & Q(outcome=Outcome.ACCEPTED.value), _("Accepted")),
    "extra": (
        _ELIGIBLE & Q(outcome=Outcome.ACCEPTED.value, municipal=False),
        _("Extra (ordinary turn accepted)"),
    ),
    "declined": (_ELIGIBLE & Q(outcome=Outcome.DECLINED.value), _("Declined")),
    "expired": (_ELIGIBLE & Q(outcome=Outcome.EXPIRED.value), _("Expired")),
    "pending": (_ELIGIBLE & Q(outcome=Outcome.PENDING.value), _("Pending")),
    "withdrawn": (
        _ELIGIBLE & Q(outcome=Outcome.ORDINARY.value, municipal=True, handed_back=False),
        _("Municipal turn let by the organisation"),
    ),
    "handed_back": (
        _ELIGIBLE & Q(outcome=Outcome.ORDINARY.value, handed_back=True),
        _("Handed back by the municipality, not delivered"),
    ),
    "ordinary": (
        _ELIGIBLE & Q(outcome=Outcome.ORDINARY.value, municipal=False, handed_back=False),
        _("Ordinary turn"),
    ),
    "blocked": (_ELIGIBLE & Q(outcome=Outcome.BLOCKED.value), _("Closed or cap reached")),
}


def figure_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, (_q, label) in FIGURES.items()]


def figure_q(figure: str, prefix: str = "") -> Q:
    """The condition for `figure` on turn records, or on a model reaching them via `prefix`
    (e.g. ``"turn_record__"`` for vacancies)."""
    condition = FIGURES[figure][0]
    return _prefixed(condition, prefix) if prefix else condition


def _prefixed(condition: Q, prefix: str) -> Q:
    children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in condition.children
    ]
    result = Q(*children, _connector=condition.connector, _negated=condition.negated)
    return result
