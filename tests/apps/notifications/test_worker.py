"""The scheduled work is idempotent: reminders once per vacancy and lead, digests once a day."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from anvis.background.queue import run_pending
from anvis.notifications.models import DigestSent, Kind, Notification
from anvis.notifications.services import deadline_reminders, digests_send, emails_retry
from anvis.vacancies import services
from tests.apps.vacancies.conftest import DEADLINE, REPORT_DAY

pytestmark = pytest.mark.django_db


def _report(users: dict[str, Any], dwelling: Any) -> Any:
    return services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=dwelling,
        notice_date=REPORT_DAY - dt.timedelta(days=20),
        available_from=REPORT_DAY + dt.timedelta(days=10),
        report_date=REPORT_DAY,
    )


def _worker(day: dt.date, *only: str) -> dict[str, Any]:
    """Queue the scheduled work for `day` (as the demo clock does) and run it as the worker
    would; returns each task's return value by schedule entry."""
    out = io.StringIO()
    args = [f"--date={day.isoformat()}"] + [f"--only={s}" for s in only]
    call_command("schedule_now", *args, stdout=out)
    ids = dict(line.split(": queued as ") for line in out.getvalue().splitlines())
    run_pending()
    results = {str(r.pk): r for r in DBTaskResult.objects.filter(pk__in=ids.values())}
    assert {r.status for r in results.values()} == {"SUCCESSFUL"}
    return {name: results[pk].return_value for name, pk in ids.items()}


def test_reminder_two_working_days_before_the_deadline_once(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    vacancy = _report(users, cheap)
    # Deadline Friday 13 March: Tuesday 10 March is 3 working days before, Wednesday 11 is 2.
    assert deadline_reminders(today=dt.date(2026, 3, 10)) == 0
    assert _worker(dt.date(2026, 3, 11), "reminders") == {"reminders": 1}
    assert _worker(dt.date(2026, 3, 11), "reminders") == {"reminders": 0}
    assert deadline_reminders(today=dt.date(2026, 3, 12)) == 0  # not again the next day
    note = Notification.objects.get(kind=Kind.DEADLINE_SOON)
    assert note.recipient == users["anvisningsleder"]
    assert note.title == f"Svarfrist 13.03.2026: {vacancy.dwelling}"
    assert note.body.startswith("2 hverdage tilbage")


def test_late_worker_still_reminds_before_the_deadline_but_not_after(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    _report(users, cheap)
    assert deadline_reminders(today=DEADLINE + dt.timedelta(days=1)) == 0
    assert deadline_reminders(today=DEADLINE) == 1


def test_answered_vacancy_gets_no_reminder(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    vacancy = _report(users, cheap)
    services.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=REPORT_DAY)
    assert deadline_reminders(today=dt.date(2026, 3, 11)) == 0


def test_whole_worker_run_twice_does_nothing_twice(
    users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _report(users, cheap)
    day = DEADLINE + dt.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        first = _worker(day)
    with django_capture_on_commit_callbacks(execute=True):
        second = _worker(day)
    assert first["expire"] == {"vacancies": 1, "offers": 0, "failed": 0}
    assert second["expire"] == {"vacancies": 0, "offers": 0, "failed": 0}
    assert second["unpark"] == 0
    assert Notification.objects.filter(kind=Kind.VACANCY_EXPIRED).count() == 2


def test_digest_once_a_day(
    users: dict[str, Any], agreement: Any, cheap: Any, django_capture_on_commit_callbacks: Any
) -> None:
    lead = users["anvisningsleder"]
    lead.email = "lead@example.dk"
    lead.notification_mode = "digest"
    lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        _report(users, cheap)
    assert not mail.outbox
    day = dt.date(2026, 3, 5)
    assert digests_send(today=day) == 1
    assert digests_send(today=day) == 0
    assert _worker(day, "digests") == {"digests": 0}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lead@example.dk"]
    assert message.subject == "Anvis: 1 nye beskeder 05.03.2026"
    assert "Ny kommunal ledig bolig" in message.body
    assert message.body.endswith("under Beskeder → Indstillinger i Anvis.")
    assert DigestSent.objects.get().count == 1
    assert Notification.objects.get().emailed_at is not None
    # Nothing new the next day: no empty digest.
    assert digests_send(today=day + dt.timedelta(days=1)) == 0


def test_failed_immediate_mail_is_retried_once(
    users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    lead = users["anvisningsleder"]
    lead.email = "lead@example.dk"
    lead.save()
    settings.EMAIL_BACKEND = "tests.apps.notifications.failing_backend.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        _report(users, cheap)
    note = Notification.objects.get()
    assert note.emailed_at is None  # the in-app notification stands
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert emails_retry(now=timezone.now()) == 1
    assert emails_retry(now=timezone.now()) == 0
    assert len(mail.outbox) == 1


def _offered(users: dict[str, Any], dwelling: Any, case: Any) -> Any:
    vacancy = services.vacancy_accept(
        actor=users["anvisningsleder"], vacancy=_report(users, dwelling), today=REPORT_DAY
    )
    return services.offer_create(
        actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=REPORT_DAY
    )


def test_citizens_answer_deadline_reminds_the_caseworker_and_the_leads_once(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    offer = _offered(users, cheap, case)
    vacancy = offer.vacancy
    deadline = offer.response_deadline
    assert deadline_reminders(today=deadline - dt.timedelta(days=7)) == 0
    assert deadline_reminders(today=deadline) == 2
    assert deadline_reminders(today=deadline) == 0  # once per offer and recipient
    notes = Notification.objects.filter(kind=Kind.DEADLINE_SOON)
    assert {n.recipient.username for n in notes} == {"u_anvisningsleder", "u_sagsbehandler"}
    note = notes.first()
    assert note is not None and note.link == f"/ledige-boliger/{vacancy.pk}/"
    assert note.title == f"Borgerens svar senest {deadline:%d.%m.%Y}: {cheap}"
    assert case.number in note.body and note.body.startswith("0 hverdage tilbage")


def test_answered_offer_gets_no_reminder(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any
) -> None:
    offer = _offered(users, cheap, case)
    services.offer_accept(actor=users["sagsbehandler"], offer=offer, today=REPORT_DAY)
    assert deadline_reminders(today=offer.response_deadline) == 0


def test_a_reminder_answered_before_it_is_e_mailed_is_not_e_mailed(
    users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    case: Any,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    """A reminder that waits for the next digest, or for a retry of a failed e-mail, is not
    e-mailed once the vacancy or the offer it chases is answered or its deadline has passed:
    "2 working days left to answer" after the answer misleads. The in-app line stays."""
    lead = users["anvisningsleder"]
    lead.email, lead.notification_mode = "lead@example.dk", "digest"
    lead.save()
    worker = users["sagsbehandler"]
    worker.email = "worker@example.dk"
    worker.save()
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = _report(users, cheap)
    assert digests_send(today=dt.date(2026, 3, 5)) == 1  # the new vacancy
    assert deadline_reminders(today=dt.date(2026, 3, 11)) == 1
    services.vacancy_accept(actor=lead, vacancy=vacancy, today=dt.date(2026, 3, 11))
    assert digests_send(today=dt.date(2026, 3, 12)) == 0
    # The citizen's answer: the caseworker's immediate e-mail failed and is retried after the
    # citizen has answered.
    offer = services.offer_create(
        actor=worker, vacancy=vacancy, case=case, today=dt.date(2026, 3, 11)
    )
    settings.EMAIL_BACKEND = "tests.apps.notifications.failing_backend.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders(today=offer.response_deadline) == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.offer_accept(actor=worker, offer=offer, today=offer.response_deadline)
    mail.outbox.clear()
    assert emails_retry(now=timezone.now()) == 0
    assert digests_send(today=offer.response_deadline + dt.timedelta(days=1)) == 0
    assert not mail.outbox
    assert Notification.objects.filter(kind=Kind.DEADLINE_SOON).count() == 3


def test_a_vacancy_that_cannot_expire_does_not_stop_the_others(
    users: dict[str, Any], agreement: Any, cheap: Any, monkeypatch: Any
) -> None:
    """As for offers: one vacancy whose expiry fails (its own transaction rolls back) is logged
    and reported, and the other vacancies and the overdue offers still expire. Before, every run
    stopped at the same vacancy, so nothing after it ever expired."""
    from django.core.exceptions import ValidationError

    from anvis.stock.models import Dwelling
    from anvis.vacancies.services import vacancy as vacancy_services

    other = Dwelling.objects.get(entrance__street="Betavej 2", rent=3100)  # organisation B's
    first = _report(users, cheap)
    second = services.vacancy_report(
        actor=users["org_b"],
        dwelling=other,
        notice_date=REPORT_DAY - dt.timedelta(days=20),
        available_from=REPORT_DAY + dt.timedelta(days=10),
        report_date=REPORT_DAY,
    )
    assert (first.status, second.status) == ("municipal", "municipal")
    real = vacancy_services._settle_turn

    def fails_for_the_first(vacancy: Any, *args: Any, **kwargs: Any) -> None:
        if vacancy.pk == first.pk:
            raise ValidationError("kan ikke")
        real(vacancy, *args, **kwargs)

    monkeypatch.setattr(vacancy_services, "_settle_turn", fails_for_the_first)
    result = services.vacancies_expire(today=DEADLINE + dt.timedelta(days=1))
    assert result.vacancies == [second.pk] and result.failed_vacancies == [first.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("municipal", "expired")
