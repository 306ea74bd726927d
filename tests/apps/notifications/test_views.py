"""The inbox, reading and the e-mail preference, for every role; nobody sees another's."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from anvis.audit.models import AuditEvent
from anvis.notifications.models import Kind, Notification
from anvis.notifications.services import notify

pytestmark = pytest.mark.django_db

ROLES = ["sagsbehandler", "anvisningsleder", "boligorganisation", "styregruppe", "administrator"]


def _note(user: Any, title: str = "Ny kommunal ledig bolig: Alfavej 1") -> Notification:
    return notify(
        recipient_ids=[user.pk],
        kind=Kind.VACANCY_MUNICIPAL,
        title=title,
        body="Svar senest 13.03.2026.",
        link="/ledige-boliger/",
    )[0]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_has_an_inbox_with_unread_count(
    client_for: Any, users: dict[str, Any], role: str
) -> None:
    _note(users[role])
    client = client_for(role)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Ny kommunal ledig bolig: Alfavej 1" in page
    assert "1 ulæst" in page  # header
    assert client.get(reverse("notifications:preferences")).status_code == 200


def test_anonymous_is_sent_to_login(client: Any) -> None:
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_nobody_sees_or_reads_anothers_notification(client_for: Any, users: dict[str, Any]) -> None:
    note = _note(users["anvisningsleder"], "Hemmelig for andre")
    other = client_for("sagsbehandler")
    assert "Hemmelig for andre" not in other.get(reverse("notifications:inbox")).content.decode()
    assert other.get(reverse("notifications:open", args=[note.pk])).status_code == 404
    assert other.post(reverse("notifications:mark_read", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_open_marks_read_and_follows_the_link(client_for: Any, users: dict[str, Any]) -> None:
    note = _note(users["anvisningsleder"])
    client = client_for("anvisningsleder")
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/ledige-boliger/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert "ulæst" not in client.get(reverse("notifications:inbox")).content.decode()


def test_external_link_is_not_followed(client_for: Any, users: dict[str, Any]) -> None:
    note = _note(users["anvisningsleder"])
    Notification.objects.filter(pk=note.pk).update(link="https://evil.example/")
    response = client_for("anvisningsleder").get(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_mark_read_and_mark_all_read(client_for: Any, users: dict[str, Any]) -> None:
    lead = users["anvisningsleder"]
    first, second, third = _note(lead), _note(lead), _note(lead)
    client = client_for("anvisningsleder")
    assert client.get(reverse("notifications:mark_read", args=[first.pk])).status_code == 405
    client.post(reverse("notifications:mark_read", args=[first.pk]))
    unread = client.get(reverse("notifications:inbox") + "?vis=ulaeste").content.decode()
    assert unread.count("Markér som læst") == 2
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "2 besked(er) markeret som læst." in response.content.decode()
    assert not Notification.objects.filter(recipient=lead, read_at__isnull=True).exists()
    assert {second.pk, third.pk} <= set(Notification.objects.values_list("pk", flat=True))


def test_preferences_saved_and_audited(client_for: Any, users: dict[str, Any]) -> None:
    client = client_for("boligorganisation")
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Én gang om dagen, samlet" in page
    assert "Du har ingen e-mailadresse" in page
    response = client.post(
        reverse("notifications:preferences"), {"notification_mode": "digest"}, follow=True
    )
    assert "Dit valg er gemt." in response.content.decode()
    users["boligorganisation"].refresh_from_db()
    assert users["boligorganisation"].notification_mode == "digest"
    assert AuditEvent.objects.filter(action="notifications.mode_set").exists()
    bad = client.post(reverse("notifications:preferences"), {"notification_mode": "never"})
    assert "Marker en gyldig valgmulighed" in bad.content.decode()


def test_mode_service_refuses_unknown_mode_in_danish(users: dict[str, Any]) -> None:
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from anvis.notifications.services import notification_mode_set

    with translation.override("da"), pytest.raises(ValidationError) as caught:
        notification_mode_set(actor=users["sagsbehandler"], mode="never")
    assert caught.value.message_dict == {
        "notification_mode": ["Vælg, hvordan du vil have e-mails."]
    }


def test_one_message_is_ulaest_the_filter_ulaeste(client_for: Any, users: dict[str, Any]) -> None:
    """A message's status is the singular ("Ulæst"); the filter of them all the plural."""
    _note(users["sagsbehandler"])
    page = client_for("sagsbehandler").get(reverse("notifications:inbox")).content.decode()
    assert 'status--yellow">Ulæst</span>' in page
    assert "?vis=ulaeste" in page and ">Ulæste</a>" in page
