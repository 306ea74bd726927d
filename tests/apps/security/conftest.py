"""A small world with one object of every type, owned by organisation A where it has an owner.

Used by the access matrix and the data-minimisation tests: the citizen's name, CPR number and
note text are distinctive so that a leak into any page can be found by a plain text search.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

CPR = "010190-1235"
CPR_DIGITS = "0101901235"
FIRST_NAME = "Eskildinus"
LAST_NAME = "Qvortrupsen"
PHONE = "61616161"
EMAIL = "eskildinus@example.org"
NOTE = "Fortroligt notat om misbrug"
SHELTER = "Herberget Fyrtaarnet"
HOUSED_NAME = "Lejemaalina"


@pytest.fixture
def world(users: dict[str, Any], org_a: Any, org_b: Any) -> dict[str, Any]:
    from anvis.agreements import services as agreements
    from anvis.cases import services as cases
    from anvis.cases.models import BarKind, ConsentScope, SupportMethod
    from anvis.stock.models import Dwelling

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
    # The flow: vacancy A with an open offer to the citizen above (who has consented, but the
    # offer is not accepted, so organisations still must not see who it is); vacancy B let to a
    # second citizen through an accepted offer, with a lease and a guarantee claim.
    from anvis.vacancies import services as flow

    agreement.versions.update(
        municipal_share_percent=Decimal("100"),
        guarantee_max_repairs=20_000,
        guarantee_first_year_arrears=False,
    )
    today = timezone.localdate()
    cheap, dear = list(Dwelling.objects.filter(entrance__department=dept_a).order_by("rent"))
    vacancy = flow.vacancy_report(
        actor=users["boligorganisation"], dwelling=cheap, notice_date=today, available_from=today
    )
    flow.vacancy_accept(actor=lead, vacancy=vacancy)
    from anvis.matching.services import run_create

    matching_run = run_create(actor=lead, today=today)
    # The citizen asked to avoid the district: a soft finding the caseworker confirms.
    offer = flow.offer_create(actor=worker, vacancy=vacancy, case=case, soft_confirmed=True)
    housed = cases.case_create(
        actor=worker,
        cpr="020290-1234",
        first_name=HOUSED_NAME,
        last_name="Lejersen",
        situation="rough_sleeping",
        situation_since=dt.date(2026, 1, 5),
        today=dt.date(2026, 2, 1),
    )
    cases.consent_record(
        actor=worker,
        case=housed,
        scope=ConsentScope.OFFER_ORGANISATION,
        given_on=dt.date(2026, 1, 10),
    )
    let_vacancy = flow.vacancy_report(
        actor=users["boligorganisation"], dwelling=dear, notice_date=today, available_from=today
    )
    flow.vacancy_accept(actor=lead, vacancy=let_vacancy)
    # The rent is over the agreement's ceiling: only the allocation lead may offer, with a reason.
    let_offer = flow.offer_create(
        actor=lead,
        vacancy=let_vacancy,
        case=housed,
        soft_confirmed=True,
        override_reason="Boligen passer til husstanden; aftalt med organisationen.",
    )
    flow.offer_accept(actor=worker, offer=let_offer)
    lease = flow.lease_register(
        actor=users["boligorganisation"],
        offer=let_offer,
        signed_on=today,
        starts_on=today,
        move_in_on=today,
    ).lease
    claim = flow.guarantee_claim_submit(
        actor=users["boligorganisation"],
        lease=lease,
        kind="move_out_repairs",
        event_date=today + dt.timedelta(days=100),
        amount=12_000,
        description="Maling efter fraflytning",
        today=today + dt.timedelta(days=110),
    )
    from anvis.tenancy.services import EventInput, tenancy_event_report

    tenancy_event = tenancy_event_report(
        actor=users["boligorganisation"],
        lease=lease,
        data=EventInput(kind="arrears", event_date=today, amount=4200, months=1),
        today=today,
    )
    # The municipality's own event on the tenancy carries the confidential note: it must never
    # reach the organisation or the steering group.
    tenancy_event_report(
        actor=worker,
        lease=lease,
        data=EventInput(kind="hospital", event_date=today, note=NOTE),
        today=today,
    )
    from anvis.simulation.services import simulation_run_create

    simulation_run = simulation_run_create(
        actor=users["anvisningsleder"], name="Matrix", parameters={"source": "database"}
    )
    from anvis.notifications.services import notify
    from anvis.reports import services as reports
    from anvis_core.quotas.ledger import Quarter

    meeting = reports.meeting_create(actor=lead, forum=forum, held_on=today, minutes="Referat")
    decision = reports.decision_create(actor=lead, meeting=meeting, text="Følg op på loft")
    snapshot = reports.report_snapshot_create(actor=lead, quarter=Quarter.of(today), today=today)
    reports.report_snapshot_render(snapshot_id=snapshot.pk)  # as the background task does

    (notification,) = notify(
        recipient_ids=[lead.pk], kind="vacancy_municipal", title="Ny kommunal ledig bolig"
    )
    from anvis.api.services import webhook_subscription_create

    webhook = webhook_subscription_create(
        actor=users["administrator"], organisation=org_a, url="https://hooks.example.dk/anvis"
    )
    return {
        "webhook": webhook,
        "notification": notification,
        "meeting": meeting,
        "decision": decision,
        "report_snapshot": snapshot,
        "matching_run": matching_run,
        "simulation_run": simulation_run,
        "vacancy": vacancy,
        "offer": offer,
        "let_vacancy": let_vacancy,
        "lease": lease,
        "claim": claim,
        "tenancy_task": tenancy_event.task,
        "housed_case": housed,
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
