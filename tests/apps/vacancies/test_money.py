"""The money side of a vacancy: the stock guards, the void-rent start, the hand-back and the
running void-rent account (issue: live void rent, hand-back)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from anvis.agreements.models import TurnRecord
from anvis.audit.models import AuditEvent
from anvis.notifications.models import Kind, Notification
from anvis.vacancies import selectors, services
from anvis.vacancies.models import Vacancy

from .conftest import REPORT_DAY

D = dt.date


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


def accept(users: dict[str, Any], vacancy: Vacancy, day: dt.date = REPORT_DAY) -> Vacancy:
    return services.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=day)


def let(users: dict[str, Any], vacancy: Vacancy, case: Any, starts_on: dt.date) -> Any:
    offer = services.offer_create(
        actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=REPORT_DAY
    )
    services.offer_accept(actor=users["sagsbehandler"], offer=offer, today=REPORT_DAY)
    return services.lease_register(
        actor=users["boligorganisation"],
        offer=offer,
        signed_on=REPORT_DAY,
        starts_on=starts_on,
        move_in_on=starts_on,
    ).lease


# --- stock guards ---------------------------------------------------------------------------------


def test_a_dwelling_with_an_open_vacancy_cannot_be_reported_twice(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    report(users, cheap)
    with pytest.raises(ValidationError) as exc:
        report(users, cheap, report_date=REPORT_DAY + dt.timedelta(days=1))
    assert exc.value.message_dict["dwelling"] == [
        "Boligen har allerede en åben ledighed, indberettet 04.03.2026 (Kommunal tur, afventer "
        "svar); den kan ikke indberettes som ledig igen, før den ledighed er afsluttet."
    ]
    assert Vacancy.objects.count() == 1


def test_a_dwelling_let_from_a_later_day_cannot_be_reported_vacant(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    vacancy = accept(users, report(users, cheap))
    let(users, vacancy, case, D(2026, 4, 1))
    assert Vacancy.objects.get(pk=vacancy.pk).let_from == D(2026, 4, 1)
    with pytest.raises(ValidationError) as exc:
        report(users, cheap, report_date=D(2026, 3, 20), available_from=D(2026, 5, 1))
    assert exc.value.message_dict["dwelling"] == [
        "Boligen er udlejet til en ny lejer fra 01.04.2026; den kan ikke indberettes som ledig, "
        "før det lejemål er begyndt."
    ]
    assert Vacancy.objects.count() == 1
    # From the lease start the new tenant lives there and may give notice like anyone.
    again = report(users, cheap, report_date=D(2026, 4, 1), available_from=D(2026, 7, 1))
    assert again.pk != vacancy.pk


def test_an_ordinary_letting_from_a_later_day_also_guards_the_dwelling(
    users: dict[str, Any], agreement: Any, dear: Any
) -> None:
    vacancy = report(users, dear)
    assert vacancy.status == "ordinary"
    services.vacancy_let_ordinary(
        actor=users["boligorganisation"], vacancy=vacancy, starts_on=D(2026, 4, 15)
    )
    with pytest.raises(ValidationError) as exc:
        report(users, dear, report_date=D(2026, 4, 14))
    assert "fra 15.04.2026" in exc.value.message_dict["dwelling"][0]


# --- the void-rent start --------------------------------------------------------------------------


def test_reported_late_void_rent_from_the_report_date(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    # Available 29.02 (a leap day), reported 04.03: the organisation bills from the report date.
    vacancy = report(users, cheap, available_from=D(2026, 2, 28))
    vacancy = accept(users, vacancy, D(2026, 3, 5))
    assert vacancy.void_rent_start == REPORT_DAY
    lease = let(users, vacancy, case, D(2026, 3, 24))
    # 20 days × 3100 × 12 / 365 = 2038.356… kr
    assert lease.void_rent_days == 20
    assert lease.void_rent_amount == Decimal("2038.36")


def test_reported_late_void_rent_from_availability_when_the_agreement_says_so(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    agreement.versions.update(void_rent_before_report=True)
    vacancy = accept(users, report(users, cheap, available_from=D(2026, 2, 28)))
    assert vacancy.void_rent_start == D(2026, 2, 28)


# --- hand-back ------------------------------------------------------------------------------------


def test_hand_back_stops_void_rent_counts_delivered_and_tells_the_organisation(
    users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    vacancy = accept(users, report(users, cheap, available_from=REPORT_DAY))
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = services.vacancy_hand_back(
            actor=users["anvisningsleder"],
            vacancy=vacancy,
            reason="Ingen borger på listen kan bruge en bolig på 4. sal uden elevator.",
            today=D(2026, 3, 14),
        )
    assert vacancy.status == "handed_back"
    assert vacancy.handed_back_on == D(2026, 3, 14)
    # Void rent 04.03–13.03: 10 days × 3100 × 12 / 365 = 1019.178… kr, and no more later.
    account = vacancy.void_rent_on(D(2026, 6, 1))
    assert account is not None and not account.running
    assert account.rent.days == 10 and account.rent.amount == Decimal("1019.18")
    assert TurnRecord.objects.get(pk=vacancy.turn_record_id).outcome == "accepted"
    note = Notification.objects.get(kind=Kind.VACANCY_HANDED_BACK)
    assert note.recipient == users["boligorganisation"]
    assert "14.03.2026" in note.body and "elevator" in note.body
    assert AuditEvent.objects.filter(action="vacancies.hand_back").count() == 1
    # The dwelling is free to be reported again (by the organisation, for its own letting).
    assert report(users, cheap, report_date=D(2026, 3, 15)).pk != vacancy.pk


def test_hand_back_not_delivered_when_the_agreement_says_so(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    agreement.versions.update(hand_back_delivered=False)
    vacancy = accept(users, report(users, cheap))
    services.vacancy_hand_back(
        actor=users["anvisningsleder"], vacancy=vacancy, reason="Ikke egnet", today=REPORT_DAY
    )
    assert TurnRecord.objects.get(pk=vacancy.turn_record_id).outcome == "ordinary"


def test_hand_back_needs_the_lead_a_reason_and_an_accepted_dwelling(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    vacancy = accept(users, report(users, cheap))
    with pytest.raises(PermissionDenied):
        services.vacancy_hand_back(actor=users["sagsbehandler"], vacancy=vacancy, reason="x")
    with pytest.raises(PermissionDenied):
        services.vacancy_hand_back(actor=users["boligorganisation"], vacancy=vacancy, reason="x")
    with pytest.raises(ValidationError) as exc:
        services.vacancy_hand_back(actor=users["anvisningsleder"], vacancy=vacancy, reason="  ")
    assert exc.value.message_dict["reason"] == ["Angiv hvorfor boligen leveres tilbage."]
    services.offer_create(
        actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=REPORT_DAY
    )
    with pytest.raises(ValidationError) as exc:
        services.vacancy_hand_back(actor=users["anvisningsleder"], vacancy=vacancy, reason="x")
    assert "denne ledighed er “Tilbudt en borger”" in str(exc.value)
    assert Vacancy.objects.get(pk=vacancy.pk).status == "offered"


def test_hand_back_before_void_rent_began_owes_nothing(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    vacancy = accept(users, report(users, cheap))  # available 14.03
    vacancy = services.vacancy_hand_back(
        actor=users["anvisningsleder"], vacancy=vacancy, reason="Fejl", today=D(2026, 3, 6)
    )
    # The day it was handed back is recorded (and told), not the day void rent would have begun.
    assert vacancy.handed_back_on == D(2026, 3, 6)
    for day in (D(2026, 3, 6), D(2026, 3, 20), D(2026, 4, 1)):
        account = vacancy.void_rent_on(day)
        assert account is not None and account.rent.days == 0 and not account.running, day
    march = selectors.statement_compute(
        organisation_id=vacancy.organisation_id, month=D(2026, 3, 1), as_of=D(2026, 4, 1)
    )
    assert not march.lines


# --- the running account --------------------------------------------------------------------------


def test_void_rent_accrues_while_accepted_and_ends_at_the_lease_start(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    vacancy = accept(users, report(users, cheap, available_from=REPORT_DAY))
    before = vacancy.void_rent_on(D(2026, 3, 3))
    assert before is not None and before.running and before.rent.days == 0
    day5 = vacancy.void_rent_on(D(2026, 3, 8))
    assert day5 is not None and day5.running and day5.rent.days == 5
    lease = let(users, vacancy, case, D(2026, 3, 24))
    vacancy.refresh_from_db()
    done = vacancy.void_rent_on(D(2026, 5, 1))
    assert done is not None and not done.running
    # The running account and the lease agree to the øre.
    assert (done.rent.days, done.rent.amount) == (lease.void_rent_days, lease.void_rent_amount)


def test_a_vacancy_not_accepted_has_no_void_rent(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    vacancy = report(users, cheap)
    assert vacancy.void_rent_on(D(2026, 4, 1)) is None


# --- the rent ceiling ---------------------------------------------------------------------------


def test_the_ceiling_is_judged_on_the_rent_at_letting_and_explained(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    # The stock says 3100 kr, the organisation reports 5200 kr at letting: over the ceiling.
    vacancy = report(users, cheap, rent_at_letting=5200)
    assert vacancy.status == "ordinary"
    assert (
        vacancy.turn_record.explanation == "Ikke egnet: huslejen 5.200 kr er over loftet 5.000 kr."
    )
    services.vacancy_let_ordinary(
        actor=users["boligorganisation"], vacancy=vacancy, starts_on=REPORT_DAY
    )
    within = report(users, cheap, report_date=REPORT_DAY + dt.timedelta(days=1))
    assert within.status == "municipal"
    assert within.turn_record.explanation.endswith(
        "Nettohuslejen på 3.100 kr er højst loftet på 5.000 kr."
    )


def test_a_gross_below_ceiling_counts_the_aconto(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    agreement.versions.update(rent_ceiling_basis="gross", rent_ceiling_comparison="below")
    cheap.aconto = 1900
    cheap.save()
    vacancy = report(users, cheap)  # 3100 + 1900 = 5000: not below 5000
    assert vacancy.status == "ordinary"
    assert vacancy.turn_record.explanation == (
        "Ikke egnet: bruttohuslejen på 5.000 kr (husleje 3.100 kr + a conto 1.900 kr) er ikke under "
        "loftet på 5.000 kr."
    )
