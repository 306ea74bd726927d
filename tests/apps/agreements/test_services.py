from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from anvis.agreements import services
from anvis.agreements.models import DepartmentStep, StepReassessment, TurnCounter, TurnRecord
from anvis.audit.models import AuditEvent
from anvis.stock.models import Dwelling

pytestmark = pytest.mark.django_db
D = dt.date


def cheap(org: Any) -> Dwelling:
    return Dwelling.objects.get(entrance__department__organisation=org, rent=3100)


def test_version_for_picks_the_version_valid_on_a_date(
    agreement: Any, users: dict[str, Any]
) -> None:
    v2 = services.agreement_version_create(
        actor=users["anvisningsleder"],
        agreement=agreement,
        valid_from=D(2025, 1, 1),
        rent_ceiling=4500,
    )
    assert agreement.version_for(D(2024, 12, 31)).rent_ceiling == 5000
    assert agreement.version_for(D(2025, 1, 1)) == v2
    assert v2.municipal_share_percent == Decimal("25")  # copied from the version before
    assert agreement.version_for(D(2023, 12, 31)) is None
    assert agreement.version_for(D(2028, 1, 1)) is None


def test_version_validation_in_danish(agreement: Any, users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as exc:
        services.agreement_version_create(
            actor=users["anvisningsleder"], agreement=agreement, valid_from=D(2023, 6, 1)
        )
    assert "Der kan ikke gælde en version før aftalen træder i kraft." in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.agreement_version_create(
            actor=users["anvisningsleder"],
            agreement=agreement,
            valid_from=D(2025, 1, 1),
            municipal_share_percent=Decimal("120"),
        )
    assert "Den kommunale andel skal være mellem 0 og 100 %." in str(exc.value)


def test_used_version_cannot_be_edited(agreement: Any, users: dict[str, Any], org_a: Any) -> None:
    services.turn_decide(dwelling=cheap(org_a), report_date=D(2024, 3, 1))
    version = agreement.version_for(D(2024, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.agreement_version_update(
            actor=users["anvisningsleder"], version=version, rent_ceiling=6000
        )
    assert "Opret en ny version i stedet." in str(exc.value)
    # A new version cannot start on or before a date already judged.
    with pytest.raises(ValidationError):
        services.agreement_version_create(
            actor=users["anvisningsleder"], agreement=agreement, valid_from=D(2024, 3, 1)
        )
    services.agreement_version_create(
        actor=users["anvisningsleder"],
        agreement=agreement,
        valid_from=D(2024, 3, 2),
        rent_ceiling=6000,
    )


def test_a_version_in_force_is_not_edited_even_before_it_judged_a_vacancy(
    agreement: Any, users: dict[str, Any]
) -> None:
    """The gate uses the terms in force for candidate lists, refusals and overrides before any
    vacancy is judged: a version that has been in force is history too."""
    lead = users["anvisningsleder"]
    version = services.agreement_version_create(
        actor=lead, agreement=agreement, valid_from=D(2026, 1, 1), rent_ceiling=4900
    )
    assert not version.turn_records.exists()
    for today in (D(2026, 1, 1), D(2026, 2, 1)):
        with pytest.raises(ValidationError) as exc:
            services.agreement_version_update(
                actor=lead, version=version, rent_ceiling=4800, today=today
            )
        assert exc.value.messages == [
            "Denne version har været gældende siden 01.01.2026: dens vilkår kan allerede have "
            "afgjort kandidatlister, afvisninger og tilsidesættelser, så den kan ikke ændres. "
            "Opret en ny version i stedet."
        ]
    version.refresh_from_db()
    assert version.rent_ceiling == 4900
    assert not AuditEvent.objects.filter(action="agreements.version_update").exists()
    # Before it comes into force it may be corrected, but its date never moved into the past.
    with pytest.raises(ValidationError):
        services.agreement_version_update(
            actor=lead, version=version, valid_from=D(2025, 5, 1), today=D(2025, 6, 1)
        )
    services.agreement_version_update(
        actor=lead, version=version, rent_ceiling=4800, today=D(2025, 6, 1)
    )
    version.refresh_from_db()
    assert version.rent_ceiling == 4800
    assert AuditEvent.objects.filter(action="agreements.version_update").exists()


def test_turn_decide_every_fourth_and_explains(agreement: Any, org_a: Any) -> None:
    dwelling = cheap(org_a)
    results = [
        services.turn_decide(dwelling=dwelling, report_date=D(2024, 2, i)) for i in range(1, 9)
    ]
    assert [r.municipal for r in results] == [False, False, False, True] * 2
    assert results[3].record.outcome == "pending"
    assert results[3].explanation == (
        "Kommunal tur: 1 af de 4 egnede ledige boliger i dette trin hos boligorganisationen "
        "er gået til kommunen, andel 25 %. Nettohuslejen på 3.100 kr er højst loftet på 5.000 kr."
    )
    # 4 Feb 2024 + 7 working days.
    assert results[3].response_deadline == D(2024, 2, 13)
    counter = TurnCounter.objects.get()
    assert (counter.eligible, counter.municipal) == (8, 2)


def test_turn_decide_not_eligible_over_ceiling(agreement: Any, org_a: Any) -> None:
    dear = Dwelling.objects.get(entrance__department__organisation=org_a, rent=5600)
    result = services.turn_decide(dwelling=dear, report_date=D(2024, 2, 1))
    assert not result.eligible
    assert result.explanation == "Ikke egnet: huslejen 5.600 kr er over loftet 5.000 kr."
    assert result.record.outcome == "ordinary"
    assert not TurnCounter.objects.exists()


def test_department_step_decides_the_share(
    agreement: Any, users: dict[str, Any], org_a: Any
) -> None:
    dept = org_a.departments.get()
    services.department_step_set(
        actor=users["anvisningsleder"],
        agreement=agreement,
        department=dept,
        label="Trin 0",
        share_percent=Decimal("0"),
        valid_from=D(2024, 1, 1),
        reason="Skærmet",
    )
    results = [
        services.turn_decide(dwelling=cheap(org_a), report_date=D(2024, 2, 1)) for _ in range(10)
    ]
    assert not any(r.municipal for r in results)
    assert results[0].reason_code == "share_zero"
    services.department_step_set(
        actor=users["anvisningsleder"],
        agreement=agreement,
        department=dept,
        label="Trin 2",
        share_percent=Decimal("50"),
        valid_from=D(2024, 3, 1),
        reason="Kan tage flere",
    )
    later = [
        services.turn_decide(dwelling=cheap(org_a), report_date=D(2024, 3, 5)).municipal
        for _ in range(4)
    ]
    assert later == [False, True, False, True]
    with pytest.raises(ValidationError) as exc:
        services.department_step_set(
            actor=users["anvisningsleder"],
            agreement=agreement,
            department=dept,
            label="Trin 1",
            share_percent=Decimal("25"),
            valid_from=D(2024, 3, 5),
            reason="x",
        )
    assert "allerede afgjort" in str(exc.value)


def test_step_for_other_party_rejected(agreement: Any, users: dict[str, Any]) -> None:
    from anvis.stock.models import Department, HousingOrganisation

    other = HousingOrganisation.objects.create(name="Gamma", cvr="33333333")
    dept = Department.objects.create(organisation=other, number="1", name="G")
    with pytest.raises(ValidationError) as exc:
        services.department_step_set(
            actor=users["anvisningsleder"],
            agreement=agreement,
            department=dept,
            label="Trin 1",
            share_percent=Decimal("25"),
            valid_from=D(2024, 1, 1),
            reason="x",
        )
    assert exc.value.message_dict["department"] == [
        "Afdeling 1 G hører til en boligorganisation, der ikke er part i aftalen."
    ]


def test_reassessment_propose_and_approve(
    agreement: Any, users: dict[str, Any], org_a: Any, org_b: Any
) -> None:
    lead = users["anvisningsleder"]
    da, db = org_a.departments.get(), org_b.departments.get()
    r = services.step_proposals_submit(
        actor=lead,
        year=2024,
        proposals=[(da, Decimal("40"), "Stabil afdeling"), (db, Decimal("0"), "Skærmes")],
    )
    assert r.agreement == agreement
    services.step_proposals_submit(
        actor=lead, year=2024, proposals=[(da, Decimal("30"), "Justeret")]
    )
    assert r.proposals.get(department=da).share_percent == Decimal("30")
    steps = services.step_reassessment_approve(
        actor=lead, reassessment=r, effective_from=D(2025, 1, 1)
    )
    assert len(steps) == 2
    assert all(s.approved_by == lead and s.reassessment_id == r.pk for s in steps)
    r.refresh_from_db()
    assert r.status == "approved" and r.approved_by == lead
    assert DepartmentStep.objects.get(department=db).share_percent == 0
    with pytest.raises(ValidationError):
        services.step_proposals_submit(actor=lead, year=2024, proposals=[(da, Decimal("25"), "x")])
    assert StepReassessment.objects.count() == 1


def test_turn_outcome_set_transitions(agreement: Any, users: dict[str, Any], org_a: Any) -> None:
    records = [
        services.turn_decide(dwelling=cheap(org_a), report_date=D(2024, 2, 1)).record
        for _ in range(4)
    ]
    municipal = records[3]
    services.turn_outcome_set(
        record=municipal, outcome="declined_by_municipality", actor=users["sagsbehandler"]
    )
    municipal.refresh_from_db()
    assert municipal.outcome == "declined_by_municipality"
    assert municipal.outcome_set_by == users["sagsbehandler"]
    with pytest.raises(ValidationError):
        services.turn_outcome_set(
            record=municipal, outcome="accepted", actor=users["sagsbehandler"]
        )
    with pytest.raises(ValidationError):
        services.turn_outcome_set(
            record=records[0], outcome="expired", actor=users["sagsbehandler"]
        )
    services.turn_outcome_set(record=records[0], outcome="accepted", actor=users["sagsbehandler"])
    assert TurnRecord.objects.filter(outcome="accepted", municipal=False).count() == 1


def test_no_agreement_gives_no_record(db: Any, org_a: Any) -> None:
    result = services.turn_decide(dwelling=cheap(org_a), report_date=D(2024, 2, 1))
    assert result.reason_code == "no_agreement"
    assert result.record is None


def test_handheld_request_rejects_cpr_and_closes(
    agreement: Any, users: dict[str, Any], org_a: Any
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.handheld_request_create(
            actor=users["sagsbehandler"],
            agreement=agreement,
            case_reference="HF-1",
            rooms=2,
            max_rent=4000,
            need="Borger 010190-1234 har brug for bolig",
            requested_on=D(2024, 5, 1),
        )
    assert "CPR-numre" in str(exc.value)
    req = services.handheld_request_create(
        actor=users["sagsbehandler"],
        agreement=agreement,
        case_reference="HF-1",
        rooms=2,
        max_rent=4000,
        need="Ung med CTI",
        requested_on=D(2024, 5, 1),
    )
    with pytest.raises(ValidationError):
        services.handheld_request_close(
            actor=users["sagsbehandler"], request=req, status="met", closed_on=D(2024, 6, 1)
        )
    services.handheld_request_close(
        actor=users["sagsbehandler"],
        request=req,
        status="met",
        closed_on=D(2024, 6, 1),
        met_by=cheap(org_a),
    )
    req.refresh_from_db()
    assert req.status == "met" and req.met_by == cheap(org_a)


def test_the_audit_row_of_an_agreement_change_holds_its_parties(
    agreement: Any, users: dict[str, Any], org_a: Any, org_b: Any
) -> None:
    """The parties are a many-to-many field: the audit row lists them before and after."""
    created = AuditEvent.objects.get(action="agreements.agreement_create")
    assert created.after["parties"] == sorted([org_a.pk, org_b.pk])
    services.agreement_update(
        actor=users["anvisningsleder"], agreement=agreement, parties=[org_a], title="Ny titel"
    )
    row = AuditEvent.objects.get(action="agreements.agreement_update")
    assert row.before["parties"] == sorted([org_a.pk, org_b.pk])
    assert row.after["parties"] == [org_a.pk]
    assert row.after["title"] == "Ny titel" != row.before["title"]
    # A refused change writes no audit row.
    with pytest.raises(ValidationError):
        services.agreement_update(
            actor=users["anvisningsleder"], agreement=agreement, period_end=D(2020, 1, 1)
        )
    assert AuditEvent.objects.filter(action="agreements.agreement_update").count() == 1


def test_lengthening_a_period_into_another_agreement_of_a_party_is_refused(
    agreement: Any, users: dict[str, Any], org_a: Any, org_b: Any
) -> None:
    lead = users["anvisningsleder"]
    later = services.agreement_create(
        actor=lead,
        municipality="Aalborg Kommune",
        title="Ny aftale",
        period_start=D(2028, 1, 1),
        parties=[org_b],
    )
    # Without a change of parties, a longer period is still checked against them.
    with pytest.raises(ValidationError) as exc:
        services.agreement_update(actor=lead, agreement=agreement, period_end=D(2028, 3, 31))
    assert exc.value.message_dict["parties"] == [
        f"{org_b.name} er allerede part i aftalen “Ny aftale” (fra 01.01.2028, indtil den "
        "opsiges), hvis periode overlapper denne. En organisation kan kun være part i én aftale "
        "ad gangen: afslut den anden aftale først, eller lad denne starte efter den."
    ]
    # Adding a party of the old agreement to the later one, once they no longer overlap: fine.
    services.agreement_update(actor=lead, agreement=later, parties=[org_a, org_b])
    assert set(later.parties.all()) == {org_a, org_b}


def test_the_turn_and_the_gate_read_the_agreement_and_its_terms_alike(
    agreement: Any, org_a: Any
) -> None:
    """The turn engine judges a reported vacancy and the placement gate an offer by the same
    agreement and version (`selectors.agreement_terms_on`); an agreement without terms on the
    day governs neither."""
    from anvis.vacancies.adapters import agreement_version_on

    day = D(2024, 7, 1)
    result = services.turn_decide(dwelling=cheap(org_a), report_date=day)
    assert result.eligible and result.version == agreement.version_for(day)
    assert agreement_version_on(day, {org_a.pk}) == result.version
    TurnRecord.objects.all().delete()
    agreement.versions.all().delete()
    result = services.turn_decide(dwelling=cheap(org_a), report_date=day)
    assert (result.reason_code, result.version) == ("no_agreement", None)
    assert agreement_version_on(day, {org_a.pk}) is None


def test_a_step_reason_with_a_cpr_number_is_refused(
    agreement: Any, users: dict[str, Any], org_a: Any
) -> None:
    """The organisation and the steering group read a step's reason in the step history and the
    reassessment: a CPR number typed into it is refused on the field, by both services."""
    lead = users["anvisningsleder"]
    dept = org_a.departments.get()
    with pytest.raises(ValidationError) as exc:
        services.department_step_set(
            actor=lead,
            agreement=agreement,
            department=dept,
            label="Trin 1",
            share_percent=Decimal("25"),
            valid_from=D(2024, 3, 1),
            reason="Borgeren 010190-1235 flyttede ud",
        )
    assert "Skriv ikke CPR-numre her" in str(exc.value.message_dict["reason"])
    with pytest.raises(ValidationError) as exc:
        services.step_proposals_submit(
            actor=lead, year=2024, proposals=[(dept, Decimal("40"), "Jf. 0101901235")]
        )
    assert "Skriv ikke CPR-numre her" in str(exc.value.message_dict["reason"])
    assert not DepartmentStep.objects.filter(department=dept, valid_from=D(2024, 3, 1)).exists()


def test_a_handheld_request_is_met_by_a_dwelling_of_the_organisation_it_was_sent_to(
    agreement: Any, users: dict[str, Any], org_a: Any, org_b: Any
) -> None:
    """The addressed organisation reads the request and the dwelling that met it: a dwelling of
    another organisation (a mistyped dwelling number) is refused, naming the field; a request
    to all parties is met by a dwelling of one of them."""
    from tests.conftest import _stock

    lead = users["sagsbehandler"]
    stranger = cheap(_stock("Ikke part", "88888888", "9", "Sidevej 1"))
    fields = {"case_reference": "HF-2", "rooms": 1, "max_rent": 4000, "need": "Ung med CTI"}
    to_a = services.handheld_request_create(
        actor=lead, agreement=agreement, organisation=org_a, requested_on=D(2024, 5, 1), **fields
    )
    with pytest.raises(ValidationError) as exc:
        services.handheld_request_close(
            actor=lead, request=to_a, status="met", closed_on=D(2024, 6, 1), met_by=cheap(org_b)
        )
    assert exc.value.message_dict["met_by"] == [
        f"Boligen hører ikke til {org_a.name}, som anmodningen er sendt til."
    ]
    to_all = services.handheld_request_create(
        actor=lead, agreement=agreement, requested_on=D(2024, 5, 1), **fields
    )
    with pytest.raises(ValidationError) as exc:
        services.handheld_request_close(
            actor=lead, request=to_all, status="met", closed_on=D(2024, 6, 1), met_by=stranger
        )
    assert exc.value.message_dict["met_by"] == [
        "Boligen hører ikke til en af aftalens parter, som anmodningen er sendt til."
    ]
    services.handheld_request_close(
        actor=lead, request=to_all, status="met", closed_on=D(2024, 6, 1), met_by=cheap(org_b)
    )
    to_all.refresh_from_db()
    assert to_all.met_by == cheap(org_b)


def test_a_refused_approval_names_the_department(
    agreement: Any, users: dict[str, Any], org_a: Any, org_b: Any
) -> None:
    """The approval sets every proposal's step at once: a refusal says which department of the
    list it is about (the page shows the service's messages without the field)."""
    lead = users["anvisningsleder"]
    da, db = org_a.departments.get(), org_b.departments.get()
    r = services.step_proposals_submit(
        actor=lead,
        year=2024,
        proposals=[(da, Decimal("40"), "Stabil afdeling"), (db, Decimal("0"), "Skærmes")],
    )
    services.department_step_set(
        actor=lead,
        agreement=agreement,
        department=db,
        label="Trin 0",
        share_percent=Decimal("0"),
        valid_from=D(2025, 1, 1),
        reason="Sat før godkendelsen",
    )
    with pytest.raises(ValidationError) as exc:
        services.step_reassessment_approve(actor=lead, reassessment=r, effective_from=D(2025, 1, 1))
    assert exc.value.messages == [
        f"Afdeling {db.number} {db.name} har allerede et trin, der gælder fra denne dato."
    ]
    services.agreement_update(actor=lead, agreement=agreement, parties=[org_a])
    with pytest.raises(ValidationError) as exc:
        services.step_reassessment_approve(actor=lead, reassessment=r, effective_from=D(2025, 2, 1))
    assert exc.value.messages == [
        f"Afdeling {db.number} {db.name} hører til en boligorganisation, der ikke er part i aftalen."
    ]
    assert not DepartmentStep.objects.filter(department=da).exists()


@pytest.mark.parametrize("term", ["guarantee_period_months", "guarantee_repairs_period_months"])
def test_a_guarantee_period_of_no_months_is_refused(
    agreement: Any, users: dict[str, Any], term: str
) -> None:
    """Empty is no time limit; 0 months would end the guarantee on the lease's first day and
    refuse every claim of the kind, though the guarantee is ticked."""
    with pytest.raises(ValidationError) as exc:
        services.agreement_version_create(
            actor=users["anvisningsleder"],
            agreement=agreement,
            valid_from=D(2026, 1, 1),
            **{term: 0},
        )
    assert exc.value.message_dict[term] == [
        "Garantiperioden skal være mindst 1 måned. Lad feltet stå tomt, hvis der ikke er en "
        "tidsgrænse."
    ]
