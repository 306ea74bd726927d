"""The flow's events notify the right people, after commit, in Danish and without CPR."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anvis.background.queue import run_pending
from anvis.notifications.handoffs import is_late_decline
from anvis.notifications.models import Kind, Notification
from anvis.vacancies import services
from anvis.vacancies.models import Offer, Vacancy
from tests.apps.vacancies.conftest import DEADLINE, REPORT_DAY

pytestmark = pytest.mark.django_db


def _report(users: dict[str, Any], dwelling: Any) -> Vacancy:
    return services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=dwelling,
        notice_date=REPORT_DAY - dt.timedelta(days=20),
        available_from=REPORT_DAY + dt.timedelta(days=10),
        report_date=REPORT_DAY,
    )


def _offer(users: dict[str, Any], dwelling: Any, case: Any) -> Offer:
    vacancy = _report(users, dwelling)
    services.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=REPORT_DAY)
    return services.offer_create(
        actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=REPORT_DAY
    )


def _recipients(kind: str) -> set[str]:
    return {n.recipient.username for n in Notification.objects.filter(kind=kind)}


def test_municipal_vacancy_tells_the_leads_after_commit(
    mailed_users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        vacancy = _report(mailed_users, cheap)
        assert not Notification.objects.exists()  # nothing before the commit
    assert callbacks
    assert not mail.outbox  # e-mailed by the background task, not in the request
    run_pending()
    note = Notification.objects.get()
    assert note.recipient == mailed_users["anvisningsleder"]
    assert note.kind == Kind.VACANCY_MUNICIPAL
    assert note.title == f"Ny kommunal ledig bolig: {cheap}"
    assert "13.03.2026" in note.body and "Alfa Boligselskab" in note.body
    assert note.link == f"/ledige-boliger/{vacancy.pk}/"
    assert note.emailed_at is not None
    assert [m.to for m in mail.outbox] == [["anvisningsleder@example.dk"]]
    assert mail.outbox[0].subject == f"Anvis: Ny kommunal ledig bolig: {cheap}"


def test_ordinary_vacancy_tells_no_one(
    mailed_users: dict[str, Any], agreement: Any, dear: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = _report(mailed_users, dear)
    assert vacancy.status == "ordinary"
    assert not Notification.objects.exists()


def test_rolled_back_action_tells_no_one(
    mailed_users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _report(mailed_users, cheap)
        raise RuntimeError
    assert not Notification.objects.exists()
    assert not mail.outbox


def test_digest_users_get_no_immediate_mail(
    mailed_users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    lead = mailed_users["anvisningsleder"]
    lead.notification_mode = "digest"
    lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        _report(mailed_users, cheap)
    assert Notification.objects.get().emailed_at is None
    assert not mail.outbox


def test_expiry_tells_the_organisation_and_the_leads(
    mailed_users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _report(mailed_users, cheap)
    with django_capture_on_commit_callbacks(execute=True):
        services.vacancies_expire(today=DEADLINE + dt.timedelta(days=1))
    assert _recipients(Kind.VACANCY_EXPIRED) == {"u_boligorganisation", "u_anvisningsleder"}
    note = Notification.objects.filter(kind=Kind.VACANCY_EXPIRED).first()
    assert note is not None and "13.03.2026" in note.body


def test_offer_accepted_tells_maker_and_leads_but_not_the_actor(
    mailed_users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    case: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    offer = _offer(mailed_users, cheap, case)
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_accept(actor=mailed_users["anvisningsleder"], offer=offer, today=REPORT_DAY)
    assert _recipients(Kind.OFFER_ANSWERED) == {"u_sagsbehandler"}
    note = Notification.objects.get(kind=Kind.OFFER_ANSWERED)
    assert note.title == f"Tilbud accepteret: {cheap}"
    assert case.number in note.body
    assert "120385" not in note.body and "Karl" not in note.body


def test_declined_and_unanswered_offers(
    mailed_users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    case: Any,
    case2: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    offer = _offer(mailed_users, cheap, case)
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_decline(
            actor=mailed_users["sagsbehandler"],
            offer=offer,
            reason="client_size",
            today=REPORT_DAY,
        )
    note = Notification.objects.get(kind=Kind.OFFER_ANSWERED)
    assert note.recipient == mailed_users["anvisningsleder"]
    assert "for lille eller for stor" in note.body or "(" in note.body
    assert note.title == f"Tilbud afslået: {cheap}"
    second = services.offer_create(
        actor=mailed_users["sagsbehandler"], vacancy=offer.vacancy, case=case2, today=REPORT_DAY
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.vacancies_expire(today=second.response_deadline + dt.timedelta(days=1))
    expired = Notification.objects.filter(title__startswith="Tilbud ikke besvaret")
    assert {n.recipient.username for n in expired} == {"u_sagsbehandler", "u_anvisningsleder"}


def test_late_decline_after_the_deadline(
    mailed_users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    case: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    offer = _offer(mailed_users, cheap, case)
    late = offer.response_deadline + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_decline(
            actor=mailed_users["sagsbehandler"], offer=offer, reason="client_other", today=late
        )
    assert _recipients(Kind.LATE_DECLINE) == {"u_anvisningsleder"}
    assert not Notification.objects.filter(kind=Kind.OFFER_ANSWERED).exists()
    note = Notification.objects.get(kind=Kind.LATE_DECLINE)
    assert offer.response_deadline.strftime("%d.%m.%Y") in note.body
    assert note.title == f"Sent afslag: {cheap}"


def test_late_decline_rules() -> None:
    deadline = dt.date(2026, 3, 11)
    viewing = timezone.make_aware(dt.datetime(2026, 3, 9, 14, 0))

    def offer(**kw: Any) -> Offer:
        values = {
            "status": "declined",
            "decline_side": "client",
            "response_deadline": deadline,
            "answered_on": deadline,
            "viewing_at": None,
        }
        values.update(kw)
        return Offer(**values)

    assert not is_late_decline(offer())  # on the deadline day: in time
    assert is_late_decline(offer(answered_on=deadline + dt.timedelta(days=1)))
    assert is_late_decline(offer(viewing_at=viewing))  # declined after the viewing
    assert not is_late_decline(offer(viewing_at=viewing, answered_on=dt.date(2026, 3, 9)))
    assert not is_late_decline(offer(decline_side="provider", answered_on=dt.date(2026, 3, 12)))
    assert not is_late_decline(offer(status="expired", answered_on=dt.date(2026, 3, 12)))


def test_nominee_rejected_tells_maker_and_leads(
    mailed_users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    case: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    offer = _offer(mailed_users, cheap, case)
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_reject(
            actor=mailed_users["boligorganisation"],
            offer=offer,
            ground="debt_without_plan",
            note="Gæld uden afdragsordning",
            today=REPORT_DAY,
        )
    assert _recipients(Kind.NOMINEE_REJECTED) == {"u_sagsbehandler", "u_anvisningsleder"}
    note = Notification.objects.filter(kind=Kind.NOMINEE_REJECTED).first()
    assert note is not None and "Alfa Boligselskab" in note.body


def test_withdrawal_tells_no_one(
    mailed_users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    case: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    offer = _offer(mailed_users, cheap, case)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_withdraw(actor=mailed_users["sagsbehandler"], offer=offer, today=REPORT_DAY)
    assert not Notification.objects.exists()


def test_failed_action_tells_no_one(
    mailed_users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    case: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    offer = _offer(mailed_users, cheap, case)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.offer_accept(
            actor=mailed_users["sagsbehandler"],
            offer=offer,
            today=offer.response_deadline + dt.timedelta(days=1),
        )
    assert not Notification.objects.exists()


def test_one_notification_per_active_recipient_and_mail_for_the_immediate_ones(
    mailed_users: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from anvis.notifications.services import notify

    lead, caseworker, organisation = (
        mailed_users[role] for role in ("anvisningsleder", "sagsbehandler", "boligorganisation")
    )
    caseworker.notification_mode = "digest"
    caseworker.save()
    organisation.is_active = False
    organisation.save()
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(
            recipient_ids=[organisation.pk, caseworker.pk, lead.pk, lead.pk],
            kind=Kind.VACANCY_MUNICIPAL,
            title="Ny kommunal ledig bolig",
            link="/ledige-boliger/1/",
        )
    assert [n.recipient for n in created] == sorted([lead, caseworker], key=lambda u: u.pk)
    assert all(n.pk for n in created)
    assert set(Notification.objects.values_list("pk", flat=True)) == {n.pk for n in created}
    run_pending()
    assert [m.to for m in mail.outbox] == [["anvisningsleder@example.dk"]]
    assert Notification.objects.get(recipient=caseworker).emailed_at is None
