"""Hand-offs (issue 21): every step that waits on another party tells that party, and no one
else: the organisation's own staff (not another organisation's, not the one who acted), the
caseworkers when a dwelling is ready to offer; each links to the page of the next action."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from anvis.events import Event, publish, subscribe, unsubscribe
from anvis.notifications.models import Kind, Notification
from anvis.vacancies import services
from anvis.vacancies.models import Offer, Vacancy
from tests.apps.vacancies.conftest import REPORT_DAY

pytestmark = pytest.mark.django_db


def _told(kind: str) -> set[str]:
    return {n.recipient.username for n in Notification.objects.filter(kind=kind)}


def _accepted(users: dict[str, Any], dwelling: Any) -> Vacancy:
    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=dwelling,
        notice_date=REPORT_DAY - dt.timedelta(days=20),
        available_from=REPORT_DAY + dt.timedelta(days=10),
        report_date=REPORT_DAY,
    )
    return services.vacancy_accept(
        actor=users["anvisningsleder"], vacancy=vacancy, today=REPORT_DAY
    )


def _offer(users: dict[str, Any], dwelling: Any, case: Any) -> Offer:
    vacancy = _accepted(users, dwelling)
    return services.offer_create(
        actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=REPORT_DAY
    )


def test_accepting_tells_the_organisation_and_the_caseworkers(
    users: dict[str, Any], agreement: Any, cheap: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = _accepted(users, cheap)
    assert _told(Kind.VACANCY_TAKEN) == {"u_boligorganisation"}  # not org B, not the lead
    taken = Notification.objects.get(kind=Kind.VACANCY_TAKEN)
    assert taken.link == f"/ledige-boliger/{vacancy.pk}/"
    assert taken.title.startswith("Kommunen tager boligen")
    assert _told(Kind.VACANCY_READY) == {"u_sagsbehandler"}
    ready = Notification.objects.get(kind=Kind.VACANCY_READY)
    assert str(vacancy.pk) in ready.link and "kandidater" in ready.link


def test_declining_tells_only_the_organisation(
    users: dict[str, Any], agreement: Any, cheap: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = services.vacancy_report(
            actor=users["boligorganisation"],
            dwelling=cheap,
            notice_date=REPORT_DAY - dt.timedelta(days=20),
            available_from=REPORT_DAY + dt.timedelta(days=10),
            report_date=REPORT_DAY,
        )
        services.vacancy_decline(actor=users["anvisningsleder"], vacancy=vacancy, today=REPORT_DAY)
    assert _told(Kind.VACANCY_DECLINED) == {"u_boligorganisation"}
    assert not _told(Kind.VACANCY_TAKEN) and not _told(Kind.VACANCY_READY)


def test_a_nominee_is_announced_to_the_organisation_without_the_case_number(
    users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    case: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        offer = _offer(users, cheap, case)
    assert _told(Kind.NOMINEE_NAMED) == {"u_boligorganisation"}
    note = Notification.objects.get(kind=Kind.NOMINEE_NAMED)
    assert case.number not in note.title + note.body
    assert note.link == f"/ledige-boliger/{offer.vacancy_id}/"


def test_yes_asks_the_organisation_for_the_lease(
    users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    case: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        offer = _offer(users, cheap, case)
        services.offer_accept(actor=users["sagsbehandler"], offer=offer, today=REPORT_DAY)
    assert _told(Kind.LEASE_EXPECTED) == {"u_boligorganisation"}
    note = Notification.objects.get(kind=Kind.LEASE_EXPECTED)
    assert note.link == f"/ledige-boliger/tilbud/{offer.pk}/lejekontrakt/"
    assert case.number not in note.title + note.body
    assert not _told(Kind.CITIZEN_ANSWERED)
    # The municipality's side as before: the leads (the caseworker answered it herself).
    assert _told(Kind.OFFER_ANSWERED) == {"u_anvisningsleder"}


def test_no_tells_the_organisation_and_does_not_repeat_the_acceptance(
    users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    case: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        offer = _offer(users, cheap, case)
        services.offer_decline(
            actor=users["sagsbehandler"], offer=offer, reason="client_location", today=REPORT_DAY
        )
    assert _told(Kind.CITIZEN_ANSWERED) == {"u_boligorganisation"}
    assert not _told(Kind.LEASE_EXPECTED)
    # The dwelling is accepted again, but that is no new "taken"/"ready" hand-off.
    assert Notification.objects.filter(kind=Kind.VACANCY_TAKEN).count() == 1
    assert Notification.objects.filter(kind=Kind.VACANCY_READY).count() == 1


def test_the_organisation_that_acts_is_not_told(
    users: dict[str, Any], agreement: Any, cheap: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """An organisation's own colleague is told; the one who acted is not."""
    from anvis.accounts.models import User

    colleague = User.objects.create_user(username="u_colleague", role="boligorganisation")
    colleague.organisations.add(users["boligorganisation"].organisations.get())
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = _accepted(users, cheap)
        services.vacancy_hand_back(
            actor=users["anvisningsleder"], vacancy=vacancy, reason="Ingen egnet borger"
        )
    assert _told(Kind.VACANCY_HANDED_BACK) == {"u_boligorganisation", "u_colleague"}


def test_events_after_commit_and_in_transaction(django_capture_on_commit_callbacks: Any) -> None:
    """An after-commit handler runs only when the transaction commits; an in-transaction
    handler (the outbox) runs at once, inside it."""
    seen: list[tuple[str, str]] = []

    def later(event: Event) -> None:
        seen.append(("after", event.name))

    def now(event: Event) -> None:
        seen.append(("now", event.name))

    subscribe("test.*", later)
    subscribe("test.happened", now, in_transaction=True)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            publish("test.happened", organisation_id=1, what="x")
            assert seen == [("now", "test.happened")]
        assert len(callbacks) == 1
        callbacks[0]()
        assert seen == [("now", "test.happened"), ("after", "test.happened")]
    finally:
        unsubscribe("test.*", later)
        unsubscribe("test.happened", now)
