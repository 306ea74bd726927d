from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from anvis.common.nav import NavItem, Waiting, WorkList


def _at_risk(user: Any, today: dt.date) -> Waiting:
    from . import selectors

    rows = selectors.risk_list()
    return Waiting(len(rows), sum(1 for row in rows if row.task_overdue(today)))


def _support_flagged(user: Any, today: dt.date) -> Waiting:
    from . import selectors

    return Waiting(sum(1 for row in selectors.support_overview(today) if row.flags.flagged))


ITEMS = [
    NavItem(
        _("Homes at risk"),
        "tenancy:risk_list",
        order=34,
        work_lists=(
            WorkList(
                _at_risk,
                ngettext_lazy(
                    "%(count)s tenancy with an open task or an unresolved warning",
                    "%(count)s tenancies with an open task or an unresolved warning",
                    "count",
                ),
                urgent_label=ngettext_lazy(
                    "%(count)s of them has a follow-up task past its deadline",
                    "%(count)s of them have a follow-up task past its deadline",
                    "count",
                ),
            ),
        ),
    ),
    NavItem(
        _("Support in the home"),
        "tenancy:support_overview",
        order=35,
        work_lists=(
            WorkList(
                _support_flagged,
                ngettext_lazy(
                    "%(count)s tenancy flagged: without support, support late or not started, or "
                    "a missed CTI phase end",
                    "%(count)s tenancies flagged: without support, support late or not started, "
                    "or a missed CTI phase end",
                    "count",
                ),
            ),
        ),
    ),
    NavItem(_("Tenancy events from a file"), "tenancy:bulk_report", order=36),
    NavItem(_("Governance dialogue"), "dialogue:dialogue_list", order=75),
]
