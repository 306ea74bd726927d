"""Two workers at the same moment, and a worker killed half-way, do nothing twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.db import connection

from anvis.notifications.models import DigestSent, Kind, Notification
from anvis.notifications.services import deadline_reminders, digests_send, notify
from anvis.vacancies import services
from tests.apps.vacancies.conftest import REPORT_DAY
from tests.apps.vacancies.test_concurrency import race

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers; run with DATABASE_URL=postgres://… to race two workers",
)


def _digest_users(users: dict[str, Any], *keys: str) -> list[Any]:
    out = []
    for key in keys:
        user = users[key]
        user.email = f"{key}@example.dk"
        user.notification_mode = "digest"
        user.save()
        out.append(user)
    return out


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_remind_once(users: dict[str, Any], agreement: Any, cheap: Any) -> None:
    services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=REPORT_DAY,
        available_from=REPORT_DAY,
        report_date=REPORT_DAY,
    )
    day = dt.date(2026, 3, 11)
    results, errors = race(
        lambda: deadline_reminders(today=day), lambda: deadline_reminders(today=day)
    )
    assert not errors
    assert sorted(results) == [0, 1]
    assert Notification.objects.filter(kind=Kind.DEADLINE_SOON).count() == 1


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_send_one_digest(users: dict[str, Any]) -> None:
    (lead,) = _digest_users(users, "anvisningsleder")
    notify(recipient_ids=[lead.pk], kind=Kind.VACANCY_MUNICIPAL, title="Ny kommunal ledig bolig")
    day = dt.date(2026, 3, 5)
    results, errors = race(lambda: digests_send(today=day), lambda: digests_send(today=day))
    assert not errors
    assert sorted(results) == [0, 1]
    assert len(mail.outbox) == 1
    assert DigestSent.objects.count() == 1


@pytest.mark.django_db
def test_worker_killed_half_way_carries_on_without_repeating(
    users: dict[str, Any], settings: Any, monkeypatch: Any
) -> None:
    lead, worker = _digest_users(users, "anvisningsleder", "sagsbehandler")
    for user in (lead, worker):
        notify(recipient_ids=[user.pk], kind=Kind.OFFER_ANSWERED, title="Tilbud besvaret")
    day = dt.date(2026, 3, 5)
    from anvis.notifications import services as notification_services

    real_send = notification_services.send_mail
    calls: list[list[str]] = []

    def dies_on_second(subject: str, body: str, sender: str, to: list[str]) -> int:
        calls.append(to)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process is killed while sending
        return real_send(subject, body, sender, to)

    monkeypatch.setattr(notification_services, "send_mail", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        digests_send(today=day)
    first, second = sorted([lead, worker], key=lambda u: u.pk)  # the order digests go out
    assert [m.to for m in mail.outbox] == [[first.email]]
    assert list(DigestSent.objects.values_list("user", flat=True)) == [first.pk]
    assert Notification.objects.get(recipient=second).emailed_at is None

    monkeypatch.setattr(notification_services, "send_mail", real_send)
    assert digests_send(today=day) == 1  # the restart sends only the missing digest
    assert [m.to for m in mail.outbox] == [[first.email], [second.email]]
    assert digests_send(today=day) == 0


@pytest.mark.django_db
def test_one_refused_address_does_not_stop_the_other_digests(
    users: dict[str, Any], monkeypatch: Any
) -> None:
    """An SMTP server that refuses one recipient's address (a typo on one account): the others
    get their digest; the task fails so that the retry sends the missing one, and only it."""
    import smtplib

    from anvis.notifications import services as notification_services

    lead, worker, admin = _digest_users(users, "anvisningsleder", "sagsbehandler", "administrator")
    for user in (lead, worker, admin):
        notify(recipient_ids=[user.pk], kind=Kind.OFFER_ANSWERED, title="Tilbud besvaret")
    day = dt.date(2026, 3, 5)
    first = min((lead, worker, admin), key=lambda u: u.pk)  # the first digest to go out
    real_send = notification_services.send_mail

    def refuses_first(subject: str, body: str, sender: str, to: list[str]) -> int:
        if to == [first.email]:
            raise smtplib.SMTPRecipientsRefused({first.email: (550, b"no such user")})
        return real_send(subject, body, sender, to)

    monkeypatch.setattr(notification_services, "send_mail", refuses_first)
    with pytest.raises(notification_services.DigestsNotSent, match="1 of 3"):
        digests_send(today=day)
    others = {lead.email, worker.email, admin.email} - {first.email}
    assert {m.to[0] for m in mail.outbox} == others
    assert set(DigestSent.objects.values_list("user", flat=True)) == {
        u.pk for u in (lead, worker, admin) if u != first
    }
    assert Notification.objects.get(recipient=first).emailed_at is None

    monkeypatch.setattr(notification_services, "send_mail", real_send)
    assert digests_send(today=day) == 1  # the retry sends only the missing digest
    assert sorted(m.to[0] for m in mail.outbox) == sorted([*others, first.email])


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_the_retry_does_not_send_an_e_mail_that_is_being_sent(
    users: dict[str, Any], monkeypatch: Any
) -> None:
    """Two workers: one sends a new notification's e-mail (the task `notify` queued) while the
    other runs the five-minute retry, which sees the same notification as not e-mailed yet. The
    e-mail goes out once."""
    import threading

    from anvis.notifications import services as notification_services

    lead = users["anvisningsleder"]
    lead.email = "lead@example.dk"
    lead.save()
    (note,) = notify(recipient_ids=[lead.pk], kind=Kind.OFFER_ANSWERED, title="Tilbud besvaret")
    real_send = notification_services.send_mail
    sends: list[int] = []
    retried: list[int] = []

    def other_worker() -> None:
        try:
            retried.append(notification_services.emails_retry())
        finally:
            connection.close()

    def send_while_the_retry_runs(*args: Any, **kwargs: Any) -> int:
        sends.append(1)
        if len(sends) == 1:  # the first send: the other worker's retry runs meanwhile
            other = threading.Thread(target=other_worker)
            other.start()
            other.join()
        return real_send(*args, **kwargs)

    monkeypatch.setattr(notification_services, "send_mail", send_while_the_retry_runs)
    assert notification_services.notifications_email([note.pk]) == 1
    assert retried == [0]
    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=note.pk).emailed_at is not None
