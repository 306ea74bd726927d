"""Anonymisation removes the free texts written about a citizen outside the case itself: on the
offer, the lease, the guarantee claims and the notifications that quoted them. The structured
facts the statistics and the ledger need (amounts, dates, codes, that a rule was overridden)
stay."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from anvis.cases.models import Case
from anvis.events import Event
from anvis.notifications.handoffs import lease_cancelled_municipality, lease_cancelled_organisation
from anvis.notifications.models import Notification
from anvis.security.services import ANONYMISED_TEXT, retention_run
from anvis.vacancies.models import GuaranteeClaim, Lease, Offer

pytestmark = pytest.mark.django_db

TODAY = dt.date(2032, 6, 1)
SECRET = "Borgeren blev indlagt på psykiatrisk afdeling"


def anonymise(case: Any) -> None:
    Case.objects.filter(pk=case.pk).update(status="closed", closed_on=dt.date(2026, 6, 1))
    assert case.number in retention_run(today=TODAY, years=5).cases


def test_the_leases_cancellation_reason_is_removed(world: dict[str, Any]) -> None:
    lease = world["lease"]
    Lease.objects.filter(pk=lease.pk).update(
        cancelled_on=lease.signed_on, cancellation_reason=SECRET
    )
    anonymise(world["housed_case"])
    kept = Lease.objects.get(pk=lease.pk)
    assert kept.cancellation_reason == ANONYMISED_TEXT  # still marked as cancelled, with a reason
    assert kept.cancelled_on == lease.signed_on and kept.void_rent_amount == lease.void_rent_amount


def test_the_claims_description_is_removed(world: dict[str, Any]) -> None:
    claim = world["claim"]
    assert claim.description
    anonymise(world["housed_case"])
    kept = GuaranteeClaim.objects.get(pk=claim.pk)
    assert kept.description == ANONYMISED_TEXT
    assert (kept.amount, kept.kind, kept.event_date, kept.status) == (
        claim.amount,
        claim.kind,
        claim.event_date,
        claim.status,
    )


def test_the_claims_decision_reason_is_removed(world: dict[str, Any]) -> None:
    claim = world["claim"]
    GuaranteeClaim.objects.filter(pk=claim.pk).update(
        status="rejected", decision_reason=SECRET, decided_on=claim.submitted_on
    )
    anonymise(world["housed_case"])
    kept = GuaranteeClaim.objects.get(pk=claim.pk)
    assert kept.decision_reason == ANONYMISED_TEXT and kept.status == "rejected"


def test_a_claim_never_decided_keeps_an_empty_decision_reason(world: dict[str, Any]) -> None:
    anonymise(world["housed_case"])
    assert GuaranteeClaim.objects.get(pk=world["claim"].pk).decision_reason == ""


def test_the_offers_override_reason_is_removed_but_the_override_still_counts(
    world: dict[str, Any],
) -> None:
    offer = Offer.objects.get(pk=world["lease"].offer_id)
    Offer.objects.filter(pk=offer.pk).update(override_reason=SECRET)
    rules = offer.overridden_rules
    anonymise(world["housed_case"])
    kept = Offer.objects.get(pk=offer.pk)
    assert kept.override_reason == ANONYMISED_TEXT
    assert kept.overridden_rules == rules  # the report's count of overrides is unchanged


def test_an_offer_without_override_keeps_an_empty_reason(world: dict[str, Any]) -> None:
    offer = world["offer"]
    Case.objects.filter(pk=offer.case_id).update(status="closed", closed_on=dt.date(2026, 6, 1))
    Offer.objects.filter(pk=offer.pk).update(status="withdrawn")
    retention_run(today=TODAY, years=5)
    assert Offer.objects.get(pk=offer.pk).override_reason == ""


def test_the_notifications_that_quoted_the_cancellation_reason_lose_it(
    world: dict[str, Any],
) -> None:
    lease = world["lease"]
    Lease.objects.filter(pk=lease.pk).update(
        cancelled_on=lease.signed_on, cancellation_reason=SECRET
    )
    data = {"lease_id": lease.pk, "offer_id": lease.offer_id}
    lease_cancelled_municipality(Event("lease.cancelled", data={**data, "by_organisation": True}))
    lease_cancelled_organisation(Event("lease.cancelled", data={**data, "by_organisation": False}))
    told = Notification.objects.filter(kind="lease_cancelled")
    assert told.count() >= 2
    assert all(SECRET in n.body for n in told)
    other = Notification.objects.exclude(kind="lease_cancelled").values_list("pk", "body")
    anonymise(world["housed_case"])
    assert told.exists() and not Notification.objects.filter(body__contains=SECRET).exists()
    assert list(Notification.objects.exclude(kind="lease_cancelled").values_list("pk", "body")) == (
        list(other)
    )
