"""A party leaves the agreement from a day: after its last day its vacancies are no longer the
agreement's (no turns), while its history stays in the agreement, the ledger and the report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from anvis.agreements import services
from anvis.agreements.models import TurnRecord
from anvis.agreements.selectors import agreement_terms_on, ledger
from anvis.audit.models import AuditEvent
from anvis.stock.models import Dwelling
from anvis_core.quotas import Quarter

pytestmark = pytest.mark.django_db
D = dt.date


def cheap(org: Any) -> Dwelling:
    return Dwelling.objects.get(entrance__department__organisation=org, rent=3100)


def test_a_party_that_left_gets_no_more_turns_and_keeps_its_history(
    agreement: Any, users: dict[str, Any], org_a: Any, org_b: Any
) -> None:
    lead = users["anvisningsleder"]
    for day in (D(2024, 2, 1), D(2024, 3, 1)):
        services.turn_decide(dwelling=cheap(org_a), report_date=day)
    # Its judged vacancies keep it from being removed; it leaves from a day instead.
    with pytest.raises(ValidationError) as exc:
        services.agreement_update(actor=lead, agreement=agreement, parties=[org_b])
    assert exc.value.message_dict["parties"] == [
        "En part, hvis ledige boliger er afgjort efter aftalen, kan ikke fjernes. Angiv i stedet "
        "den sidste dag, den er part i aftalen."
    ]
    services.agreement_party_leave(
        actor=lead, agreement=agreement, organisation=org_a, last_day=D(2024, 6, 30)
    )
    assert agreement_terms_on(D(2024, 6, 30), {org_a.pk}) is not None
    assert agreement_terms_on(D(2024, 7, 1), {org_a.pk}) is None
    assert agreement_terms_on(D(2024, 7, 1), {org_b.pk}) is not None
    after = services.turn_decide(dwelling=cheap(org_a), report_date=D(2024, 7, 1))
    assert (after.reason_code, after.record) == ("no_agreement", None)
    assert TurnRecord.objects.filter(organisation=org_a).count() == 2
    # Still a party in the agreement's history: its ledger line and its staff's view stay.
    assert set(agreement.parties.all()) == {org_a, org_b}
    view = ledger(user=lead, agreement=agreement, quarter=Quarter(2024, 3), today=D(2024, 9, 1))
    line = next(r for r in view.rows if r.organisation_id == org_a.pk)
    assert line.line.cumulative.eligible == 2
    row = AuditEvent.objects.get(action="agreements.party_leave")
    assert (row.before["until"], row.after["until"]) == (None, "2024-06-30")


def test_a_party_cannot_leave_before_a_day_already_judged(
    agreement: Any, users: dict[str, Any], org_a: Any
) -> None:
    services.turn_decide(dwelling=cheap(org_a), report_date=D(2024, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.agreement_party_leave(
            actor=users["anvisningsleder"],
            agreement=agreement,
            organisation=org_a,
            last_day=D(2024, 2, 29),
        )
    assert exc.value.message_dict["last_day"] == [
        "Organisationens ledige boliger meldt til og med 01.03.2024 er allerede afgjort efter "
        "aftalen; dens sidste dag kan tidligst være 01.03.2024."
    ]
    with pytest.raises(ValidationError) as exc:
        services.agreement_party_leave(
            actor=users["anvisningsleder"],
            agreement=agreement,
            organisation=org_a,
            last_day=D(2028, 1, 1),
        )
    assert exc.value.message_dict["last_day"] == [
        "Den sidste dag skal ligge i aftalens periode (01.01.2024 – 31.12.2027)."
    ]


def test_a_party_that_left_may_join_another_agreement_from_the_day_after(
    agreement: Any, users: dict[str, Any], org_a: Any
) -> None:
    lead = users["anvisningsleder"]

    def join() -> Any:
        return services.agreement_create(
            actor=lead,
            municipality="Aalborg Kommune",
            title="Egen aftale",
            period_start=D(2025, 1, 1),
            parties=[org_a],
        )

    with pytest.raises(ValidationError):
        join()
    services.agreement_party_leave(
        actor=lead, agreement=agreement, organisation=org_a, last_day=D(2024, 12, 31)
    )
    other = join()
    assert agreement_terms_on(D(2025, 3, 1), {org_a.pk})[0] == other
    # Staying on in the old agreement after all would overlap the new one.
    with pytest.raises(ValidationError) as exc:
        services.agreement_party_leave(
            actor=lead, agreement=agreement, organisation=org_a, last_day=None
        )
    assert "Egen aftale" in exc.value.message_dict["last_day"][0]


def test_the_leave_page(client_for: Any, agreement: Any, org_a: Any, org_b: Any) -> None:
    client = client_for("anvisningsleder")
    url = f"/aftaler/{agreement.pk}/parter/udtraeden/"
    page = client.get(url)
    assert page.status_code == 200
    assert client_for("boligorganisation").get(url).status_code == 404
    refused = client.post(url, {"organisation": org_a.pk, "last_day": "2030-01-01"})
    assert refused.status_code == 422
    assert "Den sidste dag skal ligge i aftalens periode" in refused.content.decode()
    done = client.post(url, {"organisation": org_a.pk, "last_day": "2026-06-30"})
    assert done.status_code == 302
    detail = client.get(f"/aftaler/{agreement.pk}/").content.decode()
    assert "part til og med 30.06.2026" in detail


def test_a_handheld_request_is_not_sent_to_a_party_that_has_left(
    agreement: Any, users: dict[str, Any], org_a: Any
) -> None:
    services.agreement_party_leave(
        actor=users["anvisningsleder"],
        agreement=agreement,
        organisation=org_a,
        last_day=D(2025, 6, 30),
    )
    fields = {"case_reference": "HF-3", "rooms": 1, "max_rent": 4000, "need": "Ung med CTI"}
    with pytest.raises(ValidationError) as exc:
        services.handheld_request_create(
            actor=users["sagsbehandler"],
            agreement=agreement,
            organisation=org_a,
            requested_on=D(2025, 7, 1),
            **fields,
        )
    assert exc.value.message_dict["organisation"] == ["Boligorganisationen er ikke part i aftalen."]
    services.handheld_request_create(
        actor=users["sagsbehandler"],
        agreement=agreement,
        organisation=org_a,
        requested_on=D(2025, 6, 30),
        **fields,
    )
