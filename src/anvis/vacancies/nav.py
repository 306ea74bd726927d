from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from anvis.common.nav import NavItem, Waiting, WorkList
from anvis.permissions import Role


def _awaiting_answer(user: Any, today: dt.date) -> Waiting:
    from . import selectors

    rows = selectors.inbox(user=user, today=today)
    return Waiting(len(rows), sum(1 for row in rows if row.colour == "red"))


def _listed(query: str, urgent: Any = None) -> Any:
    """What the vacancy list lists for `query`, counted by the page's own filterset; `urgent`
    (a day -> Q) picks those of them counted as urgent."""

    def count(user: Any, today: dt.date) -> Waiting:
        from django.http import QueryDict

        from .filters import vacancy_filter

        filterset = vacancy_filter(user=user, data=QueryDict(query))
        if not filterset.is_valid():
            return Waiting(0)
        due = filterset.qs.filter(urgent(today)).count() if urgent is not None else 0
        return Waiting(filterset.qs.count(), due)

    return count


def _answer_overdue(today: dt.date) -> Any:
    """An offer awaiting the answer is urgent when due today or past its deadline (the expiry
    job closes it)."""
    from django.db.models import Q

    from .choices import OfferStatus

    return Q(offers__status=OfferStatus.PENDING, offers__response_deadline__lte=today)


#: The municipality: the offers whose answer the caseworker is to get from the citizen.
MUNICIPAL_WORK = (
    WorkList(
        label=_("Awaiting the citizen's answer"),
        query="status=answer_due",
        roles=frozenset({Role.CASEWORKER, Role.ALLOCATION_LEAD}),
        waiting=_listed("status=answer_due", urgent=_answer_overdue),
        waiting_label=ngettext_lazy(
            "%(count)s offer awaits the citizen's answer",
            "%(count)s offers await the citizen's answer",
            "count",
        ),
        urgent_label=ngettext_lazy(
            "%(count)s of them is past its deadline or due today",
            "%(count)s of them are past their deadline or due today",
            "count",
        ),
    ),
)

#: The housing organisation's staff: the vacancies of their own organisations that wait for them.
ORGANISATION_WORK = (
    WorkList(
        label=_("Lease to register"),
        query="status=lease_due",
        roles=frozenset({Role.ORGANISATION}),
        waiting=_listed("status=lease_due"),
        waiting_label=ngettext_lazy(
            "%(count)s dwelling: the citizen has said yes; register the lease",
            "%(count)s dwellings: the citizen has said yes; register the lease",
            "count",
        ),
    ),
    WorkList(
        label=_("Your turn: ordinary letting"),
        query="status=ordinary",
        roles=frozenset({Role.ORGANISATION}),
        waiting=_listed("status=ordinary"),
        waiting_label=ngettext_lazy(
            "%(count)s vacancy to let through your own waiting list",
            "%(count)s vacancies to let through your own waiting list",
            "count",
        ),
    ),
)

ITEMS = [
    NavItem(
        _("Vacancies"),
        "vacancies:vacancy_list",
        order=30,
        work_lists=ORGANISATION_WORK + MUNICIPAL_WORK,
    ),
    NavItem(
        _("Awaiting answer"),
        "vacancies:inbox",
        order=31,
        work_lists=(
            WorkList(
                _awaiting_answer,
                ngettext_lazy(
                    "%(count)s vacancy awaits the municipality's answer",
                    "%(count)s vacancies await the municipality's answer",
                    "count",
                ),
                urgent_label=ngettext_lazy(
                    "%(count)s of them is past its deadline or due today",
                    "%(count)s of them are past their deadline or due today",
                    "count",
                ),
            ),
        ),
    ),
    NavItem(_("Void rent"), "vacancies:void_rent", order=32),
    NavItem(_("Guarantee claims"), "vacancies:claim_list", order=33),
]
