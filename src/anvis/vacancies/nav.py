from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from anvis.common.nav import NavItem, Waiting


def _awaiting_answer(user: Any, today: dt.date) -> Waiting:
    from . import selectors

    rows = selectors.inbox(user=user, today=today)
    return Waiting(len(rows), sum(1 for row in rows if row.colour == "red"))


ITEMS = [
    NavItem(_("Vacancies"), "vacancies:vacancy_list", order=30),
    NavItem(
        _("Awaiting answer"),
        "vacancies:inbox",
        order=31,
        waiting=_awaiting_answer,
        waiting_label=ngettext_lazy(
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
    NavItem(_("Void rent"), "vacancies:void_rent", order=32),
    NavItem(_("Guarantee claims"), "vacancies:claim_list", order=33),
]
