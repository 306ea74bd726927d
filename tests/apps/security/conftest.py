"""A small world with one object of every type, owned by organisation A where it has an owner.

Used by the access matrix and the data-minimisation tests: the citizen's name, CPR number and
note text are distinctive so that a leak into any page can be found by a plain text search.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

CPR = "010190-1235"
CPR_DIGITS = "0101901235"
FIRST_NAME = "Eskildinus"
LAST_NAME = "Qvortrupsen"
PHONE = "61616161"
EMAIL = "eskildinus@example.org"
NOTE = "Fortroligt notat om misbrug"
SHELTER = "Herberget Fyrtaarnet"


@pytest.fixture
def world(users: dict[str, Any], org_a: Any, org_b: Any) -> dict[str, Any]:
    from anvis.agreements import services as agreements
    from anvis.cases import services as cases
    from anvis.cases.models import BarKind, ConsentScope, SupportMethod

    lead = users["anvisningsleder"]
    worker = users["sagsbehandler"]
    dept_a = org_a.departments.get()
    entrance_a = dept_a.entrances.get()
    dwelling_a = entrance_a.dwellings.order_by("pk").first()

    agreement = agreements.agreement_create(
        actor=lead,
        municipality="Aalborg Kommune",
        title="Udlejningsaftale A",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2027, 12, 31),
        parties=[org_a],
        signed_on=dt.date(2023, 12, 1),
        terms={"municipal_share_percent": Decimal("25"), "covered_dwelling_types": ["family"]},
    )
    version = agreement.versions.order_by("pk").first()
    forum = agreements.forum_save(
        actor=lead, agreement=agreement, kind="practical", name="Praktikergruppe", members="A"
    )
    reassessment = agreements.step_proposals_submit(
        actor=lead,
        year=2026,
        proposals=[(dept_a, Decimal("30"), "Forslag")],
        agreement=agreement,
    )
    handheld = agreements.handheld_request_create(
        actor=worker,
        agreement=agreement,
        organisation=org_a,
        case_reference="H-1",
        rooms=2,
        max_rent=5000,
        need="Stueetage",
        requested_on=dt.date(2026, 2, 1),
    )

    case = cases.case_create(
        actor=worker,
        cpr=CPR,
        first_name=FIRST_NAME,
        last_name=LAST_NAME,
        phone=PHONE,
        email=EMAIL,
        situation="shelter_110",
        situation_since=dt.date(2026, 1, 5),
        today=dt.date(2026, 2, 1),
    )
    cases.case_add_note(actor=worker, case=case, text=NOTE)
    stay = cases.shelter_stay_add(
        actor=worker, case=case, shelter=SHELTER, admitted_on=dt.date(2026, 1, 5)
    )
    plan = cases.support_plan_add(
        actor=worker,
        case=case,
        method=SupportMethod.CTI,
        provider="Bostøtten",
        decided_on=dt.date(2026, 1, 20),
    )
    bar = cases.legal_bar_add(
        actor=worker, case=case, kind=BarKind.PRISON_RELEASE, date=dt.date(2025, 6, 1)
    )
    avoid = cases.avoid_area_add(actor=worker, case=case, district="Aalborg Øst", reason="Konflikt")
    consent = cases.consent_record(
        actor=worker,
        case=case,
        scope=ConsentScope.OFFER_ORGANISATION,
        given_on=dt.date(2026, 1, 10),
    )
    return {
        "org_a": org_a,
        "org_b": org_b,
        "dept_a": dept_a,
        "entrance_a": entrance_a,
        "dwelling_a": dwelling_a,
        "agreement": agreement,
        "version": version,
        "forum": forum,
        "reassessment": reassessment,
        "handheld": handheld,
        "case": case,
        "citizen": case.citizen,
        "stay": stay,
        "plan": plan,
        "bar": bar,
        "avoid": avoid,
        "consent": consent,
    }
