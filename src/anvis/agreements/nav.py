from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from anvis.common.nav import NavItem, Waiting, WorkList
from anvis.permissions import Role


def _open_requests(user: Any, today: dt.date) -> Waiting:
    from . import selectors
    from .models import HandheldStatus

    return Waiting(selectors.handheld_request_list(user=user, status=HandheldStatus.OPEN).count())


ITEMS = [
    NavItem(_("Agreements"), "agreements:agreement_list", order=20),
    NavItem(_("Fair-share ledger"), "agreements:ledger", order=21),
    NavItem(
        _("Håndholdte requests"),
        "agreements:handheld_list",
        order=22,
        # A request the organisation may answer by reporting a dwelling for it.
        work_lists=(
            WorkList(
                label=_("Open håndholdte requests"),
                query="status=open",
                roles=frozenset({Role.ORGANISATION}),
                waiting=_open_requests,
                waiting_label=ngettext_lazy(
                    "%(count)s open håndholdt request you may answer with a vacancy report",
                    "%(count)s open håndholdte requests you may answer with a vacancy report",
                    "count",
                ),
            ),
        ),
    ),
]
