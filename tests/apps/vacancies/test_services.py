from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from anvis.agreements.models import TurnRecord
from anvis.audit.models import AuditEvent
from anvis.cases.models import Case, CaseEvent
from anvis.cases.services import support_plan_add
from anvis.monitoring.models import MunicipalPlacement
from anvis.vacancies import services
from anvis.vacancies.models import Lease, Offer, Vacancy, VacancyEvent

from .conftest import DEADLINE, REPORT_DAY


def report(users: dict[str, Any], dwelling: Any, **kw: Any) -> Vacancy:
    args: dict[str, Any] = {
        "actor": users["boligorganisation"],
        "dwelling": dwelling,
        "notice_date": REPORT_DAY - dt.timedelta(days=30),
        "available_from": REPORT_DAY + dt.timedelta(days=10),
        "report_date": REPORT_DAY,
    }
    args.update(kw)
    return services.vacancy_report(**args)


def accepted(users: dict[str, Any], dwelling: Any) -> Vacancy:
    vacancy = report(users, dwelling)
    return services.vacancy_accept(
        actor=users["anvisningsleder"], vacancy=vacancy, today=REPORT_DAY
    )


def offered(users: dict[str, Any], dwelling: Any, case: Any) -> Offer:
    vacancy = accepted(users, dwelling)
    return services.offer_create(
        actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=REPORT_DAY
    )


def statuses(vacancy: Vacancy) -> list[str]:
    return list(
        VacancyEvent.objects.filter(vacancy=vacancy, kind="status").values_list(
            "to_status", flat=True
        )
    )


# --- report -------------------------------------------------------------------------------------


def test_report_municipal_turn_with_deadline_and_turn_record(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    vacancy = report(users, cheap)
    assert vacancy.status == "municipal"
    assert vacancy.response_deadline == DEADLINE
    assert vacancy.turn_record is not None and vacancy.turn_record.outcome == "pending"
    assert vacancy.rent_at_letting == 3100
    assert statuses(vacancy) == ["reported", "municipal"]
    assert AuditEvent.objects.filter(action="vacancies.report", object_id=str(vacancy.pk)).exists()


def test_ineligible_vacancy_is_ordinary_and_explains_why(
    users: dict[str, Any], agreement: Any, dear: Any
) -> None:
    vacancy = report(users, dear)
    assert vacancy.status == "ordinary"
    assert vacancy.response_deadline is None
    last = VacancyEvent.objects.filter(vacancy=vacancy).last()
    assert last is not None and "5.600" in last.summary


def test_voluntary_offer_goes_to_the_municipality_and_counts_as_extra(
    users: dict[str, Any], agreement: Any, org_a: Any, cheap: Any
) -> None:
    agreement.versions.update(municipal_share_percent=Decimal("0"))
    vacancy = report(users, cheap, source="voluntary")
    assert vacancy.status == "municipal"
    assert vacancy.turn_record.outcome == "ordinary"
    services.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=REPORT_DAY)
    assert TurnRecord.objects.get(pk=vacancy.turn_record_id).outcome == "accepted"


def test_one_open_vacancy_per_dwelling(users: dict[str, Any], agreement: Any, cheap: Any) -> None:
    report(users, cheap)
    with pytest.raises(ValidationError) as exc:
        report(users, cheap)
    assert "Boligen har allerede en åben ledighed" in str(exc.value)
    # The database constraint holds also without the service.
    first = Vacancy.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Vacancy.objects.create(
            organisation=first.organisation,
            dwelling=cheap,
            notice_date=REPORT_DAY,
            available_from=REPORT_DAY,
            report_date=REPORT_DAY,
            rent_at_letting=1,
            status="accepted",
        )


def test_available_before_notice_refused_in_danish(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    with pytest.raises(ValidationError) as exc:
        report(users, cheap, available_from=REPORT_DAY - dt.timedelta(days=60))
    assert "kan ikke være ledig før lejerens opsigelsesdato" in str(exc.value)


def test_other_organisation_cannot_report(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    with pytest.raises(PermissionDenied):
        report(users, cheap, actor=users["org_b"])
    assert not Vacancy.objects.exists()


# --- municipality's answer ----------------------------------------------------------------------


def test_accept_on_deadline_day_sets_void_rent_start_and_ledger(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    vacancy = report(users, cheap)
    vacancy = services.vacancy_accept(
        actor=users["anvisningsleder"], vacancy=vacancy, today=DEADLINE
    )
    assert vacancy.status == "accepted"
    assert vacancy.void_rent_start == vacancy.available_from
    assert vacancy.void_rent_payer == "municipality"
    assert TurnRecord.objects.get(pk=vacancy.turn_record_id).outcome == "accepted"


def test_void_rent_from_acceptance_when_the_agreement_says_so(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    agreement.versions.update(void_rent_from="acceptance")
    vacancy = report(users, cheap, available_from=REPORT_DAY)
    vacancy = services.vacancy_accept(
        actor=users["anvisningsleder"], vacancy=vacancy, today=REPORT_DAY + dt.timedelta(days=2)
    )
    assert vacancy.void_rent_start == REPORT_DAY + dt.timedelta(days=2)


def test_accept_after_deadline_refused(users: dict[str, Any], agreement: Any, cheap: Any) -> None:
    vacancy = report(users, cheap)
    with pytest.raises(ValidationError) as exc:
        services.vacancy_accept(
            actor=users["anvisningsleder"], vacancy=vacancy, today=DEADLINE + dt.timedelta(days=1)
        )
    assert "Fristen for at svare udløb 13.03.2026." in str(exc.value)


def test_decline_after_deadline_refused_the_vacancy_expires(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    """An answer is in time through the deadline day, a decline as an acceptance: after it the
    vacancy has expired (the expiry job's rule), and the ledger says so whether the lead or the
    job comes first; the refusal writes nothing."""
    vacancy = report(users, cheap)
    late = DEADLINE + dt.timedelta(days=3)  # Monday after the Friday deadline
    with pytest.raises(ValidationError) as exc:
        services.vacancy_decline(
            actor=users["anvisningsleder"], vacancy=vacancy, note="Ingen kandidat", today=late
        )
    assert exc.value.messages == ["Fristen for at svare udløb 13.03.2026."]
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.answered_on, vacancy.decline_note) == ("municipal", None, "")
    assert not VacancyEvent.objects.filter(vacancy=vacancy, to_status="declined").exists()
    assert services.vacancies_expire(today=late).vacancies == [vacancy.pk]
    assert TurnRecord.objects.get(pk=vacancy.turn_record_id).outcome == "expired"


def test_a_decline_note_holding_a_cpr_number_or_too_long_is_refused(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    """The reason for declining is shown to the housing organisation on the vacancy page and the
    timeline, as a hand-back's reason is: the same refusals, naming the field, and nothing
    written."""
    vacancy = report(users, cheap)
    lead = users["anvisningsleder"]
    with pytest.raises(ValidationError) as exc:
        services.vacancy_decline(
            actor=lead, vacancy=vacancy, note="Til borger 0101901234", today=REPORT_DAY
        )
    assert exc.value.message_dict == {
        "note": ["Skriv ikke CPR-numre her: begrundelsen sendes til boligorganisationen."]
    }
    with pytest.raises(ValidationError) as exc:
        services.vacancy_decline(actor=lead, vacancy=vacancy, note="x" * 1001, today=REPORT_DAY)
    assert exc.value.message_dict == {
        "note": ["Teksten må højst være på 1000 tegn (den har 1001)."]
    }
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.decline_note) == ("municipal", "")
    assert not VacancyEvent.objects.filter(vacancy=vacancy, to_status="declined").exists()


def test_second_accept_gets_a_clear_message(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    vacancy = report(users, cheap)
    services.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=REPORT_DAY)
    with pytest.raises(ValidationError) as exc:
        services.vacancy_accept(actor=users["administrator"], vacancy=vacancy, today=REPORT_DAY)
    assert "Ledigheden er allerede besvaret" in str(exc.value)


def test_decline_returns_dwelling_and_counts_delivered(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    vacancy = report(users, cheap)
    vacancy = services.vacancy_decline(
        actor=users["anvisningsleder"], vacancy=vacancy, note="Ingen kandidat", today=REPORT_DAY
    )
    assert vacancy.status == "declined"
    assert TurnRecord.objects.get(pk=vacancy.turn_record_id).outcome == "declined_by_municipality"
    # Closed: the dwelling can be reported again.
    assert report(users, cheap, report_date=REPORT_DAY + dt.timedelta(days=1)).pk != vacancy.pk


def test_expire_command_is_idempotent(users: dict[str, Any], agreement: Any, cheap: Any) -> None:
    vacancy = report(users, cheap)
    assert services.vacancies_expire(today=DEADLINE).vacancies == []
    result = services.vacancies_expire(today=DEADLINE + dt.timedelta(days=1))
    assert result.vacancies == [vacancy.pk]
    vacancy.refresh_from_db()
    assert vacancy.status == "expired"
    assert TurnRecord.objects.get(pk=vacancy.turn_record_id).outcome == "expired"
    assert services.vacancies_expire(today=DEADLINE + dt.timedelta(days=1)).vacancies == []
    call_command("expire_vacancies", "--date", "2026-03-20")
    assert VacancyEvent.objects.filter(vacancy=vacancy, to_status="expired").count() == 1


# --- offers -------------------------------------------------------------------------------------


def test_offer_marks_case_offered_with_default_deadline(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    offer = offered(users, cheap, case)
    assert offer.status == "pending"
    # 5 working days after Wednesday 4 March 2026.
    assert offer.response_deadline == dt.date(2026, 3, 11)
    assert Case.objects.get(pk=case.pk).status == "offered"
    assert Vacancy.objects.get(pk=offer.vacancy_id).status == "offered"
    assert CaseEvent.objects.filter(case=case, summary__startswith="Tilbudt bolig").exists()


def test_offer_requires_an_accepted_vacancy(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    vacancy = report(users, cheap)
    with pytest.raises(ValidationError) as exc:
        services.offer_create(actor=users["sagsbehandler"], vacancy=vacancy, case=case)
    assert "Boligen kan ikke tilbydes nu" in str(exc.value)


def test_at_most_one_active_offer_per_citizen(
    users: dict[str, Any], agreement: Any, org_b: Any, cheap: Any, case: Any
) -> None:
    from anvis.stock.models import Dwelling

    offered(users, cheap, case)
    other = Dwelling.objects.get(entrance__department__organisation=org_b, rent=3100)
    vacancy = services.vacancy_report(
        actor=users["org_b"],
        dwelling=other,
        notice_date=REPORT_DAY,
        available_from=REPORT_DAY,
        report_date=REPORT_DAY,
    )
    vacancy = services.vacancy_accept(
        actor=users["anvisningsleder"], vacancy=vacancy, today=REPORT_DAY
    )
    with pytest.raises(ValidationError) as exc:
        services.offer_create(
            actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=REPORT_DAY
        )
    assert {e.code for e in exc.value.error_list} == {"not_waiting", "active_offer"}
    assert "Borgeren har allerede et aktivt tilbud." in exc.value.messages


def test_client_decline_pauses_case_and_frees_the_dwelling(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any, case2: Any
) -> None:
    offer = offered(users, cheap, case)
    offer = services.offer_decline(
        actor=users["sagsbehandler"], offer=offer, reason="client_no_show", today=REPORT_DAY
    )
    assert (offer.status, offer.decline_side, offer.pause_days) == ("declined", "client", 14)
    case.refresh_from_db()
    assert case.status == "waiting"
    assert case.parked_until == REPORT_DAY + dt.timedelta(days=14)
    vacancy = Vacancy.objects.get(pk=offer.vacancy_id)
    assert vacancy.status == "accepted"
    # Nothing is deleted, and the next candidate can be offered the dwelling.
    second = services.offer_create(
        actor=users["sagsbehandler"], vacancy=vacancy, case=case2, today=REPORT_DAY
    )
    assert Offer.objects.filter(vacancy=vacancy).count() == 2
    assert second.status == "pending"
    # The paused citizen cannot be offered anything until the pause ends.
    assert not case.is_parked_on(REPORT_DAY + dt.timedelta(days=15))


def test_provider_decline_has_no_pause_and_is_kept_apart(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    offer = offered(users, cheap, case)
    offer = services.offer_decline(
        actor=users["sagsbehandler"], offer=offer, reason="provider_unsuitable", today=REPORT_DAY
    )
    assert (offer.decline_side, offer.pause_days) == ("provider", 0)
    case.refresh_from_db()
    assert case.parked_until is None


def test_configured_pause(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any, settings: Any
) -> None:
    settings.ANVIS_DECLINE_PAUSE_DAYS = {"client_location": 7}
    offer = offered(users, cheap, case)
    services.offer_decline(
        actor=users["sagsbehandler"], offer=offer, reason="client_location", today=REPORT_DAY
    )
    case.refresh_from_db()
    assert case.parked_until == REPORT_DAY + dt.timedelta(days=7)


def test_decline_needs_a_coded_reason(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    offer = offered(users, cheap, case)
    with pytest.raises(ValidationError) as exc:
        services.offer_decline(actor=users["sagsbehandler"], offer=offer, reason="bored")
    assert "Vælg en årsag til afslaget." in str(exc.value)


def test_offer_expiry_records_no_response(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    offer = offered(users, cheap, case)
    assert services.vacancies_expire(today=offer.response_deadline).offers == []
    result = services.vacancies_expire(today=offer.response_deadline + dt.timedelta(days=1))
    assert result.offers == [offer.pk]
    offer.refresh_from_db()
    assert (offer.status, offer.decline_reason) == ("expired", "client_no_response")
    assert Case.objects.get(pk=case.pk).status == "waiting"


def test_a_late_expiry_run_counts_from_the_deadline_not_from_the_run(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any, case2: Any
) -> None:
    """After downtime the expiry job judges by the deadline: the offer ran out the day after
    its deadline, and the no-response pause counts from then, as if the job had run on time.
    A pause that is over by the time the job runs parks no one."""
    offer = offered(users, cheap, case)
    ran_out = offer.response_deadline + dt.timedelta(days=1)
    pause = 14  # client_no_response
    late = ran_out + dt.timedelta(days=5)
    assert services.vacancies_expire(today=late).offers == [offer.pk]
    offer.refresh_from_db()
    assert (offer.status, offer.answered_on, offer.pause_days) == ("expired", ran_out, pause)
    assert Case.objects.get(pk=case.pk).parked_until == ran_out + dt.timedelta(days=pause)
    # Downtime longer than the pause: the case is back on the list, not parked in the past.
    vacancy = Vacancy.objects.get(pk=offer.vacancy_id)
    second = services.offer_create(
        actor=users["sagsbehandler"], vacancy=vacancy, case=case2, today=late
    )
    much_later = second.response_deadline + dt.timedelta(days=30)
    assert services.vacancies_expire(today=much_later).offers == [second.pk]
    second.refresh_from_db()
    assert second.answered_on == second.response_deadline + dt.timedelta(days=1)
    assert Case.objects.get(pk=case2.pk).parked_until is None


def test_organisation_rejects_only_on_legal_ground(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    offer = offered(users, cheap, case)
    with pytest.raises(ValidationError) as exc:
        services.offer_reject(actor=users["boligorganisation"], offer=offer, ground="dislike")
    assert "kun afvise en indstillet borger på et lovligt grundlag" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.offer_reject(actor=users["org_b"], offer=offer, ground="overcrowding")
    offer = services.offer_reject(
        actor=users["boligorganisation"],
        offer=offer,
        ground="debt_without_plan",
        note="Gæld 12.000 kr., ingen afdragsordning",
        today=REPORT_DAY,
    )
    assert (offer.status, offer.rejection_ground) == (
        "rejected_by_organisation",
        "debt_without_plan",
    )
    assert Case.objects.get(pk=case.pk).parked_until is None


def test_accept_after_offer_deadline_refused(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    offer = offered(users, cheap, case)
    with pytest.raises(ValidationError) as exc:
        services.offer_accept(
            actor=users["sagsbehandler"],
            offer=offer,
            today=offer.response_deadline + dt.timedelta(days=1),
        )
    assert "Fristen for at svare på tilbuddet udløb" in str(exc.value)


# --- lease --------------------------------------------------------------------------------------


def test_lease_lets_dwelling_houses_case_registers_placement_and_void_rent(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    offer = offered(users, cheap, case)
    services.offer_accept(actor=users["sagsbehandler"], offer=offer, today=REPORT_DAY)
    vacancy = Vacancy.objects.get(pk=offer.vacancy_id)
    start = vacancy.available_from + dt.timedelta(days=20)
    result = services.lease_register(
        actor=users["boligorganisation"],
        offer=offer,
        signed_on=REPORT_DAY + dt.timedelta(days=5),
        starts_on=start,
        move_in_on=start + dt.timedelta(days=1),
    )
    lease = result.lease
    # 3100 kr × 12 / 365 × 20 days = 2038.356… kr
    assert lease.void_rent_days == 20
    assert lease.void_rent_amount == Decimal("2038.36")
    assert Vacancy.objects.get(pk=vacancy.pk).status == "let"
    assert Case.objects.get(pk=case.pk).status == "housed"
    assert result.placement_registered
    placement = MunicipalPlacement.objects.get(dwelling=cheap)
    assert placement.case_ref == case.number
    assert placement.placed_on == start + dt.timedelta(days=1)
    assert result.warnings == ("Der er ikke besluttet en bostøtteplan for borgeren.",)
    assert statuses(vacancy) == ["reported", "municipal", "accepted", "offered", "let"]
    assert TurnRecord.objects.get(pk=vacancy.turn_record_id).outcome == "accepted"


def test_lease_without_warning_when_support_is_decided(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    support_plan_add(
        actor=users["sagsbehandler"],
        case=case,
        method="cti",
        provider="Kommunen",
        decided_on=REPORT_DAY,
    )
    offer = offered(users, cheap, case)
    services.offer_accept(actor=users["sagsbehandler"], offer=offer, today=REPORT_DAY)
    result = services.lease_register(
        actor=users["boligorganisation"],
        offer=offer,
        signed_on=REPORT_DAY,
        starts_on=REPORT_DAY,
        move_in_on=REPORT_DAY,
    )
    assert result.warnings == ()
    assert result.lease.void_rent_days == 0


def test_lease_needs_accepted_offer_and_valid_dates(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    offer = offered(users, cheap, case)
    with pytest.raises(ValidationError) as exc:
        services.lease_register(
            actor=users["boligorganisation"],
            offer=offer,
            signed_on=REPORT_DAY,
            starts_on=REPORT_DAY,
            move_in_on=REPORT_DAY,
        )
    assert "kun registreres for et accepteret tilbud" in str(exc.value)
    services.offer_accept(actor=users["sagsbehandler"], offer=offer, today=REPORT_DAY)
    with pytest.raises(ValidationError) as exc:
        services.lease_register(
            actor=users["boligorganisation"],
            offer=offer,
            signed_on=REPORT_DAY,
            starts_on=REPORT_DAY,
            move_in_on=REPORT_DAY - dt.timedelta(days=1),
        )
    assert "Indflytningsdatoen kan ikke ligge før lejemålet starter." in str(exc.value)
    assert not Lease.objects.exists()


def test_a_leased_offer_cannot_be_withdrawn_or_rejected(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    offer = offered(users, cheap, case)
    services.offer_accept(actor=users["sagsbehandler"], offer=offer, today=REPORT_DAY)
    services.lease_register(
        actor=users["anvisningsleder"],
        offer=offer,
        signed_on=REPORT_DAY,
        starts_on=REPORT_DAY,
        move_in_on=REPORT_DAY,
    )
    with pytest.raises(ValidationError) as exc:
        services.offer_withdraw(actor=users["sagsbehandler"], offer=offer)
    assert "Lejekontrakten er underskrevet" in str(exc.value)
    with pytest.raises(ValidationError):
        services.offer_reject(actor=users["boligorganisation"], offer=offer, ground="area_rules")
    assert Case.objects.get(pk=case.pk).status == "housed"
