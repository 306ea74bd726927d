"""Two members of staff act on the same vacancy at the same moment: exactly one succeeds.

Needs real row locks, so it runs on PostgreSQL only; each thread has its own connection."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from anvis.vacancies import services
from anvis.vacancies.models import Offer, Vacancy, VacancyEvent

from .conftest import REPORT_DAY

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has no row locks (select_for_update); run with DATABASE_URL=postgres://…",
    ),
]


def race(*actions: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run the actions at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(action: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            value = action()
            with lock:
                results.append(value)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


def test_two_simultaneous_accepts_exactly_one_succeeds(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=REPORT_DAY,
        available_from=REPORT_DAY,
        report_date=REPORT_DAY,
    )

    def accept(who: str) -> Callable[[], Any]:
        return lambda: services.vacancy_accept(actor=users[who], vacancy=vacancy, today=REPORT_DAY)

    results, errors = race(accept("anvisningsleder"), accept("administrator"))
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert "allerede besvaret" in str(errors[0])
    assert Vacancy.objects.get(pk=vacancy.pk).status == "accepted"
    assert VacancyEvent.objects.filter(vacancy=vacancy, to_status="accepted").count() == 1


def test_two_simultaneous_offers_of_one_vacancy_exactly_one_succeeds(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any, case2: Any
) -> None:
    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=REPORT_DAY,
        available_from=REPORT_DAY,
        report_date=REPORT_DAY,
    )
    services.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=REPORT_DAY)

    def offer(c: Any) -> Callable[[], Any]:
        return lambda: services.offer_create(
            actor=users["sagsbehandler"], vacancy=vacancy, case=c, today=REPORT_DAY
        )

    results, errors = race(offer(case), offer(case2))
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert "kan ikke tilbydes nu" in str(errors[0])
    assert Offer.objects.filter(vacancy=vacancy).count() == 1
    assert REPORT_DAY + dt.timedelta(days=7) == Offer.objects.get().response_deadline


def test_a_statement_approved_while_a_late_lease_is_registered_is_corrected(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any, org_a: Any, monkeypatch: Any
) -> None:
    """The lead approves March's statement while the organisation registers a lease that
    started on 20 March. Whichever commits first, March ends up paying what it owes: either the
    approved record already knows the lease, or the lease corrects the approved record. Without
    a common lock the approval computed March before the lease committed, and the lease looked
    for approved statements before the approval committed: March paid void rent for let days,
    with no correction line. The approval is held between computing and saving (as a slow one
    would be) while the lease is registered."""
    from decimal import Decimal

    from anvis.vacancies import selectors
    from anvis.vacancies.models import MonthlyStatement, StatementCorrection

    march, day = dt.date(2026, 3, 1), dt.date(2026, 5, 2)
    lead, org = users["anvisningsleder"], users["boligorganisation"]
    vacancy = services.vacancy_report(
        actor=org,
        dwelling=cheap,
        notice_date=REPORT_DAY,
        available_from=REPORT_DAY,
        report_date=REPORT_DAY,
    )
    services.vacancy_accept(actor=lead, vacancy=vacancy, today=REPORT_DAY)
    offer = services.offer_create(
        actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=dt.date(2026, 3, 5)
    )
    services.offer_accept(actor=users["sagsbehandler"], offer=offer, today=dt.date(2026, 3, 6))

    computed, registered = threading.Event(), threading.Event()
    compute = selectors.statement_compute

    def held_compute(**kwargs: Any) -> Any:
        statement = compute(**kwargs)
        computed.set()
        registered.wait(timeout=5)  # the lease waits on the approval instead, once fixed
        return statement

    monkeypatch.setattr(selectors, "statement_compute", held_compute)

    def approve() -> Any:
        return services.statement_approve(
            actor=lead, organisation_id=org_a.pk, month=march, today=day
        )

    def register() -> Any:
        computed.wait(timeout=10)
        try:
            return services.lease_register(
                actor=org,
                offer=offer,
                signed_on=day,
                starts_on=dt.date(2026, 3, 20),
                move_in_on=dt.date(2026, 3, 20),
                today=day,
            )
        finally:
            registered.set()

    results, errors = race(approve, register)
    assert errors == [] and len(results) == 2
    statement = MonthlyStatement.objects.get(organisation=org_a, month=march)
    paid = Decimal(statement.content["total"]) + sum(
        StatementCorrection.objects.filter(statement=statement).values_list("amount", flat=True),
        Decimal("0.00"),
    )
    # 04.03–19.03 is 16 days: 3100 × 12 × 16 / 365 = 1630.68 kr.
    owed = selectors.vacancy_month_owed(
        vacancy=Vacancy.objects.get(pk=vacancy.pk), month=march, as_of=day
    )
    assert owed == Decimal("1630.68")
    assert paid == owed


def test_one_correction_posted_twice_at_the_same_moment_is_one_line(
    users: dict[str, Any], agreement: Any, org_a: Any
) -> None:
    """A double click sends the same correction twice at once: the organisation's row lock
    makes the second wait for the first, find its line and write none."""
    from decimal import Decimal

    from anvis.vacancies.models import StatementCorrection

    lead = users["anvisningsleder"]
    statement = services.statement_approve(
        actor=lead, organisation_id=org_a.pk, month=dt.date(2026, 2, 1), today=REPORT_DAY
    )

    def correct() -> Any:
        return services.statement_correct(
            actor=lead, statement=statement, amount=Decimal("-100.00"), reason="Aftalt"
        )

    results, errors = race(correct, correct)
    assert errors == [] and len(results) == 2
    assert StatementCorrection.objects.count() == 1


def test_two_simultaneous_offers_in_a_department_at_its_cap_exactly_one_succeeds(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any, case2: Any
) -> None:
    """The department's cap is one placement in twelve months and none is made: two members of
    staff offer two dwellings of that department to two citizens at the same moment. Each offer
    locked only its own vacancy and case, so both counted no offer out and both passed: the
    department went over its cap. The second must wait for the first and be refused by the
    cap."""
    from anvis.agreements.models import AgreementVersion
    from anvis.stock.models import Dwelling

    AgreementVersion.objects.update(cap_per_department_12m=1)
    twin = Dwelling.objects.create(
        entrance=cheap.entrance, floor="st", door="th", rooms=1, area_m2=40, rent=3100
    )
    lead, org = users["anvisningsleder"], users["boligorganisation"]
    vacancies = []
    for dwelling in (cheap, twin):
        vacancy = services.vacancy_report(
            actor=org,
            dwelling=dwelling,
            notice_date=REPORT_DAY,
            available_from=REPORT_DAY,
            report_date=REPORT_DAY,
        )
        vacancies.append(services.vacancy_accept(actor=lead, vacancy=vacancy, today=REPORT_DAY))

    def offer(vacancy: Any, c: Any) -> Callable[[], Any]:
        return lambda: services.offer_create(
            actor=users["sagsbehandler"], vacancy=vacancy, case=c, today=REPORT_DAY
        )

    results, errors = race(offer(vacancies[0], case), offer(vacancies[1], case2))
    assert len(results) == 1, errors
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert {e.code for e in errors[0].error_list} == {"cap_reached"}
    assert "Loftet for afdelingen" in str(errors[0])
    assert Offer.objects.count() == 1


def test_two_simultaneous_offers_to_one_citizen_exactly_one_succeeds(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    """Two members of staff offer two dwellings of two organisations to the same citizen at the
    same moment: the case's lock makes the second wait, and the gate refuses it (the citizen
    has an active offer)."""
    from anvis.stock.models import Dwelling

    other = Dwelling.objects.get(entrance__street="Betavej 2", rent=3100)
    vacancies = []
    for dwelling, reporter in ((cheap, "boligorganisation"), (other, "org_b")):
        vacancy = services.vacancy_report(
            actor=users[reporter],
            dwelling=dwelling,
            notice_date=REPORT_DAY,
            available_from=REPORT_DAY,
            report_date=REPORT_DAY,
        )
        vacancies.append(
            services.vacancy_accept(
                actor=users["anvisningsleder"], vacancy=vacancy, today=REPORT_DAY
            )
        )

    def offer(vacancy: Any) -> Callable[[], Any]:
        return lambda: services.offer_create(
            actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=REPORT_DAY
        )

    results, errors = race(offer(vacancies[0]), offer(vacancies[1]))
    assert len(results) == 1, errors
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert "active_offer" in {e.code for e in errors[0].error_list}
    assert Offer.objects.count() == 1
