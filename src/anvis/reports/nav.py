from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from anvis.common.nav import NavItem, Waiting, WorkList


def _decisions_to_follow_up(user: Any, today: dt.date) -> Waiting:
    from . import selectors

    counts = selectors.decisions_waiting(today)
    return Waiting(counts["open"], counts["overdue"])


ITEMS = [
    NavItem(_("Steering group"), "reports:dashboard", order=80),
    NavItem(
        _("Meetings and decisions"),
        "reports:meeting_list",
        order=81,
        work_lists=(
            WorkList(
                _decisions_to_follow_up,
                ngettext_lazy(
                    "%(count)s decision of the fora is still to be followed up",
                    "%(count)s decisions of the fora are still to be followed up",
                    "count",
                ),
                urgent_label=ngettext_lazy(
                    "%(count)s of them is past its due date",
                    "%(count)s of them are past their due date",
                    "count",
                ),
            ),
        ),
    ),
]
