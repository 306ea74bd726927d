"""The demo's cases (`anvis.demo.cases`) through the real services: a status the flow sets
(offered, housed, follow-up) agrees with the flow's rows, as on every other path."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from anvis.audit.models import AuditEvent
from anvis.cases.models import Case, CaseStatus
from anvis.demo import cases as demo
from anvis.demo.context import DemoContext
from anvis.vacancies.models import Lease, Offer

pytestmark = pytest.mark.django_db

FLOW_STATUSES = (CaseStatus.OFFERED, CaseStatus.HOUSED, CaseStatus.FOLLOW_UP)


def test_demo_cases_are_offered_or_housed_only_by_an_offer_or_a_lease(
    users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A case is offered only by an offer and housed only by a lease (docs/gate.md): the case
    page, the list and the API read the status; the reports, the simulator and the gate read
    the offers and leases. A demo case housed without a lease is waiting in the steering
    group's report (never moved in), off the simulator's waiting list, and housed on its page."""
    monkeypatch.setattr(demo, "CITIZENS", 80)
    demo.load(DemoContext(today=dt.date(2026, 3, 2), log=lambda _line: None, data={"users": users}))
    assert Case.objects.count() > 80  # some re-entries with an earlier, closed case
    for case in Case.objects.filter(status__in=FLOW_STATUSES):
        offers = Offer.objects.filter(case=case)
        if case.status == CaseStatus.OFFERED:
            assert offers.active().exists(), case.number
        else:
            assert Lease.objects.standing().filter(offer__in=offers).exists(), case.number
    # Nor was any case (the earlier, closed ones too) moved through them without one.
    moved = AuditEvent.objects.filter(action="cases.status_change").values_list(
        "object_id", "after"
    )
    through_flow = {pk for pk, after in moved if (after or {}).get("status") in FLOW_STATUSES}
    with_offer = {str(pk) for pk in Offer.objects.values_list("case_id", flat=True)}
    assert through_flow <= with_offer
